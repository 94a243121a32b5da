/*
 * cli.h — what the subcommands of the `chokepoint` tool share.
 *
 * The tool is kept apart from the library (curl's rule): cli/ parses
 * arguments, calls libchokepoint and prints; nothing in src/ prints.
 * One source file per subcommand (git's rule): cli/cmd_<name>.c defines
 * cmd_<name>() and its help text, registered in cli/main.c.
 */
#ifndef CP_CLI_H
#define CP_CLI_H

#include "chokepoint.h"

#include <stdio.h>

/* Exit statuses, documented in docs/chokepoint.1 and `chokepoint help`. */
enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_INPUT = 2 };

/* A subcommand: name, one-line summary, full help text, entry point. */
typedef struct cli_cmd {
    const char *name;
    const char *summary;
    const char *help;
    int (*run)(int argc, char **argv);
} cli_cmd;

/* Registered commands (cli/main.c). */
extern const cli_cmd *const cli_commands[];
/* The command list with summaries (cli/cmd_help.c). */
void cli_print_usage(FILE *f);
/* A registered command by name, or NULL. */
const cli_cmd *cli_find_command(const char *name);

/* Print "chokepoint: <msg>" for err to stderr and return the exit status
 * that matches its code (2 for input/usage errors, 1 otherwise). */
int cli_fail(const cp_error *err);
/* Print a usage error and a pointer to --help; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Is argv[i] "-h" or "--help"?  If any argument is, print help, return 1. */
int cli_wants_help(int argc, char **argv, const cli_cmd *cmd);
/* Resolve a table argument: a path if it exists, else a name under the
 * data directory ($CHOKEPOINT_DATA, or the data/ the binary was built
 * with).  Writes into buf. */
const char *cli_table_path(const char *arg, char *buf, size_t cap);
/* Open a table (own format or pymrio folder) with the shared load
 * options; the common flags below fill opts. */
int cli_open_table(cp_table **t, const char *arg, const cp_load_opts *opts);
/* Parse the load flags shared by commands that read tables:
 *   --balance-tol X, --no-validate, --max-file-mb N
 * Returns 1 if argv[*i] was one of them (advancing *i past its value),
 * 0 if not, -1 (after printing) on a bad value. */
int cli_load_flag(const char *cmd, int argc, char **argv, int *i, cp_load_opts *opts);

/* Subcommands. */
extern const cli_cmd cmd_main_def, cmd_info_def, cmd_help_def;
extern const cli_cmd cmd_runs_def, cmd_report_def;
extern const cli_cmd cmd_import_def;
extern const cli_cmd cmd_run_def;
/* @@CLI-COMMANDS@@ further subcommands declared here */
extern const cli_cmd cmd_mc_def, cmd_sensitivity_def;
extern const cli_cmd cmd_calibrate_def;
extern const cli_cmd cmd_compare_def, cmd_validate_def;
extern const cli_cmd cmd_io_def;

#endif
