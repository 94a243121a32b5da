/*
 * bench_controls.c — the export-control layer's cost per Monte Carlo draw
 * on the japan-cutoff-12m scenario: what `chokepoint mc` does per draw
 * before ARIO (src/scenario/scn_mc.c, mc_prepare): restore the controls
 * model from a snapshot, write drawn values into every [low, central,
 * high] range of the account, scale demand shares summing over 1, then
 * cp_ctl_bind_table + the run + cp_ctl_cap_series_for_table, and read the
 * ledgers (used_t / need_t).  Two paths are timed on the same draws:
 *
 *   fresh  cp_ctl_run + cp_ctl_result_free per draw, the full cap series
 *          (cp_ctl_cap_series_for_table): the calls mc_prepare made
 *   reuse  cp_ctl_run_into into one result kept across draws, the cap
 *          series kept too and only its bound columns rewritten
 *          (cp_ctl_cap_series_update)
 *
 * and their outputs are compared bit for bit (every array of the result
 * and the cap series).  Prints µs per draw (best of BENCH_REPS), and CPU
 * µs per draw (getrusage), the figure to read on a loaded machine.
 *
 *   bench_controls SCENARIO [N]     (N draws per repetition, default 2000)
 */
#include "chokepoint.h"
#include "bench_clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* A uniform draw in [0, 1) from a 64-bit xorshift state (deterministic,
 * so both paths see the same draws). */
static double unif(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) * 0x1.0p-53;
}

/* The thread workspace of scn_mc.c, reduced to the controls: the model
 * and a snapshot of its supply, use and regime arrays. */
typedef struct bench_ws {
    cp_ctl_model *m;
    cp_ctl_supply *supply0;
    cp_ctl_use *use0;
    cp_ctl_regime *regime0;
} bench_ws;

/* Restore the snapshot and write draw r's values (as mc_prepare): each
 * range uniform over [low, high] from a stream seeded by r; demand shares
 * of a material summing over 1 scaled to 1. */
static void draw_values(bench_ws *w, size_t r)
{
    cp_ctl_model *m = w->m;
    memcpy(m->supply, w->supply0, m->nsupply * sizeof *m->supply);
    memcpy(m->use, w->use0, m->nuses * sizeof *m->use);
    memcpy(m->regime, w->regime0, m->nregimes * sizeof *m->regime);
    uint64_t s = 0x9E3779B97F4A7C15ull ^ (uint64_t)(r + 1) * 0xBF58476D1CE4E5B9ull;
    for (size_t i = 0; i < m->nranges; i++) {
        const cp_ctl_range *g = &m->range[i];
        *g->value = g->low + (g->high - g->low) * unif(&s);
    }
    for (size_t k = 0; k < m->nsupply; k++) {
        double sum = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == k && m->use[u].demand_share > 0) sum += m->use[u].demand_share;
        if (sum > 1.0)
            for (size_t u = 0; u < m->nuses; u++)
                if (m->use[u].mat_idx == k && m->use[u].demand_share > 0) m->use[u].demand_share /= sum;
    }
}

/* 1 if every array of a and b and the cap series ca, cb are the same bits. */
static int same_result(const cp_ctl_result *a, const cp_ctl_result *b, const double *ca, const double *cb,
                       size_t ncap)
{
    if (a->nsteps != b->nsteps || a->nmat != b->nmat || a->nuse != b->nuse || a->nind != b->nind ||
        a->start_day != b->start_day)
        return 0;
    size_t TK = a->nsteps * a->nmat, K = a->nmat;
    const double *da[] = {a->need_t, a->exporter_t, a->other_t, a->used_t, a->inventory_t, a->stockpile_t,
                          a->release_t, a->shortfall_t};
    const double *db[] = {b->need_t, b->exporter_t, b->other_t, b->used_t, b->inventory_t, b->stockpile_t,
                          b->release_t, b->shortfall_t};
    for (size_t i = 0; i < sizeof da / sizeof *da; i++)
        if (memcmp(da[i], db[i], TK * sizeof(double))) return 0;
    return !memcmp(a->avail, b->avail, a->nsteps * a->nuse * sizeof(double)) &&
           !memcmp(a->cap, b->cap, a->nsteps * a->nind * sizeof(double)) &&
           !memcmp(a->extraction_share, b->extraction_share, a->nind * sizeof(double)) &&
           !memcmp(a->trigger_day, b->trigger_day, K * sizeof(long)) &&
           !memcmp(a->inventory_empty_day, b->inventory_empty_day, K * sizeof(long)) &&
           !memcmp(a->stockpile_empty_day, b->stockpile_empty_day, K * sizeof(long)) &&
           !memcmp(ca, cb, ncap * sizeof(double));
}

/* Load, snapshot, time both paths, compare. */
int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: %s SCENARIO [N]\n", argv[0]); return 2; }
    size_t n = argc > 2 ? (size_t)atol(argv[2]) : 2000;
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 3;
    if (reps < 1) reps = 1;
    cp_error err;
    cp_scn s;
    cp_table *t = NULL;
    cp_load_opts lo = cp_load_opts_default();
    char tpath[4096];
    if (cp_scn_load(&s, argv[1], &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    FILE *probe = fopen(s.table_path, "r");
    if (probe) { fclose(probe); snprintf(tpath, sizeof tpath, "%s", s.table_path); }
    else snprintf(tpath, sizeof tpath, "%s/%s", getenv("CHOKEPOINT_DATA") ? getenv("CHOKEPOINT_DATA") : "data", s.table_path);
    bench_ws w = {0};
    cp_ctl_result *cr0 = NULL;
    if (cp_table_open(&t, tpath, &lo, &err) || cp_scn_economy_apply(&s, t, &err) ||
        cp_scn_controls_run(&s, t, &w.m, &cr0, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    if (!w.m) { fprintf(stderr, "%s: no controls: section\n", argv[1]); return 1; }
    cp_ctl_model *m = w.m;
    cp_ctl_run_opts o = {cr0->start_day, cr0->nsteps};
    cp_ctl_result_free(cr0);
    w.supply0 = malloc((m->nsupply + 1) * sizeof *w.supply0);
    w.use0 = malloc((m->nuses + 1) * sizeof *w.use0);
    w.regime0 = malloc((m->nregimes + 1) * sizeof *w.regime0);
    size_t ncap = o.nsteps * t->n;
    double *cap = malloc(ncap * sizeof *cap), *cap2 = malloc(ncap * sizeof *cap2);
    if (!w.supply0 || !w.use0 || !w.regime0 || !cap || !cap2) return 1;
    memcpy(w.supply0, m->supply, m->nsupply * sizeof *m->supply);
    memcpy(w.use0, m->use, m->nuses * sizeof *m->use);
    memcpy(w.regime0, m->regime, m->nregimes * sizeof *m->regime);
    double sink = 0;   /* what the draw reads of the ledgers, as mc_summarize */

    /* fresh: a new result per draw */
    double best_f = 1e30, cpu_f = 1e30;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = now(), c0 = cpu();
        for (size_t r = 0; r < n; r++) {
            cp_ctl_result *cr = NULL;
            draw_values(&w, r);
            if (cp_ctl_bind_table(m, t, &err) || cp_ctl_run(m, &o, &cr, &err) ||
                cp_ctl_cap_series_for_table(m, cr, cap, t->n, &err)) {
                fprintf(stderr, "draw %zu: %s\n", r, err.msg);
                return 1;
            }
            for (size_t q = 0; q < cr->nsteps * cr->nmat; q++) sink += cr->used_t[q] - cr->need_t[q];
            cp_ctl_result_free(cr);
        }
        double wt = now() - t0, ct = cpu() - c0;
        if (wt < best_f) best_f = wt;
        if (ct < cpu_f) cpu_f = ct;
    }

    /* reuse: one result kept across draws */
    double best_r = 1e30, cpu_r = 1e30;
    cp_ctl_result *keep = NULL;
    for (int rep = 0; rep < reps; rep++) {
        double t0 = now(), c0 = cpu();
        for (size_t r = 0; r < n; r++) {
            draw_values(&w, r);
            if (cp_ctl_bind_table(m, t, &err) || cp_ctl_run_into(m, &o, &keep, &err) ||
                (rep == 0 && r == 0 ? cp_ctl_cap_series_for_table(m, keep, cap2, t->n, &err)
                                    : cp_ctl_cap_series_update(m, keep, cap2, t->n, &err))) {
                fprintf(stderr, "draw %zu: %s\n", r, err.msg);
                return 1;
            }
            for (size_t q = 0; q < keep->nsteps * keep->nmat; q++) sink += keep->used_t[q] - keep->need_t[q];
        }
        double wt = now() - t0, ct = cpu() - c0;
        if (wt < best_r) best_r = wt;
        if (ct < cpu_r) cpu_r = ct;
    }

    /* bits: every draw of a short run through both paths */
    int same = 1;
    size_t ncheck = n < 200 ? n : 200;
    for (size_t r = 0; r < ncheck && same; r++) {
        cp_ctl_result *cr = NULL;
        draw_values(&w, r);
        if (cp_ctl_bind_table(m, t, &err) || cp_ctl_run(m, &o, &cr, &err) ||
            cp_ctl_cap_series_for_table(m, cr, cap, t->n, &err) ||
            cp_ctl_run_into(m, &o, &keep, &err) || cp_ctl_cap_series_update(m, keep, cap2, t->n, &err)) {
            fprintf(stderr, "draw %zu: %s\n", r, err.msg);
            return 1;
        }
        same = same_result(cr, keep, cap, cap2, ncap);
        cp_ctl_result_free(cr);
    }
    double la[3] = {0};
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf) { if (fscanf(lf, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3) la[0] = -1; fclose(lf); }
    printf("controls: %zu materials, %zu uses, %zu industries, %zu days, %zu ranges drawn; %zu draws, best of %d; load %.2f\n",
           m->nsupply, m->nuses, m->nind, o.nsteps, m->nranges, n, reps, la[0]);
    printf("controls fresh (cp_ctl_run + free)   %8.1f us/draw   CPU %8.1f us/draw\n", 1e6 * best_f / n, 1e6 * cpu_f / n);
    printf("controls reuse (run_into, cap update) %7.1f us/draw   CPU %8.1f us/draw   ratio fresh/reuse %.2f\n",
           1e6 * best_r / n, 1e6 * cpu_r / n, best_f / best_r);
    printf("controls fresh vs reuse bit-identical over %zu draws: %s (checksum %.17g)\n", ncheck, same ? "yes" : "NO", sink);
    cp_ctl_result_free(keep);
    free(cap); free(cap2);
    free(w.supply0); free(w.use0); free(w.regime0);
    cp_ctl_model_free(m);
    cp_table_free(t);
    cp_scn_free(&s);
    return same ? 0 : 1;
}
