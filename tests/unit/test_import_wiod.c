/*
 * test_import_wiod.c — the WIOD 2013-release world table, 6 regions.
 *
 * x must be the OUTPUT column (read here independently); the derived
 * value-added row closes every column exactly; the rows keep the source's
 * imbalance, which the WIOD data README states as 0.04% overall; malformed
 * files give located errors.
 */
#include "testutil.h"

#include <unistd.h>

static const char WIOD[] = "data/wiod2013_2011_6region_35sector_musd.csv";

static void test_wiod_2011(void **state)
{
    (void)state;
    char p[4096];
    cp_table *t;
    cp_error e;
    cp_import_report rep;
    assert_ok(cp_import_wiod(&t, shared_path(p, sizeof p, WIOD), 0, NULL, &rep, &e), &e);
    assert_int_equal(t->n, 210);
    assert_int_equal(t->nreg, 6);
    assert_int_equal(t->nfd, 6);
    assert_int_equal(t->nva, 1);
    assert_string_equal(t->name, "wiod-2011-6r");
    assert_int_equal(t->year, 2011);
    const char *regs[] = {"JPN", "CHN", "KOR", "USA", "EU27", "ROW"};
    for (size_t r = 0; r < 6; r++) {
        assert_string_equal(t->regions[r], regs[r]);
        assert_string_equal(t->fd_region[r], regs[r]);
        assert_int_equal(t->fd_kind[r], CP_FD_CONSUMPTION);
    }
    assert_string_equal(t->sector[13], "c14");
    assert_string_equal(t->sector_name[13], "Electrical and optical equipment");
    assert_string_equal(t->va_label[0], "value added (residual)");
    /* x is the OUTPUT column */
    cp_csv c;
    assert_ok(cp_csv_read(&c, p, NULL, &e), &e);
    size_t w = cp_csv_ncols(&c, 0);
    assert_string_equal(cp_csv_get(&c, 0, w - 1), "OUTPUT");
    for (size_t i = 0; i < t->n; i++) {
        double v;
        assert_ok(cp_csv_number(&c, i + 1, w - 1, 0, &v, &e), &e);
        assert_true(v == t->x[i]);
    }
    cp_csv_free(&c);
    /* columns close by construction; rows as published: 0.04% overall */
    cp_balance_report b;
    cp_table_balance(t, &b);
    assert_true(b.worst_col_rel <= 1e-12);
    assert_true(b.worst_row_rel <= CP_WIOD_BALANCE_TOL);
    assert_true(b.worst_row_rel > 1e-3);   /* not silently rebalanced */
    double gap = 0;
    for (size_t i = 0; i < t->n; i++) {
        double s = 0;
        for (size_t j = 0; j < t->n; j++) s += t->Z[i * t->n + j];
        for (size_t k = 0; k < t->nfd; k++) s += t->Y[i * t->nfd + k];
        gap += t->x[i] - s;
    }
    double rel = fabs(gap) / cp_table_total_output(t);
    assert_true(rel > 0.00035 && rel < 0.00045);
    /* GDP (residual value added) = final demand + the row gap */
    double fd = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) fd += t->Y[i];
    assert_close(cp_table_gdp(t), fd + gap, 1e-12);
    assert_true(rep.balance_tol == CP_WIOD_BALANCE_TOL);
    assert_non_null(strstr(rep.notes, "value added (residual)"));
    cp_table_free(t);
}

/* A fresh temporary directory per test (testutil.h). */
static int setup_dir(void **state)
{
    return tmp_dir_setup(state, "cp_wiod_XXXXXX");
}

/* Import text written to dir/w_2000_.csv; expect a located CP_EINPUT. */
static void expect_fail(const char *d, const char *text, const char *where, const char *needle)
{
    char p[4096], want[4200];
    write_file(p, sizeof p, d, "w_2000_.csv", text);
    cp_table *t = (cp_table *)1;
    cp_error e;
    assert_int_equal(cp_import_wiod(&t, p, 0, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    if (*where) {   /* "": a table-level message, not located in the file */
        snprintf(want, sizeof want, "%s%s", p, where);
        assert_msg_has(&e, want);
    }
    assert_msg_has(&e, needle);
    assert_msg_has(&e, "hint");
}

static void test_tiny_and_malformed(void **state)
{
    const char *d = *state;
    char p[4096];
    cp_table *t;
    cp_error e;
    write_file(p, sizeof p, d, "w_2000_.csv",
               "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"FD_B\",\"OUTPUT\"\r\n"
               "\"A_c1\",1,2,3,4,10\r\n\"B_c1\",5,6,7,8,26\r\n");
    assert_ok(cp_import_wiod(&t, p, 0, NULL, NULL, &e), &e);
    assert_string_equal(t->name, "wiod-2000-2r");
    assert_true(t->V[0] == 10 - 1 - 5 && t->V[1] == 26 - 2 - 6);
    assert_string_equal(t->sector_name[0], "Agriculture, hunting, forestry and fishing");
    cp_table_free(t);
    expect_fail(d, "\"\",\"A_c1\",\"Bc1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n\"Bc1\",5,6,7,18\n",
                ":1:11: WIOD column 'Bc1' is not an industry", "REGION_cN");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\"\n\"A_c1\",1,2,3\n\"B_c1\",5,6,7\n",
                ":1: no OUTPUT column", "total output");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n\"A_c1\",5,6,7,18\n",
                ":3:1: row label 'A_c1' appears twice", "unique");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n\"B_c1\",5,6,7,Inf\n",
                ":3:14: 'Inf' is not a finite number", "NaN/Inf");
    expect_fail(d, "", ": empty file", "check the path");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,NaN,6\n\"B_c1\",5,6,7,18\n",
                ":2:12: 'NaN' is not a finite number", "NaN/Inf");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n,5,6,7,18\n",
                ":3:1: missing row label", "needs its label");
    expect_fail(d, "\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n\"B_c1\",5,6,7\n",
                ":3: row has 4 fields, expected 5", "delimiter");
    /* a row that misses OUTPUT by more than the WIOD tolerance */
    expect_fail(d, "\xEF\xBB\xBF\"\",\"A_c1\",\"B_c1\",\"FD_A\",\"OUTPUT\"\n\"A_c1\",1,2,3,6\n\"B_c1\",5,6,7,30\n",
                "", "wiod-2000-2r: the table does not balance within 0.015");
}

/* An industry label that is not UTF-8 is refused at file:line:col. */
static void test_not_utf8(void **state)
{
    const char *d = *state;
    char p[4096], want[4400];
    write_file(p, sizeof p, d, "w_2000_.csv",
               "\"\",\"A_c1\",\"B\xC4_c1\",\"FD_A\",\"FD_B\",\"OUTPUT\"\r\n"
               "\"A_c1\",1,2,3,4,10\r\n\"B\xC4_c1\",5,6,7,8,26\r\n");
    cp_table *t = (cp_table *)1;
    cp_error e;
    assert_int_equal(cp_import_wiod(&t, p, 0, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s:1:11: column label is not UTF-8 text: byte 0xC4 after 'B'; "
             "hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", p);
    assert_string_equal(e.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wiod_2011),
        cmocka_unit_test_setup_teardown(test_tiny_and_malformed, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_utf8, setup_dir, tmp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
