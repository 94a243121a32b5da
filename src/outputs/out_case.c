/*
 * out_case.c — the case files of a run's output directory
 * (docs/outputs.md): by_industry.csv (industries by value-added loss),
 * monthly.csv (output and value-added loss and the materials'
 * availability per calendar month), and the GDP figures, by_industry and
 * monthly added to summary.json, which cp_out_run_write wrote before.
 */
#include "chokepoint.h"
#include "core/numfmt.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest of %.15g/%.17g that reads back to the same double. */
static void fmt(char *buf, size_t cap, double v)
{
    if (!isfinite(v)) { snprintf(buf, cap, "%s", ""); return; }
    cp_num_format(v, buf, cap);   /* %.15g if it reads back, else %.17g (core/numfmt.c) */
}

/* A CSV field, quoted when needed. */
static void field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) { if (*s == '"') fputc('"', f); fputc(*s, f); }
        fputc('"', f);
    } else fputs(s, f);
}

/* Close a written file, turning a late error into CP_EIO. */
static int done_file(FILE *f, const char *path, cp_error *err)
{
    int bad = ferror(f);
    if (fclose(f) || bad) return cp_error_at(err, CP_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return 0;
}

/* by_industry.csv. */
static int write_by_industry(const char *path, const cp_table *t, const cp_res_case *c, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("rank,region,sector,name,output_loss,value_added_loss,output_loss_pct\n", f);
    char a[40], b[40], p[40];
    for (size_t r = 0; r < c->n; r++) {
        size_t i = c->order[r];
        fprintf(f, "%zu,", r + 1);
        field(f, t->region[i]); fputc(',', f);
        field(f, t->sector[i]); fputc(',', f);
        field(f, t->sector_name && t->sector_name[i] ? t->sector_name[i] : t->sector[i]);
        fmt(a, sizeof a, c->ind_output_loss[i]);
        fmt(b, sizeof b, c->ind_va_loss[i]);
        fmt(p, sizeof p, c->ind_output_loss_pct[i]);
        fprintf(f, ",%s,%s,%s\n", a, b, p);
    }
    return done_file(f, path, err);
}

/* monthly.csv. */
static int write_monthly(const char *path, const cp_res_case *c, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("month,days,output_loss,value_added_loss,output_loss_pct", f);
    for (size_t k = 0; k < c->nmat; k++) fprintf(f, ",availability_%s", c->mat[k]);
    fputc('\n', f);
    char a[40], b[40], p[40];
    for (size_t q = 0; q < c->nmonths; q++) {
        fmt(a, sizeof a, c->month_output_loss[q]);
        fmt(b, sizeof b, c->month_va_loss[q]);
        fmt(p, sizeof p, c->month_output_loss_pct[q]);
        fprintf(f, "%s,%ld,%s,%s,%s", c->month[q], c->month_days[q], a, b, p);
        for (size_t k = 0; k < c->nmat; k++) {
            fmt(a, sizeof a, c->month_avail[q * c->nmat + k]);
            fprintf(f, ",%s", a);
        }
        fputc('\n', f);
    }
    return done_file(f, path, err);
}

/* Append one `material_availability` series per controlled material to
 * timeseries.csv (written before, by cp_out_run_write): the share of the
 * day's need that was met, used_t / need_t (1 when nothing is needed), with
 * the region column empty and the element in the sector column
 * (docs/outputs.md).  Only materials some regime controls before the run
 * ends are written: the others stay at 1 and would only crowd the chart.  Kept in the long file so that the run store and the
 * report see the material timeline beside the output loss. */
static int append_availability(const char *dir, const cp_ctl_model *m, const cp_ctl_result *r,
                               cp_error *err)
{
    char p[4096], d[16], v[40];
    snprintf(p, sizeof p, "%s/timeseries.csv", dir);
    FILE *f = fopen(p, "a");
    if (!f) return cp_error_at(err, CP_EIO, p, 0, 0, "cannot append: %s", strerror(errno));
    for (size_t t = 0; t < r->nsteps; t++) {
        cp_ctl_date_format(r->start_day + (long)t, d, sizeof d);
        for (size_t k = 0; k < r->nmat && k < m->nsupply; k++) {
            if (r->trigger_day[k] >= r->start_day + (long)r->nsteps) continue;
            double need = r->need_t[t * r->nmat + k], used = r->used_t[t * r->nmat + k];
            double a = need > 0 ? used / need : 1.0;
            if (a > 1) a = 1;
            if (a < 0) a = 0;
            fmt(v, sizeof v, a);
            fprintf(f, "%zu,%s,,%s,material_availability,%s\n", t, d, m->supply[k].element, v);
        }
    }
    return done_file(f, p, err);
}

/* materials.csv: the controls' daily ledgers; see chokepoint.h. */
int cp_out_ctl_ledgers(const char *dir, const cp_ctl_model *m, const cp_ctl_result *r,
                       cp_error *err)
{
    char p[4096], d[16], v[40];
    snprintf(p, sizeof p, "%s/materials.csv", dir);
    FILE *f = fopen(p, "w");
    if (!f) return cp_error_at(err, CP_EIO, p, 0, 0, "cannot write: %s", strerror(errno));
    static const char *const names[] = {"need_t", "exporter_t", "other_t", "used_t", "inventory_t",
                                        "stockpile_t", "release_t", "shortfall_t"};
    const double *arr[] = {r->need_t, r->exporter_t, r->other_t, r->used_t, r->inventory_t,
                           r->stockpile_t, r->release_t, r->shortfall_t};
    fputs("step,date,element,variable,value\n", f);
    for (size_t t = 0; t < r->nsteps; t++) {
        cp_ctl_date_format(r->start_day + (long)t, d, sizeof d);
        for (size_t k = 0; k < r->nmat && k < m->nsupply; k++)
            for (size_t q = 0; q < sizeof names / sizeof *names; q++) {
                fmt(v, sizeof v, arr[q][t * r->nmat + k]);
                fprintf(f, "%zu,%s,%s,%s,%s\n", t, d, m->supply[k].element, names[q], v);
            }
    }
    int rc = done_file(f, p, err);
    return rc ? rc : append_availability(dir, m, r, err);
}

/* Write the case files and extend summary.json; see chokepoint.h. */
int cp_out_case_write(const char *dir, const cp_table *t, const cp_res_case *c, cp_error *err)
{
    char p[4096];
    int rc;
    snprintf(p, sizeof p, "%s/by_industry.csv", dir);
    if (!c->no_by_industry_csv && (rc = write_by_industry(p, t, c, err))) return rc;
    snprintf(p, sizeof p, "%s/monthly.csv", dir);
    if (!c->no_monthly_csv && (rc = write_monthly(p, c, err))) return rc;
    snprintf(p, sizeof p, "%s/summary.json", dir);
    json_error_t je;
    json_t *o = json_load_file(p, JSON_PRESERVE_ORDER, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return cp_error_at(err, CP_EIO, p, je.line, je.column, "cannot read the run summary: %s; hint: write the run outputs first", je.text);
    }
    const char *unit = t->unit ? t->unit : "";
    json_object_set_new(o, "price_year", json_integer(c->price_year));
    json_t *ec = json_object();
    json_object_set_new(ec, "gdp", json_real(c->gdp));
    json_object_set_new(ec, "unit", json_string(unit));
    json_object_set_new(ec, "price_year", json_integer(c->price_year));
    json_object_set_new(ec, "scale_factor", json_real(c->scale_factor));
    json_object_set_new(ec, "gdp_definition", json_string("value added incl. household consumption outside households (MIC ohcr) plus net indirect taxes: cp_table_gdp"));
    json_object_set_new(o, "economy", ec);
    json_t *g = json_object();
    json_object_set_new(g, "value", json_real(c->gdp_loss));
    json_object_set_new(g, "unit", json_string(unit));
    json_object_set_new(g, "price_year", json_integer(c->price_year));
    json_object_set_new(g, "definition", json_string("value added lost over the horizon: sum over steps and industries of va_i/x_i x lost production"));
    json_object_set_new(o, "gdp_loss", g);
    json_object_set_new(o, "gdp_loss_pct", json_real(c->gdp_loss_pct));
    json_t *bi = json_array();
    for (size_t r = 0; r < c->n; r++) {
        size_t i = c->order[r];
        json_t *e = json_object();
        json_object_set_new(e, "rank", json_integer((json_int_t)r + 1));
        json_object_set_new(e, "region", json_string(t->region[i]));
        json_object_set_new(e, "sector", json_string(t->sector[i]));
        json_object_set_new(e, "name", json_string(t->sector_name && t->sector_name[i] ? t->sector_name[i] : t->sector[i]));
        json_object_set_new(e, "output_loss", json_real(c->ind_output_loss[i]));
        json_object_set_new(e, "value_added_loss", json_real(c->ind_va_loss[i]));
        json_object_set_new(e, "output_loss_pct", json_real(c->ind_output_loss_pct[i]));
        json_array_append_new(bi, e);
    }
    json_object_set_new(o, "by_industry", bi);
    json_t *mo = json_array();
    for (size_t q = 0; q < c->nmonths; q++) {
        json_t *e = json_object();
        json_object_set_new(e, "month", json_string(c->month[q]));
        json_object_set_new(e, "days", json_integer(c->month_days[q]));
        json_object_set_new(e, "output_loss", json_real(c->month_output_loss[q]));
        json_object_set_new(e, "value_added_loss", json_real(c->month_va_loss[q]));
        json_object_set_new(e, "output_loss_pct", json_real(c->month_output_loss_pct[q]));
        json_t *av = json_object();
        for (size_t k = 0; k < c->nmat; k++)
            json_object_set_new(av, c->mat[k], json_real(c->month_avail[q * c->nmat + k]));
        json_object_set_new(e, "availability", av);
        json_array_append_new(mo, e);
    }
    json_object_set_new(o, "monthly", mo);
    rc = json_dump_file(o, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (rc) return cp_error_at(err, CP_EIO, p, 0, 0, "cannot write summary: %s", strerror(errno));
    return 0;
}
