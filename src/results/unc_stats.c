/*
 * unc_stats.c — what a Monte Carlo run reports: percentiles of a headline
 * figure, percentiles of every series over time, and the running mean with
 * its standard error to judge convergence.  Percentiles are order
 * statistics interpolated linearly (Hyndman & Fan 1996, type 7), found by
 * selection rather than sorting, so fan charts for thousands of series stay
 * cheap; the result depends only on the multiset of values, never on the
 * order of the draws.
 *
 * The order statistics come from a radix selection on the doubles' bits
 * (rank_select: a few linear passes, no comparisons that mispredict), about
 * six times faster than Wirth's selection on 10,000 draws; series are read
 * in blocks of columns (so a draws x outputs matrix is transposed once, a
 * cache line at a time) and split over threads by column, each column on
 * its own, so the result is the same bits for any number of threads.  A
 * column holding -0.0 goes through Wirth's selection, which decides by
 * comparison alone which of the equal zeros it reports, as it always did.
 */
#include "chokepoint.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Put the k-th smallest of a[0..n-1] at a[k], smaller ones before it and
 * larger ones after (Wirth's selection, Algorithms + Data Structures, 1976). */
static void select_kth(double *a, size_t n, size_t k)
{
    ptrdiff_t l = 0, r = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < r) {
        double x = a[kk];
        ptrdiff_t i = l, j = r;
        do {
            while (a[i] < x) i++;
            while (x < a[j]) j--;
            if (i <= j) {
                double t = a[i]; a[i] = a[j]; a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk) l = i;
        if (kk < i) r = j;
    }
}

/* Sort order of the requested percentiles (insertion sort, few of them). */
static void order_of(const double *pct, size_t npct, size_t *idx)
{
    for (size_t j = 0; j < npct; j++) idx[j] = j;
    for (size_t j = 1; j < npct; j++) {
        size_t t = idx[j], m = j;
        while (m > 0 && pct[idx[m - 1]] > pct[t]) { idx[m] = idx[m - 1]; m--; }
        idx[m] = t;
    }
}

/* Percentiles of a (n values, reordered in place) at pct (sorted via idx),
 * working left to right so each selection only scans what is left. */
static void percentiles_inplace(double *a, size_t n, const double *pct, const size_t *idx,
                                size_t npct, double *out, size_t ostride)
{
    size_t base = 0;   /* a[0..base-1] are known to be <= everything after */
    for (size_t q = 0; q < npct; q++) {
        size_t j = idx[q];
        double h = (double)(n - 1) * pct[j] / 100.0;
        size_t k = (size_t)floor(h);
        if (k >= n - 1) k = n - 1;
        double frac = h - (double)k;
        if (k < base) k = base;  /* cannot happen for sorted pct; kept for safety */
        select_kth(a + base, n - base, k - base);
        double lo = a[k], v = lo;
        if (frac > 0 && k + 1 < n) {
            double hi = a[k + 1];
            for (size_t m = k + 2; m < n; m++)
                if (a[m] < hi) hi = a[m];
            v = lo + frac * (hi - lo);
        }
        out[j * ostride] = v;
        base = k;
    }
}

/* Validate the percentile list. */
static int check_pct(const double *pct, size_t npct, cp_error *err)
{
    if (npct == 0 || npct > 1000)
        return cp_error_set(err, CP_EINPUT, "percentiles: %zu requested; hint: give 1 to 1000", npct);
    for (size_t j = 0; j < npct; j++)
        if (!(pct[j] >= 0.0 && pct[j] <= 100.0))
            return cp_error_set(err, CP_EINPUT,
                                "percentiles: %g is outside [0, 100]; hint: write 5, not 0.05", pct[j]);
    return 0;
}

/* The bits of a double as a key that sorts as the double does (negative
 * numbers' bits flipped, positive ones' sign bit set); -0.0 sorts before
 * +0.0. */
static inline uint64_t key_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : (b | 0x8000000000000000ull);
}

/* The double of a key (inverse of key_of). */
static inline double val_of(uint64_t k)
{
    uint64_t b = (k >> 63) ? (k & 0x7fffffffffffffffull) : ~k;
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

#define RS_BITS 11                 /* bucket bits per level of rank_select */
#define RS_NB (1u << RS_BITS)
#define RS_SMALL 48                /* at most this many keys: insertion sort */
#define RS_POOL(n) (7 * (n) + RS_SMALL)   /* pool keys rank_select may use */

/* Sort a[0..n-1] ascending (insertion sort, for a few keys). */
static void keys_sort_small(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
        a[j] = x;
    }
}

/* v[q] = the key of rank r[q] - off (0 = smallest) among a[0..n-1], for the
 * nr ranks r[] in ascending order (repeats allowed).  Radix selection:
 * bucket the keys by RS_BITS bits of their offset from the smallest (the
 * bits just below the range's top bit), keep only the keys of the buckets
 * holding a wanted rank, and select within those (each level narrows the
 * range by RS_BITS bits, so at most six levels).  pool: RS_POOL(n) keys of
 * scratch; a is not modified. */
static void rank_select(const uint64_t *a, size_t n, const size_t *r, size_t nr, size_t off,
                        uint64_t *v, uint64_t *pool)
{
    if (n <= RS_SMALL) {
        memcpy(pool, a, n * sizeof *a);
        keys_sort_small(pool, n);
        for (size_t q = 0; q < nr; q++) v[q] = pool[r[q] - off];
        return;
    }
    uint64_t lo = a[0], hi = a[0];
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    if (lo == hi) {
        for (size_t q = 0; q < nr; q++) v[q] = lo;
        return;
    }
    unsigned sh = 0;
    while (((hi - lo) >> sh) >= RS_NB) sh++;
    size_t nb = (size_t)((hi - lo) >> sh) + 1;
    uint32_t first[RS_NB], pos[RS_NB];
    const uint32_t none = UINT32_MAX;
    memset(first, 0, nb * sizeof *first);
    for (size_t i = 0; i < n; i++) first[(a[i] - lo) >> sh]++;
    /* first[b]: rank of bucket b's smallest key; pos[b]: where its keys go
     * in pool when it holds a wanted rank, else none */
    size_t start = 0, used = 0, q = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t c = first[b];
        pos[b] = none;
        if (q < nr && r[q] - off < start + c) {
            pos[b] = (uint32_t)used;
            used += c;
            while (q < nr && r[q] - off < start + c) q++;
        }
        first[b] = (uint32_t)start;
        start += c;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)((a[i] - lo) >> sh);
        if (pos[b] != none) pool[pos[b]++] = a[i];
    }
    q = 0;
    for (size_t b = 0; b < nb && q < nr; b++) {
        if (pos[b] == none) continue;
        size_t f = first[b], c = (b + 1 < nb ? first[b + 1] : n) - f, q0 = q;
        while (q < nr && r[q] - off < f + c) q++;
        rank_select(pool + pos[b] - c, c, r + q0, q - q0, off + f, v + q0, pool + used);
    }
}

/* What the percentiles of n draws need: for percentile j, k[j] and frac[j]
 * of type 7 (h = (n - 1) pct / 100, k = floor(h), frac = h - k), and where
 * the order statistics k and k + 1 sit in the ascending list of wanted
 * ranks. */
typedef struct pct_plan {
    size_t n, npct, nr;
    const double *pct;
    size_t *idx;          /* [npct] percentiles in ascending order */
    size_t *k;            /* [npct] */
    double *frac;         /* [npct] */
    size_t *rank;         /* [nr] wanted ranks, ascending, distinct */
    size_t *at_lo, *at_hi;   /* [npct] positions of k, k + 1 in rank */
} pct_plan;

/* Free a plan. */
static void plan_free(pct_plan *p)
{
    free(p->idx);
    free(p->k);
    free(p->frac);
    free(p->rank);
    free(p->at_lo);
    free(p->at_hi);
}

/* Position of rank x in the ascending list r[0..nr-1] (present). */
static size_t rank_pos(const size_t *r, size_t nr, size_t x)
{
    size_t lo = 0, hi = nr;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid] <= x) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* Build the plan for n >= 1 draws (k and frac exactly as
 * percentiles_inplace computes them); 0, or -1 when out of memory. */
static int plan_init(pct_plan *p, size_t n, const double *pct, size_t npct)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->npct = npct;
    p->pct = pct;
    p->idx = malloc(npct * sizeof *p->idx);
    p->k = malloc(npct * sizeof *p->k);
    p->frac = malloc(npct * sizeof *p->frac);
    p->rank = malloc(2 * npct * sizeof *p->rank);
    p->at_lo = malloc(npct * sizeof *p->at_lo);
    p->at_hi = malloc(npct * sizeof *p->at_hi);
    if (!p->idx || !p->k || !p->frac || !p->rank || !p->at_lo || !p->at_hi) {
        plan_free(p);
        return -1;
    }
    order_of(pct, npct, p->idx);
    size_t nr = 0;
    for (size_t j = 0; j < npct; j++) {
        double h = (double)(n - 1) * pct[j] / 100.0;
        size_t k = (size_t)floor(h);
        if (k >= n - 1) k = n - 1;
        p->k[j] = k;
        p->frac[j] = h - (double)k;
        p->rank[nr++] = k;
        if (k + 1 < n) p->rank[nr++] = k + 1;
    }
    /* sort (insertion: at most 2000) and drop repeats */
    for (size_t i = 1; i < nr; i++) {
        size_t x = p->rank[i], m = i;
        while (m > 0 && p->rank[m - 1] > x) { p->rank[m] = p->rank[m - 1]; m--; }
        p->rank[m] = x;
    }
    size_t u = 0;
    for (size_t i = 0; i < nr; i++)
        if (u == 0 || p->rank[u - 1] != p->rank[i]) p->rank[u++] = p->rank[i];
    p->nr = u;
    for (size_t j = 0; j < npct; j++) {
        p->at_lo[j] = rank_pos(p->rank, u, p->k[j]);
        p->at_hi[j] = p->k[j] + 1 < n ? rank_pos(p->rank, u, p->k[j] + 1) : p->at_lo[j];
    }
    return 0;
}

/* Scratch of one column's percentiles. */
typedef struct col_work {
    uint64_t *key;        /* [n] */
    uint64_t *pool;       /* [RS_POOL(n)] */
    uint64_t *val;        /* [nr] */
    double *copy;         /* [n] for Wirth's selection (columns with -0.0) */
} col_work;

/* Allocate a column's scratch; 0 or -1. */
static int work_init(col_work *w, const pct_plan *p)
{
    w->key = malloc(p->n * sizeof *w->key);
    w->pool = malloc(RS_POOL(p->n) * sizeof *w->pool);
    w->val = malloc((p->nr + 1) * sizeof *w->val);
    w->copy = malloc(p->n * sizeof *w->copy);
    return w->key && w->pool && w->val && w->copy ? 0 : -1;
}

/* Free a column's scratch. */
static void work_free(col_work *w)
{
    free(w->key);
    free(w->pool);
    free(w->val);
    free(w->copy);
}

/* Percentiles of the n values x[0..n-1] into out[j * ostride]: the index
 * of the first NaN (nothing written), else n.  The same bits as
 * percentiles_inplace on the values (which it is, for a column with
 * -0.0, whose zeros only comparison tells apart as it always has). */
static size_t col_percentiles(const double *x, const pct_plan *p, col_work *w, double *out, size_t ostride)
{
    size_t n = p->n;
    int negzero = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) return i;
        uint64_t kk = key_of(x[i]);
        negzero |= kk == 0x7fffffffffffffffull;
        w->key[i] = kk;
    }
    if (negzero) {
        memcpy(w->copy, x, n * sizeof *x);
        percentiles_inplace(w->copy, n, p->pct, p->idx, p->npct, out, ostride);
        return n;
    }
    rank_select(w->key, n, p->rank, p->nr, 0, w->val, w->pool);
    for (size_t j = 0; j < p->npct; j++) {
        double lo = val_of(w->val[p->at_lo[j]]), v = lo;
        if (p->frac[j] > 0 && p->k[j] + 1 < n) {
            double hi = val_of(w->val[p->at_hi[j]]);
            v = lo + p->frac[j] * (hi - lo);
        }
        out[j * ostride] = v;
    }
    return n;
}

/* Percentiles of x[0..n-1] (type 7); NaN values are refused. */
int cp_unc_percentiles(const double *x, size_t n, const double *pct, size_t npct, double *out,
                       cp_error *err)
{
    int rc = check_pct(pct, npct, err);
    if (rc) return rc;
    if (n == 0) return cp_error_set(err, CP_EINPUT, "percentiles of no draws");
    for (size_t k = 0; k < n; k++)
        if (isnan(x[k]))
            return cp_error_set(err, CP_EINPUT,
                                "percentiles: draw %zu is NaN; hint: a model run failed for that draw", k);
    pct_plan p;
    col_work w = {0};
    if (plan_init(&p, n, pct, npct)) return cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", n);
    if (work_init(&w, &p)) rc = cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", n);
    else col_percentiles(x, &p, &w, out, 1);
    work_free(&w);
    plan_free(&p);
    return rc;
}

#define SERIES_BLOCK 16   /* columns gathered together (16 doubles: two cache lines a row) */

/* One thread's share of a series: steps c0..c1-1. */
typedef struct series_job {
    const double *Y;
    size_t ld, nsteps, c0, c1;
    const pct_plan *p;
    double *out, *mean, *se;   /* mean, se: NULL or [nsteps] */
    size_t bad_t, bad_r;   /* first NaN (bad_t < c1), else bad_t = SIZE_MAX */
    int nomem;
} series_job;

/* Statistics of steps c0..c1-1: gather SERIES_BLOCK columns at a time
 * (rows read in order), then each column on its own; stops at the first
 * NaN.  The means and standard errors are summed in draw order for each
 * column (two passes: the sum, then the squared deviations from the
 * mean), the block's columns side by side so their sums do not wait on
 * each other. */
static void *series_run(void *arg)
{
    series_job *J = arg;
    size_t n = J->p->n, ld = J->ld;
    J->bad_t = SIZE_MAX;
    col_work w = {0};
    double *buf = malloc(SERIES_BLOCK * n * sizeof *buf);
    if (!buf || work_init(&w, J->p)) {
        J->nomem = 1;
        goto done;
    }
    for (size_t c = J->c0; c < J->c1; c += SERIES_BLOCK) {
        size_t nc = J->c1 - c < SERIES_BLOCK ? J->c1 - c : SERIES_BLOCK;
        double sum[SERIES_BLOCK] = {0}, dev[SERIES_BLOCK] = {0};
        for (size_t r = 0; r < n; r++) {
            const double *y = J->Y + r * ld + c;
            for (size_t b = 0; b < nc; b++) buf[b * n + r] = y[b];
        }
        if (J->mean) {
            for (size_t r = 0; r < n; r++)
                for (size_t b = 0; b < nc; b++) sum[b] += buf[b * n + r];
            for (size_t b = 0; b < nc; b++) sum[b] /= (double)n;
            for (size_t r = 0; r < n; r++)
                for (size_t b = 0; b < nc; b++) {
                    double e = buf[b * n + r] - sum[b];
                    dev[b] += e * e;
                }
            for (size_t b = 0; b < nc; b++) {
                J->mean[c + b] = sum[b];
                J->se[c + b] = n > 1 ? sqrt(dev[b] / (double)(n - 1) / (double)n) : NAN;
            }
        }
        for (size_t b = 0; b < nc; b++) {
            size_t bad = col_percentiles(buf + b * n, J->p, &w, J->out + c + b, J->nsteps);
            if (bad < n) {
                J->bad_t = c + b;
                J->bad_r = bad;
                goto done;
            }
        }
    }
done:
    free(buf);
    work_free(&w);
    return NULL;
}

/* Percentiles, and mean and standard error when asked, at each step of a
 * series, on up to nthreads threads (each step's column on one thread:
 * the same bits for any nthreads). */
int cp_unc_series_stats(const double *Y, size_t ndraws, size_t nsteps, size_t ld, const double *pct,
                        size_t npct, double *out, double *mean, double *se, size_t nthreads,
                        cp_error *err)
{
    int rc = check_pct(pct, npct, err);
    if (rc) return rc;
    if (ndraws == 0) return cp_error_set(err, CP_EINPUT, "percentiles of no draws");
    if (ld < nsteps)
        return cp_error_set(err, CP_EUSAGE, "percentiles: row stride %zu < %zu steps", ld, nsteps);
    if (nsteps == 0) return 0;
    pct_plan p;
    if (plan_init(&p, ndraws, pct, npct))
        return cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", ndraws);
    size_t nt = nthreads ? nthreads : 1;
    if (nt > 64) nt = 64;
    if (nt > (nsteps + SERIES_BLOCK - 1) / SERIES_BLOCK) nt = (nsteps + SERIES_BLOCK - 1) / SERIES_BLOCK;
    if ((double)ndraws * (double)nsteps < 65536.0) nt = 1;   /* not worth a thread */
    series_job job[64];
    pthread_t th[64];
    int started[64] = {0};
    for (size_t i = 0; i < nt; i++) {
        job[i] = (series_job){.Y = Y, .ld = ld, .nsteps = nsteps, .c0 = nsteps * i / nt,
                              .c1 = nsteps * (i + 1) / nt, .p = &p, .out = out,
                              .mean = mean && se ? mean : NULL, .se = se};
        if (i > 0) started[i] = pthread_create(&th[i], NULL, series_run, &job[i]) == 0;
    }
    series_run(&job[0]);
    for (size_t i = 1; i < nt; i++) {
        if (started[i]) pthread_join(th[i], NULL);
        else series_run(&job[i]);   /* no thread: do its share here */
    }
    for (size_t i = 0; i < nt && !rc; i++) {
        if (job[i].nomem) rc = cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", ndraws);
        else if (job[i].bad_t != SIZE_MAX)
            rc = cp_error_set(err, CP_EINPUT,
                              "percentiles: draw %zu is NaN at step %zu; hint: a model run failed for that draw",
                              job[i].bad_r, job[i].bad_t);
    }
    plan_free(&p);
    return rc;
}

/* Percentiles at each step of a series (one thread). */
int cp_unc_percentiles_series(const double *Y, size_t ndraws, size_t nsteps, size_t ld,
                              const double *pct, size_t npct, double *out, cp_error *err)
{
    return cp_unc_series_stats(Y, ndraws, nsteps, ld, pct, npct, out, NULL, NULL, 1, err);
}

/* Welford's running mean and variance; se[i] = sqrt(var_i / (i + 1)). */
void cp_unc_running(const double *x, size_t n, double *mean, double *se)
{
    double m = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        double delta = x[i] - m;
        m += delta / (double)(i + 1);
        s2 += delta * (x[i] - m);
        if (mean) mean[i] = m;
        if (se) se[i] = i == 0 ? NAN : sqrt(s2 / (double)i / (double)(i + 1));
    }
}
