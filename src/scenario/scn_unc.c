/*
 * scn_unc.c — the uncertainty: section of a scenario (docs/uncertainty.md):
 *
 *   uncertainty:
 *     draws: 1000                 # Monte Carlo draws
 *     seed: 1                     # master seed (stream splitting, cp_unc_stream_seed)
 *     threads: 0                  # 0: one per core
 *     percentiles: [5, 25, 50, 75, 95]
 *     account_ranges: true        # the account's [low, central, high] ranges are parameters
 *     range_shape: triangular     # how a range becomes a law: triangular, pert, uniform
 *     sampling: mc                # mc (independent draws) or lhs (Latin hypercube)
 *     parameters:
 *       controls.regime.approval_share: {dist: uniform, min: 0, max: 0.2}
 *       supply[*].inventory_days: triangular min=30 mode=60 max=90
 *     correlations:
 *       - [supply[Dy].demand_t_per_year, supply[Tb].demand_t_per_year, 0.8]
 *
 * Everything is checked here with file:line:col; which paths exist is only
 * known once the account is read (cp_scn_mc_new), which reports unknown
 * paths at the position recorded here.
 */
#include "scn_unc.h"
#include "scn_yaml.h"

#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parsing context. */
typedef struct su_ctx {
    cp_scn *s;
    const char *file;
    scn_err_fn fn;
    void *ctx;
} su_ctx;

/* Report one located error through the sink (scn_yaml_err: printf-style). */
#define su_err(c, line, col, ...) scn_yaml_err((c)->fn, (c)->ctx, (line), (col), __VA_ARGS__)

/* A number of n in [lo, hi] (whole when whole_only). */
static int su_num(su_ctx *c, struct fy_node *n, const char *what, double lo, double hi,
                  int whole_only, const char *hint, double *out)
{
    char b[128];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    double v;
    if (!s || cp_parse_double(s, &v)) {
        su_err(c, l, co, "%s: '%s' is not a number; hint: %s", what, s ? s : "(collection)", hint);
        return -1;
    }
    if (v < lo || v > hi || (whole_only && v != floor(v))) {
        su_err(c, l, co, "%s: %g is out of range; hint: %s", what, v, hint);
        return -1;
    }
    *out = v;
    return 0;
}

/* Release the section. */
void cp_scn_unc_free(cp_scn_unc *u)
{
    if (!u) return;
    free(u->par);
    free(u->corr);
    free(u);
}

/* Defaults of the section (also what a scenario without one gets). */
static void su_defaults(cp_scn_unc *u)
{
    memset(u, 0, sizeof *u);
    u->draws = 1000;
    u->seed = 1;
    u->threads = 0;
    static const double p[5] = {5, 25, 50, 75, 95};
    memcpy(u->pct, p, sizeof p);
    u->npct = 5;
    u->account_ranges = 1;
    snprintf(u->range_shape, sizeof u->range_shape, "triangular");
}

/* The scenario's section, or the defaults. */
const cp_scn_unc *cp_scn_uncertainty(const cp_scn *s, cp_scn_unc *defaults)
{
    if (s->unc) return s->unc;
    su_defaults(defaults);
    return defaults;
}

/* The scenario-level parameter paths (account paths are checked later). */
static const char *const scn_paths[] = {
    "controls.regime.approval_share", "controls.regime.review_working_days",
    "controls.criticality_scale", "ario.psi_param", "ario.alpha_base", "ario.alpha_max",
    "ario.alpha_tau", "ario.main_inv_dur", "ario.inventory_restoration_tau", NULL};

/* Is path syntactically a parameter path?  Scenario paths must be known;
 * account paths start with supply[, use[ or regime[. */
static int su_path_ok(su_ctx *c, const char *path, long l, long co)
{
    for (size_t i = 0; scn_paths[i]; i++)
        if (!strcmp(path, scn_paths[i])) return 1;
    if (!strncmp(path, "supply[", 7) || !strncmp(path, "use[", 4) || !strncmp(path, "regime[", 7)) {
        if (!strchr(path, ']') || !strchr(strchr(path, ']'), '.')) {
            su_err(c, l, co, "uncertainty.parameters: '%s' is not a parameter path; hint: e.g. supply[Dy].inventory_days or use[Dy,3531].criticality",
                   path);
            return 0;
        }
        return 1;
    }
    const char *nk = scn_yaml_closest(path, scn_paths);
    if (nk) su_err(c, l, co, "uncertainty.parameters: unknown parameter '%s'; hint: did you mean '%s'?", path, nk);
    else
        su_err(c, l, co, "uncertainty.parameters: unknown parameter '%s'; hint: a scenario parameter (controls.regime.approval_share, controls.criticality_scale, ario.psi_param, ...) or an account range such as supply[Dy].inventory_days",
               path);
    return 0;
}

/* One distribution: a mapping {dist: .., min: ..} or a one-line spec. */
static void su_param(su_ctx *c, cp_scn_unc *u, struct fy_node *k, struct fy_node *v)
{
    char pb[256], vb[1024];
    long l, co, vl, vc;
    scn_yaml_pos(k, &l, &co, 0, 0);
    scn_yaml_pos(v, &vl, &vc, l, co);
    const char *path = scn_yaml_text(k, pb, sizeof pb);
    if (!path || !*path) { su_err(c, l, co, "uncertainty.parameters: a key must be a parameter path"); return; }
    if (strlen(path) >= sizeof u->par[0].path) { su_err(c, l, co, "uncertainty.parameters: path '%.60s...' is too long", path); return; }
    int ok = su_path_ok(c, path, l, co);
    long replace = -1;   /* a base scenario's entry (extends:) is replaced */
    for (size_t i = 0; i < u->npar; i++)
        if (!strcmp(u->par[i].path, path)) {
            if (strcmp(u->par[i].file, c->file)) { replace = (long)i; continue; }
            su_err(c, l, co, "uncertainty.parameters: '%s' given twice (first at line %ld); hint: keep one", path, u->par[i].line);
            ok = 0;
        }
    cp_scn_unc_param p;
    memset(&p, 0, sizeof p);
    snprintf(p.path, sizeof p.path, "%s", path);
    snprintf(p.file, sizeof p.file, "%s", c->file);
    p.line = l;
    p.col = co;
    cp_error e;
    cp_error_clear(&e);
    int bad = 0;
    if (fy_node_is_scalar(v)) {
        const char *spec = scn_yaml_text(v, vb, sizeof vb);
        if (cp_unc_dist_parse(&p.dist, path, spec, &e)) { su_err(c, vl, vc, "uncertainty.parameters: %s", e.msg); bad = 1; }
    } else if (fy_node_is_mapping(v)) {
        cp_unc_dist_init(&p.dist, path);
        void *it = NULL;
        struct fy_node_pair *q;
        while ((q = fy_node_mapping_iterate(v, &it)) != NULL) {
            char kb[64];
            struct fy_node *k2 = fy_node_pair_key(q), *v2 = fy_node_pair_value(q);
            long l2, c2;
            scn_yaml_pos(k2, &l2, &c2, vl, vc);
            const char *key = scn_yaml_text(k2, kb, sizeof kb);
            if (!key) { su_err(c, l2, c2, "uncertainty.parameters.%s: keys must be plain strings", path); bad = 1; continue; }
            /* a list (values, weights) becomes "a b c" */
            vb[0] = 0;
            if (fy_node_is_sequence(v2)) {
                void *it2 = NULL;
                struct fy_node *x;
                size_t len = 0;
                while ((x = fy_node_sequence_iterate(v2, &it2)) != NULL) {
                    char xb[128];
                    const char *xs = scn_yaml_text(x, xb, sizeof xb);
                    len += (size_t)snprintf(vb + len, len < sizeof vb ? sizeof vb - len : 0, "%s%s", len ? " " : "", xs ? xs : "?");
                    if (len >= sizeof vb) break;
                }
            } else if (!scn_yaml_text(v2, vb, sizeof vb)) {
                su_err(c, l2, c2, "uncertainty.parameters.%s.%s: expected a number or a name", path, key);
                bad = 1;
                continue;
            }
            cp_error_clear(&e);
            long l3, c3;
            scn_yaml_pos(v2, &l3, &c3, l2, c2);
            if (cp_unc_dist_set(&p.dist, key, vb, &e)) {
                su_err(c, !strcmp(key, "dist") || strstr(e.msg, "unknown key") ? l2 : l3,
                       !strcmp(key, "dist") || strstr(e.msg, "unknown key") ? c2 : c3, "uncertainty.parameters: %s", e.msg);
                bad = 1;
            }
        }
        cp_error_clear(&e);
        if (!bad && cp_unc_dist_check(&p.dist, &e)) { su_err(c, l, co, "uncertainty.parameters: %s", e.msg); bad = 1; }
    } else {
        su_err(c, vl, vc, "uncertainty.parameters.%s: expected a distribution; hint: {dist: triangular, min: 30, mode: 60, max: 90}", path);
        bad = 1;
    }
    if (bad || !ok) return;
    if (replace >= 0) { u->par[replace] = p; return; }
    cp_scn_unc_param *np = realloc(u->par, (u->npar + 1) * sizeof *np);
    if (!np) { su_err(c, l, co, "uncertainty: out of memory"); return; }
    u->par = np;
    u->par[u->npar++] = p;
}

/* One correlation: [P, Q, r] or {a: P, b: Q, r: x}. */
static void su_corr(su_ctx *c, cp_scn_unc *u, struct fy_node *x)
{
    long l, co;
    scn_yaml_pos(x, &l, &co, u->line, u->col);
    struct fy_node *na = NULL, *nb = NULL, *nr = NULL;
    if (fy_node_is_sequence(x) && fy_node_sequence_item_count(x) == 3) {
        na = fy_node_sequence_get_by_index(x, 0);
        nb = fy_node_sequence_get_by_index(x, 1);
        nr = fy_node_sequence_get_by_index(x, 2);
    } else if (fy_node_is_mapping(x)) {
        na = fy_node_mapping_lookup_by_string(x, "a", 1);
        nb = fy_node_mapping_lookup_by_string(x, "b", 1);
        nr = fy_node_mapping_lookup_by_string(x, "r", 1);
    }
    char ab[256], bb[256];
    const char *a = scn_yaml_text(na, ab, sizeof ab), *b = scn_yaml_text(nb, bb, sizeof bb);
    if (!a || !b || !nr || !*a || !*b) {
        su_err(c, l, co, "uncertainty.correlations: expected [PARAMETER, PARAMETER, r]; hint: - [supply[Dy].demand_t_per_year, supply[Tb].demand_t_per_year, 0.8]");
        return;
    }
    cp_scn_unc_corr k;
    memset(&k, 0, sizeof k);
    if (strlen(a) >= sizeof k.a || strlen(b) >= sizeof k.b) { su_err(c, l, co, "uncertainty.correlations: path too long"); return; }
    if (!strcmp(a, b)) { su_err(c, l, co, "uncertainty.correlations: '%s' correlated with itself; hint: name two different parameters", a); return; }
    double r;
    if (su_num(c, nr, "uncertainty.correlations: r", -0.999999, 0.999999, 0,
               "a Spearman rank correlation strictly between -1 and 1", &r)) return;
    snprintf(k.a, sizeof k.a, "%s", a);
    snprintf(k.b, sizeof k.b, "%s", b);
    k.r = r;
    snprintf(k.file, sizeof k.file, "%s", c->file);
    k.line = l;
    k.col = co;
    for (size_t i = 0; i < u->ncorr; i++)
        if ((!strcmp(u->corr[i].a, a) && !strcmp(u->corr[i].b, b)) || (!strcmp(u->corr[i].a, b) && !strcmp(u->corr[i].b, a))) {
            su_err(c, l, co, "uncertainty.correlations: %s and %s given twice (first at line %ld)", a, b, u->corr[i].line);
            return;
        }
    cp_scn_unc_corr *nc = realloc(u->corr, (u->ncorr + 1) * sizeof *nc);
    if (!nc) { su_err(c, l, co, "uncertainty: out of memory"); return; }
    u->corr = nc;
    u->corr[u->ncorr++] = k;
}

/* The uncertainty: section.  With extends:, a file's keys override the
 * base's key by key; parameters merge by path (a later file's law for a
 * path replaces the base's) and correlations add up. */
void scn_parse_uncertainty(cp_scn *s, struct fy_node *v, long kl, long kc, const char *file,
                           scn_err_fn fn, void *ctx)
{
    static const char *const keys[] = {"draws", "seed", "threads", "percentiles", "account_ranges",
                                       "range_shape", "sampling", "parameters", "correlations", "note", NULL};
    su_ctx c = {s, file, fn, ctx};
    cp_scn_unc *u = s->unc;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u) { su_err(&c, kl, kc, "uncertainty: out of memory"); return; }
        su_defaults(u);
        s->unc = u;
    }
    u->line = kl;
    u->col = kc;
    snprintf(u->file, sizeof u->file, "%s", file);
    if (!fy_node_is_mapping(v)) {
        su_err(&c, kl, kc, "uncertainty: expected a mapping; hint: uncertainty: {draws: 1000, seed: 1, parameters: {controls.regime.approval_share: {dist: uniform, min: 0, max: 0.2}}}");
        return;
    }
    void *it = NULL;
    struct fy_node_pair *pr;
    while ((pr = fy_node_mapping_iterate(v, &it)) != NULL) {
        char kb[64], vb[64];
        struct fy_node *k = fy_node_pair_key(pr), *val = fy_node_pair_value(pr);
        long l, co;
        scn_yaml_pos(k, &l, &co, kl, kc);
        const char *key = scn_yaml_text(k, kb, sizeof kb);
        int known = 0;
        for (size_t i = 0; key && keys[i]; i++) known |= !strcmp(key, keys[i]);
        if (!known) {
            const char *nk = key ? scn_yaml_closest(key, keys) : NULL;
            if (nk) su_err(&c, l, co, "unknown key '%s' in uncertainty; hint: did you mean '%s'?", key ? key : "", nk);
            else su_err(&c, l, co, "unknown key '%s' in uncertainty; hint: known keys are draws, seed, threads, percentiles, account_ranges, range_shape, sampling, parameters, correlations", key ? key : "");
            continue;
        }
        double d;
        long vl, vc;
        scn_yaml_pos(val, &vl, &vc, l, co);
        if (!strcmp(key, "draws")) {
            if (!su_num(&c, val, "uncertainty.draws", 2, 1e8, 1, "a whole number of draws, at least 2", &d)) u->draws = (size_t)d;
        } else if (!strcmp(key, "seed")) {
            if (!su_num(&c, val, "uncertainty.seed", 0, 9007199254740992.0, 1, "a whole number 0 or more", &d)) u->seed = (uint64_t)d;
        } else if (!strcmp(key, "threads")) {
            if (!su_num(&c, val, "uncertainty.threads", 0, 1024, 1, "a whole number of threads, 0 for one per core", &d)) u->threads = (size_t)d;
        } else if (!strcmp(key, "percentiles")) {
            if (!fy_node_is_sequence(val) || fy_node_sequence_item_count(val) < 1 || fy_node_sequence_item_count(val) > 16) {
                su_err(&c, vl, vc, "uncertainty.percentiles: expected a list of 1 to 16 numbers; hint: [5, 25, 50, 75, 95]");
                continue;
            }
            double p[16];
            size_t n = 0;
            int bad = 0;
            void *it2 = NULL;
            struct fy_node *x;
            while ((x = fy_node_sequence_iterate(val, &it2)) != NULL) {
                if (su_num(&c, x, "uncertainty.percentiles", 1, 99, 1, "whole percentiles 1..99 (the report names series _pNN)", &p[n])) bad = 1;
                else if (n && p[n] <= p[n - 1]) {
                    long xl, xc;
                    scn_yaml_pos(x, &xl, &xc, vl, vc);
                    su_err(&c, xl, xc, "uncertainty.percentiles: %g after %g; hint: list them in increasing order", p[n], p[n - 1]);
                    bad = 1;
                }
                n++;
            }
            if (!bad) { memcpy(u->pct, p, n * sizeof *p); u->npct = n; }
        } else if (!strcmp(key, "account_ranges")) {
            const char *t = scn_yaml_text(val, vb, sizeof vb);
            if (t && (!strcmp(t, "true") || !strcmp(t, "yes") || !strcmp(t, "on"))) u->account_ranges = 1;
            else if (t && (!strcmp(t, "false") || !strcmp(t, "no") || !strcmp(t, "off"))) u->account_ranges = 0;
            else su_err(&c, vl, vc, "uncertainty.account_ranges: expected true or false, got '%s'", t ? t : "a collection");
        } else if (!strcmp(key, "range_shape")) {
            const char *t = scn_yaml_text(val, vb, sizeof vb);
            if (t && (!strcmp(t, "triangular") || !strcmp(t, "pert") || !strcmp(t, "uniform"))) snprintf(u->range_shape, sizeof u->range_shape, "%s", t);
            else su_err(&c, vl, vc, "uncertainty.range_shape: unknown value '%s'; hint: one of triangular, pert, uniform", t ? t : "(collection)");
        } else if (!strcmp(key, "sampling")) {
            const char *t = scn_yaml_text(val, vb, sizeof vb);
            cp_unc_sampling how;
            if (t && !cp_unc_sampling_of(t, &how)) u->sampling = how;
            else su_err(&c, vl, vc, "uncertainty.sampling: unknown value '%s'; hint: mc (independent draws) or lhs (Latin hypercube)", t ? t : "(collection)");
        } else if (!strcmp(key, "parameters")) {
            if (!fy_node_is_mapping(val)) {
                su_err(&c, vl, vc, "uncertainty.parameters: expected a mapping PATH: DISTRIBUTION; hint: controls.regime.approval_share: {dist: uniform, min: 0, max: 0.2}");
                continue;
            }
            void *it2 = NULL;
            struct fy_node_pair *q;
            while ((q = fy_node_mapping_iterate(val, &it2)) != NULL) su_param(&c, u, fy_node_pair_key(q), fy_node_pair_value(q));
        } else if (!strcmp(key, "correlations")) {
            if (!fy_node_is_sequence(val)) {
                su_err(&c, vl, vc, "uncertainty.correlations: expected a list; hint: - [PARAMETER, PARAMETER, 0.5]");
                continue;
            }
            u->ncorr = 0;   /* a list: an earlier file's (extends:) is replaced whole */
            void *it2 = NULL;
            struct fy_node *x;
            while ((x = fy_node_sequence_iterate(val, &it2)) != NULL) su_corr(&c, u, x);
        }
    }
}

/* The bit cp_unc_dist_set gives to key (found by setting it on a scratch
 * law, so the writer below needs no copy of unc_dist.c's key order). */
static unsigned su_key_bit(const char *key)
{
    cp_unc_dist t;
    cp_error e;
    cp_unc_dist_init(&t, "key");
    if (!strcmp(key, "dist")) cp_unc_dist_set(&t, key, "uniform", &e);
    else cp_unc_dist_set_num(&t, key, 1.0, &e);
    return t.keys;
}

/* One law as a flow mapping of the keys it was given ({dist: triangular,
 * min: 30, mode: 60, max: 90}), each number written to read back to the
 * same double; a median is written as mu (= ln median, as stored), so
 * the law read back is the same bits. */
static void su_put_dist(scn_buf *b, const cp_unc_dist *d)
{
    static const char *const keys[] = {"min", "mode", "max", "mean", "sd", "mu", "sigma", "alpha", "beta", "central"};
    const double v[] = {d->min, d->mode, d->max, d->mean, d->sd, d->mu, d->sigma, d->alpha, d->beta, d->central};
    scn_buf_put(b, "{dist: %s", cp_unc_kind_name(d->kind));
    unsigned given = d->keys | ((d->keys & su_key_bit("median")) ? su_key_bit("mu") : 0);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (given & su_key_bit(keys[k])) {
            scn_buf_put(b, ", %s: ", keys[k]);
            scn_buf_num(b, v[k]);
        }
    for (int w = 0; w < 2; w++) {
        size_t n = w ? d->nweights : d->nvalues;
        if (!n) continue;
        scn_buf_put(b, ", %s: [", w ? "weights" : "values");
        for (size_t i = 0; i < n; i++) {
            if (i) scn_buf_put(b, ", ");
            scn_buf_num(b, w ? d->weights[i] : d->values[i]);
        }
        scn_buf_put(b, "]");
    }
    scn_buf_put(b, "}");
}

/* The uncertainty: section with every default filled in (NULL when the
 * scenario has none, or out of memory): settings, each parameter's law
 * with the keys it was given, the correlations; read back by
 * scn_parse_uncertainty to the same section. */
char *scn_unc_resolved_yaml(const cp_scn *s)
{
    const cp_scn_unc *u = s->unc;
    if (!u) return NULL;
    scn_buf b = {0};
    scn_buf_put(&b, "uncertainty:\n  draws: %zu\n  seed: %llu\n  threads: %zu\n  percentiles: [", u->draws,
                (unsigned long long)u->seed, u->threads);
    for (size_t j = 0; j < u->npct; j++) {
        if (j) scn_buf_put(&b, ", ");
        scn_buf_num(&b, u->pct[j]);
    }
    scn_buf_put(&b, "]\n  account_ranges: %s\n  range_shape: %s\n  sampling: %s\n", u->account_ranges ? "true" : "false",
                u->range_shape, cp_unc_sampling_name(u->sampling));
    scn_buf_put(&b, "  parameters:%s\n", u->npar ? "" : " {}");
    for (size_t i = 0; i < u->npar; i++) {
        scn_buf_put(&b, "    ");
        scn_buf_quote(&b, u->par[i].path);
        scn_buf_put(&b, ": ");
        su_put_dist(&b, &u->par[i].dist);
        scn_buf_put(&b, "\n");
    }
    scn_buf_put(&b, "  correlations:%s\n", u->ncorr ? "" : " []");
    for (size_t i = 0; i < u->ncorr; i++) {
        scn_buf_put(&b, "    - [");
        scn_buf_quote(&b, u->corr[i].a);
        scn_buf_put(&b, ", ");
        scn_buf_quote(&b, u->corr[i].b);
        scn_buf_put(&b, ", ");
        scn_buf_num(&b, u->corr[i].r);
        scn_buf_put(&b, "]\n");
    }
    if (b.oom) { free(b.p); return NULL; }
    return b.p;
}
