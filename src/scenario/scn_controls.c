/*
 * scn_controls.c — the economy: and controls: sections of a scenario, and
 * the coupling they drive: table (scaled to a price year) -> export-control
 * model (account and regime files, an inline regime, switches, overrides)
 * -> cp_ctl_run -> per-day, per-industry capacity caps -> the dynamic
 * engine (cp_ario_set_capacity_cap).
 *
 *   economy:
 *     table: japan-2015-185
 *     scale_to_gdp: {value: 609300, unit: bn JPY, year: 2024}
 *   controls:
 *     account: materials/japan-rare-earths.yaml     # or a list of files
 *     regime_files: [materials/china-2025-2026-regimes.yaml]
 *     regime: {name: .., exporter: CHN, importers: [JPN], items: [1C902, ..] | all,
 *              start: 2026-01-06, duration_days: 365 | end: DATE,
 *              approval_share: 0, review_working_days: 45,
 *              changes: [{from: DATE, approval_share: .., review_working_days: ..}]}
 *     stockpile: true            # national stockpile release on/off
 *     substitution: true         # thrifting on/off
 *     other_suppliers: true      # other origins and recycling on/off
 *     inventories: true          # company inventories on/off
 *     criticality_scale: 1       # multiplies every use's criticality (capped at 1)
 *     supply: {all: {stockpile_days: 60}, Dy: {inventory_days: 30}}
 *
 * With extends:, each file's sections apply key by key over the bases'
 * (mappings merge, lists and scalars are replaced); what the sections need
 * and the checks across keys are made on the merged result
 * (scn_controls_finish), every error at the file that wrote its key.
 *
 * Files are found relative to the scenario's directory first, then the
 * data directory ($CHOKEPOINT_DATA, else the data/ the library was built
 * with).  Everything the file says is checked at parse time with its
 * file:line:col; what needs the files or the table (items, elements the
 * account lacks, sectors the table lacks) when the controls are run,
 * before anything else runs.
 */
#include "scn_controls.h"
#include "scn_yaml.h"

#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CP_DATADIR
#define CP_DATADIR "data"
#endif

#define SC_MAX_OVR 16

/* Where a value was written (extends: merges several files): f indexes
 * cp_scn_ctl.fname (-1: the scenario's own path), line:col 1-based. */
typedef struct sc_at {
    int f;
    long line, col;
} sc_at;

/* A per-element override of the account's supply side (< 0: unset). */
typedef struct sc_override {
    char element[8];           /* symbol, or "all" */
    double inventory_days, stockpile_days, exporter_share;
    sc_at at;                  /* its key, in the last file that wrote it */
} sc_override;

/* A list of files (account: or regime_files:), replaced whole by a later
 * file's list. */
typedef struct sc_files {
    int seen;                            /* the key was written */
    sc_at key;                           /* its value, in the last file */
    size_t n;
    char *path[CP_CTL_MAX_FILES];        /* resolved paths */
} sc_files;

/* One entry of regime.changes as written (the list is replaced whole);
 * phases are built from them once every file is read. */
typedef struct sc_change {
    int from_ok, have_as, have_rwd;
    long from_day;
    sc_at from_at;
    double as;
    int rwd;
} sc_change;

/* The inline regime, merged key by key over the files (extends:); checked
 * and turned into a cp_ctl_regime by regime_finish. */
typedef struct sc_regime {
    int given;                           /* some file wrote regime: */
    sc_at at;                            /* its value, in the last file */
    cp_ctl_regime g;                     /* name, exporter, importers, items,
                                            start_day, phase[0] */
    int exp_seen, imp_seen, items_seen, items_all;
    sc_at item_at[CP_CTL_MAX_LIST];
    int start_seen, start_ok, end_ok, dur_ok;
    long end_day, dur_days;
    sc_at end_at;
    size_t nch;
    sc_change ch[CP_CTL_MAX_PHASES - 1];
} sc_regime;

/* The parsed sections, merged over the files of the scenario (extends:). */
struct cp_scn_ctl {
    char **fname;               /* the files that wrote the sections */
    size_t nfname;
    /* economy: */
    int have_economy, have_scale;
    sc_at econ_at, scale_at;
    int scale_seen, value_seen, unit_seen, year_seen;
    double scale_value;
    char scale_unit[32];
    int scale_year;
    double factor;              /* set by cp_scn_economy_apply */
    int imports_as_table;       /* imports: as_table (else domestic) */
    /* controls: */
    int have_controls;
    sc_at ctl_at;               /* the last file's controls: key */
    sc_files acc, rf;           /* account and regime files */
    sc_regime rg;
    int have_regime;            /* regime is the checked inline regime */
    cp_ctl_regime regime;
    int stockpile, substitution, other_suppliers, inventories;
    double crit_scale;
    size_t novr;
    sc_override ovr[SC_MAX_OVR];
    int out_monthly, out_by_industry;
};

/* Parsing context: the scenario, the file being read (fi: its index in
 * cp_scn_ctl.fname) and the error sinks (fn: this file; fin: any file). */
typedef struct sc_ctx {
    cp_scn *s;
    const char *file;
    scn_err_fn fn;
    void *ctx;
    int fi;
    scn_err_in_fn fin;
} sc_ctx;

/* Report one located error through the sink (scn_yaml_err: printf-style). */
#define err_at(c, line, col, ...) scn_yaml_err((c)->fn, (c)->ctx, (line), (col), __VA_ARGS__)

/* The name of the file an sc_at points into. */
static const char *at_file(const cp_scn *s, sc_at at)
{
    const cp_scn_ctl *e = s->ctl;
    return e && at.f >= 0 && (size_t)at.f < e->nfname ? e->fname[at.f] : s->path;
}

/* Report one error at a position in any file of the scenario (the checks
 * made once every file is read). */
__attribute__((format(printf, 3, 4)))
static void err_in(sc_ctx *c, sc_at at, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->fin(c->ctx, at_file(c->s, at), at.line, at.col, msg);
}

/* Index of file in the section's list of file names, added when new
 * (-1 on out-of-memory: positions then name the scenario's path). */
static int intern(cp_scn_ctl *e, const char *file)
{
    if (!file) return -1;
    for (size_t i = 0; i < e->nfname; i++)
        if (!strcmp(e->fname[i], file)) return (int)i;
    char **nf = realloc(e->fname, (e->nfname + 1) * sizeof *nf);
    if (!nf) return -1;
    e->fname = nf;
    if (!(nf[e->nfname] = strdup(file))) return -1;
    return (int)e->nfname++;
}

/* A position in the file being read. */
static sc_at here(const sc_ctx *c, long line, long col)
{
    sc_at a = {c->fi, line, col};
    return a;
}

/* A number in [lo, hi]; what names it; the hint says what the range means. */
static int num(sc_ctx *c, struct fy_node *n, const char *what, double lo, double hi,
               const char *hint, double *out)
{
    char b[128];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    double v;
    if (!s || cp_parse_double(s, &v)) {
        err_at(c, l, co, "%s: '%s' is not a number; hint: %s", what, s ? s : "(collection)", hint);
        return -1;
    }
    if (v < lo) {
        if (v < 0) err_at(c, l, co, "%s is %g, negative; hint: %s", what, v, hint);
        else err_at(c, l, co, "%s is %g, below %g; hint: %s", what, v, lo, hint);
        return -1;
    }
    if (v > hi) {
        err_at(c, l, co, "%s is %g, over %g; hint: %s", what, v, hi, hint);
        return -1;
    }
    *out = v;
    return 0;
}

/* A whole number in [lo, hi]. */
static int whole(sc_ctx *c, struct fy_node *n, const char *what, double lo, double hi,
                 const char *hint, long *out)
{
    double v;
    if (num(c, n, what, lo, hi, hint, &v)) return -1;
    if (v != floor(v)) {
        long l, co;
        scn_yaml_pos(n, &l, &co, 0, 0);
        err_at(c, l, co, "%s is %g, not a whole number; hint: %s", what, v, hint);
        return -1;
    }
    *out = (long)v;
    return 0;
}

/* true/false (also yes/no, on/off). */
static int boolean(sc_ctx *c, struct fy_node *n, const char *what, int *out)
{
    return scn_yaml_bool(n, what, out, c->fn, c->ctx);
}

/* A date YYYY-MM-DD as a day number. */
static int date(sc_ctx *c, struct fy_node *n, const char *what, long *day)
{
    char b[64];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (!s || cp_ctl_date_parse(s, day)) {
        err_at(c, l, co, "%s '%s' is not a date; hint: write YYYY-MM-DD", what, s ? s : "(collection)");
        return -1;
    }
    return 0;
}

/* A string into a fixed buffer (non-empty, fits). */
static int label(sc_ctx *c, struct fy_node *n, const char *what, char *buf, size_t cap)
{
    char b[512];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (!s || !*s || strlen(s) >= cap) {
        err_at(c, l, co, "%s: expected a string of 1 to %zu characters", what, cap - 1);
        return -1;
    }
    snprintf(buf, cap, "%s", s);
    return 0;
}

/* Is key one of known?  If not, report it with the closest key. */
static int known_key(sc_ctx *c, struct fy_node *k, const char *key, const char *where,
                     const char *const *known)
{
    for (size_t i = 0; known[i]; i++)
        if (!strcmp(key, known[i])) return 1;
    long l, co;
    char msg[768];
    scn_yaml_pos(k, &l, &co, 0, 0);
    scn_yaml_unknown_key(msg, sizeof msg, key, where, known);
    err_at(c, l, co, "%s", msg);
    return 0;
}

/* The scenario's section record, created on first use. */
static cp_scn_ctl *sect(cp_scn *s)
{
    if (!s->ctl) {
        s->ctl = calloc(1, sizeof *s->ctl);
        if (s->ctl) {
            s->ctl->factor = 1.0;
            s->ctl->crit_scale = 1.0;
            s->ctl->stockpile = s->ctl->substitution = s->ctl->other_suppliers = 1;
            s->ctl->inventories = 1;
            s->ctl->out_monthly = s->ctl->out_by_industry = 1;
        }
    }
    return s->ctl;
}

/* Release the sections. */
void cp_scn_ctl_free(cp_scn_ctl *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->acc.n; i++) free(c->acc.path[i]);
    for (size_t i = 0; i < c->rf.n; i++) free(c->rf.path[i]);
    for (size_t i = 0; i < c->nfname; i++) free(c->fname[i]);
    free(c->fname);
    free(c);
}

/* Start a section (name: economy or controls) of the file being read:
 * the scenario's record, with c->fi set to the file's index in it; NULL
 * after reporting "NAME: out of memory" at kl:kc. */
static cp_scn_ctl *sect_begin(sc_ctx *c, const char *name, long kl, long kc)
{
    cp_scn_ctl *e = sect(c->s);
    if (!e) { err_at(c, kl, kc, "%s: out of memory", name); return NULL; }
    c->fi = intern(e, c->file);
    return e;
}

/* ---- economy: ------------------------------------------------------- */

/* economy: {table: NAME, scale_to_gdp: {value, unit, year}}, merged key
 * by key over an earlier file's (extends:); whether scale_to_gdp is
 * complete is checked once every file is read (scn_controls_finish). */
void scn_parse_economy(cp_scn *s, const char *file, struct fy_node *v, long kl, long kc,
                       scn_err_fn fn, void *ctx)
{
    static const char *const keys[] = {"table", "scale_to_gdp", "imports", NULL};
    static const char *const skeys[] = {"value", "unit", "year", NULL};
    sc_ctx c = {s, file, fn, ctx, -1, NULL};
    cp_scn_ctl *e = sect_begin(&c, "economy", kl, kc);
    if (!e) return;
    e->have_economy = 1;
    e->econ_at = here(&c, kl, kc);
    if (!fy_node_is_mapping(v)) {
        err_at(&c, kl, kc, "economy: expected a mapping; hint: economy: {table: japan-2015-185, scale_to_gdp: {value: 609300, unit: bn JPY, year: 2024}}");
        return;
    }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(v, &it)) != NULL) {
        char kb[128], vb[512];
        struct fy_node *k = fy_node_pair_key(pr), *val = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key || !known_key(&c, k, key, "economy", keys)) continue;
        long l, co;
        scn_yaml_pos(val, &l, &co, kl, kc);
        if (!strcmp(key, "imports")) {
            const char *t = scn_yaml_text(val, vb, sizeof vb);
            if (t && !strcmp(t, "domestic")) e->imports_as_table = 0;
            else if (t && !strcmp(t, "as_table")) e->imports_as_table = 1;
            else err_at(&c, l, co, "economy.imports: unknown value '%s'; hint: domestic (imported inputs never constrain; default) or as_table", t ? t : "(collection)");
        } else if (!strcmp(key, "table")) {
            const char *t = scn_yaml_text(val, vb, sizeof vb);
            if (!t || !*t) { err_at(&c, l, co, "economy.table: expected a table name or path"); continue; }
            /* the same value as table:; a base's (extends:) is overridden,
             * this file's own table: must agree */
            if (s->table && strcmp(s->table, t) && file && s->table_file && !strcmp(s->table_file, file)) {
                err_at(&c, l, co, "economy.table '%s' differs from table '%s'; hint: give the table once", t, s->table);
                continue;
            }
            char *nt = strdup(t), *nf = file ? strdup(file) : NULL;
            if (!nt || (file && !nf)) { free(nt); free(nf); err_at(&c, l, co, "economy: out of memory"); continue; }
            free(s->table);
            free(s->table_file);
            s->table = nt;
            s->table_file = nf;
            s->table_line = l;
            s->table_col = co;
        } else {
            if (!fy_node_is_mapping(val)) {
                err_at(&c, l, co, "economy.scale_to_gdp: expected a mapping; hint: {value: 609300, unit: bn JPY, year: 2024}");
                continue;
            }
            e->scale_seen = 1;
            e->scale_at = here(&c, l, co);
            void *it2 = NULL;
            struct fy_node_pair *q;
            while ((q = fy_node_mapping_iterate(val, &it2)) != NULL) {
                char kb2[64];
                struct fy_node *k2 = fy_node_pair_key(q), *v2 = fy_node_pair_value(q);
                const char *key2 = scn_yaml_text(k2, kb2, sizeof kb2);
                if (!key2 || !known_key(&c, k2, key2, "economy.scale_to_gdp", skeys)) continue;
                long y;
                if (!strcmp(key2, "value")) {
                    e->value_seen = 1;
                    (void)num(&c, v2, "economy.scale_to_gdp.value", 1e-300, 1e300,
                              "the annual GDP in the table's unit, e.g. 609300 (bn JPY)", &e->scale_value);
                } else if (!strcmp(key2, "unit")) {
                    e->unit_seen = 1;
                    (void)label(&c, v2, "economy.scale_to_gdp.unit", e->scale_unit, sizeof e->scale_unit);
                } else {
                    e->year_seen = 1;
                    if (!whole(&c, v2, "economy.scale_to_gdp.year", 1900, 2200, "a calendar year such as 2024", &y))
                        e->scale_year = (int)y;
                }
            }
        }
    }
}

/* Competitive imports to domestic flows: with m_i = cp_io_import_ratios
 * (imports / (intermediate + domestic final use)), Z_ij and domestic
 * final demand Y_ik become (1 - m_i) times themselves, the import columns
 * 0, and a value-added row of kind import holds sum_i m_i Z_ij.  Rows and
 * columns still balance, x and GDP are unchanged; the dynamic engine then
 * sees only domestic supply chains (imports are not rationed). */
static int to_domestic(cp_scn *s, cp_table *t, cp_error *err)
{
    const cp_scn_ctl *e = s->ctl;
    size_t n = t->n, nfd = t->nfd;
    int have = 0;
    for (size_t k = 0; k < nfd; k++) have |= t->fd_kind[k] == CP_FD_IMPORT;
    if (!have || t->nreg > 1) return 0;
    double *m = malloc((n ? n : 1) * sizeof *m), *row = calloc(n ? n : 1, sizeof *row);
    double *V = realloc(t->V, (t->nva + 1) * (n ? n : 1) * sizeof *V);
    if (V) t->V = V;
    char **lab = realloc(t->va_label, (t->nva + 1) * sizeof *lab);
    if (lab) t->va_label = lab;
    cp_va_kind *kind = realloc(t->va_kind, (t->nva + 1) * sizeof *kind);
    if (kind) t->va_kind = kind;
    if (!m || !row || !V || !lab || !kind) { free(m); free(row); return cp_error_set(err, CP_ENOMEM, "out of memory"); }
    int rc = cp_io_import_ratios(t, m, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (!(m[i] >= 0 && m[i] < 1))
            rc = cp_error_at(err, CP_EINPUT, at_file(s, e->econ_at), e->econ_at.line, e->econ_at.col,
                             "economy.imports: domestic: industry %s has import ratio %g (outside 0..1); hint: use imports: as_table",
                             t->sector[i], m[i]);
    if (rc) { free(m); free(row); return rc; }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            row[j] += m[i] * t->Z[i * n + j];
            t->Z[i * n + j] *= 1.0 - m[i];
        }
        for (size_t k = 0; k < nfd; k++) {
            if (t->fd_kind[k] == CP_FD_IMPORT) t->Y[i * nfd + k] = 0;
            else if (t->fd_kind[k] != CP_FD_EXPORT) t->Y[i * nfd + k] *= 1.0 - m[i];
        }
    }
    /* Negative flows (by-products and scrap booked negative, e.g. MIC's
     * 2611 and 1631 rows) would be negative orders in the dynamic engine:
     * move each to the supplier's inventory-change column (row balance)
     * and the buyer's import row (column balance); GDP is unchanged. */
    long inv = -1;
    for (size_t k = 0; k < nfd && inv < 0; k++)
        if (t->fd_kind[k] == CP_FD_INVENTORY) inv = (long)k;
    for (size_t i = 0; inv >= 0 && i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (t->Z[i * n + j] < 0) {
                t->Y[i * nfd + (size_t)inv] += t->Z[i * n + j];
                row[j] += t->Z[i * n + j];
                t->Z[i * n + j] = 0;
            }
    t->va_label[t->nva] = strdup("imported inputs (competitive imports converted)");
    t->va_kind[t->nva] = CP_VA_IMPORT;
    memcpy(t->V + t->nva * n, row, n * sizeof *row);
    t->nva++;
    free(m);
    free(row);
    return t->va_label[t->nva - 1] ? 0 : cp_error_set(err, CP_ENOMEM, "out of memory");
}

/* Scale the table to the target GDP and convert imports; see chokepoint.h. */
int cp_scn_economy_apply(cp_scn *s, cp_table *t, cp_error *err)
{
    cp_scn_ctl *e = s->ctl;
    if (!e || !e->have_economy) return 0;
    if (!e->imports_as_table) {
        int rc = to_domestic(s, t, err);
        if (rc) return rc;
    }
    if (!e->have_scale) return 0;
    if (!t->unit || strcmp(t->unit, e->scale_unit))
        return cp_error_at(err, CP_EINPUT, at_file(s, e->scale_at), e->scale_at.line, e->scale_at.col,
                           "economy.scale_to_gdp: unit '%s' but table %s is in '%s'; hint: give the GDP in the table's unit",
                           e->scale_unit, t->name ? t->name : "", t->unit ? t->unit : "");
    double gdp = cp_table_gdp(t);
    if (!(gdp > 0))
        return cp_error_at(err, CP_EINPUT, at_file(s, e->scale_at), e->scale_at.line, e->scale_at.col,
                           "economy.scale_to_gdp: table %s has GDP %g; hint: only a table with positive value added can be scaled",
                           t->name ? t->name : "", gdp);
    double f = e->scale_value / gdp;
    size_t n = t->n;
    for (size_t i = 0; i < n * n; i++) t->Z[i] *= f;
    for (size_t i = 0; i < n * t->nfd; i++) t->Y[i] *= f;
    for (size_t i = 0; i < t->nva * n; i++) t->V[i] *= f;
    for (size_t i = 0; i < n; i++) t->x[i] *= f;
    e->factor = f;
    return 0;
}

/* Price year of the money figures. */
int cp_scn_price_year(const cp_scn *s, const cp_table *t)
{
    if (s->ctl && s->ctl->have_scale) return s->ctl->scale_year;
    return t ? t->year : 0;
}

/* Factor applied to the table. */
double cp_scn_scale_factor(const cp_scn *s)
{
    return s->ctl ? s->ctl->factor : 1.0;
}

/* 1 with a controls: section. */
int cp_scn_has_controls(const cp_scn *s)
{
    return s->ctl && s->ctl->have_controls;
}

/* The criticality multiplier. */
double cp_scn_criticality_scale(const cp_scn *s)
{
    return s->ctl ? s->ctl->crit_scale : 1.0;
}

/* Set the criticality multiplier (used by calibration). */
void cp_scn_set_criticality_scale(cp_scn *s, double v)
{
    if (s->ctl && v > 0) s->ctl->crit_scale = v;
}

/* controls.outputs. */
void cp_scn_case_outputs(const cp_scn *s, int *monthly_csv, int *by_industry_csv)
{
    *monthly_csv = s->ctl && s->ctl->have_controls ? s->ctl->out_monthly : 1;
    *by_industry_csv = s->ctl && s->ctl->have_controls ? s->ctl->out_by_industry : 1;
}

/* ---- controls: ------------------------------------------------------ */

/* Does path name a readable file? */
static int readable(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    fclose(f);
    return 1;
}

/* Resolve a data file: the scenario's directory, then the data dir. */
static char *find_file(const char *scn_path, const char *name, char *tried, size_t cap)
{
    char p[4096];
    tried[0] = 0;
    if (name[0] == '/') {
        snprintf(tried, cap, "%s", name);
        return readable(name) ? strdup(name) : NULL;
    }
    const char *sl = scn_path ? strrchr(scn_path, '/') : NULL;
    if (sl) snprintf(p, sizeof p, "%.*s/%s", (int)(sl - scn_path), scn_path, name);
    else snprintf(p, sizeof p, "%s", name);
    if (readable(p)) return strdup(p);
    const char *dd = getenv("CHOKEPOINT_DATA");
    char q[4096];
    snprintf(q, sizeof q, "%s/%s", dd && *dd ? dd : CP_DATADIR, name);
    snprintf(tried, cap, "%.1000s and %.1000s", p, q);
    return readable(q) ? strdup(q) : NULL;
}

/* Add one file (account or regime file) to a list; it is looked up beside
 * the file being read first (with extends:, the file that names it). */
static void add_file(sc_ctx *c, sc_files *fl, struct fy_node *n, const char *what)
{
    char b[1024], tried[2048];
    long l, co;
    scn_yaml_pos(n, &l, &co, fl->key.line, fl->key.col);
    const char *name = scn_yaml_text(n, b, sizeof b);
    if (!name || !*name) { err_at(c, l, co, "%s: expected a file name", what); return; }
    if (fl->n + 1 >= CP_CTL_MAX_FILES) {
        err_at(c, l, co, "%s: more than %d files; hint: merge some", what, CP_CTL_MAX_FILES - 1);
        return;
    }
    char *p = find_file(c->file ? c->file : c->s->path, name, tried, sizeof tried);
    if (!p) {
        err_at(c, l, co, "%s: cannot find '%s' (looked at %s); hint: a path relative to the scenario or to the data directory, e.g. materials/japan-rare-earths.yaml",
               what, name, tried);
        return;
    }
    fl->path[fl->n++] = p;
}

/* A file or a list of files: replaces the list an earlier file wrote. */
static void file_list(sc_ctx *c, sc_files *fl, struct fy_node *v, long kl, long kc, const char *what)
{
    for (size_t i = 0; i < fl->n; i++) free(fl->path[i]);
    fl->n = 0;
    fl->seen = 1;
    fl->key = here(c, kl, kc);
    if (fy_node_is_sequence(v)) {
        void *it = NULL;
        struct fy_node *x;
        while ((x = fy_node_sequence_iterate(v, &it)) != NULL) add_file(c, fl, x, what);
    } else add_file(c, fl, v, what);
}

/* approval_share / review_working_days of a phase (start or change);
 * *have_as / *have_rwd are set when the value is read. */
static void phase_keys(sc_ctx *c, const char *key, struct fy_node *v, double *as, int *rwd,
                       int *have_as, int *have_rwd, const char *where)
{
    char w[96];
    if (!strcmp(key, "approval_share")) {
        snprintf(w, sizeof w, "%s.approval_share", where);
        if (!num(c, v, w, 0, 1, "a share is a fraction 0..1 of the applied volume (0 = cut-off)", as))
            *have_as = 1;
    } else if (!strcmp(key, "review_working_days")) {
        long d;
        snprintf(w, sizeof w, "%s.review_working_days", where);
        if (!whole(c, v, w, 0, 3650, "working days from application to decision (45 by statute)", &d)) {
            *rwd = (int)d;
            *have_rwd = 1;
        }
    }
}

/* A list of labels (importers or items) replacing the regime's list. */
static void regime_list(sc_ctx *c, sc_regime *r, struct fy_node *val, const char *key, long l, long co)
{
    int imp = !strcmp(key, "importers");
    char vb[64];
    const char *sv = scn_yaml_text(val, vb, sizeof vb);
    cp_ctl_regime *g = &r->g;
    if (imp) { r->imp_seen = 1; g->nimporters = 0; }
    else { r->items_seen = 1; g->nitems = 0; r->items_all = 0; }
    if (!imp && sv && !strcmp(sv, "all")) { r->items_all = 1; return; }
    if (!fy_node_is_sequence(val) || fy_node_sequence_item_count(val) == 0) {
        err_at(c, l, co, "controls.regime.%s: expected a non-empty list; hint: %s", key,
               imp ? "importers: [JPN]" : "items: [1C902, 1C905] or items: all");
        return;
    }
    void *it = NULL;
    struct fy_node *x;
    while ((x = fy_node_sequence_iterate(val, &it)) != NULL) {
        size_t *nn = imp ? &g->nimporters : &g->nitems;
        if (*nn == CP_CTL_MAX_LIST) { err_at(c, l, co, "controls.regime.%s: more than %d entries", key, CP_CTL_MAX_LIST); break; }
        char *slot = imp ? g->importers[*nn] : g->items[*nn];
        if (!imp) {
            long xl, xc;
            scn_yaml_pos(x, &xl, &xc, l, co);
            r->item_at[*nn] = here(c, xl, xc);
        }
        if (!label(c, x, imp ? "an importer" : "an item", slot, CP_CTL_LABEL)) (*nn)++;
    }
}

/* regime.changes as written (replaces an earlier file's list); the dates
 * are checked against each other and the regime's end by regime_finish. */
static void regime_changes(sc_ctx *c, sc_regime *r, struct fy_node *changes, long cl, long cc)
{
    static const char *const ckeys[] = {"from", "approval_share", "review_working_days", "source",
                                        "note", NULL};
    r->nch = 0;
    if (!fy_node_is_sequence(changes)) { err_at(c, cl, cc, "controls.regime.changes: expected a list of {from: DATE, approval_share: ..}"); return; }
    void *it = NULL;
    struct fy_node *ch;
    size_t idx = 0;
    while ((ch = fy_node_sequence_iterate(changes, &it)) != NULL) {
        long l, co;
        scn_yaml_pos(ch, &l, &co, cl, cc);
        char where[64];
        snprintf(where, sizeof where, "controls.regime.changes[%zu]", idx++);
        if (!fy_node_is_mapping(ch)) { err_at(c, l, co, "controls.regime.changes: each change is a mapping with 'from'"); continue; }
        if (r->nch == CP_CTL_MAX_PHASES - 1) { err_at(c, l, co, "controls.regime.changes: more than %d changes", CP_CTL_MAX_PHASES - 1); return; }
        sc_change *x = &r->ch[r->nch++];
        memset(x, 0, sizeof *x);
        x->from_at = here(c, l, co);
        void *it2 = NULL;
        struct fy_node_pair *q;
        while ((q = fy_node_mapping_iterate(ch, &it2)) != NULL) {
            char kb[64];
            struct fy_node *k = fy_node_pair_key(q), *val = fy_node_pair_value(q);
            const char *key = scn_yaml_text(k, kb, sizeof kb);
            if (!key || !known_key(c, k, key, where, ckeys)) continue;
            if (!strcmp(key, "from")) {
                long fl, fc;
                scn_yaml_pos(val, &fl, &fc, l, co);
                x->from_at = here(c, fl, fc);
                x->from_ok = !date(c, val, "from", &x->from_day);
            } else if (strcmp(key, "source") && strcmp(key, "note"))
                phase_keys(c, key, val, &x->as, &x->rwd, &x->have_as, &x->have_rwd, where);
        }
        if (!fy_node_mapping_lookup_by_string(ch, "from", 4))
            err_at(c, l, co, "%s needs 'from'; hint: from: 2026-04-01", where);
    }
}

/* The inline regime of one file, key by key over what earlier files (the
 * bases, extends:) wrote; lists (importers, items, changes) are replaced
 * whole, and end / duration_days replace each other. */
static void parse_regime(sc_ctx *c, cp_scn_ctl *e, struct fy_node *v, long kl, long kc)
{
    static const char *const keys[] = {"name", "exporter", "importers", "items", "start", "end",
                                       "duration_days", "approval_share", "review_working_days",
                                       "changes", "source", "note", NULL};
    sc_regime *r = &e->rg;
    if (!r->given) {
        r->g = cp_ctl_regime_default();
        snprintf(r->g.name, sizeof r->g.name, "scenario");
    }
    r->given = 1;
    r->at = here(c, kl, kc);
    if (!fy_node_is_mapping(v)) { err_at(c, kl, kc, "controls.regime: expected a mapping"); return; }
    cp_ctl_regime *g = &r->g;
    struct fy_node *endn = NULL, *durn = NULL;
    int dummy = 0;
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(v, &it)) != NULL) {
        char kb[64];
        struct fy_node *k = fy_node_pair_key(pr), *val = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key || !known_key(c, k, key, "controls.regime", keys)) continue;
        long l, co;
        scn_yaml_pos(val, &l, &co, kl, kc);
        if (!strcmp(key, "name")) (void)label(c, val, "controls.regime.name", g->name, sizeof g->name);
        else if (!strcmp(key, "exporter")) {
            r->exp_seen = 1;
            (void)label(c, val, "controls.regime.exporter", g->exporter, sizeof g->exporter);
        } else if (!strcmp(key, "importers") || !strcmp(key, "items")) regime_list(c, r, val, key, l, co);
        else if (!strcmp(key, "start")) {
            r->start_seen = 1;
            r->start_ok = !date(c, val, "controls.regime.start", &g->start_day);
        } else if (!strcmp(key, "end")) endn = val;
        else if (!strcmp(key, "duration_days")) durn = val;
        else if (!strcmp(key, "changes")) regime_changes(c, r, val, l, co);
        else if (!strcmp(key, "source") || !strcmp(key, "note")) continue;
        else phase_keys(c, key, val, &g->phase[0].approval_share, &g->phase[0].review_working_days,
                        &dummy, &dummy, "controls.regime");
    }
    if (endn && durn) {
        long l, co;
        scn_yaml_pos(durn, &l, &co, kl, kc);
        err_at(c, l, co, "controls.regime: give end or duration_days, not both; hint: drop one");
        r->end_ok = r->dur_ok = 0;
    } else if (endn) {        /* a base's duration_days no longer applies */
        long l, co;
        scn_yaml_pos(endn, &l, &co, kl, kc);
        r->dur_ok = 0;
        r->end_at = here(c, l, co);
        r->end_ok = !date(c, endn, "controls.regime.end", &r->end_day);
    } else if (durn) {        /* a base's end no longer applies */
        r->end_ok = 0;
        r->dur_ok = !whole(c, durn, "controls.regime.duration_days", 1, 100000,
                           "the number of calendar days the regime lasts (at least 1)", &r->dur_days);
    }
}

/* The merged inline regime: what is required, the end after the start,
 * the changes in order and before the end; the result goes to e->regime.
 * partial: a file could not be read, so nothing is reported missing. */
static void regime_finish(sc_ctx *c, cp_scn_ctl *e, int partial)
{
    sc_regime *r = &e->rg;
    if (!r->given) return;
    if (!partial) {
        if (!r->exp_seen) err_in(c, r->at, "controls.regime needs 'exporter'; hint: exporter: CHN");
        if (!r->imp_seen) err_in(c, r->at, "controls.regime needs 'importers'; hint: importers: [JPN]");
        if (!r->items_seen) err_in(c, r->at, "controls.regime needs 'items'; hint: items: [1C902, 1C905] or items: all");
        if (!r->start_seen) err_in(c, r->at, "controls.regime needs 'start'; hint: start: 2026-01-06");
    }
    if (!r->start_ok) return;
    cp_ctl_regime g = r->g;
    g.src.line = r->at.line;
    g.src.col = r->at.col;
    g.phase[0].from_day = g.start_day;
    g.end_day = CP_CTL_DAY_MAX;
    char eb[16], sb[16];
    if (r->end_ok) {
        if (r->end_day <= g.start_day) {
            cp_ctl_date_format(r->end_day, eb, sizeof eb);
            cp_ctl_date_format(g.start_day, sb, sizeof sb);
            err_in(c, r->end_at, "controls.regime.end %s is not after start %s; hint: dates out of order", eb, sb);
        } else g.end_day = r->end_day;
    } else if (r->dur_ok) g.end_day = g.start_day + r->dur_days;
    g.nphases = 1;
    for (size_t i = 0; i < r->nch; i++) {
        const sc_change *x = &r->ch[i];
        cp_ctl_phase *ph = &g.phase[g.nphases];
        *ph = g.phase[g.nphases - 1];
        if (x->have_as) ph->approval_share = x->as;
        if (x->have_rwd) ph->review_working_days = x->rwd;
        if (!x->from_ok) continue;      /* reported where it is written */
        char where[64], fb[16], pb[16];
        snprintf(where, sizeof where, "controls.regime.changes[%zu]", i);
        cp_ctl_date_format(x->from_day, fb, sizeof fb);
        if (x->from_day <= g.phase[g.nphases - 1].from_day) {
            cp_ctl_date_format(g.phase[g.nphases - 1].from_day, pb, sizeof pb);
            err_in(c, x->from_at, "%s.from %s is not after the previous phase (%s); hint: dates out of order", where, fb, pb);
        } else if (x->from_day >= g.end_day) {
            cp_ctl_date_format(g.end_day, pb, sizeof pb);
            err_in(c, x->from_at, "%s.from %s is not before the regime's end %s; hint: dates out of order", where, fb, pb);
        } else {
            ph->from_day = x->from_day;
            g.nphases++;
        }
    }
    e->regime = g;
    e->have_regime = 1;
}

/* supply: {ELEMENT|all: {inventory_days, stockpile_days, exporter_share}},
 * merged by element and key over an earlier file's (extends:). */
static void parse_overrides(sc_ctx *c, cp_scn_ctl *e, struct fy_node *v, long kl, long kc)
{
    static const char *const keys[] = {"inventory_days", "stockpile_days", "exporter_share", NULL};
    if (!fy_node_is_mapping(v)) { err_at(c, kl, kc, "controls.supply: expected a mapping ELEMENT: {inventory_days: .., stockpile_days: .., exporter_share: ..}"); return; }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(v, &it)) != NULL) {
        char kb[64];
        struct fy_node *k = fy_node_pair_key(pr), *val = fy_node_pair_value(pr);
        long l, co;
        scn_yaml_pos(k, &l, &co, kl, kc);
        const char *el = scn_yaml_text(k, kb, sizeof kb);
        if (!el) continue;
        if (strcmp(el, "all") && !cp_ctl_element_known(el)) {
            err_at(c, l, co, "controls.supply: unknown element \"%s\"; hint: use a chemical symbol such as Dy, Tb, Sm (case matters), or all", el);
            continue;
        }
        sc_override *o = NULL;
        for (size_t i = 0; i < e->novr && !o; i++)
            if (!strcmp(e->ovr[i].element, el)) o = &e->ovr[i];
        if (!o) {
            if (e->novr == SC_MAX_OVR) { err_at(c, l, co, "controls.supply: more than %d entries", SC_MAX_OVR); return; }
            o = &e->ovr[e->novr++];
            memset(o, 0, sizeof *o);
            snprintf(o->element, sizeof o->element, "%s", el);
            o->inventory_days = o->stockpile_days = o->exporter_share = -1;
        }
        o->at = here(c, l, co);
        if (!fy_node_is_mapping(val)) { err_at(c, l, co, "controls.supply.%s: expected a mapping", el); continue; }
        void *it2 = NULL;
        struct fy_node_pair *q;
        char where[48];
        snprintf(where, sizeof where, "controls.supply.%s", el);
        while ((q = fy_node_mapping_iterate(val, &it2)) != NULL) {
            char kb2[64], w[96];
            struct fy_node *k2 = fy_node_pair_key(q), *v2 = fy_node_pair_value(q);
            const char *key = scn_yaml_text(k2, kb2, sizeof kb2);
            if (!key || !known_key(c, k2, key, where, keys)) continue;
            snprintf(w, sizeof w, "%s.%s", where, key);
            if (!strcmp(key, "exporter_share"))
                (void)num(c, v2, w, 0, 1, "a share is a fraction 0..1 (write 0.6 for 60%)", &o->exporter_share);
            else
                (void)num(c, v2, w, 0, 100000, "days of baseline demand, 0 or more",
                          !strcmp(key, "inventory_days") ? &o->inventory_days : &o->stockpile_days);
        }
    }
}

/* The controls: section of one file, key by key over what earlier files
 * (the bases, extends:) wrote: mappings (regime, supply, outputs) merge,
 * lists and scalars are replaced.  What the merged section must hold is
 * checked by scn_controls_finish. */
void scn_parse_controls(cp_scn *s, const char *file, struct fy_node *v, long kl, long kc,
                        scn_err_fn fn, void *ctx)
{
    static const char *const keys[] = {"account", "regime_files", "regime", "stockpile",
                                       "substitution", "other_suppliers", "inventories",
                                       "criticality_scale", "supply", "outputs", "source", "note", NULL};
    static const char *const okeys[] = {"monthly", "by_industry", NULL};
    sc_ctx c = {s, file, fn, ctx, -1, NULL};
    cp_scn_ctl *e = sect_begin(&c, "controls", kl, kc);
    if (!e) return;
    e->have_controls = 1;
    e->ctl_at = here(&c, kl, kc);
    if (!fy_node_is_mapping(v)) {
        err_at(&c, kl, kc, "controls: expected a mapping; hint: controls: {account: materials/japan-rare-earths.yaml, regime: {...}}");
        return;
    }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(v, &it)) != NULL) {
        char kb[64];
        struct fy_node *k = fy_node_pair_key(pr), *val = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key || !known_key(&c, k, key, "controls", keys)) continue;
        long l, co;
        scn_yaml_pos(val, &l, &co, kl, kc);
        if (!strcmp(key, "account")) file_list(&c, &e->acc, val, l, co, "controls.account");
        else if (!strcmp(key, "regime_files")) file_list(&c, &e->rf, val, l, co, "controls.regime_files");
        else if (!strcmp(key, "regime")) parse_regime(&c, e, val, l, co);
        else if (!strcmp(key, "stockpile")) (void)boolean(&c, val, "controls.stockpile", &e->stockpile);
        else if (!strcmp(key, "substitution")) (void)boolean(&c, val, "controls.substitution", &e->substitution);
        else if (!strcmp(key, "other_suppliers")) (void)boolean(&c, val, "controls.other_suppliers", &e->other_suppliers);
        else if (!strcmp(key, "inventories")) (void)boolean(&c, val, "controls.inventories", &e->inventories);
        else if (!strcmp(key, "criticality_scale"))
            (void)num(&c, val, "controls.criticality_scale", 1e-9, 1000,
                      "a positive multiplier of every use's criticality (1 = the account's values)", &e->crit_scale);
        else if (!strcmp(key, "supply")) parse_overrides(&c, e, val, l, co);
        else if (!strcmp(key, "outputs")) {
            if (!fy_node_is_mapping(val)) { err_at(&c, l, co, "controls.outputs: expected a mapping {monthly: true, by_industry: true}"); continue; }
            void *it2 = NULL;
            struct fy_node_pair *q;
            while ((q = fy_node_mapping_iterate(val, &it2)) != NULL) {
                char kb2[64];
                struct fy_node *k2 = fy_node_pair_key(q), *v2 = fy_node_pair_value(q);
                const char *key2 = scn_yaml_text(k2, kb2, sizeof kb2);
                if (!key2 || !known_key(&c, k2, key2, "controls.outputs", okeys)) continue;
                (void)boolean(&c, v2, key2, !strcmp(key2, "monthly") ? &e->out_monthly : &e->out_by_industry);
            }
        }
    }
}

/* Checks once every file is read, on the merged sections: economy's
 * scale_to_gdp is complete; controls hold an account and a regime, the
 * inline regime is whole and its dates in order; controls need a
 * start_date and one-day steps, and exclude capacity_cap events.  Each
 * error names the file that wrote the key concerned (for a missing key,
 * the last file that wrote the section).  partial: a file could not be
 * read, so nothing is reported missing. */
void scn_controls_finish(cp_scn *s, int partial, scn_err_in_fn fin, void *ctx)
{
    sc_ctx c = {s, NULL, NULL, ctx, -1, fin};
    cp_scn_ctl *e = s->ctl;
    if (!e) return;
    if (e->scale_seen) {
        e->have_scale = e->value_seen && e->unit_seen && e->year_seen;
        if (!partial && !e->value_seen) err_in(&c, e->scale_at, "economy.scale_to_gdp needs 'value' (the GDP to scale to)");
        if (!partial && !e->unit_seen) err_in(&c, e->scale_at, "economy.scale_to_gdp needs 'unit' (e.g. bn JPY, the table's unit)");
        if (!partial && !e->year_seen) err_in(&c, e->scale_at, "economy.scale_to_gdp needs 'year' (the price year, e.g. 2024)");
    }
    if (!e->have_controls) return;
    if (!partial && !e->acc.seen)
        err_in(&c, e->ctl_at, "controls needs 'account' (the satellite account file); hint: account: materials/japan-rare-earths.yaml");
    if (e->acc.n + e->rf.n >= CP_CTL_MAX_FILES)
        err_in(&c, e->rf.key, "controls.regime_files: %zu account and regime files, more than %d; hint: merge some",
               e->acc.n + e->rf.n, CP_CTL_MAX_FILES - 1);
    if (!partial && !e->rg.given && !e->rf.seen)
        err_in(&c, e->ctl_at, "controls needs a regime: an inline 'regime' or 'regime_files'; hint: regime: {exporter: CHN, importers: [JPN], items: all, start: 2026-01-06, approval_share: 0}");
    regime_finish(&c, e, partial);
    long d;
    if (!partial && (!s->start_date || cp_ctl_date_parse(s->start_date, &d)))
        err_in(&c, e->ctl_at, "controls need a start_date (the day of step 0); hint: start_date: 2026-01-06");
    if (s->ario.temporal_units_by_step != 1)
        err_in(&c, e->ctl_at, "controls need one-day steps; hint: drop ario.temporal_units_by_step or set it to 1");
    for (size_t i = 0; i < s->nevents; i++)
        if (s->events[i].type == CP_SCN_EV_CAPACITY_CAP)
            c.fin(c.ctx, s->events[i].file ? s->events[i].file : s->path, s->events[i].line, s->events[i].col,
                  "a capacity_cap event and controls: both set the capacity cap; hint: drop the event or express it as a regime");
}

/* ---- running the controls ------------------------------------------ */

/* Apply one override to supply k. */
static void apply_override(cp_ctl_supply *sp, const sc_override *o)
{
    if (o->inventory_days >= 0) sp->inventory_days = o->inventory_days;
    if (o->stockpile_days >= 0) {
        sp->stockpile.days = o->stockpile_days;
        if (sp->stockpile.days > 0 && sp->stockpile.max_rate_share <= 0) sp->stockpile.max_rate_share = 1.0;
    }
    if (o->exporter_share >= 0) sp->exporter_share = o->exporter_share;
}

/* The account's elements, for hints. */
static void element_list(const cp_ctl_model *m, char *buf, size_t cap)
{
    buf[0] = 0;
    for (size_t k = 0; k < m->nsupply && strlen(buf) + 8 < cap; k++) {
        if (k) strncat(buf, ", ", cap - strlen(buf) - 1);
        strncat(buf, m->supply[k].element, cap - strlen(buf) - 1);
    }
}

/* Build, check, bind and run; see chokepoint.h. */
int cp_scn_controls_run(const cp_scn *s, const cp_table *t, cp_ctl_model **model,
                        cp_ctl_result **res, cp_error *err)
{
    *model = NULL;
    *res = NULL;
    const cp_scn_ctl *e = s->ctl;
    if (!e || !e->have_controls) return 0;
    cp_ctl_model *m = NULL;
    const char *files[CP_CTL_MAX_FILES];   /* account files first, then regime files */
    size_t nfiles = 0;
    for (size_t i = 0; i < e->acc.n && nfiles < CP_CTL_MAX_FILES; i++) files[nfiles++] = e->acc.path[i];
    for (size_t i = 0; i < e->rf.n && nfiles < CP_CTL_MAX_FILES; i++) files[nfiles++] = e->rf.path[i];
    int rc = cp_ctl_load_yaml_files(&m, files, nfiles, err);
    if (rc) return rc;
    int sfile = -1;   /* the file that wrote regime: (last, with extends:) */
    if (m->nfiles < CP_CTL_MAX_FILES) {
        sfile = (int)m->nfiles;
        snprintf(m->files[m->nfiles++], sizeof m->files[0], "%s", at_file(s, e->rg.at));
    }
    char els[256];
    if (e->have_regime) {
        cp_ctl_regime g = e->regime;
        g.src.file = sfile;
        if (e->rg.items_all) {
            g.nitems = 0;
            for (size_t i = 0; i < m->nitems && g.nitems < CP_CTL_MAX_LIST; i++)
                snprintf(g.items[g.nitems++], CP_CTL_LABEL, "%s", m->item[i].control_no);
        } else
            for (size_t i = 0; i < g.nitems; i++)
                if (cp_ctl_find_item(m, g.items[i]) < 0) {
                    char known[512] = "";
                    for (size_t j = 0; j < m->nitems && strlen(known) + 16 < sizeof known; j++) {
                        if (j) strcat(known, ", ");
                        strcat(known, m->item[j].control_no);
                    }
                    rc = cp_error_at(err, CP_EINPUT, at_file(s, e->rg.item_at[i]), e->rg.item_at[i].line, e->rg.item_at[i].col,
                                     "controls.regime: item \"%s\" is not in the account; hint: the account's items are %s",
                                     g.items[i], known);
                    goto fail;
                }
        /* Ranges point into the model's arrays: adding a regime may move
         * the regime array, so remember which ranges point into it (as
         * byte offsets) and point them at the new place. */
        uintptr_t base = (uintptr_t)m->regime, end = base + m->nregimes * sizeof *m->regime;
        long *off = calloc(m->nranges + 1, sizeof *off);
        if (!off) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto fail; }
        for (size_t r = 0; r < m->nranges; r++) {
            uintptr_t v = (uintptr_t)m->range[r].value;
            off[r] = v >= base && v < end ? (long)(v - base) : -1;
        }
        if (cp_ctl_add_regime(m, &g) < 0) { free(off); rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto fail; }
        for (size_t r = 0; r < m->nranges; r++)
            if (off[r] >= 0) m->range[r].value = (double *)(void *)((char *)m->regime + off[r]);
        free(off);
    }
    for (size_t k = 0; k < m->nsupply; k++) {
        cp_ctl_supply *sp = &m->supply[k];
        if (!e->stockpile) sp->stockpile.days = 0;
        if (!e->substitution) sp->substitution.amount = 0;
        if (!e->other_suppliers) { sp->norigins = 0; sp->recycling.amount = 0; }
        if (!e->inventories) sp->inventory_days = 0;
    }
    for (size_t i = 0; i < e->novr; i++) {
        const sc_override *o = &e->ovr[i];
        if (!strcmp(o->element, "all")) {
            for (size_t k = 0; k < m->nsupply; k++) apply_override(&m->supply[k], o);
            continue;
        }
        long k = cp_ctl_find_supply(m, o->element);
        if (k < 0) {
            element_list(m, els, sizeof els);
            rc = cp_error_at(err, CP_EINPUT, at_file(s, o->at), o->at.line, o->at.col,
                             "controls.supply: element %s is not in the account; hint: the account has %s",
                             o->element, els);
            goto fail;
        }
        apply_override(&m->supply[k], o);
    }
    for (size_t u = 0; u < m->nuses; u++) {
        double v = m->use[u].criticality * e->crit_scale;
        m->use[u].criticality = v > 1.0 ? 1.0 : v;
    }
    if ((rc = cp_ctl_model_check(m, err))) goto fail;
    if ((rc = cp_ctl_bind_table(m, t, err))) goto fail;
    cp_ctl_run_opts o = {0};
    if (!s->start_date || cp_ctl_date_parse(s->start_date, &o.start_day)) {
        rc = cp_error_at(err, CP_EINPUT, at_file(s, e->ctl_at), e->ctl_at.line, e->ctl_at.col,
                         "controls need a start_date; hint: start_date: 2026-01-06");
        goto fail;
    }
    o.nsteps = s->ario.steps;
    if ((rc = cp_ctl_run(m, &o, res, err))) goto fail;
    *model = m;
    return 0;
fail:
    cp_ctl_model_free(m);
    return rc;
}

/* The caps as the engine's capacity-cap series. */
int cp_scn_controls_couple(const cp_ctl_model *model, const cp_ctl_result *res,
                           const cp_table *t, cp_ario *m, cp_error *err)
{
    if (!model || !res) return 0;
    size_t cells = res->nsteps * t->n;
    double *frac = malloc((cells ? cells : 1) * sizeof *frac);
    if (!frac) return cp_error_set(err, CP_ENOMEM, "out of memory for %zu days of caps", res->nsteps);
    int rc = cp_ctl_cap_series_for_table(model, res, frac, t->n, err);
    if (!rc) rc = cp_ario_set_capacity_cap(m, frac, res->nsteps, err);
    free(frac);
    return rc;
}

/* ---- resolved YAML --------------------------------------------------- */

/* The sections with every default filled in. */
char *scn_controls_resolved_yaml(const cp_scn *s)
{
    const cp_scn_ctl *e = s->ctl;
    if (!e) return NULL;
    scn_buf b = {0};
    char d[16];
    if (e->have_economy) {
        scn_buf_put(&b, "economy:\n  imports: %s   # domestic: imported inputs never constrain\n",
            e->imports_as_table ? "as_table" : "domestic");
        if (e->have_scale) {
            scn_buf_put(&b, "  scale_to_gdp: {value: ");
            scn_buf_num(&b, e->scale_value);
            scn_buf_put(&b, ", unit: ");
            scn_buf_quote(&b, e->scale_unit);
            scn_buf_put(&b, ", year: %d}   # GDP = value added incl. ohcr + net taxes (cp_table_gdp)\n", e->scale_year);
        }
    }
    if (e->have_controls) {
        scn_buf_put(&b, "controls:\n  account: ");
        scn_buf_list(&b, e->acc.path, e->acc.n);
        scn_buf_put(&b, "\n");
        if (e->rf.n) {
            scn_buf_put(&b, "  regime_files: ");
            scn_buf_list(&b, e->rf.path, e->rf.n);
            scn_buf_put(&b, "\n");
        }
        if (e->have_regime) {
            const cp_ctl_regime *g = &e->regime;
            scn_buf_put(&b, "  regime:\n    name: ");
            scn_buf_quote(&b, g->name);
            scn_buf_put(&b, "\n    exporter: ");
            scn_buf_quote(&b, g->exporter);
            scn_buf_put(&b, "\n    importers: [");
            for (size_t i = 0; i < g->nimporters; i++) { if (i) scn_buf_put(&b, ", "); scn_buf_quote(&b, g->importers[i]); }
            scn_buf_put(&b, "]\n");
            if (e->rg.items_all) scn_buf_put(&b, "    items: all\n");
            else {
                scn_buf_put(&b, "    items: [");
                for (size_t i = 0; i < g->nitems; i++) { if (i) scn_buf_put(&b, ", "); scn_buf_quote(&b, g->items[i]); }
                scn_buf_put(&b, "]\n");
            }
            cp_ctl_date_format(g->start_day, d, sizeof d);
            scn_buf_put(&b, "    start: %s\n", d);
            if (g->end_day < CP_CTL_DAY_MAX) {
                cp_ctl_date_format(g->end_day, d, sizeof d);
                scn_buf_put(&b, "    end: %s\n", d);
            }
            scn_buf_put(&b, "    approval_share: ");
            scn_buf_num(&b, g->phase[0].approval_share);
            scn_buf_put(&b, "\n    review_working_days: %d\n", g->phase[0].review_working_days);
            if (g->nphases > 1) scn_buf_put(&b, "    changes:\n");
            for (size_t p = 1; p < g->nphases; p++) {
                cp_ctl_date_format(g->phase[p].from_day, d, sizeof d);
                scn_buf_put(&b, "      - {from: %s, approval_share: ", d);
                scn_buf_num(&b, g->phase[p].approval_share);
                scn_buf_put(&b, ", review_working_days: %d}\n", g->phase[p].review_working_days);
            }
        }
        scn_buf_put(&b, "  stockpile: %s\n  substitution: %s\n  other_suppliers: %s\n  inventories: %s\n",
            e->stockpile ? "true" : "false", e->substitution ? "true" : "false",
            e->other_suppliers ? "true" : "false", e->inventories ? "true" : "false");
        scn_buf_put(&b, "  criticality_scale: ");
        scn_buf_num(&b, e->crit_scale);
        scn_buf_put(&b, "\n");
        if (e->novr) scn_buf_put(&b, "  supply:\n");
        for (size_t i = 0; i < e->novr; i++) {
            const sc_override *o = &e->ovr[i];
            scn_buf_put(&b, "    %s: {", o->element);
            int first = 1;
            if (o->inventory_days >= 0) { scn_buf_put(&b, "inventory_days: "); scn_buf_num(&b, o->inventory_days); first = 0; }
            if (o->stockpile_days >= 0) { scn_buf_put(&b, "%sstockpile_days: ", first ? "" : ", "); scn_buf_num(&b, o->stockpile_days); first = 0; }
            if (o->exporter_share >= 0) { scn_buf_put(&b, "%sexporter_share: ", first ? "" : ", "); scn_buf_num(&b, o->exporter_share); }
            scn_buf_put(&b, "}\n");
        }
        scn_buf_put(&b, "  outputs: {monthly: %s, by_industry: %s}\n", e->out_monthly ? "true" : "false",
            e->out_by_industry ? "true" : "false");
    }
    if (b.oom) { free(b.p); return NULL; }
    return b.p;
}
