/*
 * test_import_pymrio.c — the pymrio text-format importer.
 *
 * Both layouts of pymrio's test MRIO must give pymrio's own total output
 * (../shared/reference/pymrio_test/x.csv, computed by pymrio 0.6.3) to
 * 1e-9 relative; malformed folders, written to a temporary directory,
 * must give CP_EINPUT with the file, line and column of the problem.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

/* Compare t->x with the reference x.csv (region,sector,indout). */
static void check_x_against_reference(const cp_table *t)
{
    char p[4096];
    cp_csv c;
    cp_error e;
    assert_ok(cp_csv_read(&c, shared_path(p, sizeof p, "reference/pymrio_test/x.csv"), NULL, &e), &e);
    assert_int_equal(c.nrows - 1, t->n);
    for (size_t i = 0; i < t->n; i++) {
        double want;
        assert_string_equal(cp_csv_get(&c, i + 1, 0), t->region[i]);
        assert_string_equal(cp_csv_get(&c, i + 1, 1), t->sector[i]);
        assert_ok(cp_csv_number(&c, i + 1, 2, 0, &want, &e), &e);
        assert_close(t->x[i], want, 1e-9);
    }
    cp_csv_free(&c);
}

/* The common shape and metadata of pymrio's test MRIO. */
static void check_test_mrio(const cp_table *t)
{
    assert_int_equal(t->n, 48);
    assert_int_equal(t->nreg, 6);
    assert_int_equal(t->nfd, 42);
    assert_int_equal(t->nva, 1);
    assert_string_equal(t->name, "pymrio-testmrio");
    assert_string_equal(t->unit, "Mill USD");
    assert_int_equal(t->year, 0);
    assert_string_equal(t->regions[0], "reg1");
    assert_string_equal(t->sector[2], "manufactoring");
    assert_string_equal(t->va_label[0], "Value Added");
    assert_int_equal(t->va_kind[0], CP_VA_VALUE_ADDED);
    assert_string_equal(t->fd_category[6], "Export");
    assert_int_equal(t->fd_kind[6], CP_FD_EXPORT);
    assert_int_equal(t->fd_kind[0], CP_FD_CONSUMPTION);
    assert_int_equal(t->fd_kind[3], CP_FD_INVESTMENT);
    assert_int_equal(t->fd_kind[4], CP_FD_INVENTORY);
    /* first cells of the files: Z reg1/food->reg1/food, Y, Value Added */
    assert_true(t->Z[0] == 23697.221);
    assert_true(t->Y[0] == 58180.65);
    assert_true(t->V[0] == 111490.88);
}

static void test_classic_layout(void **state)
{
    (void)state;
    char p[4096];
    cp_table *t;
    cp_error e;
    assert_ok(cp_import_pymrio(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), NULL, &e), &e);
    check_test_mrio(t);
    check_x_against_reference(t);
    cp_table_free(t);
}

static void test_saved_layout(void **state)
{
    (void)state;
    char p[4096];
    cp_table *t;
    cp_error e;
    assert_ok(cp_import_pymrio(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio_saved"), NULL, &e), &e);
    check_test_mrio(t);
    check_x_against_reference(t);
    cp_table_free(t);
}

static void test_open_dispatches(void **state)
{
    (void)state;
    char p[4096];
    cp_table *t;
    cp_error e;
    cp_load_opts o = cp_load_opts_default();
    assert_ok(cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio_saved"), &o, &e), &e);
    assert_int_equal(t->n, 48);
    /* the columns of pymrio's fictional test MRIO do not close (see
     * import_pymrio.c): a full validation must say so */
    cp_validate_opts v = cp_validate_opts_default();
    assert_int_equal(cp_table_validate(t, &v, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "worst column");
    v.check_columns = 0;
    assert_ok(cp_table_validate(t, &v, NULL, &e), &e);
    cp_table_free(t);
}

/* ---- malformed folders ------------------------------------------------ */

/* A fresh temporary directory per test. */
static int setup_dir(void **state)
{
    return tmp_dir_setup(state, "cp_pymrio_XXXXXX");
}

/* Write text to dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
    char p[4096];
    write_file(p, sizeof p, dir, name, text);
}

/* A tiny valid classic-layout MRIO: regions r1 (sectors a, b) and r2 (a). */
static const char ZT_OK[] =
    "\t\t\tr1\tr1\tr2\n"
    "\t\t\ta\tb\ta\n"
    "r1\ta\tM USD\t1\t2\t3\n"
    "r1\tb\tM USD\t4\t5\t6\n"
    "r2\ta\tM USD\t7\t8\t9\n";
static const char YD_OK[] =
    "\t\t\tr1\tr1\tr2\n"
    "\t\t\tFinal consumption expenditure by households\tExport\tExport\n"
    "r1\ta\tM USD\t10\t1\t0\n"
    "r1\tb\tM USD\t20\t0\t0\n"
    "r2\ta\tM USD\t30\t0\t-1\n";
static const char FI_OK[] =
    "\t\tr1\tr1\tr2\n"
    "\t\ta\tb\ta\n"
    "Value Added\tM USD\t5\t6\t7\n";

/* Write the tiny MRIO with Z, Y, F replaced where non-NULL. */
static void put_classic(const char *d, const char *z, const char *y, const char *f)
{
    put(d, "trade_flows_Z.txt", z ? z : ZT_OK);
    put(d, "finald_demand_Y.txt", y ? y : YD_OK);
    put(d, "factor_input.txt", f ? f : FI_OK);
    put(d, "metadata.json", "{\"name\": \"tiny\", \"description\": \"tiny test\"}");
}

/* Import d expecting failure with a message containing both needles. */
static void expect_fail(const char *d, const char *file, const char *needle)
{
    cp_table *t = (cp_table *)1;
    cp_error e;
    char loc[4200];
    assert_int_equal(cp_import_pymrio(&t, d, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(loc, sizeof loc, "%s/%s", d, file);
    assert_msg_has(&e, loc);
    assert_msg_has(&e, needle);
    assert_msg_has(&e, "hint");
}

static void test_tiny_ok(void **state)
{
    const char *d = *state;
    cp_table *t;
    cp_error e;
    put_classic(d, NULL, NULL, NULL);
    assert_ok(cp_import_pymrio(&t, d, NULL, &e), &e);
    assert_int_equal(t->n, 3);
    assert_int_equal(t->nreg, 2);
    assert_string_equal(t->name, "pymrio-tiny");
    assert_string_equal(t->unit, "M USD");
    /* x = Z·1 + Y·1 */
    assert_true(t->x[0] == 1 + 2 + 3 + 10 + 1);
    assert_true(t->x[1] == 4 + 5 + 6 + 20);
    assert_true(t->x[2] == 7 + 8 + 9 + 30 - 1);
    assert_true(t->V[2] == 7);
    cp_table_free(t);
}

static void test_missing_files(void **state)
{
    const char *d = *state;
    expect_fail(d, "trade_flows_Z.txt", "missing file");
    put(d, "trade_flows_Z.txt", ZT_OK);
    expect_fail(d, "finald_demand_Y.txt", "missing file");
}

static void test_ragged_row(void **state)
{
    const char *d = *state;
    put_classic(d, "\t\t\tr1\tr1\tr2\n\t\t\ta\tb\ta\n"
                   "r1\ta\tM USD\t1\t2\t3\n"
                   "r1\tb\tM USD\t4\t5\n"
                   "r2\ta\tM USD\t7\t8\t9\n", NULL, NULL);
    expect_fail(d, "trade_flows_Z.txt:4: row has 5 fields, expected 6", "delimiter");
}

static void test_non_numeric(void **state)
{
    const char *d = *state;
    put_classic(d, NULL, "\t\t\tr1\tr1\tr2\n\t\t\tc\tExport\tExport\n"
                         "r1\ta\tM USD\t10\t1\t0\n"
                         "r1\tb\tM USD\t20\t1,5\t0\n"
                         "r2\ta\tM USD\t30\t0\t-1\n", NULL);
    expect_fail(d, "finald_demand_Y.txt:4:15: '1,5' is not a finite number", "decimals");
}

static void test_nan(void **state)
{
    const char *d = *state;
    put_classic(d, NULL, NULL, "\t\tr1\tr1\tr2\n\t\ta\tb\ta\nValue Added\tM USD\t5\tNaN\t7\n");
    expect_fail(d, "factor_input.txt:3:21: 'NaN' is not a finite number", "NaN");
}

static void test_column_label_mismatch(void **state)
{
    const char *d = *state;
    put_classic(d, "\t\t\tr1\tr1\tr2\n\t\t\ta\tc\ta\n"
                   "r1\ta\tM USD\t1\t2\t3\n"
                   "r1\tb\tM USD\t4\t5\t6\n"
                   "r2\ta\tM USD\t7\t8\t9\n", NULL, NULL);
    expect_fail(d, "trade_flows_Z.txt:2:6: column 2 is 'r1/c' but industry 2", "order of Z's rows");
}

static void test_y_rows_differ(void **state)
{
    const char *d = *state;
    put_classic(d, NULL, "\t\t\tr1\tr1\tr2\n\t\t\tc\tExport\tExport\n"
                         "r1\ta\tM USD\t10\t1\t0\n"
                         "r2\ta\tM USD\t30\t0\t-1\n", NULL);
    expect_fail(d, "finald_demand_Y.txt: has 2 data rows but", "one row per industry");
    put_classic(d, NULL, "\t\t\tr1\tr1\tr2\n\t\t\tc\tExport\tExport\n"
                         "r1\ta\tM USD\t10\t1\t0\n"
                         "r2\ta\tM USD\t30\t0\t-1\n"
                         "r1\tb\tM USD\t20\t0\t0\n", NULL);
    expect_fail(d, "finald_demand_Y.txt:4:1: row 2 is 'r2/a' but row 2 of", "Z's order");
}

static void test_duplicate_labels(void **state)
{
    const char *d = *state;
    put_classic(d, "\t\t\tr1\tr1\tr1\n\t\t\ta\tb\ta\n"
                   "r1\ta\tM USD\t1\t2\t3\n"
                   "r1\tb\tM USD\t4\t5\t6\n"
                   "r1\ta\tM USD\t7\t8\t9\n", NULL, NULL);
    expect_fail(d, "trade_flows_Z.txt:5:1: Z row 'r1/a' appears twice (lines 3 and 5)", "unique");
    put_classic(d, NULL, "\t\t\tr1\tr1\tr1\n\t\t\tc\tExport\tExport\n"
                         "r1\ta\tM USD\t10\t1\t0\n"
                         "r1\tb\tM USD\t20\t0\t0\n"
                         "r2\ta\tM USD\t30\t0\t-1\n", NULL);
    expect_fail(d, "finald_demand_Y.txt:1:10: Y column 'r1/Export' appears twice", "unique");
}

static void test_missing_label_and_empty(void **state)
{
    const char *d = *state;
    put_classic(d, "\t\t\tr1\tr1\tr2\n\t\t\ta\tb\ta\n"
                   "r1\ta\tM USD\t1\t2\t3\n"
                   "r1\t\tM USD\t4\t5\t6\n"
                   "r2\ta\tM USD\t7\t8\t9\n", NULL, NULL);
    expect_fail(d, "trade_flows_Z.txt:4:4: missing row label", "needs its label");
    put_classic(d, "\r\n\n", NULL, NULL);
    expect_fail(d, "trade_flows_Z.txt: empty file", "hint");
}

static void test_units_disagree(void **state)
{
    const char *d = *state;
    put_classic(d, NULL, NULL, "\t\tr1\tr1\tr2\n\t\ta\tb\ta\nValue Added\tM EUR\t5\t6\t7\n");
    expect_fail(d, "factor_input.txt:3:13: unit 'M EUR' differs from 'M USD'", "one currency unit");
}

static void test_bom_crlf_accepted(void **state)
{
    const char *d = *state;
    cp_table *t;
    cp_error e;
    put_classic(d, "\xEF\xBB\xBF\t\t\tr1\tr1\tr2\r\n\t\t\ta\tb\ta\r\n"
                   "r1\ta\tM USD\t1\t2\t3\r\n"
                   "r1\tb\tM USD\t4\t5\t6\r\n"
                   "r2\ta\tM USD\t7\t8\t9\r\n", NULL, NULL);
    assert_ok(cp_import_pymrio(&t, d, NULL, &e), &e);
    assert_true(t->x[2] == 7 + 8 + 9 + 30 - 1);
    cp_table_free(t);
}

static void test_saved_layout_errors(void **state)
{
    const char *d = *state;
    put(d, "Z.txt", "region\t\tr1\tr1\tr2\nsector\t\ta\tb\ta\nregion\tsector\t\t\t\n"
                    "r1\ta\t1\t2\t3\nr1\tb\t4\t5\t6\nr2\ta\t7\t8\t9\n");
    expect_fail(d, "file_parameters.json", "missing file");
    put(d, "file_parameters.json", "{\"files\": {\"Z\": {\"name\": \"Z.txt\", \"nr_index_col\": \"2\"}}}");
    expect_fail(d, "file_parameters.json", "files.Z needs");
    put(d, "file_parameters.json",
        "{\"files\": {\"Z\": {\"name\": \"Z.txt\", \"nr_index_col\": \"2\", \"nr_header\": \"2\"},"
        " \"Y\": {\"name\": \"Y.txt\", \"nr_index_col\": 2, \"nr_header\": 2},"
        " \"unit\": {\"name\": \"unit.txt\", \"nr_index_col\": \"2\", \"nr_header\": \"1\"}}}");
    expect_fail(d, "Y.txt", "missing file");
    put(d, "Y.txt", "region\t\tr1\tr2\ncategory\t\tExport\tExport\nregion\tsector\t\t\n"
                    "r1\ta\t1\t0\nr1\tb\t1\t0\nr2\ta\t0\tInf\n");
    expect_fail(d, "unit.txt", "missing file");
    put(d, "unit.txt", "region\tsector\tunit\nr1\ta\tM USD\nr1\tb\tM USD\nr2\ta\tM USD\n");
    expect_fail(d, "Y.txt:6:8: 'Inf' is not a finite number", "NaN/Inf");
    put(d, "Y.txt", "region\t\tr1\tr2\ncategory\t\tExport\tExport\nregion\tsector\t\t\n"
                    "r1\ta\t1\t0\nr1\tb\t1\t0\nr2\ta\t0\t2\n");
    cp_table *t;
    cp_error e;
    assert_ok(cp_import_pymrio(&t, d, NULL, &e), &e);
    assert_int_equal(t->nva, 0);
    assert_true(t->x[2] == 7 + 8 + 9 + 2);
    assert_string_equal(t->fd_region[1], "r2");
    cp_table_free(t);
}

/* Labels and units that are not UTF-8 (a Latin-1 export) are refused at
 * file:line:col: they used to import, and then the table could not be
 * saved (table.json is UTF-8; docs/fuzzing.md, found by fuzzing). */
static void test_not_utf8(void **state)
{
    const char *d = *state;
    cp_table *t = (cp_table *)1;
    cp_error e;
    char want[4400];
    /* classic layout: the unit index column of Z ("M \xA5", yen in Latin-1) */
    put_classic(d, "\t\t\tr1\tr1\tr2\n\t\t\ta\tb\ta\n"
                   "r1\ta\tM \xA5\t1\t2\t3\n"
                   "r1\tb\tM USD\t4\t5\t6\n"
                   "r2\ta\tM USD\t7\t8\t9\n", NULL, NULL);
    assert_int_equal(cp_import_pymrio(&t, d, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s/trade_flows_Z.txt:3:6: row label is not UTF-8 text: byte 0xA5 "
             "after 'M '; hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", d);
    assert_string_equal(e.msg, want);
    /* a column label of Y (region "r\xE9" with a Latin-1 e-acute) */
    put_classic(d, NULL, "\t\t\tr1\tr1\tr\xE9\n"
                         "\t\t\tFinal consumption expenditure by households\tExport\tExport\n"
                         "r1\ta\tM USD\t10\t1\t0\nr1\tb\tM USD\t20\t0\t0\nr2\ta\tM USD\t30\t0\t-1\n", NULL);
    assert_int_equal(cp_import_pymrio(&t, d, NULL, &e), CP_EINPUT);
    snprintf(want, sizeof want, "%s/finald_demand_Y.txt:1:10: column label is not UTF-8 text: byte 0xE9 "
             "after 'r'; hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", d);
    assert_string_equal(e.msg, want);
}

/* save_all layout: the unit of a factor input, a data cell of
 * factor_inputs/unit.txt (the fuzzer's find,
 * fuzz/corpus/pymrio/nonutf8-factor-unit.txt: "Mill \x84SD"). */
static void test_not_utf8_factor_unit(void **state)
{
    const char *d = *state;
    char sub[4200], want[4400];
    put(d, "Z.txt", "region\t\tr1\tr1\tr2\nsector\t\ta\tb\ta\nregion\tsector\t\t\t\n"
                    "r1\ta\t1\t2\t3\nr1\tb\t4\t5\t6\nr2\ta\t7\t8\t9\n");
    put(d, "Y.txt", "region\t\tr1\tr2\ncategory\t\tExport\tExport\nregion\tsector\t\t\n"
                    "r1\ta\t1\t0\nr1\tb\t1\t0\nr2\ta\t0\t2\n");
    put(d, "file_parameters.json",
        "{\"files\": {\"Z\": {\"name\": \"Z.txt\", \"nr_index_col\": \"2\", \"nr_header\": \"2\"},"
        " \"Y\": {\"name\": \"Y.txt\", \"nr_index_col\": \"2\", \"nr_header\": \"2\"}}}");
    snprintf(sub, sizeof sub, "%s/factor_inputs", d);
    assert_int_equal(mkdir(sub, 0777), 0);
    put(d, "factor_inputs/file_parameters.json",
        "{\"files\": {\"F\": {\"name\": \"F.txt\", \"nr_index_col\": \"1\", \"nr_header\": \"2\"},"
        " \"unit\": {\"name\": \"unit.txt\", \"nr_index_col\": \"1\", \"nr_header\": \"1\"}}}");
    put(d, "factor_inputs/F.txt", "region\tr1\tr1\tr2\nsector\ta\tb\ta\ninputtype\t\t\t\n"
                                  "Value Added\t5\t6\t7\n");
    put(d, "factor_inputs/unit.txt", "inputtype\tunit\nValue Added\tMill \x84SD\n");
    cp_table *t = (cp_table *)1;
    cp_error e;
    assert_int_equal(cp_import_pymrio(&t, d, NULL, &e), CP_EINPUT);
    assert_null(t);
    snprintf(want, sizeof want, "%s/factor_inputs/unit.txt:2:13: unit is not UTF-8 text: byte 0x84 "
             "after 'Mill '; hint: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)", d);
    assert_string_equal(e.msg, want);
    assert_int_equal(cp_table_open(&t, d, NULL, &e), CP_EINPUT);
    assert_string_equal(e.msg, want);
    /* In UTF-8 the same unit imports, and the table saves. */
    put(d, "factor_inputs/unit.txt", "inputtype\tunit\nValue Added\tMill \xC2\xA5\n");
    assert_ok(cp_import_pymrio(&t, d, NULL, &e), &e);
    assert_string_equal(t->unit, "Mill \xC2\xA5");
    char out[4200];
    snprintf(out, sizeof out, "%s/saved", d);
    assert_ok(cp_table_save(t, out, "test: pymrio import, no year, unit as imported\n", &e), &e);
    cp_table_free(t);
}

/* A long name in metadata.json is truncated for the table's name and
 * title; the cut never splits a character (it would make table.json
 * impossible to write). */
static void test_long_name_cut_on_character(void **state)
{
    const char *d = *state;
    char meta[1400] = "{\"name\": \"", *p = meta + strlen(meta);
    for (int i = 0; i < 400; i++, p += 3) memcpy(p, "\xE6\x97\xA5", 3); /* 400 x U+65E5 */
    strcpy(p, "\"}");
    put_classic(d, NULL, NULL, NULL);
    put(d, "metadata.json", meta);
    cp_table *t;
    cp_error e;
    assert_ok(cp_import_pymrio(&t, d, NULL, &e), &e);
    /* "pymrio-" + 338 whole characters: 1021 of the 1023 bytes that fit */
    assert_int_equal(strlen(t->name), 7 + 338 * 3);
    assert_int_equal(memcmp(t->name, "pymrio-\xE6\x97\xA5", 10), 0);
    char out[4200];
    snprintf(out, sizeof out, "%s/saved", d);
    assert_ok(cp_table_save(t, out, "test: pymrio import, no year, unit as imported\n", &e), &e);
    cp_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classic_layout),
        cmocka_unit_test(test_saved_layout),
        cmocka_unit_test(test_open_dispatches),
        cmocka_unit_test_setup_teardown(test_tiny_ok, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_files, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_ragged_row, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_non_numeric, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_nan, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_column_label_mismatch, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_y_rows_differ, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_labels, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_label_and_empty, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_units_disagree, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_bom_crlf_accepted, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_saved_layout_errors, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_utf8, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_not_utf8_factor_unit, setup_dir, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_long_name_cut_on_character, setup_dir, tmp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
