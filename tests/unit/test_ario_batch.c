/*
 * test_ario_batch.c — the packed ARIO engine (src/models/ario_pack.c) and
 * its batches of draws:
 *   - on the Japanese 185-sector table (single-supplier) the packed engine
 *     and the general engine (storage: dense) compute the same model: the
 *     japan-cutoff-12m run agrees step by step to rounding (1e-12
 *     relative), and the same limiting products;
 *   - inventory targets changed after the build (none, short) keep both
 *     agreements;
 *   - with no shock the packed engine stays at the table's equilibrium
 *     (production = x0, demand = x0) and reaches an exact fixed point;
 *   - a lane of a batch is bit for bit a one-lane run with the same
 *     capacity caps, whatever the other lanes hold (5 lanes with different
 *     caps, 3 mirror lanes);
 *   - Monte Carlo draws give the same bits in batches of 8, 3 and 1;
 *   - a table with several suppliers of a product (pymrio's test MRIO) is
 *     refused by cp_ario_batch_new with the reason.
 */
#include "testutil.h"

/* The Japan 12-month case: scenario, table, controls result, the capacity
 * caps the controls give (steps * n). */
typedef struct jcase {
    cp_scn s;
    cp_table *t;
    cp_ctl_model *cm;
    cp_ctl_result *cr;
    double *cap;
    size_t n, T;
} jcase;

/* Load the scenario, its table and its controls run. */
static void jcase_open(jcase *c, const char *path)
{
    cp_error err;
    memset(c, 0, sizeof *c);
    assert_int_equal(cp_scn_load(&c->s, path, &err), 0);
    char tp[512];
    snprintf(tp, sizeof tp, "data/%s", c->s.table_path);
    cp_load_opts lo = cp_load_opts_default();
    assert_int_equal(cp_table_open(&c->t, tp, &lo, &err), 0);
    assert_int_equal(cp_scn_economy_apply(&c->s, c->t, &err), 0);
    assert_int_equal(cp_scn_controls_run(&c->s, c->t, &c->cm, &c->cr, &err), 0);
    c->n = c->t->n;
    c->T = c->s.ario.steps;
    c->cap = malloc(c->T * c->n * sizeof *c->cap);
    assert_non_null(c->cap);
    assert_int_equal(cp_ctl_cap_series_for_table(c->cm, c->cr, c->cap, c->n, &err), 0);
}

/* Release. */
static void jcase_close(jcase *c)
{
    free(c->cap);
    cp_ctl_result_free(c->cr);
    cp_ctl_model_free(c->cm);
    cp_table_free(c->t);
    cp_scn_free(&c->s);
}

/* A model of the case with the given storage, its caps set to cap. */
static cp_ario *jcase_model(jcase *c, cp_ario_storage storage, const double *cap)
{
    cp_error err;
    cp_scn s = c->s;
    s.ario.storage = storage;
    cp_ario *m = NULL;
    assert_int_equal(cp_scn_build_ario(&s, c->t, &m, &err), 0);
    if (cap) assert_int_equal(cp_ario_set_capacity_cap(m, cap, c->T, &err), 0);
    return m;
}

/* Run a model to the end into a new record. */
static void run_model(cp_ario *m, size_t T, size_t n, size_t nfd, cp_res_run *rec)
{
    cp_error err;
    assert_int_equal(cp_res_run_init(rec, T, n, nfd, cp_ario_nproducts(m), 0, &err), 0);
    assert_int_equal(cp_res_run_ario(m, 0, rec, NULL, NULL, &err), 0);
}

/* The packed and the general engine on the Japan case: the same model to
 * rounding (measured 2.6e-15 when written). */
static void test_pack_vs_general(void **state)
{
    (void)state;
    jcase c;
    jcase_open(&c, "scenarios/japan-cutoff-12m.yaml");
    cp_ario *mp = jcase_model(&c, CP_ARIO_STORAGE_AUTO, c.cap), *mg = jcase_model(&c, CP_ARIO_STORAGE_DENSE, c.cap);
    cp_res_run rp, rg;
    run_model(mp, c.T, c.n, c.t->nfd, &rp);
    run_model(mg, c.T, c.n, c.t->nfd, &rg);
    double worst = 0, lossp = 0, lossg = 0;
    size_t limdiff = 0;
    for (size_t k = 0; k < c.T * c.n; k++) {
        double a = rp.production[k], b = rg.production[k], sc = fmax(fabs(a), fabs(b));
        if (sc > 0) worst = fmax(worst, fabs(a - b) / sc);
        limdiff += rp.limiting[k] != rg.limiting[k];
        lossp += rp.x0[k % c.n] - a;
        lossg += rg.x0[k % c.n] - b;
    }
    print_message("packed vs general: worst relative difference of production %.3g, "
                  "total loss %.17g vs %.17g, limiting products differing in %zu cells\n",
                  worst, lossp, lossg, limdiff);
    assert_true(worst <= 1e-12);
    assert_true(fabs(lossp - lossg) <= 1e-12 * fabs(lossg));
    assert_true(lossg > 0);   /* the case does lose output */
    assert_int_equal(limdiff, 0);
    cp_res_run_free(&rp);
    cp_res_run_free(&rg);
    cp_ario_free(mp);
    cp_ario_free(mg);
    jcase_close(&c);
}

/* Inventory targets changed after the model is built (as a scenario's
 * overrides do): products without a target (inf: orders = use, no stock)
 * and with a short one.  The packed engine places its non-zeros by kind
 * at step 0, so it still computes the general engine's model (to
 * rounding), and a batch lane is still a one-lane run bit for bit. */
static void test_pack_inventory_targets(void **state)
{
    (void)state;
    cp_error err;
    jcase c;
    jcase_open(&c, "scenarios/japan-cutoff-12m.yaml");
    cp_ario *m[3];
    for (int k = 0; k < 3; k++) {
        m[k] = jcase_model(&c, k == 1 ? CP_ARIO_STORAGE_DENSE : CP_ARIO_STORAGE_AUTO, k == 2 ? NULL : c.cap);
        for (size_t p = 0; p < cp_ario_nproducts(m[k]); p += 7)   /* every 7th product: no target */
            assert_int_equal(cp_ario_set_inv_dur(m[k], p, INFINITY, &err), 0);
        for (size_t p = 3; p < cp_ario_nproducts(m[k]); p += 11)  /* some: 10 days */
            assert_int_equal(cp_ario_set_inv_dur(m[k], p, 10.0, &err), 0);
    }
    cp_res_run rp, rg;
    run_model(m[0], c.T, c.n, c.t->nfd, &rp);
    run_model(m[1], c.T, c.n, c.t->nfd, &rg);
    /* industries with 10-day stocks collapse to ~1e-5 of their output, where
     * the two roundings drift apart relative to the tiny value (1e-9 by day
     * 300), so the difference is measured against each industry's baseline
     * output, the scale its losses are counted in */
    double worst = 0, loss = 0;
    for (size_t k = 0; k < c.T * c.n; k++) {
        double a = rp.production[k], b = rg.production[k], x0 = rg.x0[k % c.n];
        if (x0 > 0) worst = fmax(worst, fabs(a - b) / x0);
        loss += x0 - b;
    }
    print_message("targets changed: worst difference packed vs general %.3g of baseline output (loss %.6g)\n",
                  worst, loss);
    assert_true(worst <= 1e-12);
    assert_true(loss > 0);
    /* one lane of a batch of the third model (same targets, no caps set on
     * the model) with the case's caps = the packed one-lane run */
    cp_ario_batch *b = NULL;
    assert_int_equal(cp_ario_batch_new(&b, m[2], &err), 0);
    cp_ario_batch_reset(b, 2);
    assert_int_equal(cp_ario_batch_set_capacity_cap(b, 0, c.cap, c.T, &err), 0);
    assert_int_equal(cp_ario_batch_set_capacity_cap(b, 1, c.cap, c.T, &err), 0);
    cp_res_run lr[2];
    for (int l = 0; l < 2; l++)
        assert_int_equal(cp_res_run_init(&lr[l], c.T, c.n, c.t->nfd, cp_ario_nproducts(m[2]), 0, &err), 0);
    assert_int_equal(cp_res_run_ario_batch(b, 2, lr, &err), 0);
    assert_memory_equal(lr[0].production, rp.production, c.T * c.n * sizeof(double));
    assert_memory_equal(lr[1].fd_unmet, rp.fd_unmet, c.T * c.n * sizeof(double));
    for (int l = 0; l < 2; l++) cp_res_run_free(&lr[l]);
    cp_ario_batch_free(b);
    cp_res_run_free(&rp);
    cp_res_run_free(&rg);
    for (int k = 0; k < 3; k++) cp_ario_free(m[k]);
    jcase_close(&c);
}

/* No shock: production and demand stay at x0 (to rounding), and the
 * engine finds an exact fixed point and skips the rest of the year. */
static void test_pack_equilibrium(void **state)
{
    (void)state;
    jcase c;
    jcase_open(&c, "scenarios/japan-cutoff-12m.yaml");
    cp_ario *m = jcase_model(&c, CP_ARIO_STORAGE_AUTO, NULL);
    cp_res_run r;
    run_model(m, c.T, c.n, c.t->nfd, &r);
    double worst = 0;
    for (size_t k = 0; k < c.T * c.n; k++) {
        double x0 = r.x0[k % c.n];
        if (x0 > 0) worst = fmax(worst, fmax(fabs(r.production[k] - x0), fabs(r.demand[k] - x0)) / x0);
        assert_true(r.fd_unmet[k] <= 1e-12 * (x0 > 0 ? x0 : 1));
    }
    size_t skipped = cp_ario_steps_skipped(m);
    print_message("no shock: worst drift %.3g, %zu of %zu steps skipped at the fixed point\n", worst, skipped, c.T);
    assert_true(worst <= 1e-13);
    assert_true(skipped >= c.T / 2);
    cp_res_run_free(&r);
    cp_ario_free(m);
    jcase_close(&c);
}

/* A lane is a one-lane run: 5 lanes with caps scaled from the case's
 * (shortfall x 1, 0.5, 0, 0.8, 0.25), the other lanes mirroring lane 0;
 * every recorded series of every lane equals, bit for bit, the run of a
 * model with the same caps. */
static void test_batch_lane_is_run(void **state)
{
    (void)state;
    cp_error err;
    jcase c;
    jcase_open(&c, "scenarios/japan-cutoff-12m.yaml");
    const double f[] = {1.0, 0.5, 0.0, 0.8, 0.25};
    const size_t nl = sizeof f / sizeof f[0], Tn = c.T * c.n;
    double *caps = malloc(nl * Tn * sizeof *caps);
    assert_non_null(caps);
    for (size_t l = 0; l < nl; l++)
        for (size_t k = 0; k < Tn; k++) caps[l * Tn + k] = 1.0 - (1.0 - c.cap[k]) * f[l];
    cp_ario *bm = jcase_model(&c, CP_ARIO_STORAGE_AUTO, NULL);
    cp_ario_batch *b = NULL;
    assert_int_equal(cp_ario_batch_new(&b, bm, &err), 0);
    assert_true(cp_ario_batch_lanes(b) >= nl);
    cp_ario_batch_reset(b, nl);
    for (size_t l = 0; l < nl; l++) assert_int_equal(cp_ario_batch_set_capacity_cap(b, l, caps + l * Tn, c.T, &err), 0);
    cp_res_run lr[8];
    for (size_t l = 0; l < nl; l++)
        assert_int_equal(cp_res_run_init(&lr[l], c.T, c.n, c.t->nfd, cp_ario_nproducts(bm), 0, &err), 0);
    assert_int_equal(cp_res_run_ario_batch(b, nl, lr, &err), 0);
    for (size_t l = 0; l < nl; l++) {
        cp_ario *m = jcase_model(&c, CP_ARIO_STORAGE_AUTO, caps + l * Tn);
        cp_res_run r;
        run_model(m, c.T, c.n, c.t->nfd, &r);
        assert_int_equal(lr[l].done, c.T);
        assert_memory_equal(lr[l].production, r.production, Tn * sizeof(double));
        assert_memory_equal(lr[l].capacity, r.capacity, Tn * sizeof(double));
        assert_memory_equal(lr[l].demand, r.demand, Tn * sizeof(double));
        assert_memory_equal(lr[l].fd_unmet, r.fd_unmet, Tn * sizeof(double));
        assert_memory_equal(lr[l].fd_unmet_cols, r.fd_unmet_cols, c.T * c.t->nfd * sizeof(double));
        assert_memory_equal(lr[l].value_added, r.value_added, Tn * sizeof(double));
        assert_memory_equal(lr[l].limiting, r.limiting, Tn * sizeof(int));
        cp_res_run_free(&r);
        cp_ario_free(m);
    }
    /* the lanes differ (the caps matter) */
    assert_true(memcmp(lr[0].production, lr[2].production, Tn * sizeof(double)) != 0);
    for (size_t l = 0; l < nl; l++) cp_res_run_free(&lr[l]);
    /* a bad cap is refused with its place */
    caps[7] = 1.5;
    assert_int_equal(cp_ario_batch_set_capacity_cap(b, 0, caps, c.T, &err), CP_EINPUT);
    assert_non_null(strstr(err.msg, "industry 7"));
    assert_int_equal(cp_ario_batch_set_capacity_cap(b, nl, caps, c.T, &err), CP_EUSAGE);
    cp_ario_batch_free(b);
    cp_ario_free(bm);
    free(caps);
    jcase_close(&c);
}

/* Monte Carlo draws of the case: the same bits whether the runner hands
 * the model its window of draws (sorted by when their caps start, then
 * run 8 lanes at a time), 8, 3 or 1 draws at a time (a draw's lane and
 * batch do not matter). */
static void test_mc_batch_sizes(void **state)
{
    (void)state;
    cp_error err;
    jcase c;
    jcase_open(&c, "scenarios/japan-cutoff-12m.yaml");
    cp_scn_mc *mc = NULL;
    assert_int_equal(cp_scn_mc_new(&mc, &c.s, c.t, &err), 0);
    size_t n = 21, d = cp_scn_mc_nparams(mc);
    cp_unc_model m = cp_scn_mc_model(mc);
    assert_true(m.batch >= CP_ARIO_BATCH_LANES);
    double *X = malloc(n * d * sizeof *X), *Y[4];
    assert_int_equal(cp_unc_sample_all(cp_scn_mc_dists(mc), d, NULL, 11, n, X, &err), 0);
    const size_t bs[4] = {m.batch, CP_ARIO_BATCH_LANES, 3, 1};
    for (int k = 0; k < 4; k++) {
        Y[k] = malloc(n * m.ny * sizeof *Y[k]);
        cp_unc_model mk = m;
        mk.batch = bs[k];
        cp_unc_run_opts o = {.n_threads = 1};
        assert_int_equal(cp_unc_run(&mk, X, Y[k], 0, n, &o, &err), 0);
    }
    assert_memory_equal(Y[0], Y[1], n * m.ny * sizeof(double));
    assert_memory_equal(Y[0], Y[2], n * m.ny * sizeof(double));
    assert_memory_equal(Y[0], Y[3], n * m.ny * sizeof(double));
    assert_true(Y[0][CP_MC_GDP_LOSS] > 0);
    for (int k = 0; k < 4; k++) free(Y[k]);
    free(X);
    cp_scn_mc_free(mc);
    jcase_close(&c);
}

/* Several suppliers of a product: no batch, and the reason says why. */
static void test_batch_refused(void **state)
{
    (void)state;
    char p[4096];
    cp_error err;
    cp_table *t = NULL;
    cp_load_opts o = cp_load_opts_default();
    assert_int_equal(cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err), 0);
    cp_ario *m = NULL;
    assert_int_equal(cp_ario_new(&m, t, NULL, &err), 0);
    cp_ario_batch *b = NULL;
    assert_int_equal(cp_ario_batch_new(&b, m, &err), CP_EUSAGE);
    assert_null(b);
    assert_non_null(strstr(err.msg, "one supplying industry per product"));
    cp_ario_free(m);
    cp_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_vs_general),
        cmocka_unit_test(test_pack_inventory_targets),
        cmocka_unit_test(test_pack_equilibrium),
        cmocka_unit_test(test_batch_lane_is_run),
        cmocka_unit_test(test_mc_batch_sizes),
        cmocka_unit_test(test_batch_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
