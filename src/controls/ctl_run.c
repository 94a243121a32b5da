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
 * nothing.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Free a result and its arrays. */
void cp_ctl_result_free(cp_ctl_result *r)
{
    if (!r) return;
    free(r->need_t);
    free(r->exporter_t);
    free(r->other_t);
    free(r->used_t);
    free(r->inventory_t);
    free(r->stockpile_t);
    free(r->release_t);
    free(r->shortfall_t);
    free(r->avail);
    free(r->cap);
    free(r->extraction_share);
    free(r->trigger_day);
    free(r->inventory_empty_day);
    free(r->stockpile_empty_day);
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

/* Longest review in the model, in calendar days from day0 (plus margin for
 * holidays): how far back licence applications can still arrive. */
static long lookback_days(const cp_ctl_model *m, long day0)
{
    int maxrev = 0;
    for (size_t r = 0; r < m->nregimes; r++)
        for (size_t p = 0; p < m->regime[r].nphases; p++)
            if (m->regime[r].phase[p].review_working_days > maxrev)
                maxrev = m->regime[r].phase[p].review_working_days;
    return cp_ctl_add_working_days(day0, maxrev, NULL, 0) - day0 + (long)m->nholidays + 7;
}

/* Fill res->exporter_t for material k: every order day from the lookback
 * on contributes its flow on the day it may arrive (see file comment). */
static void exporter_arrivals(const cp_ctl_model *m, size_t k, cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    long day0 = res->start_day, T = (long)res->nsteps, K = (long)res->nmat;
    double flow = s->demand_t_per_year / 365.0 * s->exporter_share;
    if (flow <= 0) return;
    long from = day0 - lookback_days(m, day0);
    for (long d = from; d < day0 + T; d++) {
        cp_ctl_state st, dst;
        cp_ctl_state_at(m, k, d, &st);
        double unc = flow * (1.0 - st.controlled_share);
        if (d >= day0 && unc > 0) res->exporter_t[(d - day0) * K + (long)k] += unc;
        for (int f = 0; f < CP_CTL_NFORMS; f++) {
            double ctl = flow * st.form_flow[f];
            if (ctl <= 0) continue;
            long dec = cp_ctl_add_working_days(d, st.form_review[f], m->holidays, m->nholidays);
            long arr = dec;
            if (dec >= st.form_end[f]) { /* still pending when the covering regime
                                            ends: decided on the end day, as its
                                            last phase would */
                arr = st.form_end[f];
                cp_ctl_state_at(m, k, arr - 1, &dst);
            } else {
                cp_ctl_state_at(m, k, dec, &dst);
            }
            double a = dst.form_flow[f] > 0 ? dst.form_approval[f] : 1.0;
            double amt = ctl * a * (1.0 - st.banned_share);
            if (arr >= day0 && arr < day0 + T) res->exporter_t[(arr - day0) * K + (long)k] += amt;
        }
    }
}

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
} claims;

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

/* Build the claimant lists once per run (stable insertion sort by rank). */
static int claims_build(const cp_ctl_model *m, claims *c)
{
    size_t K = m->nsupply, U = m->nuses, n = U + K;
    c->off = calloc(K + 1, sizeof *c->off);
    c->id = calloc(n ? n : 1, sizeof *c->id);
    c->rank = calloc(n ? n : 1, sizeof *c->rank);
    c->eligible = calloc(n ? n : 1, 1);
    c->need = calloc(n ? n : 1, sizeof *c->need);
    c->got = calloc(n ? n : 1, sizeof *c->got);
    if (!c->off || !c->id || !c->rank || !c->eligible || !c->need || !c->got) return CP_ENOMEM;
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
    }
    c->off[K] = p;
    return 0;
}

/* Free the claimant lists. */
static void claims_free(claims *c)
{
    free(c->off);
    free(c->id);
    free(c->rank);
    free(c->eligible);
    free(c->need);
    free(c->got);
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
    double mapped = 0;
    for (size_t q = a; q < b; q++)
        if (c->id[q] < U) mapped += m->use[c->id[q]].demand_share;
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
        double v = c->need[q] > 0 ? c->got[q] / c->need[q] : 1.0;
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

/* Run the model; see chokepoint.h. */
int cp_ctl_run(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_ctl_result **out,
               cp_error *err)
{
    *out = NULL;
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
    cp_ctl_result *res = calloc(1, sizeof *res);
    claims c;
    memset(&c, 0, sizeof c);
    double *inv = calloc(m->nsupply ? m->nsupply : 1, sizeof *inv);
    double *stock = calloc(m->nsupply ? m->nsupply : 1, sizeof *stock);
    int rc = CP_ENOMEM;
    if (!res || !inv || !stock) goto fail;
    res->nsteps = opts->nsteps;
    res->nmat = m->nsupply;
    res->nuse = m->nuses;
    res->nind = m->nind;
    res->start_day = opts->start_day;
    if (result_alloc(res) || claims_build(m, &c)) goto fail;
    for (size_t k = 0; k < m->nsupply; k++) {
        double R0 = m->supply[k].demand_t_per_year / 365.0;
        inv[k] = m->supply[k].inventory_days * R0;
        stock[k] = m->supply[k].stockpile.days * R0;
        res->trigger_day[k] = cp_ctl_first_controlled_day(m, k);
        res->inventory_empty_day[k] = CP_CTL_DAY_MAX;
        res->stockpile_empty_day[k] = CP_CTL_DAY_MAX;
        exporter_arrivals(m, k, res);
    }
    size_t I = m->nind, U = m->nuses;
    for (long t = 0; t < (long)opts->nsteps; t++) {
        for (size_t k = 0; k < m->nsupply; k++) step_material(m, k, t, &c, inv, stock, res);
        double *cap = res->cap + (size_t)t * I;
        for (size_t i = 0; i < I; i++) cap[i] = 1.0;
        for (size_t u = 0; u < U; u++) {
            const cp_ctl_use *us = &m->use[u];
            double v = 1.0 - us->criticality * (1.0 - res->avail[(size_t)t * U + u]);
            if (v < cap[us->ind_idx]) cap[us->ind_idx] = v < 0 ? 0 : v;
        }
        for (size_t i = 0; i < I; i++) res->extraction_share[i] += (1.0 - cap[i]) / (double)opts->nsteps;
    }
    claims_free(&c);
    free(inv);
    free(stock);
    *out = res;
    return 0;
fail:
    claims_free(&c);
    free(inv);
    free(stock);
    cp_ctl_result_free(res);
    return cp_error_set(err, rc, "controls run: out of memory for %zu days", opts->nsteps);
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
 * step-major for the dynamic engine's capacity-cap hook. */
int cp_ctl_cap_series_for_table(const cp_ctl_model *m, const cp_ctl_result *r, double *frac,
                                size_t n, cp_error *err)
{
    for (size_t t = 0; t < r->nsteps; t++) {
        int rc = cp_ctl_cap_for_table(m, r, t, frac + t * n, n, err);
        if (rc) return rc;
    }
    return 0;
}
