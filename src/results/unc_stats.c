/*
 * unc_stats.c — what a Monte Carlo run reports: percentiles of a headline
 * figure, percentiles of every series over time, and the running mean with
 * its standard error to judge convergence.  Percentiles are order
 * statistics interpolated linearly (Hyndman & Fan 1996, type 7), found by
 * selection rather than sorting (O(n) per percentile), so fan charts for
 * thousands of series stay cheap; the result depends only on the multiset
 * of values, never on the order of the draws.
 */
#include "chokepoint.h"

#include <math.h>
#include <stddef.h>
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
    double *a = malloc(n * sizeof *a);
    size_t *idx = malloc(npct * sizeof *idx);
    if (!a || !idx) {
        free(a); free(idx);
        return cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", n);
    }
    memcpy(a, x, n * sizeof *a);
    order_of(pct, npct, idx);
    percentiles_inplace(a, n, pct, idx, npct, out, 1);
    free(a); free(idx);
    return 0;
}

/* Percentiles at each step of a series (one buffer reused for every step). */
int cp_unc_percentiles_series(const double *Y, size_t ndraws, size_t nsteps, size_t ld,
                              const double *pct, size_t npct, double *out, cp_error *err)
{
    int rc = check_pct(pct, npct, err);
    if (rc) return rc;
    if (ndraws == 0) return cp_error_set(err, CP_EINPUT, "percentiles of no draws");
    if (ld < nsteps)
        return cp_error_set(err, CP_EUSAGE, "percentiles: row stride %zu < %zu steps", ld, nsteps);
    double *a = malloc(ndraws * sizeof *a);
    size_t *idx = malloc(npct * sizeof *idx);
    if (!a || !idx) {
        free(a); free(idx);
        return cp_error_set(err, CP_ENOMEM, "percentiles: out of memory for %zu draws", ndraws);
    }
    order_of(pct, npct, idx);
    for (size_t t = 0; t < nsteps && !rc; t++) {
        for (size_t r = 0; r < ndraws; r++) {
            a[r] = Y[r * ld + t];
            if (isnan(a[r])) {
                rc = cp_error_set(err, CP_EINPUT,
                                  "percentiles: draw %zu is NaN at step %zu; hint: a model run failed for that draw",
                                  r, t);
                break;
            }
        }
        if (!rc) percentiles_inplace(a, ndraws, pct, idx, npct, out + t, nsteps);
    }
    free(a); free(idx);
    return rc;
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
