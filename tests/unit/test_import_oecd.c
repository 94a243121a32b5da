/*
 * test_import_oecd.c — OECD national input–output tables, 2021 edition.
 *
 * x must be the file's OUTPUT row (read here independently), the source
 * balances only to rounding (0.1 M USD), GDP from value added plus net
 * taxes on intermediate use equals final demand within that rounding, and
 * malformed files give located errors.
 */
#include "testutil.h"

#include <unistd.h>

/* Import one of the shared OECD files. */
static cp_table *import_shared(const char *file, cp_import_report *rep)
{
    char p[4096], rel[256];
    cp_table *t = NULL;
    cp_error e;
    snprintf(rel, sizeof rel, "data/%s", file);
    if (cp_import_oecd(&t, shared_path(p, sizeof p, rel), NULL, 0, NULL, rep, &e) != 0) {
        print_error("import failed: %s\n", e.msg);
        fail();
    }
    return t;
}

/* x equals the OUTPUT row of the source. */
static void check_x_is_output_row(const cp_table *t, const char *file)
{
    char p[4096], rel[256];
    cp_csv c;
    cp_error e;
    snprintf(rel, sizeof rel, "data/%s", file);
    assert_ok(cp_csv_read(&c, shared_path(p, sizeof p, rel), NULL, &e), &e);
    size_t r = c.nrows - 1;
    assert_string_equal(cp_csv_get(&c, r, 0), "OUTPUT");
    for (size_t j = 0; j < t->n; j++) {
        double v;
        assert_string_equal(cp_csv_get(&c, 0, j + 2), t->sector[j]);
        assert_ok(cp_csv_number(&c, r, j + 2, 0, &v, &e), &e);
        assert_true(v == t->x[j]);
    }
    cp_csv_free(&c);
}

/* Sum of Y, imports included. */
static double fd_total(const cp_table *t)
{
    double s = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) s += t->Y[i];
    return s;
}

static void test_japan_2018(void **state)
{
    (void)state;
    cp_import_report rep;
    cp_table *t = import_shared("oecd2021_niot_JPN_2018_musd.csv", &rep);
    assert_int_equal(t->n, 45);
    assert_int_equal(t->nfd, 9);
    assert_int_equal(t->nva, 3);
    assert_string_equal(t->name, "oecd-2018-jpn");
    assert_string_equal(t->regions[0], "JPN");
    assert_int_equal(t->year, 2018);
    assert_string_equal(t->unit, "M USD");
    assert_string_equal(t->sector[16], "17");
    assert_string_equal(t->sector_name[0], "Agriculture, hunting, forestry");
    check_x_is_output_row(t, "oecd2021_niot_JPN_2018_musd.csv");
    assert_string_equal(t->fd_category[5], "CONS_ABR");
    assert_int_equal(t->fd_kind[5], CP_FD_OTHER);
    assert_int_equal(t->fd_kind[6], CP_FD_OTHER);
    assert_int_equal(t->fd_kind[8], CP_FD_IMPORT);
    assert_int_equal(t->fd_kind[3], CP_FD_INVESTMENT);
    assert_int_equal(t->va_kind[0], CP_VA_TAX);
    assert_int_equal(t->va_kind[2], CP_VA_VALUE_ADDED);
    /* balanced to rounding: within the documented tolerance, not 1e-6 */
    cp_balance_report b;
    cp_table_balance(t, &b);
    assert_true(b.worst_row_rel <= CP_OECD_BALANCE_TOL);
    assert_true(b.worst_col_rel <= CP_OECD_BALANCE_TOL);
    assert_true(fabs(b.worst_row_abs) <= 1.0);
    assert_true(fabs(b.worst_col_abs) <= 1.0);
    cp_validate_opts v = cp_validate_opts_default();
    cp_error e;
    assert_int_equal(cp_table_validate(t, &v, NULL, &e), CP_EINPUT);
    /* GDP = final demand, within 0.1 M USD rounding of ~2400 cells */
    assert_true(fabs(cp_table_gdp(t) - fd_total(t)) <= 5.0);
    assert_true(rep.balance_tol == CP_OECD_BALANCE_TOL);
    assert_non_null(strstr(rep.notes, "CONS_ABR and CONS_NONRES"));
    assert_non_null(strstr(rep.notes, "are dropped"));
    cp_table_free(t);
}

static void test_china_2018_and_2015(void **state)
{
    (void)state;
    cp_table *t = import_shared("oecd2021_niot_CHN_2018_musd.csv", NULL);
    assert_string_equal(t->name, "oecd-2018-chn");
    check_x_is_output_row(t, "oecd2021_niot_CHN_2018_musd.csv");
    assert_true(fabs(cp_table_gdp(t) - fd_total(t)) <= 5.0);
    cp_table_free(t);
    t = import_shared("oecd2021_niot_JPN_2015_musd.csv", NULL);
    assert_int_equal(t->year, 2015);
    check_x_is_output_row(t, "oecd2021_niot_JPN_2015_musd.csv");
    cp_table_free(t);
}

/* ---- malformed files ------------------------------------------------- */

/* A fresh temporary directory per test (testutil.h). */
static int setup_dir(void **state)
{
    return tmp_dir_setup(state, "cp_oecd_XXXXXX");
}

/* Write text to dir/niot_KOR_2020_.csv. */
static const char *put(char *buf, size_t cap, const char *dir, const char *text)
{
    return write_file(buf, cap, dir, "niot_KOR_2020_.csv", text);
}

/* x = (10, 12); columns: 1+3+1+0+5 = 10, 2+4+0+1+5 = 12. */
static const char TINY[] =
    "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
    "\"01\",\"Farming, fishing\",1,2,8,1,-2\n"
    "\"02\",\"Mining\",3,4,5,0,0\n"
    "\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
    "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n"
    "\"TTL_INT_FNL\",\"x\",5,7,0,0,0\n"
    "\"VALU\",\"x\",5,5,0,0,0\n"
    "\"OUTPUT\",\"x\",10,12,0,0,0\n";

static void expect_fail(const char *d, const char *text, const char *where, const char *needle)
{
    char p[4096], want[4200];
    cp_table *t = (cp_table *)1;
    cp_error e;
    put(p, sizeof p, d, text);
    assert_int_equal(cp_import_oecd(&t, p, NULL, 0, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    if (where) {   /* NULL: a table-level message, not located in the file */
        snprintf(want, sizeof want, "%s%s", p, where);
        assert_msg_has(&e, want);
    }
    assert_msg_has(&e, needle);
    assert_msg_has(&e, "hint");
}

static void test_tiny(void **state)
{
    char p[4096];
    cp_table *t;
    cp_error e;
    cp_import_report rep;
    put(p, sizeof p, *state, TINY);
    assert_ok(cp_import_oecd(&t, p, NULL, 0, NULL, &rep, &e), &e);
    assert_string_equal(t->name, "oecd-2020-kor");
    assert_string_equal(t->sector_name[0], "Farming, fishing");
    assert_true(t->x[0] == 10 && t->x[1] == 12);
    assert_non_null(strstr(rep.notes, "total 1.0 M USD"));
    cp_table_free(t);
    assert_ok(cp_import_oecd(&t, p, "XYZ", 1999, NULL, NULL, &e), &e);
    assert_string_equal(t->name, "oecd-1999-xyz");
    cp_table_free(t);
}

static void test_malformed(void **state)
{
    const char *d = *state;
    char hdr[] = "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n";
    char buf[2048];
    /* ragged */
    snprintf(buf, sizeof buf, "%s\"01\",\"F\",1,2,8,1\n", hdr);
    expect_fail(d, buf, ":2: row has 6 fields, expected 7", "delimiter");
    /* TTL_INT_FNL inconsistent */
    expect_fail(d,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"F\",1,2,8,1,-2\n\"02\",\"M\",3,4,5,0,0\n\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
        "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n\"TTL_INT_FNL\",\"x\",50,7,0,0,0\n"
        "\"VALU\",\"x\",5,5,0,0,0\n\"OUTPUT\",\"x\",10,12,0,0,0\n",
        ":6:19: TTL_INT_FNL of industry '01' is 50 M USD", "inconsistent");
    /* no OUTPUT row */
    expect_fail(d,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"F\",1,2,8,1,-2\n\"02\",\"M\",3,4,5,0,0\n\"VALU\",\"x\",5,5,0,0,0\n",
        ": no OUTPUT row", "output at basic prices");
    /* unknown special row */
    expect_fail(d,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"F\",1,2,8,1,-2\n\"02\",\"M\",3,4,5,0,0\n\"VALU\",\"x\",5,5,0,0,0\n"
        "\"GDP\",\"x\",5,5,0,0,0\n\"OUTPUT\",\"x\",10,12,0,0,0\n",
        ":5:1: OECD NIOT row 'GDP' is not an industry", "special rows");
    /* value added under final demand */
    expect_fail(d,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"F\",1,2,8,1,-2\n\"02\",\"M\",3,4,5,0,0\n\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
        "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n"
        "\"VALU\",\"x\",5,5,3,0,0\n\"OUTPUT\",\"x\",10,12,0,0,0\n",
        ":6:16: row 'VALU' has 3 under final-demand column 'HFCE'", "different release");
    /* unbalanced beyond the OECD tolerance */
    expect_fail(d,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"F\",1,2,8,1,-2\n\"02\",\"M\",3,4,5,0,0\n\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
        "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n"
        "\"VALU\",\"x\",5,5,0,0,0\n\"OUTPUT\",\"x\",11,12,0,0,0\n",
        NULL, "oecd-2020-kor: the table does not balance within 0.001");
}

static void test_malformed_cells_and_labels(void **state)
{
    const char *d = *state;
    char buf[2048];
    const char *rows = "\"02\",\"M\",3,4,5,0,0\n\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
                       "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n\"VALU\",\"x\",5,5,0,0,0\n"
                       "\"OUTPUT\",\"x\",10,12,0,0,0\n";
    const char *hdr = "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n";
    expect_fail(d, "", ": empty file", "check the path");
    snprintf(buf, sizeof buf, "%s\"01\",\"F\",1,nan,8,1,-2\n%s", hdr, rows);
    expect_fail(d, buf, ":2:12: 'nan' is not a finite number", "NaN/Inf");
    snprintf(buf, sizeof buf, "%s\"01\",\"F\",1,2,8,1,\n%s", hdr, rows);
    expect_fail(d, buf, ":2:18: empty cell (row '01', column 'IMPO')", "write 0");
    snprintf(buf, sizeof buf, "%s\"\",\"F\",1,2,8,1,-2\n%s", hdr, rows);
    expect_fail(d, buf, ":2:1: missing row label", "needs its label");
    snprintf(buf, sizeof buf, "\"Code\",\"Description\",\"01\",\"01\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
                              "\"01\",\"F\",1,2,8,1,-2\n%s", rows);
    expect_fail(d, buf, ":1:27: column label '01' appears twice (first at 1:22)", "unique");
    /* BOM and CRLF are accepted */
    char p[4096];
    cp_table *t;
    cp_error e;
    put(p, sizeof p, d,
        "\xEF\xBB\xBF\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\r\n"
        "\"01\",\"F\",1,2,8,1,-2\r\n\"02\",\"M\",3,4,5,0,0\r\n\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\r\n"
        "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\r\n\"VALU\",\"x\",5,5,0,0,0\r\n"
        "\"OUTPUT\",\"x\",10,12,0,0,0\r\n");
    assert_ok(cp_import_oecd(&t, p, NULL, 0, NULL, NULL, &e), &e);
    assert_string_equal(t->sector[0], "01");
    assert_true(t->x[1] == 12);
    cp_table_free(t);
}

static void test_no_country(void **state)
{
    char p[4096];
    cp_table *t;
    cp_error e;
    write_file(p, sizeof p, *state, "table.csv", TINY);
    assert_int_equal(cp_import_oecd(&t, p, NULL, 0, NULL, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "table.csv: cannot tell the country and year");
    assert_msg_has(&e, "--region");
}

/* A Description that is not UTF-8 is refused at its line:col (it becomes
 * the sector name, written to JSON and reports); so is a region code
 * given by the caller that is not UTF-8 (it goes into table.json's
 * title). */
static void test_not_utf8(void **state)
{
    char p[4096], want[4400];
    cp_table *t = (cp_table *)1;
    cp_error e;
    put(p, sizeof p, *state,
        "\"Code\",\"Description\",\"01\",\"02\",\"HFCE\",\"EXPO\",\"IMPO\"\n"
        "\"01\",\"Farming, fishing\",1,2,8,1,-2\n"
        "\"02\",\"Mining and quarrying \x96 energy\",3,4,5,0,0\n"
        "\"TXS_IMP_FNL\",\"x\",1,0,0,0,0\n"
        "\"TXS_INT_FNL\",\"x\",0,1,1,0,0\n"
        "\"TTL_INT_FNL\",\"x\",5,7,0,0,0\n"
        "\"VALU\",\"x\",5,5,0,0,0\n"
        "\"OUTPUT\",\"x\",10,12,0,0,0\n");
    assert_int_equal(cp_import_oecd(&t, p, NULL, 0, NULL, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s:3:6: row label is not UTF-8 text: byte 0x96 after 'Mining and "
             "quarrying '; hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", p);
    assert_string_equal(e.msg, want);
    put(p, sizeof p, *state, TINY);
    assert_int_equal(cp_import_oecd(&t, p, "K\xD6R", 2020, NULL, NULL, &e), CP_EUSAGE);
    assert_null(t);
    assert_string_equal(e.msg, "the region code is not UTF-8 text; hint: give a code such as JPN "
                               "(chokepoint import oecd --region JPN)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_japan_2018),
        cmocka_unit_test(test_china_2018_and_2015),
        cmocka_unit_test_setup_teardown(test_tiny, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_cells_and_labels, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_no_country, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_utf8, setup_dir, tmp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
