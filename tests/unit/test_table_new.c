/*
 * test_table_new.c — cp_table_new refuses shapes whose matrices cannot be
 * counted in size_t (n × n, n × nfd, nva × n, or their bytes) instead of
 * letting the product wrap: n = 2^32 made n × n = 0 and Z a zero-length
 * array behind a table that claims 2^32 industries.
 */
#include "testutil.h"

/* Shapes whose element or byte counts overflow give NULL, before any
 * large allocation is attempted. */
static void test_overflow_refused(void **state)
{
    (void)state;
    const size_t half = (size_t)1 << (sizeof(size_t) * 4); /* n × n = SIZE_MAX + 1 */
    assert_null(cp_table_new(half, 1, 1));
    assert_null(cp_table_new(SIZE_MAX, 0, 0));
    assert_null(cp_table_new(half / 2, 1, 1));        /* n × n fits, × 8 bytes does not */
    assert_null(cp_table_new(3, SIZE_MAX / 2, 1));    /* n × nfd */
    assert_null(cp_table_new(3, 1, SIZE_MAX / 3 + 1)); /* nva × n */
    assert_null(cp_table_new(2, SIZE_MAX / 16 + 1, 0)); /* n × nfd fits, bytes do not */
}

/* An ordinary shape still allocates every array, zeroed. */
static void test_small_shape(void **state)
{
    (void)state;
    cp_table *t = cp_table_new(3, 2, 1);
    assert_non_null(t);
    assert_int_equal(t->n, 3);
    assert_int_equal(t->nfd, 2);
    assert_int_equal(t->nva, 1);
    for (size_t i = 0; i < 9; i++) assert_true(t->Z[i] == 0);
    for (size_t i = 0; i < 6; i++) assert_true(t->Y[i] == 0);
    for (size_t i = 0; i < 3; i++) assert_true(t->V[i] == 0 && t->x[i] == 0);
    assert_null(t->region[2]);
    cp_table_free(t);
    t = cp_table_new(0, 0, 0);   /* empty shapes still get arrays */
    assert_non_null(t);
    assert_non_null(t->Z);
    cp_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overflow_refused),
        cmocka_unit_test(test_small_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
