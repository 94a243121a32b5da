/*
 * unc_sobol.c — variance-based global sensitivity: Sobol first-order and
 * total indices.
 *
 * Design (Saltelli 2002, 2010): two independent N × d matrices A and B,
 * and for each parameter i the matrix A_B^i (A with column i taken from
 * B); N (d + 2) model runs in all.  Estimators (Saltelli et al. 2010,
 * Table 2, with V = Var f over the 2N rows of A and B):
 *   first order   V_i  = 1/N sum_j f(B)_j (f(A_B^i)_j - f(A)_j)       (b)
 *   total (Jansen 1999)  VT_i = 1/(2N) sum_j (f(A)_j - f(A_B^i)_j)^2  (f)
 *   S_i = V_i / V,  ST_i = VT_i / V.
 * Outputs are centred on their mean first (it does not change the
 * estimands and reduces round-off).  Confidence intervals: percentile
 * bootstrap over the N base rows (each resample recomputes V too).
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

/* Build A, B and the A_B^i blocks as probabilities U and values X. */
int cp_unc_saltelli_init(cp_unc_saltelli *s, const cp_unc_dist *dist, size_t d, size_t N,
                         int quasi, uint64_t seed, cp_error *err)
{
    memset(s, 0, sizeof *s);
    if (d == 0 || N < 2)
        return cp_error_set(err, CP_EINPUT, "sobol: %zu parameters, %zu base samples; hint: N >= 2",
                            d, N);
    if (quasi && 2 * d > 40)
        return cp_error_set(err, CP_EINPUT,
                            "sobol: %zu parameters need a %zu-dimensional Sobol sequence, GSL has 40; "
                            "hint: use the pseudo-random design", d, 2 * d);
    for (size_t j = 0; j < d; j++)
        if (!dist[j].checked)
            return cp_error_set(err, CP_EUSAGE, "parameter '%s' was not checked", dist[j].name);
    s->N = N; s->d = d; s->rows = N * (d + 2);
    s->U = malloc(s->rows * d * sizeof *s->U);
    s->X = malloc(s->rows * d * sizeof *s->X);
    double *pt = malloc(2 * d * sizeof *pt);
    gsl_qrng *q = quasi ? gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * d)) : NULL;
    gsl_rng *r = quasi ? NULL : gsl_rng_alloc(gsl_rng_mt19937);
    if (!s->U || !s->X || !pt || (quasi ? !q : !r)) {
        free(pt);
        if (q) gsl_qrng_free(q);
        if (r) gsl_rng_free(r);
        cp_unc_saltelli_free(s);
        return cp_error_set(err, CP_ENOMEM, "sobol: out of memory for %zu x %zu design", N * (d + 2), d);
    }
    double *A = s->U, *B = s->U + N * d;
    for (size_t j = 0; j < N; j++) {
        if (quasi) {
            gsl_qrng_get(q, pt);   /* GSL's sequence starts at (1/2, ..., 1/2), never 0 */
        } else {
            gsl_rng_set(r, cp_unc_stream_seed(seed, j));
            for (size_t i = 0; i < 2 * d; i++) pt[i] = gsl_rng_uniform_pos(r);
        }
        memcpy(A + j * d, pt, d * sizeof *pt);
        memcpy(B + j * d, pt + d, d * sizeof *pt);
    }
    for (size_t i = 0; i < d; i++) {
        double *ABi = s->U + (2 + i) * N * d;
        memcpy(ABi, A, N * d * sizeof *A);
        for (size_t j = 0; j < N; j++) ABi[j * d + i] = B[j * d + i];
    }
    for (size_t k = 0; k < s->rows; k++)
        for (size_t i = 0; i < d; i++) s->X[k * d + i] = cp_unc_dist_quantile(&dist[i], s->U[k * d + i]);
    free(pt);
    if (q) gsl_qrng_free(q);
    if (r) gsl_rng_free(r);
    return 0;
}

/* Release the design. */
void cp_unc_saltelli_free(cp_unc_saltelli *s)
{
    if (!s) return;
    free(s->U); free(s->X);
    memset(s, 0, sizeof *s);
}

/* Release the indices. */
void cp_unc_sobol_free(cp_unc_sobol *o)
{
    if (!o) return;
    free(o->S1); /* one block holds all six arrays */
    memset(o, 0, sizeof *o);
}

/* Indices from the rows idx[0..N-1] of the base sample (idx NULL = 0..N-1):
 * S1[i], ST[i]; returns V.  yc holds the centred outputs. */
static double estimate(const double *yc, size_t N, size_t d, const size_t *idx, double *S1,
                       double *ST)
{
    const double *fA = yc, *fB = yc + N;
    double sum = 0.0, sum2 = 0.0;
    for (size_t j = 0; j < N; j++) {
        size_t k = idx ? idx[j] : j;
        sum += fA[k] + fB[k];
        sum2 += fA[k] * fA[k] + fB[k] * fB[k];
    }
    double m = sum / (double)(2 * N);
    double V = sum2 / (double)(2 * N) - m * m;
    for (size_t i = 0; i < d; i++) {
        const double *fAB = yc + (2 + i) * N;
        double v1 = 0.0, vt = 0.0;
        for (size_t j = 0; j < N; j++) {
            size_t k = idx ? idx[j] : j;
            v1 += fB[k] * (fAB[k] - fA[k]);
            double t = fA[k] - fAB[k];
            vt += t * t;
        }
        S1[i] = v1 / (double)N / V;
        ST[i] = vt / (double)(2 * N) / V;
    }
    return V;
}

/* S1, ST and bootstrap intervals from the outputs in design order. */
int cp_unc_sobol_indices(const cp_unc_saltelli *s, const double *y, size_t nboot, double conf,
                         uint64_t seed, cp_unc_sobol *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    size_t N = s->N, d = s->d;
    if (!(conf > 0 && conf < 1))
        return cp_error_set(err, CP_EINPUT, "sobol: confidence level %g; hint: e.g. 0.95", conf);
    double mean = 0.0;
    for (size_t k = 0; k < s->rows; k++) {
        if (!isfinite(y[k]))
            return cp_error_set(err, CP_EINPUT, "sobol: output of design row %zu is not finite", k);
        if (k < 2 * N) mean += y[k];
    }
    mean /= (double)(2 * N);
    double *blk = calloc(6 * d, sizeof *blk);
    double *yc = malloc(s->rows * sizeof *yc);
    double *boot = nboot ? malloc(2 * d * nboot * sizeof *boot) : NULL;
    size_t *idx = nboot ? malloc(N * sizeof *idx) : NULL;
    gsl_rng *r = nboot ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    int rc = 0;
    if (!blk || !yc || (nboot && (!boot || !idx || !r))) {
        rc = cp_error_set(err, CP_ENOMEM, "sobol: out of memory for %zu bootstrap resamples", nboot);
        free(blk);
        goto done;
    }
    out->d = d;
    out->S1 = blk; out->S1_lo = blk + d; out->S1_hi = blk + 2 * d;
    out->ST = blk + 3 * d; out->ST_lo = blk + 4 * d; out->ST_hi = blk + 5 * d;
    for (size_t k = 0; k < s->rows; k++) yc[k] = y[k] - mean;
    out->mean = mean;
    out->var = estimate(yc, N, d, NULL, out->S1, out->ST);
    if (!(out->var > 0)) {
        rc = cp_error_set(err, CP_EINPUT, "sobol: the output does not vary; indices are undefined");
        cp_unc_sobol_free(out);
        goto done;
    }
    for (size_t i = 0; i < d; i++) {
        out->S1_lo[i] = out->S1_hi[i] = out->S1[i];
        out->ST_lo[i] = out->ST_hi[i] = out->ST[i];
    }
    if (nboot) {
        /* resample b uses its own stream, so intervals do not depend on
         * how resamples might later be split across threads */
        uint64_t bseed = seed ^ 0x424F4F5453545250ULL;
        for (size_t b = 0; b < nboot; b++) {
            gsl_rng_set(r, cp_unc_stream_seed(bseed, b));
            for (size_t j = 0; j < N; j++) idx[j] = (size_t)gsl_rng_uniform_int(r, (unsigned long)N);
            estimate(yc, N, d, idx, boot + b * 2 * d, boot + b * 2 * d + d);
        }
        double pct[2] = { 50.0 * (1.0 - conf), 50.0 * (1.0 + conf) }, q[2];
        double *col = malloc(nboot * sizeof *col);
        if (!col) {
            rc = cp_error_set(err, CP_ENOMEM, "sobol: out of memory");
            cp_unc_sobol_free(out);
            goto done;
        }
        for (size_t c = 0; c < 2 * d && !rc; c++) {
            for (size_t b = 0; b < nboot; b++) col[b] = boot[b * 2 * d + c];
            rc = cp_unc_percentiles(col, nboot, pct, 2, q, err);
            if (rc) break;
            if (c < d) { out->S1_lo[c] = q[0]; out->S1_hi[c] = q[1]; }
            else { out->ST_lo[c - d] = q[0]; out->ST_hi[c - d] = q[1]; }
        }
        free(col);
        if (rc) cp_unc_sobol_free(out);
    }
done:
    free(yc); free(boot); free(idx);
    if (r) gsl_rng_free(r);
    return rc;
}
