/*
 * report.c — the self-contained HTML report of one run.
 *
 * The page is a template (web/report.html + web/report.js) with the
 * charting library (Chart.js, pinned in web/package-lock.json) inlined at
 * build time into report_assets.c.  This file reads a run — summary.json
 * and the long time series — condenses the series into what the charts
 * need, and writes template + library + data as one HTML file that opens
 * offline: no network, no external file (a Content-Security-Policy in the
 * template forbids both).
 *
 * Condensing, in one pass over the rows (docs/report.md):
 *   totals        per variable, the sum over industries at each step;
 *   availability  variables whose name contains "availab": one line per
 *                 (variable, region, sector), values as given (fractions);
 *   fans          variables named BASE_pNN (NN a percentile): per BASE and
 *                 NN, the sum over rows at each step;
 *   industries    from production_realised and value_added: per industry,
 *                 sum over steps of (value at the first step − value).
 * Only condensed data goes into the page, so its size is independent of
 * the number of industries times steps.
 */
#include "chokepoint.h"
#include "outputs/report_assets.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_STEP 10000000L  /* steps beyond this are refused (10 M days) */

/* One accumulated series: a key and values indexed by step. */
typedef struct acc {
    char *key;          /* map key, e.g. "t\x1fproduction_realised" */
    char *a, *b, *c;    /* variable/region/sector or base/percentile */
    double *v;          /* [cap] NaN where no row was seen */
    size_t cap;
    /* industries: first step seen, its value, sum and count */
    long first_step;
    double first, sum;
    long count;
} acc;

/* A string-keyed open-addressing map of accumulators. */
typedef struct map {
    acc *items;
    size_t n, cap;
    size_t *slot;       /* [nslot] index+1 into items, 0 = empty */
    size_t nslot;
} map;

/* Everything condensed from a run's rows. */
typedef struct condensed {
    map m;
    long min_step, max_step;   /* over all rows; min > max when none */
    char **dates;              /* [max_step+1] first date seen per step */
    size_t dates_cap;
    int oom;
} condensed;

/* FNV-1a hash of a string. */
static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Grow the slot table to twice its size and rehash. */
static int map_rehash(map *m)
{
    size_t ns = m->nslot ? 2 * m->nslot : 64;
    size_t *sl = calloc(ns, sizeof *sl);
    if (!sl) return CP_ENOMEM;
    for (size_t i = 0; i < m->n; i++) {
        size_t h = hash(m->items[i].key) & (ns - 1);
        while (sl[h]) h = (h + 1) & (ns - 1);
        sl[h] = i + 1;
    }
    free(m->slot);
    m->slot = sl;
    m->nslot = ns;
    return 0;
}

/* Find the accumulator for key, creating it (with labels a, b, c) when
 * missing.  Returns NULL on out-of-memory. */
static acc *map_get(map *m, const char *key, const char *a, const char *b, const char *c)
{
    if (2 * (m->n + 1) > m->nslot && map_rehash(m)) return NULL;
    size_t h = hash(key) & (m->nslot - 1);
    while (m->slot[h]) {
        acc *it = &m->items[m->slot[h] - 1];
        if (strcmp(it->key, key) == 0) return it;
        h = (h + 1) & (m->nslot - 1);
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? 2 * m->cap : 32;
        acc *ni = realloc(m->items, nc * sizeof *ni);
        if (!ni) return NULL;
        m->items = ni;
        m->cap = nc;
    }
    acc *it = &m->items[m->n];
    memset(it, 0, sizeof *it);
    it->key = strdup(key);
    it->a = strdup(a ? a : "");
    it->b = strdup(b ? b : "");
    it->c = strdup(c ? c : "");
    it->first_step = -1;
    if (!it->key || !it->a || !it->b || !it->c) {
        free(it->key); free(it->a); free(it->b); free(it->c);
        return NULL;
    }
    m->slot[h] = ++m->n;
    return it;
}

/* Free every accumulator and the map's tables. */
static void map_free(map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        acc *it = &m->items[i];
        free(it->key); free(it->a); free(it->b); free(it->c); free(it->v);
    }
    free(m->items);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

/* Add v at step to a per-step series (NaN cells become v). */
static int acc_add(acc *it, long step, double v)
{
    if ((size_t)step >= it->cap) {
        size_t nc = it->cap ? it->cap : 64;
        while (nc <= (size_t)step) nc *= 2;
        double *nv = realloc(it->v, nc * sizeof *nv);
        if (!nv) return CP_ENOMEM;
        for (size_t i = it->cap; i < nc; i++) nv[i] = NAN;
        it->v = nv;
        it->cap = nc;
    }
    it->v[step] = isnan(it->v[step]) ? v : it->v[step] + v;
    return 0;
}

/* Track an industry's first-step value and running sum. */
static void acc_industry(acc *it, long step, double v)
{
    if (it->first_step < 0 || step < it->first_step) {
        it->first_step = step;
        it->first = v;
    }
    it->sum += v;
    it->count++;
}

/* If var ends in _pNN (NN = 1–99), return NN and the base length. */
static int percentile_of(const char *var, size_t *baselen)
{
    size_t n = strlen(var);
    if (n < 5) return 0;
    const char *p = var + n - 4;
    if (p[0] == '_' && p[1] == 'p' && isdigit((unsigned char)p[2]) &&
        isdigit((unsigned char)p[3])) {
        *baselen = n - 4;
        return (p[2] - '0') * 10 + (p[3] - '0');
    }
    if (n >= 6 && var[n - 3] == '_' && var[n - 2] == 'p' && isdigit((unsigned char)var[n - 1])) {
        *baselen = n - 3;
        return var[n - 1] - '0';
    }
    return 0;
}

/* Remember the first date seen for a step. */
static int note_date(condensed *c, long step, const char *date)
{
    if (!date || !*date) return 0;
    if ((size_t)step >= c->dates_cap) {
        size_t nc = c->dates_cap ? c->dates_cap : 64;
        while (nc <= (size_t)step) nc *= 2;
        char **nd = realloc(c->dates, nc * sizeof *nd);
        if (!nd) return CP_ENOMEM;
        for (size_t i = c->dates_cap; i < nc; i++) nd[i] = NULL;
        c->dates = nd;
        c->dates_cap = nc;
    }
    if (!c->dates[step] && !(c->dates[step] = strdup(date))) return CP_ENOMEM;
    return 0;
}

/* Row callback: fold one series row into the condensed form. */
static int condense_row(void *ctx, const cp_store_row *r)
{
    condensed *c = ctx;
    if (r->step < 0 || r->step > MAX_STEP || isnan(r->value)) return 0;
    const char *var = r->variable;
    char key[1024];
    acc *it;
    int rc = 0;
    if (r->step < c->min_step) c->min_step = r->step;
    if (r->step > c->max_step) c->max_step = r->step;
    if (note_date(c, r->step, r->date)) goto oom;
    size_t bl;
    int p = percentile_of(var, &bl);
    if (strstr(var, "availab")) {
        snprintf(key, sizeof key, "a\x1f%s\x1f%s\x1f%s", var, r->region, r->sector);
        if (!(it = map_get(&c->m, key, var, r->region, r->sector))) goto oom;
        rc = acc_add(it, r->step, r->value);
    } else if (p) {
        char base[512], pc[8];
        snprintf(base, sizeof base, "%.*s", (int)(bl < 511 ? bl : 511), var);
        snprintf(pc, sizeof pc, "%d", p);
        snprintf(key, sizeof key, "f\x1f%s\x1f%s", base, pc);
        if (!(it = map_get(&c->m, key, base, pc, ""))) goto oom;
        rc = acc_add(it, r->step, r->value);
    } else if (strcmp(var, "limiting_input") != 0) {
        snprintf(key, sizeof key, "t\x1f%s", var);
        if (!(it = map_get(&c->m, key, var, "", ""))) goto oom;
        rc = acc_add(it, r->step, r->value);
        if (!rc && (strcmp(var, "production_realised") == 0 || strcmp(var, "value_added") == 0)) {
            snprintf(key, sizeof key, "i\x1f%s\x1f%s\x1f%s", var, r->region, r->sector);
            if (!(it = map_get(&c->m, key, var, r->region, r->sector))) goto oom;
            acc_industry(it, r->step, r->value);
        }
    }
    if (rc) goto oom;
    return 0;
oom:
    c->oom = 1;
    return CP_ENOMEM;
}

/* A per-step series as a JSON array over [min_step, max_step] (null
 * where missing). */
static json_t *steps_array(const condensed *c, const acc *it)
{
    json_t *a = json_array();
    for (long s = c->min_step; s <= c->max_step; s++) {
        double v = (size_t)s < it->cap ? it->v[s] : NAN;
        json_array_append_new(a, isnan(v) ? json_null() : json_real(v));
    }
    return a;
}

/* Build the data object the page's script reads. */
static json_t *build_data(const condensed *c, json_t *summary, const cp_report_opts *o)
{
    json_t *d = json_object(), *totals = json_object(), *avail = json_array(),
           *fans = json_object(), *inds = json_object();
    json_object_set(d, "summary", summary);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%d %H:%M UTC", &tm);
    json_object_set_new(d, "meta", json_pack("{s:s?,s:s?,s:s,s:s,s:s}", "title", o->title,
                                             "source", o->source, "generated", now,
                                             "chokepoint_version", CP_VERSION, "charts",
                                             cp_report_asset_versions()));
    if (o->scenario_text) json_object_set_new(d, "scenario_text", json_string(o->scenario_text));
    if (c->min_step <= c->max_step) {
        json_t *steps = json_array(), *dates = json_array();
        int any_date = 0;
        for (long s = c->min_step; s <= c->max_step; s++) {
            json_array_append_new(steps, json_integer(s));
            const char *dt = (size_t)s < c->dates_cap ? c->dates[s] : NULL;
            any_date |= dt != NULL;
            json_array_append_new(dates, dt ? json_string(dt) : json_null());
        }
        json_object_set_new(d, "steps", steps);
        if (any_date) json_object_set_new(d, "dates", dates);
        else json_decref(dates);
    }
    for (size_t i = 0; i < c->m.n; i++) {
        const acc *it = &c->m.items[i];
        switch (it->key[0]) {
        case 't': json_object_set_new(totals, it->a, steps_array(c, it)); break;
        case 'a':
            json_array_append_new(avail, json_pack("{s:s,s:s,s:s,s:o}", "variable", it->a,
                                                   "region", it->b, "sector", it->c, "values",
                                                   steps_array(c, it)));
            break;
        case 'f': {
            json_t *f = json_object_get(fans, it->a);
            if (!f) json_object_set_new(fans, it->a, f = json_object());
            json_object_set_new(f, it->b, steps_array(c, it));
            break;
        }
        case 'i': {
            char k[1024];
            snprintf(k, sizeof k, "%s/%s", it->b, it->c);
            json_t *e = json_object_get(inds, k);
            if (!e) {
                e = json_pack("{s:s,s:s}", "region", it->b, "sector", it->c);
                json_object_set_new(inds, k, e);
            }
            double loss = it->first * (double)it->count - it->sum;
            json_object_set_new(e, strcmp(it->a, "value_added") == 0 ? "value_added_loss"
                                                                        : "production_loss",
                                json_real(loss));
            break;
        }
        }
    }
    json_t *ind_arr = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(inds, k, v) json_array_append(ind_arr, v);
    json_decref(inds);
    json_object_set_new(d, "totals", totals);
    json_object_set_new(d, "availability", avail);
    json_object_set_new(d, "fans", fans);
    json_object_set_new(d, "industries", ind_arr);
    return d;
}

/* Write s with &, <, >, " escaped for HTML text. */
static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Write the template with its three markers filled: the title, the
 * charting library and the data (JSON with "/" escaped, so no "</script>"
 * can end the script element early). */
static int write_html(FILE *f, json_t *data, const char *title, cp_error *err)
{
    size_t tl, cl;
    const char *tpl = cp_report_asset_template(&tl);
    const char *lib = cp_report_asset_chartjs(&cl);
    char *js = json_dumps(data, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_ENSURE_ASCII);
    if (!js) return cp_error_set(err, CP_ENOMEM, "out of memory building the report data");
    static const char *const marks[3] = {"@@TITLE@@", "/*@@CHARTJS@@*/", "/*@@DATA@@*/"};
    const char *p = tpl, *end = tpl + tl;
    while (p < end) {
        const char *best = NULL;
        int which = -1;
        for (int k = 0; k < 3; k++) {
            const char *q = strstr(p, marks[k]);
            if (q && (!best || q < best)) { best = q; which = k; }
        }
        if (!best) { fwrite(p, 1, (size_t)(end - p), f); break; }
        fwrite(p, 1, (size_t)(best - p), f);
        if (which == 0) html_text(f, title);
        else if (which == 1) fwrite(lib, 1, cl, f);
        else fputs(js, f);
        p = best + strlen(marks[which]);
    }
    free(js);
    return 0;
}

/* Build and write the report; see the header for the contract. */
int cp_report_write(const char *out_path, const char *summary_json,
                    int (*each_row)(void *ctx, cp_store_row_fn fn, void *fnctx, cp_error *err),
                    void *ctx, const cp_report_opts *opts, cp_error *err)
{
    cp_report_opts none = {0};
    if (!opts) opts = &none;
    json_error_t je;
    json_t *sum = json_loads(summary_json ? summary_json : "{}", 0, &je);
    if (!sum)
        return cp_error_at(err, CP_EINPUT, "summary.json", je.line, je.column,
                           "not valid JSON: %s", je.text);
    if (!json_is_object(sum)) {
        json_decref(sum);
        return cp_error_set(err, CP_EINPUT, "summary.json: expected a JSON object "
                            "(docs/outputs.md)");
    }
    condensed c = {0};
    c.min_step = MAX_STEP + 1;
    c.max_step = -1;
    int rc = 0;
    if (each_row) rc = each_row(ctx, condense_row, &c, err);
    if (rc && c.oom) rc = cp_error_set(err, CP_ENOMEM, "out of memory condensing the series");
    json_t *data = NULL;
    char tmp[4200];
    FILE *f = NULL;
    if (rc) goto out;
    data = build_data(&c, sum, opts);
    const char *title = opts->title;
    if (!title) title = json_string_value(json_object_get(sum, "title"));
    if (!title) title = json_string_value(json_object_get(sum, "scenario"));
    if (!title) title = "chokepoint run";
    json_object_set_new(json_object_get(data, "meta"), "title", json_string(title));
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", out_path, (long)getpid());
    if (!(f = fopen(tmp, "wb"))) {
        rc = cp_error_at(err, CP_EIO, out_path, 0, 0, "cannot write the report: %s; hint: "
                         "check that the directory exists and is writable", strerror(errno));
        goto out;
    }
    rc = write_html(f, data, title, err);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (!rc && bad) rc = cp_error_at(err, CP_EIO, out_path, 0, 0, "write error");
    if (!rc && rename(tmp, out_path) != 0)
        rc = cp_error_at(err, CP_EIO, out_path, 0, 0, "cannot write: %s", strerror(errno));
    if (rc) remove(tmp);
out:
    json_decref(data);
    json_decref(sum);
    map_free(&c.m);
    for (size_t i = 0; i < c.dates_cap; i++) free(c.dates[i]);
    free(c.dates);
    return rc;
}

/* Row source for a directory: stream its timeseries.csv. */
static int dir_rows(void *ctx, cp_store_row_fn fn, void *fnctx, cp_error *err)
{
    return cp_store_read_timeseries(ctx, fn, fnctx, err);
}

/* Read a whole small text file (NULL when absent). */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    if (b) b[n] = '\0';
    fclose(f);
    return b;
}

/* Report of an output directory: summary.json required, the rest optional. */
int cp_report_from_dir(const char *dir, const char *out_path, const cp_report_opts *opts,
                       cp_error *err)
{
    char p[4096], ts[4096];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    char *sum = read_text(p);
    if (!sum)
        return cp_error_set(err, CP_EINPUT, "%s: no summary.json; hint: give a directory "
                            "written by `chokepoint run SCENARIO --out DIR`, or a run id", dir);
    cp_report_opts o = opts ? *opts : (cp_report_opts){0};
    char *scen = NULL;
    if (!o.scenario_text) {
        snprintf(p, sizeof p, "%s/scenario.resolved.yaml", dir);
        if (!(scen = read_text(p))) {
            snprintf(p, sizeof p, "%s/scenario.yaml", dir);
            scen = read_text(p);
        }
        o.scenario_text = scen;
    }
    if (!o.source) o.source = dir;
    snprintf(ts, sizeof ts, "%s/timeseries.csv", dir);
    int have_ts = access(ts, R_OK) == 0;
    int rc = cp_report_write(out_path, sum, have_ts ? dir_rows : NULL, ts, &o, err);
    free(sum);
    free(scen);
    return rc;
}

/* Row source for a stored run. */
typedef struct store_src {
    cp_store *s;
    long long id;
} store_src;

/* Stream a stored run's rows. */
static int store_rows(void *ctx, cp_store_row_fn fn, void *fnctx, cp_error *err)
{
    store_src *src = ctx;
    return cp_store_each_row(src->s, src->id, fn, fnctx, err);
}

/* Report of a stored run (which must have finished: status ok). */
int cp_report_from_store(cp_store *s, long long id, const char *out_path,
                         const cp_report_opts *opts, cp_error *err)
{
    cp_store_run r;
    int rc = cp_store_get(s, id, &r, err);
    if (rc) return rc;
    if (strcmp(r.status, "ok") != 0) {
        rc = cp_error_set(err, CP_EINPUT, "run %lld is %s, not ok: no report; hint: "
                          "`chokepoint runs show %lld` says why", id, r.status, id);
        cp_store_run_clear(&r);
        return rc;
    }
    cp_report_opts o = opts ? *opts : (cp_report_opts){0};
    char src[4400];
    if (!o.source) {
        snprintf(src, sizeof src, "run %lld in %s", id, cp_store_path(s));
        o.source = src;
    }
    if (!o.scenario_text) o.scenario_text = r.scenario_text;
    store_src ss = {s, id};
    rc = cp_report_write(out_path, r.summary_json, store_rows, &ss, &o, err);
    cp_store_run_clear(&r);
    return rc;
}
