/*
 * test_outputs_readback.c — every file a run writes (docs/outputs.md,
 * schema version 1) read back: each CSV parses with cp_csv_read and is
 * rectangular; the wide files have `step` and one column per industry
 * (or final-demand column) and one row per step; timeseries.csv has
 * exactly the documented columns, one row per step, industry and
 * variable, dates from start_date; summary.json has every documented key
 * with its type; scenario.resolved.yaml parses back as the same scenario.
 * The figures are checked against identities: the summary's production
 * loss is Σ_t Σ_i (x_i(0) − x_i(t)) of the time series, and the sum of
 * by_sector.
 */
#include "testutil.h"

#include <jansson.h>
#include <unistd.h>

typedef struct run_out {
    char dir[1024];
    cp_scn s;
    cp_table *t;
    cp_res_run rec;
    double *x0;
} run_out;

/* Run flow_cap_demo.yaml (every event kind, dates, inventories) through
 * the library path `run` uses and write its outputs. */
static int setup(void **state)
{
    run_out *r = calloc(1, sizeof *r);
    cp_error err;
    char p[4096];
    if (!r) return -1;
    snprintf(r->dir, sizeof r->dir, "%s/cp_out_XXXXXX", test_tmp());
    if (!mkdtemp(r->dir)) return -1;
    if (cp_scn_load(&r->s, "tests/data/scenarios/flow_cap_demo.yaml", &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    r->s.ario.record_inventories = 1;
    cp_load_opts o = cp_load_opts_default();
    if (cp_table_open(&r->t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    cp_ario *m = NULL;
    if (cp_scn_build_ario(&r->s, r->t, &m, &err) ||
        cp_res_run_init(&r->rec, r->s.ario.steps, r->t->n, r->t->nfd, cp_ario_nproducts(m), 1, &err) ||
        cp_res_run_ario(m, r->s.ario.steps, &r->rec, NULL, NULL, &err)) { fprintf(stderr, "%s\n", err.msg); return -1; }
    r->x0 = malloc(r->t->n * sizeof *r->x0);
    memcpy(r->x0, cp_ario_baseline(m), r->t->n * sizeof *r->x0);
    size_t np = cp_ario_nproducts(m);
    const char **pl = malloc(np * sizeof *pl);
    for (size_t q = 0; q < np; q++) pl[q] = cp_ario_product(m, q);
    char *yaml = cp_scn_resolved_yaml(&r->s);
    cp_out_run_info info = {.scenario_path = r->s.path, .table_path = p, .step_unit = "day",
                            .start_date = r->s.start_date, .step_days = 1, .timeseries = 1,
                            .resolved_yaml = yaml, .prod_labels = pl, .nprod = np};
    int rc = cp_out_run_write(r->dir, r->t, &r->rec, &info, &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    free(yaml);
    free(pl);
    cp_ario_free(m);
    *state = r;
    return rc ? -1 : 0;
}

/* Remove the outputs. */
static int teardown(void **state)
{
    run_out *r = *state;
    static const char *const files[] = {"production_realised.csv", "production_capacity.csv", "value_added.csv",
        "final_demand_unmet.csv", "final_demand_unmet_by_industry.csv", "limiting_input.csv", "inventories.csv",
        "timeseries.csv", "scenario.resolved.yaml", "summary.json"};
    char p[2048];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        snprintf(p, sizeof p, "%s/%s", r->dir, files[k]);
        unlink(p);
    }
    rmdir(r->dir);
    cp_res_run_free(&r->rec);
    cp_table_free(r->t);
    cp_scn_free(&r->s);
    free(r->x0);
    free(r);
    return 0;
}

/* Read a CSV of the run and check it is rectangular. */
static void read_csv(const run_out *r, const char *name, cp_csv *csv)
{
    char p[2048];
    cp_error err;
    snprintf(p, sizeof p, "%s/%s", r->dir, name);
    cp_csv_opts o = cp_csv_opts_default();
    o.delim = ',';
    assert_ok(cp_csv_read(csv, p, &o, &err), &err);
    assert_true(csv->nrows >= 1);
    size_t nc = cp_csv_ncols(csv, 0);
    for (size_t i = 1; i < csv->nrows; i++) assert_int_equal(cp_csv_ncols(csv, i), nc);
}

/* The wide files: step + one column per region/sector (sorted), a row a step. */
static void test_wide(void **state)
{
    run_out *r = *state;
    static const char *const ind[] = {"production_realised.csv", "production_capacity.csv", "value_added.csv",
                                      "final_demand_unmet_by_industry.csv", "limiting_input.csv"};
    for (size_t k = 0; k < 5; k++) {
        cp_csv c;
        read_csv(r, ind[k], &c);
        assert_int_equal(c.nrows, r->s.ario.steps + 1);
        assert_int_equal(cp_csv_ncols(&c, 0), r->t->n + 1);
        assert_string_equal(cp_csv_get(&c, 0, 0), "step");
        for (size_t j = 2; j <= r->t->n; j++) assert_true(strcmp(cp_csv_get(&c, 0, j - 1), cp_csv_get(&c, 0, j)) < 0);
        for (size_t s = 1; s < c.nrows; s++) {
            double v;
            assert_ok(cp_csv_number(&c, s, 0, 0, &v, &(cp_error){0}), &(cp_error){0});
            assert_true(v == (double)(s - 1));
            for (size_t j = 1; j <= r->t->n; j++) {
                if (k == 4) {   /* limiting input: empty or a product label */
                    const char *l = cp_csv_get(&c, s, j);
                    int found = !*l;
                    for (size_t q = 0; q < r->t->n && !found; q++) found = !strcmp(r->t->sector[q], l);
                    assert_true(found);
                } else assert_int_equal(cp_csv_number(&c, s, j, 0, &v, &(cp_error){0}), 0);
            }
        }
        cp_csv_free(&c);
    }
    cp_csv c;
    read_csv(r, "final_demand_unmet.csv", &c);
    assert_int_equal(c.nrows, r->s.ario.steps + 1);
    assert_int_equal(cp_csv_ncols(&c, 0), r->t->nfd + 1);
    cp_csv_free(&c);
    read_csv(r, "inventories.csv", &c);
    assert_int_equal(cp_csv_ncols(&c, 0), 5);
    static const char *const ih[] = {"step", "region", "sector", "product", "value"};
    for (size_t j = 0; j < 5; j++) assert_string_equal(cp_csv_get(&c, 0, j), ih[j]);
    cp_csv_free(&c);
}

/* timeseries.csv: exactly the documented columns, every row, dates, and
 * production loss = Σ (x0 − x) over its production_realised rows. */
static void test_timeseries(void **state)
{
    run_out *r = *state;
    cp_csv c;
    read_csv(r, "timeseries.csv", &c);
    static const char *const h[] = {"step", "date", "region", "sector", "variable", "value"};
    assert_int_equal(cp_csv_ncols(&c, 0), 6);
    for (size_t j = 0; j < 6; j++) assert_string_equal(cp_csv_get(&c, 0, j), h[j]);
    static const char *const vars[] = {"production_realised", "production_capacity", "final_demand_unmet", "value_added"};
    assert_int_equal(c.nrows, 1 + r->s.ario.steps * r->t->n * 4);
    double loss = 0;
    for (size_t i = 1; i < c.nrows; i++) {
        double st, v;
        cp_error e;
        assert_ok(cp_csv_number(&c, i, 0, 0, &st, &e), &e);
        assert_ok(cp_csv_number(&c, i, 5, 0, &v, &e), &e);
        /* start_date 2025-01-01: step 0 is Jan 1, step 31 is Feb 1, 59 is Mar 1 */
        if (st == 0) assert_string_equal(cp_csv_get(&c, i, 1), "2025-01-01");
        if (st == 31) assert_string_equal(cp_csv_get(&c, i, 1), "2025-02-01");
        if (st == 59) assert_string_equal(cp_csv_get(&c, i, 1), "2025-03-01");
        const char *var = cp_csv_get(&c, i, 4);
        int known = 0;
        for (size_t k = 0; k < 4; k++) known |= !strcmp(var, vars[k]);
        assert_true(known);
        if (!strcmp(var, "production_realised")) {
            long ind = cp_table_find(r->t, cp_csv_get(&c, i, 2), cp_csv_get(&c, i, 3));
            assert_true(ind >= 0);
            loss += r->x0[ind] - v;
        }
    }
    cp_res_totals tot;
    cp_res_totals_of(&r->rec, &tot, NULL, NULL);
    assert_close(loss, tot.production_loss, 1e-9);
    cp_csv_free(&c);
}

/* summary.json: the documented keys with their types and identities. */
static void test_summary(void **state)
{
    run_out *r = *state;
    char p[2048];
    snprintf(p, sizeof p, "%s/summary.json", r->dir);
    json_error_t je;
    json_t *o = json_load_file(p, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "schema")), "chokepoint-run");
    assert_true(json_is_integer(json_object_get(o, "schema_version")));
    assert_int_equal(json_integer_value(json_object_get(o, "schema_version")), 1);
    assert_string_equal(json_string_value(json_object_get(o, "chokepoint_version")), CP_VERSION);
    assert_true(json_is_string(json_object_get(o, "scenario")));
    json_t *t = json_object_get(o, "table");
    assert_true(json_is_object(t));
    assert_true(json_is_string(json_object_get(t, "name")));
    assert_string_equal(json_string_value(json_object_get(t, "unit")), r->t->unit);
    assert_true(json_is_integer(json_object_get(t, "year")));
    assert_true(json_is_string(json_object_get(t, "path")) || json_is_null(json_object_get(t, "path")));
    assert_string_equal(json_string_value(json_object_get(o, "model")), "ario");
    assert_int_equal(json_integer_value(json_object_get(o, "steps")), (json_int_t)r->s.ario.steps);
    assert_string_equal(json_string_value(json_object_get(o, "step_unit")), "day");
    char ups[128];
    snprintf(ups, sizeof ups, "%s per day", r->t->unit);
    assert_string_equal(json_string_value(json_object_get(o, "unit_per_step")), ups);
    static const char *const reals[] = {"production_loss", "value_added_loss", "final_demand_unmet_total", "min_total_production_ratio"};
    for (size_t k = 0; k < 4; k++) assert_true(json_is_real(json_object_get(o, reals[k])));
    assert_true(json_is_integer(json_object_get(o, "min_total_production_step")));
    assert_true(json_is_boolean(json_object_get(o, "had_shortage")));
    json_t *bs = json_object_get(o, "by_sector");
    assert_true(json_is_array(bs));
    assert_int_equal(json_array_size(bs), r->t->n);
    double sl = 0, sv = 0;
    for (size_t i = 0; i < json_array_size(bs); i++) {
        json_t *e = json_array_get(bs, i);
        assert_true(json_is_string(json_object_get(e, "region")));
        assert_true(json_is_string(json_object_get(e, "sector")));
        assert_true(json_is_real(json_object_get(e, "production_loss")));
        assert_true(json_is_real(json_object_get(e, "value_added_loss")));
        sl += json_real_value(json_object_get(e, "production_loss"));
        sv += json_real_value(json_object_get(e, "value_added_loss"));
    }
    assert_close(sl, json_real_value(json_object_get(o, "production_loss")), 1e-9);
    assert_close(sv, json_real_value(json_object_get(o, "value_added_loss")), 1e-9);
    json_decref(o);
}

/* scenario.resolved.yaml parses back to the same scenario. */
static void test_resolved(void **state)
{
    run_out *r = *state;
    char p[2048];
    snprintf(p, sizeof p, "%s/scenario.resolved.yaml", r->dir);
    cp_scn s;
    cp_error err;
    assert_ok(cp_scn_load(&s, p, &err), &err);
    assert_int_equal(s.ario.steps, r->s.ario.steps);
    assert_int_equal(s.nevents, r->s.nevents);
    assert_string_equal(s.start_date, r->s.start_date);
    assert_true(s.ario.psi == r->s.ario.psi);
    assert_int_equal(s.ario.rationing, r->s.ario.rationing);
    cp_scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide),
        cmocka_unit_test(test_timeseries),
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_resolved),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
