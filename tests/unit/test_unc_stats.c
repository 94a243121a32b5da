/*
 * test_unc_stats.c — percentiles against the type-7 definition (numpy's
 * np.percentile(range(1, 11), [5, 25, 50, 75, 95]) = [1.45, 3.25, 5.5,
 * 7.75, 9.55]) and a sort-based reference, bit for bit against a naive
 * sort on random data of many shapes and sizes (and on threads), series
 * percentiles step by step, and the running mean / standard error of 1..n
 * in closed form.
 */
#include "testutil.h"

/* Ascending order for qsort. */
static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 1..10 in any order, percentiles in any order. */
static void test_percentiles_known(void **state)
{
    (void)state;
    const double x[10] = { 7, 3, 10, 1, 5, 9, 2, 8, 4, 6 };
    const double pct[5] = { 95, 5, 50, 25, 75 }, want[5] = { 9.55, 1.45, 5.5, 3.25, 7.75 };
    double out[5];
    cp_error err;
    assert_ok(cp_unc_percentiles(x, 10, pct, 5, out, &err), &err);
    for (int j = 0; j < 5; j++) assert_close(out[j], want[j], 1e-14);
    const double ends[2] = { 0, 100 };
    assert_ok(cp_unc_percentiles(x, 10, ends, 2, out, &err), &err);
    assert_true(out[0] == 1 && out[1] == 10);
    double one = 42, p = 50;
    assert_ok(cp_unc_percentiles(&one, 1, &p, 1, out, &err), &err);
    assert_true(out[0] == 42);
}

/* Against sorting, with many ties, for many percentiles. */
static void test_percentiles_reference(void **state)
{
    (void)state;
    const size_t n = 1001;
    double *x = malloc(n * sizeof *x), *s = malloc(n * sizeof *s);
    uint32_t h = 12345;
    for (size_t i = 0; i < n; i++) {
        h = h * 1664525u + 1013904223u;
        x[i] = (double)(h >> 24) / 16.0;   /* 256 distinct values: ties */
    }
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_dbl);
    double pct[101], out[101];
    for (int j = 0; j <= 100; j++) pct[j] = j;
    cp_error err;
    assert_ok(cp_unc_percentiles(x, n, pct, 101, out, &err), &err);
    for (int j = 0; j <= 100; j++) {
        double hh = (double)(n - 1) * pct[j] / 100.0;
        size_t k = (size_t)floor(hh);
        double want = k + 1 < n ? s[k] + (hh - (double)k) * (s[k + 1] - s[k]) : s[k];
        assert_close(out[j], want, 1e-15);
    }
    /* sorted, reversed and constant inputs (selection's worst cases) */
    for (int shape = 0; shape < 3; shape++) {
        for (size_t i = 0; i < n; i++)
            x[i] = shape == 0 ? (double)i : shape == 1 ? (double)(n - 1 - i) : 7.0;
        assert_ok(cp_unc_percentiles(x, n, pct, 101, out, &err), &err);
        for (int j = 0; j <= 100; j++) {
            double want = shape == 2 ? 7.0 : (double)(n - 1) * pct[j] / 100.0;
            assert_close(out[j], want, 1e-13);
        }
    }
    free(x); free(s);
}

/* Series: 3 draws of 4 steps stored with stride 5. */
static void test_series(void **state)
{
    (void)state;
    const double Y[15] = { 1, 10, 5, 0, -1,
                           3, 30, 5, 0, -1,
                           2, 20, 5, 9, -1 };
    const double pct[3] = { 0, 50, 100 };
    double out[12];
    cp_error err;
    assert_ok(cp_unc_percentiles_series(Y, 3, 4, 5, pct, 3, out, &err), &err);
    const double want[12] = { 1, 10, 5, 0,
                              2, 20, 5, 0,
                              3, 30, 5, 9 };
    for (int i = 0; i < 12; i++) assert_true(out[i] == want[i]);
}

/* NaN and out-of-range percentiles are refused. */
static void test_errors(void **state)
{
    (void)state;
    double x[3] = { 1, NAN, 3 }, p = 50, out;
    cp_error err;
    assert_int_equal(cp_unc_percentiles(x, 3, &p, 1, &out, &err), CP_EINPUT);
    assert_msg_has(&err, "draw 1 is NaN");
    x[1] = 2;
    p = 0.95 * 1000;
    assert_int_equal(cp_unc_percentiles(x, 3, &p, 1, &out, &err), CP_EINPUT);
    assert_msg_has(&err, "outside [0, 100]");
}

/* Naive type-7 reference: sort a copy, then x(k) + frac (x(k+1) - x(k))
 * when frac > 0 (as the library writes it, so the bits can be compared). */
static double naive_pct(const double *x, size_t n, double pct)
{
    double *s = malloc(n * sizeof *s);
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_dbl);
    double h = (double)(n - 1) * pct / 100.0;
    size_t k = (size_t)floor(h);
    if (k >= n - 1) k = n - 1;
    double frac = h - (double)k, v = s[k];
    if (frac > 0 && k + 1 < n) v = s[k] + frac * (s[k + 1] - s[k]);
    free(s);
    return v;
}

/* Same double (bits), or both NaN; equal zeros of either sign when the
 * column mixes -0.0 and +0.0 (which zero is then a choice, not a value). */
static int same_value(double a, double b, int mixed_zeros)
{
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    if (mixed_zeros && a == 0 && b == 0) return 1;
    return memcmp(&a, &b, sizeof a) == 0;
}

/* A pseudo-random double of one of several shapes (xorshift state h). */
static double rnd_value(uint64_t *h, int shape)
{
    *h ^= *h << 13;
    *h ^= *h >> 7;
    *h ^= *h << 17;
    uint64_t u = *h;
    double f = (double)(u >> 11) / 9007199254740992.0;   /* [0, 1) */
    switch (shape) {
    case 0: return f * 1e4 - 2e3;                          /* continuous, mixed signs */
    case 1: return (double)(u % 7);                        /* heavy ties */
    case 2: return u % 10 < 7 ? 0.0 : f * 1e-12;           /* mostly exact zeros */
    case 3: return ldexp(f + 0.5, (int)(u % 2000) - 1000) * (u & 1 ? -1 : 1);   /* huge range */
    case 4: { uint64_t b = u; double v; memcpy(&v, &b, sizeof v);          /* any bits but NaN */
              return isnan(v) ? 1.0 : v; }
    case 5: return u % 100 == 0 ? 1e300 : 1.0 + f * 1e-9;  /* cluster and outliers */
    case 6: return u % 3 == 0 ? -0.0 : u % 3 == 1 ? 0.0 : f;   /* -0 and +0 mixed */
    default: return u % 2 ? -0.0 : f;                      /* -0.0 only */
    }
}

/* The percentiles against the naive reference, bit for bit: sizes 1, 2, 3,
 * around the small-sort cut (48) and up to 10,007, eight shapes of data
 * (ties, zeros, subnormals and infinities, outliers, signed zeros), the
 * usual five percentiles, 0..100 by 1, and unsorted, repeated and
 * fractional ones; then as series on 1, 2, 3 and 5 threads with a row
 * stride wider than the steps. */
static void test_percentiles_naive(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 2, 3, 5, 47, 48, 49, 50, 97, 1000, 2001, 10007};
    static const double p5[] = {5, 25, 50, 75, 95}, pod[] = {50, 99.9, 0, 33.3, 50, 100, 2.5, 66.7, 0.1};
    double p101[101];
    for (int j = 0; j <= 100; j++) p101[j] = j;
    const double *plist[3] = {p5, pod, p101};
    const size_t pn[3] = {5, 9, 101};
    uint64_t h = 0x9e3779b97f4a7c15ull;
    cp_error err;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int shape = 0; shape < 8; shape++) {
            size_t n = sizes[si];
            double *x = malloc(n * sizeof *x), out[101];
            int mixed = 0, neg = 0, pos = 0;
            for (size_t i = 0; i < n; i++) {
                x[i] = rnd_value(&h, shape);
                if (x[i] == 0) { if (signbit(x[i])) neg = 1; else pos = 1; }
            }
            mixed = neg && pos;
            for (int pl = 0; pl < 3; pl++) {
                assert_ok(cp_unc_percentiles(x, n, plist[pl], pn[pl], out, &err), &err);
                for (size_t j = 0; j < pn[pl]; j++) {
                    double want = naive_pct(x, n, plist[pl][j]);
                    if (!same_value(out[j], want, mixed))
                        fail_msg("n %zu shape %d p %g: %.17g, want %.17g", n, shape, plist[pl][j], out[j], want);
                }
            }
            free(x);
        }
    /* series: nsteps columns of mixed shapes, stride ld, several threads */
    const size_t n = 3001, nsteps = 70, ld = 73;
    double *Y = malloc(n * ld * sizeof *Y), *col = malloc(n * sizeof *col);
    double *ref = malloc(5 * nsteps * sizeof *ref), *out = malloc(5 * nsteps * sizeof *out);
    int *mixed = calloc(nsteps, sizeof *mixed);
    for (size_t r = 0; r < n; r++)
        for (size_t t = 0; t < ld; t++) Y[r * ld + t] = t < nsteps ? rnd_value(&h, (int)(t % 8)) : NAN;
    for (size_t t = 0; t < nsteps; t++) {
        int neg = 0, pos = 0;
        for (size_t r = 0; r < n; r++) {
            col[r] = Y[r * ld + t];
            if (col[r] == 0) { if (signbit(col[r])) neg = 1; else pos = 1; }
        }
        mixed[t] = neg && pos;
        for (size_t j = 0; j < 5; j++) ref[j * nsteps + t] = naive_pct(col, n, p5[j]);
    }
    static const size_t nth[] = {1, 2, 3, 5};
    for (size_t i = 0; i < 4; i++) {
        assert_ok(cp_unc_series_stats(Y, n, nsteps, ld, p5, 5, out, NULL, NULL, nth[i], &err), &err);
        for (size_t j = 0; j < 5 * nsteps; j++)
            if (!same_value(out[j], ref[j], mixed[j % nsteps]))
                fail_msg("series step %zu p %g threads %zu: %.17g, want %.17g", j % nsteps, p5[j / nsteps],
                         nth[i], out[j], ref[j]);
    }
    assert_ok(cp_unc_percentiles_series(Y, n, nsteps, ld, p5, 5, out, &err), &err);
    for (size_t j = 0; j < 5 * nsteps; j++) assert_true(same_value(out[j], ref[j], mixed[j % nsteps]));
    /* the first NaN (lowest step, then lowest draw) is the one reported,
     * whichever thread finds it */
    Y[2000 * ld + 60] = NAN;
    Y[5 * ld + 61] = NAN;
    Y[2500 * ld + 40] = NAN;
    Y[100 * ld + 40] = NAN;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(cp_unc_series_stats(Y, n, nsteps, ld, p5, 5, out, NULL, NULL, nth[i], &err), CP_EINPUT);
        assert_msg_has(&err, "draw 100 is NaN at step 40");
    }
    free(Y); free(col); free(ref); free(out); free(mixed);
}

/* For x = 1..n: mean (m+1)/2 after m draws, sample variance m(m+1)/12,
 * so se = sqrt((m+1)/12). */
static void test_running(void **state)
{
    (void)state;
    double x[100], mean[100], se[100];
    for (int i = 0; i < 100; i++) x[i] = i + 1;
    cp_unc_running(x, 100, mean, se);
    assert_true(isnan(se[0]));
    for (int i = 1; i < 100; i++) {
        double m = i + 1;
        assert_close(mean[i], (m + 1) / 2, 1e-14);
        assert_close(se[i], sqrt((m + 1) / 12), 1e-12);
    }
}

/* The tests, in order. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles_known),
        cmocka_unit_test(test_percentiles_reference),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_percentiles_naive),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_running),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
