/*
 * bench_mc.c — Monte Carlo throughput: draws per second of a cheap stand-in
 * for the dynamic model (37 industries, 365 daily steps: per step one
 * product with a 37×37 coefficient matrix, capacity caps and a recovery
 * lag), through cp_unc_run, one draw per call (dgemv) and in batches of
 * draws (dgemm), on 1 and N threads; plus the sampling (with Iman–Conover)
 * and percentile stages of a run.  The stand-in is not the ARIO engine:
 * it measures the uncertainty machinery and a model of similar arithmetic.
 *   bench_mc [N_DRAWS [N_THREADS]]
 */
#include "chokepoint.h"
#include "bench_clock.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 37      /* industries */
#define NT 365     /* steps (days) */
#define NP 6       /* uncertain parameters */
#define MAXB 64    /* largest batch */

/* The stand-in's fixed data: coefficients, final demand, dependence on
 * the controlled material. */
typedef struct stand_in {
    double A[NS * NS], f[NS], dep[NS];
    int own_kernel;    /* 1: fixed-order loop product instead of BLAS */
} stand_in;

/* Per-thread scratch for up to MAXB draws: state, demand, capacity. */
typedef struct ws { double x[NS * MAXB], dmd[NS * MAXB]; } ws;

/* Allocate one workspace (called once per thread). */
static void *ws_new(void *ctx)
{
    (void)ctx;
    return malloc(sizeof(ws));
}

/* Release a workspace. */
static void ws_free(void *ctx, void *w)
{
    (void)ctx;
    free(w);
}

/* dmd = A x for B draws (x, dmd: NS × B) with each column's sum over j
 * in the same order whatever B, so a draw's bits do not depend on the
 * batch size: draws in blocks of 8 accumulated in registers (the fixed
 * trip count lets the compiler unroll and vectorise), the rest one by one
 * with the same order of terms. */
static void fixed_order_product(const double *restrict A, const double *restrict x,
                                double *restrict dmd, size_t B)
{
    for (size_t i = 0; i < NS; i++) {
        const double *restrict a = A + i * NS;
        size_t b = 0;
        for (; b + 8 <= B; b += 8) {
            double acc[8] = { 0 };
            for (size_t j = 0; j < NS; j++)
                for (size_t k = 0; k < 8; k++) acc[k] += a[j] * x[j * B + b + k];
            for (size_t k = 0; k < 8; k++) dmd[i * B + b + k] = acc[k];
        }
        for (; b < B; b++) {
            double r = 0.0;
            for (size_t j = 0; j < NS; j++) r += a[j] * x[j * B + b];
            dmd[i * B + b] = r;
        }
    }
}

/* Evaluate count draws at once: X is NS × count (column b = draw b), so
 * A X is one dgemm for the batch (one dgemv when count = 1).  Outputs:
 * total production per step relative to baseline, then the loss total.
 * Parameters: shock depth, shock months, substitution share, inventory
 * days, recovery days, demand drop. */
static int eval(void *ctx, void *wsp, size_t first, size_t count, const double *p, double *y,
                cp_error *err)
{
    (void)first; (void)err;
    const stand_in *m = ctx;
    ws *w = wsp;
    size_t B = count;
    for (size_t i = 0; i < NS; i++)
        for (size_t b = 0; b < B; b++) w->x[i * B + b] = 1.0;
    for (size_t b = 0; b < B; b++) y[b * (NT + 1) + NT] = 0.0;
    for (size_t t = 0; t < NT; t++) {
        if (m->own_kernel) {
            fixed_order_product(m->A, w->x, w->dmd, B);
        } else if (B == 1)
            cblas_dgemv(CblasRowMajor, CblasNoTrans, NS, NS, 1.0, m->A, NS, w->x, 1, 0.0, w->dmd, 1);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, NS, (int)B, NS, 1.0, m->A, NS,
                        w->x, (int)B, 0.0, w->dmd, (int)B);
        for (size_t b = 0; b < B; b++) {
            const double *q = p + b * NP;
            double depth = q[0], days = q[1] * 30.0, subst = q[2], inv = q[3], rate = 1.0 / q[4],
                   drop = q[5];
            int shocked = (double)t >= inv && (double)t < days + inv;
            double tot = 0.0;
            for (size_t i = 0; i < NS; i++) {
                double cap = shocked ? 1.0 - depth * (1.0 - subst) * m->dep[i] : 1.0;
                double want = w->dmd[i * B + b] + m->f[i] * (1.0 - (shocked ? drop : 0.0));
                double target = fmin(cap, want);
                double x = w->x[i * B + b];
                x += (target - x) * (target < x ? 1.0 : rate);
                w->x[i * B + b] = x;
                tot += x;
            }
            y[b * (NT + 1) + t] = tot / NS;
            y[b * (NT + 1) + NT] += 1.0 - tot / NS;
        }
    }
    return 0;
}

/* Run the stand-in for n draws on nt threads in batches of batch; seconds. */
static double timed_run(stand_in *s, const double *X, double *Y, size_t n, size_t nt, size_t batch)
{
    cp_unc_model m = { .d = NP, .ny = NT + 1, .batch = batch, .eval = eval,
                       .ws_new = ws_new, .ws_free = ws_free, .ctx = s };
    cp_unc_run_opts o = { .n_threads = nt };
    cp_error err;
    double t0 = now();
    if (cp_unc_run(&m, X, Y, 0, n, &o, &err)) {
        fprintf(stderr, "bench_mc: %s\n", err.msg);
        exit(1);
    }
    return now() - t0;
}

/* --- the real engine: ARIO on a table, one model built per draw --------
 * (cp_ario has no reset, so each draw builds its model; the per-thread
 * workspace is the run record.)  Parameters: capacity lost by the
 * material-using industries, shock months, recovery days. */
typedef struct ario_ctx {
    const cp_table *t;
    cp_ario_params p;
    size_t ind[3];
} ario_ctx;

/* Per-thread run record for 365 steps. */
static void *ario_ws_new(void *c)
{
    ario_ctx *a = c;
    cp_res_run *r = malloc(sizeof *r);
    if (r && cp_res_run_init(r, a->p.steps, a->t->n, a->t->nfd, a->t->n, 0, NULL)) {
        free(r);
        return NULL;
    }
    return r;
}

/* Release a run record. */
static void ario_ws_free(void *c, void *ws)
{
    (void)c;
    cp_res_run_free(ws);
    free(ws);
}

/* One draw: build, shock, run; outputs the production ratio per step and
 * the value-added loss. */
static int ario_eval(void *c, void *ws, size_t first, size_t count, const double *x, double *y,
                     cp_error *err)
{
    (void)first;
    ario_ctx *a = c;
    cp_res_run *rec = ws;
    size_t n = a->t->n, T = a->p.steps;
    for (size_t k = 0; k < count; k++) {
        const double *q = x + k * 3;
        cp_ario *m = NULL;
        int rc = cp_ario_new(&m, a->t, &a->p, err);
        if (!rc) rc = cp_ario_add_capacity_loss(m, a->ind, 3, q[0], 1, (long)(q[1] * 30.0), q[2], err);
        if (!rc) {
            rec->done = 0;
            rc = cp_res_run_ario(m, 0, rec, NULL, NULL, err);
        }
        cp_ario_free(m);
        if (rc) return rc;
        double x0 = 0;
        for (size_t i = 0; i < n; i++) x0 += rec->x0[i];
        double *o = y + k * (T + 1);
        for (size_t t = 0; t < T; t++) {
            double s = 0;
            for (size_t i = 0; i < n; i++) s += rec->production[t * n + i];
            o[t] = s / x0;
        }
        cp_res_totals tot;
        cp_res_totals_of(rec, &tot, NULL, NULL);
        o[T] = tot.value_added_loss;
    }
    return 0;
}

/* bench_mc --ario TABLE_DIR [N [THREADS]]: draws/s of the real engine. */
static int bench_ario(const char *dir, size_t n, size_t nt)
{
    cp_error err;
    cp_table *t = NULL;
    cp_load_opts lo = cp_load_opts_default();
    if (cp_table_open(&t, dir, &lo, &err)) { fprintf(stderr, "bench_mc: %s\n", err.msg); return 1; }
    ario_ctx a = { .t = t, .p = cp_ario_params_default() };
    a.p.steps = 365;
    a.ind[0] = t->n / 4; a.ind[1] = t->n / 2; a.ind[2] = 3 * t->n / 4;
    cp_unc_dist d[3];
    if (cp_unc_dist_parse(&d[0], "loss", "triangular min=0.05 mode=0.2 max=0.5", &err) ||
        cp_unc_dist_parse(&d[1], "months", "uniform min=1 max=12", &err) ||
        cp_unc_dist_parse(&d[2], "recovery", "triangular min=10 mode=30 max=90", &err)) {
        fprintf(stderr, "bench_mc: %s\n", err.msg);
        return 1;
    }
    double *X = malloc(n * 3 * sizeof *X), *Y = malloc(n * (a.p.steps + 1) * sizeof *Y);
    double *Y1 = malloc(n * (a.p.steps + 1) * sizeof *Y1);
    if (!X || !Y || !Y1 || cp_unc_sample_all(d, 3, NULL, 1, n, X, &err)) return 1;
    cp_unc_model m = { .d = 3, .ny = a.p.steps + 1, .batch = 1, .eval = ario_eval,
                       .ws_new = ario_ws_new, .ws_free = ario_ws_free, .ctx = &a };
    cp_unc_run_opts o1 = { .n_threads = 1 }, on = { .n_threads = nt };
    double t0 = now();
    if (cp_unc_run(&m, X, Y1, 0, n, &o1, &err)) { fprintf(stderr, "bench_mc: %s\n", err.msg); return 1; }
    double t1 = now() - t0;
    t0 = now();
    if (cp_unc_run(&m, X, Y, 0, n, &on, &err)) { fprintf(stderr, "bench_mc: %s\n", err.msg); return 1; }
    double tn = now() - t0;
    int same = memcmp(Y, Y1, n * (a.p.steps + 1) * sizeof *Y) == 0;
    printf("mc-ario: %s (%zu industries) x %zu steps, %zu draws\n", dir, t->n, a.p.steps, n);
    printf("mc-ario: 1 thread   %8.3f s  %7.1f draws/s  (%.1f us per step)\n", t1, (double)n / t1,
           1e6 * t1 / (double)n / (double)a.p.steps);
    printf("mc-ario: %zu threads  %8.3f s  %7.1f draws/s  speedup %.2f  identical %s\n", nt, tn,
           (double)n / tn, t1 / tn, same ? "yes" : "NO");
    printf("mc-ario: 10,000 draws would take %.1f s on %zu threads\n", 1e4 * tn / (double)n, nt);
    double pct[3] = { 5, 50, 95 }, q[3], *va = malloc(n * sizeof *va);
    for (size_t k = 0; k < n && va; k++) va[k] = Y[k * (a.p.steps + 1) + a.p.steps];
    if (va && !cp_unc_percentiles(va, n, pct, 3, q, &err))
        printf("mc-ario: value-added loss (%s per step summed) p5 %.4g  p50 %.4g  p95 %.4g\n",
               t->unit, q[0], q[1], q[2]);
    free(va);
    free(X); free(Y); free(Y1);
    cp_table_free(t);
    return same ? 0 : 1;
}

/* Parameters, data, then each stage timed. */
int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--ario") == 0)
        return bench_ario(argv[2], argc > 3 ? strtoul(argv[3], NULL, 10) : 200,
                          argc > 4 ? strtoul(argv[4], NULL, 10) : 2);
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
    size_t nt = argc > 2 ? strtoul(argv[2], NULL, 10) : 2;
    static stand_in s;
    /* a productive coefficient matrix (column sums 0.5) and demand that
     * makes x = 1 the steady state: f = (I - A) 1 */
    uint32_t h = 7;
    for (size_t i = 0; i < NS * NS; i++) {
        h = h * 1664525u + 1013904223u;
        s.A[i] = (double)(h >> 8) / 16777216.0;
    }
    for (size_t j = 0; j < NS; j++) {
        double c = 0;
        for (size_t i = 0; i < NS; i++) c += s.A[i * NS + j];
        for (size_t i = 0; i < NS; i++) s.A[i * NS + j] *= 0.5 / c;
    }
    for (size_t i = 0; i < NS; i++) {
        double r = 0;
        for (size_t j = 0; j < NS; j++) r += s.A[i * NS + j];
        s.f[i] = 1.0 - r;
        s.dep[i] = i % 5 == 0 ? 0.9 : 0.1 + 0.02 * (double)(i % 7);
    }
    const char *spec[NP] = {
        "triangular min=0.1 mode=0.3 max=0.6", "uniform min=3 max=12",
        "beta alpha=2 beta=5", "triangular min=10 mode=45 max=90",
        "lognormal median=30 sigma=0.4 min=5 max=200", "uniform min=0 max=0.05",
    };
    cp_unc_dist d[NP];
    cp_error err;
    for (int j = 0; j < NP; j++)
        if (cp_unc_dist_parse(&d[j], "p", spec[j], &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double C[NP * NP];
    for (int i = 0; i < NP * NP; i++) C[i] = i % (NP + 1) == 0 ? 1.0 : 0.0;
    C[0 * NP + 1] = C[1 * NP + 0] = 0.4;   /* deeper cuts last longer */
    double *X = malloc(n * NP * sizeof *X), *Y = malloc(n * (NT + 1) * sizeof *Y);
    double *Y2 = malloc(n * (NT + 1) * sizeof *Y2);
    if (!X || !Y || !Y2) return 1;

    double t0 = now();
    if (cp_unc_sample_all(d, NP, C, 1, n, X, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double t_sample = now() - t0;

    double t1 = timed_run(&s, X, Y, n, 1, 1);
    double tn = timed_run(&s, X, Y2, n, nt, 1);
    int same = memcmp(Y, Y2, n * (NT + 1) * sizeof *Y) == 0;
    double tb = timed_run(&s, X, Y2, n, nt, 32);
    int same_b = memcmp(Y, Y2, n * (NT + 1) * sizeof *Y) == 0;
    /* the fixed-order kernel: batch 1 on 1 thread vs batch 32 on nt threads */
    s.own_kernel = 1;
    double to1 = timed_run(&s, X, Y, n, 1, 1);
    double to = timed_run(&s, X, Y2, n, nt, 32);
    int same_o = memcmp(Y, Y2, n * (NT + 1) * sizeof *Y) == 0;

    const double pct[5] = { 5, 25, 50, 75, 95 };
    double *P = malloc(5 * (NT + 1) * sizeof *P);
    t0 = now();
    if (cp_unc_percentiles_series(Y, n, NT + 1, NT + 1, pct, 5, P, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double t_pct = now() - t0;
    double *loss = malloc(n * sizeof *loss), *mean = malloc(n * sizeof *mean), *se = malloc(n * sizeof *se);
    for (size_t k = 0; k < n; k++) loss[k] = Y[k * (NT + 1) + NT];
    cp_unc_running(loss, n, mean, se);

    printf("mc: stand-in %d industries x %d steps, %zu draws, %d parameters (Iman-Conover)\n", NS, NT, n, NP);
    printf("mc: sampling + rank correlation  %8.3f s\n", t_sample);
    printf("mc: 1 thread,  batch 1 (dgemv)   %8.3f s  %9.0f draws/s\n", t1, (double)n / t1);
    printf("mc: %zu threads, batch 1 (dgemv)   %8.3f s  %9.0f draws/s  speedup %.2f  identical %s\n",
           nt, tn, (double)n / tn, t1 / tn, same ? "yes" : "NO");
    printf("mc: %zu threads, batch 32 (dgemm)  %8.3f s  %9.0f draws/s  speedup %.2f  identical to batch 1 %s\n",
           nt, tb, (double)n / tb, t1 / tb, same_b ? "yes" : "no (BLAS kernels differ in the last bits)");
    printf("mc: 1 thread,  batch 1 (own loop)  %8.3f s  %9.0f draws/s\n", to1, (double)n / to1);
    printf("mc: %zu threads, batch 32 (own loop) %8.3f s  %9.0f draws/s  speedup %.2f  identical to 1 thread batch 1 %s\n",
           nt, to, (double)n / to, to1 / to, same_o ? "yes" : "NO");
    printf("mc: percentiles 5/25/50/75/95 of %d series  %8.3f s\n", NT + 1, t_pct);
    printf("mc: loss p50 %.4f (p5 %.4f, p95 %.4f), running SE %.2g (%.2f %% of the mean)\n",
           P[2 * (NT + 1) + NT], P[NT], P[4 * (NT + 1) + NT], se[n - 1],
           100.0 * se[n - 1] / fabs(mean[n - 1]));
    free(X); free(Y); free(Y2); free(P); free(loss); free(mean); free(se);
    return same && same_o ? 0 : 1;
}
