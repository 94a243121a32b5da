/*
 * main.c — the `chokepoint` command: dispatch to one subcommand per file.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Every subcommand, in the order `chokepoint help` lists them. */
const cli_cmd *const cli_commands[] = {
    &cmd_main_def,
    &cmd_info_def,
    &cmd_runs_def,
    &cmd_report_def,
    &cmd_import_def,
    &cmd_run_def,
    /* @@CLI-TABLE@@ further subcommands registered here */
    &cmd_mc_def,
    &cmd_sensitivity_def,
    &cmd_calibrate_def,
    &cmd_compare_def,
    &cmd_validate_def,
    &cmd_io_def,
    NULL,
};

static const char usage[] =
    "chokepoint " CP_VERSION " — export controls on critical materials, through the economy\n"
    "\n"
    "usage: chokepoint COMMAND [ARGS...]\n"
    "       chokepoint help COMMAND     (same as chokepoint COMMAND --help)\n"
    "\n"
    "commands:\n";

/* Print the command list. */
static void print_usage(FILE *f)
{
    fputs(usage, f);
    for (size_t i = 0; cli_commands[i]; i++)
        fprintf(f, "  %-10s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fputs("\nexit status: 0 ok, 1 model or run failure, 2 usage or input error\n", f);
}

/* Find a command by name. */
static const cli_cmd *find(const char *name)
{
    for (size_t i = 0; cli_commands[i]; i++)
        if (strcmp(cli_commands[i]->name, name) == 0) return cli_commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_INPUT;
    }
    const char *c = argv[1];
    if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        printf("chokepoint %s\n", CP_VERSION);
        return EXIT_OK;
    }
    if (strcmp(c, "help") == 0) {
        if (argc < 3) { print_usage(stdout); return EXIT_OK; }
        const cli_cmd *cmd = find(argv[2]);
        if (!cmd) {
            fprintf(stderr, "chokepoint: no command '%s'; see: chokepoint help\n", argv[2]);
            return EXIT_INPUT;
        }
        fputs(cmd->help, stdout);
        return EXIT_OK;
    }
    const cli_cmd *cmd = find(c);
    if (!cmd) {
        fprintf(stderr, "chokepoint: no command '%s'; see: chokepoint help\n", c);
        return EXIT_INPUT;
    }
    if (cli_wants_help(argc - 1, argv + 1, cmd)) return EXIT_OK;
    return cmd->run(argc - 1, argv + 1);
}
