/*
 * test_diim.c — the dynamic IIM against the published static answers
 * (../shared/reference/iim_golden.md, Lian & Haimes 2006 case 4) and the
 * recovery calibration k_i = -ln(lambda) / (T_i (1 - a*_ii)).
 */
#include "testutil.h"

/* Case 4 with K = diag(0.2, 0.2) converges to the static IIM within 100
 * steps to 1e-6; the static solution is the 2x2 inverse (an identity),
 * and matches the published [0.066, 0.112] at their precision. */
static void test_case4_converges(void **state)
{
    (void)state;
    const double A[4] = {0.15, 0.5, 0.10, 0.05}, c[2] = {0, 0.1}, k[2] = {0.2, 0.2};
    double q[101 * 2];
    cp_error err;
    assert_ok(cp_diim_run(2, A, k, c, 0, NULL, 100, 1, q, &err), &err);
    /* (I - A*) q = c*, solved by Cramer's rule */
    double a = 1 - A[0], b = -A[1], cc = -A[2], d = 1 - A[3], det = a * d - b * cc;
    double s0 = (c[0] * d - b * c[1]) / det, s1 = (a * c[1] - cc * c[0]) / det;
    assert_true(fabs(q[100 * 2 + 0] - s0) <= 1e-6);
    assert_true(fabs(q[100 * 2 + 1] - s1) <= 1e-6);
    assert_true(fabs(q[200] - 0.066) < 0.0005 && fabs(q[201] - 0.112) < 0.0005);
    /* not yet there early on: it is a dynamic path */
    assert_true(fabs(q[10 * 2 + 1] - s1) > 1e-3);
}

/* The calibrated k brings an isolated sector (A* = 0) to lambda q0 in T
 * steps of the continuous model; the discrete path needs about T steps. */
static void test_calibration(void **state)
{
    (void)state;
    const double A[4] = {0.0, 0.0, 0.0, 0.0}, T[2] = {100, 200};
    double k[2];
    cp_error err;
    assert_ok(cp_diim_calibrate(2, A, T, 0.01, k, &err), &err);
    assert_close(k[0], -log(0.01) / 100, 1e-12);
    assert_close(k[1], -log(0.01) / 200, 1e-12);
    const double q0[2] = {0.5, 0};
    size_t s = cp_diim_recovery_steps(2, A, k, q0, 0.01, 1000);
    /* discrete: (1 - k)^s <= 0.01  <=>  s >= ln 0.01 / ln(1 - k) */
    size_t expect = (size_t)ceil(log(0.01) / log(1 - k[0]));
    assert_int_equal(s, expect);
    assert_true(s >= 95 && s <= 100);
    /* with a diagonal a*_ii the time stretches by 1/(1 - a*_ii) in k */
    const double A2[4] = {0.5, 0, 0, 0.5};
    assert_ok(cp_diim_calibrate(2, A2, T, 0.01, k, &err), &err);
    assert_close(k[0], -log(0.01) / (100 * 0.5), 1e-12);
    assert_int_equal(cp_diim_calibrate(2, A2, T, 1.5, k, &err), CP_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case4_converges),
        cmocka_unit_test(test_calibration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
