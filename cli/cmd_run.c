/*
 * cmd_run.c — `chokepoint run SCENARIO.yaml --out DIR`: read a scenario,
 * open its table, run the dynamic model (ARIO) and write the run outputs
 * (docs/outputs.md).
 */
#include "cli.h"
#include "case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: chokepoint run SCENARIO.yaml --out DIR [--table TABLE] [--steps N] [--store [PATH]]\n"
    "                      [--balance-tol X] [--no-validate] [--max-file-mb N]\n"
    "\n"
    "Run a dynamic scenario (ARIO with inventories; docs/ario.md) and write its\n"
    "outputs into DIR: production_realised.csv, final_demand_unmet.csv,\n"
    "production_capacity.csv, value_added.csv, limiting_input.csv,\n"
    "final_demand_unmet_by_industry.csv, timeseries.csv, summary.json and\n"
    "scenario.resolved.yaml (docs/outputs.md).\n"
    "\n"
    "The scenario names a table (a chokepoint table directory, a pymrio folder,\n"
    "or a shipped table name), an `ario:` section with BoARIO's parameter names\n"
    "and `events:` (capacity_loss, flow_cap, final_demand_change, capacity_cap):\n"
    "\n"
    "  table: pymrio_test_mrio\n"
    "  ario: {order_type: alt, psi_param: 0.8, main_inv_dur: 90, steps: 365}\n"
    "  events:\n"
    "    - {type: capacity_loss, region: reg2, sector: manufactoring, share: 0.5,\n"
    "       occurrence: 1, duration: 90, recovery_tau: 1}\n"
    "\n"
    "Every error in the scenario is reported at once as file:line:col.\n"
    "\n"
    "  --out DIR         output directory (created)\n"
    "  --table TABLE     use this table instead of the scenario's\n"
    "  --steps N         override the number of steps\n"
    "  --store [PATH]    also record the run in the run store (default store\n"
    "                    when PATH is omitted; see `chokepoint runs --help`)\n"
    "  --balance-tol X, --no-validate, --max-file-mb N   as for `info`\n";

/* Print the headline figures. */
static void print_summary(const cp_table *t, const cp_res_run *r)
{
    cp_res_totals tot;
    cp_res_totals_of(r, &tot, NULL, NULL);
    const char *u = t->unit ? t->unit : "";
    printf("steps                      %zu\n", r->done);
    printf("production loss            %.6g %s\n", tot.production_loss, u);
    printf("value added loss           %.6g %s\n", tot.value_added_loss, u);
    printf("final demand unmet         %.10g %s\n", tot.fd_unmet_total, u);
    printf("min total production ratio %.16g (step %ld)\n", tot.min_total_production_ratio, tot.min_step);
    printf("had shortage               %s\n", tot.had_shortage ? "true" : "false");
}

/* Parse the arguments, run the scenario, write and summarise. */
static int run(int argc, char **argv)
{
    cp_load_opts opts = cp_load_opts_default();
    const char *scn_path = NULL, *out = NULL, *store_path = NULL, *table = NULL;
    long steps = -1;
    int store = 0;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("run", argc, argv, &i, &opts);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        if (!strcmp(argv[i], "--out")) {
            if (i + 1 >= argc) return cli_usage("run", "--out needs a directory");
            out = argv[++i];
        } else if (!strcmp(argv[i], "--table")) {
            if (i + 1 >= argc) return cli_usage("run", "--table needs a table");
            table = argv[++i];
        } else if (!strcmp(argv[i], "--steps")) {
            double v;
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 1 || v > 1e8 || v != (long)v)
                return cli_usage("run", "--steps needs a whole number >= 1");
            steps = (long)v;
            i++;
        } else if (!strcmp(argv[i], "--store")) {
            store = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-' && scn_path) store_path = argv[++i];
        } else if (argv[i][0] == '-') return cli_usage("run", "unknown option '%s'", argv[i]);
        else if (scn_path) return cli_usage("run", "one SCENARIO only (got '%s' and '%s')", scn_path, argv[i]);
        else scn_path = argv[i];
    }
    if (!scn_path) return cli_usage("run", "missing SCENARIO.yaml");
    if (!out) return cli_usage("run", "missing --out DIR");

    cp_error err;
    cp_error_clear(&err);
    cp_scn s;
    if (cp_scn_load(&s, scn_path, &err)) return cli_fail(&err);
    if (steps > 0) s.ario.steps = (size_t)steps;
    if (table) {
        char *tp = strdup(table);
        if (!tp) { cp_scn_free(&s); cp_error_set(&err, CP_ENOMEM, "out of memory"); return cli_fail(&err); }
        free(s.table_path);
        s.table_path = tp;
    }
    if (s.out_inventories) s.ario.record_inventories = 1;
    cp_table *t = NULL;
    int rc = cli_open_table(&t, s.table_path, &opts);
    if (rc) { cp_scn_free(&s); return rc; }
    cp_ario *m = NULL;
    cp_res_run rec;
    memset(&rec, 0, sizeof rec);
    char *yaml = NULL;
    const char **pl = NULL;
    cp_ctl_model *cm = NULL;     /* economy: and controls: (cli/case.c, docs/japan-case.md) */
    cp_ctl_result *cr = NULL;
    cp_res_case cs;
    memset(&cs, 0, sizeof cs);
    if (cp_scn_economy_apply(&s, t, &err) || cp_scn_controls_run(&s, t, &cm, &cr, &err)) goto fail;
    if (cp_scn_build_ario(&s, t, &m, &err)) goto fail;
    if (cp_scn_controls_couple(cm, cr, t, m, &err)) goto fail;
    if (cp_res_run_init(&rec, s.ario.steps, t->n, t->nfd, cp_ario_nproducts(m), s.out_inventories, &err)) goto fail;
    if (cp_ario_run(m, &rec, &err)) goto fail;
    yaml = cp_scn_resolved_yaml(&s);
    size_t np = cp_ario_nproducts(m);
    pl = malloc((np ? np : 1) * sizeof *pl);
    if (!pl) { cp_error_set(&err, CP_ENOMEM, "out of memory"); goto fail; }
    for (size_t p = 0; p < np; p++) pl[p] = cp_ario_product(m, p);
    char tpath[4096];
    cp_out_run_info info = {.scenario_path = scn_path,
                            .table_path = cli_table_path(s.table_path, tpath, sizeof tpath),
                            .step_unit = s.ario.temporal_units_by_step == 1 ? "day" : "step",
                            .start_date = s.start_date, .step_days = s.ario.temporal_units_by_step,
                            .timeseries = s.out_timeseries, .resolved_yaml = yaml,
                            .prod_labels = pl, .nprod = np};
    if (cp_out_run_write(out, t, &rec, &info, &err)) goto fail;
    if (cli_case_results(&s, t, &rec, cm, cr, &cs, &err) || cli_case_write(out, &s, t, cm, cr, &cs, &err))
        goto fail;
    print_summary(t, &rec);
    cli_case_print_dir(out, stdout);
    printf("outputs                    %s\n", out);
    if (store) {
        cp_store *st = NULL;
        long long id = 0;
        if (cp_store_open(&st, store_path, 0, &err) ||
            cp_store_record_dir(st, out, scn_path, NULL, &id, &err)) {
            cp_store_close(st);
            goto fail;
        }
        printf("stored                     run %lld in %s\n", id, cp_store_path(st));
        cp_store_close(st);
    }
    rc = EXIT_OK;
    goto done;
fail:
    rc = cli_fail(&err);
done:
    free(pl);
    free(yaml);
    cp_res_case_free(&cs);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    cp_res_run_free(&rec);
    cp_ario_free(m);
    cp_table_free(t);
    cp_scn_free(&s);
    return rc;
}

const cli_cmd cmd_run_def = {"run", "run a dynamic scenario (ARIO) and write its outputs", help, run};
