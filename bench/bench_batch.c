/*
 * bench_batch.c — the packed ARIO engine alone on the japan-cutoff-12m
 * case: the controls' capacity caps of the central run, scaled per lane
 * (shortfall x 1, 0.95, 0.90, ..., so that lanes differ), through
 * cp_res_run_ario_batch, against one-lane runs of the same caps by the
 * packed engine (cp_ario) and by the general engine (storage: dense).
 * Prints CPU ms per draw of each and the ratios (best of 3 repetitions).
 *
 *   bench_batch SCENARIO [BATCHES]
 */
#include "chokepoint.h"
#include "bench_clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU seconds per run of ns one-draw runs of model m, with the lanes'
 * caps in turn (-1 on an error, printed). */
static double one_lane_runs(cp_ario *m, const double *caps, size_t Tn, size_t T, size_t L, int ns,
                            cp_res_run *rec)
{
    cp_error err;
    double c0 = cpu();
    for (int r = 0; r < ns; r++) {
        cp_ario_reset(m);
        cp_ario_set_capacity_cap(m, caps + (size_t)r % L * Tn, T, &err);
        rec->done = 0;
        if (cp_res_run_ario(m, 0, rec, NULL, NULL, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    }
    return (cpu() - c0) / ns;
}

/* Load the case, run batches and single runs, print the times. */
int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: %s SCENARIO [BATCHES]\n", argv[0]); return 2; }
    int nb = argc > 2 ? atoi(argv[2]) : 20;
    cp_error err;
    cp_scn s;
    cp_table *t = NULL;
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    cp_ario *m = NULL;
    cp_ario_batch *b = NULL;
    char tp[4096];
    cp_load_opts lo = cp_load_opts_default();
    if (cp_scn_load(&s, argv[1], &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    snprintf(tp, sizeof tp, "data/%s", s.table_path);
    if (cp_table_open(&t, tp, &lo, &err) || cp_scn_economy_apply(&s, t, &err) ||
        cp_scn_controls_run(&s, t, &cm, &cr, &err) || cp_scn_build_ario(&s, t, &m, &err) ||
        cp_ario_batch_new(&b, m, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    size_t n = t->n, T = s.ario.steps, L = cp_ario_batch_lanes(b), Tn = T * n;
    double *cap = malloc(Tn * sizeof *cap), *caps = malloc(L * Tn * sizeof *caps);
    cp_res_run *rec = calloc(L, sizeof *rec);
    if (!cap || !caps || !rec || cp_ctl_cap_series_for_table(cm, cr, cap, n, &err)) return 1;
    for (size_t l = 0; l < L; l++) {
        for (size_t k = 0; k < Tn; k++) caps[l * Tn + k] = 1.0 - (1.0 - cap[k]) * (1.0 - 0.05 * (double)l);
        if (cp_res_run_init(&rec[l], T, n, t->nfd, cp_ario_nproducts(m), 0, &err)) return 1;
        rec[l].lean = 1;
    }
    cp_ario_batch_set_lean(b, 1);
    size_t skipped = 0;
    double tb = INFINITY;
    for (int rep = 0; rep < 3; rep++) {   /* best of 3 */
        double c0 = cpu();
        for (int r = 0; r < nb; r++) {
            cp_ario_batch_reset(b, L);
            for (size_t l = 0; l < L; l++) cp_ario_batch_set_capacity_cap(b, l, caps + l * Tn, T, &err);
            if (cp_res_run_ario_batch(b, L, rec, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
            if (rep == 0) skipped += cp_ario_batch_steps_skipped(b);
        }
        double tt = (cpu() - c0) / (double)(nb * (int)L);
        if (tt < tb) tb = tt;
    }
    int ns = nb > 4 ? 4 : nb;
    double ts1 = one_lane_runs(m, caps, Tn, T, L, ns, rec);
    /* the general engine on the same draws */
    cp_scn sd = s;
    sd.ario.storage = CP_ARIO_STORAGE_DENSE;
    cp_ario *mg = NULL;
    if (cp_scn_build_ario(&sd, t, &mg, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double tg = one_lane_runs(mg, caps, Tn, T, L, ns, rec);
    if (ts1 < 0 || tg < 0) return 1;
    printf("ario batch: %zu lanes %.3f ms CPU per draw (%.0f of %zu steps skipped per batch, %d batches); "
           "one-lane packed run %.2f ms (%.1fx); general engine %.2f ms (%.1fx)\n", L, 1e3 * tb,
           (double)skipped / nb, T, nb, 1e3 * ts1, ts1 / tb, 1e3 * tg, tg / tb);
    cp_ario_free(mg);
    return 0;
}
