/*
 * cmd_report.c — `chokepoint report RUN|DIR -o report.html`: one
 * self-contained HTML page of a run's figures and charts (docs/report.md).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: chokepoint report RUN_ID|DIR [-o FILE] [--title TEXT] [--store PATH]\n"
    "\n"
    "Write one self-contained HTML file (opens offline; no network, no other\n"
    "file) with a run's headline figures, the timeline of material availability\n"
    "and output loss, production and value-added loss by industry, the\n"
    "comparison with published estimates and the assumptions table (when the\n"
    "run's summary has them), fan charts (when it has percentile series), and\n"
    "the scenario text.  Sections without data are left out.\n"
    "\n"
    "RUN_ID is a run in the run store (a number from `chokepoint runs list`,\n"
    "`last` or `last~N`); DIR is an output directory written by\n"
    "`chokepoint run SCENARIO --out DIR` (summary.json, timeseries.csv).  An\n"
    "existing directory wins over a run id.\n"
    "\n"
    "  -o, --out FILE  where to write (default report.html)\n"
    "  --title TEXT    the page title (default: the scenario named in summary.json)\n"
    "  --store PATH    the run store (default: $CHOKEPOINT_STORE, else\n"
    "                  $XDG_DATA_HOME/chokepoint/runs.sqlite, else\n"
    "                  ~/.local/share/chokepoint/runs.sqlite)\n"
    "\n"
    "exit status: 0 ok, 1 I/O failure, 2 usage error, unknown run or bad input\n";

/* Parse arguments; report from a directory or from the store. */
static int run(int argc, char **argv)
{
    const char *what = NULL, *out = "report.html", *store = NULL;
    cp_report_opts o = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--out") || !strcmp(a, "--title") ||
            !strcmp(a, "--store")) {
            if (i + 1 >= argc) return cli_usage("report", "%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--title")) o.title = v;
            else if (!strcmp(a, "--store")) store = v;
            else out = v;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage("report", "unknown option '%s'", a);
        } else {
            if (what) return cli_usage("report", "one RUN_ID or DIR only");
            what = a;
        }
    }
    if (!what) return cli_usage("report", "missing RUN_ID or DIR");
    cp_error err;
    cp_error_clear(&err);
    struct stat st;
    if (stat(what, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (cp_report_from_dir(what, out, &o, &err)) return cli_fail(&err);
    } else {
        cp_store *s;
        long long id;
        if (cp_store_open(&s, store, CP_STORE_MUST_EXIST, &err)) return cli_fail(&err);
        int rc = cp_store_resolve(s, what, &id, &err) ||
                 cp_report_from_store(s, id, out, &o, &err);
        cp_store_close(s);
        if (rc) return cli_fail(&err);
    }
    printf("wrote %s\n", out);
    return EXIT_OK;
}

const cli_cmd cmd_report_def = {"report", "write a self-contained HTML report of a run", help, run};
