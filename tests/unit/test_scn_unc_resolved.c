/*
 * test_scn_unc_resolved.c — scenario.resolved.yaml echoes the uncertainty:
 * section (src/scenario/scn_unc.c, scn_build.c): a scenario with every
 * kind of law (one-line and mapping specs, a lognormal given by its
 * median, truncations, a central value, discrete values out of order with
 * and without weights, numbers that need 17 digits), correlations and
 * non-default settings is written out, parsed back, and gives the same
 * section: the same settings, paths, laws (every field, and every
 * quantile bit for bit) and correlations.  A scenario without the section
 * writes none.
 */
#include "testutil.h"

/* Base of the scenarios below: the Japan case (for its controls). */
#define BASE "extends: ../../../../scenarios/japan-cutoff-12m.yaml\n"

/* The scenario with one uncertainty: section holding everything. */
static const char full[] =
    BASE
    "uncertainty:\n"
    "  draws: 123\n"
    "  seed: 9007199254740991\n"
    "  threads: 3\n"
    "  percentiles: [10, 50, 90]\n"
    "  account_ranges: false\n"
    "  range_shape: pert\n"
    "  sampling: lhs\n"
    "  parameters:\n"
    "    controls.regime.approval_share: {dist: uniform, min: 0, max: 0.1234567890123456789}\n"
    "    controls.criticality_scale: triangular min=0.5 mode=1 max=1.5\n"
    "    ario.psi_param: {dist: normal, mean: 0.8, sd: 0.05, min: 0.6, max: 1}\n"
    "    ario.alpha_tau: {dist: lognormal, median: 365, sigma: 0.3}\n"
    "    ario.main_inv_dur: {dist: lognormal, mu: 2.5, sigma: 0.2, max: 40}\n"
    "    use[Dy,3531].criticality: {dist: beta, alpha: 2, beta: 3, min: 0.2, max: 0.6, central: 0.35}\n"
    "    supply[Dy].inventory_days: {dist: discrete, values: [90, 30, 60], weights: [1, 2, 1]}\n"
    "    supply[*].stockpile.days: {dist: discrete, values: [45, 15]}\n"
    "  correlations:\n"
    "    - [controls.criticality_scale, ario.psi_param, -0.3]\n"
    "    - {a: \"supply[Dy].inventory_days\", b: \"supply[*].stockpile.days\", r: 0.7}\n";

/* Doubles equal as values (NaN equals NaN). */
static int same_num(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* Parse text as if it were a file in tests/data/scenarios/unc/ (for extends:). */
static void parse(cp_scn *s, const char *text)
{
    cp_error err;
    cp_error_clear(&err);
    int rc = cp_scn_parse(s, "tests/data/scenarios/unc/resolved-test.yaml", text, strlen(text), &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* The same law: every field the kind uses and every quantile. */
static void assert_same_dist(const cp_unc_dist *a, const cp_unc_dist *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->kind, b->kind);
    assert_true(a->checked && b->checked);
    const double fa[] = {a->min, a->max, a->mode, a->mean, a->sd, a->mu, a->sigma, a->alpha, a->beta, a->central, a->p_lo, a->p_hi};
    const double fb[] = {b->min, b->max, b->mode, b->mean, b->sd, b->mu, b->sigma, b->alpha, b->beta, b->central, b->p_lo, b->p_hi};
    for (size_t k = 0; k < sizeof fa / sizeof fa[0]; k++) assert_true(same_num(fa[k], fb[k]));
    assert_int_equal(a->nvalues, b->nvalues);
    assert_int_equal(a->nweights, b->nweights);
    for (size_t i = 0; i < a->nvalues; i++) {
        assert_true(a->values[i] == b->values[i]);
        assert_true(a->cum[i] == b->cum[i]);
    }
    for (size_t i = 0; i < a->nweights; i++) assert_true(a->weights[i] == b->weights[i]);
    for (int q = 0; q <= 20; q++) assert_true(same_num(cp_unc_dist_quantile(a, q / 20.0), cp_unc_dist_quantile(b, q / 20.0)));
    assert_true(same_num(cp_unc_dist_central(a), cp_unc_dist_central(b)));
}

/* Every setting, parameter and correlation survives the round trip. */
static void test_roundtrip(void **state)
{
    (void)state;
    cp_scn a, b;
    parse(&a, full);
    char *y = cp_scn_resolved_yaml(&a);
    assert_non_null(y);
    assert_non_null(strstr(y, "\nuncertainty:\n"));
    parse(&b, y);
    const cp_scn_unc *u = a.unc, *v = b.unc;
    assert_non_null(u);
    assert_non_null(v);
    /* the values given above, not just a == b */
    assert_int_equal(u->draws, 123);
    assert_true(u->seed == 9007199254740991ULL);
    assert_int_equal(u->npar, 8);
    assert_int_equal(u->ncorr, 2);
    assert_int_equal(v->draws, u->draws);
    assert_true(v->seed == u->seed);
    assert_int_equal(v->threads, 3);
    assert_int_equal(v->npct, 3);
    assert_true(v->pct[0] == 10 && v->pct[1] == 50 && v->pct[2] == 90);
    assert_int_equal(v->account_ranges, 0);
    assert_string_equal(v->range_shape, "pert");
    assert_int_equal(u->sampling, CP_UNC_SAMPLING_LHS);
    assert_int_equal(v->sampling, CP_UNC_SAMPLING_LHS);
    assert_int_equal(v->npar, u->npar);
    for (size_t i = 0; i < u->npar; i++) {
        assert_string_equal(v->par[i].path, u->par[i].path);
        assert_same_dist(&v->par[i].dist, &u->par[i].dist);
    }
    /* the lognormal given by its median: mu = ln 365 */
    assert_true(fabs(u->par[3].dist.mu - log(365.0)) < 1e-15);
    /* discrete values sorted with their weights: 30 (2), 60 (1), 90 (1) */
    assert_true(u->par[6].dist.values[0] == 30 && u->par[6].dist.weights[0] == 2);
    assert_int_equal(v->ncorr, u->ncorr);
    for (size_t i = 0; i < u->ncorr; i++) {
        assert_string_equal(v->corr[i].a, u->corr[i].a);
        assert_string_equal(v->corr[i].b, u->corr[i].b);
        assert_true(v->corr[i].r == u->corr[i].r);
    }
    assert_true(u->corr[1].r == 0.7);
    /* written again: the same text (a fixed point) */
    char *y2 = cp_scn_resolved_yaml(&b);
    assert_non_null(y2);
    const char *s1 = strstr(y, "\nuncertainty:\n"), *s2 = strstr(y2, "\nuncertainty:\n");
    assert_non_null(s2);
    assert_string_equal(s1, s2);
    free(y);
    free(y2);
    cp_scn_free(&a);
    cp_scn_free(&b);
}

/* Defaults are written out; no section, no text. */
static void test_defaults_and_none(void **state)
{
    (void)state;
    cp_scn a, b;
    parse(&a, BASE "uncertainty: {}\n");
    char *y = cp_scn_resolved_yaml(&a);
    assert_non_null(strstr(y, "uncertainty:\n  draws: 1000\n  seed: 1\n  threads: 0\n  percentiles: [5, 25, 50, 75, 95]\n"
                              "  account_ranges: true\n  range_shape: triangular\n  sampling: mc\n  parameters: {}\n  correlations: []\n"));
    parse(&b, y);
    assert_int_equal(b.unc->draws, 1000);
    assert_int_equal(b.unc->npar, 0);
    free(y);
    cp_scn_free(&a);
    cp_scn_free(&b);
    parse(&a, BASE);
    y = cp_scn_resolved_yaml(&a);
    assert_null(strstr(y, "uncertainty:"));
    free(y);
    cp_scn_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_defaults_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
