/*
 * cmd_main.c — `chokepoint main`: the job `make run` runs on the shipped
 * data: the central case, a twelve-month cut-off of the seven No. 18 rare
 * earths to Japan (scenarios/japan-cutoff-12m.yaml) on the MIC 2015
 * 185-sector table at 2024 prices, printed as GDP loss, the ten worst-hit
 * industries and the monthly timeline.  The outputs go to a fresh
 * temporary directory (printed); nothing is recorded in the run store.
 */
#include "case.h"

#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CP_DATADIR
#define CP_DATADIR "data"
#endif

static const char help[] =
    "usage: chokepoint main\n"
    "\n"
    "The main job, run by `make run`: China cuts off the seven rare earths of\n"
    "MOFCOM/GAC 2025 No. 18 to Japan for twelve months from 2026-01-06\n"
    "(scenarios/japan-cutoff-12m.yaml, docs/japan-case.md), on the embedded\n"
    "MIC 2015 185-sector table scaled to 2024 prices.  Prints the GDP loss in\n"
    "JPY and %% of GDP, the ten worst-hit industries and the monthly timeline\n"
    "of the controlled materials' availability and the output lost; the full\n"
    "outputs (docs/outputs.md) go to a temporary directory.  The scenario is\n"
    "found in $CHOKEPOINT_SCENARIOS, else beside the data directory.\n";

/* Run the central case and print its summary. */
static int run(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return cli_usage("main", "takes no arguments");
    const char *sd = getenv("CHOKEPOINT_SCENARIOS");
    const char *dd = getenv("CHOKEPOINT_DATA");
    char scn[4096], out[4096];
    if (sd && *sd) snprintf(scn, sizeof scn, "%s/japan-cutoff-12m.yaml", sd);
    else snprintf(scn, sizeof scn, "%s/../scenarios/japan-cutoff-12m.yaml", dd && *dd ? dd : CP_DATADIR);
    const char *tmp = getenv("TMPDIR");
    snprintf(out, sizeof out, "%s/chokepoint-main-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(out)) {
        cp_error err;
        cp_error_at(&err, CP_EIO, out, 0, 0, "cannot create the output directory; hint: set TMPDIR");
        return cli_fail(&err);
    }
    char real[PATH_MAX];
    if (realpath(scn, real)) snprintf(scn, sizeof scn, "%s", real);
    printf("chokepoint %s — the central case: %s\n", CP_VERSION, scn);
    cp_error err;
    cp_error_clear(&err);
    cli_case c;
    int rc = cli_case_eval(&c, scn, 0, &err);
    char *yaml = rc ? NULL : cp_scn_resolved_yaml(&c.s);
    cp_out_run_info info = {.scenario_path = scn, .table_path = c.s.table_path, .step_unit = "day",
                            .start_date = c.s.start_date, .step_days = 1, .timeseries = 0,
                            .resolved_yaml = yaml};
    if (!rc) rc = cp_out_run_write(out, c.t, &c.rec, &info, &err);
    if (!rc) rc = cli_case_write(out, &c.s, c.t, c.cm, c.cr, &c.res, &err);
    free(yaml);
    cli_case_free(&c);
    if (rc) return cli_fail(&err);
    rc = cli_case_print_dir(out, stdout);
    printf("\nall outputs (docs/outputs.md): %s\n", out);
    return rc;
}

const cli_cmd cmd_main_def = {"main", "the default job (make run): the Japan rare-earth cut-off", help, run};
