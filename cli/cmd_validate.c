/*
 * cmd_validate.c — `chokepoint validate FILE...`: check scenarios without
 * running them: every key, type and range (cp_scn_load, bases included
 * through extends:), and that the table each names exists.  Prints every
 * error of every file; exit 0 when all are valid, 2 otherwise.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: chokepoint validate SCENARIO.yaml [SCENARIO.yaml ...]\n"
    "\n"
    "Check scenarios (docs/scenario.md) without running them: unknown keys (with\n"
    "the closest known key), wrong types, out-of-range values, missing files\n"
    "(the table, extends: bases) and dates out of order.  Every error of every\n"
    "file is printed, each as file:line:col: what; hint: what to do.  A valid\n"
    "file prints `FILE: ok`.  Labels (regions, sectors) are checked against the\n"
    "table by `chokepoint run`.\n"
    "\n"
    "exit status: 0 all valid, 2 some file has errors (or bad usage)\n";

/* Check one file; prints its errors or "ok". Returns 0 when valid. */
static int check_one(const char *path)
{
    cp_error err;
    cp_error_clear(&err);
    cp_scn s;
    if (cp_scn_load(&s, path, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    int bad = 0;
    if (cp_scn_check_horizon(&s, &err)) { fprintf(stderr, "%s\n", err.msg); bad = 1; }
    char tp[4096];
    struct stat st;
    const char *p = cli_table_path(s.table_path, tp, sizeof tp);
    if (stat(p, &st) != 0) {
        fprintf(stderr, "1 error in scenario:\n%s:%ld:%ld: table: no table '%s' (looked for %s); hint: a table directory or pymrio folder, relative to the file that names it, or a shipped table name (ls %s)\n",
                s.table_file ? s.table_file : path, s.table_line, s.table_col, s.table, p,
                "data/");
        bad = 1;
    }
    if (!bad) printf("%s: ok\n", path);
    cp_scn_free(&s);
    return bad;
}

/* Validate every file named. */
static int run(int argc, char **argv)
{
    int nfiles = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) return cli_usage("validate", "unknown option '%s'", argv[i]);
        nfiles++;
    }
    if (!nfiles) return cli_usage("validate", "missing SCENARIO.yaml");
    for (int i = 1; i < argc; i++) bad += check_one(argv[i]);
    if (bad && nfiles > 1) fprintf(stderr, "chokepoint validate: %d of %d files have errors\n", bad, nfiles);
    return bad ? EXIT_INPUT : EXIT_OK;
}

const cli_cmd cmd_validate_def = {"validate", "check scenarios without running them", help, run};
