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
 */
#include "chokepoint.h"

#include <math.h>
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
    unsigned char *eligible; /* [U+K] stockpile may serve this claimant */
    double *need, *got;      /* [U+K] per step */
    double *mapped;          /* [K] sum of the mapped uses' demand shares */
} claims;

/* A run's scratch, kept with its result so that cp_ctl_run_into reuses it:
 * the claimant lists, the buffers, the breakpoints of the controls and
 * one material's state per stretch between them, the working-day table.
 * Buffers only grow (cap_* count elements). */
struct cp_ctl_work {
    claims c;
    size_t cap_cl, cap_k;    /* claimant slots (U+K), materials (K) */
    double *inv, *stock;     /* [K] company inventories, national stockpile */
    long *bp;                /* [nbp] sorted distinct breakpoint days */
    size_t nbp, cap_bp;
    cp_ctl_state *seg;       /* [nbp+1] state of one material per stretch */
    size_t cap_seg;
    long *wcnt;              /* [wlen] working days in (wfrom, wfrom + i] */
    long *wday;              /* [nwd] the j-th working day after wfrom (j from 0) */
    size_t wlen, nwd, cap_w, cap_wd;
    long wfrom;
};

/* Free a run's scratch. */
static void work_free(struct cp_ctl_work *w)
{
    if (!w) return;
    free(w->c.off);
    free(w->c.id);
    free(w->c.rank);
    free(w->c.eligible);
    free(w->c.need);
    free(w->c.got);
    free(w->c.mapped);
    free(w->inv);
    free(w->stock);
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

/* Fill res->exporter_t for material k: every order day from the lookback
 * on contributes its flow on the day it may arrive (see file comment).
 * The states come from the stretches (stretch_states) and the decision
 * days from the working-day table, as cp_ctl_state_at and
 * cp_ctl_add_working_days would give them day by day. */
static void exporter_arrivals(const cp_ctl_model *m, size_t k, long from, struct cp_ctl_work *w,
                              cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    long day0 = res->start_day, T = (long)res->nsteps, K = (long)res->nmat;
    double flow = s->demand_t_per_year / 365.0 * s->exporter_share;
    if (flow <= 0) return;
    stretch_states(m, k, w);
    size_t sd = stretch_of(w, from);
    for (long d = from; d < day0 + T; d++) {
        while (sd < w->nbp && w->bp[sd] <= d) sd++;
        const cp_ctl_state *st = &w->seg[sd];
        double unc = flow * (1.0 - st->controlled_share);
        if (d >= day0 && unc > 0) res->exporter_t[(d - day0) * K + (long)k] += unc;
        for (int f = 0; f < CP_CTL_NFORMS; f++) {
            double ctl = flow * st->form_flow[f];
            if (ctl <= 0) continue;
            long dec = add_working(m, w, d, st->form_review[f]);
            long arr = dec;
            const cp_ctl_state *dst;
            if (dec >= st->form_end[f]) { /* still pending when the covering regime
                                             ends: decided on the end day, as its
                                             last phase would */
                arr = st->form_end[f];
                dst = &w->seg[stretch_of(w, arr - 1)];
            } else {
                dst = &w->seg[stretch_of(w, dec)];
            }
            double a = dst->form_flow[f] > 0 ? dst->form_approval[f] : 1.0;
            double amt = ctl * a * (1.0 - st->banned_share);
            if (arr >= day0 && arr < day0 + T) res->exporter_t[(arr - day0) * K + (long)k] += amt;
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
 * them).  0 or CP_ENOMEM. */
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
        w->cap_cl = n ? n : 1;
    }
    if (K + 1 > w->cap_k || !c->off) {
        size_t cap = 0;
        if (reserve((void **)&c->off, &cap, K + 1, sizeof *c->off)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&c->mapped, &cap, K + 1, sizeof *c->mapped)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&w->inv, &cap, K + 1, sizeof *w->inv)) return CP_ENOMEM;
        cap = 0;
        if (reserve((void **)&w->stock, &cap, K + 1, sizeof *w->stock)) return CP_ENOMEM;
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
    }
    c->off[K] = p;
    return 0;
}

/* Share supply among claimants [a, b): groups of equal rank in order; a
 * group that cannot be served in full shares what is left in proportion
 * to need.  Proportional allocation is the one-group case. */
static void allocate(claims *c, size_t a, size_t b, double supply)
{
    size_t g = a;
    while (g < b) {
        size_t h = g;
        double need = 0;
        while (h < b && c->rank[h] == c->rank[g]) need += c->need[h++];
        double f = need > 0 ? (supply >= need ? 1.0 : supply / need) : 0.0;
        for (size_t q = g; q < h; q++) c->got[q] = c->need[q] * f;
        supply -= need * f;
        if (supply < 0) supply = 0;
        g = h;
    }
}

/* One day of material k: buffers, allocation, stockpile, ledgers. */
static void step_material(const cp_ctl_model *m, size_t k, long t, claims *c, double *inv,
                          double *stock, cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    size_t K = res->nmat, U = res->nuse;
    long day = res->start_day + t, trig = res->trigger_day[k];
    double R0 = s->demand_t_per_year / 365.0;
    double N = R0 * (1.0 - s->substitution.amount * ramp_frac(&s->substitution, trig, day));
    double X = res->exporter_t[t * K + k];
    double other = (1.0 - s->exporter_share) * R0 +
                   s->recycling.amount / 365.0 * ramp_frac(&s->recycling, trig, day);
    for (size_t o = 0; o < s->norigins; o++)
        other += s->origin[o].amount / 365.0 * ramp_frac(&s->origin[o], trig, day);
    double F = X + other, I0 = s->inventory_days * R0, M;
    if (F >= N) {
        M = N;
        double room = I0 - inv[k];
        if (room > 0) inv[k] += F - N < room ? F - N : room;
    } else {
        double draw = inv[k] < N - F ? inv[k] : N - F;
        inv[k] -= draw;
        M = F + draw;
    }
    /* Needs of the claimants, then the market allocation. */
    size_t a = c->off[k], b = c->off[k + 1];
    double mapped = c->mapped[k];
    for (size_t q = a; q < b; q++)
        c->need[q] = N * (c->id[q] < U ? m->use[c->id[q]].demand_share
                                       : (mapped < 1.0 ? 1.0 - mapped : 0.0));
    allocate(c, a, b, M);
    /* National stockpile: released to eligible users' unmet need. */
    double rel = 0;
    if (stock[k] > 0 && trig < CP_CTL_DAY_MAX &&
        (double)(day - trig) >= s->stockpile.start_delay_days) {
        double unmet = 0;
        for (size_t q = a; q < b; q++)
            if (c->eligible[q]) unmet += c->need[q] - c->got[q];
        rel = s->stockpile.max_rate_share * R0;
        if (rel > stock[k]) rel = stock[k];
        if (rel > unmet) rel = unmet;
        if (rel > 0) {
            for (size_t q = a; q < b; q++)
                if (c->eligible[q]) c->got[q] += (c->need[q] - c->got[q]) * rel / unmet;
            stock[k] -= rel;
        } else {
            rel = 0;
        }
    }
    for (size_t q = a; q < b; q++) {
        if (c->id[q] >= U) continue;
        /* got == need: x / x is exactly 1, so the division is skipped */
        double v = c->need[q] > 0 ? (c->got[q] == c->need[q] ? 1.0 : c->got[q] / c->need[q]) : 1.0;
        res->avail[t * U + c->id[q]] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    size_t ix = (size_t)t * K + k;
    res->need_t[ix] = N;
    res->other_t[ix] = other;
    res->used_t[ix] = M + rel;
    res->inventory_t[ix] = inv[k];
    res->stockpile_t[ix] = stock[k];
    res->release_t[ix] = rel;
    res->shortfall_t[ix] = N - M - rel > 0 ? N - M - rel : 0;
    if (I0 > 0 && res->inventory_empty_day[k] == CP_CTL_DAY_MAX && inv[k] <= 1e-12 * I0)
        res->inventory_empty_day[k] = day;
    double S0 = s->stockpile.days * R0;
    if (S0 > 0 && res->stockpile_empty_day[k] == CP_CTL_DAY_MAX && stock[k] <= 1e-12 * S0)
        res->stockpile_empty_day[k] = day;
}

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
    if (!res->work && !(res->work = calloc(1, sizeof *res->work))) return CP_ENOMEM;
    struct cp_ctl_work *w = res->work;
    size_t T = opts->nsteps, K = m->nsupply;
    memset(res->exporter_t, 0, T * (K ? K : 1) * sizeof *res->exporter_t);
    memset(res->extraction_share, 0, (m->nind ? m->nind : 1) * sizeof *res->extraction_share);
    if (claims_build(m, w) || breakpoints(m, w)) return CP_ENOMEM;
    long from = opts->start_day - lookback_days(m, opts->start_day);
    if (working_table(m, from, opts->start_day + (long)T - 1, w)) return CP_ENOMEM;
    double *inv = w->inv, *stock = w->stock;
    for (size_t k = 0; k < K; k++) {
        double R0 = m->supply[k].demand_t_per_year / 365.0;
        inv[k] = m->supply[k].inventory_days * R0;
        stock[k] = m->supply[k].stockpile.days * R0;
        res->trigger_day[k] = cp_ctl_first_controlled_day(m, k);
        res->inventory_empty_day[k] = CP_CTL_DAY_MAX;
        res->stockpile_empty_day[k] = CP_CTL_DAY_MAX;
        exporter_arrivals(m, k, from, w, res);
    }
    size_t I = m->nind, U = m->nuses;
    for (long t = 0; t < (long)T; t++) {
        for (size_t k = 0; k < K; k++) step_material(m, k, t, &w->c, inv, stock, res);
        double *cap = res->cap + (size_t)t * I;
        for (size_t i = 0; i < I; i++) cap[i] = 1.0;
        for (size_t u = 0; u < U; u++) {
            const cp_ctl_use *us = &m->use[u];
            double v = 1.0 - us->criticality * (1.0 - res->avail[(size_t)t * U + u]);
            if (v < cap[us->ind_idx]) cap[us->ind_idx] = v < 0 ? 0 : v;
        }
        /* an uncapped industry adds (1 - 1) / T = +0, which changes no bit */
        for (size_t i = 0; i < I; i++)
            if (cap[i] != 1.0) res->extraction_share[i] += (1.0 - cap[i]) / (double)T;
    }
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

/* Rewrite only the bound columns of a series cp_ctl_cap_series_for_table
 * (or this) wrote before into frac, for uses bound to the same table
 * indices, n and steps: every other column is still 1, so a Monte Carlo
 * draw writes 16 columns instead of all n.  Same bits as the full fill
 * under that contract (see chokepoint.h). */
int cp_ctl_cap_series_update(const cp_ctl_model *m, const cp_ctl_result *r, double *frac, size_t n,
                             cp_error *err)
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
        for (size_t u = 0; u < m->nuses; u++) row[m->use[u].table_index] = cap[m->use[u].ind_idx];
    }
    return 0;
}
