/*
 * test_static_extraction.c — hypothetical extraction, checked by hand on
 * Miller & Blair's two-sector example (A = [[.15, .25], [.2, .05]],
 * y = [350, 1700], x = [1000, 2000]) read as one economy or as two
 * one-sector regions, and on pymrio's test MRIO for identities.
 */
#include "testutil.h"

/* Miller & Blair's Z with two final-demand columns; regions r1, r2 for
 * the two industries when two_regions, else one region "R".  Final
 * demand: column 0 belongs to the first region, column 1 to the second
 * ([300, 200] and [50, 1500], summing to [350, 1700]). */
static cp_table *mb(int two_regions)
{
    cp_table *t = cp_table_new(2, 2, 1);
    static const double Z[] = {150, 500, 200, 100}, Y[] = {300, 50, 200, 1500};
    memcpy(t->Z, Z, sizeof Z);
    memcpy(t->Y, Y, sizeof Y);
    t->x[0] = 1000, t->x[1] = 2000;
    t->V[0] = 650, t->V[1] = 1400;
    cp_table_set_str(&t->name, "mb");
    cp_table_set_str(&t->va_label[0], "va");
    for (int i = 0; i < 2; i++) {
        const char *r = two_regions ? (i ? "r2" : "r1") : "R";
        cp_table_set_str(&t->region[i], r);
        cp_table_set_str(&t->sector[i], two_regions ? "p" : (i ? "s2" : "s1"));
        cp_table_set_str(&t->fd_region[i], two_regions ? (i ? "r2" : "r1") : "R");
        cp_table_set_str(&t->fd_category[i], i ? "b" : "a");
    }
    cp_table_index_regions(t);
    return t;
}

/* Extracting nothing (share 0) changes nothing. */
static void test_share_zero(void **state)
{
    (void)state;
    cp_table *t = mb(0);
    cp_error err;
    cp_extract_result r;
    for (int side = 0; side < 2; side++) {
        assert_ok(cp_extract_sector(t, NULL, "s1", 0.0, (cp_io_side)side, &r, &err), &err);
        for (int j = 0; j < 2; j++) {
            assert_true(fabs(r.dx[j]) <= 1e-12 * t->x[j]);
            assert_close(r.x0[j], t->x[j], 1e-13);
        }
        assert_true(fabs(r.loss_output) <= 1e-9);
        cp_extract_result_free(&r);
    }
    cp_table_free(t);
}

/* Full extraction of s1 (demand side): A~ = [[0, 0], [0, .05]],
 * y~ = [0, 1700]: x1 = [0, 1700/.95]; loss = 1000 + (2000 - 1700/.95). */
static void test_full_sector_demand(void **state)
{
    (void)state;
    cp_table *t = mb(0);
    cp_error err;
    cp_extract_result r;
    assert_ok(cp_extract_sector(t, "R", "s1", 1.0, CP_SIDE_DEMAND, &r, &err), &err);
    assert_true(fabs(r.x1[0]) < 1e-12);
    assert_close(r.x1[1], 1700 / .95, 1e-14);
    assert_close(r.dx[0], -1000, 1e-13);
    assert_close(r.loss_output, 1000 + 2000 - 1700 / .95, 1e-13);
    assert_close(r.loss_outside, 2000 - 1700 / .95, 1e-12);
    /* one VA row: v = [.65, .7] */
    assert_close(r.loss_va, .65 * 1000 + .7 * (2000 - 1700 / .95), 1e-13);
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* Half of s1 extracted: cells of row 1 and column 1 halved (a_11 once),
 * y~ = [175, 1700]; (I - A~) = [[.925, -.125], [-.1, .95]], det .86625. */
static void test_partial_sector(void **state)
{
    (void)state;
    cp_table *t = mb(0);
    cp_error err;
    cp_extract_result r;
    assert_ok(cp_extract_sector(t, NULL, "s1", 0.5, CP_SIDE_DEMAND, &r, &err), &err);
    double det = .925 * .95 - .125 * .1;
    assert_close(r.x1[0], (.95 * 175 + .125 * 1700) / det, 1e-13);
    assert_close(r.x1[1], (.1 * 175 + .925 * 1700) / det, 1e-13);
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* Supply side, full extraction of s1: B~ = [[0, 0], [0, .05]],
 * w~ = [0, 1400]: x1 = [0, 1400/.95]. */
static void test_full_sector_supply(void **state)
{
    (void)state;
    cp_table *t = mb(0);
    cp_error err;
    cp_extract_result r;
    assert_ok(cp_extract_sector(t, NULL, "s1", 1.0, CP_SIDE_SUPPLY, &r, &err), &err);
    assert_close(r.x0[0], 1000, 1e-13);
    assert_close(r.x0[1], 2000, 1e-13);
    assert_true(fabs(r.x1[0]) < 1e-12);
    assert_close(r.x1[1], 1400 / .95, 1e-14);
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* Region r1 stops selling p to region r2: cell a_12 goes, and with final
 * demand also r1's sales to r2's final demand (50).  Demand side:
 * A~ = [[.15, 0], [.2, .05]], y~ = [300, 1700]:
 * x1_1 = 300/.85, x1_2 = (1700 + .2 x1_1)/.95. */
static void test_flow_block_demand(void **state)
{
    (void)state;
    cp_table *t = mb(1);
    cp_error err;
    cp_extract_result r;
    assert_ok(cp_extract_flow(t, "r1", "p", "r2", 1.0, 1, CP_SIDE_DEMAND, &r, &err), &err);
    double x1 = 300 / .85, x2 = (1700 + .2 * x1) / .95;
    assert_close(r.x1[0], x1, 1e-14);
    assert_close(r.x1[1], x2, 1e-14);
    assert_close(r.loss_outside, 2000 - x2, 1e-12);
    cp_extract_result_free(&r);
    /* intermediate only: y~ = [350, 1700] */
    assert_ok(cp_extract_flow(t, "r1", "p", "r2", 1.0, 0, CP_SIDE_DEMAND, &r, &err), &err);
    assert_close(r.x1[0], 350 / .85, 1e-14);
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* Supply side: r2 no longer receives r1's p.  B~ = [[.15, 0], [.1, .05]],
 * w = [650, 1400], x_j = sum_i x_i B~_ij + w_j: column 2 of B~ is
 * [0, .05], so x1_2 = 1400/.95, and x1_1 = (650 + .1 x1_2)/.85. */
static void test_flow_block_supply(void **state)
{
    (void)state;
    cp_table *t = mb(1);
    cp_error err;
    cp_extract_result r;
    assert_ok(cp_extract_flow(t, "r1", "p", "r2", 1.0, 1, CP_SIDE_SUPPLY, &r, &err), &err);
    double x2 = 1400 / .95, x1 = (650 + .1 * x2) / .85;
    assert_close(r.x1[1], x2, 1e-14);
    assert_close(r.x1[0], x1, 1e-14);
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* Bad input: unknown sector, unknown region, share outside [0, 1]. */
static void test_errors(void **state)
{
    (void)state;
    cp_table *t = mb(1);
    cp_error err;
    cp_extract_result r;
    assert_int_equal(cp_extract_sector(t, NULL, "nope", 1, CP_SIDE_DEMAND, &r, &err), CP_EINPUT);
    assert_msg_has(&err, "hint");
    assert_int_equal(cp_extract_flow(t, "r1", "p", "r9", 1, 0, CP_SIDE_DEMAND, &r, &err), CP_EINPUT);
    assert_msg_has(&err, "r9");
    assert_int_equal(cp_extract_sector(t, NULL, "p", 1.5, CP_SIDE_DEMAND, &r, &err), CP_EUSAGE);
    assert_msg_has(&err, "share");
    assert_null(r.dx);
    cp_table_free(t);
}

/* On pymrio's MRIO: extracting a sector in every region removes at least
 * as much as extracting it in one; loss is monotone in the share; and a
 * bilateral block of nothing (share 0) is a no-op. */
static void test_pymrio_monotone(void **state)
{
    (void)state;
    char p[4096];
    cp_error err;
    cp_table *t;
    cp_load_opts o = cp_load_opts_default();
    assert_ok(cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err), &err);
    cp_extract_result one, all, half, none;
    assert_ok(cp_extract_sector(t, "reg2", "mining", 1, CP_SIDE_DEMAND, &one, &err), &err);
    assert_ok(cp_extract_sector(t, NULL, "mining", 1, CP_SIDE_DEMAND, &all, &err), &err);
    assert_ok(cp_extract_sector(t, "reg2", "mining", .5, CP_SIDE_DEMAND, &half, &err), &err);
    assert_ok(cp_extract_flow(t, "reg2", "mining", "reg1", 0, 1, CP_SIDE_DEMAND, &none, &err), &err);
    assert_true(all.loss_output >= one.loss_output);
    assert_true(one.loss_output > half.loss_output && half.loss_output > 0);
    long k = cp_table_find(t, "reg2", "mining");
    assert_true(k >= 0);
    assert_true(fabs(one.x1[k]) <= 1e-9 * t->x[k]);
    for (size_t j = 0; j < t->n; j++) {
        assert_close(one.x0[j], t->x[j], 1e-10);
        assert_true(fabs(none.dx[j]) <= 1e-10 * t->x[j]);
    }
    cp_extract_result_free(&one);
    cp_extract_result_free(&all);
    cp_extract_result_free(&half);
    cp_extract_result_free(&none);
    cp_table_free(t);
}

/* Run every test of this file. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_zero),
        cmocka_unit_test(test_full_sector_demand),
        cmocka_unit_test(test_partial_sector),
        cmocka_unit_test(test_full_sector_supply),
        cmocka_unit_test(test_flow_block_demand),
        cmocka_unit_test(test_flow_block_supply),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pymrio_monotone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
