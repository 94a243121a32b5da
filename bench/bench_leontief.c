/*
 * bench_leontief.c — time the Leontief inverse L = (I - A)^-1 as
 * chokepoint computes it (cp_io_inverse: dgetrf + dgetri on the row-major
 * buffer read as its transpose, no copies) against the plain textbook call
 * LAPACKE_dgesv(LAPACK_ROW_MAJOR, I - A, identity), on the same machine,
 * and check that both give the same L.
 *
 * usage: bench_leontief N [N...]      (BENCH_REPS repetitions, best kept)
 * prints one line per N: seconds for both and their ratio (ours / dgesv;
 * the target is <= 1.3), and the largest relative difference between the
 * two inverses.
 */
#include "chokepoint.h"
#include "bench_clock.h"

#include <lapacke.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* splitmix64: reproducible uniform numbers in [0, 1) from caller state. */
static double uniform(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* A dense random technical-coefficient matrix: positive entries, each
 * column summing to a value in [0.3, 0.8) like a real economy's. */
static void random_A(size_t n, double *A, uint64_t seed)
{
    for (size_t k = 0; k < n * n; k++) A[k] = uniform(&seed);
    for (size_t j = 0; j < n; j++) {
        double s = 0, target = 0.3 + 0.5 * uniform(&seed);
        for (size_t i = 0; i < n; i++) s += A[i * n + j];
        for (size_t i = 0; i < n; i++) A[i * n + j] *= target / s;
    }
}

/* One size: best of reps for each method.  Returns 0 or 1 on failure. */
static int bench(size_t n, int reps)
{
    double *A = malloc(n * n * sizeof *A), *L = malloc(n * n * sizeof *L);
    double *M = malloc(n * n * sizeof *M), *X = malloc(n * n * sizeof *X);
    lapack_int *ipiv = malloc(n * sizeof *ipiv);
    if (!A || !L || !M || !X || !ipiv) {
        fprintf(stderr, "bench_leontief: out of memory for n = %zu\n", n);
        return 1;
    }
    random_A(n, A, 42 + n);
    double best_ours = INFINITY, best_gesv = INFINITY;
    cp_error err;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        if (cp_io_inverse(n, A, L, &err)) {
            fprintf(stderr, "bench_leontief: %s\n", err.msg);
            return 1;
        }
        double t1 = now();
        if (t1 - t0 < best_ours) best_ours = t1 - t0;

        /* the plain way: I - A and I built outside the timing */
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                M[i * n + j] = (i == j) - A[i * n + j];
                X[i * n + j] = (i == j);
            }
        t0 = now();
        lapack_int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)n, (lapack_int)n, M,
                                        (lapack_int)n, ipiv, X, (lapack_int)n);
        t1 = now();
        if (info) {
            fprintf(stderr, "bench_leontief: dgesv info %d\n", (int)info);
            return 1;
        }
        if (t1 - t0 < best_gesv) best_gesv = t1 - t0;
    }
    double worst = 0;
    for (size_t k = 0; k < n * n; k++) {
        double d = fabs(L[k] - X[k]) / fmax(fabs(X[k]), 1e-300);
        if (d > worst) worst = d;
    }
    printf("leontief n=%-5zu chokepoint %8.3f s   LAPACKE_dgesv %8.3f s   ratio %.2f   "
           "max rel diff %.1e\n", n, best_ours, best_gesv, best_ours / best_gesv, worst);
    fflush(stdout);
    free(A), free(L), free(M), free(X), free(ipiv);
    return 0;
}

/* Each argument is a size n; BENCH_REPS sets the repetitions. */
int main(int argc, char **argv)
{
    const char *r = getenv("BENCH_REPS");
    int reps = r && atoi(r) > 0 ? atoi(r) : 3;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_leontief N [N...]\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        long n = strtol(argv[i], NULL, 10);
        if (n <= 0) {
            fprintf(stderr, "bench_leontief: bad size '%s'\n", argv[i]);
            return 2;
        }
        if (bench((size_t)n, reps)) return 1;
    }
    return 0;
}
