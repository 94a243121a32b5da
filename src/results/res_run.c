/*
 * res_run.c — what a dynamic run leaves behind: per-step, per-industry
 * records and the headline totals of docs/outputs.md (production loss,
 * value-added loss, final demand unmet, minimum production ratio).
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Allocate the records for steps × n (and nfd columns, nprod products). */
int cp_res_run_init(cp_res_run *r, size_t steps, size_t n, size_t nfd, size_t nprod,
                    int with_inventories, cp_error *err)
{
    memset(r, 0, sizeof *r);
    r->steps = steps; r->n = n; r->nfd = nfd; r->nprod = nprod;
    size_t sn = steps * n;
    if (sn == 0) sn = 1;
    size_t sf = steps * nfd;
    if (sf == 0) sf = 1;
    r->production = calloc(sn, sizeof(double));
    r->capacity = calloc(sn, sizeof(double));
    r->demand = calloc(sn, sizeof(double));
    r->fd_unmet = calloc(sn, sizeof(double));
    r->fd_unmet_cols = calloc(sf, sizeof(double));
    r->value_added = calloc(sn, sizeof(double));
    r->limiting = calloc(sn, sizeof(int));
    r->x0 = calloc(n ? n : 1, sizeof(double));
    r->va0 = calloc(n ? n : 1, sizeof(double));
    if (with_inventories) r->inventories = calloc(sn * (nprod ? nprod : 1), sizeof(double));
    if (!r->production || !r->capacity || !r->demand || !r->fd_unmet || !r->fd_unmet_cols ||
        !r->value_added || !r->limiting || !r->x0 || !r->va0 ||
        (with_inventories && !r->inventories)) {
        cp_res_run_free(r);
        return cp_error_set(err, CP_ENOMEM, "results: out of memory for %zu steps x %zu industries%s",
                            steps, n, with_inventories ? " (with inventories; hint: drop outputs.inventories)" : "");
    }
    return 0;
}

/* Release the records. */
void cp_res_run_free(cp_res_run *r)
{
    if (!r) return;
    free(r->production); free(r->capacity); free(r->demand); free(r->fd_unmet);
    free(r->fd_unmet_cols); free(r->value_added); free(r->limiting); free(r->x0);
    free(r->va0); free(r->inventories);
    memset(r, 0, sizeof *r);
}

/* Headline totals over the recorded steps (and per-industry losses). */
int cp_res_totals_of(const cp_res_run *r, cp_res_totals *tot, double *by_ind_loss,
                     double *by_ind_va_loss)
{
    memset(tot, 0, sizeof *tot);
    size_t n = r->n;
    double base = 0;
    for (size_t i = 0; i < n; i++) base += r->x0[i];
    if (by_ind_loss) memset(by_ind_loss, 0, n * sizeof(double));
    if (by_ind_va_loss) memset(by_ind_va_loss, 0, n * sizeof(double));
    tot->min_total_production_ratio = 1.0;
    tot->min_step = -1;
    int first = 1;
    for (size_t s = 0; s < r->done; s++) {
        const double *x = r->production + s * n;
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            double dl = r->x0[i] - x[i];
            sum += x[i];
            tot->production_loss += dl;
            double dva = r->x0[i] > 0 ? r->va0[i] * dl / r->x0[i] : 0;
            tot->value_added_loss += dva;
            if (by_ind_loss) by_ind_loss[i] += dl;
            if (by_ind_va_loss) by_ind_va_loss[i] += dva;
            double u = r->fd_unmet[s * n + i];
            if (u > 0 && u > 1e-9 * (r->x0[i] > 0 ? r->x0[i] : 1)) tot->had_shortage = 1;
        }
        for (size_t k = 0; k < r->nfd; k++) tot->fd_unmet_total += r->fd_unmet_cols[s * r->nfd + k];
        double ratio = base > 0 ? sum / base : 1.0;
        if (first || ratio < tot->min_total_production_ratio) {
            tot->min_total_production_ratio = ratio;
            tot->min_step = (long)s;
            first = 0;
        }
    }
    return 0;
}

/* Value added of step s from its recorded production: the baseline
 * scaled by realised production, as docs/outputs.md defines it. */
static void rec_value_added(cp_res_run *rec, size_t s)
{
    size_t n = rec->n;
    const double *xa = rec->production + s * n;
    for (size_t i = 0; i < n; i++)
        rec->value_added[s * n + i] = rec->x0[i] > 0 ? rec->va0[i] * xa[i] / rec->x0[i] : 0;
}

/* Copy the model's state after step s into rec. */
void cp_res_record_step(cp_res_run *rec, const cp_ario *m, size_t s)
{
    size_t n = rec->n;
    memcpy(rec->production + s * n, cp_ario_production(m), n * sizeof(double));
    memcpy(rec->fd_unmet + s * n, cp_ario_fd_unmet(m), n * sizeof(double));
    rec->done = s + 1;
    if (rec->lean) return;
    memcpy(rec->capacity + s * n, cp_ario_capacity(m), n * sizeof(double));
    memcpy(rec->demand + s * n, cp_ario_demand(m), n * sizeof(double));
    memcpy(rec->fd_unmet_cols + s * rec->nfd, cp_ario_fd_unmet_cols(m), rec->nfd * sizeof(double));
    memcpy(rec->limiting + s * n, cp_ario_limiting(m), n * sizeof(int));
    rec_value_added(rec, s);
    if (rec->inventories)
        memcpy(rec->inventories + s * rec->nprod * n, cp_ario_inventories(m),
               rec->nprod * n * sizeof(double));
    rec->done = s + 1;
}

/* The one loop every dynamic run goes through (run, compare, mc, tests):
 * step, record, report progress.  Allocates nothing. */
int cp_res_run_ario(cp_ario *m, size_t steps, cp_res_run *rec, cp_res_progress_fn progress,
                    void *ctx, cp_error *err)
{
    if (steps == 0) steps = cp_ario_steps_total(m);
    if (rec) {
        size_t n = rec->n;
        if (rec->n != cp_ario_n(m) || rec->nfd != cp_ario_nfd(m) ||
            rec->nprod != cp_ario_nproducts(m))
            return cp_error_set(err, CP_EUSAGE, "ario: record shape does not match the model");
        memcpy(rec->x0, cp_ario_baseline(m), n * sizeof(double));
        memcpy(rec->va0, cp_ario_va_baseline(m), n * sizeof(double));
    }
    while (cp_ario_steps_done(m) < steps) {
        size_t s = cp_ario_steps_done(m);
        if (cp_ario_step(m, err)) return err ? err->code : CP_ERUN;
        if (rec && s < rec->steps) cp_res_record_step(rec, m, s);
        if (progress && progress(ctx, s + 1, steps))
            return cp_error_set(err, CP_ERUN, "run stopped at step %zu of %zu", s + 1, steps);
    }
    return 0;
}

/* Every step of a batch, each of its first nlanes lanes recorded into its
 * own record (the batch counterpart of cp_res_run_ario; a lane's record
 * is bit for bit what cp_res_run_ario records for the same draw). */
int cp_res_run_ario_batch(cp_ario_batch *b, size_t nlanes, cp_res_run *recs, cp_error *err)
{
    const cp_ario *m = cp_ario_batch_model(b);
    size_t steps = cp_ario_steps_total(m);
    if (nlanes > cp_ario_batch_lanes(b))
        return cp_error_set(err, CP_EUSAGE, "ario: %zu records for a batch of %zu lanes", nlanes, cp_ario_batch_lanes(b));
    for (size_t l = 0; l < nlanes; l++) {
        cp_res_run *r = &recs[l];
        if (r->n != cp_ario_n(m) || r->nfd != cp_ario_nfd(m) || r->nprod != cp_ario_nproducts(m) || r->inventories)
            return cp_error_set(err, CP_EUSAGE, "ario: batch record %zu does not match the model (or keeps inventories)", l);
        memcpy(r->x0, cp_ario_baseline(m), r->n * sizeof(double));
        memcpy(r->va0, cp_ario_va_baseline(m), r->n * sizeof(double));
        r->done = 0;
    }
    size_t n = cp_ario_n(m), L = cp_ario_batch_lanes(b);
    while (cp_ario_batch_steps_done(b) < steps) {
        size_t s = cp_ario_batch_steps_done(b);
        if (cp_ario_batch_step(b, err)) return err ? err->code : CP_ERUN;
        /* production and fd_unmet of every lane in one pass over the
         * interleaved arrays; the rest lane by lane unless lean */
        const double *xa = cp_ario_batch_production(b), *fu = cp_ario_batch_fd_unmet(b);
        for (size_t l = 0; l < nlanes; l++) {
            cp_res_run *r = &recs[l];
            if (s >= r->steps) continue;
            double *px = r->production + s * n, *pf = r->fd_unmet + s * n;
            for (size_t i = 0; i < n; i++) { px[i] = xa[i * L + l]; pf[i] = fu[i * L + l]; }
            r->done = s + 1;
            if (r->lean) continue;
            cp_ario_batch_lane(b, l, NULL, r->capacity + s * n, r->demand + s * n, NULL,
                               r->fd_unmet_cols + s * r->nfd, r->limiting + s * n);
            rec_value_added(r, s);
        }
    }
    return 0;
}
