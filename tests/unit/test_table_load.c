/*
 * test_table_load.c — chokepoint's own table format (table_io.c) on good
 * and malformed input.
 *
 * The fixtures are the directories under tests/data/bad/ (made by
 * tests/data/bad/gen.py): two hand-made balanced tables, the first again
 * with CRLF line ends and BOMs, and one directory per defect.  Good tables
 * are checked against their accounting identities (worked out by hand in
 * gen.py); every bad one must fail with CP_EINPUT and a message naming the
 * file, line and column and saying what is wrong.  Last, a round trip:
 * cp_table_save then cp_table_load gives the same numbers bit for bit.
 */
#include "testutil.h"

#include <float.h>
#include <unistd.h>

/* Path of fixture directory tests/data/bad/<name>. */
static const char *fixture(char *buf, size_t cap, const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/bad/%s", name);
    return repo_path(buf, cap, rel);
}

/* Load fixture name with default options; returns the code, table in *t. */
static int load(cp_table **t, const char *name, cp_error *e)
{
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    cp_error_clear(e);
    return cp_table_load(t, fixture(p, sizeof p, name), &o, e);
}

/* Fixture name must fail with CP_EINPUT and a message holding every
 * fragment given (NULL-terminated), and must leave *out NULL. */
static void expect_bad(const char *name, ...)
{
    cp_table *t = (cp_table *)1;
    cp_error e;
    int rc = load(&t, name, &e);
    if (rc != CP_EINPUT) {
        print_error("%s: code %d, expected CP_EINPUT; message: %s\n", name, rc, e.msg);
        fail();
    }
    assert_null(t);
    va_list ap;
    va_start(ap, name);
    for (const char *frag; (frag = va_arg(ap, const char *)) != NULL;)
        assert_msg_has(&e, frag);
    va_end(ap);
}

/* ---- good tables: identities worked out by hand in gen.py ------------ */

/* good-tiny2: rows and columns balance exactly; GDP = sum V = sum Y. */
static void test_good_tiny2(void **state)
{
    (void)state;
    cp_table *t;
    cp_error e;
    assert_ok(load(&t, "good-tiny2", &e), &e);
    assert_int_equal(t->n, 2);
    assert_int_equal(t->nfd, 3);
    assert_int_equal(t->nva, 2);
    assert_int_equal(t->nreg, 1);
    assert_int_equal(t->year, 2015);
    assert_string_equal(t->unit, "bn JPY");
    assert_string_equal(t->sector_name[1], "Manufacturing, all");   /* quoted comma */
    assert_int_equal(t->fd_kind[2], CP_FD_IMPORT);
    assert_int_equal(t->va_kind[1], CP_VA_TAX);
    for (size_t i = 0; i < t->n; i++) {
        double row = 0, col = 0;
        for (size_t j = 0; j < t->n; j++) row += t->Z[i * t->n + j], col += t->Z[j * t->n + i];
        for (size_t k = 0; k < t->nfd; k++) row += t->Y[i * t->nfd + k];
        for (size_t r = 0; r < t->nva; r++) col += t->V[r * t->n + i];
        assert_true(row == t->x[i]);
        assert_true(col == t->x[i]);
    }
    assert_true(cp_table_total_output(t) == 300.0);
    assert_true(cp_table_gdp(t) == 200.0);
    double ysum = 0;
    for (size_t i = 0; i < t->n * t->nfd; i++) ysum += t->Y[i];
    assert_true(ysum == 200.0);
    cp_table_free(t);
}

/* good-tiny3: two regions; dyadic numbers, so the identities are exact. */
static void test_good_tiny3(void **state)
{
    (void)state;
    cp_table *t;
    cp_error e;
    assert_ok(load(&t, "good-tiny3", &e), &e);
    assert_int_equal(t->n, 3);
    assert_int_equal(t->nreg, 2);
    assert_string_equal(t->regions[0], "CHN");
    assert_string_equal(t->regions[1], "JPN");
    assert_int_equal(cp_table_find(t, "JPN", "SRV"), 2);
    assert_true(t->Z[1 * 3 + 2] == 7.125);
    assert_true(cp_table_total_output(t) == 205.0);
    assert_true(cp_table_gdp(t) == 121.125);
    cp_balance_report rep;
    assert_int_equal(cp_table_balance(t, &rep), 0);
    assert_true(rep.worst_row_rel == 0.0 && rep.worst_col_rel == 0.0);
    cp_table_free(t);
}

/* CRLF line ends and a BOM in every CSV are accepted and read exactly as
 * the LF, BOM-less original. */
static void test_crlf_bom_accepted(void **state)
{
    (void)state;
    cp_table *a, *b;
    cp_error e;
    assert_ok(load(&a, "good-tiny2", &e), &e);
    assert_ok(load(&b, "crlf-bom", &e), &e);
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->region[i], b->region[i]);
        assert_string_equal(a->sector[i], b->sector[i]);
        assert_string_equal(a->sector_name[i], b->sector_name[i]);
    }
    assert_string_equal(b->fd_category[2], "Import");
    assert_string_equal(b->va_label[1], "taxes");
    assert_memory_equal(a->Z, b->Z, a->n * a->n * sizeof *a->Z);
    assert_memory_equal(a->Y, b->Y, a->n * a->nfd * sizeof *a->Y);
    assert_memory_equal(a->V, b->V, a->nva * a->n * sizeof *a->V);
    assert_memory_equal(a->x, b->x, a->n * sizeof *a->x);
    cp_table_free(a);
    cp_table_free(b);
}

/* ---- malformed cells and rows ----------------------------------------- */

/* A Z.csv row one field short: the line, the counts and a hint. */
static void test_ragged_row(void **state)
{
    (void)state;
    expect_bad("ragged-row", "ragged-row/Z.csv:3: row has 3 fields, expected 4", "hint:", NULL);
}

/* A letter O for a zero: the cell's line:col and its text. */
static void test_non_numeric(void **state)
{
    (void)state;
    expect_bad("non-numeric", "non-numeric/Z.csv:3:10: '4O' is not a finite number", NULL);
}

/* NaN, Inf and an empty cell are not numbers (no silent 0 or NaN). */
static void test_nan_inf_empty(void **state)
{
    (void)state;
    expect_bad("nan-cell", "nan-cell/Y.csv:2:7: 'NaN' is not a finite number", "no NaN/Inf", NULL);
    expect_bad("inf-cell", "inf-cell/V.csv:3:7: 'Inf' is not a finite number", NULL);
    expect_bad("empty-cell", "empty-cell/Y.csv:3:10: '' is not a finite number", "no empty cells",
               NULL);
}

/* An unterminated quote is reported where the quote opens. */
static void test_unterminated_quote(void **state)
{
    (void)state;
    expect_bad("unterminated-quote", "unterminated-quote/Z.csv:3:10: unterminated quoted field",
               NULL);
}

/* An empty file and a file of blank lines are both "empty". */
static void test_empty_files(void **state)
{
    (void)state;
    expect_bad("empty-file", "empty-file/V.csv: empty file", NULL);
    expect_bad("blank-file", "blank-file/x.csv: empty file", NULL);
}

/* ---- labels ------------------------------------------------------------ */

/* An empty sector label in industries.csv, located. */
static void test_missing_label(void **state)
{
    (void)state;
    expect_bad("missing-label", "missing-label/industries.csv:3:5: empty sector label", NULL);
}

/* A label file's header must name its columns exactly. */
static void test_bad_header(void **state)
{
    (void)state;
    expect_bad("bad-header", "bad-header/fd.csv:1:8: header field 2 is 'cat', expected 'category'",
               NULL);
}

/* Duplicates are refused where they are, even without validation. */
static void test_duplicate_labels(void **state)
{
    (void)state;
    expect_bad("dup-industry",
               "dup-industry/industries.csv:3:1: industry 'JPN/A' appears twice (lines 2 and 3)",
               NULL);
    expect_bad("dup-va", "dup-va/va.csv:3:1: value-added row 'wages' appears twice (lines 2 and 3)",
               NULL);
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = 1;
    cp_table *t;
    cp_error e;
    assert_int_equal(cp_table_load(&t, fixture(p, sizeof p, "dup-industry"), &o, &e), CP_EINPUT);
    assert_msg_has(&e, "appears twice");
}

/* Swapped Z columns are an error, not a silently wrong matrix. */
static void test_columns_out_of_order(void **state)
{
    (void)state;
    expect_bad("cols-out-of-order",
               "cols-out-of-order/Z.csv:1:15: column 3 is labelled 'JPN/M', expected 'JPN/A'",
               "columns must follow the order of the label files", NULL);
}

/* Swapped x rows are an error, not a silently wrong vector. */
static void test_rows_out_of_order(void **state)
{
    (void)state;
    expect_bad("rows-out-of-order", "rows-out-of-order/x.csv:2:5: row label 'M', expected 'A'",
               "rows must follow the order of the label files", NULL);
}

/* A matrix with fewer data rows than the label file has labels. */
static void test_missing_row(void **state)
{
    (void)state;
    expect_bad("missing-row", "missing-row/Y.csv: has 1 data rows, expected 2", NULL);
}

/* An fd.csv kind outside the list, located, with the list. */
static void test_unknown_kind(void **state)
{
    (void)state;
    expect_bad("unknown-fd-kind",
               "unknown-fd-kind/fd.csv:2:10: unknown final-demand kind 'households'", NULL);
}

/* ---- files and metadata ------------------------------------------------ */

/* A missing matrix file and a missing table.json name the path. */
static void test_missing_file(void **state)
{
    (void)state;
    expect_bad("missing-file", "missing-file/Y.csv: cannot open: No such file or directory", NULL);
    expect_bad("no-table-json", "no-table-json/table.json: ", "chokepoint table directory", NULL);
}

/* table.json: wrong format, wrong version, bad JSON, no unit. */
static void test_table_json(void **state)
{
    (void)state;
    expect_bad("wrong-format", "wrong-format/table.json: \"format\" must be \"chokepoint-table\"",
               NULL);
    expect_bad("wrong-version",
               "wrong-version/table.json: unsupported table format version 2 (this chokepoint reads version 1)",
               NULL);
    expect_bad("bad-json", "bad-json/table.json:8:15: '}' expected", NULL);
    expect_bad("no-unit", "no-unit/table.json: \"unit\" is missing", NULL);
}

/* ---- accounting -------------------------------------------------------- */

/* Negative output is refused where it is written (x.csv line 3, column
 * 7), unless validation is off; validation refuses it too for tables
 * built in memory. */
static void test_negative_output(void **state)
{
    (void)state;
    expect_bad("negative-output", "negative-output/x.csv:3:7: output of JPN/M is negative (-200)",
               "total output cannot be negative", NULL);
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = 1;
    cp_table *t;
    cp_error e;
    assert_ok(cp_table_load(&t, fixture(p, sizeof p, "negative-output"), &o, &e), &e);
    assert_true(t->x[1] == -200.0);
    assert_int_equal(cp_table_validate(t, NULL, NULL, &e), CP_EINPUT);
    assert_msg_has(&e, "output of JPN/M is negative (-200 bn JPY)");
    cp_table_free(t);
}

/* Y[A, hhco] is 8 too high: row A misses its output of 100 by -8 (0.08
 * relative); the columns still balance.  The message says where, by how
 * much, and how to loosen the check; loosening it loads the table. */
static void test_unbalanced(void **state)
{
    (void)state;
    expect_bad("unbalanced", "does not balance within 1e-06",
               "worst row    JPN/A: output 100 bn JPY, row sum misses it by -8 bn JPY (0.08 relative)",
               "worst column JPN/A", "--balance-tol 0.2", "--no-validate", NULL);
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.validate.tol = 0.1;
    cp_table *t;
    cp_error e;
    assert_ok(cp_table_load(&t, fixture(p, sizeof p, "unbalanced"), &o, &e), &e);
    cp_table_free(t);
    o = cp_load_opts_default();
    o.skip_validation = 1;
    assert_ok(cp_table_load(&t, fixture(p, sizeof p, "unbalanced"), &o, &e), &e);
    cp_table_free(t);
}

/* Outputs of 1e308 with rows and columns that sum to ~100: the total of
 * outputs overflows to inf.  This used to make the balance floor inf and
 * every gap 0, so the table passed; it must fail like any other. */
static void test_huge_output_unbalanced(void **state)
{
    (void)state;
    expect_bad("huge-output", "does not balance within 1e-06",
               "worst row    JPN/A: output 1e+308 bn JPY", NULL);
}

/* A year outside 0..9999 is refused rather than truncated to an int. */
static void test_bad_year(void **state)
{
    (void)state;
    expect_bad("bad-year", "bad-year/table.json: \"year\" is 20150000000", NULL);
}

/* 40 industries mean 1600 Z cells (>= 3200 bytes): with a 2000-byte limit
 * the loader refuses before allocating, naming the flag. */
static void test_too_many_industries_for_limit(void **state)
{
    (void)state;
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.csv.max_bytes = 2000;
    cp_table *t;
    cp_error e;
    assert_int_equal(cp_table_load(&t, fixture(p, sizeof p, "many-industries"), &o, &e),
                     CP_EINPUT);
    assert_msg_has(&e, "many-industries/industries.csv: lists 40 industries, so Z.csv would be over the limit of 2000 bytes");
    assert_msg_has(&e, "--max-file-mb");
    o.csv.max_bytes = 4000;   /* passes the check, then Z.csv is missing */
    assert_int_equal(cp_table_load(&t, fixture(p, sizeof p, "many-industries"), &o, &e),
                     CP_EINPUT);
    assert_msg_has(&e, "many-industries/Z.csv: cannot open");
}

/* A file over max_bytes is refused before it is read; the hint names the
 * CLI flag.  industries.csv is the first file read (64 bytes). */
static void test_size_limit(void **state)
{
    (void)state;
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.csv.max_bytes = 40;
    cp_table *t;
    cp_error e;
    assert_int_equal(cp_table_load(&t, fixture(p, sizeof p, "good-tiny2"), &o, &e), CP_EINPUT);
    assert_msg_has(&e, "good-tiny2/industries.csv: file is 64 bytes, over the limit of 40 bytes");
    assert_msg_has(&e, "--max-file-mb");
}

/* Copy fixture name's files into the scratch directory dst. */
static void copy_fixture(const char *name, const char *dst);

/* A label that is not UTF-8 (Latin-1 'é') is refused where it stands: a
 * table's labels go into JSON outputs and reports, which must be UTF-8. */
static void test_label_not_utf8(void **state);

/* table.json is held to the same size limit as the CSV files. */
static void test_table_json_size_limit(void **state);

/* ---- round trip --------------------------------------------------------- */

/* Make an empty scratch directory under $TMPDIR. */
static char *scratch(char *buf, size_t cap)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, cap, "%s/cp-test-table-XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(buf));
    return buf;
}

/* Remove the files a save writes, then the directory. */
static void remove_table_dir(const char *dir)
{
    static const char *const files[] = {"table.json", "industries.csv", "fd.csv", "va.csv",
                                        "Z.csv",      "Y.csv",          "V.csv",  "x.csv",
                                        "provenance.md"};
    char p[1024];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* Save then load (no validation) must give the same labels and the same
 * bits in every number. */
static void assert_round_trip(const cp_table *t)
{
    char dir[512];
    cp_error e;
    scratch(dir, sizeof dir);
    assert_ok(cp_table_save(t, dir, "test round trip: no source, year 2015, unit bn JPY\n", &e), &e);
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = 1;
    cp_table *u;
    assert_ok(cp_table_load(&u, dir, &o, &e), &e);
    assert_int_equal(u->n, t->n);
    assert_int_equal(u->nfd, t->nfd);
    assert_int_equal(u->nva, t->nva);
    assert_int_equal(u->year, t->year);
    assert_string_equal(u->unit, t->unit);
    for (size_t i = 0; i < t->n; i++) {
        assert_string_equal(u->region[i], t->region[i]);
        assert_string_equal(u->sector[i], t->sector[i]);
        assert_string_equal(u->sector_name[i], t->sector_name[i]);
    }
    for (size_t k = 0; k < t->nfd; k++) {
        assert_string_equal(u->fd_region[k], t->fd_region[k]);
        assert_string_equal(u->fd_category[k], t->fd_category[k]);
        assert_int_equal(u->fd_kind[k], t->fd_kind[k]);
    }
    for (size_t r = 0; r < t->nva; r++) {
        assert_string_equal(u->va_label[r], t->va_label[r]);
        assert_int_equal(u->va_kind[r], t->va_kind[r]);
    }
    assert_memory_equal(u->Z, t->Z, t->n * t->n * sizeof *t->Z);
    assert_memory_equal(u->Y, t->Y, t->n * t->nfd * sizeof *t->Y);
    assert_memory_equal(u->V, t->V, t->nva * t->n * sizeof *t->V);
    assert_memory_equal(u->x, t->x, t->n * sizeof *t->x);
    cp_table_free(u);
    remove_table_dir(dir);
}

/* A loaded fixture survives a round trip. */
static void test_round_trip_fixture(void **state)
{
    (void)state;
    cp_table *t;
    cp_error e;
    assert_ok(load(&t, "good-tiny3", &e), &e);
    assert_round_trip(t);
    cp_table_free(t);
}

/* Numbers that are hard to print exactly (0.1, 1/3, subnormals, -0,
 * DBL_MAX) and labels that need quoting (commas, quotes, newlines,
 * leading blanks, a slash) survive a round trip. */
static void test_round_trip_hard_values(void **state)
{
    (void)state;
    cp_table *t = cp_table_new(3, 2, 2);
    assert_non_null(t);
    static const char *const reg[] = {"JPN", "a,b", "CHN/HK"};
    static const char *const sec[] = {"say \"hi\"", "two\nlines", " padded "};
    static const char *const nm[] = {"", "Name, with comma", "\"quoted\""};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(cp_table_set_str(&t->region[i], reg[i]), 0);
        assert_int_equal(cp_table_set_str(&t->sector[i], sec[i]), 0);
        assert_int_equal(cp_table_set_str(&t->sector_name[i], nm[i][0] ? nm[i] : sec[i]), 0);
    }
    assert_int_equal(cp_table_set_str(&t->fd_region[0], "JPN"), 0);
    assert_int_equal(cp_table_set_str(&t->fd_category[0], "hh,co"), 0);
    assert_int_equal(cp_table_set_str(&t->fd_region[1], "a,b"), 0);
    assert_int_equal(cp_table_set_str(&t->fd_category[1], "Export\r"), 0);
    t->fd_kind[1] = CP_FD_EXPORT;
    assert_int_equal(cp_table_set_str(&t->va_label[0], "wages"), 0);
    assert_int_equal(cp_table_set_str(&t->va_label[1], "taxes, net"), 0);
    t->va_kind[1] = CP_VA_TAX;
    assert_int_equal(cp_table_set_str(&t->unit, "bn JPY"), 0);
    assert_int_equal(cp_table_set_str(&t->name, "hard"), 0);
    t->year = 2015;
    const double v[] = {0.1, 1.0 / 3.0, 4.9406564584124654e-324, -0.0, DBL_MAX, -DBL_MAX,
                        2.2250738585072014e-308, 123456789.123456789, 1e-300, 6.02214076e23,
                        -7.0 / 9.0, 0.30000000000000004};
    size_t nv = sizeof v / sizeof *v, q = 0;
    for (size_t i = 0; i < 9; i++) t->Z[i] = v[q++ % nv];
    for (size_t i = 0; i < 6; i++) t->Y[i] = v[q++ % nv];
    for (size_t i = 0; i < 6; i++) t->V[i] = v[q++ % nv];
    for (size_t i = 0; i < 3; i++) t->x[i] = v[q++ % nv];
    assert_int_equal(cp_table_index_regions(t), 0);
    assert_round_trip(t);
    /* Labels longer than 1 KiB: the header pair "region/sector" was built
     * in a 1024-byte buffer and truncated, so the reload failed. */
    char *long_label = malloc(3001);
    assert_non_null(long_label);
    memset(long_label, 'S', 3000);
    long_label[3000] = '\0';
    long_label[1500] = ',';
    assert_int_equal(cp_table_set_str(&t->sector[1], long_label), 0);
    assert_int_equal(cp_table_set_str(&t->fd_category[0], long_label), 0);
    free(long_label);
    assert_round_trip(t);
    cp_table_free(t);
}

/* A unit that is not UTF-8 (jansson cannot store it) is an error on
 * save, not a table.json silently written without "unit"; so is a year
 * outside 0..9999, which the loader refuses. */
static void test_save_refuses_non_utf8_meta(void **state)
{
    (void)state;
    cp_table *t;
    cp_error e;
    assert_ok(load(&t, "good-tiny2", &e), &e);
    assert_int_equal(cp_table_set_str(&t->unit, "Mill \xA5"), 0);   /* Latin-1 yen sign */
    char dir[512];
    scratch(dir, sizeof dir);
    assert_int_equal(cp_table_save(t, dir, "test: no source\n", &e), CP_EINPUT);
    assert_msg_has(&e, "table.json: the table's unit is not valid UTF-8");
    /* A year the loader would refuse is refused on save too. */
    assert_int_equal(cp_table_set_str(&t->unit, "bn JPY"), 0);
    t->year = 20150;
    assert_int_equal(cp_table_save(t, dir, "test: no source\n", &e), CP_EINPUT);
    assert_msg_has(&e, "table.json: year 20150 is not a year");
    remove_table_dir(dir);
    cp_table_free(t);
}

/* Run every test; cmocka prints the summary tests/run.sh counts. */
/* Copy the files of fixture name into dst (an existing directory). */
static void copy_fixture(const char *name, const char *dst)
{
    static const char *const files[] = {"table.json", "industries.csv", "fd.csv", "va.csv",
                                        "Z.csv",      "Y.csv",          "V.csv",  "x.csv",
                                        "provenance.md"};
    char src[512], p[1024], q[1024];
    fixture(src, sizeof src, name);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", src, files[i]);
        snprintf(q, sizeof q, "%s/%s", dst, files[i]);
        FILE *in = fopen(p, "rb"), *out = fopen(q, "wb");
        assert_non_null(in);
        assert_non_null(out);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
        fclose(in);
        fclose(out);
    }
}

static void test_label_not_utf8(void **state)
{
    (void)state;
    char dir[512], p[1024];
    scratch(dir, sizeof dir);
    copy_fixture("good-tiny2", dir);
    snprintf(p, sizeof p, "%s/industries.csv", dir);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs("region,sector,name\nJPN,A,Agriculture\nJPN,M,\"Caf\xE9 manufacturing\"\n", f);
    fclose(f);
    cp_table *t = (cp_table *)1;
    cp_error e;
    cp_load_opts o = cp_load_opts_default();
    assert_int_equal(cp_table_load(&t, dir, &o, &e), CP_EINPUT);
    assert_null(t);
    assert_msg_has(&e, "industries.csv:3:7: label is not UTF-8 text: byte 0xE9 at offset 3; hint: save the file as UTF-8");
    remove_table_dir(dir);
}

static void test_table_json_size_limit(void **state)
{
    (void)state;
    char p[512];
    cp_load_opts o = cp_load_opts_default();
    o.csv.max_bytes = 100;   /* every CSV of good-tiny2 is under 100 bytes, table.json is 216 */
    cp_table *t = (cp_table *)1;
    cp_error e;
    assert_int_equal(cp_table_load(&t, fixture(p, sizeof p, "good-tiny2"), &o, &e), CP_EINPUT);
    assert_null(t);
    assert_msg_has(&e, "good-tiny2/table.json: file is 216 bytes, over the limit of 100 bytes");
    assert_msg_has(&e, "--max-file-mb");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_tiny2),
        cmocka_unit_test(test_good_tiny3),
        cmocka_unit_test(test_crlf_bom_accepted),
        cmocka_unit_test(test_ragged_row),
        cmocka_unit_test(test_non_numeric),
        cmocka_unit_test(test_nan_inf_empty),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_missing_label),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_duplicate_labels),
        cmocka_unit_test(test_columns_out_of_order),
        cmocka_unit_test(test_rows_out_of_order),
        cmocka_unit_test(test_missing_row),
        cmocka_unit_test(test_unknown_kind),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_table_json),
        cmocka_unit_test(test_negative_output),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_huge_output_unbalanced),
        cmocka_unit_test(test_bad_year),
        cmocka_unit_test(test_too_many_industries_for_limit),
        cmocka_unit_test(test_round_trip_fixture),
        cmocka_unit_test(test_round_trip_hard_values),
        cmocka_unit_test(test_save_refuses_non_utf8_meta),
        cmocka_unit_test(test_label_not_utf8),
        cmocka_unit_test(test_table_json_size_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
