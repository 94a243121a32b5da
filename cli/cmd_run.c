/*
 * cmd_run.c — `chokepoint run SCENARIO.yaml --out DIR`: read a scenario,
 * open its table, run the dynamic model (ARIO), write the run outputs
 * (docs/outputs.md) and record the run in the run store.
 *
 * cli_run_scenario() is the one run path: `compare` calls it for each of
 * its scenarios, so both commands load, build, run, write and record the
 * same way.
 */
#include "run.h"
#include "case.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: chokepoint run SCENARIO.yaml --out DIR [--table TABLE] [--steps N]\n"
    "                      [--store PATH | --no-store] [--format table|csv|json]\n"
    "                      [--balance-tol X] [--no-validate] [--max-file-mb N]\n"
    "\n"
    "Run a dynamic scenario (ARIO with inventories; docs/ario.md) and write its\n"
    "outputs into DIR: production_realised.csv, final_demand_unmet.csv,\n"
    "production_capacity.csv, value_added.csv, limiting_input.csv,\n"
    "final_demand_unmet_by_industry.csv, timeseries.csv, summary.json and\n"
    "scenario.resolved.yaml (docs/outputs.md).  The run is recorded in the run\n"
    "store (docs/run-store.md) unless --no-store is given.\n"
    "\n"
    "The scenario (docs/scenario.md) names a table (a chokepoint table\n"
    "directory, a pymrio folder, or a shipped table name), an `ario:` section\n"
    "with BoARIO's parameter names and `events:` (capacity_loss, flow_cap,\n"
    "final_demand_change, capacity_cap); `extends: base.yaml` starts from\n"
    "another scenario:\n"
    "\n"
    "  table: pymrio_test_mrio\n"
    "  ario: {order_type: alt, psi_param: 0.8, main_inv_dur: 90, steps: 365}\n"
    "  events:\n"
    "    - {type: capacity_loss, region: reg2, sector: manufactoring, share: 0.5,\n"
    "       occurrence: 1, duration: 90, recovery_tau: 1}\n"
    "\n"
    "Every error in the scenario is reported at once as file:line:col; nothing\n"
    "runs on a scenario with errors (check one with `chokepoint validate`).\n"
    "A progress bar is drawn on stderr when it is a terminal and CI is not set.\n"
    "\n"
    "  --out DIR         output directory (created)\n"
    "  --table TABLE     use this table instead of the scenario's\n"
    "  --steps N         override the number of steps\n"
    "  --store PATH      record the run in this store (default: $CHOKEPOINT_STORE,\n"
    "                    else ~/.local/share/chokepoint/runs.sqlite)\n"
    "  --no-store        do not record the run\n"
    "  --format F        summary on stdout as table (default), csv or json\n"
    "  --balance-tol X, --no-validate, --max-file-mb N   as for `info`\n"
    "\n"
    "exit status: 0 ok, 1 model or run failure, 2 usage or input error\n";

/* The one run path of `run` and `compare`. */
int cli_run_scenario(const char *scn_path, const cli_run_opts *o, cli_run_result *res)
{
    memset(res, 0, sizeof *res);
    long long t0 = (long long)time(NULL);
    cp_error err;
    cp_error_clear(&err);
    cp_scn s;
    if (cp_scn_load(&s, scn_path, &err)) return cli_fail(&err);
    if (o->steps > 0) s.ario.steps = (size_t)o->steps;
    if (cp_scn_check_horizon(&s, &err)) { cp_scn_free(&s); return cli_fail(&err); }
    if (o->table) {
        char *tp = strdup(o->table);
        if (!tp) { cp_scn_free(&s); cp_error_set(&err, CP_ENOMEM, "out of memory"); return cli_fail(&err); }
        free(s.table_path);
        s.table_path = tp;
    }
    if (s.out_inventories) s.ario.record_inventories = 1;
    const char *base = strrchr(scn_path, '/');
    snprintf(res->name, sizeof res->name, "%s", s.name ? s.name : base ? base + 1 : scn_path);
    snprintf(res->start_date, sizeof res->start_date, "%s", s.start_date ? s.start_date : "");
    res->step_days = s.ario.temporal_units_by_step;
    cp_table *t = NULL;
    int rc = cli_open_table(&t, s.table_path, &o->load);
    if (rc) { cp_scn_free(&s); return rc; }
    cp_ario *m = NULL;
    cp_res_run rec;
    memset(&rec, 0, sizeof rec);
    char *yaml = NULL;
    const char **pl = NULL;
    cli_bar b = {res->name, "step", -1};
    cp_ctl_model *cm = NULL;     /* economy: and controls: (cli/case.c, docs/japan-case.md) */
    cp_ctl_result *cr = NULL;
    cp_res_case cs;
    memset(&cs, 0, sizeof cs);
    if (cp_scn_economy_apply(&s, t, &err) || cp_scn_controls_run(&s, t, &cm, &cr, &err)) goto fail;
    if (cp_scn_build_ario(&s, t, &m, &err)) goto fail;
    if (cp_scn_controls_couple(cm, cr, t, m, &err)) goto fail;
    if (cp_res_run_init(&rec, s.ario.steps, t->n, t->nfd, cp_ario_nproducts(m), s.out_inventories, &err)) goto fail;
    if (cp_res_run_ario(m, s.ario.steps, &rec, o->progress ? cli_bar_update : NULL, &b, &err)) goto fail;
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
    if (cp_out_run_write(o->out, t, &rec, &info, &err)) goto fail;
    if (cli_case_results(&s, t, &rec, cm, cr, &cs, &err) || cli_case_write(o->out, &s, t, cm, cr, &cs, &err))
        goto fail;
    if (o->store) {
        cp_store *st = NULL;
        cp_store_run_info ri = {.started_at = t0};
        if (cp_store_open(&st, o->store_path, 0, &err) ||
            cp_store_record_dir(st, o->out, scn_path, &ri, &res->store_id, &err)) {
            cp_store_close(st);
            goto fail;
        }
        snprintf(res->store_path, sizeof res->store_path, "%s", cp_store_path(st));
        cp_store_close(st);
    }
    rc = EXIT_OK;
    goto done;
fail:
    if (o->progress && b.last >= 0) fputs("\r\033[K", stderr);
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

/* A number member of a JSON object (NaN when missing). */
static double jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Print the headline figures of an output directory's summary.json. */
static int print_summary(const char *out, const cli_run_result *res, int format)
{
    int status;
    json_t *sj = cli_summary_read(out, &status);
    if (!sj) return status;
    const char *u = json_string_value(json_object_get(json_object_get(sj, "table"), "unit"));
    const char *su = json_string_value(json_object_get(sj, "step_unit"));
    const char *tn = json_string_value(json_object_get(json_object_get(sj, "table"), "name"));
    u = u ? u : "";
    cli_figs f = {0};
    cli_figs_add(&f, "scenario", "", "%s", res->name);
    cli_figs_add(&f, "table", "", "%s", tn ? tn : "");
    cli_figs_add(&f, "steps", su ? su : "", "%lld", (long long)jnum(sj, "steps"));
    json_t *g = json_object_get(sj, "gdp_loss");
    if (json_is_object(g)) {
        const char *gu = json_string_value(json_object_get(g, "unit"));
        cli_figs_add(&f, "gdp loss", gu ? gu : u, "%.6g", jnum(g, "value"));
    } else if (json_is_number(g)) cli_figs_add(&f, "gdp loss", u, "%.6g", json_number_value(g));
    if (json_is_number(json_object_get(sj, "gdp_loss_pct")))
        cli_figs_add(&f, "gdp loss share", "% of annual GDP", "%.4g", jnum(sj, "gdp_loss_pct"));
    cli_figs_add(&f, "production loss", u, "%.6g", jnum(sj, "production_loss"));
    cli_figs_add(&f, "value added loss", u, "%.6g", jnum(sj, "value_added_loss"));
    cli_figs_add(&f, "final demand unmet", u, "%.10g", jnum(sj, "final_demand_unmet_total"));
    cli_figs_add(&f, "min total production ratio", "", "%.16g", jnum(sj, "min_total_production_ratio"));
    cli_figs_add(&f, "min total production step", "step", "%lld", (long long)jnum(sj, "min_total_production_step"));
    cli_figs_add(&f, "had shortage", "", "%s", json_is_true(json_object_get(sj, "had_shortage")) ? "true" : "false");
    if (format != CLI_FMT_TABLE) {
        cli_figs_add(&f, "outputs", "", "%s", out);
        if (res->store_id) {
            cli_figs_add(&f, "store run", "", "%lld", res->store_id);
            cli_figs_add(&f, "store", "", "%s", res->store_path);
        }
    }
    cli_figs_print(&f, format, stdout);
    if (format == CLI_FMT_TABLE) {
        printf("\noutputs  %s\n", out);
        if (res->store_id) printf("stored   run %lld in %s\n", res->store_id, res->store_path);
    }
    cli_figs_free(&f);
    json_decref(sj);
    return EXIT_OK;
}

/* Parse the arguments, run the scenario, summarise. */
static int run(int argc, char **argv)
{
    cli_run_opts o = {.cmd = "run", .steps = -1, .store = 1, .load = cp_load_opts_default()};
    const char *scn_path = NULL;
    int format = CLI_FMT_TABLE;
    for (int i = 1; i < argc; i++) {
        int f = cli_load_flag("run", argc, argv, &i, &o.load);
        if (f < 0) return EXIT_INPUT;
        if (f) continue;
        if (!strcmp(argv[i], "--out")) {
            if (i + 1 >= argc) return cli_usage("run", "--out needs a directory");
            o.out = argv[++i];
        } else if (!strcmp(argv[i], "--table")) {
            if (i + 1 >= argc) return cli_usage("run", "--table needs a table");
            o.table = argv[++i];
        } else if (!strcmp(argv[i], "--steps")) {
            double v;
            if (i + 1 >= argc || cp_parse_double(argv[i + 1], &v) || v < 1 || v > 1e8 || v != (long)v)
                return cli_usage("run", "--steps needs a whole number >= 1");
            o.steps = (long)v;
            i++;
        } else if (!strcmp(argv[i], "--store")) {
            o.store = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-' && scn_path) o.store_path = argv[++i];
        } else if (!strcmp(argv[i], "--no-store")) {
            o.store = 0;
        } else if (!strcmp(argv[i], "--format")) {
            if (i + 1 >= argc) return cli_usage("run", "--format needs table, csv or json");
            if ((format = cli_format_parse("run", argv[++i])) < 0) return EXIT_INPUT;
        } else if (argv[i][0] == '-') return cli_usage("run", "unknown option '%s'", argv[i]);
        else if (scn_path) return cli_usage("run", "one SCENARIO only (got '%s' and '%s'); hint: `chokepoint compare` runs several", scn_path, argv[i]);
        else scn_path = argv[i];
    }
    if (!scn_path) return cli_usage("run", "missing SCENARIO.yaml");
    if (!o.out) return cli_usage("run", "missing --out DIR");
    o.progress = cli_progress_wanted();
    cli_run_result res;
    int rc = cli_run_scenario(scn_path, &o, &res);
    if (rc) return rc;
    rc = print_summary(o.out, &res, format);
    if (rc == EXIT_OK && format == CLI_FMT_TABLE) rc = cli_case_print_dir(o.out, stdout);
    return rc;
}

const cli_cmd cmd_run_def = {"run", "run a dynamic scenario (ARIO) and write its outputs", help, run};
