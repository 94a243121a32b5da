/*
 * test_controls_fast.c — the export-control layer's fast paths give the
 * same bits as the plain computation.  A Monte Carlo draw (scn_mc.c)
 * restores a bound model from a snapshot, writes drawn values, rebinds
 * (cp_ctl_bind_table reusing each use's table_index), runs into the
 * previous draw's result (cp_ctl_run_into) and rewrites the bound
 * columns of its cap series (cp_ctl_cap_series_update); the run evaluates the
 * controls once per stretch between breakpoints and reads licence
 * decision days from a working-day table.  Reference: the run as it was
 * before those changes (ref_run below: cp_ctl_state_at and
 * cp_ctl_add_working_days on every day, a new result per run, copied
 * from ctl_run.c of commit 1faf3ab) on a fresh model bound by searching
 * the table, and the caps step by step (cp_ctl_cap_for_table).  Every
 * output array is compared with memcmp, on three Japan scenarios
 * (cut-off; 2025 licensing with phases, per-form approval, 45-day
 * reviews, suspended items and a ban; partial licensing), each at the low,
 * central and high ends of every range and at random draws, with review
 * times and approval shares varied and exporter holidays added.
 */
#include "testutil.h"

/* ---- reference: src/controls/ctl_run.c at 1faf3ab, renamed ref_ ----- */

/* Allocate the result's arrays in one go; 0 or CP_ENOMEM. */
static int ref_result_alloc(cp_ctl_result *r)
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
static double ref_ramp_frac(const cp_ctl_ramp *rp, long trig, long t)
{
    if (trig >= CP_CTL_DAY_MAX || rp->amount <= 0) return 0.0;
    double x = (double)(t - trig) - rp->lead_days;
    if (x < 0) return 0.0;
    if (rp->ramp_days <= 0) return 1.0;
    return x >= rp->ramp_days ? 1.0 : x / rp->ramp_days;
}

/* Longest review in the model, in calendar days from day0 (plus margin for
 * holidays): how far back licence applications can still arrive. */
static long ref_lookback_days(const cp_ctl_model *m, long day0)
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
static void ref_exporter_arrivals(const cp_ctl_model *m, size_t k, cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    long day0 = res->start_day, T = (long)res->nsteps, K = (long)res->nmat;
    double flow = s->demand_t_per_year / 365.0 * s->exporter_share;
    if (flow <= 0) return;
    long from = day0 - ref_lookback_days(m, day0);
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
typedef struct ref_claims {
    size_t *off;   /* [K+1] */
    size_t *id;    /* [U+K] */
    double *rank;  /* [U+K] lower is served first */
    unsigned char *eligible; /* [U+K] stockpile may serve this claimant */
    double *need, *got;      /* [U+K] per step */
} ref_claims;

/* Rank of use u under the model's allocation rule. */
static double ref_use_rank(const cp_ctl_model *m, const cp_ctl_use *u)
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
static int ref_stock_eligible(const cp_ctl_stockpile *sp, const cp_ctl_use *u)
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
static int ref_claims_build(const cp_ctl_model *m, ref_claims *c)
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
            double r = ref_use_rank(m, &m->use[u]);
            size_t q = p++;
            while (q > c->off[k] && c->rank[q - 1] > r) {
                c->id[q] = c->id[q - 1];
                c->rank[q] = c->rank[q - 1];
                c->eligible[q] = c->eligible[q - 1];
                q--;
            }
            c->id[q] = u;
            c->rank[q] = r;
            c->eligible[q] = (unsigned char)ref_stock_eligible(&m->supply[k].stockpile, &m->use[u]);
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
static void ref_claims_free(ref_claims *c)
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
static void ref_allocate(ref_claims *c, size_t a, size_t b, double supply)
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
static void ref_step_material(const cp_ctl_model *m, size_t k, long t, ref_claims *c, double *inv,
                          double *stock, cp_ctl_result *res)
{
    const cp_ctl_supply *s = &m->supply[k];
    size_t K = res->nmat, U = res->nuse;
    long day = res->start_day + t, trig = res->trigger_day[k];
    double R0 = s->demand_t_per_year / 365.0;
    double N = R0 * (1.0 - s->substitution.amount * ref_ramp_frac(&s->substitution, trig, day));
    double X = res->exporter_t[t * K + k];
    double other = (1.0 - s->exporter_share) * R0 +
                   s->recycling.amount / 365.0 * ref_ramp_frac(&s->recycling, trig, day);
    for (size_t o = 0; o < s->norigins; o++)
        other += s->origin[o].amount / 365.0 * ref_ramp_frac(&s->origin[o], trig, day);
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
    ref_allocate(c, a, b, M);
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

/* cp_ctl_run as it was: a new result, every state evaluated per day. */
static int ref_run(const cp_ctl_model *m, const cp_ctl_run_opts *opts, cp_ctl_result **out,
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
    ref_claims c;
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
    if (ref_result_alloc(res) || ref_claims_build(m, &c)) goto fail;
    for (size_t k = 0; k < m->nsupply; k++) {
        double R0 = m->supply[k].demand_t_per_year / 365.0;
        inv[k] = m->supply[k].inventory_days * R0;
        stock[k] = m->supply[k].stockpile.days * R0;
        res->trigger_day[k] = cp_ctl_first_controlled_day(m, k);
        res->inventory_empty_day[k] = CP_CTL_DAY_MAX;
        res->stockpile_empty_day[k] = CP_CTL_DAY_MAX;
        ref_exporter_arrivals(m, k, res);
    }
    size_t I = m->nind, U = m->nuses;
    for (long t = 0; t < (long)opts->nsteps; t++) {
        for (size_t k = 0; k < m->nsupply; k++) ref_step_material(m, k, t, &c, inv, stock, res);
        double *cap = res->cap + (size_t)t * I;
        for (size_t i = 0; i < I; i++) cap[i] = 1.0;
        for (size_t u = 0; u < U; u++) {
            const cp_ctl_use *us = &m->use[u];
            double v = 1.0 - us->criticality * (1.0 - res->avail[(size_t)t * U + u]);
            if (v < cap[us->ind_idx]) cap[us->ind_idx] = v < 0 ? 0 : v;
        }
        for (size_t i = 0; i < I; i++) res->extraction_share[i] += (1.0 - cap[i]) / (double)opts->nsteps;
    }
    ref_claims_free(&c);
    free(inv);
    free(stock);
    *out = res;
    return 0;
fail:
    ref_claims_free(&c);
    free(inv);
    free(stock);
    cp_ctl_result_free(res);
    return cp_error_set(err, rc, "controls run: out of memory for %zu days", opts->nsteps);
}


/* ---- the comparison ------------------------------------------------- */

static const char *const scenarios[] = {"scenarios/japan-cutoff-12m.yaml", "scenarios/japan-2025-licensing.yaml",
                                        "scenarios/japan-2026-partial.yaml"};
/* China's public holidays 2025-2026 (Labour Day, National Day, Spring
 * Festival weeks): non-working days for licence reviews. */
static const char *const holidays[] = {"2025-05-01", "2025-05-02", "2025-05-05", "2025-10-01", "2025-10-02",
                                       "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08", "2026-01-01",
                                       "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
                                       "2026-02-23", "2026-05-01", "2026-05-04", "2026-05-05", "2026-10-01",
                                       "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"};
#define NPARAM 10

/* Open scenario path, its table (under data/) and apply its economy. */
static void open_scenario(const char *path, cp_scn *s, cp_table **t)
{
    cp_error err;
    cp_load_opts lo = cp_load_opts_default();
    char tp[1024];
    assert_int_equal(cp_scn_load(s, path, &err), 0);
    snprintf(tp, sizeof tp, "data/%s", s->table_path);
    assert_int_equal(cp_table_open(t, tp, &lo, &err), 0);
    assert_int_equal(cp_scn_economy_apply(s, *t, &err), 0);
}

/* A new controls model of the scenario (account, regimes, switches,
 * checked, bound, run once by cp_scn_controls_run), the exporter's
 * holidays added if hol; *o gets the scenario's start and days. */
static cp_ctl_model *new_model(const cp_scn *s, const cp_table *t, int hol, cp_ctl_run_opts *o)
{
    cp_error err;
    cp_ctl_model *m = NULL;
    cp_ctl_result *r = NULL;
    assert_int_equal(cp_scn_controls_run(s, t, &m, &r, &err), 0);
    assert_non_null(m);
    o->start_day = r->start_day;
    o->nsteps = r->nsteps;
    cp_ctl_result_free(r);
    for (size_t i = 0; hol && i < sizeof holidays / sizeof *holidays; i++) {
        long d;
        assert_int_equal(cp_ctl_date_parse(holidays[i], &d), 0);
        assert_int_equal(cp_ctl_add_holiday(m, d), 0);
    }
    return m;
}

/* A uniform draw in [0, 1) from a 64-bit xorshift state. */
static double unif(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return (double)(*x >> 11) * 0x1.0p-53;
}

/* Write parameter set p into m as a Monte Carlo draw does: every range at
 * its low (p = 0), central (1), high (2) value or uniform in between
 * (p >= 3, seeded by p); review times of every phase kept or set to 0,
 * 10 or 45 + p working days (p % 4), approval shares halved when
 * p % 3 == 2; intensities re-derived at bind (t_per_unit_output = -1);
 * demand shares of a material summing over 1 scaled to 1 (scn_mc.c). */
static void write_params(cp_ctl_model *m, int p)
{
    uint64_t x = 0x9E3779B97F4A7C15ull * (uint64_t)(p + 1);
    for (size_t i = 0; i < m->nranges; i++) {
        const cp_ctl_range *g = &m->range[i];
        *g->value = p == 0 ? g->low : p == 1 ? g->central : p == 2 ? g->high : g->low + (g->high - g->low) * unif(&x);
    }
    for (size_t r = 0; r < m->nregimes; r++)
        for (size_t ph = 0; ph < m->regime[r].nphases; ph++) {
            cp_ctl_phase *q = &m->regime[r].phase[ph];
            if (p % 4) q->review_working_days = p % 4 == 1 ? 0 : p % 4 == 2 ? 10 : 45 + p;
            if (p % 3 == 2) q->approval_share *= 0.5;
        }
    for (size_t u = 0; u < m->nuses; u++) m->use[u].t_per_unit_output = -1;
    for (size_t k = 0; k < m->nsupply; k++) {
        double sum = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == k && m->use[u].demand_share > 0) sum += m->use[u].demand_share;
        if (sum > 1.0)
            for (size_t u = 0; u < m->nuses; u++)
                if (m->use[u].mat_idx == k && m->use[u].demand_share > 0) m->use[u].demand_share /= sum;
    }
}

/* memcmp of n doubles (or longs), reporting which array differs. */
static void same_bits(const void *a, const void *b, size_t bytes, const char *what, const char *scn, int p)
{
    if (memcmp(a, b, bytes)) fail_msg("%s, parameter set %d: %s differs", scn, p, what);
}

/* Every array of two results, and two cap series of n industries. */
static void same_result(const cp_ctl_result *a, const cp_ctl_result *b, const double *ca, const double *cb,
                        size_t n, const char *scn, int p)
{
    assert_int_equal(a->nsteps, b->nsteps);
    assert_int_equal(a->nmat, b->nmat);
    assert_int_equal(a->nuse, b->nuse);
    assert_int_equal(a->nind, b->nind);
    assert_int_equal(a->start_day, b->start_day);
    size_t TK = a->nsteps * a->nmat * sizeof(double), K = a->nmat * sizeof(long);
    same_bits(a->need_t, b->need_t, TK, "need_t", scn, p);
    same_bits(a->exporter_t, b->exporter_t, TK, "exporter_t", scn, p);
    same_bits(a->other_t, b->other_t, TK, "other_t", scn, p);
    same_bits(a->used_t, b->used_t, TK, "used_t", scn, p);
    same_bits(a->inventory_t, b->inventory_t, TK, "inventory_t", scn, p);
    same_bits(a->stockpile_t, b->stockpile_t, TK, "stockpile_t", scn, p);
    same_bits(a->release_t, b->release_t, TK, "release_t", scn, p);
    same_bits(a->shortfall_t, b->shortfall_t, TK, "shortfall_t", scn, p);
    same_bits(a->avail, b->avail, a->nsteps * a->nuse * sizeof(double), "avail", scn, p);
    same_bits(a->cap, b->cap, a->nsteps * a->nind * sizeof(double), "cap", scn, p);
    same_bits(a->extraction_share, b->extraction_share, a->nind * sizeof(double), "extraction_share", scn, p);
    same_bits(a->trigger_day, b->trigger_day, K, "trigger_day", scn, p);
    same_bits(a->inventory_empty_day, b->inventory_empty_day, K, "inventory_empty_day", scn, p);
    same_bits(a->stockpile_empty_day, b->stockpile_empty_day, K, "stockpile_empty_day", scn, p);
    same_bits(ca, cb, a->nsteps * n * sizeof(double), "cap series", scn, p);
}

/* The bound fields of every use: index, shares, intensity, value added. */
static void same_binding(const cp_ctl_model *a, const cp_ctl_model *b, const char *scn, int p)
{
    assert_int_equal(a->nuses, b->nuses);
    for (size_t u = 0; u < a->nuses; u++) {
        assert_int_equal(a->use[u].table_index, b->use[u].table_index);
        same_bits(&a->use[u].demand_share, &b->use[u].demand_share, sizeof(double), "demand_share", scn, p);
        same_bits(&a->use[u].t_per_unit_output, &b->use[u].t_per_unit_output, sizeof(double), "t_per_unit_output", scn, p);
        same_bits(&a->use[u].va_per_t, &b->use[u].va_per_t, sizeof(double), "va_per_t", scn, p);
    }
}

/* The Monte Carlo path against the reference, draw by draw: one model per
 * scenario and holiday setting restored from its snapshot, one result
 * reused across every draw and scenario (shapes change between
 * scenarios: 365 and 272 days), against a new model bound by search and
 * run by ref_run, and by cp_ctl_run too. */
static void test_fast_equals_reference(void **state)
{
    (void)state;
    cp_error err;
    cp_ctl_result *keep = NULL;
    size_t ndraws = 0;
    for (size_t si = 0; si < sizeof scenarios / sizeof *scenarios; si++) {
        cp_scn s;
        cp_table *t = NULL;
        open_scenario(scenarios[si], &s, &t);
        for (int hol = 0; hol < 2; hol++) {
            cp_ctl_run_opts o;
            cp_ctl_model *mf = new_model(&s, t, hol, &o);
            char lab[256];
            snprintf(lab, sizeof lab, "%s%s", scenarios[si], hol ? " with holidays" : "");
            size_t n = t->n, ncap = o.nsteps * n;
            cp_ctl_supply *supply0 = malloc(mf->nsupply * sizeof *supply0);
            cp_ctl_use *use0 = malloc(mf->nuses * sizeof *use0);
            cp_ctl_regime *regime0 = malloc(mf->nregimes * sizeof *regime0);
            double *capf = malloc(ncap * sizeof *capf), *capo = malloc(ncap * sizeof *capo);
            double *capn = malloc(ncap * sizeof *capn);
            assert_true(supply0 && use0 && regime0 && capf && capo && capn);
            memcpy(supply0, mf->supply, mf->nsupply * sizeof *supply0);
            memcpy(use0, mf->use, mf->nuses * sizeof *use0);
            memcpy(regime0, mf->regime, mf->nregimes * sizeof *regime0);
            for (int p = 0; p < NPARAM; p++) {
                /* fast: restore, draw, rebind, run into the kept result */
                memcpy(mf->supply, supply0, mf->nsupply * sizeof *supply0);
                memcpy(mf->use, use0, mf->nuses * sizeof *use0);
                memcpy(mf->regime, regime0, mf->nregimes * sizeof *regime0);
                write_params(mf, p);
                assert_ptr_equal(mf->bound_table, t); /* the rebind takes the fast path */
                assert_int_equal(cp_ctl_bind_table(mf, t, &err), 0);
                assert_int_equal(cp_ctl_run_into(mf, &o, &keep, &err), 0);
                /* the series kept across draws: bound columns rewritten */
                if (p == 0) assert_int_equal(cp_ctl_cap_series_for_table(mf, keep, capf, n, &err), 0);
                else assert_int_equal(cp_ctl_cap_series_update(mf, keep, capf, n, &err), 0);
                /* reference: a new model bound by searching, the old run */
                cp_ctl_run_opts oo;
                cp_ctl_model *mo = new_model(&s, t, hol, &oo);
                write_params(mo, p);
                mo->bound_table = NULL;
                assert_int_equal(cp_ctl_bind_table(mo, t, &err), 0);
                same_binding(mf, mo, lab, p);
                cp_ctl_result *ro = NULL, *rn = NULL;
                assert_int_equal(ref_run(mo, &oo, &ro, &err), 0);
                for (size_t st = 0; st < ro->nsteps; st++)
                    assert_int_equal(cp_ctl_cap_for_table(mo, ro, st, capo + st * n, n, &err), 0);
                same_result(keep, ro, capf, capo, n, lab, p);
                /* cp_ctl_run (a new result) on the new model */
                assert_int_equal(cp_ctl_run(mo, &oo, &rn, &err), 0);
                assert_int_equal(cp_ctl_cap_series_for_table(mo, rn, capn, n, &err), 0);
                same_result(rn, ro, capn, capo, n, lab, p);
                /* the draws are not all alike: controls bite somewhere */
                double lost = 0;
                for (size_t q = 0; q < ro->nsteps * ro->nmat; q++) lost += ro->shortfall_t[q];
                if (si != 1) assert_true(lost > 0);
                cp_ctl_result_free(ro);
                cp_ctl_result_free(rn);
                cp_ctl_model_free(mo);
                ndraws++;
            }
            free(supply0); free(use0); free(regime0); free(capf); free(capo); free(capn);
            cp_ctl_model_free(mf);
        }
        cp_table_free(t);
        cp_scn_free(&s);
    }
    assert_int_equal(ndraws, 3 * 2 * NPARAM);
    cp_ctl_result_free(keep);
}

/* The allocation rules the scenarios do not use and the run's two code
 * paths (ctl_run.c: AVX2 variants where the CPU has them, the plain one
 * with CHOKEPOINT_NO_AVX2 set when a result is first created): the
 * priority rule (the sectors of the first two uses first, then the
 * others, then the unmapped remainder: several groups of equal rank),
 * the value rule (a group per use, by value added per tonne), stockpiles
 * reserved to one user of each material on odd parameter sets (the
 * others and the remainder not eligible); each against the reference,
 * through cp_ctl_run and through cp_ctl_run_into of a result kept per
 * path.  Also covers horizons that are not a multiple of 4 or 32 days
 * (365 and 272). */
static void test_rules_and_paths(void **state)
{
    (void)state;
    cp_error err;
    size_t ndraws = 0;
    for (int plain = 0; plain < 2; plain++) {
        if (plain) assert_int_equal(setenv("CHOKEPOINT_NO_AVX2", "1", 1), 0);
        cp_ctl_result *keep = NULL;
        for (size_t si = 0; si < 2; si++) {
            cp_scn s;
            cp_table *t = NULL;
            open_scenario(scenarios[si], &s, &t);
            size_t n = t->n;
            for (int rule = 0; rule < 2; rule++)
                for (int p = 0; p < 4; p++) {
                    char lab[256];
                    snprintf(lab, sizeof lab, "%s, %s rule%s", scenarios[si], rule ? "value" : "priority",
                             plain ? ", plain path" : "");
                    cp_ctl_run_opts o;
                    cp_ctl_model *m = new_model(&s, t, p % 2, &o);
                    write_params(m, p);
                    m->bound_table = NULL;
                    assert_int_equal(cp_ctl_bind_table(m, t, &err), 0);
                    if (rule == 0) {
                        m->allocation = CP_CTL_PRIORITY;
                        m->norder = m->nuses < 2 ? m->nuses : 2;
                        for (size_t i = 0; i < m->norder; i++) m->order[i] = m->use[i].ind;
                    } else {
                        m->allocation = CP_CTL_VALUE;
                    }
                    if (p % 2)
                        for (size_t k = 0; k < m->nsupply; k++)
                            for (size_t u = 0; u < m->nuses; u++)
                                if (m->use[u].mat_idx == k) {
                                    m->supply[k].stockpile.npriority = 1;
                                    m->supply[k].stockpile.priority[0] = m->use[u].ind;
                                    break;
                                }
                    size_t ncap = o.nsteps * n;
                    double *capo = malloc(ncap * sizeof *capo), *capn = malloc(ncap * sizeof *capn);
                    double *capk = malloc(ncap * sizeof *capk);
                    assert_true(capo && capn && capk);
                    cp_ctl_result *ro = NULL, *rn = NULL;
                    assert_int_equal(ref_run(m, &o, &ro, &err), 0);
                    for (size_t st = 0; st < ro->nsteps; st++)
                        assert_int_equal(cp_ctl_cap_for_table(m, ro, st, capo + st * n, n, &err), 0);
                    assert_int_equal(cp_ctl_run(m, &o, &rn, &err), 0);
                    assert_int_equal(cp_ctl_cap_series_for_table(m, rn, capn, n, &err), 0);
                    same_result(rn, ro, capn, capo, n, lab, p);
                    assert_int_equal(cp_ctl_run_into(m, &o, &keep, &err), 0);
                    assert_int_equal(cp_ctl_cap_series_for_table(m, keep, capk, n, &err), 0);
                    same_result(keep, ro, capk, capo, n, lab, p);
                    cp_ctl_result_free(ro);
                    cp_ctl_result_free(rn);
                    free(capo); free(capn); free(capk);
                    cp_ctl_model_free(m);
                    ndraws++;
                }
            cp_table_free(t);
            cp_scn_free(&s);
        }
        cp_ctl_result_free(keep);
        if (plain) assert_int_equal(unsetenv("CHOKEPOINT_NO_AVX2"), 0);
    }
    assert_int_equal(ndraws, 2 * 2 * 2 * 4);
}

/* cp_ctl_run_into with no previous result is cp_ctl_run; errors leave the
 * result the caller's (freed here, ASan-clean); a shorter run reshapes. */
static void test_run_into_edges(void **state)
{
    (void)state;
    cp_error err;
    cp_scn s;
    cp_table *t = NULL;
    open_scenario(scenarios[0], &s, &t);
    cp_ctl_run_opts o;
    cp_ctl_model *m = new_model(&s, t, 0, &o);
    cp_ctl_result *r = NULL, *ref = NULL;
    assert_int_equal(cp_ctl_run_into(m, &o, &r, &err), 0);
    assert_non_null(r);
    assert_int_equal(ref_run(m, &o, &ref, &err), 0);
    same_bits(r->used_t, ref->used_t, r->nsteps * r->nmat * sizeof(double), "used_t", "NULL result", 0);
    cp_ctl_result_free(ref);
    cp_ctl_run_opts bad = {o.start_day, 0};
    assert_int_equal(cp_ctl_run_into(m, &bad, &r, &err), CP_EUSAGE);
    assert_non_null(r);
    cp_ctl_run_opts shorter = {o.start_day + 30, 40};
    assert_int_equal(cp_ctl_run_into(m, &shorter, &r, &err), 0);
    assert_int_equal(r->nsteps, 40);
    assert_int_equal(ref_run(m, &shorter, &ref, &err), 0);
    same_result(r, ref, r->cap, ref->cap, 0, "shorter run", 0);
    cp_ctl_result_free(ref);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
    cp_table_free(t);
    cp_scn_free(&s);
}

/* A rebind searches again when a use's label no longer matches its index
 * (the sector was changed) and when the table is another one. */
static void test_rebind_checks_label(void **state)
{
    (void)state;
    cp_error err;
    cp_scn s;
    cp_table *t = NULL;
    open_scenario(scenarios[0], &s, &t);
    cp_ctl_run_opts o;
    cp_ctl_model *m = new_model(&s, t, 0, &o);
    long j0 = m->use[0].table_index;
    long other = j0 == 0 ? 1 : 0;
    snprintf(m->use[0].ind.sector, sizeof m->use[0].ind.sector, "%s", t->sector[other]);
    assert_int_equal(cp_ctl_bind_table(m, t, &err), 0);
    assert_int_equal(m->use[0].table_index, cp_table_find(t, NULL, t->sector[other]));
    /* a sector the table lacks is still refused at the use's position */
    snprintf(m->use[1].ind.sector, sizeof m->use[1].ind.sector, "%s", "9999");
    assert_int_equal(cp_ctl_bind_table(m, t, &err), CP_EINPUT);
    assert_non_null(strstr(err.msg, "has no sector \"9999\""));
    assert_null(m->bound_table);
    cp_ctl_model_free(m);
    cp_table_free(t);
    cp_scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_equals_reference),
        cmocka_unit_test(test_rules_and_paths),
        cmocka_unit_test(test_run_into_edges),
        cmocka_unit_test(test_rebind_checks_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
