/*
 * case.c — the export-control case end to end for the CLI: scenario ->
 * table (scaled to the price year) -> controls -> ARIO -> case figures,
 * and the terminal summary printed by `run` and `main`.
 */
#include "case.h"

#include <jansson.h>
#include <math.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Case figures of a finished run; see case.h. */
int cli_case_results(const cp_scn *s, const cp_table *t, const cp_res_run *rec,
                     const cp_ctl_model *cm, const cp_ctl_result *cr, cp_res_case *res,
                     cp_error *err)
{
    long d0 = CP_CTL_DAY_MIN;
    if (s->start_date && s->ario.temporal_units_by_step == 1 && cp_ctl_date_parse(s->start_date, &d0))
        d0 = CP_CTL_DAY_MIN;
    int rc = cp_res_case_compute(res, t, rec, d0, cm, cr, cp_scn_price_year(s, t), err);
    if (rc) return rc;
    res->scale_factor = cp_scn_scale_factor(s);
    int mo, bi;
    cp_scn_case_outputs(s, &mo, &bi);
    res->no_monthly_csv = !mo;
    res->no_by_industry_csv = !bi;
    return 0;
}

/* Run a scenario end to end; see case.h. */
int cli_case_eval(cli_case *k, const char *scn_path, double crit_scale, cp_error *err)
{
    memset(k, 0, sizeof *k);
    int rc = cp_scn_load(&k->s, scn_path, err);
    if (rc) return rc;
    k->have_s = 1;
    if (crit_scale > 0) cp_scn_set_criticality_scale(&k->s, crit_scale);
    char tp[4096];
    cp_load_opts lo = cp_load_opts_default();
    if ((rc = cp_table_open(&k->t, cli_table_path(k->s.table_path, tp, sizeof tp), &lo, err))) return rc;
    if ((rc = cp_scn_economy_apply(&k->s, k->t, err))) return rc;
    if ((rc = cp_scn_controls_run(&k->s, k->t, &k->cm, &k->cr, err))) return rc;
    if ((rc = cp_scn_build_ario(&k->s, k->t, &k->m, err))) return rc;
    if ((rc = cp_scn_controls_couple(k->cm, k->cr, k->t, k->m, err))) return rc;
    if ((rc = cp_res_run_init(&k->rec, k->s.ario.steps, k->t->n, k->t->nfd, cp_ario_nproducts(k->m), 0, err))) return rc;
    if ((rc = cp_res_run_ario(k->m, 0, &k->rec, NULL, NULL, err))) return rc;
    return cli_case_results(&k->s, k->t, &k->rec, k->cm, k->cr, &k->res, err);
}

/* Release a case run. */
void cli_case_free(cli_case *k)
{
    cp_res_case_free(&k->res);
    cp_res_run_free(&k->rec);
    cp_ario_free(k->m);
    cp_ctl_result_free(k->cr);
    cp_ctl_model_free(k->cm);
    cp_table_free(k->t);
    if (k->have_s) cp_scn_free(&k->s);
    memset(k, 0, sizeof *k);
}

/* Add the scenario's name and its controls to summary.json; see case.h. */
int cli_case_write(const char *dir, const cp_scn *s, const cp_table *t, const cp_ctl_model *cm,
                   const cp_ctl_result *cr, const cp_res_case *res, cp_error *err)
{
    int rc = cp_out_case_write(dir, t, res, err);
    if (rc || !cm || !cr) return rc;
    if ((rc = cp_out_ctl_ledgers(dir, cm, cr, err))) return rc;
    char p[4200], d1[16], d2[16];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *o = json_load_file(p, JSON_PRESERVE_ORDER, &je);
    if (!o) return cp_error_at(err, CP_EIO, p, je.line, je.column, "cannot read the summary back: %s", je.text);
    json_object_set_new(o, "scenario_name", json_string(s->name ? s->name : s->path));
    json_object_set_new(o, "start_date", s->start_date ? json_string(s->start_date) : json_null());
    json_t *c = json_object(), *rg = json_array(), *ma = json_array();
    json_object_set_new(c, "criticality_scale", json_real(cp_scn_criticality_scale(s)));
    for (size_t r = 0; r < cm->nregimes; r++) {
        const cp_ctl_regime *g = &cm->regime[r];
        if (g->start_day >= cr->start_day + (long)cr->nsteps || g->end_day <= cr->start_day) continue;
        json_t *e = json_object();
        cp_ctl_date_format(g->start_day, d1, sizeof d1);
        cp_ctl_date_format(g->end_day, d2, sizeof d2);
        json_object_set_new(e, "name", json_string(g->name));
        json_object_set_new(e, "exporter", json_string(g->exporter));
        json_object_set_new(e, "importer", json_string(g->nimporters ? g->importers[0] : ""));
        json_object_set_new(e, "items", json_integer((json_int_t)g->nitems));
        json_object_set_new(e, "start", json_string(d1));
        json_object_set_new(e, "end", g->end_day >= CP_CTL_DAY_MAX ? json_null() : json_string(d2));
        json_object_set_new(e, "approval_share", json_real(g->phase[0].approval_share));
        json_object_set_new(e, "review_working_days", json_integer(g->phase[0].review_working_days));
        json_object_set_new(e, "phases", json_integer((json_int_t)g->nphases));
        json_array_append_new(rg, e);
    }
    for (size_t k = 0; k < cr->nmat; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "element", json_string(cm->supply[k].element));
        json_object_set_new(e, "controlled", json_boolean(res->mat_controlled[k]));
        long ds[3] = {cr->trigger_day[k], cr->inventory_empty_day[k], cr->stockpile_empty_day[k]};
        static const char *const nm[3] = {"first_controlled", "inventories_empty", "stockpile_empty"};
        for (int q = 0; q < 3; q++) {
            cp_ctl_date_format(ds[q], d1, sizeof d1);
            json_object_set_new(e, nm[q], ds[q] >= CP_CTL_DAY_MAX || ds[q] <= CP_CTL_DAY_MIN ? json_null() : json_string(d1));
        }
        json_array_append_new(ma, e);
    }
    json_object_set_new(c, "regimes", rg);
    json_object_set_new(c, "materials", ma);
    json_object_set_new(o, "controls", c);
    rc = json_dump_file(o, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (rc) return cp_error_at(err, CP_EIO, p, 0, 0, "cannot write summary: %s", strerror(errno));
    return 0;
}

/* A number with thousands separators and d decimals into buf. */
static const char *grp(char *buf, size_t cap, double v, int d)
{
    char t[64];
    snprintf(t, sizeof t, "%.*f", d, fabs(v));
    char *dot = strchr(t, '.');
    size_t il = dot ? (size_t)(dot - t) : strlen(t);
    size_t o = 0;
    if (v < 0 && o + 1 < cap) buf[o++] = '-';
    for (size_t i = 0; i < il && o + 2 < cap; i++) {
        if (i && (il - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = t[i];
    }
    for (const char *p = dot; p && *p && o + 1 < cap; p++) buf[o++] = *p;
    buf[o] = 0;
    return buf;
}

/* A number member (NaN when missing). */
static double jdbl(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A string member ("" when missing). */
static const char *js(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

/* dir/summary.json, or NULL with the error printed; see case.h. */
json_t *cli_summary_read(const char *dir, int *status)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *o = json_load_file(p, 0, &je);
    if (!o) {
        cp_error err;
        cp_error_at(&err, CP_EIO, p, je.line, je.column, "cannot read the summary back: %s", je.text);
        *status = cli_fail(&err);
    }
    return o;
}

/* The terminal summary from summary.json; see case.h. */
int cli_case_print_dir(const char *dir, FILE *f)
{
    char a[64], b[64], nm[64];
    int status;
    json_t *o = cli_summary_read(dir, &status);
    if (!o) return status;
    json_t *ctl = json_object_get(o, "controls"), *g = json_object_get(o, "gdp_loss");
    json_t *ec = json_object_get(o, "economy");
    if (!json_is_object(ctl) || !json_is_object(g) || !json_is_object(ec)) { json_decref(o); return EXIT_OK; }
    const char *u = js(g, "unit");
    int py = (int)jdbl(g, "price_year");
    json_t *tb = json_object_get(o, "table");
    fprintf(f, "\n== %s ==\n", js(o, "scenario_name"));
    double sf = jdbl(ec, "scale_factor");
    fprintf(f, "economy   %s (%d structure) at %d prices: every flow x %.4f; GDP %s %s\n", js(tb, "name"),
            (int)jdbl(tb, "year"), py, sf, grp(a, sizeof a, jdbl(ec, "gdp"), 0), u);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(ctl, "regimes"), i, e) {
        double ap = jdbl(e, "approval_share");
        fprintf(f, "regime    %s: %s -> %s, %lld items, %s to %s, approval %.0f %%, review %lld working days%s\n",
                js(e, "name"), js(e, "exporter"), js(e, "importer"), (long long)jdbl(e, "items"),
                js(e, "start"), json_is_null(json_object_get(e, "end")) ? "open end" : js(e, "end"),
                100 * ap, (long long)jdbl(e, "review_working_days"), jdbl(e, "phases") > 1 ? ", then changes" : "");
    }
    double crit = jdbl(ctl, "criticality_scale");
    if (crit != 1.0) fprintf(f, "calibrated criticality multiplier %.4g\n", crit);
    fprintf(f, "horizon   %lld days from %s\n\n", (long long)jdbl(o, "steps"),
            json_is_string(json_object_get(o, "start_date")) ? js(o, "start_date") : "step 0");
    fprintf(f, "GDP loss (value added lost over the horizon)  %10s %s at %d prices = %.3f %% of annual GDP\n",
            grp(a, sizeof a, jdbl(g, "value"), 1), u, py, jdbl(o, "gdp_loss_pct"));
    fprintf(f, "gross output lost                             %10s %s\n\n", grp(a, sizeof a, jdbl(o, "production_loss"), 1), u);
    fprintf(f, "Ten worst-hit industries, by value added lost\n");
    fprintf(f, "  #  code  %-46s %10s  %11s  %11s\n", "industry", "VA loss", "output loss", "output loss");
    fprintf(f, "            %-46s %10s  %11s  %11s\n", "", u, u, "% of output");
    json_array_foreach(json_object_get(o, "by_industry"), i, e) {
        if (i >= 10) break;
        snprintf(nm, sizeof nm, "%s", js(e, "name"));
        if (strlen(nm) > 46) { nm[45] = '~'; nm[46] = 0; }
        fprintf(f, " %2zu  %-4s  %-46s %10s  %11s  %11.2f\n", i + 1, js(e, "sector"), nm,
                grp(a, sizeof a, jdbl(e, "value_added_loss"), 1), grp(b, sizeof b, jdbl(e, "output_loss"), 1),
                jdbl(e, "output_loss_pct"));
    }
    const char *els[CP_CTL_MAX_LIST];
    size_t ne = 0;
    json_array_foreach(json_object_get(ctl, "materials"), i, e)
        if (json_is_true(json_object_get(e, "controlled")) && ne < CP_CTL_MAX_LIST) els[ne++] = js(e, "element");
    fprintf(f, "\nMonthly timeline: controlled materials' availability (%% of need met) and losses\n");
    fprintf(f, "month    days");
    for (size_t k = 0; k < ne; k++) fprintf(f, " %4s", els[k]);
    fprintf(f, "   output loss     VA loss  output loss\n             ");
    for (size_t k = 0; k < ne; k++) fprintf(f, " %4s", "%");
    fprintf(f, "   %11s  %10s  %% of output\n", u, u);
    json_array_foreach(json_object_get(o, "monthly"), i, e) {
        fprintf(f, "%-7s  %4lld", js(e, "month"), (long long)jdbl(e, "days"));
        json_t *av = json_object_get(e, "availability");
        for (size_t k = 0; k < ne; k++) fprintf(f, " %4.0f", 100 * jdbl(av, els[k]));
        fprintf(f, "   %11s  %10s  %11.3f\n", grp(a, sizeof a, jdbl(e, "output_loss"), 1),
                grp(b, sizeof b, jdbl(e, "value_added_loss"), 1), jdbl(e, "output_loss_pct"));
    }
    json_decref(o);
    return EXIT_OK;
}
