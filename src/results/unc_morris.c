/*
 * unc_morris.c — Morris (1991) elementary effects for cheap screening.
 *
 * Each of r trajectories starts at a random point of a p-level grid in
 * probability space {0, 1/(p-1), ..., 1} and moves one parameter at a time,
 * in random order, by +delta or -delta with delta = p / (2 (p - 1)).  The
 * elementary effect of parameter i is (f(after) - f(before)) / (±delta),
 * in output units per unit of probability.  Reported: mu (mean), mu*
 * (mean of |EE|, Campolongo, Cariboni & Saltelli 2007) and sigma (sample
 * sd).  Trajectory t uses its own stream (cp_unc_stream_seed(seed, t)).
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

/* Build r trajectories of d + 1 points. */
int cp_unc_morris_init(cp_unc_morris *m, const cp_unc_dist *dist, size_t d, size_t r,
                       int levels, uint64_t seed, cp_error *err)
{
    memset(m, 0, sizeof *m);
    if (d == 0 || r < 2)
        return cp_error_set(err, CP_EINPUT, "morris: %zu parameters, %zu trajectories; hint: r >= 2", d, r);
    if (levels < 2 || levels % 2 || levels > 1000)
        return cp_error_set(err, CP_EINPUT, "morris: %d levels; hint: an even number such as 4", levels);
    for (size_t j = 0; j < d; j++) {
        if (!dist[j].checked)
            return cp_error_set(err, CP_EUSAGE, "parameter '%s' was not checked", dist[j].name);
        if (!isfinite(dist[j].min) || !isfinite(dist[j].max))
            return cp_error_set(err, CP_EINPUT,
                                "morris: parameter '%s' is unbounded; hint: give it min and max "
                                "(the grid's ends are the support's ends)", dist[j].name);
    }
    m->r = r; m->d = d; m->rows = r * (d + 1); m->levels = levels;
    m->delta = (double)levels / (2.0 * (double)(levels - 1));
    m->U = malloc(m->rows * d * sizeof *m->U);
    m->X = malloc(m->rows * d * sizeof *m->X);
    m->factor = malloc(r * d * sizeof *m->factor);
    size_t *perm = malloc(d * sizeof *perm);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!m->U || !m->X || !m->factor || !perm || !g) {
        free(perm);
        if (g) gsl_rng_free(g);
        cp_unc_morris_free(m);
        return cp_error_set(err, CP_ENOMEM, "morris: out of memory for %zu trajectories", r);
    }
    unsigned long half = (unsigned long)levels / 2;
    for (size_t t = 0; t < r; t++) {
        gsl_rng_set(g, cp_unc_stream_seed(seed, t));
        double *u0 = m->U + t * (d + 1) * d;
        /* per parameter a pair of levels {l, l + p/2}, l in 0..p/2-1, and
         * which end the trajectory starts from; tmp holds the other end */
        double *other = m->X + t * (d + 1) * d;   /* scratch: X is filled below */
        for (size_t i = 0; i < d; i++) {
            unsigned long l = gsl_rng_uniform_int(g, half);
            double lo = (double)l / (double)(levels - 1);
            double hi = (double)(l + half) / (double)(levels - 1);
            int up = gsl_rng_uniform_int(g, 2) == 0;
            u0[i] = up ? lo : hi;
            other[i] = up ? hi : lo;
        }
        for (size_t i = 0; i < d; i++) perm[i] = i;
        for (size_t i = d - 1; i > 0; i--) {   /* Fisher–Yates */
            size_t k = (size_t)gsl_rng_uniform_int(g, (unsigned long)(i + 1));
            size_t tmp = perm[i]; perm[i] = perm[k]; perm[k] = tmp;
        }
        for (size_t s = 0; s < d; s++) {
            double *prev = u0 + s * d, *next = prev + d;
            size_t i = perm[s];
            double to = other[i];
            for (size_t k = 0; k < d; k++) next[k] = prev[k];
            next[i] = to;
            m->factor[t * d + s] = (int)i;
        }
    }
    for (size_t k = 0; k < m->rows; k++)
        for (size_t i = 0; i < d; i++) m->X[k * d + i] = cp_unc_dist_quantile(&dist[i], m->U[k * d + i]);
    free(perm);
    gsl_rng_free(g);
    return 0;
}

/* Release the design. */
void cp_unc_morris_free(cp_unc_morris *m)
{
    if (!m) return;
    free(m->U); free(m->X); free(m->factor);
    memset(m, 0, sizeof *m);
}

/* Elementary effects along the trajectories, then mu, mu*, sigma. */
int cp_unc_morris_effects(const cp_unc_morris *m, const double *y, double *mu, double *mu_star,
                          double *sigma, cp_error *err)
{
    size_t d = m->d;
    for (size_t i = 0; i < d; i++) { mu[i] = 0; mu_star[i] = 0; if (sigma) sigma[i] = 0; }
    double *sum2 = calloc(d, sizeof *sum2);
    if (!sum2) return cp_error_set(err, CP_ENOMEM, "morris: out of memory");
    for (size_t t = 0; t < m->r; t++) {
        for (size_t s = 0; s < d; s++) {
            size_t row = t * (d + 1) + s;
            size_t i = (size_t)m->factor[t * d + s];
            double du = m->U[(row + 1) * d + i] - m->U[row * d + i];
            double y0 = y[row], y1 = y[row + 1];
            if (!isfinite(y0) || !isfinite(y1)) {
                free(sum2);
                return cp_error_set(err, CP_EINPUT, "morris: output of design row %zu is not finite",
                                    isfinite(y0) ? row + 1 : row);
            }
            double ee = (y1 - y0) / du;
            mu[i] += ee;
            mu_star[i] += fabs(ee);
            sum2[i] += ee * ee;
        }
    }
    double r = (double)m->r;
    for (size_t i = 0; i < d; i++) {
        mu[i] /= r;
        mu_star[i] /= r;
        if (sigma) {
            double v = (sum2[i] - r * mu[i] * mu[i]) / (r - 1.0);
            sigma[i] = v > 0 ? sqrt(v) : 0.0;
        }
    }
    free(sum2);
    return 0;
}

/* Bootstrap over trajectories: |EE| per (trajectory, parameter) once,
 * then nboot resamples (resample b from its own stream) of their means. */
int cp_unc_morris_ci(const cp_unc_morris *m, const double *y, size_t nboot, double conf,
                     uint64_t seed, double *lo, double *hi, cp_error *err)
{
    size_t d = m->d, r = m->r;
    if (!(conf > 0 && conf < 1) || nboot < 2)
        return cp_error_set(err, CP_EINPUT,
                            "morris: confidence %g with %zu resamples; hint: e.g. 0.95 and 1000",
                            conf, nboot);
    double *ae = malloc(r * d * sizeof *ae), *bs = malloc(nboot * d * sizeof *bs);
    double *col = malloc(nboot * sizeof *col);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = 0;
    if (!ae || !bs || !col || !g) {
        rc = cp_error_set(err, CP_ENOMEM, "morris: out of memory for %zu resamples", nboot);
        goto done;
    }
    for (size_t t = 0; t < r && !rc; t++)
        for (size_t s = 0; s < d; s++) {
            size_t row = t * (d + 1) + s, i = (size_t)m->factor[t * d + s];
            if (!isfinite(y[row]) || !isfinite(y[row + 1])) {
                rc = cp_error_set(err, CP_EINPUT, "morris: output of design row %zu is not finite",
                                  isfinite(y[row]) ? row + 1 : row);
                break;
            }
            ae[t * d + i] = fabs((y[row + 1] - y[row]) / (m->U[(row + 1) * d + i] - m->U[row * d + i]));
        }
    uint64_t bseed = seed ^ 0x424F4F5453545250ULL;
    for (size_t b = 0; b < nboot && !rc; b++) {
        gsl_rng_set(g, cp_unc_stream_seed(bseed, b));
        double *o = bs + b * d;
        for (size_t i = 0; i < d; i++) o[i] = 0.0;
        for (size_t k = 0; k < r; k++) {
            size_t t = (size_t)gsl_rng_uniform_int(g, (unsigned long)r);
            for (size_t i = 0; i < d; i++) o[i] += ae[t * d + i];
        }
        for (size_t i = 0; i < d; i++) o[i] /= (double)r;
    }
    double pct[2] = { 50.0 * (1.0 - conf), 50.0 * (1.0 + conf) }, q[2];
    for (size_t i = 0; i < d && !rc; i++) {
        for (size_t b = 0; b < nboot; b++) col[b] = bs[b * d + i];
        rc = cp_unc_percentiles(col, nboot, pct, 2, q, err);
        if (!rc) { lo[i] = q[0]; hi[i] = q[1]; }
    }
done:
    free(ae); free(bs); free(col);
    if (g) gsl_rng_free(g);
    return rc;
}
