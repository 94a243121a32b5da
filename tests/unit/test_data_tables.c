/*
 * test_data_tables.c — the tables shipped in data/ load, validate at the
 * tolerance their sources balance to, and carry the published numbers:
 * Japan 2015 total output 1,017,818.4 bn JPY (MIC), GDP = final demand;
 * OECD and WIOD totals equal the sum of their sources' OUTPUT.
 */
#include "testutil.h"

/* Load data/<name> with the default options (validation on). */
static cp_table *load(const char *name)
{
    char p[4096], rel[256];
    cp_table *t = NULL;
    cp_error e;
    cp_load_opts o = cp_load_opts_default();
    snprintf(rel, sizeof rel, "data/%s", name);
    if (cp_table_load(&t, repo_path(p, sizeof p, rel), &o, &e) != 0) {
        print_error("%s: %s\n", rel, e.msg);
        fail();
    }
    /* every shipped table says where it came from */
    snprintf(rel, sizeof rel, "data/%s/provenance.md", name);
    FILE *f = fopen(rel, "r");
    assert_non_null(f);
    fclose(f);
    return t;
}

/* Sum of Y including imports. */
static double fd_total(const cp_table *t)
{
    double s = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) s += t->Y[i];
    return s;
}

/* Sum of the OUTPUT row (OECD) or column (WIOD) of a shared source. */
static double source_output(const char *file, int is_row)
{
    char p[4096], rel[256];
    cp_csv c;
    cp_error e;
    snprintf(rel, sizeof rel, "data/%s", file);
    assert_ok(cp_csv_read(&c, shared_path(p, sizeof p, rel), NULL, &e), &e);
    double s = 0, v;
    size_t w = cp_csv_ncols(&c, 0);
    if (is_row) {
        size_t r = c.nrows - 1;
        for (size_t j = 2; j < w; j++) {
            assert_ok(cp_csv_number(&c, r, j, 0, &v, &e), &e);
            s += v;
        }
    } else {
        for (size_t r = 1; r < c.nrows; r++) {
            assert_ok(cp_csv_number(&c, r, w - 1, 0, &v, &e), &e);
            s += v;
        }
    }
    cp_csv_free(&c);
    return s;
}

static void test_japan(void **state)
{
    (void)state;
    const char *names[] = {"japan-2015-37", "japan-2015-185"};
    for (int k = 0; k < 2; k++) {
        cp_table *t = load(names[k]);
        assert_string_equal(t->name, names[k]);
        assert_true(fabs(cp_table_total_output(t) - 1017818.4) <= 0.05);
        assert_close(cp_table_gdp(t), fd_total(t), 1e-9);
        cp_balance_report b;
        cp_table_balance(t, &b);
        assert_true(b.worst_row_rel <= 1e-9 && b.worst_col_rel <= 1e-9);
        cp_table_free(t);
    }
}

static void test_oecd(void **state)
{
    (void)state;
    cp_table *t = load("oecd-2018-jpn");
    assert_close(cp_table_total_output(t), source_output("oecd2021_niot_JPN_2018_musd.csv", 1), 1e-12);
    cp_table_free(t);
    t = load("oecd-2018-chn");
    assert_close(cp_table_total_output(t), source_output("oecd2021_niot_CHN_2018_musd.csv", 1), 1e-12);
    assert_string_equal(t->regions[0], "CHN");
    cp_table_free(t);
}

static void test_wiod(void **state)
{
    (void)state;
    cp_table *t = load("wiod-2011-6r");
    assert_int_equal(t->nreg, 6);
    assert_close(cp_table_total_output(t),
                 source_output("wiod2013_2011_6region_35sector_musd.csv", 0), 1e-12);
    cp_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_japan),
        cmocka_unit_test(test_oecd),
        cmocka_unit_test(test_wiod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
