/*
 * case.h — the export-control case on the command line (cli/case.c):
 * run a scenario with its economy: and controls: sections end to end, and
 * print the terminal summary (GDP loss, worst-hit industries, monthly
 * timeline).  Used by `run`, `main` and `calibrate`.
 */
#ifndef CP_CLI_CASE_H
#define CP_CLI_CASE_H

#include "cli.h"

#include <stdio.h>

struct json_t;

/* Read dir/summary.json (a run's output directory); on failure print
 * "cannot read the summary back" at its file:line:col, set *status to the
 * exit status and return NULL.  json_decref the result. */
struct json_t *cli_summary_read(const char *dir, int *status);

/* Everything an end-to-end case run leaves. */
typedef struct cli_case {
    cp_scn s;
    int have_s;
    cp_table *t;
    cp_ctl_model *cm;
    cp_ctl_result *cr;
    cp_ario *m;
    cp_res_run rec;
    cp_res_case res;
} cli_case;

/* Load the scenario, open and scale its table, run the controls and the
 * engine, compute the case figures; no files written.  crit_scale > 0
 * replaces controls.criticality_scale (calibration). */
int cli_case_eval(cli_case *k, const char *scn_path, double crit_scale, cp_error *err);
void cli_case_free(cli_case *k);
/* The case figures of a finished run (start date and price year from the
 * scenario). */
int cli_case_results(const cp_scn *s, const cp_table *t, const cp_res_run *rec,
                     const cp_ctl_model *cm, const cp_ctl_result *cr, cp_res_case *res,
                     cp_error *err);
/* Write the case files (cp_out_case_write) and add what the terminal
 * summary needs to summary.json: the scenario's name and the controls
 * (regimes in force within the horizon, materials, buffers' empty dates,
 * the criticality multiplier). */
int cli_case_write(const char *dir, const cp_scn *s, const cp_table *t, const cp_ctl_model *cm,
                   const cp_ctl_result *cr, const cp_res_case *res, cp_error *err);
/* The terminal summary of an output directory's summary.json: GDP loss in
 * money and % of GDP, the ten worst-hit industries, the monthly timeline
 * (controlled materials' availability, losses).  Prints nothing for a run
 * without controls; returns the exit status. */
int cli_case_print_dir(const char *dir, FILE *f);

#endif
