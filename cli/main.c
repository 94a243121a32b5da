/*
 * main.c — the `chokepoint` command: dispatch to one subcommand per file
 * (cli/cmd_<name>.c; `help` is cli/cmd_help.c).
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
    &cmd_help_def,
    NULL,
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_print_usage(stderr);
        return EXIT_INPUT;
    }
    const char *c = argv[1];
    if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0) {
        cli_print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(c, "--version") == 0 || strcmp(c, "version") == 0) {
        printf("chokepoint %s\n", CP_VERSION);
        return EXIT_OK;
    }
    const cli_cmd *cmd = cli_find_command(c);
    if (!cmd) {
        fprintf(stderr, "chokepoint: no command '%s'; see: chokepoint help\n", c);
        return EXIT_INPUT;
    }
    if (cmd != &cmd_help_def && cli_wants_help(argc - 1, argv + 1, cmd)) return EXIT_OK;
    return cmd->run(argc - 1, argv + 1);
}
