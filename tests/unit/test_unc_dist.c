/*
 * test_unc_dist.c — distributions for uncertain parameters: inverse CDFs
 * against their closed forms (and libm's erfc, independent of GSL), the
 * central values, sample moments of drawn values against the analytic
 * means, and every refusal a scenario author can hit, with its message.
 */
#include "testutil.h"

/* A checked distribution from a one-line spec; fails the test otherwise. */
static cp_unc_dist make(const char *spec)
{
    cp_unc_dist d;
    cp_error err;
    if (cp_unc_dist_parse(&d, "p", spec, &err)) {
        print_error("%s: %s\n", spec, err.msg);
        fail();
    }
    return d;
}

/* Standard normal upper tail by libm: Q(z) = erfc(z / sqrt 2) / 2. */
static double Qz(double z) { return 0.5 * erfc(z / sqrt(2.0)); }

/* Closed-form quantiles of each kind. */
static void test_quantiles(void **state)
{
    (void)state;
    cp_unc_dist u = make("uniform min=2 max=6");
    assert_close(cp_unc_dist_quantile(&u, 0.25), 3.0, 1e-15);
    assert_true(cp_unc_dist_quantile(&u, 0.0) == 2.0 && cp_unc_dist_quantile(&u, 1.0) == 6.0);

    /* triangular: F(x) = (x-a)^2/((b-a)(c-a)) left of the mode */
    cp_unc_dist t = make("{dist: triangular, min: 0.2, mode: 0.5, max: 0.9}");
    assert_close(cp_unc_dist_quantile(&t, 0.2), 0.2 + sqrt(0.2 * 0.7 * 0.3), 1e-14);
    assert_close(cp_unc_dist_quantile(&t, 0.9), 0.9 - sqrt(0.1 * 0.7 * 0.4), 1e-14);
    assert_close(cp_unc_dist_quantile(&t, 0.3 / 0.7), 0.5, 1e-14);

    /* normal: z_0.975 = 1.959963984540054 (Abramowitz & Stegun 26.2) */
    cp_unc_dist n = make("normal mean=10 sd=2");
    assert_close(cp_unc_dist_quantile(&n, 0.975), 10 + 2 * 1.959963984540054, 1e-12);
    /* half normal: median = z_0.75 = 0.6744897501960817 */
    cp_unc_dist h = make("normal mean=0 sd=1 min=0");
    assert_close(cp_unc_dist_quantile(&h, 0.5), 0.6744897501960817, 1e-12);
    assert_true(cp_unc_dist_quantile(&h, 0.0) == 0.0);
    /* far upper tail [5, 6]: the median m has Q(m) = (Q(5) + Q(6)) / 2 */
    cp_unc_dist far = make("normal mean=0 sd=1 min=5 max=6");
    double m = cp_unc_dist_quantile(&far, 0.5);
    assert_true(m > 5 && m < 6);
    assert_close(Qz(m), 0.5 * (Qz(5) + Qz(6)), 1e-9);

    /* lognormal: median e^mu, q(Phi(1)) = median * e^sigma */
    cp_unc_dist l = make("lognormal median=3 sigma=0.5");
    assert_close(cp_unc_dist_quantile(&l, 0.5), 3.0, 1e-14);
    assert_close(cp_unc_dist_quantile(&l, 1.0 - Qz(1.0)), 3.0 * exp(0.5), 1e-12);
    cp_unc_dist l2 = make("lognormal mu=0 sigma=1 max=1");   /* truncated at the median */
    assert_close(cp_unc_dist_quantile(&l2, 0.5), exp(-0.6744897501960817), 1e-12);

    /* beta(2,1): F = x^2; beta(1,3): F = 1-(1-x)^3; beta(1,1) on [2,4] uniform */
    cp_unc_dist b21 = make("beta alpha=2 beta=1");
    assert_close(cp_unc_dist_quantile(&b21, 0.25), 0.5, 1e-12);
    cp_unc_dist b13 = make("beta alpha=1 beta=3");
    assert_close(cp_unc_dist_quantile(&b13, 0.5), 1.0 - cbrt(0.5), 1e-12);
    cp_unc_dist b11 = make("beta alpha=1 beta=1 min=2 max=4");
    assert_close(cp_unc_dist_quantile(&b11, 0.3), 2.6, 1e-12);

    /* shapes where GSL's own inverse gives up: arcsine law Beta(1/2, 1/2),
     * F = (2/pi) asin(sqrt x); Beta(a, 1), F = x^a; Beta(1, b), F = 1-(1-x)^b */
    cp_unc_dist arc = make("beta alpha=0.5 beta=0.5");
    cp_unc_dist a05 = make("beta alpha=0.05 beta=1");
    cp_unc_dist b1k = make("beta alpha=1 beta=1000");
    const double us[] = { 1e-9, 1e-4, 0.01, 0.3, 0.5, 0.77, 0.99, 1 - 1e-6 };
    for (size_t k = 0; k < sizeof us / sizeof *us; k++) {
        double s = sin(M_PI * us[k] / 2);
        assert_close(cp_unc_dist_quantile(&arc, us[k]), s * s, 1e-9);
        assert_close(cp_unc_dist_quantile(&a05, us[k]), pow(us[k], 20.0), 1e-9);
        assert_close(cp_unc_dist_quantile(&b1k, us[k]), -expm1(log1p(-us[k]) / 1000.0), 1e-9);
    }

    /* discrete: sorted 1 (0.5), 2 (0.3), 3 (0.2) */
    cp_unc_dist dd = make("discrete values=[3, 1, 2] weights=[0.2, 0.5, 0.3]");
    assert_true(cp_unc_dist_quantile(&dd, 0.5) == 1.0);
    assert_true(cp_unc_dist_quantile(&dd, 0.5000001) == 2.0);
    assert_true(cp_unc_dist_quantile(&dd, 0.81) == 3.0);
    assert_true(cp_unc_dist_quantile(&dd, 0.0) == 1.0);
}

/* Central values: explicit, mode, mean, median. */
static void test_central(void **state)
{
    (void)state;
    cp_unc_dist t = make("triangular min=0.2 mode=0.3 max=0.9");
    assert_true(cp_unc_dist_central(&t) == 0.3);
    cp_unc_dist n = make("normal mean=4 sd=1");
    assert_true(cp_unc_dist_central(&n) == 4.0);
    cp_unc_dist u = make("uniform min=1 max=3");
    assert_close(cp_unc_dist_central(&u), 2.0, 1e-15);
    cp_unc_dist c = make("uniform min=1 max=3 central=1.5");
    assert_true(cp_unc_dist_central(&c) == 1.5);
    cp_unc_dist l = make("lognormal median=7 sigma=1");
    assert_close(cp_unc_dist_central(&l), 7.0, 1e-14);
}

/* Key-by-key filling, as the YAML layer will do it. */
static void test_set_keys(void **state)
{
    (void)state;
    cp_unc_dist d;
    cp_error err;
    cp_unc_dist_init(&d, "loss_share");
    assert_ok(cp_unc_dist_set(&d, "min", "0.2", &err), &err);
    assert_ok(cp_unc_dist_set(&d, "dist", "triangular", &err), &err);
    assert_ok(cp_unc_dist_set(&d, "max", "0.9", &err), &err);
    assert_ok(cp_unc_dist_set_num(&d, "mode", 0.5, &err), &err);
    assert_ok(cp_unc_dist_check(&d, &err), &err);
    assert_true(d.kind == CP_UNC_TRIANGULAR && d.min == 0.2 && d.mode == 0.5 && d.max == 0.9);
    cp_unc_dist_init(&d, "v");
    assert_ok(cp_unc_dist_set(&d, "dist", "discrete", &err), &err);
    assert_ok(cp_unc_dist_set(&d, "values", "1 2 4", &err), &err);
    assert_ok(cp_unc_dist_check(&d, &err), &err);
    assert_true(d.nvalues == 3 && d.cum[0] == 1.0 / 3.0 && d.cum[2] == 1.0);
    assert_true(cp_unc_kind_of("beta") == CP_UNC_BETA);
    assert_string_equal(cp_unc_kind_name(CP_UNC_LOGNORMAL), "lognormal");
}

/* [low, central, high] ranges: triangular with the central as mode;
 * beta-PERT with alpha = 1 + 4(c-a)/(b-a), beta = 1 + 4(b-c)/(b-a)
 * (Malcolm et al. 1959; Vose 2008): [0, 0.25, 1] is Beta(2, 4); [2, 3, 4]
 * is Beta(3, 3), median 3. */
static void test_from_range(void **state)
{
    (void)state;
    cp_unc_dist d;
    cp_error err;
    assert_ok(cp_unc_dist_from_range(&d, "supply[Dy].inventory_days", 30, 60, 120, NULL, &err), &err);
    assert_true(d.kind == CP_UNC_TRIANGULAR && d.min == 30 && d.mode == 60 && d.max == 120);
    assert_true(cp_unc_dist_central(&d) == 60);
    assert_ok(cp_unc_dist_from_range(&d, "share", 0, 0.25, 1, "pert", &err), &err);
    assert_true(d.kind == CP_UNC_BETA && d.alpha == 2.0 && d.beta == 4.0 && d.min == 0 && d.max == 1);
    assert_true(cp_unc_dist_central(&d) == 0.25);
    assert_ok(cp_unc_dist_from_range(&d, "share", 2, 3, 4, "pert", &err), &err);
    assert_close(cp_unc_dist_quantile(&d, 0.5), 3.0, 1e-12);
    assert_ok(cp_unc_dist_from_range(&d, "share", 2, 2.5, 4, "uniform", &err), &err);
    assert_true(d.kind == CP_UNC_UNIFORM && cp_unc_dist_central(&d) == 2.5);
    assert_int_equal(cp_unc_dist_from_range(&d, "share", 2, 5, 4, NULL, &err), CP_EINPUT);
    assert_msg_has(&err, "low <= central <= high");
    assert_int_equal(cp_unc_dist_from_range(&d, "share", 2, 2, 2, NULL, &err), CP_EINPUT);
    assert_int_equal(cp_unc_dist_from_range(&d, "share", 2, 3, 4, "gamma", &err), CP_EINPUT);
    assert_msg_has(&err, "unknown range shape 'gamma'");
}

/* Expect spec to be refused with a message containing needle. */
static void refused(const char *spec, const char *needle)
{
    cp_unc_dist d;
    cp_error err;
    cp_error_clear(&err);
    if (cp_unc_dist_parse(&d, "share", spec, &err) == 0) {
        print_error("'%s' was accepted\n", spec);
        fail();
    }
    assert_int_equal(err.code, CP_EINPUT);
    assert_msg_has(&err, "parameter 'share'");
    assert_msg_has(&err, needle);
}

/* Every kind of bad input gets a message that says what to change. */
static void test_errors(void **state)
{
    (void)state;
    refused("uniform min=0.9 max=0.2", "min 0.9 must be < max 0.2");
    refused("triangular min=0.2 mode=0.95 max=0.9", "mode 0.95 lies outside [min, max]");
    refused("triangular min=0.2 max=0.9", "needs mode");
    refused("uniform min=0.2 mdoe=0.5 max=0.9", "unknown key 'mdoe'");
    refused("uniform min=0.2 mode=0.5 max=0.9", "mode does not apply to a uniform distribution");
    refused("uniform min=abc max=1", "min: 'abc' is not a finite number");
    refused("uniform min=nan max=1", "is not a finite number");
    refused("gamma shape=2", "unknown distribution 'gamma'");
    refused("min=1 max=2", "no distribution");
    refused("normal mean=1 sd=0", "sd 0 must be > 0");
    refused("normal mean=0 sd=1 min=50 max=60", "keeps no probability");
    refused("lognormal mu=0 median=1 sigma=1", "mu or median, not both");
    refused("lognormal median=-1 sigma=1", "median -1 must be > 0");
    refused("lognormal mu=0 sigma=1 min=-1", "min -1 must be >= 0");
    refused("beta alpha=0 beta=2", "must be > 0");
    refused("beta alpha=2 beta=2 min=1", "both min and max");
    refused("discrete values=[1, 2] weights=[1]", "1 weights for 2 values");
    refused("discrete values=[1, 2] weights=[1, -1]", "weight 2 is negative");
    refused("discrete values=[1, 2] weights=[0, 0]", "sum to 0");
    refused("uniform min=1 min=2 max=3", "key 'min' given twice");
    refused("uniform min=1 max=3 central=5", "central 5 lies outside");
    refused("uniform min=1 max", "has no value");

    cp_unc_dist d;
    cp_error err;
    cp_unc_dist_init(&d, "x");
    assert_int_equal(cp_unc_dist_set(&d, "maximum", "1", &err), CP_EINPUT);
    assert_msg_has(&err, "valid keys are");
    assert_int_equal(cp_unc_dist_set_num(&d, "dist", 3, &err), CP_EINPUT);
    assert_msg_has(&err, "dist takes a name");
}

/* Ascending order of doubles for qsort. */
static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Draws have the analytic means (within 4 standard errors of 40,000
 * draws) and the triangular draws pass a Kolmogorov–Smirnov test at 1 %. */
static void test_sample_moments(void **state)
{
    (void)state;
    const size_t n = 40000;
    struct { const char *spec; double mean, sd; } c[] = {
        { "uniform min=2 max=6", 4.0, 4.0 / sqrt(12.0) },
        { "triangular min=0.2 mode=0.5 max=0.9", (0.2 + 0.5 + 0.9) / 3.0,
          sqrt((0.04 + 0.25 + 0.81 - 0.1 - 0.18 - 0.45) / 18.0) },
        { "normal mean=0 sd=1 min=0", sqrt(2.0 / M_PI), sqrt(1.0 - 2.0 / M_PI) },
        { "lognormal mu=0.1 sigma=0.4", exp(0.1 + 0.08), exp(0.1 + 0.08) * sqrt(exp(0.16) - 1.0) },
        { "beta alpha=2 beta=5", 2.0 / 7.0, sqrt(10.0 / (49.0 * 8.0)) },
        { "discrete values=[1, 2, 3] weights=[1, 1, 2]", 2.25, sqrt(0.25 * 1.5625 + 0.25 * 0.0625 + 0.5 * 0.5625) },
    };
    size_t k = sizeof c / sizeof *c;
    cp_unc_dist *dist = calloc(k, sizeof *dist);
    for (size_t j = 0; j < k; j++) dist[j] = make(c[j].spec);
    double *X = malloc(n * k * sizeof *X);
    cp_error err;
    assert_ok(cp_unc_sample(dist, k, 20261129, 0, n, X, &err), &err);
    for (size_t j = 0; j < k; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += X[i * k + j];
        double mean = s / (double)n, se = c[j].sd / sqrt((double)n);
        if (fabs(mean - c[j].mean) > 4 * se) {
            print_error("%s: mean %.6f, expected %.6f (se %.2g)\n", c[j].spec, mean, c[j].mean, se);
            fail();
        }
    }
    /* KS for the triangular column against F(x) */
    double *col = malloc(n * sizeof *col);
    for (size_t i = 0; i < n; i++) col[i] = X[i * k + 1];
    qsort(col, n, sizeof *col, cmp);
    double D = 0;
    for (size_t i = 0; i < n; i++) {
        double x = col[i];
        double F = x < 0.5 ? (x - 0.2) * (x - 0.2) / (0.7 * 0.3) : 1.0 - (0.9 - x) * (0.9 - x) / (0.7 * 0.4);
        D = fmax(D, fmax(fabs(F - (double)i / (double)n), fabs(F - (double)(i + 1) / (double)n)));
    }
    assert_true(D < 1.628 / sqrt((double)n));
    free(col); free(X); free(dist);
}

/* The tests, in order. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_central),
        cmocka_unit_test(test_set_keys),
        cmocka_unit_test(test_from_range),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sample_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
