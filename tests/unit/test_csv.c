/*
 * test_csv.c — the CSV reader: quoting, BOM, CRLF, and every malformed
 * input gives a located error rather than a crash or a wrong number.
 */
#include "testutil.h"

/* Parse a string with default options (delimiter guessed). */
static int parse(cp_csv *c, const char *s, cp_error *e)
{
    return cp_csv_parse(c, "t.csv", s, strlen(s), NULL, e);
}

static void test_basic_quotes_crlf_bom(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    const char *s = "\xEF\xBB\xBFregion,sector,v\r\nJPN,\"Agriculture, forestry\",1.5\r\n"
                    "JPN,\"say \"\"hi\"\"\",2\r\n";
    assert_ok(parse(&c, s, &e), &e);
    assert_int_equal(c.nrows, 3);
    assert_string_equal(cp_csv_get(&c, 0, 0), "region");
    assert_string_equal(cp_csv_get(&c, 1, 1), "Agriculture, forestry");
    assert_string_equal(cp_csv_get(&c, 2, 1), "say \"hi\"");
    double v;
    assert_ok(cp_csv_number(&c, 1, 2, 0, &v, &e), &e);
    assert_true(v == 1.5);
    cp_csv_free(&c);
}

static void test_tabs_guessed(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_ok(parse(&c, "a\tb,c\td\n1\t2\t3\n", &e), &e);
    assert_int_equal(cp_csv_ncols(&c, 0), 3);
    assert_string_equal(cp_csv_get(&c, 0, 1), "b,c");
    cp_csv_free(&c);
}

static void test_empty_file(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_int_equal(parse(&c, "", &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv: empty file");
    assert_int_equal(parse(&c, "\xEF\xBB\xBF \r\n\n", &e), CP_EINPUT);
    assert_msg_has(&e, "empty file");
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_int_equal(parse(&c, "a,b\n1,\"oops\n2,3\n", &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2:3: unterminated quoted field");
}

static void test_junk_after_quote(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_int_equal(parse(&c, "a,b\n\"x\"y,2\n", &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2:4: unexpected character 'y'");
}

static void test_nul_byte(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    const char s[] = "a,b\n1,2\0,3\n";
    assert_int_equal(cp_csv_parse(&c, "t.csv", s, sizeof s - 1, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2:4: NUL byte");
}

static void test_numbers(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    double v;
    assert_ok(parse(&c, "h1,h2,h3,h4,h5,h6\n1e3,NaN,inf,1;2,,  -2.5 \n", &e), &e);
    assert_ok(cp_csv_number(&c, 1, 0, 0, &v, &e), &e);
    assert_true(v == 1000.0);
    assert_int_equal(cp_csv_number(&c, 1, 1, 0, &v, &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2:5: 'NaN' is not a finite number");
    assert_int_equal(cp_csv_number(&c, 1, 2, 0, &v, &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2:9: 'inf'");
    assert_int_equal(cp_csv_number(&c, 1, 3, 0, &v, &e), CP_EINPUT);
    assert_msg_has(&e, "'1;2'");
    assert_int_equal(cp_csv_number(&c, 1, 4, 0, &v, &e), CP_EINPUT);
    assert_ok(cp_csv_number(&c, 1, 4, 1, &v, &e), &e);
    assert_true(v == 0.0);
    assert_ok(cp_csv_number(&c, 1, 5, 0, &v, &e), &e);
    assert_true(v == -2.5);
    cp_csv_free(&c);
}

static void test_ragged(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_ok(parse(&c, "a,b,c\n1,2\n1,2,3,4\n", &e), &e);
    assert_int_equal(cp_csv_expect_cols(&c, 1, 3, &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:2: row has 2 fields, expected 3");
    assert_int_equal(cp_csv_expect_cols(&c, 2, 3, &e), CP_EINPUT);
    assert_msg_has(&e, "t.csv:3:7: row has 4 fields, expected 3");
    cp_csv_free(&c);
}

static void test_size_limit(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    cp_csv_opts o = cp_csv_opts_default();
    o.max_bytes = 8;
    assert_int_equal(cp_csv_parse(&c, "t.csv", "a,b\n1,2\n3,4\n", 12, &o, &e), CP_EINPUT);
    assert_msg_has(&e, "over the limit of 8 bytes");
    assert_msg_has(&e, "--max-file-mb");
}

static void test_missing_file(void **state)
{
    (void)state;
    cp_csv c;
    cp_error e;
    assert_int_equal(cp_csv_read(&c, "/nonexistent/x.csv", NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "/nonexistent/x.csv: cannot open");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_quotes_crlf_bom), cmocka_unit_test(test_tabs_guessed),
        cmocka_unit_test(test_empty_file),            cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_junk_after_quote),      cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_numbers),               cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_size_limit),            cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
