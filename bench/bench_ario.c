/*
 * bench_ario.c — ARIO time per step and peak memory on seeded synthetic
 * MRIOs, with ratios against BoARIO's figures measured on this machine
 * class (0.6-0.9 ms/step at n = 48, 38.5 ms at 1000, 430 ms at 3000,
 * 4,325 ms and 7.3 GB at 8000).
 *
 * The generator: nreg regions × nsec sectors; each buyer uses a random
 * 60 % of the domestic sectors and 15 % of the foreign (region, sector)
 * pairs, domestic flows ten times heavier; output is set so that
 * intermediate sales are ~55 % of output, the rest final demand (90 %
 * domestic, 10 % exports to the other regions).  xorshift64* seeded.
 *
 * usage: bench_ario [-s STEPS] N...   (N among 48 200 1000 3000 8000)
 * env: CP_BENCH_THREADS (default 1; 0 = one per core), CP_BENCH_STORAGE.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* xorshift64*: a small seeded generator. */
static double rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Wall clock in seconds. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Process CPU time in seconds (less disturbed by other load than wall). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Peak resident memory in MiB (getrusage). */
static double peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Regions × sectors for a size. */
static void shape(size_t n, size_t *nreg, size_t *nsec)
{
    switch (n) {
    case 48: *nreg = 6; *nsec = 8; break;
    case 200: *nreg = 10; *nsec = 20; break;
    case 1000: *nreg = 20; *nsec = 50; break;
    case 3000: *nreg = 30; *nsec = 100; break;
    case 8000: *nreg = 40; *nsec = 200; break;
    default: *nreg = n >= 100 ? 10 : 2; *nsec = n / *nreg; break;
    }
}

/* A seeded synthetic MRIO of about n industries. */
static cp_table *synth(size_t n_want, uint64_t seed)
{
    size_t nreg, nsec;
    shape(n_want, &nreg, &nsec);
    size_t n = nreg * nsec, nfd = nreg;
    cp_table *t = cp_table_new(n, nfd, 1);
    if (!t) return NULL;
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    char b[64];
    for (size_t i = 0; i < n; i++) {
        snprintf(b, sizeof b, "r%03zu", i / nsec);
        cp_table_set_str(&t->region[i], b);
        snprintf(b, sizeof b, "s%03zu", i % nsec);
        cp_table_set_str(&t->sector[i], b);
        cp_table_set_str(&t->sector_name[i], b);
    }
    for (size_t k = 0; k < nfd; k++) {
        snprintf(b, sizeof b, "r%03zu", k);
        cp_table_set_str(&t->fd_region[k], b);
        cp_table_set_str(&t->fd_category[k], "final");
    }
    cp_table_set_str(&t->va_label[0], "va");
    cp_table_set_str(&t->unit, "M");
    double *size = malloc(n * sizeof *size);
    for (size_t j = 0; j < n; j++) size[j] = exp(2.0 * rnd(&s));
    for (size_t j = 0; j < n; j++) {
        size_t rj = j / nsec;
        for (size_t i = 0; i < n; i++) {
            size_t ri = i / nsec;
            double p = ri == rj ? 0.6 : 0.15;
            if (rnd(&s) < p) t->Z[i * n + j] = (ri == rj ? 10.0 : 1.0) * rnd(&s) * size[j];
        }
    }
    for (size_t i = 0; i < n; i++) {
        double r = 0;
        for (size_t j = 0; j < n; j++) r += t->Z[i * n + j];
        if (r == 0) r = size[i];
        t->x[i] = r / 0.55;
        double y = t->x[i] - r;
        size_t ri = i / nsec;
        for (size_t k = 0; k < nfd; k++)
            t->Y[i * nfd + k] = k == ri ? 0.9 * y : 0.1 * y / (double)(nfd > 1 ? nfd - 1 : 1);
        if (nfd == 1) t->Y[i] = y;
    }
    for (size_t j = 0; j < n; j++) {
        double c = 0;
        for (size_t i = 0; i < n; i++) c += t->Z[i * n + j];
        t->V[j] = t->x[j] > c ? t->x[j] - c : 0;
    }
    cp_table_index_regions(t);
    free(size);
    return t;
}

int main(int argc, char **argv)
{
    size_t steps = 365;
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "-s")) { steps = (size_t)atol(argv[a + 1]); a += 2; }
    printf("%-6s %-8s %-7s %-9s %-10s %-10s %-9s %-10s %s\n", "n", "storage", "nnz%", "setup s", "ms/step",
           "cpu ms", "peak MiB", "BoARIO ms", "speed-up (wall)");
    for (; a < argc; a++) {
        size_t nw = (size_t)atol(argv[a]);
        cp_table *t = synth(nw, 42 + nw);
        if (!t) { fprintf(stderr, "out of memory\n"); return 1; }
        size_t n = t->n, nnz = 0;
        for (size_t k = 0; k < n * n; k++) nnz += t->Z[k] != 0;
        cp_ario_params p = cp_ario_params_default();
        p.steps = steps;
        const char *thr = getenv("CP_BENCH_THREADS");
        if (thr && *thr) p.threads = atoi(thr);
        const char *stg = getenv("CP_BENCH_STORAGE");
        if (stg && !strcmp(stg, "dense")) p.storage = CP_ARIO_STORAGE_DENSE;
        if (stg && !strcmp(stg, "sparse")) p.storage = CP_ARIO_STORAGE_SPARSE;
        cp_error err;
        cp_ario *m;
        double t0 = now();
        if (cp_ario_new(&m, t, &p, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
        size_t hit[3] = {n / 3, n / 2, n / 2 + 1};
        cp_ario_add_capacity_loss(m, hit, 3, 0.5, 1, 90, 30, &err);
        double t1 = now(), c1 = cpu_now();
        for (size_t k = 0; k < steps; k++) cp_ario_step(m, &err);
        double t2 = now(), c2 = cpu_now();
        double ms = 1e3 * (t2 - t1) / (double)steps, cms = 1e3 * (c2 - c1) / (double)steps;
        double xs = 0;
        for (size_t i = 0; i < n; i++) xs += cp_ario_production(m)[i];
        double base = n == 48 ? 0.75 : n == 1000 ? 38.5 : n == 3000 ? 430 : n == 8000 ? 4325 : NAN;
        const char *st = (stg && *stg) ? stg : (double)nnz < 0.4 * (double)n * (double)n ? "sparse" : "dense";
        printf("%-6zu %-8s %-7.1f %-9.3f %-10.4f %-10.4f %-9.0f ", n, st, 100.0 * (double)nnz / ((double)n * n),
               t1 - t0, ms, cms, peak_mib());
        if (isnan(base)) printf("%-10s %s", "-", "-");
        else if (n == 48) printf("%-10s %.0f-%.0fx", "0.6-0.9", 0.6 / ms, 0.9 / ms);
        else printf("%-10g %.0fx", base, base / ms);
        if (n == 8000) printf("  (BoARIO peak 7.3 GB)");
        printf("  [check sum x = %.6g]\n", xs);
        fflush(stdout);
        cp_ario_free(m);
        cp_table_free(t);
    }
    return 0;
}
