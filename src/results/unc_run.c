/*
 * unc_run.c — evaluate a model for many draws on several threads.
 *
 * Draws are handed out in batches of m->batch consecutive indices from a
 * shared counter; each result is written at its draw's row of Y, so which
 * thread evaluated a draw, and in what order, cannot change the output.
 * Every thread allocates its model workspace once (ws_new) and reuses it.
 * The calling thread does no model work when n_threads > 1: it waits on a
 * condition variable (woken about 200 times a run, not per draw) and
 * reports progress, so the progress callback never runs concurrently and
 * needs no locking.
 */
#include "chokepoint.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* State shared by the workers of one cp_unc_run call. */
typedef struct run_shared {
    const cp_unc_model *m;
    const double *X;
    double *Y;
    size_t next, hi, done, total;
    size_t step, next_signal; /* wake the reporter every `step` draws (and at the end) */
    int stop;                 /* set on error or cancellation */
    size_t err_draw;          /* lowest failing draw so far */
    int err_code;
    cp_error err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} run_shared;

/* Record a failure at draw k, keeping the lowest draw's message. */
static void record_error(run_shared *s, size_t k, const cp_error *e, int code)
{
    pthread_mutex_lock(&s->mu);
    if (!s->err_code || k < s->err_draw) {
        s->err_code = code;
        s->err_draw = k;
        s->err = *e;
    }
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* Evaluate draws [k, k + cnt) with workspace ws; returns 0 or the code. */
static int eval_batch(const cp_unc_model *m, void *ws, const double *X, double *Y, size_t k,
                      size_t cnt, cp_error *e)
{
    cp_error_clear(e);
    int rc = m->eval(m->ctx, ws, k, cnt, X + k * m->d, Y + k * m->ny, e);
    if (rc && !e->msg[0]) cp_error_set(e, rc, "model failed at draw %zu", k);
    return rc;
}

/* Worker: take batches until none are left or the run stops. */
static void *worker(void *arg)
{
    run_shared *s = arg;
    const cp_unc_model *m = s->m;
    cp_error e;
    void *ws = m->ws_new ? m->ws_new(m->ctx) : NULL;
    if (m->ws_new && !ws) {
        cp_error_set(&e, CP_ENOMEM, "model workspace: out of memory");
        pthread_mutex_lock(&s->mu);
        size_t k = s->next;
        pthread_mutex_unlock(&s->mu);
        record_error(s, k, &e, CP_ENOMEM);
        return NULL;
    }
    size_t batch = m->batch ? m->batch : 1;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        if (s->stop || s->next >= s->hi) { pthread_mutex_unlock(&s->mu); break; }
        size_t k = s->next, cnt = s->hi - k < batch ? s->hi - k : batch;
        s->next += cnt;
        pthread_mutex_unlock(&s->mu);
        int rc = eval_batch(m, ws, s->X, s->Y, k, cnt, &e);
        if (rc) { record_error(s, k, &e, rc); break; }
        pthread_mutex_lock(&s->mu);
        s->done += cnt;
        if (s->done >= s->next_signal || s->done == s->total) {
            s->next_signal = s->done + s->step;
            pthread_cond_signal(&s->cv);
        }
        pthread_mutex_unlock(&s->mu);
    }
    if (ws && m->ws_free) m->ws_free(m->ctx, ws);
    return NULL;
}

/* Single-threaded path: the same batches in order, progress about 200
 * times a run (as the threaded path) and at the end. */
static int run_serial(const cp_unc_model *m, const double *X, double *Y, size_t lo, size_t hi,
                      const cp_unc_run_opts *o, cp_error *err)
{
    void *ws = m->ws_new ? m->ws_new(m->ctx) : NULL;
    if (m->ws_new && !ws) return cp_error_set(err, CP_ENOMEM, "model workspace: out of memory");
    size_t batch = m->batch ? m->batch : 1;
    size_t total = hi - lo, step = (total + 199) / 200, next_report = step;
    int rc = 0;
    for (size_t k = lo; k < hi && !rc;) {
        size_t cnt = hi - k < batch ? hi - k : batch;
        cp_error e;
        rc = eval_batch(m, ws, X, Y, k, cnt, &e);
        if (rc) { if (err) *err = e; break; }
        k += cnt;
        size_t done = k - lo;
        if (o && o->progress && (done >= next_report || done == total)) {
            next_report = done + step;
            if (o->progress(o->pctx, done, total))
                rc = cp_error_set(err, CP_ERUN, "run cancelled after %zu of %zu draws", done, total);
        }
    }
    if (ws && m->ws_free) m->ws_free(m->ctx, ws);
    return rc;
}

/* Evaluate draws [lo, hi) on o->n_threads threads. */
int cp_unc_run(const cp_unc_model *m, const double *X, double *Y, size_t lo, size_t hi,
               const cp_unc_run_opts *o, cp_error *err)
{
    if (!m || !m->eval || !X || !Y)
        return cp_error_set(err, CP_EUSAGE, "run: model, draws and outputs are required");
    if (hi < lo) return cp_error_set(err, CP_EUSAGE, "run: draw range [%zu, %zu) is reversed", lo, hi);
    if (hi == lo) return 0;
    size_t nt = o && o->n_threads ? o->n_threads : 1;
    if (nt > hi - lo) nt = hi - lo;
    if (nt > 1024) nt = 1024;
    if (nt == 1) return run_serial(m, X, Y, lo, hi, o, err);

    run_shared s;
    memset(&s, 0, sizeof s);
    s.m = m; s.X = X; s.Y = Y; s.next = lo; s.hi = hi; s.total = hi - lo;
    /* without a progress callback the reporter only needs the end; with
     * one, about 200 reports keep a bar smooth without waking per draw */
    s.step = o && o->progress ? (s.total + 199) / 200 : s.total;
    s.next_signal = s.step;
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    pthread_t *th = malloc(nt * sizeof *th);
    if (!th) {
        pthread_mutex_destroy(&s.mu); pthread_cond_destroy(&s.cv);
        return cp_error_set(err, CP_ENOMEM, "run: out of memory for %zu threads", nt);
    }
    size_t started = 0;
    for (; started < nt; started++)
        if (pthread_create(&th[started], NULL, worker, &s)) break;
    int rc = 0;
    if (started == 0) {
        rc = cp_error_set(err, CP_ERUN, "run: cannot start threads; hint: use --threads 1");
    } else {
        /* report progress from this thread until every draw is done or stopped */
        size_t reported = 0;
        pthread_mutex_lock(&s.mu);
        while (!s.stop && s.done < s.total) {
            pthread_cond_wait(&s.cv, &s.mu);
            size_t done = s.done;
            if (o && o->progress && done != reported && !s.stop) {
                pthread_mutex_unlock(&s.mu);
                int cancel = o->progress(o->pctx, done, s.total);
                reported = done;
                pthread_mutex_lock(&s.mu);
                if (cancel && !s.stop) {
                    s.stop = 1;
                    cp_error_set(&s.err, CP_ERUN, "run cancelled after %zu of %zu draws", done, s.total);
                    s.err_code = CP_ERUN;
                    s.err_draw = (size_t)-1;
                }
            }
        }
        pthread_mutex_unlock(&s.mu);
        for (size_t t = 0; t < started; t++) pthread_join(th[t], NULL);
        if (s.err_code) {
            if (err) *err = s.err;
            rc = s.err_code;
        } else if (o && o->progress && reported != s.total) {
            o->progress(o->pctx, s.total, s.total);
        }
    }
    free(th);
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv);
    return rc;
}

/* Contiguous block split: the first n % nranks ranks get one draw more. */
void cp_unc_split(size_t n, int nranks, int rank, size_t *lo, size_t *hi)
{
    if (nranks < 1) nranks = 1;
    if (rank < 0) rank = 0;
    if (rank >= nranks) { *lo = *hi = n; return; }
    size_t q = n / (size_t)nranks, r = n % (size_t)nranks, k = (size_t)rank;
    *lo = k * q + (k < r ? k : r);
    *hi = *lo + q + (k < r ? 1 : 0);
}
