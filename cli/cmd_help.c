/*
 * cmd_help.c — `chokepoint help [COMMAND]`: the command list, or one
 * command's help text (the same text `COMMAND --help` prints, so the two
 * can never disagree; scripts/gen-man.sh builds the man page from it).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint help [COMMAND]\n"
    "\n"
    "Without COMMAND, list the commands. With COMMAND, print its help: the same\n"
    "text as `chokepoint COMMAND --help`. The manual page docs/chokepoint.1 is\n"
    "generated from these texts (scripts/gen-man.sh).\n"
    "\n"
    "exit status: 0 ok, 2 unknown command\n";

static const char usage[] =
    "chokepoint " CP_VERSION " — export controls on critical materials, through the economy\n"
    "\n"
    "usage: chokepoint COMMAND [ARGS...]\n"
    "       chokepoint help COMMAND     (same as chokepoint COMMAND --help)\n"
    "\n"
    "commands:\n";

/* Print the command list with one-line summaries. */
void cli_print_usage(FILE *f)
{
    fputs(usage, f);
    for (size_t i = 0; cli_commands[i]; i++)
        fprintf(f, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fputs("\nexit status: 0 ok, 1 model or run failure, 2 usage or input error\n", f);
}

/* Find a registered command by name, or NULL. */
const cli_cmd *cli_find_command(const char *name)
{
    for (size_t i = 0; cli_commands[i]; i++)
        if (strcmp(cli_commands[i]->name, name) == 0) return cli_commands[i];
    return NULL;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        cli_print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(help, stdout);
        return EXIT_OK;
    }
    if (argc > 2) return cli_usage("help", "one COMMAND at most");
    const cli_cmd *cmd = cli_find_command(argv[1]);
    if (!cmd) {
        fprintf(stderr, "chokepoint: no command '%s'; see: chokepoint help\n", argv[1]);
        return EXIT_INPUT;
    }
    fputs(cmd->help, stdout);
    return EXIT_OK;
}

const cli_cmd cmd_help_def = {"help", "list the commands, or show one command's help", help, run};
