/*
 * unc_tornado.c — one-at-a-time (local) sensitivity: each parameter at a
 * low and a high quantile while the others stay at their central values,
 * bars sorted by the swing of the output.  Cheap (2d + 1 runs) and easy to
 * read, but blind to interactions: docs/uncertainty.md says when to prefer
 * the Sobol indices.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>

/* Rows: central, then (low, high) for each parameter. */
int cp_unc_tornado_design(const cp_unc_dist *dist, size_t d, double p_lo, double p_hi,
                          double *X, cp_error *err)
{
    if (!(p_lo >= 0 && p_lo < p_hi && p_hi <= 1))
        return cp_error_set(err, CP_EINPUT,
                            "tornado: quantiles %g and %g; hint: 0 <= low < high <= 1, e.g. 0.05 and 0.95",
                            p_lo, p_hi);
    for (size_t i = 0; i < d; i++) {
        if (!dist[i].checked)
            return cp_error_set(err, CP_EUSAGE, "parameter '%s' was not checked", dist[i].name);
        double lo = cp_unc_dist_quantile(&dist[i], p_lo), hi = cp_unc_dist_quantile(&dist[i], p_hi);
        if (!isfinite(lo) || !isfinite(hi))
            return cp_error_set(err, CP_EINPUT,
                                "tornado: parameter '%s' has no finite %s quantile; hint: use 0 < low, high < 1 "
                                "or bound the distribution", dist[i].name, isfinite(lo) ? "high" : "low");
    }
    for (size_t k = 0; k < 2 * d + 1; k++)
        for (size_t i = 0; i < d; i++) X[k * d + i] = cp_unc_dist_central(&dist[i]);
    for (size_t i = 0; i < d; i++) {
        X[(1 + 2 * i) * d + i] = cp_unc_dist_quantile(&dist[i], p_lo);
        X[(2 + 2 * i) * d + i] = cp_unc_dist_quantile(&dist[i], p_hi);
    }
    return 0;
}

/* qsort comparator: swing descending, then parameter index ascending. */
static int cmp_bar(const void *a, const void *b)
{
    const cp_unc_tornado_bar *x = a, *y = b;
    if (x->swing > y->swing) return -1;
    if (x->swing < y->swing) return 1;
    return x->param < y->param ? -1 : x->param > y->param;
}

/* Bars from the outputs of the design rows. */
int cp_unc_tornado_bars(const double *X, size_t d, const double *y, cp_unc_tornado_bar *bars,
                        double *y_central, cp_error *err)
{
    for (size_t k = 0; k < 2 * d + 1; k++)
        if (!isfinite(y[k]))
            return cp_error_set(err, CP_EINPUT, "tornado: output of design row %zu is not finite", k);
    for (size_t i = 0; i < d; i++) {
        bars[i].param = i;
        bars[i].x_lo = X[(1 + 2 * i) * d + i];
        bars[i].x_hi = X[(2 + 2 * i) * d + i];
        bars[i].y_lo = y[1 + 2 * i];
        bars[i].y_hi = y[2 + 2 * i];
        bars[i].swing = fabs(bars[i].y_hi - bars[i].y_lo);
    }
    qsort(bars, d, sizeof *bars, cmp_bar);
    if (y_central) *y_central = y[0];
    return 0;
}
