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
 * Reported per size: wall and CPU (getrusage-like process CPU clock) ms
 * per step, best of REPS runs of STEPS steps (each run builds a fresh
 * model: a step's cost depends on the state); peak RSS of the process
 * (which includes the dense n x n table the model is built from) and the
 * model's own resident memory (RSS growth over cp_ario_new and the run);
 * ratios against BoARIO's ms/step, by wall and by CPU time.  The
 * "check sum" is the total production after the last step: it must not
 * change when the engine is optimised.
 *
 * usage: bench_ario [-s STEPS] [-r REPS] N...   (N among 48 200 1000 3000 8000)
 * env: CP_BENCH_THREADS (default 1; 0 = one per core), CP_BENCH_STORAGE,
 *      BENCH_REPS (default for -r, else 1).
 */
#include "chokepoint.h"
#include "bench_clock.h"

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

/* Current resident memory in MiB (/proc/self/statm; 0 where absent), to
 * tell the model's own memory from the table's. */
static double rss_mib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    long size = 0, res = 0;
    int ok = fscanf(f, "%ld %ld", &size, &res) == 2;
    fclose(f);
    return ok ? (double)res * 4096.0 / 1048576.0 : 0;
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

/* Build the model on t, add the benchmark's shock, run steps steps;
 * return wall and CPU seconds of the steps, the model's resident MiB and
 * the check sum. */
static int run_once(const cp_table *t, const cp_ario_params *p, size_t steps, double *wall,
                    double *cpu, double *model_mib, double *check)
{
    cp_error err;
    cp_ario *m;
    size_t n = t->n;
    double r0 = rss_mib();
    if (cp_ario_new(&m, t, p, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    size_t hit[3] = {n / 3, n / 2, n / 2 + 1};
    cp_ario_add_capacity_loss(m, hit, 3, 0.5, 1, 90, 30, &err);
    double t1 = now(), c1 = cpu_now();
    for (size_t k = 0; k < steps; k++) cp_ario_step(m, &err);
    *wall = now() - t1;
    *cpu = cpu_now() - c1;
    *model_mib = rss_mib() - r0;
    double xs = 0;
    for (size_t i = 0; i < n; i++) xs += cp_ario_production(m)[i];
    *check = xs;
    cp_ario_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    size_t steps = 365;
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 1;
    int a = 1;
    for (;;) {
        if (a + 1 < argc && !strcmp(argv[a], "-s")) { steps = (size_t)atol(argv[a + 1]); a += 2; }
        else if (a + 1 < argc && !strcmp(argv[a], "-r")) { reps = atoi(argv[a + 1]); a += 2; }
        else break;
    }
    if (reps < 1) reps = 1;
    printf("%-6s %-8s %-6s %-8s %-9s %-9s %-9s %-9s %-10s %-12s %s\n", "n", "storage", "nnz%",
           "setup s", "wall ms", "cpu ms", "peak MiB", "model MiB", "BoARIO ms", "ratio wall", "ratio cpu");
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
        double bw = INFINITY, bc = INFINITY, mm = 0, xs = 0, setup = INFINITY;
        for (int r = 0; r < reps; r++) {
            double w, c, mib, t0 = now();
            cp_ario *probe;
            cp_error err;
            /* setup time: a model built and freed on its own */
            if (cp_ario_new(&probe, t, &p, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
            double ts = now() - t0;
            cp_ario_free(probe);
            if (ts < setup) setup = ts;
            if (run_once(t, &p, steps, &w, &c, &mib, &xs)) return 1;
            if (w < bw) bw = w;
            if (c < bc) bc = c;
            if (mib > mm) mm = mib;
        }
        double ms = 1e3 * bw / (double)steps, cms = 1e3 * bc / (double)steps;
        double base = n == 48 ? 0.75 : n == 1000 ? 38.5 : n == 3000 ? 430 : n == 8000 ? 4325 : NAN;
        const char *st = (stg && *stg) ? stg : (double)nnz < 0.4 * (double)n * (double)n ? "sparse" : "dense";
        printf("%-6zu %-8s %-6.1f %-8.3f %-9.4f %-9.4f %-9.0f %-9.0f ", n, st,
               100.0 * (double)nnz / ((double)n * n), setup, ms, cms, peak_mib(), mm);
        if (isnan(base)) printf("%-10s %-12s %s", "-", "-", "-");
        else if (n == 48) {
            char b1[32], b2[32];
            snprintf(b1, sizeof b1, "%.0f-%.0fx", 0.6 / ms, 0.9 / ms);
            snprintf(b2, sizeof b2, "%.0f-%.0fx", 0.6 / cms, 0.9 / cms);
            printf("%-10s %-12s %s", "0.6-0.9", b1, b2);
        } else {
            char b1[32], b2[32];
            snprintf(b1, sizeof b1, "%.0fx", base / ms);
            snprintf(b2, sizeof b2, "%.0fx", base / cms);
            printf("%-10g %-12s %s", base, b1, b2);
        }
        if (n == 8000) printf("  (BoARIO peak 7.3 GB)");
        printf("  [check sum x = %.10g]\n", xs);
        fflush(stdout);
        cp_table_free(t);
    }
    return 0;
}
