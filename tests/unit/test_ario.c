/*
 * test_ario.c — the ARIO engine against BoARIO's reference run, and the
 * properties the issue asks for: equilibrium without shock, flow caps and
 * inventories, degenerate tables, stable inventory restoration, storage
 * and rationing variants.  Every expected number comes from the reference
 * files, from the published model, or from an accounting identity.
 */
#include "testutil.h"

/* Open the pymrio test MRIO BoARIO ran on. */
static cp_table *open_test_mrio(void)
{
    char p[4096];
    cp_table *t = NULL;
    cp_error err;
    cp_load_opts o = cp_load_opts_default();
    if (cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err)) {
        print_error("cannot open the test MRIO: %s\n", err.msg);
        return NULL;
    }
    return t;
}

/* BoARIO's parameters of the reference run (shared_manuf_cut/params.json). */
static cp_ario_params boario_params(void)
{
    cp_ario_params p = cp_ario_params_default();
    p.order_type = CP_ARIO_ORDER_ALT;
    p.alpha_base = 1.0; p.alpha_max = 1.25; p.alpha_tau = 365;
    p.main_inv_dur = 90; p.monetary_factor = 1e6; p.temporal_units_by_step = 1;
    p.year_to_temporal_unit = 365; p.psi = 0.8; p.inventory_restoration_tau = 60;
    p.steps = 365;
    return p;
}

/* Run the reference event (reg2/manufactoring -50 %, occurrence 1,
 * duration 90, recovery 1) into rec. */
static int run_reference(cp_table *t, const cp_ario_params *p, cp_res_run *rec)
{
    cp_error err;
    cp_ario *m = NULL;
    if (cp_ario_new(&m, t, p, &err)) { print_error("%s\n", err.msg); return -1; }
    long f = cp_table_find(t, "reg2", "manufactoring");
    if (f < 0) { cp_ario_free(m); return -1; }
    size_t fi = (size_t)f;
    int rc = cp_ario_add_capacity_loss(m, &fi, 1, 0.5, 1, 90, 1, &err);
    if (!rc) rc = cp_res_run_init(rec, p->steps, t->n, t->nfd, cp_ario_nproducts(m), 0, &err);
    if (!rc) rc = cp_res_run_ario(m, 0, rec, NULL, NULL, &err);
    if (rc) print_error("%s\n", err.msg);
    cp_ario_free(m);
    return rc;
}

/* Compare one wide reference CSV with recorded values; returns the worst
 * relative error (with floor[c] as the absolute scale of column c). */
static double compare_wide(const char *rel, const cp_table *t, int by_fd, const double *vals,
                           size_t stride, size_t steps, const double *floor_of)
{
    char p[4096];
    cp_csv csv;
    cp_error err;
    cp_csv_opts o = cp_csv_opts_default();
    if (cp_csv_read(&csv, shared_path(p, sizeof p, rel), &o, &err)) {
        print_error("%s\n", err.msg);
        return INFINITY;
    }
    size_t nc = cp_csv_ncols(&csv, 0);
    double worst = 0;
    if (csv.nrows != steps + 1) { cp_csv_free(&csv); return INFINITY; }
    for (size_t c = 1; c < nc; c++) {
        char lab[512];
        snprintf(lab, sizeof lab, "%s", cp_csv_get(&csv, 0, c));
        char *slash = strchr(lab, '/');
        if (!slash) { cp_csv_free(&csv); return INFINITY; }
        *slash = 0;
        long idx = -1;
        if (by_fd) {
            for (size_t k = 0; k < t->nfd; k++)
                if (!strcmp(t->fd_region[k], lab) && !strcmp(t->fd_category[k], slash + 1)) idx = (long)k;
        } else idx = cp_table_find(t, lab, slash + 1);
        if (idx < 0) { print_error("no column %s/%s\n", lab, slash + 1); cp_csv_free(&csv); return INFINITY; }
        for (size_t s = 0; s < steps; s++) {
            double ref;
            if (cp_csv_number(&csv, s + 1, c, 0, &ref, &err)) { cp_csv_free(&csv); return INFINITY; }
            double got = vals[s * stride + (size_t)idx];
            double scale = fmax(fmax(fabs(ref), fabs(got)), floor_of[idx]);
            double e = scale > 0 ? fabs(got - ref) / scale : 0;
            if (e > worst) worst = e;
        }
    }
    cp_csv_free(&csv);
    return worst;
}

/* The BoARIO reference run, step by step and in summary. */
static void test_boario_reference(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    cp_ario_params p = boario_params();
    cp_res_run rec;
    assert_int_equal(run_reference(t, &p, &rec), 0);
    /* floors: production never near 0; unmet final demand is compared to
     * the column's final demand per day (BoARIO's equilibrium rows carry
     * 1e-11 of rounding noise). */
    double *fl = calloc(t->n + t->nfd, sizeof(double));
    assert_non_null(fl);
    for (size_t k = 0; k < t->nfd; k++) {
        double s = 0;
        for (size_t i = 0; i < t->n; i++) s += fabs(t->Y[i * t->nfd + k]);
        fl[k] = 1e-6 * s / 365.0 + 1e-300;
    }
    double ep = compare_wide("reference/boario/shared_manuf_cut/production_realised.csv", t, 0,
                             rec.production, t->n, rec.steps, fl + t->nfd);
    double ef = compare_wide("reference/boario/shared_manuf_cut/final_demand_unmet.csv", t, 1,
                             rec.fd_unmet_cols, t->nfd, rec.steps, fl);
    print_message("BoARIO reference: max rel error production %.3g, final demand unmet %.3g\n", ep, ef);
    assert_true(ep <= 1e-6);
    assert_true(ef <= 1e-6);
    cp_res_totals tot;
    cp_res_totals_of(&rec, &tot, NULL, NULL);
    assert_close(tot.min_total_production_ratio, 0.9546672735608801, 1e-9);
    assert_close(tot.fd_unmet_total, 37218154.17378664, 1e-6);
    assert_true(tot.had_shortage);
    free(fl);
    cp_res_run_free(&rec);
    cp_table_free(t);
}

/* The documented BoARIO variants run too, stay finite, and differ from the
 * code's behaviour (docs/ario.md shows both). */
static void test_boario_documented_variants(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    cp_ario_params p = boario_params();
    p.overprod = CP_ARIO_OVERPROD_DOCUMENTED;
    p.timing = CP_ARIO_TIMING_EXACT;
    cp_res_run rec;
    assert_int_equal(run_reference(t, &p, &rec), 0);
    cp_res_totals tot;
    cp_res_totals_of(&rec, &tot, NULL, NULL);
    for (size_t k = 0; k < rec.steps * rec.n; k++) assert_true(isfinite(rec.production[k]));
    assert_true(tot.fd_unmet_total > 0);
    assert_true(fabs(tot.fd_unmet_total - 37218154.17378664) > 1e-3 * 37218154.17378664);
    /* exact timing: the loss acts from step 1 for exactly 90 steps */
    long f = cp_table_find(t, "reg2", "manufactoring");
    size_t i = (size_t)f;
    assert_true(rec.capacity[0 * t->n + i] > 0.99 * rec.x0[i]);
    assert_true(rec.capacity[1 * t->n + i] < 0.6 * rec.x0[i]);
    assert_true(rec.capacity[90 * t->n + i] < 0.6 * rec.x0[i]);
    assert_true(rec.capacity[91 * t->n + i] > 0.99 * rec.x0[i]);
    cp_res_run_free(&rec);
    cp_table_free(t);
}

/* Without a shock the economy stays in its table equilibrium for 3 years. */
static void test_no_shock_equilibrium(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    for (int storage = CP_ARIO_STORAGE_DENSE; storage <= CP_ARIO_STORAGE_SPARSE; storage++) {
        cp_ario_params p = boario_params();
        p.steps = 3 * 365;
        p.storage = (cp_ario_storage)storage;
        cp_ario *m;
        cp_error err;
        assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        size_t n = t->n, np = cp_ario_nproducts(m);
        double *inv0 = malloc(np * n * sizeof(double));
        assert_non_null(inv0);
        memcpy(inv0, cp_ario_inventories(m), np * n * sizeof(double));
        double worst = 0, worst_inv = 0, unmet = 0;
        for (size_t s = 0; s < p.steps; s++) {
            assert_ok(cp_ario_step(m, &err), &err);
            const double *x = cp_ario_production(m);
            for (size_t i = 0; i < n; i++) {
                /* baseline: the table's row sums per day */
                double xi = 0;
                for (size_t j = 0; j < n; j++) xi += t->Z[i * n + j];
                for (size_t k = 0; k < t->nfd; k++) xi += t->Y[i * t->nfd + k];
                xi /= 365.0;
                worst = fmax(worst, fabs(x[i] - xi) / xi);
                unmet += cp_ario_fd_unmet(m)[i];
            }
            const double *inv = cp_ario_inventories(m);
            for (size_t k = 0; k < np * n; k++)
                if (inv0[k] > 0) worst_inv = fmax(worst_inv, fabs(inv[k] - inv0[k]) / inv0[k]);
        }
        print_message("no shock (%s): max rel drift production %.3g, inventories %.3g\n",
                      storage == CP_ARIO_STORAGE_DENSE ? "dense" : "sparse", worst, worst_inv);
        assert_true(worst <= 1e-12);
        assert_true(worst_inv <= 1e-12);
        assert_true(fabs(unmet) <= 1e-12 * cp_table_total_output(t));
        free(inv0);
        cp_ario_free(m);
    }
    cp_table_free(t);
}

/* A tiny two-region table built by hand:
 *   A/ore  sells ore to B/manuf only (and a little to A's final demand);
 *   B/manuf buys ore (from A only) and its own product; sells to B's FD.
 *   B/ore exists with zero output (a zero row and column). */
static cp_table *toy_table(void)
{
    cp_table *t = cp_table_new(3, 2, 1);
    if (!t) return NULL;
    const char *reg[] = {"A", "B", "B"}, *sec[] = {"ore", "manuf", "ore"};
    for (size_t i = 0; i < 3; i++) {
        cp_table_set_str(&t->region[i], reg[i]);
        cp_table_set_str(&t->sector[i], sec[i]);
        cp_table_set_str(&t->sector_name[i], sec[i]);
    }
    cp_table_set_str(&t->fd_region[0], "A"); cp_table_set_str(&t->fd_category[0], "hh");
    cp_table_set_str(&t->fd_region[1], "B"); cp_table_set_str(&t->fd_category[1], "hh");
    cp_table_set_str(&t->va_label[0], "va");
    cp_table_set_str(&t->unit, "USD");
    /* annual flows */
    t->Z[0 * 3 + 1] = 365 * 10.0;   /* ore A -> manuf B */
    t->Z[1 * 3 + 1] = 365 * 20.0;   /* manuf B -> manuf B */
    t->Y[0 * 2 + 0] = 365 * 5.0;    /* ore A -> FD A */
    t->Y[1 * 2 + 1] = 365 * 80.0;   /* manuf B -> FD B */
    t->x[0] = 365 * 15.0; t->x[1] = 365 * 100.0; t->x[2] = 0;
    t->V[0] = 365 * 15.0; t->V[1] = 365 * 70.0;
    cp_table_index_regions(t);
    return t;
}

/* Total production loss of B/manuf under a full embargo of A's ore for
 * `dur` days, with inventories of s days. */
static double embargo_loss(cp_table *t, double s, double psi, long dur, long *first_loss_day)
{
    cp_ario_params p = cp_ario_params_default();
    p.main_inv_dur = s; p.psi = psi; p.steps = 400; p.timing = CP_ARIO_TIMING_EXACT;
    cp_ario *m;
    cp_error err;
    if (cp_ario_new(&m, t, &p, &err)) return NAN;
    double *cap = calloc((size_t)dur, sizeof(double));   /* cap 0 */
    size_t buyer = 1, sup = 0;
    cp_ario_flow_cap fc = {.supplier = sup, .buyers = &buyer, .nbuyers = 1, .start = 0,
                           .cap = cap, .ncap = (size_t)dur};
    if (cp_ario_add_flow_cap(m, &fc, &err)) { free(cap); cp_ario_free(m); return NAN; }
    double loss = 0;
    *first_loss_day = -1;
    for (size_t k = 0; k < p.steps; k++) {
        cp_ario_step(m, &err);
        double x = cp_ario_production(m)[1];
        double d = cp_ario_baseline(m)[1] - x;
        for (size_t i = 0; i < 3; i++) assert_true(isfinite(cp_ario_production(m)[i]));
        if (d > 1e-9 * 100 && *first_loss_day < 0) *first_loss_day = (long)k;
        loss += d;
    }
    free(cap);
    cp_ario_free(m);
    return loss;
}

/* Flow cap 0 with inventories of s days: no loss while the stock stays
 * above psi*s days of use, i.e. for (1 - psi)*s days (docs/ario.md);
 * total loss grows with the embargo's duration. */
static void test_flow_cap_inventory_buffer(void **state)
{
    (void)state;
    cp_table *t = toy_table();
    assert_non_null(t);
    long first;
    double s = 30, psi = 0.8;
    double l1 = embargo_loss(t, s, psi, 200, &first);
    /* stock after d days: (s - d) days of use; binding when < psi*s */
    double onset = (1 - psi) * s;
    print_message("embargo: first loss on day %ld (buffer (1-psi)*s = %.1f days)\n", first, onset);
    assert_true(first >= (long)floor(onset) - 1 && first <= (long)ceil(onset) + 1);
    /* with psi = 0.5 the buffer is s*psi = (1 - psi)*s = 15 days */
    long fh;
    (void)embargo_loss(t, s, 0.5, 200, &fh);
    assert_true(fh >= 14 && fh <= 16);
    long f2;
    double l30 = embargo_loss(t, s, psi, 30, &f2);
    double l60 = embargo_loss(t, s, psi, 60, &f2);
    double l120 = embargo_loss(t, s, psi, 120, &f2);
    long f3;
    double l5 = embargo_loss(t, s, psi, 5, &f3);
    print_message("embargo losses: 5 d %.3g, 30 d %.3g, 60 d %.3g, 120 d %.3g, 200 d %.3g\n",
                  l5, l30, l60, l120, l1);
    assert_true(fabs(l5) < 1e-9);   /* shorter than the buffer: no loss */
    assert_true(l30 > 0 && l60 > l30 && l120 > l60 && l1 > l120);
    cp_table_free(t);
}

/* Degenerate tables never produce NaN/Inf: zero rows/columns, infinite
 * inventories for a product, tiny coefficients, full capacity loss. */
static void test_degenerate_finite(void **state)
{
    (void)state;
    cp_table *t = toy_table();
    assert_non_null(t);
    t->Z[1 * 3 + 0] = 1e-300;   /* tiny coefficient manuf B -> ore A */
    cp_ario_params p = cp_ario_params_default();
    p.steps = 200;
    for (int pass = 0; pass < 3; pass++) {
        cp_ario *m;
        cp_error err;
        p.rationing = pass == 2 ? CP_ARIO_RATION_FD_FIRST : CP_ARIO_RATION_PROPORTIONAL;
        assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        if (pass >= 1) assert_ok(cp_ario_set_inv_dur(m, (size_t)cp_ario_find_product(m, "manuf"), INFINITY, &err), &err);
        size_t all[] = {0, 1, 2};
        assert_ok(cp_ario_add_capacity_loss(m, all, 3, 1.0, 5, 20, 10, &err), &err);
        cp_res_run rec;
        assert_ok(cp_res_run_init(&rec, p.steps, 3, 2, cp_ario_nproducts(m), 1, &err), &err);
        assert_ok(cp_res_run_ario(m, 0, &rec, NULL, NULL, &err), &err);
        for (size_t k = 0; k < rec.steps * 3; k++) {
            assert_true(isfinite(rec.production[k]) && rec.production[k] >= 0);
            assert_true(isfinite(rec.fd_unmet[k]));
            assert_true(isfinite(rec.value_added[k]));
        }
        for (size_t k = 0; k < rec.steps * 3 * cp_ario_nproducts(m); k++)
            assert_true(isfinite(rec.inventories[k]));
        /* the zero-output industry stays at zero */
        for (size_t s2 = 0; s2 < rec.steps; s2++) assert_true(rec.production[s2 * 3 + 2] == 0);
        /* full loss: nothing produced while the event is on (exact 0) */
        assert_true(rec.production[10 * 3 + 1] == 0);
        /* and recovery afterwards */
        assert_true(rec.production[199 * 3 + 1] > 0.5 * rec.x0[1]);
        cp_res_run_free(&rec);
        cp_ario_free(m);
    }
    cp_table_free(t);
}

/* Short inventory restoration (BoARIO issue #18): for tau_inv from one
 * step up, a shock neither explodes nor keeps oscillating; production
 * stays within [0, alpha_max * x0] and returns to x0. */
static void test_restoration_stable(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    double taus[] = {1, 2, 5, 60};
    for (size_t k = 0; k < 4; k++) {
        cp_ario_params p = boario_params();
        p.inventory_restoration_tau = taus[k];
        p.steps = 3 * 365;
        cp_res_run rec;
        cp_ario *m;
        cp_error err;
        assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        size_t f = (size_t)cp_table_find(t, "reg2", "manufactoring");
        assert_ok(cp_ario_add_capacity_loss(m, &f, 1, 0.5, 1, 90, 1, &err), &err);
        assert_ok(cp_res_run_init(&rec, p.steps, t->n, t->nfd, cp_ario_nproducts(m), 0, &err), &err);
        assert_ok(cp_res_run_ario(m, 0, &rec, NULL, NULL, &err), &err);
        double worst_hi = 0, last_dev = 0;
        for (size_t s = 0; s < rec.steps; s++)
            for (size_t i = 0; i < t->n; i++) {
                double r = rec.production[s * t->n + i] / rec.x0[i];
                worst_hi = fmax(worst_hi, r);
                if (s >= rec.steps - 30) last_dev = fmax(last_dev, fabs(r - 1));
            }
        print_message("tau_inv %g: max x/x0 %.4f, deviation in the last 30 days %.2g\n", taus[k],
                      worst_hi, last_dev);
        assert_true(worst_hi <= 1.25 + 1e-12);
        assert_true(last_dev < 1e-3);
        cp_res_run_free(&rec);
        cp_ario_free(m);
    }
    cp_ario *m;
    cp_error err;
    cp_ario_params p = boario_params();
    p.inventory_restoration_tau = 0.5;   /* below one step: refused */
    assert_int_equal(cp_ario_new(&m, t, &p, &err), CP_EINPUT);
    assert_msg_has(&err, "inventory_restoration_tau");
    cp_table_free(t);
}

/* Dense and sparse storage give the same trajectory (to rounding), with
 * caps and every rationing scheme. */
static void test_storage_and_rationing(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    for (int r = CP_ARIO_RATION_PROPORTIONAL; r <= CP_ARIO_RATION_PRIORITY; r++) {
        cp_res_run rec[2];
        for (int s = 0; s < 2; s++) {
            cp_ario_params p = boario_params();
            p.steps = 150;
            p.rationing = (cp_ario_rationing)r;
            p.storage = s ? CP_ARIO_STORAGE_SPARSE : CP_ARIO_STORAGE_DENSE;
            cp_ario *m;
            cp_error err;
            assert_ok(cp_ario_new(&m, t, &p, &err), &err);
            if (r == CP_ARIO_RATION_PRIORITY) {
                size_t pr[] = {(size_t)cp_ario_find_product(m, "food"), (size_t)cp_ario_find_product(m, "electricity")};
                assert_ok(cp_ario_set_priority(m, pr, 2, 1, &err), &err);
            }
            size_t f = (size_t)cp_table_find(t, "reg2", "manufactoring");
            assert_ok(cp_ario_add_capacity_loss(m, &f, 1, 0.5, 1, 90, 1, &err), &err);
            size_t sup = (size_t)cp_table_find(t, "reg1", "mining");
            size_t buyers[8];
            for (size_t k = 0; k < 8; k++) buyers[k] = 8 + k;   /* reg2's industries */
            double capv[60];
            for (size_t k = 0; k < 60; k++) capv[k] = 0.2;
            size_t fdc = 7;
            cp_ario_flow_cap fc = {.supplier = sup, .buyers = buyers, .nbuyers = 8,
                                   .fd_cols = &fdc, .nfd = 1, .start = 10, .cap = capv, .ncap = 60};
            assert_ok(cp_ario_add_flow_cap(m, &fc, &err), &err);
            assert_ok(cp_res_run_init(&rec[s], p.steps, t->n, t->nfd, cp_ario_nproducts(m), 0, &err), &err);
            assert_ok(cp_res_run_ario(m, 0, &rec[s], NULL, NULL, &err), &err);
            cp_ario_free(m);
        }
        double worst = 0;
        for (size_t k = 0; k < rec[0].steps * t->n; k++)
            worst = fmax(worst, fabs(rec[0].production[k] - rec[1].production[k]) /
                                    fmax(rec[0].production[k], 1e-300));
        assert_true(worst < 1e-9);
        /* FD first: an industry serves its final demand whole while its
         * production covers it (an identity of the scheme). */
        if (r == CP_ARIO_RATION_FD_FIRST)
            for (size_t s2 = 0; s2 < rec[0].steps; s2++)
                for (size_t i = 0; i < t->n; i++) {
                    double y = 0;
                    for (size_t k = 0; k < t->nfd; k++) y += t->Y[i * t->nfd + k] / 365.0;
                    if (rec[0].production[s2 * t->n + i] >= y && !(i == 1 && s2 >= 10 && s2 < 70))
                        assert_true(rec[0].fd_unmet[s2 * t->n + i] <= 1e-9 * y);
                }
        cp_res_run_free(&rec[0]);
        cp_res_run_free(&rec[1]);
    }
    cp_table_free(t);
}

/* Any number of threads gives bit-identical trajectories (products are
 * split over threads; sums keep their order), with caps and priority
 * rationing in play. */
static void test_threads_identical(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    cp_res_run rec[2];
    int thr[2] = {1, 5};
    for (int k = 0; k < 2; k++) {
        cp_ario_params p = boario_params();
        p.steps = 120;
        p.threads = thr[k];
        cp_ario *m;
        cp_error err;
        assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        size_t f = (size_t)cp_table_find(t, "reg2", "manufactoring");
        assert_ok(cp_ario_add_capacity_loss(m, &f, 1, 0.5, 1, 90, 1, &err), &err);
        size_t sup = (size_t)cp_table_find(t, "reg3", "mining");
        size_t buyers[8];
        for (size_t q = 0; q < 8; q++) buyers[q] = q;
        double capv[40];
        for (size_t q = 0; q < 40; q++) capv[q] = 0.1;
        cp_ario_flow_cap fc = {.supplier = sup, .buyers = buyers, .nbuyers = 8, .start = 5, .cap = capv, .ncap = 40};
        assert_ok(cp_ario_add_flow_cap(m, &fc, &err), &err);
        assert_ok(cp_res_run_init(&rec[k], p.steps, t->n, t->nfd, cp_ario_nproducts(m), 1, &err), &err);
        assert_ok(cp_res_run_ario(m, 0, &rec[k], NULL, NULL, &err), &err);
        cp_ario_free(m);
    }
    size_t sz = rec[0].steps * rec[0].n * sizeof(double);
    assert_memory_equal(rec[0].production, rec[1].production, sz);
    assert_memory_equal(rec[0].fd_unmet, rec[1].fd_unmet, sz);
    assert_memory_equal(rec[0].inventories, rec[1].inventories, sz * rec[0].nprod);
    cp_res_run_free(&rec[0]);
    cp_res_run_free(&rec[1]);
    /* priority rationing with threads against one thread */
    for (int k = 0; k < 2; k++) {
        cp_ario_params p = boario_params();
        p.steps = 120;
        p.threads = k ? 4 : 1;
        cp_ario *m;
        cp_error err;
        assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        size_t pr[] = {(size_t)cp_ario_find_product(m, "food")};
        assert_ok(cp_ario_set_priority(m, pr, 1, 0, &err), &err);
        size_t f = (size_t)cp_table_find(t, "reg2", "manufactoring");
        assert_ok(cp_ario_add_capacity_loss(m, &f, 1, 0.5, 1, 90, 1, &err), &err);
        assert_ok(cp_res_run_init(&rec[k], p.steps, t->n, t->nfd, cp_ario_nproducts(m), 0, &err), &err);
        assert_ok(cp_res_run_ario(m, 0, &rec[k], NULL, NULL, &err), &err);
        cp_ario_free(m);
    }
    assert_memory_equal(rec[0].production, rec[1].production, rec[0].steps * rec[0].n * sizeof(double));
    cp_res_run_free(&rec[0]);
    cp_res_run_free(&rec[1]);
    cp_table_free(t);
}

/* The fixed-point skip is exact: one thread (skip on) and two threads
 * (skip off) give the same bits for every step of a run that is calm,
 * then capped, then calm again; and a reset model reruns to the same
 * bits as a new one. */
static void test_fixed_point_skip_and_reset(void **state)
{
    (void)state;
    cp_table *t = open_test_mrio();
    assert_non_null(t);
    size_t n = t->n, T = 200;
    double *cap = malloc(T * n * sizeof *cap);
    assert_non_null(cap);
    size_t f = (size_t)cp_table_find(t, "reg2", "manufactoring");
    for (size_t s = 0; s < T; s++)
        for (size_t i = 0; i < n; i++) cap[s * n + i] = (i == f && s >= 40 && s < 70) ? 0.7 : 1.0;
    cp_res_run rec[3];
    size_t skipped[3];
    cp_ario *m1 = NULL;
    for (int k = 0; k < 3; k++) {
        cp_ario_params p = boario_params();
        p.steps = T;
        p.threads = k == 1 ? 2 : 1;
        cp_ario *m;
        cp_error err;
        if (k == 2) {   /* the first model again, reset */
            m = m1;
            cp_ario_reset(m);
        } else assert_ok(cp_ario_new(&m, t, &p, &err), &err);
        assert_ok(cp_ario_set_capacity_cap(m, cap, T, &err), &err);
        assert_ok(cp_res_run_init(&rec[k], T, n, t->nfd, cp_ario_nproducts(m), 1, &err), &err);
        assert_ok(cp_res_run_ario(m, 0, &rec[k], NULL, NULL, &err), &err);
        skipped[k] = cp_ario_steps_skipped(m);
        if (k == 0) m1 = m;
        else cp_ario_free(m);
    }
    assert_true(skipped[0] > 0);        /* the calm stretches were skipped */
    assert_int_equal(skipped[1], 0);     /* two threads: no skip */
    assert_int_equal(skipped[2], skipped[0]);
    for (int k = 1; k < 3; k++) {
        size_t sz = T * n * sizeof(double);
        assert_memory_equal(rec[0].production, rec[k].production, sz);
        assert_memory_equal(rec[0].capacity, rec[k].capacity, sz);
        assert_memory_equal(rec[0].demand, rec[k].demand, sz);
        assert_memory_equal(rec[0].fd_unmet, rec[k].fd_unmet, sz);
        assert_memory_equal(rec[0].fd_unmet_cols, rec[k].fd_unmet_cols, T * t->nfd * sizeof(double));
        assert_memory_equal(rec[0].limiting, rec[k].limiting, T * n * sizeof(int));
        assert_memory_equal(rec[0].inventories, rec[k].inventories, sz * rec[0].nprod);
    }
    for (int k = 0; k < 3; k++) cp_res_run_free(&rec[k]);
    free(cap);
    cp_table_free(t);
}

/* Parameter errors name the parameter and a hint. */
static void test_param_errors(void **state)
{
    (void)state;
    cp_table *t = toy_table();
    cp_ario *m;
    cp_error err;
    cp_ario_params p = cp_ario_params_default();
    p.psi = 1.5;
    assert_int_equal(cp_ario_new(&m, t, &p, &err), CP_EINPUT);
    assert_msg_has(&err, "psi_param");
    p = cp_ario_params_default();
    p.alpha_max = 0.5;
    assert_int_equal(cp_ario_new(&m, t, &p, &err), CP_EINPUT);
    assert_msg_has(&err, "alpha_max");
    p = cp_ario_params_default();
    assert_ok(cp_ario_new(&m, t, &p, &err), &err);
    size_t i = 7;
    assert_int_equal(cp_ario_add_capacity_loss(m, &i, 1, 0.5, 1, 1, 1, &err), CP_EINPUT);
    i = 0;
    assert_int_equal(cp_ario_add_capacity_loss(m, &i, 1, 1.5, 1, 1, 1, &err), CP_EINPUT);
    cp_ario_free(m);
    cp_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boario_reference),
        cmocka_unit_test(test_boario_documented_variants),
        cmocka_unit_test(test_no_shock_equilibrium),
        cmocka_unit_test(test_flow_cap_inventory_buffer),
        cmocka_unit_test(test_degenerate_finite),
        cmocka_unit_test(test_restoration_stable),
        cmocka_unit_test(test_storage_and_rationing),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_fixed_point_skip_and_reset),
        cmocka_unit_test(test_param_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
