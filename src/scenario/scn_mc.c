/*
 * scn_mc.c — the Monte Carlo model of a scenario (docs/uncertainty.md):
 * resolves the uncertain parameters (the uncertainty: section's own, and
 * by default every [low, central, high] range of the satellite account the
 * scenario does not fix) and evaluates draws for the statistical core's
 * runner (cp_unc_run, cp_unc_run_mpi).
 *
 * A draw is exactly a `run` of the scenario with the drawn values: the
 * controls layer (cp_ctl_bind_table, cp_ctl_run_into) then ARIO over every
 * step, with the same bits as `run`.  Per thread, set up once: the
 * controls model (cp_scn_controls_run: account and regime files read, the
 * scenario's regime, switches and overrides applied), a snapshot of its
 * supply/use/regime arrays restored before each draw, reused controls
 * results, and two ARIO engines:
 *  - a batch (cp_ario_batch, docs/ario.md "The packed engine") of a model
 *    with the scenario's own ARIO parameters: the runner hands the model
 *    windows of MC_WINDOW draws; they are prepared, ordered by the step
 *    where their caps first change, and run CP_ARIO_BATCH_LANES at a time
 *    as lanes, their figures summed per step in lane vectors (mc_acc_*);
 *  - a one-draw model (cp_ario, reset before each draw, rebuilt when a draw
 *    changes an ARIO parameter) for draws that change ARIO's parameters and
 *    for tables the packed engine cannot run (several suppliers of a
 *    product, flow caps, rationing tiers).
 * A draw's numbers are the same bits on either path and in any batch.
 *
 * Rules (documented in docs/uncertainty.md):
 *  - an account range whose value the scenario changed (controls.supply
 *    overrides, switches turned off) is fixed at the scenario's value,
 *    unless uncertainty.parameters names it;
 *  - drawn demand shares of one material that sum above 1 are scaled down
 *    to sum to 1 (the account's constraint);
 *  - a drawn criticality is multiplied by controls.criticality_scale and
 *    capped at 1, as the scenario's own values are.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a parameter sets. */
typedef enum mc_target {
    MC_RANGES = 0,     /* account ranges (list) */
    MC_APPROVAL,       /* the scenario's inline regime, every phase */
    MC_REVIEW,
    MC_CRIT_SCALE,
    MC_PSI, MC_ALPHA_BASE, MC_ALPHA_MAX, MC_ALPHA_TAU, MC_INV_DUR, MC_INV_TAU
} mc_target;

/* One resolved parameter. */
typedef struct mc_param {
    mc_target target;
    size_t *ranges;      /* MC_RANGES: indices into the controls model's ranges */
    size_t nranges;
} mc_param;

struct cp_scn_mc {
    const cp_scn *s;
    const cp_table *t;
    size_t d;
    cp_unc_dist *dist;
    mc_param *par;
    double *C;            /* d × d target rank correlation, NULL if none */
    size_t steps, n, nmonths, nprod, nmat;
    char (*mat)[4];       /* [nmat] element symbols */
    int *mat_ctl;         /* [nmat] controlled within the horizon (central run) */
    size_t *step_month;   /* [steps] */
    char (*month)[16];
    double base_prod;     /* baseline total production per step */
    double gdp;
    double crit_scale;    /* the scenario's controls.criticality_scale */
    long start_day;
    long inline_regime;   /* index of the scenario's own regime in the model, or -1 */
    size_t nranges;
    int *range_crit;      /* [nranges] 1 if the range is a use's criticality */
    int *range_intensity; /* [nranges] 1 if it is a t_per_unit_output */
    unsigned outputs;     /* CP_MC_SECTORS | CP_MC_SECTOR_MONTHS (cp_scn_mc_set_outputs) */
};

/* The draws' output vectors are summed over industries and steps for all
 * lanes of a batch at once, in vectors of CP_ARIO_BATCH_LANES doubles
 * (lane l of every vector belongs to draw l).  Each lane adds its terms
 * in exactly the order a draw run alone does (industries in order within
 * a step, steps in order), so a draw's figures are the same bits in a
 * batch as alone; a draw run alone is lane 0 (the other lanes add zeros,
 * unread). */
typedef double mc_v __attribute__((vector_size(8 * CP_ARIO_BATCH_LANES), aligned(8)));   /* any address */

/* GCC on x86-64: the per-step sums compiled for AVX-512 and AVX2 too,
 * chosen at load time (the same IEEE operations in every variant). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define MC_HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MC_HOT
#endif

/* Running sums of one batch: headline totals, months, and per industry
 * (allocated once per thread, mc_ws_new). */
typedef struct mc_acc {
    mc_v gdp, prod, fdu;
    mc_v *mva, *mout;       /* [nmonths] value-added and output loss per month */
    mc_v *sva, *sout, *smva; /* [n], [n], [nmonths * n] per industry */
} mc_acc;

/* Allocate the sums for mc's shape. */
static int mc_acc_init(mc_acc *a, const cp_scn_mc *mc)
{
    size_t n = mc->n, NM = mc->nmonths;
    memset(a, 0, sizeof *a);
    a->mva = aligned_alloc(64, (2 * NM + 1) * sizeof(mc_v));
    a->sva = aligned_alloc(64, ((2 + NM) * n + 1) * sizeof(mc_v));
    if (!a->mva || !a->sva) return -1;
    a->mout = a->mva + NM;
    a->sout = a->sva + n;
    a->smva = a->sout + n;
    return 0;
}

/* Free the sums. */
static void mc_acc_free(mc_acc *a)
{
    free(a->mva);
    free(a->sva);
}

/* Draws a thread prepares before running them in batches: enough for
 * draws whose caps start at about the same step to share a batch (the
 * batch skips the steps before its earliest start; ario_pack.c). */
#define MC_WINDOW (8 * CP_ARIO_BATCH_LANES)

/* Per-thread workspace. */
typedef struct mc_ws {
    cp_ctl_model *cm;
    cp_ctl_supply *supply0;
    cp_ctl_use *use0;
    cp_ctl_regime *regime0;
    double *crit0;        /* [nuses] criticality before the scenario's scale */
    double *cap;          /* [steps * n] */
    double *need;         /* [nmonths * nmat] monthly need (availability) */
    cp_res_run rec;
    cp_scn scopy;         /* shallow copy of the scenario (ario params drawn) */
    cp_ario *am;          /* the thread's ARIO model, built with the params at am_par */
    cp_ario_params am_par;
    /* batched draws (docs/uncertainty.md, "Speed"): a model with the
     * scenario's own ARIO parameters and a batch of its lanes; NULL when
     * the model needs the general engine (then every draw runs alone) */
    cp_ario *bm;
    cp_ario_batch *batch;
    size_t lanes;
    size_t ncap;          /* industries the controls cap: table column kcol[c] takes the */
    size_t *kcol, *kind;  /* controls industry kind[c] (the last use writing it, as
                             cp_ctl_cap_series_for_table) */
    double *lser;         /* [lanes][steps * ncap] their caps, per draw of the group */
    mc_acc acc;           /* the batch's running sums (mc_acc_step) */
    double *vak;          /* [n] va0 / x0 (mc_vak) */
    /* a window of prepared draws (nslot = MC_WINDOW), run in batches of
     * draws whose caps start at about the same step (mc_window) */
    size_t nslot;
    size_t *lonset;       /* [nslot] first step whose caps change (steps: never) */
    cp_ctl_result **lcr;  /* [nslot] controls results, reused (cp_ctl_run_into) */
    cp_ctl_result *cr;    /* the same for draws run alone (ws->cap) */
    int cap_ready;
    size_t *lidx;         /* [lanes] draw of each lane, within the evaluated range */
} mc_ws;

/* '*' glob: does pattern match s? */
static int mc_glob(const char *p, const char *s)
{
    if (!*p) return !*s;
    if (*p == '*') {
        for (const char *q = s;; q++) {
            if (mc_glob(p + 1, q)) return 1;
            if (!*q) return 0;
        }
    }
    return *p == *s && mc_glob(p + 1, s + 1);
}

/* Does the string end with suffix? */
static int mc_ends(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Index of the scenario's inline regime (its src file is the scenario). */
static long mc_inline_regime(const cp_ctl_model *m, const cp_scn *s)
{
    for (size_t g = m->nregimes; g-- > 0;) {
        int f = m->regime[g].src.file;
        if (f >= 0 && (size_t)f < m->nfiles && !strcmp(m->files[f], s->path)) return (long)g;
    }
    return -1;
}

/* Free a model. */
void cp_scn_mc_free(cp_scn_mc *mc)
{
    if (!mc) return;
    for (size_t j = 0; j < mc->d; j++) free(mc->par[j].ranges);
    free(mc->par);
    free(mc->dist);
    free(mc->C);
    free(mc->step_month);
    free(mc->month);
    free(mc->range_crit);
    free(mc->range_intensity);
    free(mc->mat);
    free(mc->mat_ctl);
    free(mc);
}

/* Append a parameter (grows the arrays by one). */
static int mc_add(cp_scn_mc *mc, const cp_unc_dist *d, mc_target tg)
{
    cp_unc_dist *nd = realloc(mc->dist, (mc->d + 1) * sizeof *nd);
    if (!nd) return -1;
    mc->dist = nd;
    mc_param *np = realloc(mc->par, (mc->d + 1) * sizeof *np);
    if (!np) return -1;
    mc->par = np;
    mc->dist[mc->d] = *d;
    memset(&mc->par[mc->d], 0, sizeof mc->par[0]);
    mc->par[mc->d].target = tg;
    mc->d++;
    return 0;
}

/* The target of a scenario path, or -1. */
static int mc_scn_target(const char *path)
{
    static const struct { const char *p; mc_target t; } tab[] = {
        {"controls.regime.approval_share", MC_APPROVAL}, {"controls.regime.review_working_days", MC_REVIEW},
        {"controls.criticality_scale", MC_CRIT_SCALE}, {"ario.psi_param", MC_PSI},
        {"ario.alpha_base", MC_ALPHA_BASE}, {"ario.alpha_max", MC_ALPHA_MAX},
        {"ario.alpha_tau", MC_ALPHA_TAU}, {"ario.main_inv_dur", MC_INV_DUR},
        {"ario.inventory_restoration_tau", MC_INV_TAU}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(path, tab[i].p)) return (int)tab[i].t;
    return -1;
}

/* Located errors collected while resolving, reported all at once. */
typedef struct mc_errs { char buf[CP_ERROR_MSG_MAX]; size_t len; int n; } mc_errs;

/* Append "file:line:col: message" to the list (as many as fit are kept). */
__attribute__((format(printf, 5, 6)))
static void mc_err(mc_errs *e, const char *file, long line, long col, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    e->n++;
    int w = snprintf(e->buf + e->len, sizeof e->buf - e->len, "%s%s:%ld:%ld: %s", e->len ? "\n" : "", file, line, col, msg);
    if (w > 0 && e->len + (size_t)w < sizeof e->buf) e->len += (size_t)w;
    else e->buf[e->len] = 0;
}

/* Closest account range path to p (for hints). */
static const char *mc_near_range(const cp_ctl_model *m, const char *p)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t r = 0; r < m->nranges; r++) {
        size_t dd = cp_scn_edit_distance(p, m->range[r].path);
        if (dd < bd) { bd = dd; best = m->range[r].path; }
    }
    return best;
}

/* Resolve the parameters; see chokepoint.h. */
int cp_scn_mc_new(cp_scn_mc **out, const cp_scn *s, const cp_table *t, cp_error *err)
{
    *out = NULL;
    if (!cp_scn_has_controls(s))
        return cp_error_at(err, CP_EINPUT, s->path, 1, 1,
                           "mc and sensitivity need a scenario with a controls: section; hint: see scenarios/japan-cutoff-12m.yaml");
    cp_scn_mc *mc = calloc(1, sizeof *mc);
    if (!mc) return cp_error_set(err, CP_ENOMEM, "out of memory");
    mc->s = s;
    mc->t = t;
    mc->n = t->n;
    mc->steps = s->ario.steps;
    mc->gdp = cp_table_gdp(t);
    mc->crit_scale = cp_scn_criticality_scale(s);
    cp_scn_unc defs;
    const cp_scn_unc *u = cp_scn_uncertainty(s, &defs);
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    cp_ario *am = NULL;
    char *used = NULL;
    int rc = cp_scn_controls_run(s, t, &cm, &cr, err);
    if (rc) goto fail;
    mc->start_day = cr->start_day;
    mc->nmat = cr->nmat;
    mc->mat = calloc(cr->nmat + 1, sizeof *mc->mat);
    mc->mat_ctl = calloc(cr->nmat + 1, sizeof *mc->mat_ctl);
    if (!mc->mat || !mc->mat_ctl) goto oom;
    for (size_t k = 0; k < cr->nmat; k++) {
        snprintf(mc->mat[k], sizeof mc->mat[k], "%s", cm->supply[k].element);
        mc->mat_ctl[k] = cr->trigger_day[k] < cr->start_day + (long)mc->steps;
    }
    mc->inline_regime = mc_inline_regime(cm, s);
    mc->nranges = cm->nranges;
    mc->range_crit = calloc(cm->nranges + 1, sizeof(int));
    mc->range_intensity = calloc(cm->nranges + 1, sizeof(int));
    used = calloc(cm->nranges + 1, 1);
    if (!mc->range_crit || !mc->range_intensity || !used) goto oom;
    for (size_t r = 0; r < cm->nranges; r++) {
        mc->range_crit[r] = mc_ends(cm->range[r].path, ".criticality");
        mc->range_intensity[r] = mc_ends(cm->range[r].path, ".t_per_unit_output");
    }
    /* the section's own parameters (every unresolved path reported) */
    mc_errs errs;
    errs.len = 0;
    errs.n = 0;
    errs.buf[0] = 0;
    for (size_t i = 0; i < u->npar; i++) {
        const cp_scn_unc_param *p = &u->par[i];
        int tg = mc_scn_target(p->path);
        if (tg == MC_APPROVAL || tg == MC_REVIEW) {
            if (mc->inline_regime < 0) {
                mc_err(&errs, p->file, p->line, p->col,
                       "uncertainty.parameters: %s needs the scenario's own controls.regime; hint: for a regime file's phases use its range path, e.g. regime[NAME].phase[0].approval_share",
                       p->path);
                continue;
            }
        }
        if (tg >= 0) {
            if (mc_add(mc, &p->dist, (mc_target)tg)) goto oom;
            continue;
        }
        size_t cnt = 0;
        for (size_t r = 0; r < cm->nranges; r++) cnt += mc_glob(p->path, cm->range[r].path);
        if (!cnt) {
            const char *near = mc_near_range(cm, p->path);
            mc_err(&errs, p->file, p->line, p->col,
                   "uncertainty.parameters: '%s' matches no range of the account; hint: %s%s%s(paths as the account's ranges: supply[EL].FIELD, use[EL,SECTOR].FIELD; '*' matches any text)",
                   p->path, near ? "the closest is " : "", near ? near : "", near ? " " : "");
            continue;
        }
        if (mc_add(mc, &p->dist, MC_RANGES)) goto oom;
        mc_param *mp = &mc->par[mc->d - 1];
        if (!(mp->ranges = malloc(cnt * sizeof *mp->ranges))) goto oom;
        for (size_t r = 0; r < cm->nranges; r++)
            if (mc_glob(p->path, cm->range[r].path)) {
                if (used[r]) {
                    mc_err(&errs, p->file, p->line, p->col,
                           "uncertainty.parameters: '%s' also matches %s, which an earlier parameter sets; hint: narrow the pattern",
                           p->path, cm->range[r].path);
                    break;
                }
                used[r] = 1;
                mp->ranges[mp->nranges++] = r;
            }
    }
    if (errs.n) goto report;
    /* the account's ranges the scenario leaves free */
    if (u->account_ranges)
        for (size_t r = 0; r < cm->nranges; r++) {
            const cp_ctl_range *g = &cm->range[r];
            if (used[r] || !(g->low < g->high)) continue;
            double expect = g->central;
            if (mc->range_crit[r]) expect = fmin(1.0, g->central * mc->crit_scale);
            if (fabs(*g->value - expect) > 1e-12 * fmax(1.0, fabs(expect))) continue;   /* fixed by the scenario */
            cp_unc_dist d;
            if ((rc = cp_unc_dist_from_range(&d, g->path, g->low, g->central, g->high, u->range_shape, err))) goto fail;
            if (mc_add(mc, &d, MC_RANGES)) goto oom;
            mc_param *mp = &mc->par[mc->d - 1];
            if (!(mp->ranges = malloc(sizeof *mp->ranges))) goto oom;
            mp->ranges[0] = r;
            mp->nranges = 1;
        }
    if (mc->d == 0) {
        rc = cp_error_at(err, CP_EINPUT, u->file[0] ? u->file : s->path, u->line > 0 ? u->line : 1, u->col > 0 ? u->col : 1,
                         "uncertainty: no uncertain parameter; hint: give uncertainty.parameters or keep account_ranges: true with an account that has [low, central, high] ranges");
        goto fail;
    }
    /* correlations */
    if (u->ncorr) {
        size_t d = mc->d;
        if (!(mc->C = calloc(d * d, sizeof *mc->C))) goto oom;
        for (size_t j = 0; j < d; j++) mc->C[j * d + j] = 1;
        for (size_t i = 0; i < u->ncorr; i++) {
            const cp_scn_unc_corr *k = &u->corr[i];
            long a = -1, b = -1;
            for (size_t j = 0; j < d; j++) {
                if (!strcmp(mc->dist[j].name, k->a)) a = (long)j;
                if (!strcmp(mc->dist[j].name, k->b)) b = (long)j;
            }
            if (a < 0 || b < 0) {
                mc_err(&errs, k->file, k->line, k->col,
                       "uncertainty.correlations: '%s' is not an uncertain parameter of this scenario; hint: name a path of uncertainty.parameters or a free account range",
                       a < 0 ? k->a : k->b);
                continue;
            }
            mc->C[a * d + b] = mc->C[b * d + a] = k->r;
        }
    }
report:
    if (errs.n) {
        rc = errs.n == 1 ? cp_error_set(err, CP_EINPUT, "%s", errs.buf)
                         : cp_error_set(err, CP_EINPUT, "%d errors in scenario:\n%s", errs.n, errs.buf);
        goto fail;
    }
    /* months of the steps (calendar months from start_date, as res_case) */
    if (!(mc->step_month = malloc((mc->steps ? mc->steps : 1) * sizeof *mc->step_month)) ||
        !(mc->month = calloc(mc->steps ? mc->steps : 1, sizeof *mc->month)))
        goto oom;
    for (size_t st = 0; st < mc->steps; st++) {
        char dt[16], ym[16];
        cp_ctl_date_format(mc->start_day + (long)st, dt, sizeof dt);
        snprintf(ym, sizeof ym, "%.7s", dt);
        if (!mc->nmonths || strcmp(mc->month[mc->nmonths - 1], ym))
            snprintf(mc->month[mc->nmonths++], sizeof mc->month[0], "%s", ym);
        mc->step_month[st] = mc->nmonths - 1;
    }
    /* baseline production per step */
    if ((rc = cp_scn_build_ario(s, t, &am, err))) goto fail;
    const double *x0 = cp_ario_baseline(am);
    for (size_t i = 0; i < t->n; i++) mc->base_prod += x0[i];
    mc->nprod = cp_ario_nproducts(am);
    cp_ario_free(am);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    free(used);
    *out = mc;
    return 0;
oom:
    rc = cp_error_set(err, CP_ENOMEM, "out of memory");
fail:
    free(used);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    cp_scn_mc_free(mc);
    return rc;
}

/* Accessors. */
size_t cp_scn_mc_nparams(const cp_scn_mc *mc) { return mc->d; }
/* The distributions, in parameter order. */
const cp_unc_dist *cp_scn_mc_dists(const cp_scn_mc *mc) { return mc->dist; }
/* Target correlation matrix or NULL. */
const double *cp_scn_mc_corr(const cp_scn_mc *mc) { return mc->C; }
/* Steps of a draw. */
size_t cp_scn_mc_steps(const cp_scn_mc *mc) { return mc->steps; }
/* Calendar months covered. */
size_t cp_scn_mc_nmonths(const cp_scn_mc *mc) { return mc->nmonths; }
/* Month k as YYYY-MM. */
const char *cp_scn_mc_month(const cp_scn_mc *mc, size_t k) { return k < mc->nmonths ? mc->month[k] : ""; }
/* Offset of total production per step. */
size_t cp_scn_mc_off_production(const cp_scn_mc *mc) { (void)mc; return CP_MC_NHEAD; }
/* Offset of value added lost per step. */
size_t cp_scn_mc_off_va_loss(const cp_scn_mc *mc) { return CP_MC_NHEAD + mc->steps; }
/* Offset of VA lost per month. */
size_t cp_scn_mc_off_month_va(const cp_scn_mc *mc) { return CP_MC_NHEAD + 2 * mc->steps; }
/* Offset of output lost per month. */
size_t cp_scn_mc_off_month_output(const cp_scn_mc *mc) { return CP_MC_NHEAD + 2 * mc->steps + mc->nmonths; }
/* Offset of final demand unmet per step. */
size_t cp_scn_mc_off_fd_unmet(const cp_scn_mc *mc) { return CP_MC_NHEAD + 2 * mc->steps + 2 * mc->nmonths; }
/* Offset of monthly material availability. */
size_t cp_scn_mc_off_month_avail(const cp_scn_mc *mc) { return CP_MC_NHEAD + 3 * mc->steps + 2 * mc->nmonths; }
/* Materials. */
size_t cp_scn_mc_nmat(const cp_scn_mc *mc) { return mc->nmat; }
/* Element symbol of material k. */
const char *cp_scn_mc_material(const cp_scn_mc *mc, size_t k) { return k < mc->nmat ? mc->mat[k] : ""; }
/* Is material k controlled within the horizon? */
int cp_scn_mc_material_controlled(const cp_scn_mc *mc, size_t k) { return k < mc->nmat && mc->mat_ctl[k]; }
/* Baseline total production per step. */
double cp_scn_mc_baseline_production(const cp_scn_mc *mc) { return mc->base_prod; }
/* Annual GDP of the (scaled) table. */
double cp_scn_mc_gdp(const cp_scn_mc *mc) { return mc->gdp; }

/* Offset of the per-industry block (after the material availability). */
static size_t mc_off_sectors(const cp_scn_mc *mc)
{
    return CP_MC_NHEAD + 3 * mc->steps + 2 * mc->nmonths + mc->nmonths * mc->nmat;
}

/* Outputs per draw: the totals, then the per-industry values the flags ask for. */
static size_t mc_ny(const cp_scn_mc *mc)
{
    size_t ny = mc_off_sectors(mc);
    if (mc->outputs & CP_MC_SECTORS) ny += 2 * mc->n;
    if (mc->outputs & CP_MC_SECTOR_MONTHS) ny += mc->nmonths * mc->n;
    return ny;
}

/* Choose the per-industry outputs of a draw (flags CP_MC_SECTORS,
 * CP_MC_SECTOR_MONTHS; 0 by default so that `sensitivity`'s designs stay
 * small); changes ny, so call it before cp_scn_mc_model. */
void cp_scn_mc_set_outputs(cp_scn_mc *mc, unsigned flags)
{
    mc->outputs = flags & (CP_MC_SECTORS | CP_MC_SECTOR_MONTHS);
}
/* The flags set. */
unsigned cp_scn_mc_outputs(const cp_scn_mc *mc) { return mc->outputs; }
/* Industries (the table's n). */
size_t cp_scn_mc_nsectors(const cp_scn_mc *mc) { return mc->n; }
/* Offset of each industry's value-added loss over the horizon (CP_MC_SECTORS). */
size_t cp_scn_mc_off_sector_va(const cp_scn_mc *mc) { return mc_off_sectors(mc); }
/* Offset of each industry's output loss over the horizon (CP_MC_SECTORS). */
size_t cp_scn_mc_off_sector_output(const cp_scn_mc *mc) { return mc_off_sectors(mc) + mc->n; }
/* Offset of each industry's value-added loss per month, [q*n + i] (CP_MC_SECTOR_MONTHS). */
size_t cp_scn_mc_off_sector_month_va(const cp_scn_mc *mc)
{
    return mc_off_sectors(mc) + (mc->outputs & CP_MC_SECTORS ? 2 * mc->n : 0);
}

/* Free a thread's workspace. */
static void mc_ws_free(void *ctx, void *wsp)
{
    (void)ctx;
    mc_ws *ws = wsp;
    if (!ws) return;
    cp_ctl_model_free(ws->cm);
    free(ws->supply0);
    free(ws->use0);
    free(ws->regime0);
    free(ws->crit0);
    free(ws->cap);
    free(ws->need);
    cp_res_run_free(&ws->rec);
    cp_ario_free(ws->am);
    for (size_t l = 0; ws->lcr && l < ws->nslot; l++) cp_ctl_result_free(ws->lcr[l]);
    free(ws->lonset);
    mc_acc_free(&ws->acc);
    free(ws->vak);
    free(ws->lcr); free(ws->lidx); free(ws->lser); free(ws->kcol); free(ws->kind);
    cp_ctl_result_free(ws->cr);
    cp_ario_batch_free(ws->batch);
    cp_ario_free(ws->bm);
    free(ws);
}

/* The workspace's batch: a model built with the scenario's ARIO
 * parameters, a batch of its lanes and a record, controls result and cap
 * buffer per lane.  A model the packed engine cannot run (flow caps,
 * rationing tiers, several suppliers of a product) leaves ws->batch NULL:
 * every draw then runs alone.  Returns -1 only when out of memory. */
static int mc_ws_batch(const cp_scn_mc *mc, mc_ws *ws)
{
    cp_error err;
    if (cp_scn_build_ario(mc->s, mc->t, &ws->bm, &err)) return 0;   /* each draw reports its own error */
    if (cp_ario_batch_new(&ws->batch, ws->bm, &err)) {
        cp_ario_free(ws->bm);
        ws->bm = NULL;
        return err.code == CP_ENOMEM ? -1 : 0;
    }
    cp_ario_batch_set_lean(ws->batch, 1);   /* lean records keep neither limiting nor fd columns */
    size_t L = cp_ario_batch_lanes(ws->batch), S = MC_WINDOW;
    ws->lcr = calloc(S, sizeof *ws->lcr);
    ws->lidx = calloc(S, sizeof *ws->lidx);
    ws->lonset = calloc(S, sizeof *ws->lonset);
    ws->nslot = S;
    /* the capped columns: each table column a use is bound to, fed by
     * the controls industry of the last use bound to it */
    const cp_ctl_model *cm = ws->cm;
    ws->kcol = calloc(cm->nuses + 1, sizeof *ws->kcol);
    ws->kind = calloc(cm->nuses + 1, sizeof *ws->kind);
    if (!ws->lcr || !ws->lidx || !ws->lonset || !ws->kcol || !ws->kind) return -1;
    for (size_t u = 0; u < cm->nuses; u++) {
        long j = cm->use[u].table_index;
        if (j < 0 || (size_t)j >= mc->n) {   /* unbound: every draw runs alone (and reports it) */
            cp_ario_batch_free(ws->batch);
            ws->batch = NULL;
            return 0;
        }
        size_t c = 0;
        while (c < ws->ncap && ws->kcol[c] != (size_t)j) c++;
        if (c == ws->ncap) ws->kcol[ws->ncap++] = (size_t)j;
        ws->kind[c] = cm->use[u].ind_idx;
    }
    ws->lser = malloc((S * mc->steps * ws->ncap + 1) * sizeof *ws->lser);
    if (!ws->lser) return -1;
    ws->lanes = L;
    return 0;
}

/* A thread's workspace: its own controls model and snapshot, buffers. */
static void *mc_ws_new(void *ctx)
{
    cp_scn_mc *mc = ctx;
    mc_ws *ws = calloc(1, sizeof *ws);
    if (!ws) return NULL;
    cp_error err;
    cp_ctl_result *cr = NULL;
    if (cp_scn_controls_run(mc->s, mc->t, &ws->cm, &cr, &err) || !ws->cm || ws->cm->nranges != mc->nranges) {
        cp_ctl_result_free(cr);
        mc_ws_free(ctx, ws);
        return NULL;
    }
    cp_ctl_result_free(cr);
    cp_ctl_model *m = ws->cm;
    ws->supply0 = malloc((m->nsupply + 1) * sizeof *ws->supply0);
    ws->use0 = malloc((m->nuses + 1) * sizeof *ws->use0);
    ws->regime0 = malloc((m->nregimes + 1) * sizeof *ws->regime0);
    ws->crit0 = malloc((m->nuses + 1) * sizeof *ws->crit0);
    ws->cap = malloc((mc->steps * mc->n + 1) * sizeof *ws->cap);
    ws->need = malloc((mc->nmonths * mc->nmat + 1) * sizeof *ws->need);
    ws->scopy = *mc->s;
    if (!ws->supply0 || !ws->use0 || !ws->regime0 || !ws->crit0 || !ws->cap || !ws->need ||
        cp_res_run_init(&ws->rec, mc->steps, mc->t->n, mc->t->nfd, mc->nprod, 0, &err)) {
        mc_ws_free(ctx, ws);
        return NULL;
    }
    ws->rec.lean = 1;   /* mc_summarize reads production and fd_unmet only */
    ws->vak = malloc((mc->n + 1) * sizeof *ws->vak);
    if (!ws->vak || mc_acc_init(&ws->acc, mc)) { mc_ws_free(ctx, ws); return NULL; }
    memcpy(ws->supply0, m->supply, m->nsupply * sizeof *m->supply);
    memcpy(ws->regime0, m->regime, m->nregimes * sizeof *m->regime);
    /* uses: re-derive at bind what the account did not give */
    int *intens = calloc(m->nuses + 1, sizeof(int));
    if (!intens) { mc_ws_free(ctx, ws); return NULL; }
    for (size_t r = 0; r < m->nranges; r++)
        if (mc->range_intensity[r])
            for (size_t u = 0; u < m->nuses; u++)
                if (m->range[r].value == &m->use[u].t_per_unit_output) intens[u] = 1;
    memcpy(ws->use0, m->use, m->nuses * sizeof *m->use);
    for (size_t u = 0; u < m->nuses; u++) {
        if (intens[u]) ws->use0[u].demand_share = -1;
        else ws->use0[u].t_per_unit_output = -1;
        ws->crit0[u] = mc->crit_scale != 1.0 ? m->use[u].criticality / mc->crit_scale : m->use[u].criticality;
    }
    free(intens);
    if (mc_ws_batch(mc, ws)) { mc_ws_free(ctx, ws); return NULL; }
    return ws;
}

/* Do two ARIO parameter sets build the same model?  Only the fields a
 * draw can set (mc_target) can differ from the scenario's; compared bit
 * for bit. */
static int mc_same_ario(const cp_ario_params *a, const cp_ario_params *b)
{
    return !memcmp(&a->psi, &b->psi, sizeof a->psi) && !memcmp(&a->alpha_base, &b->alpha_base, sizeof a->alpha_base) &&
           !memcmp(&a->alpha_max, &b->alpha_max, sizeof a->alpha_max) &&
           !memcmp(&a->alpha_tau, &b->alpha_tau, sizeof a->alpha_tau) &&
           !memcmp(&a->main_inv_dur, &b->main_inv_dur, sizeof a->main_inv_dur) &&
           !memcmp(&a->inventory_restoration_tau, &b->inventory_restoration_tau, sizeof a->inventory_restoration_tau);
}

/* The thread's ARIO model for this draw's parameters: the one it has,
 * back at step 0 (cp_ario_reset: the same bits as a new model), or a new
 * one when the draw changed a parameter the model was built with. */
static int mc_model(mc_ws *ws, const cp_table *t, cp_error *err)
{
    if (ws->am && mc_same_ario(&ws->am_par, &ws->scopy.ario)) {
        cp_ario_reset(ws->am);
        return 0;
    }
    cp_ario_free(ws->am);
    ws->am = NULL;
    int rc = cp_scn_build_ario(&ws->scopy, t, &ws->am, err);
    if (!rc) ws->am_par = ws->scopy.ario;
    return rc;
}

/* The inputs of draw xk (d values, parameter order), made with the
 * thread's controls model (ws->cm, restored from the snapshot and given
 * the drawn values; the account's rules applied: criticality scale and
 * cap, demand shares summed above 1 scaled to 1): the controls run over
 * the horizon into *cr (cp_ctl_run_into: a result kept by the caller and
 * reused draw after draw, NULL the first time), its capacity-cap series
 * into cap (steps × n; the whole series the first time, then only the
 * columns the controls write: *cap_ready says which) and the draw's ARIO
 * parameters into *ap (the scenario's, with the drawn ones set).  Nothing
 * is run on ARIO here, so several draws can be prepared (one cap, result
 * and ap each) and run together in a batch (mc_eval). */
static int mc_prepare(const cp_scn_mc *mc, mc_ws *ws, const double *xk, double *cap, int *cap_ready,
                      cp_ario_params *ap, cp_ctl_result **cr, cp_error *err)
{
    cp_ctl_model *m = ws->cm;
    size_t d = mc->d, n = mc->n, T = mc->steps;
    memcpy(m->supply, ws->supply0, m->nsupply * sizeof *m->supply);
    memcpy(m->use, ws->use0, m->nuses * sizeof *m->use);
    memcpy(m->regime, ws->regime0, m->nregimes * sizeof *m->regime);
    *ap = mc->s->ario;
    double scale = mc->crit_scale;
    for (size_t u = 0; u < m->nuses; u++) m->use[u].criticality = ws->crit0[u];
    for (size_t j = 0; j < d; j++) {
        double v = xk[j];
        const mc_param *p = &mc->par[j];
        switch (p->target) {
        case MC_RANGES:
            for (size_t q = 0; q < p->nranges; q++) *m->range[p->ranges[q]].value = v;
            break;
        case MC_APPROVAL:
            for (size_t ph = 0; ph < m->regime[mc->inline_regime].nphases; ph++)
                m->regime[mc->inline_regime].phase[ph].approval_share = v;
            break;
        case MC_REVIEW:
            for (size_t ph = 0; ph < m->regime[mc->inline_regime].nphases; ph++)
                m->regime[mc->inline_regime].phase[ph].review_working_days = (int)lround(v);
            break;
        case MC_CRIT_SCALE: scale = v; break;
        case MC_PSI: ap->psi = v; break;
        case MC_ALPHA_BASE: ap->alpha_base = v; break;
        case MC_ALPHA_MAX: ap->alpha_max = v; break;
        case MC_ALPHA_TAU: ap->alpha_tau = v; break;
        case MC_INV_DUR: ap->main_inv_dur = v; break;
        case MC_INV_TAU: ap->inventory_restoration_tau = v; break;
        }
    }
    for (size_t u = 0; u < m->nuses; u++) m->use[u].criticality = fmin(1.0, m->use[u].criticality * scale);
    /* demand shares of a material above 1 in total: scaled to 1 */
    for (size_t s = 0; s < m->nsupply; s++) {
        double sum = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == s && m->use[u].demand_share > 0) sum += m->use[u].demand_share;
        if (sum > 1.0)
            for (size_t u = 0; u < m->nuses; u++)
                if (m->use[u].mat_idx == s && m->use[u].demand_share > 0) m->use[u].demand_share /= sum;
    }
    cp_ctl_run_opts o = {mc->start_day, T};
    int rc = cp_ctl_bind_table(m, mc->t, err);
    if (!rc) rc = cp_ctl_run_into(m, &o, cr, err);
    if (!rc && cap) rc = *cap_ready ? cp_ctl_cap_series_update(m, *cr, cap, n, err)
                                    : cp_ctl_cap_series_for_table(m, *cr, cap, n, err);
    if (!rc && cap) *cap_ready = 1;
    return rc;
}

/* Value added per unit of output of every industry, va0 / x0 (0 where x0
 * is not positive), from a model's baseline: the factor of the
 * value-added loss (the same bits for every model of the table). */
static void mc_vak(const cp_scn_mc *mc, const double *x0, const double *va0, double *vak)
{
    for (size_t i = 0; i < mc->n; i++) vak[i] = x0[i] > 0 ? va0[i] / x0[i] : 0;
}

/* Every sum back to +0 before a batch. */
static void mc_acc_reset(const cp_scn_mc *mc, mc_acc *a)
{
    size_t n = mc->n, NM = mc->nmonths;
    mc_v z = {0};
    a->gdp = a->prod = a->fdu = z;
    for (size_t q = 0; q < 2 * NM; q++) a->mva[q] = z;
    for (size_t q = 0; q < (2 + NM) * n; q++) a->sva[q] = z;
}

/* Step st of nl lanes: production xa and final demand unmet fu by
 * industry (lane-interleaved with the given stride), into the sums and
 * into each lane's per-step outputs yk[l].  The terms are those of
 * docs/uncertainty.md: output loss x0 - x, value-added loss (x0 - x) vak
 * with vak = va0 / x0 (mc_vak), per industry and in total. */
MC_HOT
static void mc_acc_step(const cp_scn_mc *mc, const double *x0, const double *vak, mc_acc *a, size_t st,
                        const double *xa, const double *fu, size_t stride, double *const *yk, size_t nl)
{
    size_t n = mc->n, T = mc->steps, NM = mc->nmonths, q = mc->step_month[st];
    int tot = (mc->outputs & CP_MC_SECTORS) != 0, mon = (mc->outputs & CP_MC_SECTOR_MONTHS) != 0;
    mc_v ps = {0}, vl = {0}, ol = {0}, fs = {0}, zero = {0};
    mc_v *mrow = a->smva + q * n;
    for (size_t i = 0; i < n; i++) {
        mc_v x = zero, f = zero;   /* industry i of every lane, or lane 0 of one draw's row */
        if (stride == CP_ARIO_BATCH_LANES) { memcpy(&x, xa + i * stride, sizeof x); memcpy(&f, fu + i * stride, sizeof f); }
        else { x[0] = xa[i]; f[0] = fu[i]; }
        mc_v dl = x0[i] - x;
        mc_v v = dl * vak[i];
        ps += x;
        ol += dl;
        vl += v;
        fs += f;
        if (tot) { a->sva[i] += v; a->sout[i] += dl; }
        if (mon) mrow[i] += v;
    }
    a->mva[q] += vl;
    a->mout[q] += ol;
    a->gdp += vl;
    a->prod += ol;
    a->fdu += fs;
    for (size_t l = 0; l < nl; l++) {
        double *prod = yk[l] + CP_MC_NHEAD, *val = prod + T;
        prod[st] = ps[l];
        val[st] = vl[l];
        yk[l][CP_MC_NHEAD + 2 * T + 2 * NM + st] = fs[l];
    }
}

/* The sums into each lane's output vector yk[l]: headline figures, the
 * monthly losses and, if kept, the per-industry losses. */
static void mc_acc_finish(const cp_scn_mc *mc, const mc_acc *a, double *const *yk, size_t nl)
{
    size_t n = mc->n, T = mc->steps, NM = mc->nmonths;
    int tot = (mc->outputs & CP_MC_SECTORS) != 0, mon = (mc->outputs & CP_MC_SECTOR_MONTHS) != 0;
    for (size_t l = 0; l < nl; l++) {
        double *y = yk[l], *mva = y + CP_MC_NHEAD + 2 * T, *mout = mva + NM;
        for (size_t q = 0; q < NM; q++) { mva[q] = a->mva[q][l]; mout[q] = a->mout[q][l]; }
        y[CP_MC_GDP_LOSS] = a->gdp[l];
        y[CP_MC_GDP_LOSS_PCT] = mc->gdp > 0 ? 100.0 * a->gdp[l] / mc->gdp : 0;
        y[CP_MC_PRODUCTION_LOSS] = a->prod[l];
        y[CP_MC_FD_UNMET] = a->fdu[l];
        double *sva = y + mc_off_sectors(mc), *sout = sva + n, *smva = y + cp_scn_mc_off_sector_month_va(mc);
        for (size_t i = 0; tot && i < n; i++) { sva[i] = a->sva[i][l]; sout[i] = a->sout[i][l]; }
        for (size_t k = 0; mon && k < NM * n; k++) smva[k] = a->smva[k][l];
    }
}

/* Monthly availability of each material, as res_case: used / need over
 * the month from the draw's controls result (need: scratch of nmonths *
 * nmat doubles). */
static void mc_availability(const cp_scn_mc *mc, const cp_ctl_result *cr, double *yk, double *need)
{
    size_t T = mc->steps, K = mc->nmat, NM = mc->nmonths;
    double *av = yk + CP_MC_NHEAD + 3 * T + 2 * NM;
    memset(av, 0, NM * K * sizeof *av);
    memset(need, 0, NM * K * sizeof *need);
    for (size_t st = 0; st < T && K == cr->nmat; st++)
        for (size_t q = mc->step_month[st], kk = 0; kk < K; kk++) {
            av[q * K + kk] += cr->used_t[st * K + kk];
            need[q * K + kk] += cr->need_t[st * K + kk];
        }
    for (size_t q = 0; q < NM * K; q++) av[q] = need[q] > 0 ? av[q] / need[q] : 1.0;
}

/* mc_summarize: one finished draw's output vector yk (mc_ny(mc) values,
 * layout of the cp_scn_mc_off_* accessors) from its run record r (every
 * step: production, x0, va0, fd_unmet) and controls result cr: the draw
 * run alone, as lane 0 of the batch sums. */
static void mc_summarize(const cp_scn_mc *mc, mc_ws *ws, const cp_res_run *r, const cp_ctl_result *cr,
                         double *yk)
{
    mc_availability(mc, cr, yk, ws->need);
    mc_vak(mc, r->x0, r->va0, ws->vak);
    mc_acc_reset(mc, &ws->acc);
    for (size_t st = 0; st < mc->steps; st++)
        mc_acc_step(mc, r->x0, ws->vak, &ws->acc, st, r->production + st * mc->n, r->fd_unmet + st * mc->n, 1,
                    &yk, 1);
    mc_acc_finish(mc, &ws->acc, &yk, 1);
}

/* Run the prepared draws in slots slot[0..nb) (nb <= lanes) as one batch
 * and write each one's output vector (row ws->lidx[slot] of y). */
static int mc_flush(const cp_scn_mc *mc, mc_ws *ws, const size_t *slot, size_t nb, double *y, cp_error *err)
{
    size_t ny = mc_ny(mc), Tc = mc->steps * ws->ncap, T = mc->steps;
    int rc = 0;
    double *yk[CP_ARIO_BATCH_LANES];
    cp_ario_batch_reset(ws->batch, nb);
    for (size_t l = 0; l < nb && !rc; l++) {
        rc = cp_ario_batch_set_capacity_cols(ws->batch, l, ws->kcol, ws->ncap, ws->lser + slot[l] * Tc, ws->ncap,
                                             T, err);
        yk[l] = y + ws->lidx[slot[l]] * ny;
    }
    if (rc) return rc;
    const double *x0 = cp_ario_baseline(ws->bm);
    mc_vak(mc, x0, cp_ario_va_baseline(ws->bm), ws->vak);
    mc_acc_reset(mc, &ws->acc);
    for (size_t st = 0; st < T; st++) {   /* step, then sum every lane's step (no records) */
        if ((rc = cp_ario_batch_step(ws->batch, err))) return rc;
        mc_acc_step(mc, x0, ws->vak, &ws->acc, st, cp_ario_batch_production(ws->batch), cp_ario_batch_fd_unmet(ws->batch),
                    CP_ARIO_BATCH_LANES, yk, nb);
    }
    mc_acc_finish(mc, &ws->acc, yk, nb);
    for (size_t l = 0; l < nb; l++) mc_availability(mc, ws->lcr[slot[l]], yk[l], ws->need);
    return 0;
}

/* Run the window's nb prepared draws: ordered by the step their caps
 * start (ties by slot), then in batches of the lanes, so that a batch's
 * draws leave the table's equilibrium at about the same step.  A draw's
 * numbers do not depend on its batch (test_ario_batch), so the order
 * changes only the time. */
static int mc_window(const cp_scn_mc *mc, mc_ws *ws, size_t nb, double *y, char *what, size_t wlen,
                     size_t first, cp_error *err)
{
    size_t order[MC_WINDOW];
    for (size_t a = 0; a < nb; a++) {   /* insertion sort by (onset, slot) */
        size_t b = a;
        while (b > 0 && ws->lonset[order[b - 1]] > ws->lonset[a]) { order[b] = order[b - 1]; b--; }
        order[b] = a;
    }
    for (size_t g = 0; g < nb; g += ws->lanes) {
        size_t cnt = nb - g < ws->lanes ? nb - g : ws->lanes;
        snprintf(what, wlen, "draws %zu.. (batch of %zu)", first + ws->lidx[order[g]], cnt);
        int rc = mc_flush(mc, ws, order + g, cnt, y, err);
        if (rc) return rc;
    }
    return 0;
}

/* Run one prepared draw alone on the thread's model (a draw that changes
 * an ARIO parameter, or a model without a batch) and summarize it. */
static int mc_single(const cp_scn_mc *mc, mc_ws *ws, const cp_ctl_result *cr, double *yk, cp_error *err)
{
    int rc = mc_model(ws, mc->t, err);
    if (!rc) rc = cp_ario_set_capacity_cap(ws->am, ws->cap, mc->steps, err);
    if (!rc) {
        ws->rec.done = 0;
        rc = cp_res_run_ario(ws->am, 0, &ws->rec, NULL, NULL, err);
    }
    if (!rc) mc_summarize(mc, ws, &ws->rec, cr, yk);
    return rc;
}

/* Evaluate draws first..first+count-1 (runner contract, cp_unc_model):
 * per draw, prepare (mc_prepare); draws with the scenario's own ARIO
 * parameters fill the lanes of the thread's batch, which runs when full
 * or at the end (mc_flush); any other draw runs alone (mc_single).  A
 * draw's numbers are the same either way, bit for bit (a lane computes
 * exactly what a one-lane run does), so the output does not depend on
 * how draws were grouped. */
static int mc_eval(void *ctx, void *wsp, size_t first, size_t count, const double *x, double *y,
                   cp_error *err)
{
    cp_scn_mc *mc = ctx;
    mc_ws *ws = wsp;
    size_t ny = mc_ny(mc), nb = 0;
    int rc = 0;
    char what[64] = "";
    for (size_t k = 0; k < count && !rc; k++) {
        snprintf(what, sizeof what, "draw %zu", first + k);
        if (ws->batch) {   /* into the next lane; if the draw changes ARIO's parameters, run alone */
            rc = mc_prepare(mc, ws, x + k * mc->d, NULL, NULL, &ws->scopy.ario, &ws->lcr[nb], err);
            if (!rc && mc_same_ario(&ws->scopy.ario, &mc->s->ario)) {
                const cp_ctl_result *r = ws->lcr[nb];
                double *ser = ws->lser + nb * mc->steps * ws->ncap;
                size_t onset = mc->steps;   /* the first step whose caps differ from the step before */
                for (size_t t = 0; t < mc->steps; t++)   /* the capped columns' caps */
                    for (size_t c = 0; c < ws->ncap; c++) {
                        double v = t < r->nsteps ? r->cap[t * r->nind + ws->kind[c]] : 1.0;
                        ser[t * ws->ncap + c] = v;
                        if (t > 0 && t < onset && memcmp(&v, &ser[(t - 1) * ws->ncap + c], sizeof v)) onset = t;
                    }
                ws->lonset[nb] = onset;
                ws->lidx[nb++] = k;
                if (nb == ws->nslot) {
                    rc = mc_window(mc, ws, nb, y, what, sizeof what, first, err);
                    nb = 0;
                }
                continue;
            }
            if (!rc) rc = ws->cap_ready ? cp_ctl_cap_series_update(ws->cm, ws->lcr[nb], ws->cap, mc->n, err)
                                        : cp_ctl_cap_series_for_table(ws->cm, ws->lcr[nb], ws->cap, mc->n, err);
            if (!rc) ws->cap_ready = 1;
            if (!rc) rc = mc_single(mc, ws, ws->lcr[nb], y + k * ny, err);
            continue;
        }
        rc = mc_prepare(mc, ws, x + k * mc->d, ws->cap, &ws->cap_ready, &ws->scopy.ario, &ws->cr, err);
        if (!rc) rc = mc_single(mc, ws, ws->cr, y + k * ny, err);
    }
    if (!rc && nb) rc = mc_window(mc, ws, nb, y, what, sizeof what, first, err);
    if (rc) {
        char msg[CP_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return cp_error_set(err, rc, "%s: %s", what, msg);
    }
    return 0;
}

/* The runner's model. */
cp_unc_model cp_scn_mc_model(cp_scn_mc *mc)
{
    cp_unc_model m = {.d = mc->d, .ny = mc_ny(mc), .batch = MC_WINDOW, .eval = mc_eval,
                      .ws_new = mc_ws_new, .ws_free = mc_ws_free, .ctx = mc};
    return m;
}
