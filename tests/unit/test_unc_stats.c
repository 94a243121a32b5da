/*
 * test_unc_stats.c — percentiles against the type-7 definition (numpy's
 * np.percentile(range(1, 11), [5, 25, 50, 75, 95]) = [1.45, 3.25, 5.5,
 * 7.75, 9.55]) and a sort-based reference, series percentiles step by
 * step, and the running mean / standard error of 1..n in closed form.
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
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_running),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
