/*
 * mpi_unc.c — the MPI determinism check's program (run by check.sh under
 * mpirun -np 1, 2, 3): every rank draws the same correlated sample, the
 * ranks split the draws, cp_unc_run_mpi gathers them in draw order, and
 * rank 0 prints the percentiles of every step of a stand-in series and of
 * its total as exact hexadecimal floats (%a), so check.sh can compare the
 * outputs of different process and thread counts byte for byte.
 *   mpi_unc N_DRAWS N_THREADS
 */
#include "chokepoint.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSTEPS 60

/* Stand-in dynamic model: a damped response to a shock (x0 deep, x1 long)
 * with recovery rate x2, per step, then the sum over steps. */
static int eval(void *ctx, void *ws, size_t first, size_t count, const double *x, double *y,
                cp_error *err)
{
    (void)ctx; (void)ws; (void)first; (void)err;
    for (size_t k = 0; k < count; k++) {
        const double *p = x + k * 3;
        double *o = y + k * (NSTEPS + 1), level = 1.0, tot = 0.0;
        for (int t = 0; t < NSTEPS; t++) {
            double shock = t < p[1] * 10 ? p[0] : 0.0;
            level += p[2] * (1.0 - shock - level);
            o[t] = level;
            tot += 1.0 - level;
        }
        o[NSTEPS] = tot;
    }
    return 0;
}

/* Draw, run across the ranks, print percentiles on rank 0. */
int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000;
    size_t nt = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
    cp_error err;
    cp_unc_dist d[3];
    const double C[9] = { 1, 0.5, 0, 0.5, 1, -0.3, 0, -0.3, 1 };
    double *X = malloc(n * 3 * sizeof *X), *Y = calloc(n * (NSTEPS + 1), sizeof *Y);
    int rc = !X || !Y;
    if (!rc) rc = cp_unc_dist_parse(&d[0], "shock", "triangular min=0.1 mode=0.3 max=0.6", &err);
    if (!rc) rc = cp_unc_dist_parse(&d[1], "months", "uniform min=0.5 max=4", &err);
    if (!rc) rc = cp_unc_dist_parse(&d[2], "recovery", "beta alpha=2 beta=8", &err);
    if (!rc) rc = cp_unc_sample_all(d, 3, C, 20261129, n, X, &err);
    cp_unc_model m = { .d = 3, .ny = NSTEPS + 1, .batch = 8, .eval = eval };
    cp_unc_run_opts o = { .n_threads = nt };
    if (!rc) rc = cp_unc_run_mpi(&m, n, X, Y, &o, NULL, &err);
    if (!rc && rank == 0) {
        const double pct[5] = { 5, 25, 50, 75, 95 };
        double P[5 * (NSTEPS + 1)];
        rc = cp_unc_percentiles_series(Y, n, NSTEPS + 1, NSTEPS + 1, pct, 5, P, &err);
        for (int j = 0; j < 5 && !rc; j++) {
            printf("p%g", pct[j]);
            for (int t = 0; t <= NSTEPS; t++) printf(" %a", P[j * (NSTEPS + 1) + t]);
            printf("\n");
        }
        /* and a digest of every draw's output, in draw order */
        unsigned long long h = 1469598103934665603ULL;
        const unsigned char *b = (const unsigned char *)Y;
        for (size_t i = 0; i < n * (NSTEPS + 1) * sizeof *Y; i++) h = (h ^ b[i]) * 1099511628211ULL;
        printf("fnv1a %016llx\n", h);
    }
    if (rc) fprintf(stderr, "rank %d: %s\n", rank, err.msg);
    free(X); free(Y);
    MPI_Finalize();
    return rc ? 1 : 0;
}
