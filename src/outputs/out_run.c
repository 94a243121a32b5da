/*
 * out_run.c — the files of a run's output directory (docs/outputs.md):
 * wide CSVs with `step` then one column per `region/sector` (sorted
 * alphabetically by region, then sector, as BoARIO writes them), the long
 * timeseries.csv, summary.json and scenario.resolved.yaml.
 */
#include "chokepoint.h"
#include "core/numfmt.h"
#include "core/civil.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Shortest of %.15g/%.17g that reads back to the same double. */
static void fmt_num(char *buf, size_t cap, double v)
{
    if (!isfinite(v)) { snprintf(buf, cap, "%s", ""); return; }
    cp_num_format(v, buf, cap);   /* %.15g if it reads back, else %.17g (core/numfmt.c) */
}

/* mkdir -p. */
int cp_out_mkdirs(const char *dir, cp_error *err)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return cp_error_at(err, CP_EINPUT, dir, 0, 0, "path too long");
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) && errno != EEXIST)
            return cp_error_at(err, CP_EIO, p, 0, 0, "cannot create directory: %s", strerror(errno));
        *s = '/';
    }
    if (mkdir(p, 0777) && errno != EEXIST)
        return cp_error_at(err, CP_EIO, p, 0, 0, "cannot create directory: %s; hint: check --out", strerror(errno));
    struct stat st;
    if (stat(p, &st) || !S_ISDIR(st.st_mode))
        return cp_error_at(err, CP_EIO, p, 0, 0, "exists and is not a directory; hint: choose another --out");
    return 0;
}

/* Comparison context for sorting labels. */
typedef struct sort_item { const char *a, *b; size_t i; } sort_item;

/* Byte-wise (region, label) order, then original index. */
static int cmp_item(const void *x, const void *y)
{
    const sort_item *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    if (!c) c = strcmp(p->b, q->b);
    if (!c) c = (p->i > q->i) - (p->i < q->i);
    return c;
}

/* Indices sorted by (region, label). */
int cp_out_sorted_index(size_t n, const char *const *region, const char *const *label,
                        size_t *idx, cp_error *err)
{
    sort_item *it = malloc((n ? n : 1) * sizeof *it);
    if (!it) return cp_error_set(err, CP_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        it[i].a = region[i] ? region[i] : "";
        it[i].b = label[i] ? label[i] : "";
        it[i].i = i;
    }
    qsort(it, n, sizeof *it, cmp_item);
    for (size_t i = 0; i < n; i++) idx[i] = it[i].i;
    free(it);
    return 0;
}

/* Write a CSV field, quoted when it needs to be. */
static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) { if (*s == '"') fputc('"', f); fputc(*s, f); }
        fputc('"', f);
    } else fputs(s, f);
}

/* Close a file we wrote, turning a late write error into CP_EIO. */
static int close_checked(FILE *f, const char *path, cp_error *err)
{
    int bad = ferror(f);
    if (fclose(f) || bad) return cp_error_at(err, CP_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return 0;
}

/* One wide CSV. */
int cp_out_wide_csv(const char *path, size_t steps, size_t ncols, const char *const *labels,
                    const size_t *idx, const double *vals, size_t stride, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("step", f);
    for (size_t c = 0; c < ncols; c++) { fputc(',', f); csv_field(f, labels[idx[c]]); }
    fputc('\n', f);
    /* each row built in memory (a number is at most 24 characters) and
     * written at once */
    char *line = malloc(ncols * 26 + 80);
    if (!line) {
        fclose(f);
        return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    for (size_t s = 0; s < steps; s++) {
        char *o = line + snprintf(line, 32, "%zu", s);
        for (size_t c = 0; c < ncols; c++) {
            *o++ = ',';
            fmt_num(o, 40, vals[s * stride + idx[c]]);
            o += strlen(o);
        }
        *o++ = '\n';
        fwrite(line, 1, (size_t)(o - line), f);
    }
    free(line);
    return close_checked(f, path, err);
}

/* Join dir and name. */
static const char *path_in(char *buf, size_t cap, const char *dir, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

/* summary.json. */
static int write_summary(const char *path, const cp_table *t, const cp_res_run *r,
                         const cp_out_run_info *info, cp_error *err)
{
    cp_res_totals tot;
    size_t n = r->n;
    double *bl = calloc(n ? n : 1, sizeof *bl), *bv = calloc(n ? n : 1, sizeof *bv);
    if (!bl || !bv) { free(bl); free(bv); return cp_error_set(err, CP_ENOMEM, "out of memory"); }
    cp_res_totals_of(r, &tot, bl, bv);
    const char *unit = t->unit ? t->unit : "";
    const char *su = info && info->step_unit ? info->step_unit : "day";
    char ups[256];
    snprintf(ups, sizeof ups, "%s per %s", unit, su);
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_string("chokepoint-run"));
    json_object_set_new(o, "schema_version", json_integer(1));
    json_object_set_new(o, "chokepoint_version", json_string(CP_VERSION));
    json_object_set_new(o, "scenario", info && info->scenario_path ? json_string(info->scenario_path) : json_null());
    json_t *tb = json_object();
    json_object_set_new(tb, "name", json_string(t->name ? t->name : ""));
    json_object_set_new(tb, "unit", json_string(unit));
    json_object_set_new(tb, "year", json_integer(t->year));
    json_object_set_new(tb, "path", info && info->table_path ? json_string(info->table_path) : json_null());
    json_object_set_new(o, "table", tb);
    json_object_set_new(o, "model", json_string("ario"));
    json_object_set_new(o, "steps", json_integer((json_int_t)r->done));
    json_object_set_new(o, "step_unit", json_string(su));
    json_object_set_new(o, "unit_per_step", json_string(ups));
    json_object_set_new(o, "production_loss", json_real(tot.production_loss));
    json_object_set_new(o, "value_added_loss", json_real(tot.value_added_loss));
    json_object_set_new(o, "final_demand_unmet_total", json_real(tot.fd_unmet_total));
    json_object_set_new(o, "min_total_production_ratio", json_real(tot.min_total_production_ratio));
    json_object_set_new(o, "min_total_production_step", json_integer(tot.min_step));
    json_object_set_new(o, "had_shortage", json_boolean(tot.had_shortage));
    json_t *bs = json_array();
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (idx && !cp_out_sorted_index(n, (const char *const *)t->region, (const char *const *)t->sector, idx, err))
        for (size_t c = 0; c < n; c++) {
            size_t i = idx[c];
            json_t *e = json_object();
            json_object_set_new(e, "region", json_string(t->region[i]));
            json_object_set_new(e, "sector", json_string(t->sector[i]));
            json_object_set_new(e, "production_loss", json_real(bl[i]));
            json_object_set_new(e, "value_added_loss", json_real(bv[i]));
            json_array_append_new(bs, e);
        }
    json_object_set_new(o, "by_sector", bs);
    free(idx); free(bl); free(bv);
    int rc = json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (rc) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write summary: %s", strerror(errno));
    return 0;
}

/* timeseries.csv (long). */
static int write_long(const char *path, const cp_table *t, const cp_res_run *r, const size_t *idx,
                      const cp_out_run_info *info, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("step,date,region,sector,variable,value\n", f);
    static const char *const var[] = {"production_realised", "production_capacity", "final_demand_unmet", "value_added"};
    const double *arr[] = {r->production, r->capacity, r->fd_unmet, r->value_added};
    long d0 = 0;
    int have_date = 0;
    if (info && info->start_date) {
        int y, m, d;
        if (sscanf(info->start_date, "%d-%d-%d", &y, &m, &d) == 3) { d0 = cp_days_from_civil(y, m, d); have_date = 1; }
    }
    int sd = info && info->step_days > 0 ? info->step_days : 1;
    /* "region,sector" of each industry as CSV fields, once (csv_field into
     * memory), so a row is copied together and written at once */
    char **rs = calloc(r->n ? r->n : 1, sizeof *rs);
    size_t *rsl = calloc(r->n ? r->n : 1, sizeof *rsl), maxl = 0;
    int rc = rs && rsl ? 0 : CP_ENOMEM;
    for (size_t i = 0; i < r->n && !rc; i++) {
        FILE *m = open_memstream(&rs[i], &rsl[i]);
        if (!m) { rc = CP_ENOMEM; break; }
        csv_field(m, t->region[i]);
        fputc(',', m);
        csv_field(m, t->sector[i]);
        if (fclose(m)) rc = CP_ENOMEM;
        else if (rsl[i] > maxl) maxl = rsl[i];
    }
    char *line = rc ? NULL : malloc(maxl + 128);
    if (!line) {
        if (rs) for (size_t i = 0; i < r->n; i++) free(rs[i]);
        free(rs);
        free(rsl);
        fclose(f);
        return cp_error_set(err, CP_ENOMEM, "out of memory");
    }
    char date[16] = "";
    for (size_t s = 0; s < r->done; s++) {
        if (have_date) {
            int y, m, d;
            cp_civil_from_days(d0 + (long)s * sd, &y, &m, &d);
            snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        }
        char pre[48];
        int pl = snprintf(pre, sizeof pre, "%zu,%s,", s, date);
        for (size_t c = 0; c < r->n; c++) {
            size_t i = idx[c];
            for (int v = 0; v < 4; v++) {
                char *o = line;
                memcpy(o, pre, (size_t)pl);
                o += pl;
                memcpy(o, rs[i], rsl[i]);
                o += rsl[i];
                *o++ = ',';
                size_t vl = strlen(var[v]);
                memcpy(o, var[v], vl);
                o += vl;
                *o++ = ',';
                fmt_num(o, 40, arr[v][s * r->n + i]);
                o += strlen(o);
                *o++ = '\n';
                fwrite(line, 1, (size_t)(o - line), f);
            }
        }
    }
    for (size_t i = 0; i < r->n; i++) free(rs[i]);
    free(rs);
    free(rsl);
    free(line);
    return close_checked(f, path, err);
}

/* limiting_input.csv: the limiting product's label, empty if none. */
static int write_limiting(const char *path, const cp_table *t, const cp_res_run *r,
                          const char *const *labels, const size_t *idx,
                          const cp_out_run_info *info, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    (void)t;
    fputs("step", f);
    for (size_t c = 0; c < r->n; c++) { fputc(',', f); csv_field(f, labels[idx[c]]); }
    fputc('\n', f);
    for (size_t s = 0; s < r->done; s++) {
        fprintf(f, "%zu", s);
        for (size_t c = 0; c < r->n; c++) {
            int l = r->limiting[s * r->n + idx[c]];
            fputc(',', f);
            if (l >= 0 && info && info->prod_labels && (size_t)l < info->nprod) csv_field(f, info->prod_labels[l]);
        }
        fputc('\n', f);
    }
    return close_checked(f, path, err);
}

/* inventories.csv (long, when recorded): step,region,sector,product,value. */
static int write_inventories(const char *path, const cp_table *t, const cp_res_run *r,
                             const size_t *idx, const cp_out_run_info *info, cp_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("step,region,sector,product,value\n", f);
    char nb[40];
    for (size_t s = 0; s < r->done; s++)
        for (size_t c = 0; c < r->n; c++)
            for (size_t p = 0; p < r->nprod; p++) {
                size_t i = idx[c];
                double v = r->inventories[(s * r->nprod + p) * r->n + i];
                if (v == 0) continue;
                fmt_num(nb, sizeof nb, v);
                fprintf(f, "%zu,", s);
                csv_field(f, t->region[i]); fputc(',', f);
                csv_field(f, t->sector[i]); fputc(',', f);
                csv_field(f, info && info->prod_labels && p < info->nprod ? info->prod_labels[p] : "");
                fprintf(f, ",%s\n", nb);
            }
    return close_checked(f, path, err);
}

/* Every output file. */
int cp_out_run_write(const char *dir, const cp_table *t, const cp_res_run *r,
                     const cp_out_run_info *info, cp_error *err)
{
    int rc = cp_out_mkdirs(dir, err);
    if (rc) return rc;
    size_t n = r->n, nfd = r->nfd;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx), *fidx = malloc((nfd ? nfd : 1) * sizeof *fidx);
    char **lab = calloc(n ? n : 1, sizeof *lab), **flab = calloc(nfd ? nfd : 1, sizeof *flab);
    char p[4096];
    if (!idx || !fidx || !lab || !flab) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto done; }
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(t->region[i]) + strlen(t->sector[i]) + 2;
        if (!(lab[i] = malloc(l))) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto done; }
        snprintf(lab[i], l, "%s/%s", t->region[i], t->sector[i]);
    }
    for (size_t k = 0; k < nfd; k++) {
        const char *rg = t->fd_region[k] ? t->fd_region[k] : "", *ct = t->fd_category[k] ? t->fd_category[k] : "";
        size_t l = strlen(rg) + strlen(ct) + 2;
        if (!(flab[k] = malloc(l))) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto done; }
        snprintf(flab[k], l, "%s/%s", rg, ct);
    }
    if ((rc = cp_out_sorted_index(n, (const char *const *)t->region, (const char *const *)t->sector, idx, err))) goto done;
    if ((rc = cp_out_sorted_index(nfd, (const char *const *)t->fd_region, (const char *const *)t->fd_category, fidx, err))) goto done;
    const char *const *L = (const char *const *)lab;
    if ((rc = cp_out_wide_csv(path_in(p, sizeof p, dir, "production_realised.csv"), r->done, n, L, idx, r->production, n, err))) goto done;
    if ((rc = cp_out_wide_csv(path_in(p, sizeof p, dir, "production_capacity.csv"), r->done, n, L, idx, r->capacity, n, err))) goto done;
    if ((rc = cp_out_wide_csv(path_in(p, sizeof p, dir, "value_added.csv"), r->done, n, L, idx, r->value_added, n, err))) goto done;
    if ((rc = cp_out_wide_csv(path_in(p, sizeof p, dir, "final_demand_unmet.csv"), r->done, nfd, (const char *const *)flab, fidx, r->fd_unmet_cols, nfd, err))) goto done;
    if ((rc = cp_out_wide_csv(path_in(p, sizeof p, dir, "final_demand_unmet_by_industry.csv"), r->done, n, L, idx, r->fd_unmet, n, err))) goto done;
    if ((rc = write_limiting(path_in(p, sizeof p, dir, "limiting_input.csv"), t, r, L, idx, info, err))) goto done;
    if (r->inventories && (rc = write_inventories(path_in(p, sizeof p, dir, "inventories.csv"), t, r, idx, info, err))) goto done;
    if ((!info || info->timeseries) && (rc = write_long(path_in(p, sizeof p, dir, "timeseries.csv"), t, r, idx, info, err))) goto done;
    if (info && info->resolved_yaml) {
        FILE *f = fopen(path_in(p, sizeof p, dir, "scenario.resolved.yaml"), "w");
        if (!f) { rc = cp_error_at(err, CP_EIO, p, 0, 0, "cannot write: %s", strerror(errno)); goto done; }
        fputs(info->resolved_yaml, f);
        if ((rc = close_checked(f, p, err))) goto done;
    }
    rc = write_summary(path_in(p, sizeof p, dir, "summary.json"), t, r, info, err);
done:
    if (lab) for (size_t i = 0; i < n; i++) free(lab[i]);
    if (flab) for (size_t k = 0; k < nfd; k++) free(flab[k]);
    free(lab); free(flab); free(idx); free(fidx);
    return rc;
}
