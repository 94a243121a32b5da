/*
 * scn.c — YAML scenarios: parse with libfyaml's document API, check every
 * key against a schema (unknown keys get the closest known key as a
 * hint), every type and every range, and report all errors at once, each
 * as file:line:col.  Nothing is returned on half-valid input.
 *
 * The top level is dispatched from a table of sections (scn_sections), so
 * later sections (controls, uncertainty, extends) are one entry and one
 * handler each.  Labels (regions, sectors) are only resolved against a
 * table in cp_scn_build_ario, which reports unknown labels with the
 * event's position.
 */
#include "chokepoint.h"
#include "core/yaml_text.h"
#include "core/yaml_diag.h"
#include "scn_controls.h"
#include "scn_extends.h"
#include "scn_unc.h"
#include "scn_yaml.h"

#include <ctype.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Error list being collected. */
typedef struct scn_ctx {
    const char *file;
    char buf[CP_ERROR_MSG_MAX];
    size_t len;
    int nerr, nshown;
    cp_scn *s;
    int ext_failed;     /* a file of the scenario (an extends: base, or the file itself)
                           could not be read whole: its keys are missing */
} scn_ctx;

/* Append one located error (all are kept in count; as many as fit are
 * shown). */
__attribute__((format(printf, 4, 5)))
static void scn_err(scn_ctx *c, long line, long col, const char *fmt, ...)
{
    c->nerr++;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char one[1024];
    if (line > 0) snprintf(one, sizeof one, "%s:%ld:%ld: %s\n", c->file, line, col > 0 ? col : 1, msg);
    else snprintf(one, sizeof one, "%s: %s\n", c->file, msg);
    size_t l = strlen(one);
    if (c->len + l + 64 < sizeof c->buf) {
        memcpy(c->buf + c->len, one, l + 1);
        c->len += l;
        c->nshown++;
    }
}

/* Error sink for the sections parsed in scn_controls.c and scn_unc.c, and
 * the shared readers of scn_yaml.c. */
static void scn_err_sink(void *ctx, long line, long col, const char *msg)
{
    scn_err(ctx, line, col, "%s", msg);
}

/* Levenshtein distance, for "did you mean". */
size_t cp_scn_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t m = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < m ? sub : m;
            prev = cur;
        }
    }
    return row[lb];
}

/* Read a number (inf/.inf allowed when allow_inf) within [lo, hi]. */
static int get_num(scn_ctx *c, struct fy_node *n, const char *key, double lo, double hi,
                   int allow_inf, double *out)
{
    char b[128];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (!s) { scn_err(c, l, co, "%s: expected a number, got a %s", key, n && fy_node_is_mapping(n) ? "mapping" : "list"); return -1; }
    double v;
    if (allow_inf && (!strcmp(s, "inf") || !strcmp(s, ".inf") || !strcmp(s, "infinity") || !strcmp(s, ".Inf")))
        v = INFINITY;
    else if (cp_parse_double(s, &v)) {
        scn_err(c, l, co, "%s: '%s' is not a number%s", key, s, allow_inf ? " (or inf)" : "");
        return -1;
    }
    if (v < lo || v > hi) {
        if (isinf(hi)) scn_err(c, l, co, "%s: %g is out of range; hint: must be >= %g", key, v, lo);
        else scn_err(c, l, co, "%s: %g is out of range; hint: must be in [%g, %g]", key, v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* Read an integer within [lo, hi]. */
static int get_int(scn_ctx *c, struct fy_node *n, const char *key, long lo, long hi, long *out)
{
    double v;
    if (get_num(c, n, key, (double)lo, (double)hi, 0, &v)) return -1;
    if (v != floor(v)) {
        long l, co;
        scn_yaml_pos(n, &l, &co, 0, 0);
        scn_err(c, l, co, "%s: expected a whole number, got %g", key, v);
        return -1;
    }
    *out = (long)v;
    return 0;
}

/* Read a boolean. */
static int get_bool(scn_ctx *c, struct fy_node *n, const char *key, int *out)
{
    return scn_yaml_bool(n, key, out, scn_err_sink, c);
}

/* Read a string (owned copy). */
static int get_str(scn_ctx *c, struct fy_node *n, const char *key, char **out)
{
    char b[4096];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (!s || !*s) { scn_err(c, l, co, "%s: expected a non-empty string", key); return -1; }
    free(*out);
    *out = strdup(s);
    return *out ? 0 : -1;
}

/* Read one of a list of choices; the index goes to *out. */
static int get_enum(scn_ctx *c, struct fy_node *n, const char *key, const char *const *choices,
                    int *out)
{
    char b[128];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (s)
        for (int i = 0; choices[i]; i++)
            if (!strcmp(s, choices[i])) { *out = i; return 0; }
    char opts[512] = "";
    for (int i = 0; choices[i]; i++) {
        strncat(opts, i ? ", " : "", sizeof opts - strlen(opts) - 1);
        strncat(opts, choices[i], sizeof opts - strlen(opts) - 1);
    }
    const char *near = s ? scn_yaml_closest(s, choices) : NULL;
    if (near) scn_err(c, l, co, "%s: unknown value '%s'; hint: did you mean '%s'? (one of %s)", key, s, near, opts);
    else scn_err(c, l, co, "%s: unknown value '%s'; hint: one of %s", key, s ? s : "(collection)", opts);
    return -1;
}

/* Read a string or a list of strings. */
static int get_strlist(scn_ctx *c, struct fy_node *n, const char *key, char ***out, size_t *nout)
{
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    size_t k = 0;
    char **v = NULL;
    if (fy_node_is_scalar(n)) {
        v = calloc(1, sizeof *v);
        if (!v || get_str(c, n, key, &v[0])) { free(v); return -1; }
        k = 1;
    } else if (fy_node_is_sequence(n)) {
        size_t cnt = (size_t)fy_node_sequence_item_count(n);
        if (cnt == 0) { scn_err(c, l, co, "%s: empty list", key); return -1; }
        v = calloc(cnt, sizeof *v);
        if (!v) return -1;
        void *it = NULL;
        struct fy_node *x;
        while ((x = fy_node_sequence_iterate(n, &it)) != NULL) {
            if (get_str(c, x, key, &v[k])) {
                for (size_t i = 0; i < k; i++) free(v[i]);
                free(v);
                return -1;
            }
            k++;
        }
    } else {
        scn_err(c, l, co, "%s: expected a string or a list of strings", key);
        return -1;
    }
    for (size_t i = 0; i < *nout; i++) free((*out)[i]);
    free(*out);
    *out = v;
    *nout = k;
    return 0;
}

/* Read a number or a list of numbers within [lo, hi]. */
static int get_numlist(scn_ctx *c, struct fy_node *n, const char *key, double lo, double hi,
                       double **out, size_t *nout)
{
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    if (!fy_node_is_sequence(n)) {
        double v;
        if (get_num(c, n, key, lo, hi, 1, &v)) return -1;
        free(*out);
        *out = malloc(sizeof(double));
        if (!*out) return -1;
        (*out)[0] = v;
        *nout = 1;
        return 0;
    }
    size_t cnt = (size_t)fy_node_sequence_item_count(n);
    if (cnt == 0) { scn_err(c, l, co, "%s: empty list", key); return -1; }
    double *v = calloc(cnt, sizeof *v);
    if (!v) return -1;
    void *it = NULL;
    struct fy_node *x;
    size_t k = 0;
    int bad = 0;
    while ((x = fy_node_sequence_iterate(n, &it)) != NULL)
        if (get_num(c, x, key, lo, hi, 1, &v[k++])) bad = 1;
    if (bad) { free(v); return -1; }
    free(*out);
    *out = v;
    *nout = k;
    return 0;
}

/* An unknown key: say so, with the closest known key. */
static void unknown_key(scn_ctx *c, struct fy_node *k, const char *name, const char *where,
                        const char *const *known)
{
    long l, co;
    char msg[768];
    scn_yaml_pos(k, &l, &co, 0, 0);
    scn_yaml_unknown_key(msg, sizeof msg, name, where, known);
    scn_err(c, l, co, "%s", msg);
}

/* ---- the ario: section ---------------------------------------------- */

static const char *const ario_keys[] = {
    "order_type", "alpha_base", "alpha_max", "alpha_tau", "rebuild_tau", "main_inv_dur",
    "monetary_factor", "temporal_units_by_step", "iotable_year_to_temporal_unit_factor",
    "psi_param", "inventory_restoration_tau", "steps", "inventory_dict",
    "infinite_inventories_sect", "rationing", "priority", "overproduction_rule",
    "event_timing", "storage", "threads", NULL};
static const char *const order_names[] = {"alt", "base", NULL};
static const char *const ration_names[] = {"proportional", "final_demand_first", "intermediate_first", "priority", NULL};
static const char *const overprod_names[] = {"boario", "documented", NULL};
static const char *const timing_names[] = {"boario", "exact", NULL};
static const char *const storage_names[] = {"auto", "dense", "sparse", NULL};

/* Add (sector, days) to the inventory dictionary, with its position. */
static void inv_add(cp_scn *s, const char *sec, double days, long line, long col)
{
    for (size_t i = 0; i < s->ninv; i++)
        if (!strcmp(s->inv_sectors[i], sec)) { s->inv_days[i] = days; s->inv_line[i] = line; s->inv_col[i] = col; return; }
    char **ns = realloc(s->inv_sectors, (s->ninv + 1) * sizeof *ns);
    if (!ns) return;
    s->inv_sectors = ns;
    double *nd = realloc(s->inv_days, (s->ninv + 1) * sizeof *nd);
    if (!nd) return;
    s->inv_days = nd;
    long *nl = realloc(s->inv_line, (s->ninv + 1) * sizeof *nl);
    if (!nl) return;
    s->inv_line = nl;
    long *nc = realloc(s->inv_col, (s->ninv + 1) * sizeof *nc);
    if (!nc) return;
    s->inv_col = nc;
    s->inv_sectors[s->ninv] = strdup(sec);
    s->inv_days[s->ninv] = days;
    s->inv_line[s->ninv] = line;
    s->inv_col[s->ninv] = col;
    if (s->inv_sectors[s->ninv]) s->ninv++;
}

/* The model section, BoARIO's parameter names. */
static void parse_ario(scn_ctx *c, struct fy_node *map, long kl, long kc)
{
    cp_scn *s = c->s;
    cp_ario_params *p = &s->ario;
    if (!fy_node_is_mapping(map)) { scn_err(c, kl, kc, "ario: expected a mapping of parameters"); return; }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        char kb[128];
        struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key) continue;
        double d; long li; int e;
        if (!strcmp(key, "order_type")) { if (!get_enum(c, v, key, order_names, &e)) p->order_type = (cp_ario_order)e; }
        else if (!strcmp(key, "alpha_base")) { if (!get_num(c, v, key, 1e-9, 100, 0, &d)) p->alpha_base = d; }
        else if (!strcmp(key, "alpha_max")) { if (!get_num(c, v, key, 1e-9, 100, 0, &d)) p->alpha_max = d; }
        else if (!strcmp(key, "alpha_tau")) { if (!get_num(c, v, key, 1, 1e9, 0, &d)) p->alpha_tau = d; }
        else if (!strcmp(key, "rebuild_tau")) { (void)get_num(c, v, key, 0, 1e9, 0, &d); }
        else if (!strcmp(key, "main_inv_dur")) { if (!get_num(c, v, key, 1e-9, INFINITY, 1, &d)) p->main_inv_dur = d; }
        else if (!strcmp(key, "monetary_factor")) { if (!get_num(c, v, key, 1e-300, 1e300, 0, &d)) p->monetary_factor = d; }
        else if (!strcmp(key, "temporal_units_by_step")) { if (!get_int(c, v, key, 1, 3650, &li)) p->temporal_units_by_step = (int)li; }
        else if (!strcmp(key, "iotable_year_to_temporal_unit_factor")) { if (!get_num(c, v, key, 1e-9, 1e9, 0, &d)) p->year_to_temporal_unit = d; }
        else if (!strcmp(key, "psi_param")) {
            if (!get_num(c, v, key, 0, 1, 0, &d)) {
                if (d <= 0) { long l, co; scn_yaml_pos(v, &l, &co, 0, 0); scn_err(c, l, co, "psi_param: must be > 0; hint: 0.8 is BoARIO's default"); }
                else p->psi = d;
            }
        }
        else if (!strcmp(key, "inventory_restoration_tau")) { if (!get_num(c, v, key, 1, 1e9, 0, &d)) p->inventory_restoration_tau = d; }
        else if (!strcmp(key, "steps")) { if (!get_int(c, v, key, 1, 100000000, &li)) p->steps = (size_t)li; }
        else if (!strcmp(key, "rationing")) { if (!get_enum(c, v, key, ration_names, &e)) p->rationing = (cp_ario_rationing)e; }
        else if (!strcmp(key, "overproduction_rule")) { if (!get_enum(c, v, key, overprod_names, &e)) p->overprod = (cp_ario_overprod)e; }
        else if (!strcmp(key, "event_timing")) { if (!get_enum(c, v, key, timing_names, &e)) p->timing = (cp_ario_timing)e; }
        else if (!strcmp(key, "storage")) { if (!get_enum(c, v, key, storage_names, &e)) p->storage = (cp_ario_storage)e; }
        else if (!strcmp(key, "threads")) { if (!get_int(c, v, key, 0, 256, &li)) p->threads = (int)li; }
        else if (!strcmp(key, "priority")) {
            scn_yaml_pos(v, &s->prio_line, &s->prio_col, 0, 0);
            (void)get_strlist(c, v, key, &s->priority, &s->npriority);
        }
        else if (!strcmp(key, "infinite_inventories_sect")) {
            char **l = NULL; size_t nl = 0;
            if (!get_strlist(c, v, key, &l, &nl)) {
                long il, ic;
                scn_yaml_pos(v, &il, &ic, 0, 0);
                for (size_t i = 0; i < nl; i++) { inv_add(s, l[i], INFINITY, il, ic); free(l[i]); }
                free(l);
            }
        } else if (!strcmp(key, "inventory_dict")) {
            long l, co;
            scn_yaml_pos(v, &l, &co, 0, 0);
            if (!fy_node_is_mapping(v)) { scn_err(c, l, co, "inventory_dict: expected a mapping sector: days"); continue; }
            void *it2 = NULL;
            struct fy_node_pair *q;
            while ((q = fy_node_mapping_iterate(v, &it2)) != NULL) {
                char sb[256];
                const char *sec = scn_yaml_text(fy_node_pair_key(q), sb, sizeof sb);
                long il, ic;
                scn_yaml_pos(fy_node_pair_key(q), &il, &ic, 0, 0);
                if (sec && !get_num(c, fy_node_pair_value(q), "inventory_dict", 1e-9, INFINITY, 1, &d))
                    inv_add(s, sec, d, il, ic);
            }
        } else unknown_key(c, k, key, "ario", ario_keys);
    }
    if (p->alpha_max < p->alpha_base)
        scn_err(c, kl, kc, "ario: alpha_max (%g) must be >= alpha_base (%g)", p->alpha_max, p->alpha_base);
    if (p->inventory_restoration_tau < p->temporal_units_by_step)
        scn_err(c, kl, kc, "ario: inventory_restoration_tau (%g) must be >= temporal_units_by_step (%d); hint: shorter restoration over-orders (docs/ario.md, stable range)",
                p->inventory_restoration_tau, p->temporal_units_by_step);
    if (p->rationing == CP_ARIO_RATION_PRIORITY && s->npriority == 0)
        scn_err(c, kl, kc, "ario: rationing: priority needs a 'priority' list of sectors (use final_demand for households)");
}

/* ---- the events: section -------------------------------------------- */

static const char *const ev_types[] = {"capacity_loss", "flow_cap", "final_demand_change", "capacity_cap", "arbitrary", NULL};
static const char *const ev_keys_loss[] = {"type", "region", "regions", "sector", "sectors", "share", "occurrence", "duration", "recovery_tau", "name", NULL};
static const char *const ev_keys_cap[] = {"type", "product", "from", "to", "industries", "final_demand", "intermediate", "start", "duration", "cap", "series", "name", NULL};
static const char *const ev_keys_fd[] = {"type", "region", "regions", "sector", "sectors", "categories", "factor", "start", "duration", "name", NULL};
static const char *const ev_keys_kappa[] = {"type", "region", "regions", "sector", "sectors", "start", "duration", "cap", "series", "name", NULL};

/* Is key in the list? */
static int in_list(const char *key, const char *const *l)
{
    for (size_t i = 0; l[i]; i++) if (!strcmp(key, l[i])) return 1;
    return 0;
}

/* One event mapping. */
static void parse_event(scn_ctx *c, struct fy_node *map, cp_scn_event *e, size_t idx)
{
    long l, co;
    scn_yaml_pos(map, &l, &co, 0, 0);
    e->line = l; e->col = co;
    e->occurrence = 1; e->duration = -1; e->recovery_tau = 0; e->share = -1; e->factor = -1;
    e->final_demand = 1; e->intermediate = 1;
    char where[64];
    snprintf(where, sizeof where, "events[%zu]", idx);
    if (!fy_node_is_mapping(map)) { scn_err(c, l, co, "%s: expected a mapping with a 'type'", where); return; }
    struct fy_node *tn = fy_node_mapping_lookup_by_string(map, "type", 4);
    int ty = -1;
    if (!tn) { scn_err(c, l, co, "%s: missing 'type'; hint: one of capacity_loss, flow_cap, final_demand_change, capacity_cap", where); return; }
    if (get_enum(c, tn, "type", ev_types, &ty)) return;
    if (ty == 4) ty = 0;   /* BoARIO's "arbitrary" production event */
    e->type = (cp_scn_ev_type)ty;
    const char *const *keys = ty == 0 ? ev_keys_loss : ty == 1 ? ev_keys_cap : ty == 2 ? ev_keys_fd : ev_keys_kappa;
    int have_dur = 0, have_cap = 0, have_series = 0, have_start = 0;
    double capv = 0;
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        char kb[128];
        struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key || !strcmp(key, "type")) continue;
        if (!in_list(key, keys)) { unknown_key(c, k, key, where, keys); continue; }
        long li; double d; int b;
        if (!strcmp(key, "region") || !strcmp(key, "regions")) (void)get_strlist(c, v, key, &e->regions, &e->nregions);
        else if (!strcmp(key, "sector") || !strcmp(key, "sectors")) (void)get_strlist(c, v, key, &e->sectors, &e->nsectors);
        else if (!strcmp(key, "share")) { if (!get_num(c, v, key, 0, 1, 0, &d)) e->share = d; }
        else if (!strcmp(key, "occurrence")) { if (!get_int(c, v, key, 0, 100000000, &li)) e->occurrence = li; }
        else if (!strcmp(key, "start")) { if (!get_int(c, v, key, 0, 100000000, &li)) { e->occurrence = li; have_start = 1; } }
        else if (!strcmp(key, "duration")) { if (!get_int(c, v, key, 0, 100000000, &li)) { e->duration = li; have_dur = 1; } }
        else if (!strcmp(key, "recovery_tau")) { if (!get_num(c, v, key, 0, 1e9, 0, &d)) e->recovery_tau = d; }
        else if (!strcmp(key, "name")) { char *nm = NULL; if (!get_str(c, v, key, &nm)) free(nm); }
        else if (!strcmp(key, "product")) (void)get_str(c, v, key, &e->product);
        else if (!strcmp(key, "from")) (void)get_str(c, v, key, &e->from);
        else if (!strcmp(key, "to")) (void)get_strlist(c, v, key, &e->to, &e->nto);
        else if (!strcmp(key, "industries")) {
            char vb[16];
            const char *sv = scn_yaml_text(v, vb, sizeof vb);
            if (sv && !strcmp(sv, "all")) continue;
            (void)get_strlist(c, v, key, &e->industries, &e->nindustries);
        }
        else if (!strcmp(key, "final_demand")) { if (!get_bool(c, v, key, &b)) e->final_demand = b; }
        else if (!strcmp(key, "intermediate")) { if (!get_bool(c, v, key, &b)) e->intermediate = b; }
        else if (!strcmp(key, "cap")) {
            if (!get_num(c, v, key, 0, ty == 3 ? 1 : INFINITY, 1, &d)) { capv = d; have_cap = 1; }
        }
        else if (!strcmp(key, "series")) {
            if (!get_numlist(c, v, key, 0, ty == 3 ? 1 : INFINITY, &e->series, &e->nseries)) have_series = 1;
        }
        else if (!strcmp(key, "factor")) { if (!get_num(c, v, key, 0, 1e6, 0, &d)) e->factor = d; }
        else if (!strcmp(key, "categories")) (void)get_strlist(c, v, key, &e->fd_categories, &e->nfd_categories);
    }
    switch (e->type) {
    case CP_SCN_EV_CAPACITY_LOSS:
        if (!e->nregions) scn_err(c, l, co, "%s: capacity_loss needs 'region' (or 'regions')", where);
        if (!e->nsectors) scn_err(c, l, co, "%s: capacity_loss needs 'sector' (or 'sectors')", where);
        if (e->share < 0) scn_err(c, l, co, "%s: capacity_loss needs 'share' (fraction of capacity lost, 0..1)", where);
        if (!have_dur) e->duration = 1;
        break;
    case CP_SCN_EV_FLOW_CAP:
    case CP_SCN_EV_CAPACITY_CAP:
        if (e->type == CP_SCN_EV_FLOW_CAP) {
            if (!e->product) scn_err(c, l, co, "%s: flow_cap needs 'product' (the sector whose deliveries are capped)", where);
            if (!e->from) scn_err(c, l, co, "%s: flow_cap needs 'from' (the exporting region)", where);
            if (!e->final_demand && !e->intermediate)
                scn_err(c, l, co, "%s: flow_cap with final_demand and intermediate both false caps nothing", where);
        } else {
            if (!e->nregions) scn_err(c, l, co, "%s: capacity_cap needs 'region' (or 'regions')", where);
        }
        if (!have_start) e->occurrence = 0;
        if (have_cap == have_series)
            scn_err(c, l, co, "%s: give either 'cap' (one value, with 'duration') or 'series' (one value per step)", where);
        else if (have_cap) {
            free(e->series);
            e->series = malloc(sizeof(double));
            if (e->series) { e->series[0] = capv; e->nseries = 1; }
        } else if (have_dur) scn_err(c, l, co, "%s: 'duration' comes from the length of 'series'; drop one", where);
        break;
    case CP_SCN_EV_FD_CHANGE:
        if (!e->nregions) scn_err(c, l, co, "%s: final_demand_change needs 'region' (whose final demand)", where);
        if (e->factor < 0) scn_err(c, l, co, "%s: final_demand_change needs 'factor' (e.g. 0.9 for -10 %%)", where);
        if (!have_start) e->occurrence = 0;
        break;
    }
}

static void free_strs(char **v, size_t n);

/* Free the events (before a later file's events: replaces them). */
static void scn_free_events(cp_scn *s)
{
    for (size_t i = 0; i < s->nevents; i++) {
        cp_scn_event *e = &s->events[i];
        free_strs(e->regions, e->nregions); free_strs(e->sectors, e->nsectors);
        free(e->product); free(e->from); free_strs(e->to, e->nto);
        free_strs(e->industries, e->nindustries); free(e->series);
        free_strs(e->fd_categories, e->nfd_categories);
        free(e->file);
    }
    free(s->events);
    s->events = NULL;
    s->nevents = 0;
}

/* The events: list. */
static void parse_events(scn_ctx *c, struct fy_node *seq, long kl, long kc)
{
    if (!fy_node_is_sequence(seq)) { scn_err(c, kl, kc, "events: expected a list of events"); return; }
    size_t cnt = (size_t)fy_node_sequence_item_count(seq);
    cp_scn *s = c->s;
    scn_free_events(s);    /* a base scenario's list is replaced whole (extends:) */
    s->events = calloc(cnt ? cnt : 1, sizeof *s->events);
    if (!s->events) return;
    void *it = NULL;
    struct fy_node *x;
    size_t k = 0;
    while ((x = fy_node_sequence_iterate(seq, &it)) != NULL) {
        parse_event(c, x, &s->events[k], k);
        s->events[k].file = strdup(c->file);
        k++;
    }
    s->nevents = k;
}

/* The outputs: section. */
static void parse_outputs(scn_ctx *c, struct fy_node *map, long kl, long kc)
{
    static const char *const keys[] = {"timeseries", "inventories", NULL};
    if (!fy_node_is_mapping(map)) { scn_err(c, kl, kc, "outputs: expected a mapping"); return; }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        char kb[128];
        struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key) continue;
        if (!strcmp(key, "timeseries")) (void)get_bool(c, v, key, &c->s->out_timeseries);
        else if (!strcmp(key, "inventories")) (void)get_bool(c, v, key, &c->s->out_inventories);
        else unknown_key(c, k, key, "outputs", keys);
    }
}

/* Check a YYYY-MM-DD date. */
static int valid_date(const char *d)
{
    int y, m, dd;
    char tail;
    if (strlen(d) != 10 || sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3) return 0;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m >= 1 && m <= 12 && dd >= 1 && dd <= mdays[m - 1] &&
           !(m == 2 && dd == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0));
}

/* Top-level scalar keys. */
static void parse_top_scalar(scn_ctx *c, const char *key, struct fy_node *v)
{
    cp_scn *s = c->s;
    long li;
    if (!strcmp(key, "name")) (void)get_str(c, v, key, &s->name);
    else if (!strcmp(key, "table")) {
        char tb[4096];
        const char *t = scn_yaml_text(v, tb, sizeof tb);
        if (t && s->table && strcmp(t, s->table) && s->table_file && !strcmp(s->table_file, c->file)) {
            long l, co;   /* economy.table in this same file said otherwise */
            scn_yaml_pos(v, &l, &co, 0, 0);
            scn_err(c, l, co, "table '%s' differs from economy.table '%s'; hint: give the table once", t, s->table);
        } else if (!get_str(c, v, key, &s->table)) {   /* resolved against this file's directory */
            free(s->table_file);
            s->table_file = strdup(c->file);
            scn_yaml_pos(v, &s->table_line, &s->table_col, 0, 0);
        }
    }
    else if (!strcmp(key, "model")) {
        static const char *const models[] = {"ario", NULL};
        int e;
        if (!get_enum(c, v, key, models, &e)) { free(s->model); s->model = strdup("ario"); }
    } else if (!strcmp(key, "steps")) { if (!get_int(c, v, key, 1, 100000000, &li)) s->ario.steps = (size_t)li; }
    else if (!strcmp(key, "start_date")) {
        if (!get_str(c, v, key, &s->start_date) && !valid_date(s->start_date)) {
            long l, co;
            scn_yaml_pos(v, &l, &co, 0, 0);
            scn_err(c, l, co, "start_date: '%s' is not a date; hint: write YYYY-MM-DD", s->start_date);
        }
    }
}

typedef void (*scn_section_fn)(scn_ctx *c, struct fy_node *v, long kl, long kc);
/* Error sink naming its file (checks made once every file is read). */
static void scn_err_in(void *ctx, const char *file, long line, long col, const char *msg)
{
    scn_ctx *c = ctx;
    const char *keep = c->file;
    c->file = file;
    scn_err(c, line, col, "%s", msg);
    c->file = keep;
}
/* economy: (scn_controls.c). */
static void parse_economy(scn_ctx *c, struct fy_node *v, long kl, long kc)
{
    scn_parse_economy(c->s, c->file, v, kl, kc, scn_err_sink, c);
}
/* controls: (scn_controls.c). */
static void parse_controls(scn_ctx *c, struct fy_node *v, long kl, long kc)
{
    scn_parse_controls(c->s, c->file, v, kl, kc, scn_err_sink, c);
}
/* uncertainty: (scn_unc.c). */
static void parse_uncertainty(scn_ctx *c, struct fy_node *v, long kl, long kc)
{
    scn_parse_uncertainty(c->s, v, kl, kc, c->file, scn_err_sink, c);
}
/* Sections; later ones (controls, uncertainty, extends) are added here. */
static const struct { const char *name; scn_section_fn fn; } scn_sections[] = {
    {"ario", parse_ario},
    {"events", parse_events},
    {"outputs", parse_outputs},
    {"economy", parse_economy},
    {"controls", parse_controls},
    {"uncertainty", parse_uncertainty},
};
static const char *const top_keys[] = {"name", "table", "model", "steps", "start_date", "ario", "events", "outputs", "economy", "controls", "uncertainty", "extends", NULL};

/* Resolve the table path against the scenario's directory when it is a
 * relative path that exists there. */
static void resolve_table(cp_scn *s, const char *name)
{
    free(s->table_path);
    s->table_path = NULL;
    if (!s->table) return;
    if (s->table[0] != '/' && name) {
        const char *sl = strrchr(name, '/');
        if (sl) {
            size_t dl = (size_t)(sl - name);
            size_t l = dl + 1 + strlen(s->table) + 1;
            char *p = malloc(l);
            if (p) {
                snprintf(p, l, "%.*s/%s", (int)dl, name, s->table);
                FILE *f = fopen(p, "r");
                if (f) { fclose(f); s->table_path = p; return; }
                free(p);
            }
        }
    }
    s->table_path = strdup(s->table);
}

static void scn_load_file(void *ctx, const char *file, const char *text, size_t len, scn_chain *chain);

/* An extends: error at file:line:col. */
static void scn_ext_err(void *ctx, const char *file, long line, long col, const char *msg)
{
    scn_ctx *c = ctx;
    const char *keep = c->file;
    c->file = file;
    c->ext_failed = 1;
    scn_err(c, line, col, "%s", msg);
    c->file = keep;
}

/* Read a base file (extends:). */
static void scn_ext_load(void *ctx, const char *file, const char *text, size_t len, scn_chain *chain)
{
    scn_load_file(ctx, file, text, len, chain);
}

/* Read one file of a scenario (the one given, or a base it extends):
 * build its YAML document, follow its extends: first, then apply its
 * keys over what the bases set.  Errors carry this file's name. */
static void scn_load_file(void *ctx, const char *file, const char *text, size_t len, scn_chain *chain)
{
    scn_ctx *c = ctx;
    c->file = file;
    /* Text libfyaml 0.7.12 hangs or crashes on is refused before it sees
     * it: not UTF-8 or a NUL byte ("%cat\377" hangs), a tab after ':'
     * inside an explicit key ("? a:\t?" crashes); core/yaml_text.c,
     * docs/fuzzing.md. */
    long bl, bc;
    char why[256];
    if (cp_yaml_text_find_bad(text, len, &bl, &bc, why, sizeof why)) {
        c->ext_failed = 1;
        scn_err(c, bl, bc, "%s", why);
        return;
    }
    cp_yaml_diag dg;
    struct fy_diag *diag = cp_yaml_diag_create(&dg);
    struct fy_parse_cfg pcfg;
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.flags = FYPCF_QUIET;
    pcfg.diag = diag;
    struct fy_document *doc = diag ? fy_document_build_from_string(&pcfg, text, len) : NULL;
    if (!doc) {
        c->ext_failed = 1;
        if (dg.have) scn_err(c, dg.line, dg.col, "YAML syntax error: %s; hint: check indentation, colons and quotes here", dg.msg);
        else scn_err(c, 0, 0, "YAML syntax error; hint: check the file with a YAML linter");
        goto done;
    }
    struct fy_node *root = fy_document_root(doc);
    if (!root || !fy_node_is_mapping(root)) {
        c->ext_failed = 1;
        scn_err(c, 1, 1, "a scenario is a mapping with at least 'table:'; hint: see docs/ario.md");
        goto done;
    }
    struct fy_node *ext = fy_node_mapping_lookup_by_string(root, "extends", 7);
    if (ext) {   /* the base first, then this file's keys over it */
        char eb[4096];
        long el, ec;
        scn_yaml_pos(ext, &el, &ec, 0, 0);
        const char *target = scn_yaml_text(ext, eb, sizeof eb);
        if (!target || !*target) scn_err(c, el, ec, "extends: expected the path of a base scenario; hint: extends: base.yaml");
        else {
            scn_ext_ops ops = {c, scn_ext_err, scn_ext_load};
            scn_extends_follow(&ops, chain, file, target, el, ec);
            c->file = file;
        }
    }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(root, &it)) != NULL) {
        char kb[128];
        struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        if (!key) { long l, co; scn_yaml_pos(k, &l, &co, 0, 0); scn_err(c, l, co, "keys must be plain strings"); continue; }
        if (!strcmp(key, "extends")) continue;
        long kl, kc;
        scn_yaml_pos(k, &kl, &kc, 0, 0);
        size_t i;
        for (i = 0; i < sizeof scn_sections / sizeof scn_sections[0]; i++)
            if (!strcmp(key, scn_sections[i].name)) { scn_sections[i].fn(c, v, kl, kc); break; }
        if (i < sizeof scn_sections / sizeof scn_sections[0]) continue;
        if (in_list(key, top_keys)) parse_top_scalar(c, key, v);
        else unknown_key(c, k, key, "the scenario", top_keys);
    }
    /* steps: and ario.steps set the same number: one file may say it once
     * (a file extending another may use either form to override it). */
    struct fy_node *st = fy_node_mapping_lookup_by_string(root, "steps", 5);
    struct fy_node *ar = fy_node_mapping_lookup_by_string(root, "ario", 4);
    if (st && ar && fy_node_is_mapping(ar) && fy_node_mapping_lookup_by_string(ar, "steps", 5)) {
        long sl, sc, al, ac;
        scn_yaml_pos(st, &sl, &sc, 0, 0);
        scn_yaml_pos(fy_node_mapping_lookup_by_string(ar, "steps", 5), &al, &ac, 0, 0);
        scn_err(c, sl, sc, "steps: given twice, here and as ario.steps at line %ld; hint: keep one", al);
    }
done:
    if (doc) fy_document_destroy(doc);
    if (diag) fy_diag_unref(diag);
}

/* Parse a scenario from text. */
int cp_scn_parse(cp_scn *s, const char *name, const char *text, size_t len, cp_error *err)
{
    memset(s, 0, sizeof *s);
    s->ario = cp_ario_params_default();
    s->path = strdup(name ? name : "<scenario>");
    s->model = strdup("ario");
    s->out_timeseries = 1;
    scn_ctx *c = calloc(1, sizeof *c);
    if (!c || !s->path || !s->model) { free(c); cp_scn_free(s); return cp_error_set(err, CP_ENOMEM, "scenario: out of memory"); }
    c->s = s;
    scn_chain chain;
    if (scn_chain_start(&chain, s->path)) { free(c); cp_scn_free(s); return cp_error_set(err, CP_ENOMEM, "scenario: out of memory"); }
    scn_load_file(c, s->path, text, len, &chain);
    c->file = s->path;
    if (!s->table && !c->ext_failed) scn_err(c, 1, 1, "missing 'table:'; hint: a table directory, a pymrio folder or a shipped table name");
    scn_controls_finish(s, c->ext_failed, scn_err_in, c);
    scn_chain_free(&chain);
    int rc = 0;
    if (c->nerr) {
        if (c->nerr > c->nshown)
            snprintf(c->buf + c->len, sizeof c->buf - c->len, "(and %d more errors)\n", c->nerr - c->nshown);
        size_t l = strlen(c->buf);
        while (l && c->buf[l - 1] == '\n') c->buf[--l] = 0;
        rc = cp_error_set(err, CP_EINPUT, "%d error%s in scenario:\n%s", c->nerr, c->nerr == 1 ? "" : "s", c->buf);
        cp_scn_free(s);
    } else resolve_table(s, s->table_file ? s->table_file : name);
    free(c);
    return rc;
}

/* Read and parse a scenario file. */
int cp_scn_load(cp_scn *s, const char *path, cp_error *err)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (!f) return cp_error_at(err, CP_EINPUT, path, 0, 0, "cannot open the scenario; hint: check the path");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (64u << 20)) { free(buf); fclose(f); return cp_error_at(err, CP_EINPUT, path, 0, 0, "scenario larger than 64 MiB"); }
            char *nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); return cp_error_set(err, CP_ENOMEM, "out of memory"); }
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len - 1, f);
        len += r;
        if (r == 0) break;
    }
    fclose(f);
    if (memchr(buf, 0, len)) { free(buf); return cp_error_at(err, CP_EINPUT, path, 0, 0, "scenario contains NUL bytes; hint: is it a text file?"); }
    int rc = cp_scn_parse(s, path, buf, len, err);
    free(buf);
    return rc;
}

/* Free a list of strings. */
static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Release a scenario. */
void cp_scn_free(cp_scn *s)
{
    if (!s) return;
    free(s->path); free(s->name); free(s->table); free(s->table_path); free(s->start_date);
    free(s->table_file);
    free(s->model);
    free_strs(s->inv_sectors, s->ninv); free(s->inv_days); free(s->inv_line); free(s->inv_col);
    free_strs(s->priority, s->npriority);
    scn_free_events(s);
    cp_scn_ctl_free(s->ctl);
    cp_scn_unc_free(s->unc);
    memset(s, 0, sizeof *s);
}
