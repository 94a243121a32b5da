/*
 * test_unc_sample.c — reproducible draws and rank correlation: the stream
 * seeds never collide, any chunking of the draws gives the same bits,
 * Iman–Conover reaches a target Spearman matrix within 0.02 on 10,000
 * draws while each column keeps exactly its values, and the Spearman
 * coefficient matches hand-computed values (ties included).  Latin
 * hypercube: every stratum of every parameter holds exactly one draw
 * (before and after Iman–Conover), the k-th smallest value lies between the
 * law's k/n and (k+1)/n quantiles, a uniform's sample mean is within the
 * analytic bound (b - a) / (2n) of (a + b) / 2, and the matrix is a
 * function of the seed.
 */
#include "testutil.h"

/* Ascending order for qsort. */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Ascending order for qsort. */
static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Three checked parameters with different shapes. */
static void three(cp_unc_dist *d)
{
    cp_error err;
    assert_ok(cp_unc_dist_parse(&d[0], "share", "triangular min=0.2 mode=0.5 max=0.9", &err), &err);
    assert_ok(cp_unc_dist_parse(&d[1], "months", "lognormal median=6 sigma=0.5", &err), &err);
    assert_ok(cp_unc_dist_parse(&d[2], "subst", "beta alpha=2 beta=5", &err), &err);
}

/* 2^20 consecutive draws get 2^20 distinct seeds (the map is a bijection),
 * and another master seed gives other seeds. */
static void test_stream_seeds(void **state)
{
    (void)state;
    size_t n = (size_t)1 << 20;
    uint32_t *s = malloc(n * sizeof *s);
    for (size_t k = 0; k < n; k++) s[k] = cp_unc_stream_seed(42, k);
    qsort(s, n, sizeof *s, cmp_u32);
    for (size_t k = 1; k < n; k++) assert_true(s[k] != s[k - 1]);
    assert_true(cp_unc_stream_seed(42, 7) != cp_unc_stream_seed(43, 7));
    assert_true(cp_unc_stream_seed(42, 7) == cp_unc_stream_seed(42, 7));
    free(s);
}

/* The same draws whether made at once, one by one, or in odd chunks. */
static void test_chunking(void **state)
{
    (void)state;
    cp_unc_dist d[3];
    three(d);
    const size_t n = 1000;
    double *all = malloc(n * 3 * sizeof *all), *part = malloc(n * 3 * sizeof *part);
    cp_error err;
    assert_ok(cp_unc_sample(d, 3, 7, 0, n, all, &err), &err);
    size_t chunks[] = { 1, 7, 333, 999 };
    for (size_t c = 0; c < 4; c++) {
        memset(part, 0, n * 3 * sizeof *part);
        for (size_t k = 0; k < n; k += chunks[c]) {
            size_t cnt = n - k < chunks[c] ? n - k : chunks[c];
            assert_ok(cp_unc_sample(d, 3, 7, k, cnt, part + k * 3, &err), &err);
        }
        assert_memory_equal(all, part, n * 3 * sizeof *all);
    }
    /* in reverse order too */
    for (size_t k = n; k-- > 0;) assert_ok(cp_unc_sample(d, 3, 7, k, 1, part + k * 3, &err), &err);
    assert_memory_equal(all, part, n * 3 * sizeof *all);
    /* another seed differs */
    assert_ok(cp_unc_sample(d, 3, 8, 0, n, part, &err), &err);
    assert_true(memcmp(all, part, n * 3 * sizeof *all) != 0);
    free(all); free(part);
}

/* Iman–Conover: achieved Spearman within 0.02 of the target on 10,000
 * draws; every column is a permutation of the independent draws. */
static void test_iman_conover(void **state)
{
    (void)state;
    cp_unc_dist d[3];
    three(d);
    const size_t n = 10000;
    const double C[9] = { 1.0, 0.7, -0.4,
                          0.7, 1.0, 0.2,
                          -0.4, 0.2, 1.0 };
    double *X = malloc(n * 3 * sizeof *X), *X0 = malloc(n * 3 * sizeof *X0);
    cp_error err;
    assert_ok(cp_unc_sample(d, 3, 11, 0, n, X0, &err), &err);
    assert_ok(cp_unc_sample_all(d, 3, C, 11, n, X, &err), &err);
    double R[9];
    assert_ok(cp_unc_rank_corr(X, n, 3, R, &err), &err);
    for (int i = 0; i < 9; i++) {
        if (fabs(R[i] - C[i]) > 0.02) {
            print_error("Spearman[%d] = %.4f, target %.4f\n", i, R[i], C[i]);
            fail();
        }
    }
    /* independent draws: near 0 before */
    assert_ok(cp_unc_rank_corr(X0, n, 3, R, &err), &err);
    assert_true(fabs(R[1]) < 0.03 && fabs(R[2]) < 0.03 && fabs(R[5]) < 0.03);
    /* marginals unchanged: sorted columns equal bit for bit */
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    for (size_t j = 0; j < 3; j++) {
        for (size_t k = 0; k < n; k++) { a[k] = X0[k * 3 + j]; b[k] = X[k * 3 + j]; }
        qsort(a, n, sizeof *a, cmp_dbl);
        qsort(b, n, sizeof *b, cmp_dbl);
        assert_memory_equal(a, b, n * sizeof *a);
    }
    /* deterministic */
    double *X2 = malloc(n * 3 * sizeof *X2);
    assert_ok(cp_unc_sample_all(d, 3, C, 11, n, X2, &err), &err);
    assert_memory_equal(X, X2, n * 3 * sizeof *X);
    free(a); free(b); free(X); free(X0); free(X2);
}

/* Four laws for the hypercube tests: two uniforms (strata checked
 * directly), then the three shapes of three(). */
static void four_lhs(cp_unc_dist *d)
{
    cp_error err;
    assert_ok(cp_unc_dist_parse(&d[0], "u01", "uniform min=0 max=1", &err), &err);
    assert_ok(cp_unc_dist_parse(&d[1], "uab", "uniform min=-3 max=5", &err), &err);
    three(d + 2);
}

/* Each column of X (n × 5, four_lhs) has one draw per stratum: for the
 * uniforms floor(n (x - a) / (b - a)) takes every value 0..n-1 once; for
 * every law the k-th smallest value lies in [Q(k/n), Q((k+1)/n)]. */
static void assert_strata(const double *X, size_t n, const cp_unc_dist *d)
{
    const double lo[2] = {0, -3}, hi[2] = {1, 5};
    int *seen = calloc(n, sizeof *seen);
    double *col = malloc(n * sizeof *col);
    for (size_t j = 0; j < 5; j++) {
        if (j < 2) {
            memset(seen, 0, n * sizeof *seen);
            for (size_t k = 0; k < n; k++) {
                double s = floor((X[k * 5 + j] - lo[j]) / (hi[j] - lo[j]) * (double)n);
                assert_true(s >= 0 && s < (double)n);
                seen[(size_t)s]++;
            }
            for (size_t k = 0; k < n; k++) assert_int_equal(seen[k], 1);
        }
        for (size_t k = 0; k < n; k++) col[k] = X[k * 5 + j];
        qsort(col, n, sizeof *col, cmp_dbl);
        for (size_t k = 0; k < n; k++) {
            assert_true(col[k] >= cp_unc_dist_quantile(&d[j], (double)k / (double)n));
            assert_true(col[k] <= cp_unc_dist_quantile(&d[j], (double)(k + 1) / (double)n));
        }
    }
    free(seen);
    free(col);
}

/* One draw per stratum, for a few n, with and without a rank correlation
 * (which only reorders the columns); the correlation is still reached. */
static void test_lhs_strata(void **state)
{
    (void)state;
    cp_unc_dist d[5];
    four_lhs(d);
    cp_error err;
    const size_t ns[] = {1, 2, 7, 1000, 10000};
    const double C[25] = {1, 0.6, 0, 0, 0,  0.6, 1, 0, 0, 0,  0, 0, 1, -0.5, 0,  0, 0, -0.5, 1, 0,  0, 0, 0, 0, 1};
    for (size_t c = 0; c < sizeof ns / sizeof ns[0]; c++) {
        size_t n = ns[c];
        double *X = malloc(n * 5 * sizeof *X);
        assert_ok(cp_unc_sample_lhs(d, 5, 3, n, X, &err), &err);
        assert_strata(X, n, d);
        if (n > 5) {
            assert_ok(cp_unc_sample_design(d, 5, C, 3, n, CP_UNC_SAMPLING_LHS, X, &err), &err);
            assert_strata(X, n, d);
        }
        if (n == 10000) {
            double R[25];
            assert_ok(cp_unc_rank_corr(X, n, 5, R, &err), &err);
            for (int i = 0; i < 25; i++) assert_true(fabs(R[i] - C[i]) < 0.02);
        }
        free(X);
    }
}

/* The sample mean of U(a, b) under LHS: with stratum s_k = perm(k) and
 * U_k in (0, 1), mean = a + (b - a) (n (n - 1) / 2 + sum U_k) / n^2, so
 * |mean - (a + b) / 2| < (b - a) / (2n) whatever the draws (plain Monte
 * Carlo: sd (b - a) / sqrt(12 n)); its sd is (b - a) / sqrt(12 n^3), and
 * 6 of those is asserted too over 20 seeds. */
static void test_lhs_uniform_mean(void **state)
{
    (void)state;
    cp_unc_dist d[5];
    four_lhs(d);
    cp_error err;
    const size_t n = 1000;
    double *X = malloc(n * 5 * sizeof *X);
    const double lo[2] = {0, -3}, hi[2] = {1, 5};
    for (uint64_t seed = 1; seed <= 20; seed++) {
        assert_ok(cp_unc_sample_lhs(d, 5, seed, n, X, &err), &err);
        for (size_t j = 0; j < 2; j++) {
            double s = 0;
            for (size_t k = 0; k < n; k++) s += X[k * 5 + j];
            double dev = fabs(s / (double)n - 0.5 * (lo[j] + hi[j])), w = hi[j] - lo[j];
            assert_true(dev < w / (2.0 * (double)n));
            assert_true(dev < 6.0 * w / sqrt(12.0 * (double)n * (double)n * (double)n));
        }
    }
    free(X);
}

/* Same seed, same matrix; another seed, another; the MC design is
 * cp_unc_sample_all's bits; the names parse back. */
static void test_lhs_deterministic(void **state)
{
    (void)state;
    cp_unc_dist d[5];
    four_lhs(d);
    cp_error err;
    const size_t n = 500;
    double *A = malloc(n * 5 * sizeof *A), *B = malloc(n * 5 * sizeof *B);
    assert_ok(cp_unc_sample_design(d, 5, NULL, 9, n, CP_UNC_SAMPLING_LHS, A, &err), &err);
    assert_ok(cp_unc_sample_lhs(d, 5, 9, n, B, &err), &err);
    assert_memory_equal(A, B, n * 5 * sizeof *A);
    assert_ok(cp_unc_sample_lhs(d, 5, 10, n, B, &err), &err);
    assert_true(memcmp(A, B, n * 5 * sizeof *A) != 0);
    assert_ok(cp_unc_sample_design(d, 5, NULL, 9, n, CP_UNC_SAMPLING_MC, A, &err), &err);
    assert_ok(cp_unc_sample_all(d, 5, NULL, 9, n, B, &err), &err);
    assert_memory_equal(A, B, n * 5 * sizeof *A);
    cp_unc_sampling how;
    assert_int_equal(cp_unc_sampling_of("lhs", &how), 0);
    assert_int_equal(how, CP_UNC_SAMPLING_LHS);
    assert_string_equal(cp_unc_sampling_name(how), "lhs");
    assert_int_equal(cp_unc_sampling_of("sobol", &how), -1);
    free(A);
    free(B);
}

/* Impossible targets are refused with a hint. */
static void test_ic_errors(void **state)
{
    (void)state;
    cp_unc_dist d[3];
    three(d);
    double X[300];
    cp_error err;
    assert_ok(cp_unc_sample(d, 3, 1, 0, 100, X, &err), &err);
    const double notpd[9] = { 1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1 };
    assert_int_equal(cp_unc_iman_conover(X, 100, 3, notpd, 1, &err), CP_EINPUT);
    assert_msg_has(&err, "not positive definite");
    const double asym[9] = { 1, 0.5, 0, 0.4, 1, 0, 0, 0, 1 };
    assert_int_equal(cp_unc_iman_conover(X, 100, 3, asym, 1, &err), CP_EINPUT);
    assert_msg_has(&err, "symmetric");
    const double diag[9] = { 2, 0, 0, 0, 1, 0, 0, 0, 1 };
    assert_int_equal(cp_unc_iman_conover(X, 100, 3, diag, 1, &err), CP_EINPUT);
    assert_msg_has(&err, "diagonal");
    const double id[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
    assert_int_equal(cp_unc_iman_conover(X, 3, 3, id, 1, &err), CP_EINPUT);
    cp_unc_dist raw;
    cp_unc_dist_init(&raw, "unchecked");
    assert_int_equal(cp_unc_sample(&raw, 1, 1, 0, 1, X, &err), CP_EUSAGE);
    assert_msg_has(&err, "cp_unc_dist_check");
}

/* Spearman by hand: ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4) give
 * 4.5 / sqrt(4.5 * 5) = 0.9486832980505138; reversed order gives -1. */
static void test_rank_corr(void **state)
{
    (void)state;
    const double X[8] = { 1, 10, 2, 20, 2, 30, 3, 40 };
    double R[4];
    cp_error err;
    assert_ok(cp_unc_rank_corr(X, 4, 2, R, &err), &err);
    assert_close(R[1], 4.5 / sqrt(22.5), 1e-14);
    assert_close(R[0], 1.0, 1e-15);
    const double Y[8] = { 1, 9, 2, 7, 3, 5, 4, 1 };
    assert_ok(cp_unc_rank_corr(Y, 4, 2, R, &err), &err);
    assert_close(R[1], -1.0, 1e-15);
}

/* The tests, in order. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_seeds),
        cmocka_unit_test(test_chunking),
        cmocka_unit_test(test_iman_conover),
        cmocka_unit_test(test_ic_errors),
        cmocka_unit_test(test_rank_corr),
        cmocka_unit_test(test_lhs_strata),
        cmocka_unit_test(test_lhs_uniform_mean),
        cmocka_unit_test(test_lhs_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
