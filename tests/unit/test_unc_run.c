/*
 * test_unc_run.c — the parallel draw runner: bit-identical outputs and
 * percentiles with 1, 2 and 3 threads and any batch size (the issue's
 * "1 vs 2 threads give identical percentiles"), one workspace per thread,
 * progress on the calling thread ending at the total, cancellation, the
 * lowest failing draw's error, and the MPI split.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define NSTEPS 48

/* The model's context: counts workspaces, may fail at given draws. */
typedef struct ctx {
    atomic_int ws_made, ws_freed;
    size_t fail_a, fail_b;   /* draws that fail (SIZE_MAX = none) */
    int slow;                /* sleep 200 us per draw (cancellation test) */
} ctx;

/* Per-thread workspace: a scratch series. */
static void *ws_new(void *c)
{
    atomic_fetch_add(&((ctx *)c)->ws_made, 1);
    return malloc(NSTEPS * sizeof(double));
}

/* Release a workspace. */
static void ws_free(void *c, void *ws)
{
    atomic_fetch_add(&((ctx *)c)->ws_freed, 1);
    free(ws);
}

/* A small dynamic stand-in: a damped response to a shock of size x0 and
 * length x1 with recovery rate x2, plus its total; uses the workspace. */
static int eval(void *c, void *ws, size_t first, size_t count, const double *x, double *y,
                cp_error *err)
{
    ctx *cx = c;
    double *s = ws;
    for (size_t k = 0; k < count; k++) {
        if (first + k == cx->fail_a || first + k == cx->fail_b)
            return cp_error_set(err, CP_ERUN, "model diverged at draw %zu", first + k);
        if (cx->slow) {
            struct timespec ts = { 0, 200000 };
            nanosleep(&ts, NULL);
        }
        const double *p = x + k * 3;
        double level = 1.0, tot = 0.0;
        for (int t = 0; t < NSTEPS; t++) {
            double shock = t < p[1] * 10 ? p[0] : 0.0;
            level += p[2] * (1.0 - shock - level);
            s[t] = level;
            tot += level;
        }
        memcpy(y + k * (NSTEPS + 1), s, NSTEPS * sizeof *s);
        y[k * (NSTEPS + 1) + NSTEPS] = tot;
    }
    return 0;
}

/* Progress recorder: monotone, on the calling thread. */
typedef struct prog { size_t calls, last, total; int monotone, same_thread, cancel_at; pthread_t self; } prog;

/* Record a progress report; cancel when asked. */
static int on_progress(void *pc, size_t done, size_t total)
{
    prog *p = pc;
    if (done < p->last) p->monotone = 0;
    if (!pthread_equal(pthread_self(), p->self)) p->same_thread = 0;
    p->last = done; p->total = total; p->calls++;
    return p->cancel_at && done >= (size_t)p->cancel_at;
}

/* Draws of three parameters, with a rank correlation. */
static double *draws(size_t n)
{
    cp_unc_dist d[3];
    cp_error err;
    assert_ok(cp_unc_dist_parse(&d[0], "shock", "triangular min=0.1 mode=0.3 max=0.6", &err), &err);
    assert_ok(cp_unc_dist_parse(&d[1], "months", "uniform min=0.5 max=3", &err), &err);
    assert_ok(cp_unc_dist_parse(&d[2], "recovery", "beta alpha=2 beta=8", &err), &err);
    const double C[9] = { 1, 0.5, 0, 0.5, 1, -0.3, 0, -0.3, 1 };
    double *X = malloc(n * 3 * sizeof *X);
    assert_ok(cp_unc_sample_all(d, 3, C, 2026, n, X, &err), &err);
    return X;
}

/* 1, 2, 3 threads and batches 1, 7, 64: identical Y and percentiles. */
static void test_thread_independence(void **state)
{
    (void)state;
    const size_t n = 2000, ny = NSTEPS + 1;
    double *X = draws(n);
    double *Y1 = NULL;
    double pct[5] = { 5, 25, 50, 75, 95 }, *P1 = malloc(5 * ny * sizeof *P1), *P = malloc(5 * ny * sizeof *P);
    size_t threads[3] = { 1, 2, 3 }, batches[3] = { 1, 7, 64 };
    cp_error err;
    for (int ti = 0; ti < 3; ti++)
        for (int bi = 0; bi < 3; bi++) {
            ctx c = { .fail_a = SIZE_MAX, .fail_b = SIZE_MAX };
            cp_unc_model m = { .d = 3, .ny = ny, .batch = batches[bi], .eval = eval,
                               .ws_new = ws_new, .ws_free = ws_free, .ctx = &c };
            prog p = { .monotone = 1, .same_thread = 1, .self = pthread_self() };
            cp_unc_run_opts o = { .n_threads = threads[ti], .progress = on_progress, .pctx = &p };
            double *Y = calloc(n * ny, sizeof *Y);
            assert_ok(cp_unc_run(&m, X, Y, 0, n, &o, &err), &err);
            assert_ok(cp_unc_percentiles_series(Y, n, ny, ny, pct, 5, P, &err), &err);
            if (!Y1) {
                Y1 = Y;
                memcpy(P1, P, 5 * ny * sizeof *P);
            } else {
                assert_memory_equal(Y1, Y, n * ny * sizeof *Y);
                assert_memory_equal(P1, P, 5 * ny * sizeof *P);
                free(Y);
            }
            assert_true(atomic_load(&c.ws_made) >= 1 && (size_t)atomic_load(&c.ws_made) <= threads[ti]);
            assert_int_equal(atomic_load(&c.ws_made), atomic_load(&c.ws_freed));
            assert_true(p.monotone && p.same_thread && p.calls >= 1);
            assert_int_equal(p.last, n);
            assert_int_equal(p.total, n);
        }
    /* a range evaluated alone equals the same rows of the full run */
    ctx c = { .fail_a = SIZE_MAX, .fail_b = SIZE_MAX };
    cp_unc_model m = { .d = 3, .ny = ny, .batch = 5, .eval = eval, .ws_new = ws_new, .ws_free = ws_free, .ctx = &c };
    cp_unc_run_opts o = { .n_threads = 2 };
    double *Y = calloc(n * ny, sizeof *Y);
    assert_ok(cp_unc_run(&m, X, Y, 700, 1301, &o, &err), &err);
    assert_memory_equal(Y1 + 700 * ny, Y + 700 * ny, 601 * ny * sizeof *Y);
    assert_true(Y[699 * ny] == 0 && Y[1301 * ny] == 0);
    free(Y); free(Y1); free(P1); free(P); free(X);
}

/* The lowest failing draw's message, whatever the threads; cancellation. */
static void test_errors_and_cancel(void **state)
{
    (void)state;
    const size_t n = 500, ny = NSTEPS + 1;
    double *X = draws(n), *Y = calloc(n * ny, sizeof *Y);
    cp_error err;
    for (size_t nt = 1; nt <= 3; nt++) {
        ctx c = { .fail_a = 37, .fail_b = 80 };
        cp_unc_model m = { .d = 3, .ny = ny, .batch = 3, .eval = eval, .ws_new = ws_new, .ws_free = ws_free, .ctx = &c };
        cp_unc_run_opts o = { .n_threads = nt };
        assert_int_equal(cp_unc_run(&m, X, Y, 0, n, &o, &err), CP_ERUN);
        assert_msg_has(&err, "diverged at draw 37");
        assert_int_equal(atomic_load(&c.ws_made), atomic_load(&c.ws_freed));

        ctx c2 = { .fail_a = SIZE_MAX, .fail_b = SIZE_MAX, .slow = 1 };
        m.ctx = &c2;
        prog p = { .monotone = 1, .same_thread = 1, .self = pthread_self(), .cancel_at = 100 };
        o.progress = on_progress; o.pctx = &p;
        assert_int_equal(cp_unc_run(&m, X, Y, 0, n, &o, &err), CP_ERUN);
        assert_msg_has(&err, "cancelled");
        assert_true(p.last >= 100 && p.last < n);
    }
    cp_unc_model bad = { .d = 3, .ny = ny };
    assert_int_equal(cp_unc_run(&bad, X, Y, 0, n, NULL, &err), CP_EUSAGE);
    free(X); free(Y);
}

/* Contiguous split; sizes differ by at most one and cover 0..n-1. */
static void test_split(void **state)
{
    (void)state;
    size_t lo, hi;
    cp_unc_split(10, 3, 0, &lo, &hi); assert_true(lo == 0 && hi == 4);
    cp_unc_split(10, 3, 1, &lo, &hi); assert_true(lo == 4 && hi == 7);
    cp_unc_split(10, 3, 2, &lo, &hi); assert_true(lo == 7 && hi == 10);
    cp_unc_split(2, 4, 3, &lo, &hi); assert_true(lo == hi);
    size_t next = 0;
    for (int r = 0; r < 7; r++) {
        cp_unc_split(10000, 7, r, &lo, &hi);
        assert_int_equal(lo, next);
        assert_true(hi - lo == 1428 || hi - lo == 1429);
        next = hi;
    }
    assert_int_equal(next, 10000);
#ifndef CP_HAVE_MPI
    cp_error err;
    cp_unc_model m = { .d = 1, .ny = 1 };
    double x = 0, y = 0;
    assert_int_equal(cp_unc_run_mpi(&m, 1, &x, &y, NULL, NULL, &err), CP_EUSAGE);
    assert_msg_has(&err, "make MPI=1");
#endif
}

/* The tests, in order. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_independence),
        cmocka_unit_test(test_errors_and_cancel),
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
