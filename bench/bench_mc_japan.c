/*
 * bench_mc_japan.c — Monte Carlo of the japan-cutoff-12m scenario with its
 * documented parameter ranges (every free [low, central, high] range of
 * data/materials/japan-rare-earths.yaml, triangular), exactly as
 * `chokepoint mc` evaluates it (cp_scn_mc + cp_unc_run): draws/s on 1 and
 * T threads, the wall time of N draws (N = 10,000 for the acceptance
 * figure), the CPU time per draw (getrusage: every thread's user + system
 * time, the figure to read on a shared machine where wall time is noisy),
 * and a check that 1 and T threads give the same bits; then the library
 * side of what `chokepoint mc` does after the draws: percentiles (5, 25,
 * 50, 75, 95), mean and standard error of every output on T threads
 * (cp_unc_series_stats), and formatting mc_draws.csv's numbers
 * (cp_store_format_double).  `CP_MC_TIMES=1 chokepoint mc ...` prints
 * every phase of the command itself, files and central run included.
 *
 *   bench_mc_japan SCENARIO N T [N1]     (N1: draws of the 1-thread run, default 200)
 */
#include "chokepoint.h"
#include "bench_clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Load, draw, time, compare. */
int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: %s SCENARIO N THREADS [N1]\n", argv[0]); return 2; }
    size_t n = (size_t)atol(argv[2]), nt = (size_t)atol(argv[3]), n1 = argc > 4 ? (size_t)atol(argv[4]) : 200;
    if (n1 > n) n1 = n;
    cp_error err;
    cp_scn s;
    cp_table *t = NULL;
    cp_scn_mc *mc = NULL;
    cp_load_opts lo = cp_load_opts_default();
    double t0 = now();
    char tpath[4096];
    if (cp_scn_load(&s, argv[1], &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    /* a shipped table's name: under data/ (as the CLI's cli_table_path) */
    FILE *probe = fopen(s.table_path, "r");
    if (probe) { fclose(probe); snprintf(tpath, sizeof tpath, "%s", s.table_path); }
    else snprintf(tpath, sizeof tpath, "%s/%s", getenv("CHOKEPOINT_DATA") ? getenv("CHOKEPOINT_DATA") : "data", s.table_path);
    if (cp_table_open(&t, tpath, &lo, &err) ||
        cp_scn_economy_apply(&s, t, &err) || cp_scn_mc_new(&mc, &s, t, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double tsetup = now() - t0;
    size_t d = cp_scn_mc_nparams(mc);
    cp_unc_model m = cp_scn_mc_model(mc);
    double *X = malloc(n * d * sizeof *X), *Y = malloc(n * m.ny * sizeof *Y), *Y1 = malloc(n1 * m.ny * sizeof *Y1);
    if (!X || !Y || !Y1) return 1;
    t0 = now();
    if (cp_unc_sample_all(cp_scn_mc_dists(mc), d, NULL, 1, n, X, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double tsample = now() - t0;
    cp_unc_run_opts o1 = {.n_threads = 1}, oT = {.n_threads = nt};
    t0 = now();
    double c0 = cpu();
    if (cp_unc_run(&m, X, Y1, 0, n1, &o1, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double w1 = now() - t0, c1 = cpu() - c0;
    t0 = now();
    c0 = cpu();
    if (cp_unc_run(&m, X, Y, 0, n, &oT, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double wT = now() - t0, cT = cpu() - c0;
    int same = memcmp(Y, Y1, n1 * m.ny * sizeof *Y) == 0;
    double *g = malloc(n * sizeof *g), p[3], pc[3] = {5, 50, 95};
    for (size_t r = 0; r < n; r++) g[r] = Y[r * m.ny + CP_MC_GDP_LOSS];
    t0 = now();
    cp_unc_percentiles(g, n, pc, 3, p, &err);
    double tp = now() - t0;
    printf("mc japan: %zu parameters, setup (scenario, table, account) %.2f s, sampling %zu draws %.3f s, percentiles %.4f s\n",
           d, tsetup, n, tsample, tp);
    printf("mc japan 1 thread : %6zu draws %8.2f s  %7.1f draws/s  %6.2f ms/draw   CPU %6.2f ms/draw\n", n1, w1, n1 / w1,
           1e3 * w1 / n1, 1e3 * c1 / n1);
    printf("mc japan %zu threads: %6zu draws %8.2f s  %7.1f draws/s  %6.2f ms/draw/thread  CPU %6.2f ms/draw\n", nt, n, wT,
           n / wT, 1e3 * wT * nt / n, 1e3 * cT / n);
    printf("mc japan 10,000 draws on %zu threads: %.1f s %s (target < 10 s: %s)\n", nt,
           n >= 10000 ? wT * 10000.0 / n : wT * 10000.0 / n, n >= 10000 ? "measured" : "projected", wT * 10000.0 / n < 10 ? "met" : "NOT met");
    /* after the draws: statistics of every output, and the draws' numbers
     * as mc_draws.csv writes them */
    double pc5[5] = {5, 25, 50, 75, 95}, *sp = malloc(5 * m.ny * sizeof *sp), *sm = malloc(m.ny * sizeof *sm),
           *ss = malloc(m.ny * sizeof *ss);
    if (!sp || !sm || !ss) return 1;
    t0 = now();
    if (cp_unc_series_stats(Y, n, m.ny, m.ny, pc5, 5, sp, sm, ss, nt, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double tstat = now() - t0;
    char nb[40];
    size_t chars = 0;
    t0 = now();
    for (size_t r = 0; r < n; r++) {
        for (size_t j = 0; j < d; j++) { cp_store_format_double(X[r * d + j], nb, sizeof nb); chars += strlen(nb) + 1; }
        for (size_t h = 0; h < 4; h++) { cp_store_format_double(Y[r * m.ny + h], nb, sizeof nb); chars += strlen(nb) + 1; }
    }
    double tfmt = now() - t0;
    printf("mc japan after the draws: percentiles, mean and se of %zu outputs x %zu draws on %zu threads %.3f s; "
           "mc_draws.csv numbers (%zu, %.1f MB) formatted %.3f s\n", m.ny, n, nt, tstat, n * (d + 4), chars / 1e6, tfmt);
    free(sp); free(sm); free(ss);
    printf("mc japan GDP loss p5 / p50 / p95: %.1f / %.1f / %.1f %s; 1 vs %zu threads identical: %s\n", p[0], p[1], p[2],
           t->unit ? t->unit : "", nt, same ? "yes" : "NO");
    free(g); free(X); free(Y); free(Y1);
    cp_scn_mc_free(mc);
    cp_table_free(t);
    cp_scn_free(&s);
    return same ? 0 : 1;
}
