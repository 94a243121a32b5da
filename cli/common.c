/*
 * common.c — helpers shared by the subcommands: error printing, the data
 * directory, and the table-loading flags every command that reads a table
 * accepts.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef CP_DATADIR
#define CP_DATADIR "data"
#endif

/* Print the library's message and map its code to an exit status. */
int cli_fail(const cp_error *err)
{
    fprintf(stderr, "chokepoint: %s\n", err->msg[0] ? err->msg : "unknown error");
    return (err->code == CP_EINPUT || err->code == CP_EUSAGE) ? EXIT_INPUT : EXIT_RUN;
}

/* Usage errors always exit 2 and point at the command's help. */
int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "chokepoint %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n  see: chokepoint %s --help\n", cmd);
    va_end(ap);
    return EXIT_INPUT;
}

/* `CMD --help` prints the same text as `chokepoint help CMD`. */
int cli_wants_help(int argc, char **argv, const cli_cmd *cmd)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(cmd->help, stdout);
            return 1;
        }
    return 0;
}

/* An existing path wins; otherwise look the name up in the data dir. */
const char *cli_table_path(const char *arg, char *buf, size_t cap)
{
    struct stat st;
    if (stat(arg, &st) == 0 || strchr(arg, '/')) {
        snprintf(buf, cap, "%s", arg);
        return buf;
    }
    const char *dir = getenv("CHOKEPOINT_DATA");
    snprintf(buf, cap, "%s/%s", dir && *dir ? dir : CP_DATADIR, arg);
    if (stat(buf, &st) != 0) snprintf(buf, cap, "%s", arg);
    return buf;
}

/* Resolve and open a table, printing the error on failure. */
int cli_open_table(cp_table **t, const char *arg, const cp_load_opts *opts)
{
    char path[4096];
    cp_error err;
    cp_error_clear(&err);
    if (cp_table_open(t, cli_table_path(arg, path, sizeof path), opts, &err))
        return cli_fail(&err);
    return 0;
}

/* Largest --max-file-mb (1 TiB): converting a larger double to size_t
 * bytes is undefined behaviour once it passes SIZE_MAX (1e300 did), and
 * no input file chokepoint reads comes near it. */
#define CLI_MAX_FILE_MB 1048576.0

/* Shared table-loading flags. */
int cli_load_flag(const char *cmd, int argc, char **argv, int *i, cp_load_opts *opts)
{
    const char *a = argv[*i];
    if (strcmp(a, "--no-validate") == 0) {
        opts->skip_validation = 1;
        return 1;
    }
    if (strcmp(a, "--balance-tol") == 0 || strcmp(a, "--max-file-mb") == 0) {
        double v;
        if (*i + 1 >= argc || cp_parse_double(argv[*i + 1], &v) || v <= 0) {
            cli_usage(cmd, "%s needs a positive number", a);
            return -1;
        }
        if (a[2] == 'm' && v > CLI_MAX_FILE_MB) {
            cli_usage(cmd, "--max-file-mb %s is too large: at most %.0f MiB (1 TiB)", argv[*i + 1],
                      CLI_MAX_FILE_MB);
            return -1;
        }
        if (a[2] == 'b') opts->validate.tol = v;
        else opts->csv.max_bytes = (size_t)(v * 1024 * 1024);
        (*i)++;
        return 1;
    }
    return 0;
}
