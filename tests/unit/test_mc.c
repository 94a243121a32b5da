/*
 * test_mc.c — the scenario's Monte Carlo model (src/scenario/scn_mc.c) and
 * the uncertainty: section (scn_unc.c) on the Japan case:
 *   - the parameters are the account's free ranges: every range of
 *     data/materials/japan-rare-earths.yaml with low < high except the
 *     inventory_days the scenario fixes at 90 (counted from the account);
 *   - a draw at every central value gives the GDP loss, monthly losses and
 *     material availability of the ordinary run path (controls run, build,
 *     couple, cp_res_run_ario, cp_res_case_compute);
 *   - 1 and 2 threads give the same bits;
 *   - a draw with every demand share at its high end (Dy's sum to 1.42 in
 *     the account) still runs: shares are scaled to sum to 1;
 *   - the section's own parameters and correlation reach the model;
 *   - per-industry outputs (CP_MC_SECTORS, CP_MC_SECTOR_MONTHS): at the
 *     central values they are res_case's by-industry losses; in every draw
 *     they sum over industries to the draw's GDP and production loss and
 *     over months to the industry's total, and they leave the totals'
 *     bits unchanged.
 */
#include "testutil.h"

/* Scenario, scaled table and model for a scenario file. */
typedef struct fix { cp_scn s; cp_table *t; cp_scn_mc *mc; } fix;

/* Load everything for path. */
static void fix_open(fix *f, const char *path)
{
    cp_error err;
    memset(f, 0, sizeof *f);
    assert_int_equal(cp_scn_load(&f->s, path, &err), 0);
    cp_load_opts lo = cp_load_opts_default();
    char tp[512];
    snprintf(tp, sizeof tp, "data/%s", f->s.table_path);
    assert_int_equal(cp_table_open(&f->t, tp, &lo, &err), 0);
    assert_int_equal(cp_scn_economy_apply(&f->s, f->t, &err), 0);
    int rc = cp_scn_mc_new(&f->mc, &f->s, f->t, &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* Release. */
static void fix_close(fix *f)
{
    cp_scn_mc_free(f->mc);
    cp_table_free(f->t);
    cp_scn_free(&f->s);
}

/* The free ranges of the account, counted from the account itself. */
static void test_params_are_free_ranges(void **state)
{
    (void)state;
    cp_error err;
    cp_ctl_model *acc = NULL;
    assert_int_equal(cp_ctl_load_yaml(&acc, "data/materials/japan-rare-earths.yaml", &err), 0);
    size_t want = 0;
    for (size_t r = 0; r < acc->nranges; r++) {
        const char *p = acc->range[r].path;
        size_t l = strlen(p);
        int inv = l > 15 && !strcmp(p + l - 15, ".inventory_days");
        if (acc->range[r].low < acc->range[r].high && !inv) want++;
    }
    fix f;
    fix_open(&f, "scenarios/japan-cutoff-12m.yaml");
    assert_int_equal(cp_scn_mc_nparams(f.mc), want);
    assert_null(cp_scn_mc_corr(f.mc));
    const cp_unc_dist *d = cp_scn_mc_dists(f.mc);
    for (size_t j = 0; j < want; j++) assert_int_equal(d[j].kind, CP_UNC_TRIANGULAR);
    cp_ctl_model_free(acc);
    fix_close(&f);
}

/* All-central draw = the ordinary run path. */
static void test_central_equals_run(void **state)
{
    (void)state;
    cp_error err;
    fix f;
    fix_open(&f, "scenarios/japan-cutoff-12m.yaml");
    size_t d = cp_scn_mc_nparams(f.mc);
    cp_scn_mc_set_outputs(f.mc, CP_MC_SECTORS);
    cp_unc_model m = cp_scn_mc_model(f.mc);
    double *x = malloc(d * sizeof *x), *y = malloc(m.ny * sizeof *y);
    for (size_t j = 0; j < d; j++) x[j] = cp_unc_dist_central(&cp_scn_mc_dists(f.mc)[j]);
    cp_unc_run_opts o = {.n_threads = 1};
    assert_int_equal(cp_unc_run(&m, x, y, 0, 1, &o, &err), 0);
    /* the run path of `chokepoint run` */
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    cp_ario *am = NULL;
    cp_res_run rec;
    cp_res_case c;
    assert_int_equal(cp_scn_controls_run(&f.s, f.t, &cm, &cr, &err), 0);
    assert_int_equal(cp_scn_build_ario(&f.s, f.t, &am, &err), 0);
    assert_int_equal(cp_scn_controls_couple(cm, cr, f.t, am, &err), 0);
    assert_int_equal(cp_res_run_init(&rec, f.s.ario.steps, f.t->n, f.t->nfd, cp_ario_nproducts(am), 0, &err), 0);
    assert_int_equal(cp_res_run_ario(am, 0, &rec, NULL, NULL, &err), 0);
    long d0;
    assert_int_equal(cp_ctl_date_parse(f.s.start_date, &d0), 0);
    assert_int_equal(cp_res_case_compute(&c, f.t, &rec, d0, cm, cr, 2024, &err), 0);
    assert_true(c.gdp_loss > 0);
    assert_true(fabs(y[CP_MC_GDP_LOSS] - c.gdp_loss) <= 1e-9 * c.gdp_loss);
    assert_true(fabs(y[CP_MC_GDP_LOSS_PCT] - c.gdp_loss_pct) <= 1e-9 * c.gdp_loss_pct);
    assert_true(fabs(y[CP_MC_PRODUCTION_LOSS] - c.output_loss) <= 1e-9 * c.output_loss);
    /* monthly VA losses add up to the total; months match res_case's */
    assert_int_equal(cp_scn_mc_nmonths(f.mc), c.nmonths);
    double sum = 0;
    for (size_t q = 0; q < c.nmonths; q++) {
        assert_string_equal(cp_scn_mc_month(f.mc, q), c.month[q]);
        double v = y[cp_scn_mc_off_month_va(f.mc) + q];
        assert_true(fabs(v - c.month_va_loss[q]) <= 1e-9 * fmax(1.0, c.month_va_loss[q]));
        sum += v;
    }
    assert_true(fabs(sum - c.gdp_loss) <= 1e-9 * c.gdp_loss);
    /* material availability by month: res_case's used / need */
    assert_int_equal(cp_scn_mc_nmat(f.mc), c.nmat);
    for (size_t q = 0; q < c.nmonths; q++)
        for (size_t k = 0; k < c.nmat; k++) {
            assert_string_equal(cp_scn_mc_material(f.mc, k), c.mat[k]);
            assert_int_equal(cp_scn_mc_material_controlled(f.mc, k), c.mat_controlled[k]);
            double a = y[cp_scn_mc_off_month_avail(f.mc) + q * c.nmat + k];
            assert_true(fabs(a - c.month_avail[q * c.nmat + k]) <= 1e-12);
        }
    /* final demand unmet per step adds up to the headline figure */
    double fu = 0;
    for (size_t t = 0; t < cp_scn_mc_steps(f.mc); t++) fu += y[cp_scn_mc_off_fd_unmet(f.mc) + t];
    assert_true(fu > 0 && fabs(fu - y[CP_MC_FD_UNMET]) <= 1e-9 * fu);
    /* production series: baseline minus the loss */
    double prod = 0;
    for (size_t t = 0; t < cp_scn_mc_steps(f.mc); t++) prod += cp_scn_mc_baseline_production(f.mc) - y[cp_scn_mc_off_production(f.mc) + t];
    assert_true(fabs(prod - c.output_loss) <= 1e-9 * c.output_loss);
    /* per industry: res_case's by-industry losses (its own loop) */
    assert_int_equal(cp_scn_mc_nsectors(f.mc), c.n);
    for (size_t i = 0; i < c.n; i++) {
        double va = y[cp_scn_mc_off_sector_va(f.mc) + i], ol = y[cp_scn_mc_off_sector_output(f.mc) + i];
        assert_true(fabs(va - c.ind_va_loss[i]) <= 1e-9 * fabs(c.ind_va_loss[i]) + 1e-12 * c.gdp_loss);
        assert_true(fabs(ol - c.ind_output_loss[i]) <= 1e-9 * fabs(c.ind_output_loss[i]) + 1e-12 * c.output_loss);
    }
    cp_res_case_free(&c);
    cp_res_run_free(&rec);
    cp_ario_free(am);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    free(x);
    free(y);
    fix_close(&f);
}

/* 1 and 2 threads: the same bits. */
static void test_threads_identical(void **state)
{
    (void)state;
    cp_error err;
    fix f;
    fix_open(&f, "scenarios/japan-cutoff-12m.yaml");
    size_t n = 6, d = cp_scn_mc_nparams(f.mc);
    cp_scn_mc_set_outputs(f.mc, CP_MC_SECTORS | CP_MC_SECTOR_MONTHS);
    cp_unc_model m = cp_scn_mc_model(f.mc);
    double *X = malloc(n * d * sizeof *X), *Y1 = malloc(n * m.ny * sizeof *Y1), *Y2 = malloc(n * m.ny * sizeof *Y2);
    assert_int_equal(cp_unc_sample_all(cp_scn_mc_dists(f.mc), d, NULL, 3, n, X, &err), 0);
    cp_unc_run_opts o1 = {.n_threads = 1}, o2 = {.n_threads = 2};
    assert_int_equal(cp_unc_run(&m, X, Y1, 0, n, &o1, &err), 0);
    assert_int_equal(cp_unc_run(&m, X, Y2, 0, n, &o2, &err), 0);
    assert_memory_equal(Y1, Y2, n * m.ny * sizeof *Y1);
    free(X); free(Y1); free(Y2);
    fix_close(&f);
}

/* Per-industry outputs of random draws: every draw's industry totals sum
 * to its headline GDP and production loss, every industry's months to its
 * total, every month's industries to the month's VA loss; the totals
 * before the per-industry block are the same bits with and without it. */
static void test_industry_identities(void **state)
{
    (void)state;
    cp_error err;
    fix f;
    fix_open(&f, "scenarios/japan-cutoff-12m.yaml");
    size_t n = 5, d = cp_scn_mc_nparams(f.mc), ni = cp_scn_mc_nsectors(f.mc), NM = cp_scn_mc_nmonths(f.mc);
    cp_unc_model m0 = cp_scn_mc_model(f.mc);
    double *X = malloc(n * d * sizeof *X), *Y0 = malloc(n * m0.ny * sizeof *Y0);
    assert_int_equal(cp_unc_sample_all(cp_scn_mc_dists(f.mc), d, NULL, 11, n, X, &err), 0);
    cp_unc_run_opts o = {.n_threads = 2};
    assert_int_equal(cp_unc_run(&m0, X, Y0, 0, n, &o, &err), 0);
    cp_scn_mc_set_outputs(f.mc, CP_MC_SECTORS | CP_MC_SECTOR_MONTHS);
    cp_unc_model m = cp_scn_mc_model(f.mc);
    assert_int_equal(m.ny, m0.ny + (2 + NM) * ni);
    assert_int_equal(cp_scn_mc_off_sector_va(f.mc), m0.ny);
    assert_int_equal(cp_scn_mc_off_sector_output(f.mc), m0.ny + ni);
    assert_int_equal(cp_scn_mc_off_sector_month_va(f.mc), m0.ny + 2 * ni);
    double *Y = malloc(n * m.ny * sizeof *Y);
    assert_int_equal(cp_unc_run(&m, X, Y, 0, n, &o, &err), 0);
    for (size_t r = 0; r < n; r++) {
        const double *y = Y + r * m.ny;
        assert_memory_equal(y, Y0 + r * m0.ny, m0.ny * sizeof *y);
        const double *sva = y + cp_scn_mc_off_sector_va(f.mc), *sol = y + cp_scn_mc_off_sector_output(f.mc);
        const double *smv = y + cp_scn_mc_off_sector_month_va(f.mc);
        double g = y[CP_MC_GDP_LOSS], pl = y[CP_MC_PRODUCTION_LOSS], sg = 0, sp = 0;
        assert_true(g > 0 && pl > 0);
        for (size_t i = 0; i < ni; i++) {
            sg += sva[i];
            sp += sol[i];
            double mi = 0;
            for (size_t q = 0; q < NM; q++) mi += smv[q * ni + i];
            assert_true(fabs(mi - sva[i]) <= 1e-9 * fabs(sva[i]) + 1e-12 * g);
        }
        assert_true(fabs(sg - g) <= 1e-9 * g);
        assert_true(fabs(sp - pl) <= 1e-9 * pl);
        for (size_t q = 0; q < NM; q++) {
            double mq = 0, want = y[cp_scn_mc_off_month_va(f.mc) + q];
            for (size_t i = 0; i < ni; i++) mq += smv[q * ni + i];
            assert_true(fabs(mq - want) <= 1e-9 * fabs(want) + 1e-12 * g);
        }
    }
    free(X); free(Y); free(Y0);
    fix_close(&f);
}

/* Demand shares at their high ends sum above 1 in the account; a draw
 * there runs (scaled to 1) instead of failing the account's check. */
static void test_demand_shares_scaled(void **state)
{
    (void)state;
    cp_error err;
    cp_ctl_model *acc = NULL;
    assert_int_equal(cp_ctl_load_yaml(&acc, "data/materials/japan-rare-earths.yaml", &err), 0);
    double hi = 0;
    for (size_t r = 0; r < acc->nranges; r++)
        if (!strncmp(acc->range[r].path, "use[Dy,", 7) && strstr(acc->range[r].path, ".demand_share")) hi += acc->range[r].high;
    assert_true(hi > 1.0);
    cp_ctl_model_free(acc);
    fix f;
    fix_open(&f, "scenarios/japan-cutoff-12m.yaml");
    size_t d = cp_scn_mc_nparams(f.mc);
    const cp_unc_dist *dd = cp_scn_mc_dists(f.mc);
    cp_unc_model m = cp_scn_mc_model(f.mc);
    double *x = malloc(d * sizeof *x), *y = malloc(m.ny * sizeof *y);
    for (size_t j = 0; j < d; j++)
        x[j] = strstr(dd[j].name, ".demand_share") ? cp_unc_dist_quantile(&dd[j], 1) : cp_unc_dist_central(&dd[j]);
    cp_unc_run_opts o = {.n_threads = 1};
    int rc = cp_unc_run(&m, x, y, 0, 1, &o, &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_true(isfinite(y[CP_MC_GDP_LOSS]) && y[CP_MC_GDP_LOSS] >= 0);
    free(x); free(y);
    fix_close(&f);
}

/* The section's parameters and correlation reach the model. */
static void test_section_parameters(void **state)
{
    (void)state;
    fix f;
    fix_open(&f, "tests/data/scenarios/unc/small.yaml");
    assert_int_equal(cp_scn_mc_nparams(f.mc), 2);
    const cp_unc_dist *d = cp_scn_mc_dists(f.mc);
    assert_string_equal(d[0].name, "supply[*].stockpile.days");
    assert_string_equal(d[1].name, "controls.criticality_scale");
    const double *C = cp_scn_mc_corr(f.mc);
    assert_non_null(C);
    assert_true(C[1] == -0.5 && C[2] == -0.5 && C[0] == 1 && C[3] == 1);
    cp_scn_unc defs;
    const cp_scn_unc *u = cp_scn_uncertainty(&f.s, &defs);
    assert_int_equal(u->draws, 20);
    assert_int_equal(u->seed, 7);
    assert_int_equal(u->account_ranges, 0);
    fix_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_are_free_ranges),
        cmocka_unit_test(test_central_equals_run),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_demand_shares_scaled),
        cmocka_unit_test(test_section_parameters),
        cmocka_unit_test(test_industry_identities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
