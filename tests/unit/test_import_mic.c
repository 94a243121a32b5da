/*
 * test_import_mic.c — Japan's MIC 2015 input–output table.
 *
 * Published facts: total domestic output 1,017,818.4 bn JPY (MIC; the
 * same at 37 and 185 sectors); the table balances (rows and columns) and
 * GDP from the income side (value added incl. ohcr and net taxes) equals
 * GDP from the expenditure side (final demand incl. the negative import
 * columns).  x must be the file's Total column, read here independently.
 * Malformed files, written to a temporary directory, must give CP_EINPUT
 * with file:line:col and a hint.
 */
#include "testutil.h"

#include <unistd.h>

/* Sum of Y over all columns, imports (negative) included. */
static double fd_total(const cp_table *t)
{
    double s = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) s += t->Y[i];
    return s;
}

/* Import the shared MIC table with sectors and its names file. */
static cp_table *import_shared(int sectors)
{
    char p[4096], q[4096], rel[256];
    cp_table *t = NULL;
    cp_error e;
    snprintf(rel, sizeof rel, "data/japan_io_2015_%dsector_bnJPY.csv", sectors);
    shared_path(p, sizeof p, rel);
    if (sectors == 37) shared_path(q, sizeof q, "data/japan_io_2015_37sector_names.csv");
    else repo_path(q, sizeof q, "data/src/mic2015_185_names_en.csv");
    cp_import_report rep;
    if (cp_import_mic(&t, p, q, NULL, &rep, &e) != 0) {
        print_error("import failed: %s\n", e.msg);
        fail();
    }
    assert_non_null(strstr(rep.notes, "Total column taken as total output x"));
    return t;
}

/* The identities every MIC table must satisfy, and the published total. */
static void check_published(const cp_table *t, size_t n, size_t nfd, size_t nva)
{
    assert_int_equal(t->n, n);
    assert_int_equal(t->nfd, nfd);
    assert_int_equal(t->nva, nva);
    assert_int_equal(t->nreg, 1);
    assert_string_equal(t->regions[0], "JPN");
    assert_string_equal(t->unit, "bn JPY");
    assert_int_equal(t->year, 2015);
    assert_string_equal(t->price_basis, "producer prices");
    assert_string_equal(t->import_type, "competitive");
    /* total domestic output 1,017,818.4 bn JPY, to the 0.1 shown */
    assert_true(fabs(cp_table_total_output(t) - 1017818.4) <= 0.05);
    cp_balance_report b;
    cp_table_balance(t, &b);
    assert_true(b.worst_row_rel <= 1e-9);
    assert_true(b.worst_col_rel <= 1e-9);
    /* GDP (income side, ohcr and net taxes included) = final demand */
    assert_close(cp_table_gdp(t), fd_total(t), 1e-9);
    cp_validate_opts v = cp_validate_opts_default();
    v.tol = 1e-9;
    cp_error e;
    assert_ok(cp_table_validate(t, &v, NULL, &e), &e);
}

/* x must equal the Total column of the source, read straight from it. */
static void check_x_is_total_column(const cp_table *t, int sectors)
{
    char p[4096], rel[256];
    cp_csv c;
    cp_error e;
    snprintf(rel, sizeof rel, "data/japan_io_2015_%dsector_bnJPY.csv", sectors);
    assert_ok(cp_csv_read(&c, shared_path(p, sizeof p, rel), NULL, &e), &e);
    size_t w = cp_csv_ncols(&c, 0);
    assert_string_equal(cp_csv_get(&c, 0, w - 1), "Total");
    for (size_t i = 0; i < t->n; i++) {
        double v;
        assert_string_equal(cp_csv_get(&c, i + 1, 0), t->sector[i]);
        assert_ok(cp_csv_number(&c, i + 1, w - 1, 0, &v, &e), &e);
        assert_true(v == t->x[i]);
    }
    cp_csv_free(&c);
}

static void test_japan_37(void **state)
{
    (void)state;
    cp_table *t = import_shared(37);
    check_published(t, 37, 10, 6);
    check_x_is_total_column(t, 37);
    /* file order: code 39 follows 16 */
    assert_string_equal(t->sector[4], "16");
    assert_string_equal(t->sector[5], "39");
    assert_string_equal(t->sector_name[0], "Agriculture forestry and fishery");
    assert_string_equal(t->fd_category[7], "impo");
    assert_int_equal(t->fd_kind[7], CP_FD_IMPORT);
    assert_int_equal(t->fd_kind[1], CP_FD_CONSUMPTION);
    assert_int_equal(t->fd_kind[5], CP_FD_INVENTORY);
    assert_string_equal(t->va_label[0], "ohcr");
    assert_int_equal(t->va_kind[0], CP_VA_VALUE_ADDED);
    assert_string_equal(t->va_label[5], "subs");
    assert_int_equal(t->va_kind[5], CP_VA_TAX);
    cp_table_free(t);
}

static void test_japan_185(void **state)
{
    (void)state;
    cp_table *t = import_shared(185);
    check_published(t, 185, 14, 9);
    check_x_is_total_column(t, 185);
    long k = cp_table_find(t, "JPN", "3511");
    assert_true(k >= 0);
    assert_string_equal(t->sector_name[k], "Passenger motor cars");
    for (size_t i = 0; i < t->n; i++) assert_true(strcmp(t->sector_name[i], t->sector[i]) != 0);
    cp_table_free(t);
}

static void test_37_and_185_agree(void **state)
{
    (void)state;
    cp_table *a = import_shared(37), *b = import_shared(185);
    assert_close(cp_table_total_output(a), cp_table_total_output(b), 1e-12);
    assert_close(cp_table_gdp(a), cp_table_gdp(b), 1e-12);
    assert_close(fd_total(a), fd_total(b), 1e-12);
    cp_table_free(a);
    cp_table_free(b);
}

/* ---- malformed files ------------------------------------------------- */

/* A fresh temporary directory per test (testutil.h). */
static int setup_dir(void **state)
{
    return tmp_dir_setup(state, "cp_mic_XXXXXX");
}

/* A tiny balanced MIC table: x = (10, 12); GDP = final demand = 12. */
static const char TINY[] =
    "row,01,02,hhco,impo,Total\n"
    "01,1,2,10,-3,10\n"
    "02,3,4,5,0,12\n"
    "epin,4,5,,,\n"
    "idtx,2,1,,,\n"
    "Total,10,12,,,\n";
static const char NAMES[] = "code,name_en\n01,Farming\n02,Mining\n";

/* Import text; expect CP_EINPUT with "<dir>/t.csv" + where and needle. */
static void expect_fail(const char *d, const char *text, const char *where, const char *needle)
{
    char p[4096], want[4200];
    cp_table *t = (cp_table *)1;
    cp_error e;
    write_file(p, sizeof p, d, "t.csv", text);
    assert_int_equal(cp_import_mic(&t, p, NULL, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s/t.csv%s", d, where);
    assert_msg_has(&e, want);
    assert_msg_has(&e, needle);
    assert_msg_has(&e, "hint");
}

static void test_tiny_ok(void **state)
{
    const char *d = *state;
    char p[4096], q[4096];
    cp_table *t;
    cp_error e;
    write_file(p, sizeof p, d, "t.csv", TINY);
    write_file(q, sizeof q, d, "n.csv", NAMES);
    assert_ok(cp_import_mic(&t, p, q, NULL, NULL, &e), &e);
    assert_int_equal(t->n, 2);
    assert_true(t->x[0] == 10 && t->x[1] == 12);
    assert_true(cp_table_gdp(t) == 12);
    assert_string_equal(t->sector_name[1], "Mining");
    assert_string_equal(t->name, "japan-2015-2");
    cp_table_free(t);
    /* BOM and CRLF are accepted */
    write_file(p, sizeof p, d, "t.csv",
        "\xEF\xBB\xBFrow,01,02,hhco,impo,Total\r\n01,1,2,10,-3,10\r\n02,3,4,5,0,12\r\n"
        "epin,4,5,,,\r\nidtx,2,1,,,\r\nTotal,10,12,,,\r\n");
    assert_ok(cp_import_mic(&t, p, NULL, NULL, NULL, &e), &e);
    assert_true(t->x[1] == 12);
    assert_string_equal(t->sector_name[0], "01");
    cp_table_free(t);
}

static void test_ragged(void **state)
{
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":3: row has 5 fields, expected 6", "delimiter");
}

static void test_non_numeric(void **state)
{
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,1 2\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":3:12: '1 2' is not a finite number", "no thousands separators");
}

static void test_nan_inf(void **state)
{
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,NaN,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":2:4: 'NaN' is not a finite number", "NaN/Inf");
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,-inf,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":4:8: '-inf' is not a finite number", "NaN/Inf");
}

static void test_empty_and_empty_cell(void **state)
{
    expect_fail(*state, "", ": empty file", "check the path");
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":2:6: empty cell (row '01', column '02')", "write 0");
}

static void test_missing_labels(void **state)
{
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":3:1: missing row label", "needs its label");
    expect_fail(*state, "row,01,,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":1:8: missing column label", "needs its label");
}

static void test_duplicates(void **state)
{
    expect_fail(*state, "row,01,02,hhco,hhco,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":1:16: column label 'hhco' appears twice (first at 1:11)", "unique");
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nepin,2,1,,,\nTotal,10,12,,,\n",
                ":5:1: row label 'epin' appears twice (first at 4:1)", "unique");
}

static void test_order_and_unknown_codes(void **state)
{
    expect_fail(*state, "row,01,02,hhco,impo,Total\n02,3,4,5,0,12\n01,1,2,10,-3,10\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":2:1: industry row 1 is '02' but industry column 1 is '01'", "same order");
    expect_fail(*state, "row,01,02,hhco,xyz,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":1:16: MIC column 'xyz' is not an industry", "final-demand columns are");
}

static void test_totals_checked(void **state)
{
    /* Total row says 11 for sector 01 but the column sums to 10 */
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,,,\nidtx,2,1,,,\nTotal,11,12,,,\n",
                ":6:7: Total of column '01' is 11 bn JPY but the column sums to 10", "inconsistent");
    /* no Total column */
    expect_fail(*state, "row,01,02,hhco,impo\n01,1,2,10,-3\n02,3,4,5,0\n"
                        "epin,4,5,,\nidtx,2,1,,\nTotal,10,12,,\n",
                ":1: no 'Total' column", "total domestic output");
    /* value added under final demand */
    expect_fail(*state, "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
                        "epin,4,5,7,,\nidtx,2,1,,,\nTotal,10,12,,,\n",
                ":4:10: value-added row 'epin' has 7 in column 'hhco'", "by industry only");
}

static void test_names_file(void **state)
{
    const char *d = *state;
    char p[4096], q[4096];
    cp_table *t = NULL;
    cp_error e;
    write_file(p, sizeof p, d, "t.csv", TINY);
    write_file(q, sizeof q, d, "n.csv", "code,name_en\n01,Farming\n");
    assert_int_equal(cp_import_mic(&t, p, q, NULL, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "n.csv: no English name for sector '02'");
    write_file(q, sizeof q, d, "n.csv", "code,name\n01,Farming\n02,Mining\n");
    assert_int_equal(cp_import_mic(&t, p, q, NULL, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "n.csv:1: header needs columns 'code' and 'name_en'");
    write_file(q, sizeof q, d, "n.csv", "code,name_en\n01,Farming\n01,Mining\n");
    assert_int_equal(cp_import_mic(&t, p, q, NULL, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "n.csv:3:1: sector code '01' appears twice (first on line 2)");
    assert_null(t);
}

/* Labels that are not UTF-8 (a Shift-JIS or Latin-1 export) are refused
 * at file:line:col, in the table and in the names file: the table could
 * not be written as JSON or shown in a report. */
static void test_not_utf8(void **state)
{
    const char *d = *state;
    char p[4096], q[4096], want[4400];
    cp_table *t = (cp_table *)1;
    cp_error e;
    write_file(p, sizeof p, d, "t.csv",
        "row,01,02,hhco,impo,Total\n01,1,2,10,-3,10\n02,3,4,5,0,12\n"
        "ep\xEDn,4,5,,,\nidtx,2,1,,,\nTotal,10,12,,,\n");
    assert_int_equal(cp_import_mic(&t, p, NULL, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s:4:1: row label is not UTF-8 text: byte 0xED after 'ep'; "
             "hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", p);
    assert_string_equal(e.msg, want);
    write_file(p, sizeof p, d, "t.csv", TINY);
    write_file(q, sizeof q, d, "n.csv", "code,name_en\n01,Farming\n02,Miner\xED" "a\n");
    assert_int_equal(cp_import_mic(&t, p, q, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s:3:4: English name label is not UTF-8 text: byte 0xED after "
             "'Miner'; hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", q);
    assert_string_equal(e.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_japan_37),
        cmocka_unit_test(test_japan_185),
        cmocka_unit_test(test_37_and_185_agree),
        cmocka_unit_test_setup_teardown(test_tiny_ok, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_ragged, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_non_numeric, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_nan_inf, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_empty_cell, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_labels, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_order_and_unknown_codes, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_totals_checked, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_names_file, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_utf8, setup_dir, tmp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
