/*
 * unc_morris.c — Morris (1991) elementary effects for cheap screening.
 *
 * Each of r trajectories starts at a random point of a p-level grid in
 * probability space {0, 1/(p-1), ..., 1} and moves one parameter at a time,
 * in random order, by +delta or -delta with delta = p / (2 (p - 1)).  The
 * elementary effect of parameter i is (f(after) - f(before)) / (±delta),
 * in output units per unit of probability.  Reported: mu (mean), mu*
 * (mean of |EE|, Campolongo, Cariboni & Saltelli 2007) and sigma (sample
 * sd).  Candidate trajectory t uses its own stream (cp_unc_stream_seed(seed,
 * t)).
 *
 * Optimised trajectories (Campolongo, Cariboni & Saltelli 2007): M
 * candidates are drawn and r of them kept so that the spread
 * D = sqrt(sum over kept pairs (m, l) of d_ml^2) is large, with
 * d_ml = sum over the points i of m and j of l of the Euclidean distance
 * |X_i^(m) - X_j^(l)| (probability units).  Selection: the iterative
 * elimination of Ruano, Ribes, Seco & Ferrer (2012) ("modified optimised
 * trajectories"): M - r steps, each dropping the trajectory whose removal
 * leaves the largest D among those still kept.  Since D^2 is a sum over
 * pairs, that is the trajectory with the smallest sum of d^2 to the others
 * kept (ties: the lowest candidate index), so a step costs O(M) once the
 * M (M - 1) / 2 distances are known.  Distances are computed in integer
 * grid levels, exactly: along a trajectory only one coordinate changes per
 * point, so the (d + 1)^2 squared point distances of a pair follow one from
 * another in O(1) each.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

/* Largest number of candidate trajectories: the pairwise distances take
 * M (M - 1) / 2 doubles (100 MB at 5000). */
#define MORRIS_MAX_CANDIDATES 5000

/* Candidate t in grid levels: start[i] and end[i] are parameter i's levels
 * at the trajectory's first and last point, perm[s] the parameter moved at
 * step s.  Same draws in the same order as the design always used, so
 * candidates 0..r-1 are the unselected design. */
static void morris_candidate(gsl_rng *g, uint64_t seed, size_t t, size_t d, int levels, int *start,
                             int *end, int *perm)
{
    gsl_rng_set(g, cp_unc_stream_seed(seed, t));
    unsigned long half = (unsigned long)levels / 2;
    for (size_t i = 0; i < d; i++) {
        int l = (int)gsl_rng_uniform_int(g, half);
        int up = gsl_rng_uniform_int(g, 2) == 0;
        start[i] = up ? l : l + (int)half;
        end[i] = up ? l + (int)half : l;
    }
    for (size_t i = 0; i < d; i++) perm[i] = (int)i;
    for (size_t i = d - 1; i > 0; i--) {   /* Fisher–Yates */
        size_t k = (size_t)gsl_rng_uniform_int(g, (unsigned long)(i + 1));
        int tmp = perm[i]; perm[i] = perm[k]; perm[k] = tmp;
    }
}

/* Campolongo's distance between candidates a and b, in grid levels: the
 * sum over their (d + 1)^2 point pairs of the Euclidean distance.  cur
 * (scratch [d]) holds a's current point; the squared distance from a's
 * point s to b's point q is updated as b moves (q + 1) and as a moves
 * (s + 1), each a change of one coordinate. */
static double morris_pair_dist(const int *as, const int *ae, const int *ap, const int *bs,
                               const int *be, const int *bp, size_t d, int *cur)
{
    int64_t t0 = 0;   /* |a_s - b_0|^2 */
    for (size_t i = 0; i < d; i++) {
        cur[i] = as[i];
        int64_t e = as[i] - bs[i];
        t0 += e * e;
    }
    double sum = 0;
    for (size_t s = 0; s <= d; s++) {
        if (s > 0) {   /* a moves parameter z from its start to its end */
            size_t z = (size_t)ap[s - 1];
            int64_t o = cur[z] - bs[z], n = ae[z] - bs[z];
            t0 += n * n - o * o;
            cur[z] = ae[z];
        }
        int64_t t = t0;
        for (size_t q = 0; q <= d; q++) {
            sum += sqrt((double)t);
            if (q < d) {   /* b moves parameter z from its start to its end */
                size_t z = (size_t)bp[q];
                int64_t o = cur[z] - bs[z], n = cur[z] - be[z];
                t += n * n - o * o;
            }
        }
    }
    return sum;
}

/* Keep r of the M candidates by Ruano et al.'s elimination (see the top);
 * keep[t] is set to 1 for the kept ones.  Returns Campolongo's spread D of
 * the kept set in probability units, or -1 when out of memory. */
static double morris_select(const int *start, const int *end, const int *perm, size_t M, size_t r,
                            size_t d, int levels, unsigned char *keep)
{
    size_t np = M * (M - 1) / 2;
    double *d2 = malloc(np * sizeof *d2), *row = calloc(M, sizeof *row);
    int *cur = malloc(d * sizeof *cur);
    if (!d2 || !row || !cur) { free(d2); free(row); free(cur); return -1; }
    double scale = 1.0 / (double)(levels - 1);
    /* d2[b (b - 1) / 2 + a] = d_ab^2 for a < b */
    for (size_t b = 1; b < M; b++)
        for (size_t a = 0; a < b; a++) {
            double dist = scale * morris_pair_dist(start + a * d, end + a * d, perm + a * d,
                                                   start + b * d, end + b * d, perm + b * d, d, cur);
            double v = dist * dist;
            d2[b * (b - 1) / 2 + a] = v;
            row[a] += v;
            row[b] += v;
        }
    for (size_t t = 0; t < M; t++) keep[t] = 1;
    for (size_t step = 0; step < M - r; step++) {
        size_t u = M;
        for (size_t t = 0; t < M; t++)
            if (keep[t] && (u == M || row[t] < row[u])) u = t;
        keep[u] = 0;
        for (size_t t = 0; t < M; t++)
            if (keep[t]) row[t] -= u < t ? d2[t * (t - 1) / 2 + u] : d2[u * (u - 1) / 2 + t];
    }
    double D2 = 0;   /* summed afresh, not from the running row sums */
    for (size_t b = 1; b < M; b++)
        if (keep[b])
            for (size_t a = 0; a < b; a++)
                if (keep[a]) D2 += d2[b * (b - 1) / 2 + a];
    free(d2); free(row); free(cur);
    return sqrt(D2);
}

/* Build the design: M = candidates trajectories of d + 1 points (0: M =
 * r), of which the r with the largest spread are kept when M > r. */
int cp_unc_morris_init(cp_unc_morris *m, const cp_unc_dist *dist, size_t d, size_t r,
                       size_t candidates, int levels, uint64_t seed, cp_error *err)
{
    memset(m, 0, sizeof *m);
    if (d == 0 || r < 2)
        return cp_error_set(err, CP_EINPUT, "morris: %zu parameters, %zu trajectories; hint: r >= 2", d, r);
    if (levels < 2 || levels % 2 || levels > 1000)
        return cp_error_set(err, CP_EINPUT, "morris: %d levels; hint: an even number such as 4", levels);
    size_t M = candidates ? candidates : r;
    if (M < r || M > MORRIS_MAX_CANDIDATES)
        return cp_error_set(err, CP_EINPUT,
                            "morris: %zu candidate trajectories for %zu kept; hint: %zu (no selection) "
                            "to %d, e.g. 10 r", M, r, r, MORRIS_MAX_CANDIDATES);
    for (size_t j = 0; j < d; j++) {
        if (!dist[j].checked)
            return cp_error_set(err, CP_EUSAGE, "parameter '%s' was not checked", dist[j].name);
        if (!isfinite(dist[j].min) || !isfinite(dist[j].max))
            return cp_error_set(err, CP_EINPUT,
                                "morris: parameter '%s' is unbounded; hint: give it min and max "
                                "(the grid's ends are the support's ends)", dist[j].name);
    }
    m->r = r; m->d = d; m->rows = r * (d + 1); m->levels = levels; m->candidates = M;
    m->delta = (double)levels / (2.0 * (double)(levels - 1));
    m->spread = NAN;
    m->U = malloc(m->rows * d * sizeof *m->U);
    m->X = malloc(m->rows * d * sizeof *m->X);
    m->factor = malloc(r * d * sizeof *m->factor);
    int *lv = malloc(3 * M * d * sizeof *lv);
    unsigned char *keep = malloc(M);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!m->U || !m->X || !m->factor || !lv || !keep || !g) {
        free(lv); free(keep);
        if (g) gsl_rng_free(g);
        cp_unc_morris_free(m);
        return cp_error_set(err, CP_ENOMEM, "morris: out of memory for %zu trajectories", M);
    }
    int *start = lv, *end = lv + M * d, *perm = lv + 2 * M * d;
    for (size_t t = 0; t < M; t++)
        morris_candidate(g, seed, t, d, levels, start + t * d, end + t * d, perm + t * d);
    gsl_rng_free(g);
    if (M > r) {
        m->spread = morris_select(start, end, perm, M, r, d, levels, keep);
        if (m->spread < 0) {
            free(lv); free(keep);
            cp_unc_morris_free(m);
            return cp_error_set(err, CP_ENOMEM, "morris: out of memory for the distances of %zu "
                                "candidates; hint: fewer candidates", M);
        }
    } else
        memset(keep, 1, M);
    double scale = 1.0 / (double)(levels - 1);
    size_t t = 0;
    for (size_t c = 0; c < M; c++) {
        if (!keep[c]) continue;
        double *u = m->U + t * (d + 1) * d;
        for (size_t i = 0; i < d; i++) u[i] = scale * start[c * d + i];
        for (size_t s = 0; s < d; s++) {
            double *next = u + (s + 1) * d;
            size_t i = (size_t)perm[c * d + s];
            memcpy(next, next - d, d * sizeof *next);
            next[i] = scale * end[c * d + i];
            m->factor[t * d + s] = (int)i;
        }
        t++;
    }
    for (size_t k = 0; k < m->rows; k++)
        for (size_t i = 0; i < d; i++) m->X[k * d + i] = cp_unc_dist_quantile(&dist[i], m->U[k * d + i]);
    free(lv); free(keep);
    return 0;
}

/* Campolongo's spread of the design as built, straight from U (every pair
 * of points, O(r^2 d^3)): for tests and small designs; init's own figure
 * comes from the incremental integer distances. */
double cp_unc_morris_spread(const cp_unc_morris *m)
{
    size_t d = m->d, n = d + 1;
    double D2 = 0;
    for (size_t a = 0; a < m->r; a++)
        for (size_t b = a + 1; b < m->r; b++) {
            double dab = 0;
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    const double *x = m->U + (a * n + i) * d, *z = m->U + (b * n + j) * d;
                    double s = 0;
                    for (size_t k = 0; k < d; k++) s += (x[k] - z[k]) * (x[k] - z[k]);
                    dab += sqrt(s);
                }
            D2 += dab * dab;
        }
    return sqrt(D2);
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
