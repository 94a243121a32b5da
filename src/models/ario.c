/*
 * ario.c — the Adaptive Regional Input-Output model (Hallegatte 2008,
 * 2014) in the "Psi" variant described by BoARIO (Juhel 2024, JOSS
 * 9(95):6547, documentation page "boario-math"), with the "alt" order
 * module of Guan et al. (2020), and shocks on single trade flows.
 *
 * Written from the published equations (docs/ario.md lists them as
 * implemented); BoARIO's GPL code was not consulted for this file.
 *
 * Layout of the state.  n industries f = (region, sector); np products p
 * (distinct sector labels).  Matrices over (product, industry) are
 * product-major: X[p*n + f].  The intermediate orders are never stored as
 * an n×n matrix: with supplier weights w_f (capacity ratio, or 1) and the
 * product-level order multiplier M[p, j],
 *     O_fj = Z_fj * w_f * M[p(f), j],
 *     M[p, j] = orders of product p by j / sum_{f in p} Z_fj w_f,
 * which is exactly the orders split by (re-weighted) initial shares.
 * One step then costs one streaming pass over Z (dense or CSR): per
 * supplier row, a dot product gives its demand, its production follows
 * from local state, and two scaled row additions accumulate what buyers
 * receive and the new weighted sums.  Everything is allocated in
 * cp_ario_new and the add/set calls; cp_ario_step allocates nothing.
 */
#include "ario_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int start_workers(cp_ario_ *m, int nthreads, cp_error *err);

/* Defaults: BoARIO's ARIOPsiModel defaults. */
cp_ario_params cp_ario_params_default(void)
{
    cp_ario_params p;
    memset(&p, 0, sizeof p);
    p.order_type = CP_ARIO_ORDER_ALT;
    p.alpha_base = 1.0;
    p.alpha_max = 1.25;
    p.alpha_tau = 365;
    p.psi = 0.8;
    p.main_inv_dur = 90;
    p.inventory_restoration_tau = 60;
    p.monetary_factor = 1e6;
    p.year_to_temporal_unit = 365;
    p.temporal_units_by_step = 1;
    p.steps = 365;
    p.rationing = CP_ARIO_RATION_PROPORTIONAL;
    p.overprod = CP_ARIO_OVERPROD_BOARIO;
    p.timing = CP_ARIO_TIMING_BOARIO;
    p.storage = CP_ARIO_STORAGE_AUTO;
    p.threads = 1;
    return p;
}

/* calloc that counts elements, never zero bytes. */
static void *zalloc(size_t nmemb, size_t size)
{
    return calloc(nmemb ? nmemb : 1, size);
}

/* Free everything the model owns. */
void cp_ario_free(cp_ario *m)
{
    if (!m) return;
    free(m->prod); free(m->pof); free(m->order); free(m->sdur);
    free(m->rcov); free(m->cover); free(m->ones); free(m->cover_p);
    free(m->x0); free(m->ysum0); free(m->va0); free(m->Y); free(m->AS); free(m->ZS);
    free(m->Zd); free(m->rp); free(m->ci); free(m->ci16); free(m->cv);
    free(m->inv); free(m->M); free(m->w); free(m->wnew);
    free(m->und); free(m->dzw); free(m->acc_s); free(m->zws); free(m->dirty); free(m->pos); free(m->pstart); free(m->c12);
    free(m->pseg); free(m->pcol); free(m->rseg); free(m->rcol); free(m->rlo); free(m->rhi);
    free(m->alpha); free(m->xprev); free(m->xa); free(m->xopt); free(m->cap); free(m->D);
    free(m->yd); free(m->ywant); free(m->rfd); free(m->fdun); free(m->fdun_cols);
    free(m->loss); free(m->kappa_row); free(m->limit);
    free(m->loss_prev); free(m->alpha_prev); free(m->cover_prev); free(m->cover_p_prev);
    free(m->tier_of);
    if (m->started) {
        m->stop = 1;
        pthread_barrier_wait(&m->bar);
        for (int w = 1; w < m->nthreads; w++) pthread_join(m->wk[w].th, NULL);
    }
    if (m->bar_ok) pthread_barrier_destroy(&m->bar);
    for (int w = 0; m->wk && w < m->nthreads; w++) {
        free(m->wk[w].dt); free(m->wk[w].rt);
        if (w) { free(m->wk[w].cover); free(m->wk[w].cover_p); }
    }
    free(m->wk);
    for (size_t i = 0; i < m->nlosses; i++) free(m->losses[i].ind);
    free(m->losses);
    for (size_t i = 0; i < m->ncaps; i++) {
        free(m->caps[i].buyers); free(m->caps[i].fd); free(m->caps[i].cap);
    }
    free(m->caps); free(m->caprow); free(m->capel); free(m->capel_prev); free(m->capfd);
    for (size_t i = 0; i < m->nfdcs; i++) { free(m->fdcs[i].ind); free(m->fdcs[i].fd); }
    free(m->fdcs); free(m->fdfac); free(m->kappa);
    ario_pack_detach(m);
    free(m);
}

/* Dot product of a dense row with x; four accumulators break the add
 * latency chain.  The setup computes x0 with the same kernel so that the
 * equilibrium demand equals x0 bit for bit. */
CP_HOT
static double dot_dense(const double *restrict z, const double *restrict x, size_t n)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        a0 += z[j] * x[j]; a1 += z[j + 1] * x[j + 1];
        a2 += z[j + 2] * x[j + 2]; a3 += z[j + 3] * x[j + 3];
    }
    for (; j < n; j++) a0 += z[j] * x[j];
    return (a0 + a1) + (a2 + a3);
}

/* Column of CSR entry q: the index arrays hold uint16_t when the table
 * has at most 65536 industries (10 instead of 12 bytes per non-zero
 * streamed each step), else uint32_t; wide is a constant in every
 * kernel below, so each gets a loop for its type. */
static inline size_t csr_col(const void *c, int wide, size_t q)
{
    return wide ? ((const uint32_t *)c)[q] : ((const uint16_t *)c)[q];
}

/* Dot product of a CSR row (values v, columns c, length len) with x.
 * The time loop streams the CSR arrays once a step (tens of MB at
 * n >= 3000, more than the caches hold); the hardware prefetcher alone
 * left the gather waiting on memory, so both streams are prefetched 2 KB
 * ahead (measured 4.9 -> 3.4-3.7 ms/step at n = 3000).  Prefetching past
 * the end of the arrays is harmless (a hint, never a fault).  Four
 * accumulators break the add latency chain; the setup computes x0 with
 * the same kernel, so the equilibrium demand equals x0 bit for bit. */
CP_INLINE_HOT
static inline double dot_sparse_body(int wide, const double *restrict v, const void *restrict c,
                                     size_t len, const double *restrict x)
{
    const char *cb = c;
    size_t w = wide ? 4 : 2;
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t q = 0;
    for (; q + 4 <= len; q += 4) {
        __builtin_prefetch(v + q + 256); __builtin_prefetch(cb + q * w + 2048);
        a0 += v[q] * x[csr_col(c, wide, q)]; a1 += v[q + 1] * x[csr_col(c, wide, q + 1)];
        a2 += v[q + 2] * x[csr_col(c, wide, q + 2)]; a3 += v[q + 3] * x[csr_col(c, wide, q + 3)];
    }
    for (; q < len; q++) a0 += v[q] * x[csr_col(c, wide, q)];
    return (a0 + a1) + (a2 + a3);
}

/* dot_sparse_body for 16-bit column indices. */
CP_HOT
static double dot_sparse16(const double *restrict v, const void *restrict c, size_t len,
                           const double *restrict x)
{
    return dot_sparse_body(0, v, c, len, x);
}

/* dot_sparse_body for 32-bit column indices. */
CP_HOT
static double dot_sparse32(const double *restrict v, const void *restrict c, size_t len,
                           const double *restrict x)
{
    return dot_sparse_body(1, v, c, len, x);
}

/* Reciprocal inventory requirement of product p for every industry:
 * 1/(psi s_p AS[p, f]) where the input can constrain, else 0. */
static void set_rcov(cp_ario *m, size_t p)
{
    size_t n = m->n;
    for (size_t f = 0; f < n; f++) {
        double as = m->AS[p * n + f];
        double need = m->p.psi * m->sdur[p] * as;
        m->rcov[p * n + f] = (as > 0 && isfinite(need) && need > 0) ? 1.0 / need : 0;
    }
}

/* Production the inventories allow, per industry: min over products of
 * inv / (psi s_p AS) (the psi rule), and which product sets it. */
static void compute_cover(cp_ario *m)
{
    size_t n = m->n;
    for (size_t f = 0; f < n; f++) { m->cover[f] = INFINITY; m->cover_p[f] = -1; }
    for (size_t q = 0; q < m->np; q++)
        for (size_t f = 0; f < n; f++) {
            double rc = m->rcov[q * n + f];
            double v = rc > 0 ? m->inv[q * n + f] * rc : INFINITY;
            if (v < m->cover[f]) { m->cover[f] = v; m->cover_p[f] = (int64_t)q; }
        }
}

/* Check the parameters, each with the range and a hint. */
static int check_params(const cp_ario_params *p, cp_error *err)
{
    if (!(p->alpha_base > 0) || !isfinite(p->alpha_base))
        return cp_error_set(err, CP_EINPUT, "ario: alpha_base must be > 0 (got %g); hint: 1.0 means no spare capacity", p->alpha_base);
    if (!(p->alpha_max >= p->alpha_base) || !isfinite(p->alpha_max))
        return cp_error_set(err, CP_EINPUT, "ario: alpha_max must be >= alpha_base (got %g < %g); hint: BoARIO's default is 1.25", p->alpha_max, p->alpha_base);
    if (!(p->alpha_tau >= 1) || !isfinite(p->alpha_tau))
        return cp_error_set(err, CP_EINPUT, "ario: alpha_tau must be >= 1 temporal unit (got %g); hint: 365 is customary", p->alpha_tau);
    if (!(p->psi > 0 && p->psi <= 1))
        return cp_error_set(err, CP_EINPUT, "ario: psi_param must be in (0, 1] (got %g); hint: 0.8 is BoARIO's default", p->psi);
    if (!(p->main_inv_dur > 0))
        return cp_error_set(err, CP_EINPUT, "ario: main_inv_dur must be > 0 temporal units or inf (got %g)", p->main_inv_dur);
    if (p->temporal_units_by_step < 1)
        return cp_error_set(err, CP_EINPUT, "ario: temporal_units_by_step must be >= 1 (got %d)", p->temporal_units_by_step);
    if (!(p->inventory_restoration_tau >= p->temporal_units_by_step) || !isfinite(p->inventory_restoration_tau))
        return cp_error_set(err, CP_EINPUT, "ario: inventory_restoration_tau must be >= one step (%d temporal units; got %g); hint: shorter restoration over-orders and oscillates (docs/ario.md, stable range)", p->temporal_units_by_step, p->inventory_restoration_tau);
    if (!(p->year_to_temporal_unit > 0) || !isfinite(p->year_to_temporal_unit))
        return cp_error_set(err, CP_EINPUT, "ario: iotable_year_to_temporal_unit_factor must be > 0 (got %g); hint: 365 for days", p->year_to_temporal_unit);
    if (!(p->monetary_factor > 0))
        return cp_error_set(err, CP_EINPUT, "ario: monetary_factor must be > 0 (got %g)", p->monetary_factor);
    if (p->steps < 1 || p->steps > 100000000)
        return cp_error_set(err, CP_EINPUT, "ario: steps must be in 1..1e8 (got %zu)", p->steps);
    return 0;
}

/* Segments of live columns: a run of at least LIVE_GAP dead columns
 * splits a segment (shorter runs cost less to compute than a kernel call). */
#define LIVE_GAP 16

/* Append the segments of the live columns in mask[0..n) to *col (pairs
 * lo, hi; *cnt segments so far, *cap the room in segments). */
static int live_segments(const unsigned char *mask, size_t n, size_t **col, size_t *cnt, size_t *cap)
{
    size_t j = 0;
    while (j < n) {
        while (j < n && !mask[j]) j++;
        if (j == n) break;
        size_t lo = j, hi = j + 1;
        for (size_t g = j + 1; g < n && g - hi < LIVE_GAP; g++)
            if (mask[g]) hi = g + 1;
        if (*cnt == *cap) {
            size_t nc = *cap ? 2 * *cap : 64;
            size_t *c = realloc(*col, 2 * nc * sizeof *c);
            if (!c) return -1;
            *col = c;
            *cap = nc;
        }
        (*col)[2 * *cnt] = lo;
        (*col)[2 * *cnt + 1] = hi;
        (*cnt)++;
        j = hi;
    }
    return 0;
}

/* Where the non-zeros of Z as stored are: per product (the union of its
 * rows) and, for dense storage, per row, as segments of columns, and the
 * range of each dense row.  Outside them a cell of a product is dead: its
 * Z entries are all zero, so its coefficient, inventory, weighted sum and
 * accumulators are +0 and stay +0, its cover is infinite, and its order
 * multiplier only ever multiplies a zero of Z (0 x M = 0 for the finite
 * M >= 0 of both its values, 1 and 0).  The orders pass and the dense
 * scatters skip dead cells, and the dense dot product skips the zeros
 * before and after a row's non-zeros in whole groups of four (so each
 * remaining term keeps its accumulator, j mod 4, and the tail its own):
 * adding +0 to an accumulator that starts at +0 never changes it.  Every
 * result is the same bit for bit (the Japanese table of 185 sectors:
 * 14,463 non-zeros, 19,385 of its 34,225 cells in 346 product segments;
 * gaps of 8, 16, 32 and 64 columns: 130.8, 127.6, 129.4 and 133.6 M
 * instructions a Monte Carlo draw). */
static int live_ranges(cp_ario *m)
{
    size_t n = m->n, np = m->np;
    unsigned char *mask = zalloc(n, 1);
    m->pseg = zalloc(np + 1, sizeof *m->pseg);
    if (!mask || !m->pseg) { free(mask); return -1; }
    if (!m->sparse) {
        m->rseg = zalloc(n + 1, sizeof *m->rseg);
        m->rlo = zalloc(n, sizeof *m->rlo);
        m->rhi = zalloc(n, sizeof *m->rhi);
        if (!m->rseg || !m->rlo || !m->rhi) { free(mask); return -1; }
    }
    const void *ci = m->ci ? (const void *)m->ci : (const void *)m->ci16;
    size_t pn = 0, pcap = 0, rn = 0, rcap = 0;
    for (size_t q = 0; q < np; q++) {
        memset(mask, 0, n);
        for (size_t k = m->pstart[q]; k < m->pstart[q + 1]; k++) {
            if (m->sparse) {
                for (size_t e = m->rp[k]; e < m->rp[k + 1]; e++)
                    if (m->cv[e] != 0) mask[csr_col(ci, m->ci != NULL, e)] = 1;
                continue;
            }
            size_t lo = n, hi = 0;
            for (size_t j = 0; j < n; j++)
                if (m->Zd[k * n + j] != 0) { mask[j] = 1; if (j < lo) lo = j; hi = j + 1; }
            m->rlo[k] = lo < hi ? lo : 0;
            m->rhi[k] = lo < hi ? hi : 0;
        }
        m->pseg[q] = pn;
        if (live_segments(mask, n, &m->pcol, &pn, &pcap)) { free(mask); return -1; }
    }
    m->pseg[np] = pn;
    for (size_t k = 0; !m->sparse && k < n; k++) {
        for (size_t j = 0; j < n; j++) mask[j] = m->Zd[k * n + j] != 0;
        m->rseg[k] = rn;
        if (live_segments(mask, n, &m->rcol, &rn, &rcap)) { free(mask); return -1; }
    }
    if (!m->sparse) m->rseg[n] = rn;
    free(mask);
    return 0;
}

/* The table equilibrium every run starts from (cp_ario_new, cp_ario_reset):
 * orders = Z, inventories = target x Z by product, production = x0, and
 * every accumulator, shock state and step counter at its start value.
 * One function for both, so that a reset model starts from the same bits
 * as a new one. */
static void init_state(cp_ario *m)
{
    size_t n = m->n, np = m->np, nfd = m->nfd;
    memcpy(m->zws, m->ZS, np * n * sizeof(double));
    for (size_t k = 0; k < np * n; k++) {
        m->M[k] = 1.0;
        m->und[k] = 0;
        m->dzw[k] = 0;
        m->acc_s[k] = 0;
    }
    memset(m->dirty, 0, np);
    for (size_t i = 0; i < n; i++) {
        m->w[i] = 1.0;
        m->wnew[i] = 0;
        m->alpha[i] = m->p.alpha_base;
        m->xprev[i] = m->x0[i];
        m->xa[i] = m->x0[i];
        m->cap[i] = m->p.alpha_base * m->x0[i];
        m->kappa_row[i] = 1.0;
        m->loss[i] = 0;
        m->loss_prev[i] = 0;
        m->limit[i] = -1;
        m->rfd[i] = 1.0;
        m->D[i] = 0;
        m->xopt[i] = 0;
        m->fdun[i] = 0;
    }
    for (size_t k = 0; k < nfd; k++) m->fdun_cols[k] = 0;
    for (size_t pi = 0; pi < np; pi++) {
        for (size_t j = 0; j < n; j++)
            m->inv[pi * n + j] = isinf(m->sdur[pi]) ? 0 : m->sdur[pi] * m->ZS[pi * n + j];
    }
    for (size_t k = 0; k < m->ncaprows * n; k++) m->capel[k] = m->capel_prev[k] = INFINITY;
    for (size_t k = 0; k < m->ncaprows * nfd; k++) m->capfd[k] = INFINITY;
    m->any_shortage = 0;
    m->fixed = 0;
    m->check = 0;
    m->changed = 0;
    m->skipped = 0;
    m->tdone = 0;
}

/* Back to the table equilibrium, keeping everything configured (inventory
 * targets, rationing, shocks, the capacity-cap series): a Monte Carlo
 * draw reuses one model per thread instead of building one (no
 * allocation).  The next step is step 0, with the same bits as a new
 * model configured the same way. */
void cp_ario_reset(cp_ario *m)
{
    init_state(m);
}

/* Steps skipped at an exact fixed point since the last reset (docs/ario.md). */
size_t cp_ario_steps_skipped(const cp_ario *m) { return m->skipped; }

/* Build products, baseline and Z storage; start in equilibrium. */
int cp_ario_new(cp_ario **out, const cp_table *t, const cp_ario_params *pp, cp_error *err)
{
    *out = NULL;
    cp_ario_params p = pp ? *pp : cp_ario_params_default();
    if (check_params(&p, err)) return err ? err->code : CP_EINPUT;
    if (!t || t->n == 0) return cp_error_set(err, CP_EINPUT, "ario: empty table");
    if (t->n > UINT32_MAX) return cp_error_set(err, CP_EINPUT, "ario: too many industries");
    cp_ario *m = calloc(1, sizeof *m);
    if (!m) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    size_t n = t->n, nfd = t->nfd;
    m->t = t; m->p = p; m->n = n; m->nfd = nfd;
    m->scale = (double)p.temporal_units_by_step / p.year_to_temporal_unit; /* the one place */
    m->tau_alpha = p.alpha_tau / p.temporal_units_by_step;
    m->tau_inv = p.inventory_restoration_tau / p.temporal_units_by_step;
    m->rtinv = 1.0 / m->tau_inv;

    m->prod = zalloc(n, sizeof *m->prod);
    m->pof = zalloc(n, sizeof *m->pof);
    if (!m->prod || !m->pof) goto oom;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        for (k = 0; k < m->np; k++) if (strcmp(m->prod[k], t->sector[i]) == 0) break;
        if (k == m->np) m->prod[m->np++] = t->sector[i];
        m->pof[i] = k;
    }
    size_t np = m->np;
    /* rows are processed product by product, so that the product's
     * accumulator and order rows stay in cache; within a product the
     * order is ascending, so sums are the same as in table order */
    m->order = zalloc(n, sizeof *m->order);
    m->pos = zalloc(n, sizeof *m->pos);
    if (!m->order || !m->pos) goto oom;
    {
        size_t k = 0;
        for (size_t q = 0; q < np; q++)
            for (size_t i = 0; i < n; i++)
                if (m->pof[i] == q) m->order[k++] = i;
    }
    for (size_t k = 0; k < n; k++) m->pos[m->order[k]] = k;
    m->pstart = zalloc(np + 1, sizeof *m->pstart);
    m->c12 = zalloc(2 * n, sizeof *m->c12);
    if (!m->pstart || !m->c12) goto oom;
    for (size_t k = 0; k < n; k++) m->pstart[m->pof[m->order[k]] + 1] = k + 1;
    m->sdur = zalloc(np, sizeof *m->sdur);
    m->x0 = zalloc(n, sizeof(double)); m->ysum0 = zalloc(n, sizeof(double));
    m->va0 = zalloc(n, sizeof(double)); m->Y = zalloc(n * nfd, sizeof(double));
    m->AS = zalloc(np * n, sizeof(double)); m->ZS = zalloc(np * n, sizeof(double));
    m->rcov = zalloc(np * n, sizeof(double)); m->cover = zalloc(n, sizeof(double));
    m->ones = zalloc(n, sizeof(double)); m->cover_p = zalloc(n, sizeof(int64_t));
    m->inv = zalloc(np * n, sizeof(double)); m->M = zalloc(np * n, sizeof(double));
    m->und = zalloc(np * n, sizeof(double));
    m->dzw = zalloc(np * n, sizeof(double));
    m->dirty = zalloc(np, 1);
    m->zws = zalloc(np * n, sizeof(double));
    m->acc_s = zalloc(np * n, sizeof(double));
    m->w = zalloc(n, sizeof(double)); m->wnew = zalloc(n, sizeof(double));
    m->alpha = zalloc(n, sizeof(double)); m->xprev = zalloc(n, sizeof(double));
    m->xa = zalloc(n, sizeof(double)); m->xopt = zalloc(n, sizeof(double));
    m->cap = zalloc(n, sizeof(double)); m->D = zalloc(n, sizeof(double));
    m->yd = zalloc(n, sizeof(double)); m->ywant = zalloc(n, sizeof(double));
    m->rfd = zalloc(n, sizeof(double)); m->fdun = zalloc(n, sizeof(double));
    m->fdun_cols = zalloc(nfd, sizeof(double));
    m->loss = zalloc(n, sizeof(double)); m->kappa_row = zalloc(n, sizeof(double));
    m->limit = zalloc(n, sizeof(int)); m->tier_of = zalloc(n, sizeof(int));
    m->loss_prev = zalloc(n, sizeof(double)); m->alpha_prev = zalloc(n, sizeof(double));
    m->cover_prev = zalloc(n, sizeof(double)); m->cover_p_prev = zalloc(n, sizeof(int64_t));
    m->caprow = zalloc(n, sizeof(long));
    m->ntier = 1;
    if (!m->rcov || !m->cover || !m->ones || !m->cover_p) goto oom;
    for (size_t i = 0; i < n; i++) m->ones[i] = 1.0;
    if (!m->sdur || !m->x0 || !m->ysum0 || !m->va0 || !m->Y || !m->AS || !m->ZS || !m->inv ||
        !m->M || !m->und || !m->dzw || !m->dirty || !m->zws || !m->acc_s || !m->w || !m->wnew || !m->alpha ||
        !m->xprev || !m->xa || !m->xopt || !m->cap || !m->D || !m->yd || !m->ywant || !m->rfd ||
        !m->fdun || !m->fdun_cols || !m->loss || !m->kappa_row || !m->limit || !m->tier_of ||
        !m->caprow || !m->loss_prev || !m->alpha_prev || !m->cover_prev || !m->cover_p_prev)
        goto oom;

    /* storage: count non-zeros */
    size_t nnz = 0;
    for (size_t k = 0; k < n * n; k++) {
        double z = t->Z[k];
        if (!isfinite(z)) { cp_ario_free(m); return cp_error_set(err, CP_EINPUT, "ario: Z has a non-finite entry at row %zu, column %zu", k / n, k % n); }
        if (z != 0) nnz++;
    }
    m->sparse = p.storage == CP_ARIO_STORAGE_SPARSE ||
                (p.storage == CP_ARIO_STORAGE_AUTO && (double)nnz < 0.4 * (double)n * (double)n);
    if (m->sparse) {
        m->rp = zalloc(n + 1, sizeof *m->rp);
        if (n > 65536) m->ci = zalloc(nnz, sizeof *m->ci);
        else m->ci16 = zalloc(nnz, sizeof *m->ci16);
        m->cv = zalloc(nnz, sizeof *m->cv);
        if (!m->rp || !(m->ci || m->ci16) || !m->cv) goto oom;
        /* rows stored in step order (product by product), so that the
         * time loop streams the CSR arrays front to back */
        size_t q = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = m->order[k];
            m->rp[k] = q;
            for (size_t j = 0; j < n; j++) {
                double z = t->Z[i * n + j];
                if (z == 0) continue;
                if (m->ci) m->ci[q] = (uint32_t)j;
                else m->ci16[q] = (uint16_t)j;
                m->cv[q] = z * m->scale;
                q++;
            }
        }
        m->rp[n] = q;
    } else {
        m->Zd = zalloc(n * n, sizeof(double));
        if (!m->Zd) goto oom;
        /* rows in step order: one front-to-back stream a step */
        for (size_t k = 0; k < n; k++)
            for (size_t j = 0; j < n; j++) m->Zd[k * n + j] = t->Z[m->order[k] * n + j] * m->scale;
    }

    /* baseline per step.  x0 is the row sum computed in the same order as
     * the time loop computes demand, so that the equilibrium is exact. */
    for (size_t i = 0; i < n; i++) {
        double s = 0, y = 0;
        for (size_t k = 0; k < nfd; k++) {
            double v = t->Y[i * nfd + k];
            if (!isfinite(v)) { cp_ario_free(m); return cp_error_set(err, CP_EINPUT, "ario: Y has a non-finite entry at row %zu", i); }
            m->Y[i * nfd + k] = v * m->scale;
            y += m->Y[i * nfd + k];
        }
        if (m->sparse) {
            size_t k = m->pos[i];
            size_t q0 = m->rp[k], len = m->rp[k + 1] - q0;
            s = m->ci ? dot_sparse32(m->cv + q0, m->ci + q0, len, m->ones)
                      : dot_sparse16(m->cv + q0, m->ci16 + q0, len, m->ones);
        }
        else s = dot_dense(m->Zd + m->pos[i] * n, m->ones, n);
        m->ysum0[i] = y;
        m->x0[i] = s + y;
        if (m->x0[i] < 0) m->x0[i] = 0;
        m->va0[i] = cp_table_va(t, i) * m->scale;
        if (!isfinite(m->va0[i])) m->va0[i] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t pi = m->pof[i];
        if (m->sparse)
            for (size_t q = m->rp[m->pos[i]]; q < m->rp[m->pos[i] + 1]; q++)
                m->ZS[pi * n + csr_col(m->ci ? (const void *)m->ci : (const void *)m->ci16, m->ci != NULL, q)] += m->cv[q];
        else
            for (size_t j = 0; j < n; j++) m->ZS[pi * n + j] += m->Zd[m->pos[i] * n + j];
    }
    if (live_ranges(m)) goto oom;
    for (size_t pi = 0; pi < np; pi++) {
        m->sdur[pi] = isinf(p.main_inv_dur) ? INFINITY : p.main_inv_dur / p.temporal_units_by_step;
        for (size_t j = 0; j < n; j++)
            m->AS[pi * n + j] = m->x0[j] > 0 ? m->ZS[pi * n + j] / m->x0[j] : 0;
    }
    for (size_t pi = 0; pi < np; pi++) set_rcov(m, pi);
    for (size_t i = 0; i < n; i++) m->caprow[i] = -1;
    init_state(m);
    if (np == n && p.storage == CP_ARIO_STORAGE_AUTO && ario_pack_attach(m, err)) { cp_ario_free(m); return err ? err->code : CP_ENOMEM; }
    {
        int nt = p.threads;
        if (nt <= 0) {
            long c = sysconf(_SC_NPROCESSORS_ONLN);
            nt = c > 0 ? (int)(c > 64 ? 64 : c) : 1;
            if (n < 400) nt = 1;   /* a barrier costs more than such a step */
        }
        if (start_workers(m, nt, err)) { cp_ario_free(m); return err ? err->code : CP_ENOMEM; }
    }
    *out = m;
    return 0;
oom:
    cp_ario_free(m);
    return cp_error_set(err, CP_ENOMEM, "ario: out of memory for %zu industries", t->n);
}

/* Number of industries and of final-demand columns the model was built with. */
size_t cp_ario_n(const cp_ario *m) { return m->n; }
size_t cp_ario_nfd(const cp_ario *m) { return m->nfd; }

/* Number of products (distinct sector labels). */
size_t cp_ario_nproducts(const cp_ario *m) { return m->np; }

/* Label of product p, or NULL. */
const char *cp_ario_product(const cp_ario *m, size_t p) { return p < m->np ? m->prod[p] : NULL; }

/* Steps run so far. */
size_t cp_ario_steps_done(const cp_ario *m) { return m->tdone; }

/* Steps the model was configured for (params.steps). */
size_t cp_ario_steps_total(const cp_ario *m) { return m->p.steps; }

/* Baseline value added per step of each industry (table VA x step scale),
 * the reference the results layer measures value-added losses against. */
const double *cp_ario_va_baseline(const cp_ario *m) { return m->va0; }

/* Realised production of the last step (per step). */
const double *cp_ario_production(const cp_ario *m) { return m->xa; }

/* Production capacity of the last step. */
const double *cp_ario_capacity(const cp_ario *m) { return m->cap; }

/* Total demand of the last step. */
const double *cp_ario_demand(const cp_ario *m) { return m->D; }

/* Final demand unmet, by supplying industry. */
const double *cp_ario_fd_unmet(const cp_ario *m) { return m->fdun; }

/* Final demand unmet, by final-demand column. */
const double *cp_ario_fd_unmet_cols(const cp_ario *m) { return m->fdun_cols; }

/* Limiting product per industry (-1: none). */
const int *cp_ario_limiting(const cp_ario *m) { return m->limit; }

/* Overproduction factors alpha. */
const double *cp_ario_overproduction(const cp_ario *m) { return m->alpha; }

/* Inventories [p*n + i]. */
const double *cp_ario_inventories(const cp_ario *m) { return m->inv; }

/* Baseline production x0 per step. */
const double *cp_ario_baseline(const cp_ario *m) { return m->x0; }

/* Factor from annual flows to per-step flows. */
double cp_ario_step_scale(const cp_ario *m) { return m->scale; }

/* Index of a product by label. */
long cp_ario_find_product(const cp_ario *m, const char *sector)
{
    for (size_t k = 0; k < m->np; k++)
        if (strcmp(m->prod[k], sector) == 0) return (long)k;
    return -1;
}

/* Set one product's inventory target before the run; resets its stock to
 * the new target so that the start is still an equilibrium. */
int cp_ario_set_inv_dur(cp_ario *m, size_t p, double dur, cp_error *err)
{
    if (m->tdone) return cp_error_set(err, CP_EUSAGE, "ario: inventory targets can only change before the first step");
    if (p >= m->np) return cp_error_set(err, CP_EINPUT, "ario: no product %zu", p);
    if (!(dur > 0)) return cp_error_set(err, CP_EINPUT, "ario: inventory duration of %s must be > 0 or inf (got %g)", m->prod[p], dur);
    m->sdur[p] = isinf(dur) ? INFINITY : dur / m->p.temporal_units_by_step;
    set_rcov(m, p);
    for (size_t j = 0; j < m->n; j++)
        m->inv[p * m->n + j] = isinf(m->sdur[p]) ? 0 : m->sdur[p] * m->ZS[p * m->n + j];
    return 0;
}

/* Rationing tiers from the params and an optional priority list. */
int cp_ario_set_priority(cp_ario *m, const size_t *products, size_t np, size_t fd_tier,
                         cp_error *err)
{
    if (m->tdone) return cp_error_set(err, CP_EUSAGE, "ario: rationing can only change before the first step");
    size_t nt = np + 1;  /* listed tiers, then the rest */
    if (fd_tier > np) fd_tier = np;
    for (size_t k = 0; k < np; k++)
        if (products[k] >= m->np) return cp_error_set(err, CP_EINPUT, "ario: priority product %zu out of range", products[k]);
    /* tiers: listed product k -> tier k (k < fd_tier) or k+1 (k >= fd_tier);
     * final demand -> fd_tier; rest -> last */
    for (size_t i = 0; i < m->n; i++) m->tier_of[i] = (int)nt;
    for (size_t k = np; k-- > 0;)
        for (size_t i = 0; i < m->n; i++)
            if (m->pof[i] == products[k]) m->tier_of[i] = (int)(k < fd_tier ? k : k + 1);
    m->tier_fd = (int)fd_tier;
    m->ntier = (int)nt + 1;
    m->p.rationing = CP_ARIO_RATION_PRIORITY;
    return 0;
}

/* Set up the two-tier rationing schemes (no-op for proportional). */
static void setup_simple_tiers(cp_ario *m)
{
    if (m->p.rationing == CP_ARIO_RATION_FD_FIRST) {
        for (size_t i = 0; i < m->n; i++) m->tier_of[i] = 1;
        m->tier_fd = 0; m->ntier = 2;
    } else if (m->p.rationing == CP_ARIO_RATION_INTERMEDIATE_FIRST) {
        for (size_t i = 0; i < m->n; i++) m->tier_of[i] = 0;
        m->tier_fd = 1; m->ntier = 2;
    }
}

/* Copy an index list, checking the range. */
static int copy_idx(size_t **dst, const size_t *src, size_t k, size_t lim, const char *what,
                    cp_error *err)
{
    *dst = NULL;
    if (!k) return 0;
    *dst = malloc(k * sizeof **dst);
    if (!*dst) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    for (size_t i = 0; i < k; i++) {
        if (src[i] >= lim) {
            free(*dst); *dst = NULL;
            return cp_error_set(err, CP_EINPUT, "ario: %s index %zu out of range (%zu)", what, src[i], lim);
        }
        (*dst)[i] = src[i];
    }
    return 0;
}

/* Register a capacity-loss event. */
int cp_ario_add_capacity_loss(cp_ario *m, const size_t *ind, size_t nind, double share,
                              long occurrence, long duration, double recovery_tau,
                              cp_error *err)
{
    if (!(share >= 0 && share <= 1))
        return cp_error_set(err, CP_EINPUT, "ario: capacity loss share must be in [0, 1] (got %g)", share);
    if (occurrence < 0 || duration < 0)
        return cp_error_set(err, CP_EINPUT, "ario: occurrence and duration must be >= 0");
    if (!(recovery_tau >= 0) || !isfinite(recovery_tau))
        return cp_error_set(err, CP_EINPUT, "ario: recovery_tau must be >= 0 (got %g)", recovery_tau);
    ario_loss *nl = realloc(m->losses, (m->nlosses + 1) * sizeof *nl);
    if (!nl) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    m->losses = nl;
    ario_loss *e = &m->losses[m->nlosses];
    if (copy_idx(&e->ind, ind, nind, m->n, "industry", err)) return err->code;
    e->nind = nind; e->share = share; e->occ = occurrence; e->dur = duration;
    e->tau = recovery_tau / m->p.temporal_units_by_step;
    m->nlosses++;
    return 0;
}

/* Register a flow cap; capped supplier rows get their per-buyer factors. */
int cp_ario_add_flow_cap(cp_ario *m, const cp_ario_flow_cap *fc, cp_error *err)
{
    if (fc->supplier >= m->n) return cp_error_set(err, CP_EINPUT, "ario: flow cap supplier out of range");
    if (fc->ncap == 0 || !fc->cap) return cp_error_set(err, CP_EINPUT, "ario: flow cap needs at least one value");
    for (size_t k = 0; k < fc->ncap; k++)
        if (!(fc->cap[k] >= 0)) return cp_error_set(err, CP_EINPUT, "ario: flow cap values must be >= 0 (value %zu is %g)", k, fc->cap[k]);
    ario_cap *nc = realloc(m->caps, (m->ncaps + 1) * sizeof *nc);
    if (!nc) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    m->caps = nc;
    ario_cap *c = &m->caps[m->ncaps];
    memset(c, 0, sizeof *c);
    if (copy_idx(&c->buyers, fc->buyers, fc->nbuyers, m->n, "buyer", err)) return err->code;
    if (copy_idx(&c->fd, fc->fd_cols, fc->nfd, m->nfd, "final-demand column", err)) { free(c->buyers); return err->code; }
    c->cap = malloc(fc->ncap * sizeof *c->cap);
    if (!c->cap) { free(c->buyers); free(c->fd); return cp_error_set(err, CP_ENOMEM, "ario: out of memory"); }
    memcpy(c->cap, fc->cap, fc->ncap * sizeof *c->cap);
    c->supplier = fc->supplier; c->nbuyers = fc->nbuyers; c->nfd = fc->nfd;
    c->start = fc->start; c->ncap = fc->ncap;
    if (m->caprow[c->supplier] < 0) {
        size_t r = m->ncaprows;
        double *ce = realloc(m->capel, (r + 1) * m->n * sizeof *ce);
        if (!ce) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
        m->capel = ce;
        double *cp2 = realloc(m->capel_prev, (r + 1) * m->n * sizeof *cp2);
        if (!cp2) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
        m->capel_prev = cp2;
        double *cf = realloc(m->capfd, (r + 1) * (m->nfd ? m->nfd : 1) * sizeof *cf);
        if (!cf) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
        m->capfd = cf;
        for (size_t j = 0; j < m->n; j++) m->capel[r * m->n + j] = m->capel_prev[r * m->n + j] = INFINITY;
        for (size_t k = 0; k < m->nfd; k++) m->capfd[r * m->nfd + k] = INFINITY;
        m->caprow[c->supplier] = (long)r;
        m->ncaprows++;
    }
    m->ncaps++;
    if (c->nfd) m->fd_dynamic = 1;
    return 0;
}

/* Register a final-demand change. */
int cp_ario_add_fd_change(cp_ario *m, const size_t *ind, size_t nind, const size_t *fd_cols,
                          size_t nfd, long start, long duration, double factor, cp_error *err)
{
    if (!(factor >= 0) || !isfinite(factor))
        return cp_error_set(err, CP_EINPUT, "ario: final demand factor must be >= 0 (got %g)", factor);
    if (!m->fdfac) {
        m->fdfac = zalloc(m->n * m->nfd, sizeof *m->fdfac);
        if (!m->fdfac) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
        for (size_t k = 0; k < m->n * m->nfd; k++) m->fdfac[k] = 1.0;
    }
    ario_fdc *nf = realloc(m->fdcs, (m->nfdcs + 1) * sizeof *nf);
    if (!nf) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    m->fdcs = nf;
    ario_fdc *e = &m->fdcs[m->nfdcs];
    memset(e, 0, sizeof *e);
    if (copy_idx(&e->ind, ind, nind, m->n, "industry", err)) return err->code;
    if (copy_idx(&e->fd, fd_cols, nfd, m->nfd, "final-demand column", err)) { free(e->ind); return err->code; }
    e->nind = nind; e->nfd = nfd; e->start = start; e->dur = duration; e->factor = factor;
    m->nfdcs++;
    m->fd_dynamic = 1;
    return 0;
}

/* Install the exogenous capacity-cap series (the export-control hook). */
int cp_ario_set_capacity_cap(cp_ario *m, const double *frac, size_t nsteps, cp_error *err)
{
    for (size_t k = 0; k < nsteps * m->n; k++)
        if (!(frac[k] >= 0 && frac[k] <= 1))
            return cp_error_set(err, CP_EINPUT, "ario: capacity cap must be in [0, 1] (step %zu, industry %zu: %g)", k / m->n, k % m->n, frac[k]);
    if (!m->kappa || m->kappa_alloc < nsteps * m->n) {   /* else the buffer is reused */
        double *c = zalloc(nsteps * m->n, sizeof *c);
        if (!c) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
        free(m->kappa);
        m->kappa = c;
        m->kappa_alloc = nsteps * m->n;
    }
    if (nsteps) memcpy(m->kappa, frac, nsteps * m->n * sizeof *m->kappa);
    m->kappa_steps = nsteps;
    return 0;
}

/* Capacity loss of event e acting on production at step t. */
static double loss_at(const cp_ario *m, const ario_loss *e, long t)
{
    if (m->p.timing == CP_ARIO_TIMING_BOARIO) {
        long u = t - 1;   /* BoARIO: state set at the end of step u acts at u+1 */
        if (u < e->occ) return 0;
        if (u <= e->occ + e->dur) return e->share;
        double el = (double)(u - (e->occ + e->dur + 1));
        if (e->tau <= 0) return 0;
        double f = 1 - el / e->tau;
        return f > 0 ? e->share * f : 0;
    }
    if (t < e->occ) return 0;
    if (t < e->occ + e->dur) return e->share;
    double k = (double)(t - (e->occ + e->dur)) + 1;
    if (e->tau <= 0) return 0;
    double f = 1 - k / e->tau;
    return f > 0 ? e->share * f : 0;
}

/* Capacity loss of every industry at step t (loss[n]): the registered
 * events' losses added, each industry's capped at 1. */
void ario_losses_at(const cp_ario *m, long t, double *loss)
{
    for (size_t i = 0; i < m->n; i++) loss[i] = 0;
    for (size_t e = 0; e < m->nlosses; e++) {
        double l = loss_at(m, &m->losses[e], t);
        if (l > 0)
            for (size_t k = 0; k < m->losses[e].nind; k++) {
                size_t i = m->losses[e].ind[k];
                loss[i] = fmin(1.0, loss[i] + l);
            }
    }
}

/* Shock state for step t: losses, capacity caps, flow caps, FD factors
 * and the accepted final demand.  Returns 1 when the step's inputs are
 * bit for bit those of the step before (capacity losses and caps; a model
 * with flow caps or final-demand changes always returns 0), the
 * condition under which a fixed point can be carried forward. */
static int shocks_at(cp_ario *m, long t)
{
    size_t n = m->n, nfd = m->nfd;
    int same = !m->ncaprows && !m->fd_dynamic;
    memcpy(m->loss_prev, m->loss, n * sizeof(double));
    ario_losses_at(m, t, m->loss);
    if (same && memcmp(m->loss_prev, m->loss, n * sizeof(double))) same = 0;
    if (m->kappa) {
        if ((size_t)t < m->kappa_steps) {
            const double *row = m->kappa + (size_t)t * n;
            if (same && memcmp(m->kappa_row, row, n * sizeof(double))) same = 0;
            memcpy(m->kappa_row, row, n * sizeof(double));
        } else
            for (size_t i = 0; i < n; i++) {
                if (m->kappa_row[i] != 1.0) same = 0;
                m->kappa_row[i] = 1.0;
            }
    }
    if (m->ncaprows) {
        memcpy(m->capel_prev, m->capel, m->ncaprows * n * sizeof(double));
        for (size_t k = 0; k < m->ncaprows * n; k++) m->capel[k] = INFINITY;
        for (size_t k = 0; k < m->ncaprows * nfd; k++) m->capfd[k] = INFINITY;
        for (size_t c = 0; c < m->ncaps; c++) {
            const ario_cap *cp = &m->caps[c];
            if (t < cp->start || (size_t)(t - cp->start) >= cp->ncap) continue;
            double v = cp->cap[t - cp->start];
            size_t r = (size_t)m->caprow[cp->supplier];
            for (size_t b = 0; b < cp->nbuyers; b++) {
                double *x = &m->capel[r * n + cp->buyers[b]];
                if (v < *x) *x = v;
            }
            for (size_t b = 0; b < cp->nfd; b++) {
                double *x = &m->capfd[r * nfd + cp->fd[b]];
                if (v < *x) *x = v;
            }
        }
    }
    if (m->fdfac) {
        for (size_t k = 0; k < n * nfd; k++) m->fdfac[k] = 1.0;
        for (size_t e = 0; e < m->nfdcs; e++) {
            const ario_fdc *f = &m->fdcs[e];
            if (t < f->start || (f->dur >= 0 && t >= f->start + f->dur)) continue;
            size_t ni = f->nind ? f->nind : n, nk = f->nfd ? f->nfd : nfd;
            for (size_t a = 0; a < ni; a++) {
                size_t i = f->nind ? f->ind[a] : a;
                for (size_t b = 0; b < nk; b++) {
                    size_t k = f->nfd ? f->fd[b] : b;
                    m->fdfac[i * nfd + k] *= f->factor;
                }
            }
        }
    }
    if (m->fd_dynamic) {
        for (size_t i = 0; i < n; i++) {
            long r = m->caprow[i];
            double want = 0, acc = 0;
            for (size_t k = 0; k < nfd; k++) {
                double y = m->Y[i * nfd + k] * (m->fdfac ? m->fdfac[i * nfd + k] : 1.0);
                double c = r >= 0 ? m->capfd[(size_t)r * nfd + k] : INFINITY;
                want += y;
                acc += (c < 1.0 && y > 0) ? c * y : y;
            }
            m->ywant[i] = want;
            m->yd[i] = acc;
        }
    } else {
        memcpy(m->ywant, m->ysum0, n * sizeof(double));
        memcpy(m->yd, m->ysum0, n * sizeof(double));
    }
    return same;
}

/* Production of one industry from its demand D: overproduction update,
 * capacity, optimal production, inventory constraint (psi), realised
 * production.  Local to the industry: uses the start-of-step inventories
 * (cover, the production they allow).  Both engines call it, so that
 * they share the formula bit for bit. */
void ario_produce_one(const cp_ario_params *p, double tau_alpha, double D, double xprev,
                      double x0, double loss, double kappa, double cover, double *alpha,
                      double *cap, double *xopt, double *xa, int *lim)
{
    double a = *alpha;
    double zeta = D > 0 ? (D - xprev) / D : 0;
    if (p->overprod == CP_ARIO_OVERPROD_BOARIO) {
        a += (p->alpha_max - a) * zeta / tau_alpha;
        if (a < p->alpha_base) a = p->alpha_base;
        if (a > p->alpha_max) a = p->alpha_max;
    } else {
        if (zeta > 0) a += (p->alpha_max - a) * zeta / tau_alpha;
        else a += (p->alpha_base - a) / tau_alpha;
    }
    *alpha = a;
    double c = a * (1 - loss) * kappa * x0;
    double xo = D < c ? D : c;
    if (!(xo > 0)) xo = 0;
    double ratio = 1.0;
    *lim = 0;
    if (xo > 0 && cover < xo) {
        ratio = cover / xo;
        *lim = 1;
    }
    if (ratio < 0) ratio = 0;
    *cap = c;
    *xopt = xo;
    *xa = xo * ratio;
}

/* Production of industry f from its demand (ario_produce_one), and the
 * supplier weight of the alt order module. */
static void produce(cp_ario *m, size_t f, double D)
{
    int lim;
    ario_produce_one(&m->p, m->tau_alpha, D, m->xprev[f], m->x0[f], m->loss[f], m->kappa_row[f],
                     m->cover[f], &m->alpha[f], &m->cap[f], &m->xopt[f], &m->xa[f], &lim);
    m->limit[f] = lim ? (int)m->cover_p[f] : -1;
    m->D[f] = D;
    m->wnew[f] = m->x0[f] > 0 ? m->alpha[f] * (1 - m->loss[f]) * m->kappa_row[f] : 0;
}

/* Served fractions per tier for a supplier with tier demands dt and
 * production x: tiers served in order, each proportionally. */
static void ration_tiers(int nt, const double *dt, double x, double *rt)
{
    double rem = x;
    for (int k = 0; k < nt; k++) {
        if (dt[k] > 0) {
            double r = rem / dt[k];
            rt[k] = r < 1 ? (r > 0 ? r : 0) : 1;
            rem -= rt[k] * dt[k];
            if (rem < 0) rem = 0;
        } else rt[k] = 1;
    }
}

/* Bits of m->dirty[p]: which of product p's accumulator rows the row pass
 * wrote this step.  The orders pass reads (and clears) only those, so a
 * step where nobody rations touches und/acc_s not at all, and a step
 * without weight changes (base orders, or a settled economy) skips dzw. */
enum { DIRTY_UND = 1, DIRTY_DZW = 2, DIRTY_SL = 4 };

/* The general row: flow caps and/or rationing tiers.  Handles one
 * supplier f (CSR row k): demand by tier (orders accepted under the caps),
 * production, rationing, and accumulation of deliveries and new weighted
 * sums. */
static void row_general(cp_ario *m, size_t k, size_t f, double *dt, double *rt)
{
    size_t n = m->n;
    size_t pf = m->pof[f];
    const double *Mrow = m->M + pf * n;
    double wf = m->w[f];
    int alt = m->p.order_type == CP_ARIO_ORDER_ALT;
    long r = m->caprow[f];
    const double *ce = r >= 0 ? m->capel + (size_t)r * n : NULL;
    const double *cpv = r >= 0 ? m->capel_prev + (size_t)r * n : NULL;
    int nt = m->ntier;
    for (int k2 = 0; k2 < nt; k2++) dt[k2] = 0;
    size_t q0, q1;
    const double *zv;
    int sp = m->sparse, wide = m->ci != NULL;
    const void *zi = wide ? (const void *)m->ci : (const void *)m->ci16;
    if (sp) { q0 = m->rp[k]; q1 = m->rp[k + 1]; zv = m->cv; }
    else { q0 = k * n; q1 = q0 + n; zv = m->Zd; }
    /* orders were placed with last step's cap weights; acceptance uses
     * this step's caps */
    for (size_t q = q0; q < q1; q++) {
        size_t j = sp ? csr_col(zi, wide, q) : q - q0;
        double z = zv[q];
        double c = ce ? ce[j] : INFINITY, cprev = cpv ? cpv[j] : INFINITY;
        double o = z * wf * (alt && cprev < 1 ? cprev : 1.0) * Mrow[j];
        double acc = c < INFINITY && o > c * z ? c * z : o;
        dt[nt > 1 ? m->tier_of[j] : 0] += acc;
    }
    dt[nt > 1 ? m->tier_fd : 0] += m->yd[f];
    double D = 0;
    for (int k2 = 0; k2 < nt; k2++) D += dt[k2];
    produce(m, f, D);
    ration_tiers(nt, dt, m->xa[f], rt);
    m->rfd[f] = rt[nt > 1 ? m->tier_fd : 0];
    double wn = m->wnew[f];
    double *as = m->acc_s + pf * n, *un = m->und + pf * n, *dz = m->dzw + pf * n;
    m->dirty[pf] |= DIRTY_UND | DIRTY_SL | (alt ? DIRTY_DZW : 0);
    for (size_t q = q0; q < q1; q++) {
        size_t j = sp ? csr_col(zi, wide, q) : q - q0;
        double z = zv[q];
        double c = ce ? ce[j] : INFINITY, cprev = cpv ? cpv[j] : INFINITY;
        double wprev = alt && cprev < 1 ? cprev : 1.0, wnow = alt && c < 1 ? c : 1.0;
        double o = z * wf * wprev * Mrow[j];
        double acc = c < INFINITY && o > c * z ? c * z : o;
        as[j] += acc * rt[nt > 1 ? m->tier_of[j] : 0];   /* delivered */
        un[j] += z * wf * wprev;                          /* nominal, replaced */
        if (alt) dz[j] += z * (wn * wnow - wf * wprev);
    }
}

/* Scaled dense row addition y += c z (the deliveries shortfall and the
 * weight change of one supplier).  Separate loops per accumulator, so
 * that the usual case (only the weight changed) streams one array. */
CP_HOT
static void axpy_dense(double *restrict y, double c, const double *restrict z, size_t n)
{
    for (size_t j = 0; j < n; j++) y[j] += c * z[j];
}

/* Scaled CSR row addition y[c[q]] += a v[q].  Unrolled by four with the
 * loads ahead of the stores: a row's columns are distinct, so the four
 * updates are independent and the CPU can overlap them. */
CP_INLINE_HOT
static inline void axpy_sparse_body(int wide, double *restrict y, double a,
                                    const double *restrict v, const void *restrict c, size_t len)
{
    size_t q = 0;
    for (; q + 4 <= len; q += 4) {
        size_t j0 = csr_col(c, wide, q), j1 = csr_col(c, wide, q + 1);
        size_t j2 = csr_col(c, wide, q + 2), j3 = csr_col(c, wide, q + 3);
        double t0 = y[j0] + a * v[q], t1 = y[j1] + a * v[q + 1];
        double t2 = y[j2] + a * v[q + 2], t3 = y[j3] + a * v[q + 3];
        y[j0] = t0; y[j1] = t1; y[j2] = t2; y[j3] = t3;
    }
    for (; q < len; q++) y[csr_col(c, wide, q)] += a * v[q];
}

/* axpy_sparse_body for 16-bit column indices. */
CP_HOT
static void axpy_sparse16(double *restrict y, double a, const double *restrict v,
                          const void *restrict c, size_t len)
{
    axpy_sparse_body(0, y, a, v, c, len);
}

/* axpy_sparse_body for 32-bit column indices. */
CP_HOT
static void axpy_sparse32(double *restrict y, double a, const double *restrict v,
                          const void *restrict c, size_t len)
{
    axpy_sparse_body(1, y, a, v, c, len);
}

/* Both scaled dense row additions in one pass: u += c1 z, d += c2 z
 * (a rationing supplier whose weight also changed). */
CP_HOT
static void axpy2_dense(double *restrict u, double c1, double *restrict d, double c2,
                        const double *restrict z, size_t n)
{
    for (size_t j = 0; j < n; j++) { u[j] += c1 * z[j]; d[j] += c2 * z[j]; }
}

/* Both scaled CSR row additions in one pass (the columns and values are
 * loaded once for the two accumulators). */
CP_INLINE_HOT
static inline void axpy2_sparse_body(int wide, double *restrict u, double c1, double *restrict d,
                                     double c2, const double *restrict v, const void *restrict c,
                                     size_t len)
{
    size_t q = 0;
    for (; q + 2 <= len; q += 2) {
        size_t j0 = csr_col(c, wide, q), j1 = csr_col(c, wide, q + 1);
        double u0 = u[j0] + c1 * v[q], u1 = u[j1] + c1 * v[q + 1];
        double d0 = d[j0] + c2 * v[q], d1 = d[j1] + c2 * v[q + 1];
        u[j0] = u0; u[j1] = u1; d[j0] = d0; d[j1] = d1;
    }
    for (; q < len; q++) {
        size_t j = csr_col(c, wide, q);
        u[j] += c1 * v[q]; d[j] += c2 * v[q];
    }
}

/* axpy2_sparse_body for 16-bit column indices. */
CP_HOT
static void axpy2_sparse16(double *restrict u, double c1, double *restrict d, double c2,
                           const double *restrict v, const void *restrict c, size_t len)
{
    axpy2_sparse_body(0, u, c1, d, c2, v, c, len);
}

/* axpy2_sparse_body for 32-bit column indices. */
CP_HOT
static void axpy2_sparse32(double *restrict u, double c1, double *restrict d, double c2,
                           const double *restrict v, const void *restrict c, size_t len)
{
    axpy2_sparse_body(1, u, c1, d, c2, v, c, len);
}

/* The fast row k (industry f; proportional rationing, no caps on the
 * row), first part: its demand, the dot product of the Z row with the
 * product's order multipliers plus final demand. */
static double row_dot(const cp_ario *m, size_t k, size_t f)
{
    size_t n = m->n;
    const double *Mrow = m->M + m->pof[f] * n;
    double dot;
    if (m->sparse) {
        size_t q0 = m->rp[k], len = m->rp[k + 1] - q0;
        dot = m->ci ? dot_sparse32(m->cv + q0, m->ci + q0, len, Mrow)
                    : dot_sparse16(m->cv + q0, m->ci16 + q0, len, Mrow);
    } else {
        /* the row's non-zeros' range in whole groups of four from a
         * multiple of four, to n when it reaches the tail (live_ranges):
         * every term keeps its accumulator */
        size_t a = m->rlo[k] & ~(size_t)3, b = (m->rhi[k] + 3) & ~(size_t)3;
        if (b > (n & ~(size_t)3)) b = n;
        if (a > b) a = b;
        dot = dot_dense(m->Zd + k * n + a, Mrow + a, b - a);
    }
    return m->w[f] * dot + m->yd[f];
}

/* The fast row k, second part, from its demand D: production, the served
 * share, and the two scatter coefficients, kept in c12[2k], c12[2k+1] for
 * row_scatter: the shortfall w (1 - r) of a rationing supplier and the
 * weight change (alt orders); rows with neither (the usual case without
 * a shock) cost nothing more. */
static void row_produce(cp_ario *m, size_t k, size_t f, double D)
{
    produce(m, f, D);
    double r = D > 0 ? m->xa[f] / D : 1.0;
    if (r > 1) r = 1;
    m->rfd[f] = r;
    m->c12[2 * k] = m->w[f] * (1 - r);
    m->c12[2 * k + 1] = m->p.order_type == CP_ARIO_ORDER_ALT ? m->wnew[f] - m->w[f] : 0;
}

/* The fast row k, second half: add the Z row scaled by the coefficients
 * row_demand left to the product's shortfall and weight-change
 * accumulators (one pass when both are non-zero), and mark them dirty. */
static void row_scatter(cp_ario *m, size_t k, size_t f)
{
    size_t n = m->n;
    size_t pf = m->pof[f];
    double c1 = m->c12[2 * k], c2 = m->c12[2 * k + 1];
    double *un = m->und + pf * n, *dz = m->dzw + pf * n;
    if (c1 != 0) m->dirty[pf] |= DIRTY_UND;
    if (c2 != 0) m->dirty[pf] |= DIRTY_DZW;
    if (!m->sparse) {   /* only the row's live segments (live_ranges) */
        for (size_t sg = m->rseg[k]; sg < m->rseg[k + 1]; sg++) {
            size_t lo = m->rcol[2 * sg], len = m->rcol[2 * sg + 1] - lo;
            const double *z = m->Zd + k * n + lo;
            if (c1 != 0 && c2 != 0) axpy2_dense(un + lo, c1, dz + lo, c2, z, len);
            else if (c1 != 0) axpy_dense(un + lo, c1, z, len);
            else if (c2 != 0) axpy_dense(dz + lo, c2, z, len);
        }
        return;
    }
    size_t q0 = m->rp[k], len = m->rp[k + 1] - q0;
    const double *v = m->cv + q0;
    if (m->ci) {
        const uint32_t *c = m->ci + q0;
        if (c1 != 0 && c2 != 0) axpy2_sparse32(un, c1, dz, c2, v, c, len);
        else if (c1 != 0) axpy_sparse32(un, c1, v, c, len);
        else if (c2 != 0) axpy_sparse32(dz, c2, v, c, len);
    } else {
        const uint16_t *c = m->ci16 + q0;
        if (c1 != 0 && c2 != 0) axpy2_sparse16(un, c1, dz, c2, v, c, len);
        else if (c1 != 0) axpy_sparse16(un, c1, v, c, len);
        else if (c2 != 0) axpy_sparse16(dz, c2, v, c, len);
    }
}

/* Modes of the orders kernel: which accumulator rows it must read. */
enum { ORD_NONE, ORD_DZW, ORD_UND, ORD_FULL };

/* The bits of a double (to compare states bit for bit, signed zeros too). */
static inline uint64_t dbits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* Inventories, orders for the next step, and the production the new
 * inventories allow, for one product q over all buying industries j.
 * mode (a constant in each caller below, so each gets its own loop)
 * says which accumulators are live: ORD_NONE reads none (they are
 * zero: deliveries equal the orders placed, M * zw), ORD_DZW only the
 * weight change, ORD_UND also the shortfall of rationing suppliers,
 * ORD_FULL also the deliveries of general rows.  Dropping a "+ 0" or
 * "- 0" changes at most the sign of a zero, which no later operation
 * sees (v is clamped at +0, z2 is tested > 0).  Live accumulators are cleared in
 * the same pass (no separate memset).  Every operation is done
 * unconditionally and then selected, so that the compiler vectorizes
 * (no trapping operation under a branch); the selects reproduce the
 * arithmetic of the plain formulas exactly.  With chk (the fixed-point
 * test) it returns the OR of old ^ new over the bits of inv, Mq and zw
 * (0: nothing changed), else 0. */
CP_INLINE_HOT
static inline uint64_t orders_body(int mode, int chk, size_t n, double s, double rtinv, int alt, int64_t q,
                               double *restrict inv, double *restrict Mq, double *restrict zw,
                               double *restrict un, double *restrict dz, double *restrict sl,
                               const double *restrict as, const double *restrict rc,
                               const double *restrict xa, const double *restrict xo,
                               double *restrict cv, int64_t *restrict cpp)
{
    int fin = !isinf(s);
    double sf = fin ? s : 0;
    uint64_t ch = 0;
    for (size_t j = 0; j < n; j++) {
        double inv0 = inv[j], m0 = Mq[j], zw0 = zw[j];
        /* received = orders placed last step (M zw) less the shortfall */
        double recv = mode == ORD_FULL ? Mq[j] * (zw[j] - un[j]) + sl[j]
                    : mode == ORD_UND ? Mq[j] * (zw[j] - un[j]) : Mq[j] * zw[j];
        double use = xa[j] * as[j];
        double v = inv0 + recv - use;
        v = v > 0 ? v : 0;
        v = fin ? v : 0;
        inv[j] = v;
        double gap = sf * xo[j] * as[j] - v;
        double add = gap * rtinv;
        double os = use + (gap > 0 ? add : 0);
        /* rc > 0 only for finite targets (set_rcov) */
        double cov = rc[j] > 0 ? v * rc[j] : INFINITY;
        int better = cov < cv[j];
        cv[j] = better ? cov : cv[j];
        cpp[j] = better ? q : cpp[j];
        double z2 = mode == ORD_NONE ? zw[j] : zw[j] + dz[j];
        if (mode != ORD_NONE) { zw[j] = alt ? z2 : zw[j]; dz[j] = 0; }
        if (mode >= ORD_UND) un[j] = 0;
        if (mode == ORD_FULL) sl[j] = 0;
        double den = z2 > 0 ? z2 : 1.0;
        double mq = os / den;
        Mq[j] = z2 > 0 ? mq : 0;
        if (chk) ch |= (dbits(inv0) ^ dbits(v)) | (dbits(m0) ^ dbits(Mq[j])) | (dbits(zw0) ^ dbits(zw[j]));
    }
    return ch;
}

/* The orders kernel in mode (ORD_NONE, ORD_DZW or ORD_UND) that also
 * reports any bit it changed in inv, Mq or zw (see orders_body). */
CP_HOT
static uint64_t orders_check(int mode, size_t n, double s, double rtinv, int alt, int64_t q, double *restrict inv,
                             double *restrict Mq, double *restrict zw, double *restrict un,
                             double *restrict dz, double *restrict sl, const double *restrict as,
                             const double *restrict rc, const double *restrict xa,
                             const double *restrict xo, double *restrict cv, int64_t *restrict cpp)
{
    if (mode == ORD_NONE)
        return orders_body(ORD_NONE, 1, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
    if (mode == ORD_DZW)
        return orders_body(ORD_DZW, 1, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
    return orders_body(ORD_UND, 1, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
}

/* The orders kernel with no live accumulator (see orders_body). */
CP_HOT
static void orders_none(size_t n, double s, double rtinv, int alt, int64_t q, double *restrict inv,
                        double *restrict Mq, double *restrict zw, double *restrict un,
                        double *restrict dz, double *restrict sl, const double *restrict as,
                        const double *restrict rc, const double *restrict xa,
                        const double *restrict xo, double *restrict cv, int64_t *restrict cpp)
{
    (void)orders_body(ORD_NONE, 0, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
}

/* The orders kernel with the weight change live (see orders_body). */
CP_HOT
static void orders_dzw(size_t n, double s, double rtinv, int alt, int64_t q, double *restrict inv,
                       double *restrict Mq, double *restrict zw, double *restrict un,
                       double *restrict dz, double *restrict sl, const double *restrict as,
                       const double *restrict rc, const double *restrict xa,
                       const double *restrict xo, double *restrict cv, int64_t *restrict cpp)
{
    (void)orders_body(ORD_DZW, 0, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
}

/* The orders kernel with the weight change and shortfall live (see
 * orders_body). */
CP_HOT
static void orders_und(size_t n, double s, double rtinv, int alt, int64_t q, double *restrict inv,
                       double *restrict Mq, double *restrict zw, double *restrict un,
                       double *restrict dz, double *restrict sl, const double *restrict as,
                       const double *restrict rc, const double *restrict xa,
                       const double *restrict xo, double *restrict cv, int64_t *restrict cpp)
{
    (void)orders_body(ORD_UND, 0, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
}

/* The orders kernel with every accumulator live (see orders_body). */
CP_HOT
static void orders_full(size_t n, double s, double rtinv, int alt, int64_t q, double *restrict inv,
                        double *restrict Mq, double *restrict zw, double *restrict un,
                        double *restrict dz, double *restrict sl, const double *restrict as,
                        const double *restrict rc, const double *restrict xa,
                        const double *restrict xo, double *restrict cv, int64_t *restrict cpp)
{
    (void)orders_body(ORD_FULL, 0, n, s, rtinv, alt, q, inv, Mq, zw, un, dz, sl, as, rc, xa, xo, cv, cpp);
}

/* Rows of this worker's products: demand, production, rationing,
 * deliveries.  Rows k0..k1 are consecutive in the CSR arrays. */
static void phase_rows(ario_worker *w)
{
    cp_ario *m = w->m;
    int general = m->ntier > 1;
    size_t k = w->k0;
    while (k < w->k1) {
        size_t kb = m->pstart[m->pof[m->order[k]] + 1];   /* end of this product's rows */
        int mixed = general;
        for (size_t i = k; i < kb && !mixed; i++) mixed = m->caprow[m->order[i]] >= 0;
        if (mixed) {
            /* general rows scatter as they go: keep row order for all */
            for (; k < kb; k++) {
                size_t f = m->order[k];
                if (general || m->caprow[f] >= 0) row_general(m, k, f, w->dt, w->rt);
                else { row_produce(m, k, f, row_dot(m, k, f)); row_scatter(m, k, f); }
            }
            continue;
        }
        /* all demands of the product first (the L1 cache holds the order
         * multipliers M_p they gather), then all productions (independent
         * iterations: their divisions overlap), then all scatters (L1
         * holds the accumulators; the product's Z rows are re-read from
         * L2).  The additions into each accumulator keep their row order. */
        for (size_t i = k; i < kb; i++) m->c12[2 * i] = row_dot(m, i, m->order[i]);
        for (size_t i = k; i < kb; i++) row_produce(m, i, m->order[i], m->c12[2 * i]);
        for (size_t i = k; i < kb; i++) row_scatter(m, i, m->order[i]);
        k = kb;
    }
}

/* Inventories and orders of this worker's products, each with the
 * kernel its dirty bits call for; the cover it finds goes to its own
 * arrays (merged by the caller). */
static void phase_orders(ario_worker *w)
{
    cp_ario *m = w->m;
    size_t n = m->n;
    int alt = m->p.order_type == CP_ARIO_ORDER_ALT;
    for (size_t f = 0; f < n; f++) { w->cover[f] = INFINITY; w->cover_p[f] = -1; }
    for (size_t q = w->q0; q < w->q1; q++) {
        unsigned d = m->dirty[q];
        if (m->check) {   /* one thread, no general rows (cp_ario_step) */
            int mode = (d & DIRTY_UND) ? ORD_UND : (d & DIRTY_DZW) ? ORD_DZW : ORD_NONE;
            m->dirty[q] = 0;
            for (size_t sg = m->pseg[q]; sg < m->pseg[q + 1]; sg++) {   /* live columns (live_ranges) */
                size_t lo = m->pcol[2 * sg], len = m->pcol[2 * sg + 1] - lo, o = q * n + lo;
                m->changed |= orders_check(mode, len, m->sdur[q], m->rtinv, alt, (int64_t)q, m->inv + o, m->M + o,
                                           m->zws + o, m->und + o, m->dzw + o, m->acc_s + o, m->AS + o,
                                           m->rcov + o, m->xa + lo, m->xopt + lo, w->cover + lo, w->cover_p + lo);
            }
            continue;
        }
        void (*kern)(size_t, double, double, int, int64_t, double *, double *, double *,
                     double *, double *, double *, const double *, const double *,
                     const double *, const double *, double *, int64_t *) =
            (d & DIRTY_SL) ? orders_full : (d & DIRTY_UND) ? orders_und
            : (d & DIRTY_DZW) ? orders_dzw : orders_none;
        for (size_t sg = m->pseg[q]; sg < m->pseg[q + 1]; sg++) {   /* live columns (live_ranges) */
            size_t lo = m->pcol[2 * sg], len = m->pcol[2 * sg + 1] - lo, o = q * n + lo;
            kern(len, m->sdur[q], m->rtinv, alt, (int64_t)q, m->inv + o, m->M + o, m->zws + o,
                 m->und + o, m->dzw + o, m->acc_s + o, m->AS + o, m->rcov + o, m->xa + lo, m->xopt + lo,
                 w->cover + lo, w->cover_p + lo);
        }
        m->dirty[q] = 0;
    }
}

/* A worker thread: wait for a step, do its rows, wait, do its products,
 * wait; until the model is freed. */
static void *worker_main(void *arg)
{
    ario_worker *w = arg;
    cp_ario *m = w->m;
    for (;;) {
        pthread_barrier_wait(&m->bar);
        if (m->stop) break;
        phase_rows(w);
        pthread_barrier_wait(&m->bar);
        phase_orders(w);
        pthread_barrier_wait(&m->bar);
    }
    return NULL;
}

/* Split products over nthreads workers with about equal non-zeros, give
 * each its scratch, and start the threads (worker 0 is the caller). */
static int start_workers(cp_ario *m, int nthreads, cp_error *err)
{
    size_t n = m->n, np = m->np;
    if (nthreads < 1) nthreads = 1;
    if ((size_t)nthreads > np) nthreads = (int)np;
    m->wk = calloc((size_t)nthreads, sizeof *m->wk);
    if (!m->wk) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    m->nthreads = nthreads;
    /* work per product: its rows' non-zeros plus the product's n orders */
    double total = 0;
    double *work = zalloc(np, sizeof *work);
    if (!work) return cp_error_set(err, CP_ENOMEM, "ario: out of memory");
    for (size_t i = 0; i < n; i++) {
        double nz = m->sparse ? (double)(m->rp[m->pos[i] + 1] - m->rp[m->pos[i]]) : (double)n;
        work[m->pof[i]] += nz;
    }
    for (size_t q = 0; q < np; q++) { work[q] += (double)n; total += work[q]; }
    size_t q = 0, k = 0;
    double acc = 0;
    for (int w = 0; w < nthreads; w++) {
        ario_worker *wk = &m->wk[w];
        wk->m = m;
        wk->q0 = q;
        double target = total * (double)(w + 1) / nthreads;
        while (q < np && (acc + work[q] <= target || q == wk->q0 || w == nthreads - 1)) acc += work[q++];
        if (np - q < (size_t)(nthreads - 1 - w)) { /* leave one product per later worker */
            while (q > wk->q0 + 1 && np - q < (size_t)(nthreads - 1 - w)) acc -= work[--q];
        }
        wk->q1 = q;
        wk->k0 = k;
        while (k < n && m->pof[m->order[k]] < q) k++;
        wk->k1 = k;
        wk->dt = zalloc(np + 2, sizeof(double));
        wk->rt = zalloc(np + 2, sizeof(double));
        wk->cover = w ? zalloc(n, sizeof(double)) : m->cover;
        wk->cover_p = w ? zalloc(n, sizeof(int64_t)) : m->cover_p;
        if (!wk->dt || !wk->rt || !wk->cover || !wk->cover_p) { free(work); return cp_error_set(err, CP_ENOMEM, "ario: out of memory"); }
    }
    free(work);
    if (nthreads == 1) return 0;
    if (pthread_barrier_init(&m->bar, NULL, (unsigned)nthreads))
        return cp_error_set(err, CP_ENOMEM, "ario: cannot create a thread barrier");
    m->bar_ok = 1;
    for (int w = 1; w < nthreads; w++)
        if (pthread_create(&m->wk[w].th, NULL, worker_main, &m->wk[w])) {
            /* run with the threads started so far: shrink is not possible
             * with a fixed barrier, so fail cleanly */
            m->nthreads = w;
            m->stop = 1;
            return cp_error_set(err, CP_ENOMEM, "ario: cannot start thread %d; hint: set threads: 1", w);
        }
    m->started = 1;
    return 0;
}

/* Before the orders pass of a step that may be a fixed point: is it a
 * candidate (alpha, production and supplier weights as before the step)?
 * If so, keep the cover it will recompute and have the orders pass
 * report any changed bit of the other state. */
static void fixed_candidate(cp_ario *m, int alt)
{
    size_t n = m->n;
    m->check = 0;
    if (memcmp(m->alpha, m->alpha_prev, n * sizeof(double)) || memcmp(m->xa, m->xprev, n * sizeof(double)) ||
        (alt && memcmp(m->wnew, m->w, n * sizeof(double))))
        return;
    for (size_t q = 0; q < m->np; q++)
        if (m->dirty[q] & DIRTY_SL) return;   /* general rows: not with detection */
    memcpy(m->cover_prev, m->cover, n * sizeof(double));
    memcpy(m->cover_p_prev, m->cover_p, n * sizeof(int64_t));
    m->changed = 0;
    m->check = 1;
}

/* One step: shocks, the pass over Z (demand, production, rationing,
 * deliveries), inventories, orders for the next step, final demand
 * unmet.  Allocates nothing.
 *
 * Exact fixed-point skip (one thread, no flow caps, final-demand changes
 * or rationing tiers): a step is a function of the state and the step's
 * inputs (capacity losses and caps).  When the previous step left every
 * bit of the state as it found it, and this step's inputs are bit for
 * bit the previous step's, this step would compute the same state and
 * the same outputs again, so it is skipped.  Whether a step was such a
 * fixed point is checked only when it is a candidate (fixed_candidate),
 * by the orders pass itself. */
int cp_ario_step(cp_ario *m, cp_error *err)
{
    (void)err;
    size_t n = m->n, nfd = m->nfd;
    long t = (long)m->tdone;
    if (t == 0 && m->p.rationing != CP_ARIO_RATION_PRIORITY) setup_simple_tiers(m);
    int same = shocks_at(m, t);
    if (t == 0) m->pk_on = m->pk && ario_pack_usable(m);
    if (m->pk_on) {   /* single-supplier table: the packed engine (ario_pack.c) */
        ario_pack_step1(m, same);
        m->tdone++;
        return 0;
    }
    int detect = m->nthreads == 1 && m->ntier == 1 && !m->ncaprows && !m->fd_dynamic;
    if (t > 0 && detect && same && m->fixed) {
        m->skipped++;
        m->tdone++;
        return 0;
    }
    m->fixed = 0;
    if (t == 0) compute_cover(m);
    int alt = m->p.order_type == CP_ARIO_ORDER_ALT;
    if (detect) memcpy(m->alpha_prev, m->alpha, n * sizeof(double));
    if (m->nthreads > 1) pthread_barrier_wait(&m->bar);   /* workers: go */
    phase_rows(&m->wk[0]);
    if (detect && t > 0) fixed_candidate(m, alt);
    if (m->nthreads > 1) pthread_barrier_wait(&m->bar);   /* all rows done */
    phase_orders(&m->wk[0]);
    if (m->check) {
        m->fixed = !m->changed && !memcmp(m->cover, m->cover_prev, n * sizeof(double)) &&
                   !memcmp(m->cover_p, m->cover_p_prev, n * sizeof(int64_t));
        m->check = 0;
    }
    if (m->nthreads > 1) {
        pthread_barrier_wait(&m->bar);                     /* all products done */
        /* merge the workers' covers in product order: ties keep the lower
         * product, exactly as one thread would */
        for (int w = 1; w < m->nthreads; w++) {
            const double *c = m->wk[w].cover;
            const int64_t *cp = m->wk[w].cover_p;
            for (size_t f = 0; f < n; f++)
                if (c[f] < m->cover[f]) { m->cover[f] = c[f]; m->cover_p[f] = cp[f]; }
        }
    }
    if (alt) memcpy(m->w, m->wnew, n * sizeof(double));
    memcpy(m->xprev, m->xa, n * sizeof(double));
    /* final demand unmet, by supplying industry and by column */
    for (size_t k = 0; k < nfd; k++) m->fdun_cols[k] = 0;
    for (size_t i = 0; i < n; i++) {
        double rf = m->rfd[i];
        long r = m->caprow[i];
        m->fdun[i] = m->ywant[i] - m->yd[i] * rf;
        if (m->fdun[i] > 0 && m->fdun[i] > 1e-9 * m->ywant[i]) m->any_shortage = 1;
        const double *y = m->Y + i * nfd;
        if (!m->fd_dynamic) {
            if (rf < 1)
                for (size_t k = 0; k < nfd; k++)
                    if (y[k] > 0) m->fdun_cols[k] += y[k] * (1 - rf);
        } else {
            for (size_t k = 0; k < nfd; k++) {
                double yy = y[k] * (m->fdfac ? m->fdfac[i * nfd + k] : 1.0);
                if (!(yy > 0)) continue;
                double c = r >= 0 ? m->capfd[(size_t)r * nfd + k] : INFINITY;
                double acc = c < 1 ? c * yy : yy;
                m->fdun_cols[k] += yy - acc * rf;
            }
        }
    }
    m->tdone++;
    return 0;
}
