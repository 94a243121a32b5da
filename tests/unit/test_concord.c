/*
 * test_concord.c — aggregation through a concordance file and
 * disaggregation by output shares.  The specification is accounting:
 * totals are preserved, and rows and columns that balanced still balance.
 */
#include "testutil.h"

#include <unistd.h>

/* Write text to a fresh temporary file; returns its path in buf. */
static const char *tmpfile_with(char *buf, size_t cap, const char *text)
{
    snprintf(buf, cap, "%s/cp_concord_XXXXXX", test_tmp());
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    (void)cap;
    return buf;
}

/* Sums of every block of a table. */
typedef struct totals { double z, y, v, x; } totals;

/* Sum every block. */
static totals sums(const cp_table *t)
{
    totals s = {0, 0, 0, 0};
    for (size_t k = 0; k < t->n * t->n; k++) s.z += t->Z[k];
    for (size_t k = 0; k < t->n * t->nfd; k++) s.y += t->Y[k];
    for (size_t k = 0; k < t->nva * t->n; k++) s.v += t->V[k];
    for (size_t k = 0; k < t->n; k++) s.x += t->x[k];
    return s;
}

/* Aggregated and original tables carry the same totals and GDP. */
static void same_totals(const cp_table *a, const cp_table *b)
{
    totals s = sums(a), u = sums(b);
    assert_close(s.z, u.z, 1e-13);
    assert_close(s.y, u.y, 1e-13);
    assert_close(s.v, u.v, 1e-13);
    assert_close(s.x, u.x, 1e-13);
    assert_close(cp_table_gdp(a), cp_table_gdp(b), 1e-13);
}

/* A balanced 3-sector single-region table (rows and columns exact). */
static cp_table *three(void)
{
    static const double Z[] = {10, 20, 30, 5, 15, 25, 40, 10, 20};
    static const double Y[] = {40, 55, 30};
    cp_table *t = cp_table_new(3, 1, 1);
    const char *sec[] = {"agr", "mfg", "srv"};
    memcpy(t->Z, Z, sizeof Z);
    for (int i = 0; i < 3; i++) {
        cp_table_set_str(&t->region[i], "JP");
        cp_table_set_str(&t->sector[i], sec[i]);
        cp_table_set_str(&t->sector_name[i], sec[i]);
        t->Y[i] = Y[i];
        t->x[i] = Z[3 * i] + Z[3 * i + 1] + Z[3 * i + 2] + Y[i];
    }
    for (int j = 0; j < 3; j++) t->V[j] = t->x[j] - Z[j] - Z[3 + j] - Z[6 + j];
    cp_table_set_str(&t->fd_region[0], "JP");
    cp_table_set_str(&t->fd_category[0], "hh");
    cp_table_set_str(&t->va_label[0], "va");
    cp_table_set_str(&t->name, "three");
    cp_table_index_regions(t);
    return t;
}

/* Worst relative row and column imbalance. */
static void balanced(const cp_table *t, double tol)
{
    cp_balance_report rep;
    assert_int_equal(cp_table_balance(t, &rep), 0);
    assert_true(rep.worst_row_rel <= tol);
    assert_true(rep.worst_col_rel <= tol);
}

/* agr + mfg -> goods, srv -> services, summed by hand. */
static void test_aggregate_three(void **state)
{
    (void)state;
    cp_table *t = three(), *a;
    char p[64];
    cp_error err;
    tmpfile_with(p, sizeof p, "region,sector,new_sector\nJP,agr,goods\nJP,srv,services\nJP,mfg,goods\n");
    assert_ok(cp_table_aggregate(&a, t, p, NULL, &err), &err);
    unlink(p);
    assert_int_equal(a->n, 2);
    assert_string_equal(a->sector[0], "goods");
    assert_string_equal(a->sector[1], "services");
    /* goods = agr + mfg: x = 100 + 100; Z_goods,goods = 10 + 20 + 5 + 15 */
    assert_close(a->x[0], t->x[0] + t->x[1], 1e-15);
    assert_close(a->Z[0], 50, 1e-15);
    assert_close(a->Z[1], 30 + 25, 1e-15);
    assert_close(a->Z[2], 40 + 10, 1e-15);
    balanced(a, 1e-14);
    same_totals(a, t);
    cp_table_free(a);
    cp_table_free(t);
}

/* pymrio's MRIO, 8 sectors -> 3 in every region (region "*"). */
static void test_aggregate_pymrio(void **state)
{
    (void)state;
    char p[4096], c[64];
    cp_error err;
    cp_table *t, *a;
    cp_load_opts o = cp_load_opts_default();
    assert_ok(cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err), &err);
    tmpfile_with(c, sizeof c,
                 "*,food,primary\n*,mining,primary\n*,manufactoring,secondary\n"
                 "*,electricity,secondary\n*,construction,secondary\n*,trade,tertiary\n"
                 "*,transport,tertiary\n*,other,tertiary\n");
    assert_ok(cp_table_aggregate(&a, t, c, NULL, &err), &err);
    unlink(c);
    assert_int_equal(a->n, 18);
    assert_int_equal(a->nreg, 6);
    assert_string_equal(a->region[3], "reg2");
    assert_string_equal(a->sector[3], "primary");
    same_totals(a, t);
    /* rows balance as in the source; a column's imbalance is the sum of
     * its members' (pymrio's test VA does not close the columns) */
    cp_balance_report rep;
    cp_table_balance(a, &rep);
    assert_true(rep.worst_row_rel <= 1e-12);
    for (size_t r = 0; r < 6; r++) {
        double gap_t = 0, gap_a = 0;
        for (size_t j = 8 * r; j < 8 * r + 8; j++) {
            double s = t->x[j];
            for (size_t i = 0; i < t->n; i++) s -= t->Z[i * t->n + j];
            s -= t->V[j];
            gap_t += s;
        }
        for (size_t j = 3 * r; j < 3 * r + 3; j++) {
            double s = a->x[j];
            for (size_t i = 0; i < a->n; i++) s -= a->Z[i * a->n + j];
            s -= a->V[j];
            gap_a += s;
        }
        assert_close(gap_a, gap_t, 1e-9);
    }
    cp_table_free(a);
    cp_table_free(t);
}

/* Bad concordances name the file and line, and say what to do. */
static void test_aggregate_errors(void **state)
{
    (void)state;
    cp_table *t = three(), *a = NULL;
    char p[64];
    cp_error err;
    tmpfile_with(p, sizeof p, "JP,agr,g\nJP,mfg,g\n");
    assert_int_equal(cp_table_aggregate(&a, t, p, NULL, &err), CP_EINPUT);
    assert_msg_has(&err, "not mapped");
    assert_msg_has(&err, "JP/srv");
    unlink(p);
    tmpfile_with(p, sizeof p, "JP,agr,g\nJP,mfg,g\nJP,srv,s\nJP,fish,g\n");
    assert_int_equal(cp_table_aggregate(&a, t, p, NULL, &err), CP_EINPUT);
    assert_msg_has(&err, ":4:");
    assert_msg_has(&err, "fish");
    unlink(p);
    tmpfile_with(p, sizeof p, "JP,agr,g\nJP,mfg,g\nJP,srv,s\n*,agr,h\n");
    assert_int_equal(cp_table_aggregate(&a, t, p, NULL, &err), CP_EINPUT);
    assert_msg_has(&err, "twice");
    unlink(p);
    assert_null(a);
    cp_table_free(t);
}

/* Split mfg into two by shares .3/.7: new rows and columns balance, totals
 * are preserved, the new x are the shares of the old, and each new sector
 * keeps mfg's input coefficients. */
static void test_disaggregate(void **state)
{
    (void)state;
    cp_table *t = three(), *d;
    cp_error err;
    const char *names[] = {"mfg-a", "mfg-b"};
    const double sh[] = {.3, .7};
    assert_ok(cp_table_disaggregate(&d, t, 1, 2, names, sh, &err), &err);
    assert_int_equal(d->n, 4);
    assert_string_equal(d->sector[1], "mfg-a");
    assert_string_equal(d->sector[2], "mfg-b");
    assert_string_equal(d->sector[3], "srv");
    assert_close(d->x[1], .3 * t->x[1], 1e-15);
    assert_close(d->x[2], .7 * t->x[1], 1e-15);
    balanced(d, 1e-14);
    same_totals(d, t);
    for (size_t i = 0; i < 4; i++) {
        size_t src = i < 2 ? i : i == 2 ? 1 : 2;
        double want = t->Z[src * 3 + 1] / t->x[1];
        if (i == 1 || i == 2) want *= sh[i - 1]; /* inputs from each half of mfg */
        for (size_t a = 1; a <= 2; a++) assert_close(d->Z[i * 4 + a] / d->x[a], want, 1e-14);
    }
    /* aggregating the split back gives the original table */
    char p[64];
    cp_table *back;
    tmpfile_with(p, sizeof p, "JP,agr,agr\nJP,mfg-a,mfg\nJP,mfg-b,mfg\nJP,srv,srv\n");
    assert_ok(cp_table_aggregate(&back, d, p, NULL, &err), &err);
    unlink(p);
    for (size_t k = 0; k < 9; k++) assert_close(back->Z[k], t->Z[k], 1e-14);
    for (size_t k = 0; k < 3; k++) assert_close(back->x[k], t->x[k], 1e-15);
    cp_table_free(back);
    cp_table_free(d);
    cp_table_free(t);
}

/* Shares that do not sum to 1, negative shares, clashing names and a bad
 * index are refused. */
static void test_disaggregate_errors(void **state)
{
    (void)state;
    cp_table *t = three(), *d = NULL;
    cp_error err;
    const char *names[] = {"a", "b"}, *dup[] = {"a", "srv"};
    const double bad_sum[] = {.3, .6}, neg[] = {-.1, 1.1}, ok[] = {.5, .5};
    assert_int_equal(cp_table_disaggregate(&d, t, 1, 2, names, bad_sum, &err), CP_EUSAGE);
    assert_msg_has(&err, "sum");
    assert_int_equal(cp_table_disaggregate(&d, t, 1, 2, names, neg, &err), CP_EUSAGE);
    assert_int_equal(cp_table_disaggregate(&d, t, 1, 2, dup, ok, &err), CP_EUSAGE);
    assert_msg_has(&err, "already exists");
    assert_int_equal(cp_table_disaggregate(&d, t, 7, 2, names, ok, &err), CP_EUSAGE);
    assert_null(d);
    cp_table_free(t);
}

/* Run every test of this file. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate_three),
        cmocka_unit_test(test_aggregate_pymrio),
        cmocka_unit_test(test_aggregate_errors),
        cmocka_unit_test(test_disaggregate),
        cmocka_unit_test(test_disaggregate_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
