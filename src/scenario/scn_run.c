/*
 * scn_run.c — the step loop `run` and `compare` share: advance a built
 * ARIO model to its last step, record every step in a cp_res_run exactly
 * as cp_ario_run does (same copies, same value-added arithmetic), and
 * report progress to a caller's callback after each step.  Built on the
 * engine's public API only (cp_ario_step and the state accessors), so the
 * engine keeps no callback state of its own.
 */
#include "chokepoint.h"

#include <math.h>
#include <string.h>

/* Record the model's state after step s into rec (as cp_ario_run). */
static void record_step(const cp_ario *m, cp_res_run *rec, size_t s)
{
    size_t n = rec->n;
    memcpy(rec->production + s * n, cp_ario_production(m), n * sizeof(double));
    memcpy(rec->capacity + s * n, cp_ario_capacity(m), n * sizeof(double));
    memcpy(rec->demand + s * n, cp_ario_demand(m), n * sizeof(double));
    memcpy(rec->fd_unmet + s * n, cp_ario_fd_unmet(m), n * sizeof(double));
    memcpy(rec->fd_unmet_cols + s * rec->nfd, cp_ario_fd_unmet_cols(m), rec->nfd * sizeof(double));
    memcpy(rec->limiting + s * n, cp_ario_limiting(m), n * sizeof(int));
    const double *xa = cp_ario_production(m);
    for (size_t i = 0; i < n; i++)
        rec->value_added[s * n + i] = rec->x0[i] > 0 ? rec->va0[i] * xa[i] / rec->x0[i] : 0;
    if (rec->inventories)
        memcpy(rec->inventories + s * rec->nprod * n, cp_ario_inventories(m), rec->nprod * n * sizeof(double));
    rec->done = s + 1;
}

/* Run the model's remaining steps up to `steps`, recording into rec and
 * calling progress(ctx, done, steps) after each step. */
int cp_scn_run_ario(cp_ario *m, const cp_table *t, size_t steps, cp_res_run *rec,
                    cp_scn_progress_fn progress, void *ctx, cp_error *err)
{
    if (rec && (rec->n != t->n || rec->nfd != t->nfd || rec->nprod != cp_ario_nproducts(m)))
        return cp_error_set(err, CP_EUSAGE, "ario: record shape does not match the model");
    if (rec) {
        double scale = cp_ario_step_scale(m);
        memcpy(rec->x0, cp_ario_baseline(m), t->n * sizeof(double));
        for (size_t i = 0; i < t->n; i++) {
            rec->va0[i] = cp_table_va(t, i) * scale;
            if (!isfinite(rec->va0[i])) rec->va0[i] = 0;
        }
    }
    while (cp_ario_steps_done(m) < steps) {
        size_t s = cp_ario_steps_done(m);
        if (cp_ario_step(m, err)) return err->code;
        if (rec && s < rec->steps) record_step(m, rec, s);
        if (progress && progress(ctx, s + 1, steps))
            return cp_error_set(err, CP_ERUN, "run stopped at step %zu of %zu", s + 1, steps);
    }
    return 0;
}

/* Events that start after the run's last step do nothing: refuse them,
 * each at its file:line:col, once the number of steps is final (after
 * extends: and --steps). */
int cp_scn_check_horizon(const cp_scn *s, cp_error *err)
{
    char buf[CP_ERROR_MSG_MAX];
    size_t len = 0;
    int nerr = 0;
    buf[0] = 0;
    for (size_t k = 0; k < s->nevents; k++) {
        const cp_scn_event *e = &s->events[k];
        if (e->occurrence < 0 || (size_t)e->occurrence < s->ario.steps) continue;
        nerr++;
        int w = snprintf(buf + len, sizeof buf - len,
                         "%s%s:%ld:%ld: events[%zu]: starts at step %ld, after the last step (%zu) of a %zu-step run; hint: raise ario.steps or start the event earlier",
                         len ? "\n" : "", e->file ? e->file : s->path, e->line, e->col, k, e->occurrence,
                         s->ario.steps ? s->ario.steps - 1 : 0, s->ario.steps);
        if (w > 0 && len + (size_t)w < sizeof buf) len += (size_t)w;
    }
    if (!nerr) return 0;
    return cp_error_set(err, CP_EINPUT, "%d error%s in scenario:\n%s", nerr, nerr == 1 ? "" : "s", buf);
}
