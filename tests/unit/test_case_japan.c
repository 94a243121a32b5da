/*
 * test_case_japan.c — the Japan rare-earth case end to end through the
 * library (scenario -> table at 2024 prices -> controls -> ARIO -> case
 * figures), against published numbers and accounting identities:
 *   - each published-study preset (scenarios/published/) reproduces the
 *     study's headline within 5 % (case-facts §1.1, §2): NRI ¥0.66 tn /
 *     0.11 % (3 months), ¥2.6 tn / 0.43 % (12 months), Mizuho 0.88 %,
 *     Daiwa 1.3 %;
 *   - the 2025 backtest stays below 0.05 % of GDP (case-facts §5.3: one
 *     car model stopped about three weeks; docs/japan-case.md);
 *   - a 3-month cut-off costs less than a quarter of a 12-month one in the
 *     central case (stocks and stockpile absorb the first months);
 *   - the scaled table's GDP is 609.3 tn JPY (§6) and still balances;
 *     monthly, by-industry and total losses add up; without a shock the
 *     converted table stays at equilibrium; the resolved scenario runs to
 *     the same figures.
 */
#include "testutil.h"

#ifndef CP_DATADIR
#define CP_DATADIR "data"
#endif

/* A run's case figures (and the totals of the engine's records). */
typedef struct outcome {
    double pct, value, va_total, gdp;
    double month_sum, ind_sum;
    long days;
    size_t steps;
} outcome;

/* Run a scenario file (or text, when text is non-NULL) end to end. */
static void run_case(const char *path, const char *text, outcome *o)
{
    cp_error err;
    cp_error_clear(&err);
    cp_scn s;
    if (text) assert_ok(cp_scn_parse(&s, path, text, strlen(text), &err), &err);
    else assert_ok(cp_scn_load(&s, path, &err), &err);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s", s.table_path);
    FILE *f = fopen(tp, "r");
    if (f) fclose(f);
    else snprintf(tp, sizeof tp, "%s/%s", CP_DATADIR, s.table_path);
    cp_load_opts lo = cp_load_opts_default();
    cp_table *t = NULL;
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    cp_ario *m = NULL;
    assert_ok(cp_scn_economy_apply(&s, t, &err), &err);
    assert_ok(cp_scn_controls_run(&s, t, &cm, &cr, &err), &err);
    assert_ok(cp_scn_build_ario(&s, t, &m, &err), &err);
    assert_ok(cp_scn_controls_couple(cm, cr, t, m, &err), &err);
    cp_res_run rec;
    assert_ok(cp_res_run_init(&rec, s.ario.steps, t->n, t->nfd, cp_ario_nproducts(m), 0, &err), &err);
    assert_ok(cp_res_run_ario(m, 0, &rec, NULL, NULL, &err), &err);
    long d0;
    assert_int_equal(cp_ctl_date_parse(s.start_date, &d0), 0);
    cp_res_case c;
    assert_ok(cp_res_case_compute(&c, t, &rec, d0, cm, cr, cp_scn_price_year(&s, t), &err), &err);
    cp_res_totals tot;
    cp_res_totals_of(&rec, &tot, NULL, NULL);
    memset(o, 0, sizeof *o);
    o->pct = c.gdp_loss_pct;
    o->value = c.gdp_loss;
    o->gdp = c.gdp;
    o->va_total = tot.value_added_loss;
    o->steps = rec.done;
    for (size_t q = 0; q < c.nmonths; q++) { o->month_sum += c.month_va_loss[q]; o->days += c.month_days[q]; }
    for (size_t i = 0; i < c.n; i++) o->ind_sum += c.ind_va_loss[i];
    for (size_t r = 1; r < c.n; r++)
        assert_true(c.ind_va_loss[c.order[r - 1]] >= c.ind_va_loss[c.order[r]]);
    cp_res_case_free(&c);
    cp_res_run_free(&rec);
    cp_ario_free(m);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    cp_table_free(t);
    cp_scn_free(&s);
}

/* NRI (Kiuchi; case-facts §1.1): 3 months ¥660 bn = 0.11 % of GDP, 12
 * months ¥2.6 tn = 0.43 %. */
static void test_nri(void **state)
{
    (void)state;
    outcome o;
    run_case("scenarios/published/nri-3m.yaml", NULL, &o);
    print_message("nri-3m: %.1f bn JPY, %.4f %%\n", o.value, o.pct);
    assert_true(close_rel(o.pct, 0.11, 0.05, 0));
    assert_true(close_rel(o.value, 660, 0.05, 0));
    run_case("scenarios/published/nri-12m.yaml", NULL, &o);
    print_message("nri-12m: %.1f bn JPY, %.4f %%\n", o.value, o.pct);
    assert_true(close_rel(o.pct, 0.43, 0.05, 0));
    assert_true(close_rel(o.value, 2600, 0.05, 0));
}

/* Mizuho (case-facts §2): one-year halt with 60 days of reserves, -0.88 %. */
static void test_mizuho(void **state)
{
    (void)state;
    outcome o;
    run_case("scenarios/published/mizuho-12m.yaml", NULL, &o);
    print_message("mizuho-12m: %.1f bn JPY, %.4f %%\n", o.value, o.pct);
    assert_true(close_rel(o.pct, 0.88, 0.05, 0));
}

/* Daiwa (case-facts §2): one-year cut-off, real GDP -1.3 %. */
static void test_daiwa(void **state)
{
    (void)state;
    outcome o;
    run_case("scenarios/published/daiwa-12m.yaml", NULL, &o);
    print_message("daiwa-12m: %.1f bn JPY, %.4f %%\n", o.value, o.pct);
    assert_true(close_rel(o.pct, 1.3, 0.05, 0));
}

/* 2025 as it happened: one car model stopped ~3 weeks (§5.3).  The bound
 * 0.05 % of GDP (¥305 bn) is half NRI's 3-month cut-off estimate and some
 * 15-30 times the value added of that stoppage with its suppliers
 * (docs/japan-case.md): a model that predicts more has missed 2025. */
static void test_backtest_2025(void **state)
{
    (void)state;
    outcome o;
    run_case("scenarios/japan-2025-licensing.yaml", NULL, &o);
    print_message("japan-2025-licensing: %.1f bn JPY, %.4f %%\n", o.value, o.pct);
    assert_true(o.pct >= 0);
    assert_true(o.pct < 0.05);
}

/* Company inventories (90 days) and the stockpile absorb the first months:
 * a 3-month cut-off costs less than a quarter of a 12-month one. */
static void test_3m_not_a_quarter(void **state)
{
    (void)state;
    outcome o3, o12;
    run_case("scenarios/japan-cutoff-3m.yaml", NULL, &o3);
    run_case("scenarios/japan-cutoff-12m.yaml", NULL, &o12);
    print_message("central: 3m %.1f bn JPY (%.4f %%), 12m %.1f bn JPY (%.4f %%)\n", o3.value, o3.pct,
                  o12.value, o12.pct);
    assert_true(o12.pct > 0);
    assert_true(o3.pct >= 0);
    assert_true(o3.value < 0.25 * o12.value);
    /* identities: GDP 609.3 tn JPY; months, industries and the engine's
     * value-added loss all add up to the GDP loss; every day in a month */
    assert_true(close_rel(o12.gdp, 609300, 1e-12, 0));
    assert_true(close_rel(o12.month_sum, o12.value, 1e-9, 1e-9));
    assert_true(close_rel(o12.ind_sum, o12.value, 1e-9, 1e-9));
    assert_true(close_rel(o12.va_total, o12.value, 1e-9, 1e-9));
    assert_true(close_rel(o12.pct, 100 * o12.value / 609300, 1e-12, 0));
    assert_int_equal(o12.days, (long)o12.steps);
}

/* The economy: section: GDP (value added incl. ohcr + net taxes) becomes
 * exactly the target; the domestic conversion keeps every row and column
 * balanced and GDP unchanged; the unit must match. */
static void test_economy_scaling(void **state)
{
    (void)state;
    static const char yaml[] =
        "table: japan-2015-185\n"
        "economy: {scale_to_gdp: {value: 609300, unit: bn JPY, year: 2024}}\n";
    cp_error err;
    cp_scn s;
    assert_ok(cp_scn_parse(&s, "mem.yaml", yaml, strlen(yaml), &err), &err);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s/japan-2015-185", CP_DATADIR);
    cp_load_opts lo = cp_load_opts_default();
    cp_table *t = NULL;
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    double gdp0 = cp_table_gdp(t);
    assert_true(close_rel(gdp0, 548238.7, 1e-6, 0)); /* docs/data.md */
    assert_ok(cp_scn_economy_apply(&s, t, &err), &err);
    assert_true(close_rel(cp_table_gdp(t), 609300, 1e-12, 0));
    assert_true(close_rel(cp_scn_scale_factor(&s), 609300 / gdp0, 1e-15, 0));
    assert_int_equal(cp_scn_price_year(&s, t), 2024);
    cp_validate_opts vo = cp_validate_opts_default();
    cp_balance_report rep;
    assert_ok(cp_table_validate(t, &vo, &rep, &err), &err);
    for (size_t i = 0; i < t->n * t->n; i++) assert_true(t->Z[i] >= 0);
    cp_table_free(t);
    cp_scn_free(&s);
    static const char bad[] =
        "table: japan-2015-185\n"
        "economy: {scale_to_gdp: {value: 4000, unit: bn USD, year: 2024}}\n";
    assert_ok(cp_scn_parse(&s, "bad.yaml", bad, strlen(bad), &err), &err);
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    assert_int_equal(cp_scn_economy_apply(&s, t, &err), CP_EINPUT);
    assert_string_equal(err.msg, "bad.yaml:2:26: economy.scale_to_gdp: unit 'bn USD' but table japan-2015-185 is in 'bn JPY'; hint: give the GDP in the table's unit");
    cp_table_free(t);
    cp_scn_free(&s);
}

/* Without a shock the converted (domestic-flows, scaled) table is an
 * equilibrium of the engine: a year of daily steps loses nothing. */
static void test_domestic_equilibrium(void **state)
{
    (void)state;
    static const char yaml[] =
        "table: japan-2015-185\n"
        "economy: {imports: domestic, scale_to_gdp: {value: 609300, unit: bn JPY, year: 2024}}\n"
        "ario: {steps: 365}\n";
    cp_error err;
    cp_scn s;
    assert_ok(cp_scn_parse(&s, "eq.yaml", yaml, strlen(yaml), &err), &err);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s/japan-2015-185", CP_DATADIR);
    cp_load_opts lo = cp_load_opts_default();
    cp_table *t = NULL;
    cp_ario *m = NULL;
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    assert_ok(cp_scn_economy_apply(&s, t, &err), &err);
    assert_ok(cp_scn_build_ario(&s, t, &m, &err), &err);
    cp_res_run rec;
    assert_ok(cp_res_run_init(&rec, 365, t->n, t->nfd, cp_ario_nproducts(m), 0, &err), &err);
    assert_ok(cp_res_run_ario(m, 0, &rec, NULL, NULL, &err), &err);
    cp_res_totals tot;
    cp_res_totals_of(&rec, &tot, NULL, NULL);
    assert_true(fabs(tot.value_added_loss) <= 1e-9 * 609300);
    assert_true(close_rel(tot.min_total_production_ratio, 1.0, 1e-12, 0));
    cp_res_run_free(&rec);
    cp_ario_free(m);
    cp_table_free(t);
    cp_scn_free(&s);
}

/* A scenario's own regime added after regime files with ranges: every
 * range still points at its regime's approval share (the regime array
 * moves when it grows from 8 to 9). */
static void test_regime_ranges_follow(void **state)
{
    (void)state;
    cp_error err;
    cp_scn s;
    assert_ok(cp_scn_load(&s, "tests/data/scenarios/case/ranges_follow.yaml", &err), &err);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s/japan-2015-185", CP_DATADIR);
    cp_load_opts lo = cp_load_opts_default();
    cp_table *t = NULL;
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    assert_ok(cp_scn_controls_run(&s, t, &cm, &cr, &err), &err);
    assert_int_equal(cm->nregimes, 9);
    size_t found = 0;
    for (size_t r = 0; r < cm->nranges; r++) {
        if (!strstr(cm->range[r].path, "approval")) continue;
        int ok = 0;
        for (size_t g = 0; g < 8; g++) ok |= cm->range[r].value == &cm->regime[g].phase[0].approval_share;
        assert_true(ok);
        assert_true(*cm->range[r].value == 0.5);
        found++;
    }
    assert_int_equal(found, 8);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    cp_table_free(t);
    cp_scn_free(&s);
}

/* scenario.resolved.yaml parses back to the same run. */
static void test_resolved_roundtrip(void **state)
{
    (void)state;
    cp_error err;
    cp_scn s;
    assert_ok(cp_scn_load(&s, "scenarios/japan-2026-partial.yaml", &err), &err);
    char *y = cp_scn_resolved_yaml(&s);
    assert_non_null(y);
    assert_non_null(strstr(y, "controls:\n"));
    assert_non_null(strstr(y, "scale_to_gdp: {value: 609300, unit: \"bn JPY\", year: 2024}"));
    cp_scn_free(&s);
    outcome a, b;
    run_case("scenarios/japan-2026-partial.yaml", NULL, &a);
    run_case("scenarios/resolved.yaml", y, &b);
    assert_true(a.value == b.value);
    free(y);
}

/* Run every test. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nri),
        cmocka_unit_test(test_mizuho),
        cmocka_unit_test(test_daiwa),
        cmocka_unit_test(test_backtest_2025),
        cmocka_unit_test(test_3m_not_a_quarter),
        cmocka_unit_test(test_economy_scaling),
        cmocka_unit_test(test_domestic_equilibrium),
        cmocka_unit_test(test_regime_ranges_follow),
        cmocka_unit_test(test_resolved_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
