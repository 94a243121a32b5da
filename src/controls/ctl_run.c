/*
 * ctl_run.c — the controls layer's mechanics: day by day, what arrives of
 * each material, what the importer's buffers (company inventories, the
 * national stockpile) cover, how scarce supply is shared among the using
 * industries, and the production-capacity caps that result.
 *
 * Equations (docs/controls.md has them with units):
 *   R0 = demand_t_per_year / 365                      baseline need, t/day
 *   N(t) = R0 (1 - sub·f_sub(t))                      need after thrifting
 *   X(t) = exporter arrivals: uncontrolled flow on the day of order, the
 *          controlled flow on the licence decision day (order day + review
 *          working days) times the approval share then in force, less
 *          banned end users' share; still pending at a regime's end:
 *          decided on the end day at the last phase's approval share
 *   F(t) = X(t) + (1-s_x) R0 + Σ origins·f(t)/365 + recycling·f(t)/365
 *   market M = min(N, F + I); surplus restocks I up to its initial level
 *   stockpile release = min(S, rate·R0, eligible users' unmet need)
 *   avail_u = received_u / need_u;  cap_i = min_u 1 - crit_u (1 - avail_u)
 * Everything is allocated once in cp_ctl_run; the daily loop allocates
 * nothing.  cp_ctl_run_into runs again into a previous result, reusing its
 * arrays and scratch (struct cp_ctl_work) when the shape is the same, so
 * a Monte Carlo loop allocates nothing per draw.
 *
 * Speed without changing a bit: the controls on a day (cp_ctl_state_at)
 * only change on a regime's start or end, a phase's first day or an
 * item's effective day, so a run evaluates cp_ctl_state_at once per
 * stretch between those breakpoints and looks the day up; the licence
 * decision day (n working days after the order) is read from a table of
 * the run's working days.  Both give exactly what the per-day calls gave.
 *
 * The run goes by material, not by day (run_core): a material's days
 * form one chain, independent of the other materials, and a use's avail
 * depends only on its material; so, for blocks of CTL_BLOCK days (the
 * strided ledgers stay in L1) and each material: the need and other
 * supply (supply_series: they depend on the day alone), the chain of
 * buffers and stockpile (material_days), the allocation and avail of the
 * uses (material_avail_avx2, or material_days and avail_caps on the
 * plain path); then the block's caps; at the end the extraction share.
 * Where the CPU has AVX2 the day-only parts run four days at a time, a
 * day per vector lane doing the per-day operations in the same order, so
 * the bits are the same and the divisions (most of the time) cost four
 * to an instruction.  tests/unit/test_controls_fast.c compares every
 * output with the per-day computation of commit 1faf3ab on both paths.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Claimants of each material in allocation order: the uses of material k
 * and, last, the unmapped remainder of its demand (id = nuses), which is
 * served with everyone under the proportional rule and after every
 * mapped use under the priority and value rules. */
typedef struct claims {
    size_t *off;   /* [K+1] */
    size_t *id;    /* [U+K] */
    double *rank;  /* [U+K] lower is served first */
    size_t *gend;  /* [U+K] end of the claimant's group (equal rank) */
    unsigned char *eligible; /* [U+K] stockpile may serve this claimant */
    double *need, *got;      /* [U+K] per step */
    double *share;           /* [U+K] the claimant's share of the need: its
                                use's demand share, or the remainder */
    double *mapped;          /* [K] sum of the mapped uses' demand shares */
    /* Per use, copied from the model once per run so that the pass over
     * all days (avail_caps) reads small arrays, not cp_ctl_use records. */
    size_t *umat, *uind;     /* [U] material and industry of the use */
    double *ushare, *ucrit;  /* [U] demand share, criticality */
    unsigned char *uelig;    /* [U] stockpile may serve this use */
    size_t *ioff, *iuse;     /* [I+1], [U] the uses of industry i, ascending:
                                iuse[ioff[i] .. ioff[i+1]) */
    size_t cap_i;            /* industries ioff holds (I+1) */
} claims;

/* A run's scratch, kept with its result so that cp_ctl_run_into reuses it:
 * the claimant lists, the buffers, the breakpoints of the controls and
 * one material's state per stretch between them, the working-day table.
 * Buffers only grow (cap_* count elements). */
struct cp_ctl_work {
    claims c;
    size_t cap_cl, cap_k;    /* claimant slots (U+K), materials (K) */
    long *bp;                /* [nbp] sorted distinct breakpoint days */
    size_t nbp, cap_bp;
    cp_ctl_state *seg;       /* [nbp+1] state of one material per stretch */
    size_t cap_seg;
    long *wcnt;              /* [wlen] working days in (wfrom, wfrom + i] */
    long *wday;              /* [nwd] the j-th working day after wfrom (j from 0) */
    size_t wlen, nwd, cap_w, cap_wd;
    long wfrom;
    double *unmet;           /* [T*K] eligible claimants' unmet need on the
                                days the stockpile released (release_t > 0) */
    size_t cap_unmet;
    double *row;             /* [2 U] one day's release and unmet per use */
    size_t cap_row;
    double *needu;           /* [T*U] need of use u on day t (N x share), as
                                material_days formed it */
    size_t cap_needu;
    unsigned char *relday;   /* [T] 1 if a stockpile released on day t */
    size_t cap_relday;
    double *mday;            /* [T] the market supply M of the material on day t */
    size_t cap_mday;
    double *cinv, *cstock;   /* [K] each material's inventories and stockpile
                                at the end of the last block of days done */
    size_t cap_cinv, cap_cstock;
    /* cp_ctl_cap_series_update's writes: the uses' table indices they were
     * made for (wtab[U]), and for each distinct table index the last use
     * bound to it, as (column, industry) pairs (wcol, wind; nw of them) */
    long *wtab;
    size_t *wcol, *wind, nwu, nw, cap_wtab, cap_wcol, cap_wind;
    int avx2;                /* use the AVX2 variants (set when created:
                                the CPU has AVX2, CHOKEPOINT_NO_AVX2 unset) */
};

/* Free a run's scratch. */
static void work_free(struct cp_ctl_work *w)
{
    if (!w) return;
    free(w->c.off);
    free(w->c.id);
    free(w->c.rank);
    free(w->c.gend);
    free(w->c.eligible);
    free(w->c.need);
    free(w->c.got);
    free(w->c.share);
    free(w->c.mapped);
    free(w->c.umat);
    free(w->c.uind);
    free(w->c.ushare);
    free(w->c.ucrit);
    free(w->c.uelig);
    free(w->c.ioff);
    free(w->c.iuse);
    free(w->unmet);
    free(w->row);
    free(w->needu);
    free(w->relday);
    free(w->mday);
    free(w->cinv);
    free(w->cstock);
    free(w->wtab);
    free(w->wcol);
    free(w->wind);
    free(w->bp);
    free(w->seg);
    free(w->wcnt);
    free(w->wday);
    free(w);
}

/* Make *p hold at least n elements of size sz (grow only; n >= 1 is
 * allocated so that empty models still get valid pointers); 0 or -1. */
static int reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n == 0) n = 1;
    if (*p && n <= *cap) return 0;
    void *q = realloc(*p, n * sz);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

/* Free a result's arrays (not the struct, not its scratch) and clear
 * their pointers, so that result_alloc can give it a new shape. */
static void result_arrays_free(cp_ctl_result *r)
{
    double **d[] = {&r->need_t, &r->exporter_t, &r->other_t, &r->used_t, &r->inventory_t,
                    &r->stockpile_t, &r->release_t, &r->shortfall_t, &r->avail, &r->cap,
                    &r->extraction_share};
    long **l[] = {&r->trigger_day, &r->inventory_empty_day, &r->stockpile_empty_day};
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) { free(*d[i]); *d[i] = NULL; }
    for (size_t i = 0; i < sizeof l / sizeof *l; i++) { free(*l[i]); *l[i] = NULL; }
}

/* Free a result, its arrays and its scratch. */
void cp_ctl_result_free(cp_ctl_result *r)
{
    if (!r) return;
    result_arrays_free(r);
    work_free(r->work);
    free(r);
}

/* Allocate the result's arrays in one go; 0 or CP_ENOMEM. */
static int result_alloc(cp_ctl_result *r)
{
    size_t T = r->nsteps, K = r->nmat ? r->nmat : 1;
    size_t U = r->nuse ? r->nuse : 1, I = r->nind ? r->nind : 1;
    double **led[] = {&r->need_t, &r->exporter_t, &r->other_t, &r->used_t,
                      &r->inventory_t, &r->stockpile_t, &r->release_t, &r->shortfall_t};
    for (size_t i = 0; i < sizeof led / sizeof *led; i++)
        if (!(*led[i] = calloc(T * K, sizeof(double)))) return CP_ENOMEM;
    r->avail = calloc(T * U, sizeof(double));
    r->cap = calloc(T * I, sizeof(double));
    r->extraction_share = calloc(I, sizeof(double));
    r->trigger_day = calloc(K, sizeof(long));
    r->inventory_empty_day = calloc(K, sizeof(long));
    r->stockpile_empty_day = calloc(K, sizeof(long));
    if (!r->avail || !r->cap || !r->extraction_share || !r->trigger_day ||
        !r->inventory_empty_day || !r->stockpile_empty_day)
        return CP_ENOMEM;
    return 0;
}

/* Fraction of a ramp reached on day t: 0 until trig + lead, then linear
 * over ramp_days (a step when ramp_days is 0); 0 if never triggered. */
static double ramp_frac(const cp_ctl_ramp *rp, long trig, long t)
{
    if (trig >= CP_CTL_DAY_MAX || rp->amount <= 0) return 0.0;
    double x = (double)(t - trig) - rp->lead_days;
    if (x < 0) return 0.0;
    if (rp->ramp_days <= 0) return 1.0;
    return x >= rp->ramp_days ? 1.0 : x / rp->ramp_days;
}

/* Longest review in the model, in working days. */
static int max_review(const cp_ctl_model *m)
{
    int maxrev = 0;
    for (size_t r = 0; r < m->nregimes; r++)
        for (size_t p = 0; p < m->regime[r].nphases; p++)
            if (m->regime[r].phase[p].review_working_days > maxrev)
                maxrev = m->regime[r].phase[p].review_working_days;
    return maxrev;
}

/* Longest review in the model, in calendar days from day0 (plus margin for
 * holidays): how far back licence applications can still arrive. */
static long lookback_days(const cp_ctl_model *m, long day0)
{
    return cp_ctl_add_working_days(day0, max_review(m), NULL, 0) - day0 + (long)m->nholidays + 7;
}

/* Ascending order of two days, for qsort. */
static int cmp_day(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Collect the days on which cp_ctl_state_at can change, sorted and
 * distinct, into w->bp: every regime's start and end, every phase's first
 * day and the effective day of every item a regime lists — the only days
 * its comparisons (start <= d < end, phase from <= d, effective <= d)
 * depend on.  Between two breakpoints the state is the same bits on every
 * day, so one evaluation per stretch serves the whole run.  0 or -1. */
static int breakpoints(const cp_ctl_model *m, struct cp_ctl_work *w)
{
    size_t n = 0;
    for (size_t r = 0; r < m->nregimes; r++)
        n += 2 + m->regime[r].nphases + m->regime[r].nitems;
    if (reserve((void **)&w->bp, &w->cap_bp, n, sizeof *w->bp)) return -1;
    n = 0;
    for (size_t r = 0; r < m->nregimes; r++) {
        const cp_ctl_regime *g = &m->regime[r];
        w->bp[n++] = g->start_day;
        w->bp[n++] = g->end_day;
        for (size_t p = 1; p < g->nphases; p++) w->bp[n++] = g->phase[p].from_day;
        for (size_t i = 0; i < g->nitems; i++) {
            const cp_ctl_item *it = &m->item[g->item_idx[i]];
            w->bp[n++] = it->suspended_until_day > it->listed_day ? it->suspended_until_day : it->listed_day;
        }
    }
    qsort(w->bp, n, sizeof *w->bp, cmp_day);
    size_t q = 0;
    for (size_t i = 0; i < n; i++)
        if (q == 0 || w->bp[i] != w->bp[q - 1]) w->bp[q++] = w->bp[i];
    w->nbp = q;
    return reserve((void **)&w->seg, &w->cap_seg, q + 1, sizeof *w->seg);
}

/* The state of material k on every stretch: stretch 0 is the days before
 * the first breakpoint, stretch s (s >= 1) the days from bp[s-1] to the
 * next breakpoint; each is cp_ctl_state_at on a day of the stretch. */
static void stretch_states(const cp_ctl_model *m, size_t k, struct cp_ctl_work *w)
{
    if (w->nbp == 0) { cp_ctl_state_at(m, k, 0, &w->seg[0]); return; }
    cp_ctl_state_at(m, k, w->bp[0] - 1, &w->seg[0]);
    for (size_t s = 1; s <= w->nbp; s++) cp_ctl_state_at(m, k, w->bp[s - 1], &w->seg[s]);
}

/* The stretch of day: the number of breakpoints on or before it. */
static size_t stretch_of(const struct cp_ctl_work *w, long day)
{
    size_t lo = 0, hi = w->nbp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->bp[mid] <= day) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Tabulate the exporter's working days after from up to last (the order
 * days of a run) with cp_ctl_add_working_days itself, so that
 * add_working() below gives its very days.  Skipped (wlen = 0) when no
 * review is longer than 0 days.  0 or -1. */
static int working_table(const cp_ctl_model *m, long from, long last, struct cp_ctl_work *w)
{
    w->wlen = w->nwd = 0;
    w->wfrom = from;
    if (max_review(m) <= 0 || last < from) return 0;
    size_t len = (size_t)(last - from + 1);
    if (reserve((void **)&w->wcnt, &w->cap_w, len, sizeof *w->wcnt)) return -1;
    if (reserve((void **)&w->wday, &w->cap_wd, len, sizeof *w->wday)) return -1;
    long d = from, cnt = 0;
    w->wcnt[0] = 0;
    for (;;) {
        long nx = cp_ctl_add_working_days(d, 1, m->holidays, m->nholidays);
        if (nx > last) break;
        for (long e = d + 1; e < nx; e++) w->wcnt[e - from] = cnt;
        w->wday[cnt++] = nx;
        w->wcnt[nx - from] = cnt;
        d = nx;
    }
    for (long e = d + 1; e <= last; e++) w->wcnt[e - from] = cnt;
    w->wlen = len;
    w->nwd = (size_t)cnt;
    return 0;
}

/* cp_ctl_add_working_days(day, n, holidays) from the table: the n-th
 * working day after day is working day number (working days up to day) +
 * n; past the table's end it is computed. */
static long add_working(const cp_ctl_model *m, const struct cp_ctl_work *w, long day, int n)
{
    if (n <= 0) return day;
    if (day >= w->wfrom && (size_t)(day - w->wfrom) < w->wlen) {
        size_t j = (size_t)w->wcnt[day - w->wfrom] + (size_t)n - 1;
        if (j < w->nwd) return w->wday[j];
    }
    return cp_ctl_add_working_days(day, n, m->holidays, m->nholidays);
}

/* The stretch of day as stretch_of gives it (the number of breakpoints
 * on or before day), found by walking from hint, a stretch near it: the
 * decision days of consecutive order days are close together, so a walk
 * of a step or two replaces a binary search.  Same index by construction
 * (the breakpoints are sorted and distinct). */
static size_t stretch_near(const struct cp_ctl_work *w, size_t hint, long day)
{
    size_t s = hint <= w->nbp ? hint : w->nbp;
    while (s > 0 && w->bp[s - 1] > day) s--;
    while (s < w->nbp && w->bp[s] <= day) s++;
    return s;
}

/* Fill res->exporter_t for material k: every order day from the lookback
 * on contributes its flow on the day it may arrive (see file comment).
 * The states come from the stretches (stretch_states) and the decision
 * days from the working-day table, as cp_ctl_state_at and
 * cp_ctl_add_working_days would give them day by day.  The loop runs
 * stretch by stretch so that what is the same on every order day of a
 * stretch is formed once: the uncontrolled flow, each form's controlled
 * flow, and, for a form decided on the day of order (no review) before
 * its regime's end, the arriving amount itself (its decision day is in
 * the same stretch, so its approval is the stretch's); the other forms
 * look their decision day's stretch up near the last one found.  The
 * additions into exporter_t keep their order (order day, then
 * uncontrolled, then forms in order), so the sums are the same bits. */
static void exporter_arrivals(const cp_ctl_model *m, size_t k, long from, struct cp_ctl_work *w,
                              cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    long day0 = res->start_day, T = (long)res->nsteps, K = (long)res->nmat, end = day0 + T;
    double flow = s->demand_t_per_year / 365.0 * s->exporter_share;
    double *ex = res->exporter_t + k;
    if (flow <= 0) return;
    stretch_states(m, k, w);
    size_t sd = stretch_of(w, from);
    for (long d = from; d < end; sd++) {
        long next = sd < w->nbp && w->bp[sd] < end ? w->bp[sd] : end;
        const cp_ctl_state *st = &w->seg[sd];
        double unc = flow * (1.0 - st->controlled_share), ban = 1.0 - st->banned_share;
        double ctl[CP_CTL_NFORMS], same[CP_CTL_NFORMS];
        size_t hint[CP_CTL_NFORMS];
        int act[CP_CTL_NFORMS], nact = 0, fast = 1;
        for (int f = 0; f < CP_CTL_NFORMS; f++) {
            ctl[f] = flow * st->form_flow[f];
            same[f] = ctl[f] * (st->form_flow[f] > 0 ? st->form_approval[f] : 1.0) * ban;
            hint[f] = sd;
            if (ctl[f] > 0) {
                act[nact++] = f;
                if (st->form_review[f] > 0 || st->form_end[f] < next) fast = 0;
            }
        }
        if (fast) {
            /* every controlled form is decided on the day of order within
             * the stretch: each day receives the same additions, in order */
            if (d < day0) d = day0 < next ? day0 : next;
            for (; d < next; d++) {
                double cur = ex[(d - day0) * K];
                if (unc > 0) cur += unc;
                for (int j = 0; j < nact; j++) cur += same[act[j]];
                ex[(d - day0) * K] = cur;
            }
            continue;
        }
        for (; d < next; d++) {
            /* today's arrivals accumulate in cur, in the order of the
             * additions, and are stored once at the end of the day */
            int in = d >= day0;
            double cur = in ? ex[(d - day0) * K] : 0;
            if (in && unc > 0) cur += unc;
            for (int f = 0; f < CP_CTL_NFORMS; f++) {
                if (ctl[f] <= 0) continue;
                double amt;
                long arr;
                if (st->form_review[f] <= 0 && d < st->form_end[f]) {
                    arr = d;            /* decided on the day of order, in this stretch */
                    amt = same[f];
                } else {
                    long dec = add_working(m, w, d, st->form_review[f]);
                    const cp_ctl_state *dst;
                    arr = dec;
                    if (dec >= st->form_end[f]) { /* still pending when the covering regime
                                                     ends: decided on the end day, as its
                                                     last phase would */
                        arr = st->form_end[f];
                        hint[f] = stretch_near(w, hint[f], arr - 1);
                    } else {
                        hint[f] = stretch_near(w, hint[f], dec);
                    }
                    dst = &w->seg[hint[f]];
                    double a = dst->form_flow[f] > 0 ? dst->form_approval[f] : 1.0;
                    amt = ctl[f] * a * ban;
                }
                if (arr == d) {
                    if (in) cur += amt;
                } else if (arr >= day0 && arr < end) {
                    ex[(arr - day0) * K] += amt;
                }
            }
            if (in) ex[(d - day0) * K] = cur;
        }
    }
}

/* Rank of use u under the model's allocation rule. */
static double use_rank(const cp_ctl_model *m, const cp_ctl_use *u)
{
    if (m->allocation == CP_CTL_VALUE) return -u->va_per_t;
    if (m->allocation == CP_CTL_PRIORITY) {
        for (size_t i = 0; i < m->norder; i++)
            if (strcmp(m->order[i].sector, u->ind.sector) == 0 &&
                (!m->order[i].region[0] || !u->ind.region[0] ||
                 strcmp(m->order[i].region, u->ind.region) == 0))
                return (double)i;
        return (double)m->norder;
    }
    return 0.0;
}

/* 1 if use u may draw on material k's stockpile (priority users). */
static int stock_eligible(const cp_ctl_stockpile *sp, const cp_ctl_use *u)
{
    if (sp->npriority == 0) return 1;
    for (size_t i = 0; i < sp->npriority; i++)
        if (strcmp(sp->priority[i].sector, u->ind.sector) == 0 &&
            (!sp->priority[i].region[0] || !u->ind.region[0] ||
             strcmp(sp->priority[i].region, u->ind.region) == 0))
            return 1;
    return 0;
}

/* Build the claimant lists once per run (stable insertion sort by rank)
 * in the work's buffers, and each material's mapped demand share (the
 * uses' shares summed in claimant order, as the daily step used to sum
 * them).  Also once per run rather than per day: each claimant's share
 * of the need (the expression the daily step evaluated) and the per-use
 * arrays of the pass over all days.  0 or CP_ENOMEM. */
static int claims_build(const cp_ctl_model *m, struct cp_ctl_work *w)
{
    size_t K = m->nsupply, U = m->nuses, n = U + K;
    claims *c = &w->c;
    if (n > w->cap_cl || !c->id) {
        size_t cap = 0;
        if (reserve((void **)&c->id, &cap, n, sizeof *c->id)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->rank, &cap, n, sizeof *c->rank)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->eligible, &cap, n, 1)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->need, &cap, n, sizeof *c->need)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->got, &cap, n, sizeof *c->got)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->share, &cap, n, sizeof *c->share)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->gend, &cap, n, sizeof *c->gend)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->umat, &cap, n, sizeof *c->umat)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->uind, &cap, n, sizeof *c->uind)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->ushare, &cap, n, sizeof *c->ushare)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->ucrit, &cap, n, sizeof *c->ucrit)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->uelig, &cap, n, 1)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->iuse, &cap, n, sizeof *c->iuse)) return CP_ENOMEM;
        w->cap_cl = n ? n : 1;
    }
    if (K + 1 > w->cap_k || !c->off) {
        size_t cap = 0;
        if (reserve((void **)&c->off, &cap, K + 1, sizeof *c->off)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->mapped, &cap, K + 1, sizeof *c->mapped)) return CP_ENOMEM;
        w->cap_k = K + 1;
    }
    size_t p = 0;
    for (size_t k = 0; k < K; k++) {
        c->off[k] = p;
        for (size_t u = 0; u < U; u++) {
            if (m->use[u].mat_idx != k) continue;
            double r = use_rank(m, &m->use[u]);
            size_t q = p++;
            while (q > c->off[k] && c->rank[q - 1] > r) {
                c->id[q] = c->id[q - 1];
                c->rank[q] = c->rank[q - 1];
                c->eligible[q] = c->eligible[q - 1];
                q--;
            }
            c->id[q] = u;
            c->rank[q] = r;
            c->eligible[q] = (unsigned char)stock_eligible(&m->supply[k].stockpile, &m->use[u]);
        }
        c->id[p] = U;
        c->rank[p] = m->allocation == CP_CTL_PROPORTIONAL ? 0.0 : HUGE_VAL;
        c->eligible[p] = m->supply[k].stockpile.npriority == 0;
        p++;
        double mapped = 0;
        for (size_t q = c->off[k]; q < p; q++)
            if (c->id[q] < U) mapped += m->use[c->id[q]].demand_share;
        c->mapped[k] = mapped;
        for (size_t q = c->off[k]; q < p; q++) {
            size_t id = c->id[q];
            c->share[q] = id < U ? m->use[id].demand_share : (mapped < 1.0 ? 1.0 - mapped : 0.0);
            if (id < U) c->uelig[id] = c->eligible[q];
        }
        for (size_t q = p; q > c->off[k]; q--)
            c->gend[q - 1] = q < p && c->rank[q] == c->rank[q - 1] ? c->gend[q] : q;
    }
    c->off[K] = p;
    if (reserve((void **)&c->ioff, &c->cap_i, m->nind + 1, sizeof *c->ioff)) return CP_ENOMEM;
    for (size_t i = 0, q = 0; i < m->nind; i++) {   /* uses by industry, ascending */
        c->ioff[i] = q;
        for (size_t u = 0; u < U; u++)
            if (m->use[u].ind_idx == i) c->iuse[q++] = u;
        c->ioff[i + 1] = q;
    }
    for (size_t u = 0; u < U; u++) {
        c->umat[u] = m->use[u].mat_idx;
        c->uind[u] = m->use[u].ind_idx;
        c->ushare[u] = m->use[u].demand_share;
        c->ucrit[u] = m->use[u].criticality;
    }
    return 0;
}

/* The need N(t) and the other supply of material k on every day, into
 * need_t and other_t: they depend on the day alone (the ramps), not on
 * the buffers, so they are formed before the daily chain
 * (material_days), each with the daily step's expression:
 *   N = R0 (1 - sub f_sub(t)),  other = (1 - s_x) R0 + rec/365 f_rec(t)
 *       + origin/365 f_o(t) in order,
 * where R0, (1 - s_x) R0 and the amounts per day are the same products
 * and quotients once per run as they were every day. */
static void supply_series(const cp_ctl_model *m, size_t k, int avx2, cp_ctl_result *res, size_t t0,
                          size_t t1);

/* Days t0 to t1 of material k, in order: buffers, allocation, stockpile,
 * ledgers.  The material's days form one chain (inventories and
 * stockpile carry over, between blocks in w->cinv, w->cstock and the
 * empty days) independent of the other materials, so a run takes one
 * material at a time and keeps its constants (R0, the initial buffers,
 * the release rate) out of the daily loop; each is the expression the
 * daily step evaluated, so the bits are the same.  N and the other
 * supply come from the ledgers (supply_series).  w->mday[t] receives the
 * market supply M, w->unmet[t*K+k] the unmet need the stockpile shared
 * its release over (1 on days without release).  On the plain path the
 * allocation is done every day and avail[t*U+u] receives the market
 * allocation of use u (before the stockpile), needu its need, for
 * avail_caps; on the AVX2 path it is done only on days the stockpile
 * may release (the chain needs its unmet need) and material_avail_avx2
 * does the uses' allocation and avail afterwards. */
static void material_days(const cp_ctl_model *m, size_t k, struct cp_ctl_work *w, cp_ctl_result *res,
                          size_t t0, size_t t1)
{
    const cp_ctl_supply *s = &m->supply[k];
    claims *c = &w->c;
    size_t K = res->nmat, U = res->nuse;
    long trig = res->trigger_day[k];
    double R0 = s->demand_t_per_year / 365.0;
    double I0 = s->inventory_days * R0, S0 = s->stockpile.days * R0;
    double inv_eps = 1e-12 * I0, stock_eps = 1e-12 * S0;
    double inv = t0 ? w->cinv[k] : I0, stock = t0 ? w->cstock[k] : S0;  /* the chain so far */
    double rate = s->stockpile.max_rate_share * R0, delay = s->stockpile.start_delay_days;
    long inv_empty = res->inventory_empty_day[k], stock_empty = res->stockpile_empty_day[k];
    int can_release = trig < CP_CTL_DAY_MAX;
    /* the claimants of k from 0 to nq, and the arrays the loop writes, as
     * restrict pointers: no store can change what another reads, so the
     * compiler keeps them in registers */
    size_t a = c->off[k], nq = c->off[k + 1] - a;
    double *restrict need = c->need + a, *restrict got = c->got + a;
    const double *restrict share = c->share + a;
    const size_t *restrict gend = c->gend + a, *restrict id = c->id + a;
    const unsigned char *restrict elig = c->eligible + a;
    const double *restrict need_t = res->need_t, *restrict other_t = res->other_t,
                 *restrict ex_t = res->exporter_t;
    double *restrict avail = res->avail, *restrict used_t = res->used_t,
           *restrict inv_t = res->inventory_t, *restrict stock_t = res->stockpile_t,
           *restrict rel_t = res->release_t, *restrict short_t = res->shortfall_t,
           *restrict unmet_t = w->unmet, *restrict needu = w->needu, *restrict mday = w->mday;
    unsigned char *restrict relday = w->relday;
    for (size_t t = t0; t < t1; t++) {
        long day = res->start_day + (long)t;
        size_t ix = t * K + k;
        double N = need_t[ix], F = ex_t[ix] + other_t[ix], M;
        if (F >= N) {
            M = N;
            double room = I0 - inv;
            if (room > 0) inv += F - N < room ? F - N : room;
        } else {
            double draw = inv < N - F ? inv : N - F;
            inv -= draw;
            M = F + draw;
        }
        /* Needs of the claimants, then the market allocation: groups of
         * equal rank in order (c->gend); a group that cannot be served in
         * full shares what is left in proportion to need.  Proportional
         * allocation is the one-group case. */
        int stock_day = stock > 0 && can_release && (double)(day - trig) >= delay;
        mday[t] = M;
        unmet_t[ix] = 1.0;
        /* the allocation: every day on the plain path, only on the days
         * the stockpile may release on the AVX2 path (the chain needs its
         * unmet need), material_avail_avx2 redoing the rest */
        if (!w->avx2 || stock_day) {
            double sup = M;
            for (size_t g = 0, h; g < nq; g = h) {
                h = gend[g] - a;
                double gneed = 0;
                for (size_t q = g; q < h; q++) {
                    need[q] = N * share[q];
                    gneed += need[q];
                }
                double f = gneed > 0 ? (sup >= gneed ? 1.0 : sup / gneed) : 0.0;
                for (size_t q = g; q < h; q++) got[q] = need[q] * f;
                sup -= gneed * f;
                if (sup < 0) sup = 0;
            }
        }
        if (!w->avx2) {
            double *av = avail + t * U, *nu = needu + t * U;
            for (size_t q = 0; q < nq; q++)
                if (id[q] < U) {
                    av[id[q]] = got[q];
                    nu[id[q]] = need[q];
                }
        }
        /* National stockpile: released to eligible users' unmet need
         * (shared among them in avail_caps). */
        double rel = 0;
        if (stock_day) {
            double unmet = 0;
            for (size_t q = 0; q < nq; q++)
                if (elig[q]) unmet += need[q] - got[q];
            rel = rate;
            if (rel > stock) rel = stock;
            if (rel > unmet) rel = unmet;
            if (rel > 0) {
                unmet_t[ix] = unmet;
                relday[t] = 1;
                stock -= rel;
            } else {
                rel = 0;
            }
        }
        used_t[ix] = M + rel;
        inv_t[ix] = inv;
        stock_t[ix] = stock;
        rel_t[ix] = rel;
        short_t[ix] = N - M - rel > 0 ? N - M - rel : 0;
        if (I0 > 0 && inv_empty == CP_CTL_DAY_MAX && inv <= inv_eps) inv_empty = day;
        if (S0 > 0 && stock_empty == CP_CTL_DAY_MAX && stock <= stock_eps) stock_empty = day;
    }
    w->cinv[k] = inv;
    w->cstock[k] = stock;
    res->inventory_empty_day[k] = inv_empty;
    res->stockpile_empty_day[k] = stock_empty;
}

/* One use's availability on a day, the daily step's formula: the
 * market allocation got, plus (need - got) * rel / unmet when the
 * stockpile released rel > 0 to it, over need, 1 without division when
 * got == need, clamped to [0, 1]. */
static inline double use_avail(double need, double got, double rel, double unmet)
{
    if (rel > 0) got += (need - got) * rel / unmet;
    double v = need > 0 ? (got == need ? 1.0 : got / need) : 1.0;
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Day t's row of the release each use shares and its unmet need (0 and
 * 1 where the stockpile did not release to the use), for use_avail, on
 * a day some stockpile released (w->relday). */
static inline void avail_row(const claims *c, const cp_ctl_result *res, const struct cp_ctl_work *w,
                             size_t t, double *rrel, double *run)
{
    size_t K = res->nmat, U = res->nuse;
    const double *rt = res->release_t + t * K, *mt = w->unmet + t * K;
    for (size_t u = 0; u < U; u++) {
        size_t k = c->umat[u];
        int r = c->uelig[u] && rt[k] > 0;
        rrel[u] = r ? rt[k] : 0.0;
        run[u] = r ? mt[k] : 1.0;
    }
}

/* The caps of days t0 on: each industry's cap from 1 through its uses
 * in ascending order (c->ioff, c->iuse: the order of the daily step's
 * loop over all uses, so the same bits, -0 and all), v = 1 - crit (1 -
 * avail), if (v < cap) cap = v < 0 ? 0 : v, kept in a register. */
static void caps_days(const claims *c, cp_ctl_result *res, size_t I, size_t t0, size_t t1)
{
    size_t U = res->nuse;
    const double *restrict ucrit = c->ucrit;
    const size_t *restrict ioff = c->ioff, *restrict iuse = c->iuse;
    for (size_t t = t0; t < t1; t++) {
        const double *av = res->avail + t * U;
        double *cap = res->cap + t * I;
        for (size_t i = 0; i < I; i++) {
            double cur = 1.0;
            for (size_t j = ioff[i]; j < ioff[i + 1]; j++) {
                size_t u = iuse[j];
                double v = 1.0 - ucrit[u] * (1.0 - av[u]);
                double cl = v < 0 ? 0 : v;
                cur = v < cur ? cl : cur;
            }
            cap[i] = cur;
        }
    }
}

/* GCC on x86-64 (not under the sanitizers; as the ARIO engine's AVX-512
 * pass): an AVX2 variant of the pass's divisions, used when the CPU has
 * it.  The divisions (release shares, received / need, the extraction
 * share's terms) are most of this layer's time, and a four-lane AVX2
 * division costs about what a scalar one does (measured on the EPYC
 * machine: 1.26 ns per scalar division, 0.32 per lane of a four-lane
 * one, 0.62 with two SSE2 lanes). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define CP_CTL_AVX2 1

/* Four doubles and their comparison masks (GCC vector types): element-
 * wise operations are the scalar IEEE operations lane by lane, so a
 * vector division is four correctly rounded scalar divisions; selections
 * are done with masks.  Used only inside target("avx2") functions and
 * only through macros (a function taking or returning them would have
 * a different ABI with and without AVX). */
typedef double ctl_v4 __attribute__((vector_size(32)));
typedef int64_t ctl_m4 __attribute__((vector_size(32)));

/* mask ? a : b, lane by lane. */
#define V4_SEL(mask, a, b) ((ctl_v4)(((ctl_m4)(a) & (mask)) | ((ctl_m4)(b) & ~(mask))))

/* x broadcast to four lanes. */
#define V4_SPLAT(x) ((ctl_v4){(x), (x), (x), (x)})

/* One day t of material k after its chain (material_days): the
 * allocation of the day's market supply M (w->mday) among the claimants
 * by groups, the stockpile's share for eligible uses on a day it
 * released, and each use's avail, written to avail: the daily step's
 * operations in its order (see material_days, use_avail). */
static void material_avail_day(const claims *c, size_t k, const struct cp_ctl_work *w,
                               cp_ctl_result *res, size_t t)
{
    size_t K = res->nmat, U = res->nuse, ix = t * K + k;
    double N = res->need_t[ix], sup = w->mday[t], rel = res->release_t[ix], un = w->unmet[ix];
    for (size_t g = c->off[k], h; g < c->off[k + 1]; g = h) {
        h = c->gend[g];
        double gneed = 0;
        for (size_t q = g; q < h; q++) gneed += N * c->share[q];
        double f = gneed > 0 ? (sup >= gneed ? 1.0 : sup / gneed) : 0.0;
        for (size_t q = g; q < h; q++) {
            if (c->id[q] >= U) continue;
            double need = N * c->share[q];
            res->avail[t * U + c->id[q]] = use_avail(need, need * f, c->eligible[q] ? rel : 0.0, un);
        }
        sup -= gneed * f;
        if (sup < 0) sup = 0;
    }
}

/* material_avail_day for four days at a time: each lane is one day and
 * performs that function's operations in its order (the groups' needs
 * summed from +0, the fill fraction, what is left for the next group,
 * the release share where the day released, got / need clamped), the
 * selections done with masks and the divisions on every lane; the last
 * T mod 4 days by material_avail_day. */
__attribute__((target("avx2"))) static void material_avail_avx2(const claims *c, size_t k,
                                                                const struct cp_ctl_work *w,
                                                                cp_ctl_result *res, size_t t0,
                                                                size_t t1)
{
    const ctl_v4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    size_t K = res->nmat, U = res->nuse, t = t0;
    for (; t + 4 <= t1; t += 4) {
        /* the four days' values gathered with initializers (lane stores
         * and a vector load would stall on store forwarding) */
        size_t i0 = t * K + k, i1 = i0 + K, i2 = i1 + K, i3 = i2 + K;
        const double *nt = res->need_t, *rt = res->release_t, *mt = w->unmet;
        ctl_v4 N = {nt[i0], nt[i1], nt[i2], nt[i3]}, rel = {rt[i0], rt[i1], rt[i2], rt[i3]};
        ctl_v4 un = {mt[i0], mt[i1], mt[i2], mt[i3]}, sup;
        memcpy(&sup, w->mday + t, sizeof sup);
        ctl_m4 mr = rel > zero;
        for (size_t g = c->off[k], h; g < c->off[k + 1]; g = h) {
            h = c->gend[g];
            ctl_v4 gneed = zero;
            for (size_t q = g; q < h; q++) gneed += N * V4_SPLAT(c->share[q]);
            ctl_v4 f = V4_SEL(gneed > zero, V4_SEL(sup >= gneed, one, sup / gneed), zero);
            for (size_t q = g; q < h; q++) {
                if (c->id[q] >= U) continue;
                ctl_v4 need = N * V4_SPLAT(c->share[q]), got = need * f, v;
                if (c->eligible[q]) got = V4_SEL(mr, got + (need - got) * rel / un, got);
                ctl_m4 md = (need > zero) & (got != need);
                v = V4_SEL(md, got / need, one);
                v = V4_SEL(v < zero, zero, V4_SEL(v > one, one, v));
                double *av = res->avail + t * U + c->id[q];
                for (int j = 0; j < 4; j++) av[(size_t)j * U] = v[j];
            }
            sup = sup - gneed * f;
            sup = V4_SEL(sup < zero, zero, sup);
        }
    }
    for (; t < t1; t++) material_avail_day(c, k, w, res, t);
}

/* caps_days four days at a time, each lane one day with that
 * function's operations; returns the days done (a multiple of 4). */
__attribute__((target("avx2"))) static size_t caps_avx2(const claims *c, cp_ctl_result *res, size_t I,
                                                        size_t t0, size_t t1)
{
    const ctl_v4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    size_t U = res->nuse, t = t0;
    const double *restrict ucrit = c->ucrit;
    const size_t *restrict ioff = c->ioff, *restrict iuse = c->iuse;
    for (; t + 4 <= t1; t += 4) {
        const double *a0 = res->avail + t * U, *a1 = a0 + U, *a2 = a1 + U, *a3 = a2 + U;
        double *cap = res->cap + t * I;
        for (size_t i = 0; i < I; i++) {
            ctl_v4 cur = one;
            for (size_t j = ioff[i]; j < ioff[i + 1]; j++) {
                size_t u = iuse[j];
                ctl_v4 av = {a0[u], a1[u], a2[u], a3[u]};
                ctl_v4 v = one - V4_SPLAT(ucrit[u]) * (one - av);
                ctl_v4 cl = V4_SEL(v < zero, zero, v);
                cur = V4_SEL(v < cur, cl, cur);
            }
            for (int j = 0; j < 4; j++) cap[(size_t)j * I + i] = cur[j];
        }
    }
    return t;
}

/* The extraction share (see extraction), four industries at a time over
 * the days in order, the last I mod 4 one by one. */
__attribute__((target("avx2"))) static void extraction_avx2(const cp_ctl_result *res, size_t I)
{
    const ctl_v4 one = {1, 1, 1, 1};
    size_t T = res->nsteps, I4 = I / 4 * 4;
    double *es = res->extraction_share, dT = (double)T;
    for (size_t i = 0; i < I4; i += 4) {
        ctl_v4 acc, cp;
        memcpy(&acc, es + i, sizeof acc);
        for (size_t t = 0; t < T; t++) {
            memcpy(&cp, res->cap + t * I + i, sizeof cp);
            acc += (one - cp) / dT;
        }
        memcpy(es + i, &acc, sizeof acc);
    }
    for (size_t i = I4; i < I; i++)
        for (size_t t = 0; t < T; t++)
            if (res->cap[t * I + i] != 1.0) es[i] += (1.0 - res->cap[t * I + i]) / dT;
}
#endif

/* supply_series for days t0 to t1, one day at a time (see its comment). */
static void supply_series_days(const cp_ctl_model *m, size_t k, size_t t0, size_t t1, cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    size_t K = res->nmat;
    long trig = res->trigger_day[k];
    double R0 = s->demand_t_per_year / 365.0;
    double base = (1.0 - s->exporter_share) * R0, rec = s->recycling.amount / 365.0;
    size_t no = s->norigins < CP_CTL_MAX_ORIGINS ? s->norigins : CP_CTL_MAX_ORIGINS;
    double oamt[CP_CTL_MAX_ORIGINS];
    for (size_t o = 0; o < no; o++) oamt[o] = s->origin[o].amount / 365.0;
    for (size_t t = t0; t < t1; t++) {
        long day = res->start_day + (long)t;
        double N = R0 * (1.0 - s->substitution.amount * ramp_frac(&s->substitution, trig, day));
        double other = base + rec * ramp_frac(&s->recycling, trig, day);
        for (size_t o = 0; o < no; o++) other += oamt[o] * ramp_frac(&s->origin[o], trig, day);
        res->need_t[t * K + k] = N;
        res->other_t[t * K + k] = other;
    }
}

#ifdef CP_CTL_AVX2

/* ramp_frac of ramp rp on four days into f (ctl_v4), from xd, the four
 * days less the trigger day as doubles, and live (triggered): the same
 * cases in the same order, the division done on every lane and selected
 * where x is within the ramp.  zero and one must be in scope. */
#define RAMP4(rp, xd, live, f)                                                     \
    do {                                                                           \
        if (!(live) || (rp)->amount <= 0) {                                        \
            f = zero;                                                              \
        } else {                                                                   \
            ctl_v4 x_ = (xd) - V4_SPLAT((rp)->lead_days);                          \
            ctl_v4 rd_ = V4_SPLAT((rp)->ramp_days);                                \
            f = (rp)->ramp_days <= 0 ? one : V4_SEL(x_ >= rd_, one, x_ / rd_);     \
            f = V4_SEL(x_ < zero, zero, f);                                        \
        }                                                                          \
    } while (0)

/* supply_series four days at a time from t0, the ramps' divisions four
 * to an instruction; returns the day it stopped at (fewer than 4 days
 * before t1), the rest is left to supply_series_days. */
__attribute__((target("avx2"))) static size_t supply_series_avx2(const cp_ctl_model *m, size_t k,
                                                                 cp_ctl_result *res, size_t t0,
                                                                 size_t t1)
{
    const ctl_v4 zero = {0, 0, 0, 0}, one = {1, 1, 1, 1};
    const cp_ctl_supply *s = &m->supply[k];
    size_t K = res->nmat, t = t0;
    long trig = res->trigger_day[k];
    int live = trig < CP_CTL_DAY_MAX;
    double R0 = s->demand_t_per_year / 365.0;
    ctl_v4 R0v = V4_SPLAT(R0), sub = V4_SPLAT(s->substitution.amount);
    ctl_v4 base = V4_SPLAT((1.0 - s->exporter_share) * R0), rec = V4_SPLAT(s->recycling.amount / 365.0);
    size_t no = s->norigins < CP_CTL_MAX_ORIGINS ? s->norigins : CP_CTL_MAX_ORIGINS;
    double oamt[CP_CTL_MAX_ORIGINS];
    for (size_t o = 0; o < no; o++) oamt[o] = s->origin[o].amount / 365.0;
    for (; t + 4 <= t1; t += 4) {
        long d0 = res->start_day + (long)t;   /* (lane stores would stall, see material_avail_avx2) */
        ctl_v4 xd = {(double)(d0 - trig), (double)(d0 + 1 - trig), (double)(d0 + 2 - trig),
                     (double)(d0 + 3 - trig)};
        ctl_v4 f, N, other;
        RAMP4(&s->substitution, xd, live, f);
        N = R0v * (one - sub * f);
        RAMP4(&s->recycling, xd, live, f);
        other = base + rec * f;
        for (size_t o = 0; o < no; o++) {
            RAMP4(&s->origin[o], xd, live, f);
            other += V4_SPLAT(oamt[o]) * f;
        }
        for (int j = 0; j < 4; j++) {
            res->need_t[(t + (size_t)j) * K + k] = N[j];
            res->other_t[(t + (size_t)j) * K + k] = other[j];
        }
    }
    return t;
}
#endif

/* See the declaration above; days t0 to t1. */
static void supply_series(const cp_ctl_model *m, size_t k, int avx2, cp_ctl_result *res, size_t t0,
                          size_t t1)
{
#ifdef CP_CTL_AVX2
    if (avx2) t0 = supply_series_avx2(m, k, res, t0, t1);
#endif
    (void)avx2;
    supply_series_days(m, k, t0, t1, res);
}

/* Availability and caps of days t0 to t1, after every material's days
 * of the block.  Plain path: day t's avail row holds each use's market
 * allocation (material_days); use_avail turns it into received / need as
 * the daily step computed it claimant by claimant.  AVX2 path: avail is
 * final already (material_avail_avx2).  Then the caps (caps_avx2 four
 * days at a time, caps_days the rest). */
static void avail_caps(const cp_ctl_model *m, struct cp_ctl_work *w, cp_ctl_result *res, size_t t0,
                       size_t t1)
{
    const claims *c = &w->c;
    size_t U = res->nuse, I = m->nind;
#ifdef CP_CTL_AVX2
    if (w->avx2) {
        caps_days(c, res, I, caps_avx2(c, res, I, t0, t1), t1);
        return;
    }
#endif
    double *rrel = w->row, *run = w->row + U;
    for (size_t t = t0; t < t1; t++) {
        double *av = res->avail + t * U;
        const double *rneed = w->needu + t * U;
        if (w->relday[t]) {
            avail_row(c, res, w, t, rrel, run);
            for (size_t u = 0; u < U; u++) av[u] = use_avail(rneed[u], av[u], rrel[u], run[u]);
        } else {
            for (size_t u = 0; u < U; u++) av[u] = use_avail(rneed[u], av[u], 0.0, 1.0);
        }
    }
    caps_days(c, res, I, t0, t1);
}

/* The extraction share of every industry, the mean over the days of 1 -
 * cap, summed over the days in order.  The AVX2 variant adds every term:
 * an uncapped industry adds (1 - 1) / T = +0, which changes no bit of a
 * sum that starts at +0 and only grows. */
static void extraction(const cp_ctl_model *m, const struct cp_ctl_work *w, cp_ctl_result *res)
{
    size_t T = res->nsteps, I = m->nind;
#ifdef CP_CTL_AVX2
    if (w->avx2) {
        extraction_avx2(res, I);
        return;
    }
#endif
    (void)w;
    double *es = res->extraction_share, dT = (double)T;
    for (size_t t = 0; t < T; t++)
        for (size_t i = 0; i < I; i++)
            if (res->cap[t * I + i] != 1.0) es[i] += (1.0 - res->cap[t * I + i]) / dT;
}

/* Days per block of run_core (a multiple of 4, the AVX2 lanes). */
#define CTL_BLOCK 32

/* Refuse what cannot run: a bad step count or start, an unchecked model,
 * uses without a share, the value rule without value added.  0 or the
 * error set. */
static int run_check(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_error *err)
{
    if (!opts || opts->nsteps == 0 || opts->nsteps > 100000)
        return cp_error_set(err, CP_EUSAGE, "controls run: %zu steps; hint: give 1 to 100000 days",
                            opts ? opts->nsteps : 0);
    if (opts->start_day <= CP_CTL_DAY_MIN || opts->start_day >= CP_CTL_DAY_MAX)
        return cp_error_set(err, CP_EUSAGE, "controls run: no start date; hint: e.g. 2026-01-06");
    if (!m->checked)
        return cp_error_set(err, CP_EUSAGE, "controls run: the model is not checked; hint: call cp_ctl_model_check after building or changing it");
    for (size_t u = 0; u < m->nuses; u++)
        if (m->allocation == CP_CTL_VALUE && m->use[u].table_index < 0 && m->use[u].va_per_t <= 0)
            return cp_error_set(err, CP_EUSAGE, "controls run: allocation value needs value added per tonne of use of %s by %s; hint: call cp_ctl_bind_table with the economy's table",
                                m->use[u].element, m->use[u].ind.sector);
    for (size_t u = 0; u < m->nuses; u++)
        if (m->use[u].demand_share < 0 || m->use[u].mat_idx >= m->nsupply)
            return cp_error_at(err, CP_EINPUT,
                               m->nfiles && (size_t)m->use[u].src.file < m->nfiles
                                   ? m->files[m->use[u].src.file] : "controls",
                               m->use[u].src.line, m->use[u].src.col,
                               "use of %s by %s has no demand share yet; hint: call cp_ctl_model_check and cp_ctl_bind_table before running",
                               m->use[u].element, m->use[u].ind.sector);
    return 0;
}

/* The run itself into res, whose arrays have the model's shape: the
 * accumulated arrays (exporter_t, extraction_share) are zeroed here, every
 * other array is written in full, so fresh and reused arrays give the
 * same bits.  res->work is created if missing.  0 or CP_ENOMEM. */
static int run_core(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_ctl_result *res)
{
    if (!res->work) {
        if (!(res->work = calloc(1, sizeof *res->work))) return CP_ENOMEM;
#ifdef CP_CTL_AVX2
        res->work->avx2 = __builtin_cpu_supports("avx2") && !getenv("CHOKEPOINT_NO_AVX2");
#endif
    }
    struct cp_ctl_work *w = res->work;
    size_t T = opts->nsteps, K = m->nsupply;
    memset(res->exporter_t, 0, T * (K ? K : 1) * sizeof *res->exporter_t);
    memset(res->extraction_share, 0, (m->nind ? m->nind : 1) * sizeof *res->extraction_share);
    if (claims_build(m, w) || breakpoints(m, w)) return CP_ENOMEM;
    long from = opts->start_day - lookback_days(m, opts->start_day);
    if (working_table(m, from, opts->start_day + (long)T - 1, w)) return CP_ENOMEM;
    if (reserve((void **)&w->unmet, &w->cap_unmet, T * K, sizeof *w->unmet) ||
        reserve((void **)&w->needu, &w->cap_needu, T * m->nuses, sizeof *w->needu) ||
        reserve((void **)&w->relday, &w->cap_relday, T, 1) ||
        reserve((void **)&w->mday, &w->cap_mday, T, sizeof *w->mday) ||
        reserve((void **)&w->cinv, &w->cap_cinv, K, sizeof *w->cinv) ||
        reserve((void **)&w->cstock, &w->cap_cstock, K, sizeof *w->cstock) ||
        reserve((void **)&w->row, &w->cap_row, 2 * m->nuses, sizeof *w->row))
        return CP_ENOMEM;
    memset(w->relday, 0, T);
    for (size_t k = 0; k < K; k++) {
        res->trigger_day[k] = cp_ctl_first_controlled_day(m, k);
        res->inventory_empty_day[k] = CP_CTL_DAY_MAX;
        res->stockpile_empty_day[k] = CP_CTL_DAY_MAX;
        exporter_arrivals(m, k, from, w, res);
    }
    /* The days in blocks of CTL_BLOCK, every material's chain through a
     * block (carried over in w->cinv, w->cstock and the empty days), then
     * the block's caps: the arrays a block touches stay in the L1 cache,
     * where whole-horizon passes per material (ledgers strided by K)
     * missed it on most stores. */
    for (size_t t0 = 0; t0 < T; t0 += CTL_BLOCK) {
        size_t t1 = T - t0 < CTL_BLOCK ? T : t0 + CTL_BLOCK;
        for (size_t k = 0; k < K; k++) {
            supply_series(m, k, w->avx2, res, t0, t1);
            material_days(m, k, w, res, t0, t1);
#ifdef CP_CTL_AVX2
            if (w->avx2) material_avail_avx2(&w->c, k, w, res, t0, t1);
#endif
        }
        avail_caps(m, w, res, t0, t1);
    }
    extraction(m, w, res);
    return 0;
}

/* Run the model; see chokepoint.h. */
int cp_ctl_run(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_ctl_result **out,
               cp_error *err)
{
    *out = NULL;
    int rc = run_check(m, opts, err);
    if (rc) return rc;
    cp_ctl_result *res = calloc(1, sizeof *res);
    if (!res) goto fail;
    res->nsteps = opts->nsteps;
    res->nmat = m->nsupply;
    res->nuse = m->nuses;
    res->nind = m->nind;
    res->start_day = opts->start_day;
    if (result_alloc(res) || run_core(m, opts, res)) goto fail;
    *out = res;
    return 0;
fail:
    cp_ctl_result_free(res);
    return cp_error_set(err, CP_ENOMEM, "controls run: out of memory for %zu days", opts->nsteps);
}

/* Run again into a previous result (see chokepoint.h): its arrays and
 * scratch are reused when the run has the same shape (days, materials,
 * uses, industries), reallocated otherwise; a Monte Carlo loop then
 * allocates nothing per draw.  Same bits as cp_ctl_run. */
int cp_ctl_run_into(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_ctl_result **res,
                    cp_error *err)
{
    if (!*res) return cp_ctl_run(m, opts, res, err);
    int rc = run_check(m, opts, err);
    if (rc) return rc;
    cp_ctl_result *r = *res;
    if (r->nsteps != opts->nsteps || r->nmat != m->nsupply || r->nuse != m->nuses || r->nind != m->nind ||
        !r->need_t) {
        result_arrays_free(r);
        r->nsteps = opts->nsteps;
        r->nmat = m->nsupply;
        r->nuse = m->nuses;
        r->nind = m->nind;
        if (result_alloc(r)) goto fail;
    }
    r->start_day = opts->start_day;
    if (run_core(m, opts, r)) goto fail;
    return 0;
fail:
    result_arrays_free(r);
    r->nsteps = r->nmat = r->nuse = r->nind = 0;
    return cp_error_set(err, CP_ENOMEM, "controls run: out of memory for %zu days", opts->nsteps);
}

/* Caps of one step over all n industries of the bound table. */
int cp_ctl_cap_for_table(const cp_ctl_model *m, const cp_ctl_result *r, size_t step,
                         double *cap_n, size_t n, cp_error *err)
{
    if (step >= r->nsteps)
        return cp_error_set(err, CP_EUSAGE, "controls: step %zu beyond the run's %zu days", step,
                            r->nsteps);
    for (size_t j = 0; j < n; j++) cap_n[j] = 1.0;
    for (size_t u = 0; u < m->nuses; u++) {
        long j = m->use[u].table_index;
        if (j < 0 || (size_t)j >= n)
            return cp_error_set(err, CP_EUSAGE, "controls: use of %s by %s is not bound to a table of %zu industries; hint: call cp_ctl_bind_table",
                                m->use[u].element, m->use[u].ind.sector, n);
        cap_n[j] = r->cap[step * r->nind + m->use[u].ind_idx];
    }
    return 0;
}

/* Caps of every step over all n industries of the bound table, laid out
 * step-major for the dynamic engine's capacity-cap hook.  The bindings are
 * checked once, then each row is filled as cp_ctl_cap_for_table fills a
 * step (same values, without re-checking per step). */
int cp_ctl_cap_series_for_table(const cp_ctl_model *m, const cp_ctl_result *r, double *frac,
                                size_t n, cp_error *err)
{
    for (size_t u = 0; u < m->nuses; u++) {
        long j = m->use[u].table_index;
        if (j < 0 || (size_t)j >= n)
            return cp_error_set(err, CP_EUSAGE, "controls: use of %s by %s is not bound to a table of %zu industries; hint: call cp_ctl_bind_table",
                                m->use[u].element, m->use[u].ind.sector, n);
    }
    for (size_t t = 0; t < r->nsteps; t++) {
        double *row = frac + t * n;
        const double *cap = r->cap + t * r->nind;
        for (size_t j = 0; j < n; j++) row[j] = 1.0;
        for (size_t u = 0; u < m->nuses; u++) row[m->use[u].table_index] = cap[m->use[u].ind_idx];
    }
    return 0;
}

/* The writes of cp_ctl_cap_series_update for the model's bindings, in
 * w: a row's column j ends up with the cap of the last use bound to j
 * (the loop over all uses writes it last), so only those writes are
 * kept (16 instead of 36 for Japan).  Rebuilt when a use's table index
 * differs from the one they were made for; 1 if they are usable. */
static int series_writes(const cp_ctl_model *m, struct cp_ctl_work *w)
{
    size_t U = m->nuses;
    if (w->wtab && w->nwu == U) {
        size_t u = 0;
        while (u < U && w->wtab[u] == m->use[u].table_index) u++;
        if (u == U) return 1;
    }
    if (reserve((void **)&w->wtab, &w->cap_wtab, U, sizeof *w->wtab) ||
        reserve((void **)&w->wcol, &w->cap_wcol, U, sizeof *w->wcol) ||
        reserve((void **)&w->wind, &w->cap_wind, U, sizeof *w->wind)) {
        w->nwu = 0;
        return 0;
    }
    w->nw = 0;
    for (size_t u = 0; u < U; u++) {
        long j = m->use[u].table_index;
        w->wtab[u] = j;
        size_t v = u + 1;
        while (v < U && m->use[v].table_index != j) v++;
        if (v == U) {   /* no later use writes column j */
            w->wcol[w->nw] = (size_t)j;
            w->wind[w->nw++] = m->use[u].ind_idx;
        }
    }
    w->nwu = U;
    return 1;
}

/* Rewrite only the bound columns of a series cp_ctl_cap_series_for_table
 * (or this) wrote before into frac, for uses bound to the same table
 * indices, n and steps: every other column is still 1, so a Monte Carlo
 * draw writes 16 columns instead of all n, and each once (the last
 * use's write to it, series_writes, kept in the result's scratch).
 * Same bits as the full fill under that contract (see chokepoint.h). */
int cp_ctl_cap_series_update(const cp_ctl_model *m, const cp_ctl_result *r, double *frac, size_t n,
                             cp_error *err)
{
    for (size_t u = 0; u < m->nuses; u++) {
        long j = m->use[u].table_index;
        if (j < 0 || (size_t)j >= n)
            return cp_error_set(err, CP_EUSAGE, "controls: use of %s by %s is not bound to a table of %zu industries; hint: call cp_ctl_bind_table",
                                m->use[u].element, m->use[u].ind.sector, n);
    }
    struct cp_ctl_work *w = r->work;
    if (w && series_writes(m, w)) {   /* the last write to each column only */
        for (size_t t = 0; t < r->nsteps; t++) {
            double *row = frac + t * n;
            const double *cap = r->cap + t * r->nind;
            for (size_t q = 0; q < w->nw; q++) row[w->wcol[q]] = cap[w->wind[q]];
        }
        return 0;
    }
    for (size_t t = 0; t < r->nsteps; t++) {
        double *row = frac + t * n;
        const double *cap = r->cap + t * r->nind;
        for (size_t u = 0; u < m->nuses; u++) row[m->use[u].table_index] = cap[m->use[u].ind_idx];
    }
    return 0;
}
