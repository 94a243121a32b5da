/*
 * test_iim.c — the static inoperability input–output model against the
 * published answers in ../shared/reference/iim_golden.md (Haimes & Jiang
 * 2001; Lian & Haimes 2006), compared at their printed precision, and
 * against the Leontief and Ghosh models it restates.
 */
#include "testutil.h"

/* |got - want| within half a unit of the last printed digit. */
static void near(double got, double want, double half_unit)
{
    if (fabs(got - want) > half_unit) {
        print_error("q = %.6f, published %.3f (tolerance %.4f)\n", got, want, half_unit);
        fail();
    }
}

/* Case 1: A* = [[0, .8], [.2, 0]], c* = [0, .6] -> [0.571, 0.714]. */
static void test_golden_1(void **state)
{
    (void)state;
    const double A[] = {0, .8, .2, 0}, c[] = {0, .6};
    double q[2];
    cp_error err;
    assert_ok(cp_iim_demand(2, A, c, q, 1, &err), &err);
    near(q[0], 0.571, 5e-4);
    near(q[1], 0.714, 5e-4);
}

/* Case 2: four sectors; the last two exceed 1 and are clipped:
 * [0.70, 0.78, 1.0, 1.0]. */
static void test_golden_2_clipped(void **state)
{
    (void)state;
    const double A[] = {0, .9, 0, 0, .4, 0, 0, 0, 1, .8, 0, 0, 1, .9, 0, 0};
    const double c[] = {0, .5, 0, 0};
    double q[4];
    cp_error err;
    assert_ok(cp_iim_demand(4, A, c, q, 1, &err), &err);
    near(q[0], 0.70, 5e-3);
    near(q[1], 0.78, 5e-3);
    assert_true(q[2] == 1.0);
    assert_true(q[3] == 1.0);
    /* unclipped, the linear model says more than everything is lost */
    assert_ok(cp_iim_demand(4, A, c, q, 0, &err), &err);
    assert_true(q[2] > 1.0 && q[3] > 1.0);
    near(q[0], 0.70, 5e-3);
}

/* Case 3: [0.04, 0.02, 0.14]. */
static void test_golden_3(void **state)
{
    (void)state;
    const double A[] = {0, 0, .3, .4, 0, 0, .2, .6, 0}, c[] = {0, 0, .12};
    double q[3];
    cp_error err;
    assert_ok(cp_iim_demand(3, A, c, q, 1, &err), &err);
    near(q[0], 0.04, 5e-3);
    near(q[1], 0.02, 5e-3);
    near(q[2], 0.14, 5e-3);
}

/* Case 4 (Lian & Haimes 2006): [0.066, 0.112]; c* may be overwritten in
 * place (q == c). */
static void test_golden_4(void **state)
{
    (void)state;
    const double A[] = {.15, .5, .10, .05};
    double c[] = {0, .1};
    cp_error err;
    assert_ok(cp_iim_demand(2, A, c, c, 1, &err), &err);
    near(c[0], 0.066, 5e-4);
    near(c[1], 0.112, 5e-4);
}

/* On a table, demand IIM = Leontief in fractions: q_i = (L dy)_i / x_i;
 * supply IIM = Ghosh in fractions: q_j = (dw' G)_j / x_j.  Miller & Blair
 * two-sector table (x = [1000, 2000], L and G with det .7575). */
static void test_table_equivalence(void **state)
{
    (void)state;
    cp_table *t = cp_table_new(2, 1, 1);
    static const double Z[] = {150, 500, 200, 100};
    memcpy(t->Z, Z, sizeof Z);
    t->Y[0] = 350, t->Y[1] = 1700, t->x[0] = 1000, t->x[1] = 2000;
    t->V[0] = 650, t->V[1] = 1400;
    double As[4], Ss[4], c[2], q[2];
    cp_error err;
    cp_iim_interdependency(t, As);
    const double b[] = {.15, .5, .1, .05}; /* A* = diag(x)^-1 A diag(x) = B */
    for (int k = 0; k < 4; k++) assert_close(As[k], b[k], 1e-15);
    const double dy[] = {0, 100};
    cp_iim_perturbation(t, dy, c);
    assert_close(c[1], 0.05, 1e-15);
    assert_ok(cp_iim_demand(2, As, c, q, 0, &err), &err);
    /* L dy = 100 [.25, .85] / .7575 */
    assert_close(q[0], 100 * .25 / .7575 / 1000, 1e-14);
    assert_close(q[1], 100 * .85 / .7575 / 2000, 1e-14);
    cp_iim_supply_interdependency(t, Ss);
    const double a[] = {.15, .25, .2, .05}; /* S* = A */
    for (int k = 0; k < 4; k++) assert_close(Ss[k], a[k], 1e-15);
    const double dw[] = {65, 0};
    cp_iim_perturbation(t, dw, c);
    assert_ok(cp_iim_supply(2, Ss, c, q, 1, &err), &err);
    /* dw' G = 65 [.95, .5] / .7575 */
    assert_close(q[0], 65 * .95 / .7575 / 1000, 1e-14);
    assert_close(q[1], 65 * .5 / .7575 / 2000, 1e-14);
    cp_table_free(t);
}

/* Negative inoperability (a demand gain) is clipped to 0. */
static void test_clip_low(void **state)
{
    (void)state;
    const double A[] = {0, .5, 0, 0}, c[] = {0, -.2};
    double q[2];
    cp_error err;
    assert_ok(cp_iim_demand(2, A, c, q, 1, &err), &err);
    assert_true(q[0] == 0 && q[1] == 0);
}

/* The cases, in the order of iim_golden.md, then the identities. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_1),
        cmocka_unit_test(test_golden_2_clipped),
        cmocka_unit_test(test_golden_3),
        cmocka_unit_test(test_golden_4),
        cmocka_unit_test(test_table_equivalence),
        cmocka_unit_test(test_clip_low),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
