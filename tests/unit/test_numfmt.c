/*
 * test_numfmt.c — cp_num_format (core/numfmt.c) against its definition,
 * snprintf "%.15g" then, unless strtod reads it back to the same double,
 * "%.17g": byte for byte on millions of doubles of many shapes (any bits,
 * the fast path's whole range, short decimals, integers, exact halves and
 * the ties of 15 and 17 digits, powers of ten and their neighbours, the
 * range's edges, subnormals, zeros, infinities, NaN), and with small
 * buffers.
 */
#include "testutil.h"
#include "core/numfmt.h"

/* The definition. */
static void reference(double v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, cap, "%.17g", v);
}

/* xorshift64. */
static uint64_t next(uint64_t *h)
{
    *h ^= *h << 13;
    *h ^= *h >> 7;
    *h ^= *h << 17;
    return *h;
}

/* One double against the definition (with a 40-byte buffer). */
static void check(double v, long *n)
{
    char a[40], b[40];
    memset(a, 'x', sizeof a);
    cp_num_format(v, a, sizeof a);
    reference(v, b, sizeof b);
    if (strcmp(a, b)) fail_msg("%a: '%s', want '%s'", v, a, b);
    (*n)++;
}

/* Random doubles of many shapes. */
static void test_random(void **state)
{
    (void)state;
    uint64_t h = 88172645463325252ull;
    long n = 0;
    for (long i = 0; i < 300000; i++) {
        uint64_t u = next(&h);
        double v, f = (double)(next(&h) >> 11) / 9007199254740992.0;
        memcpy(&v, &u, sizeof v);
        check(v, &n);                                                    /* any bits */
        check(ldexp(f + 0.5, (int)(next(&h) % 140) - 22), &n);           /* 1e-7 .. 1e36 */
        check(-f * pow(10, (double)(next(&h) % 46) - 7), &n);            /* around the edges */
        check((double)(next(&h) % 100000000) / pow(10, (double)(next(&h) % 12)), &n);   /* short decimals */
        check((double)(int64_t)(next(&h) >> (next(&h) % 64)), &n);       /* integers */
        double t = (double)(next(&h) % (1ull << 40)) * ldexp(1.0, -(int)(next(&h) % 60));
        check(t, &n);                                                    /* finite expansions: ties */
        check(nextafter(t, INFINITY), &n);
    }
    assert_true(n > 2000000);
}

/* Edges: ties next to 2^53, powers of ten and their neighbours, the fast
 * path's range, subnormals, zeros, infinities, NaN; small buffers. */
static void test_edges(void **state)
{
    (void)state;
    long n = 0;
    for (uint64_t m = (1ull << 53) - 20000; m < (1ull << 53); m++)
        for (int k = 0; k < 12; k++) {
            check(ldexp((double)m, -k), &n);
            check(-ldexp((double)m, k), &n);
        }
    for (int k = -320; k <= 308; k++) {
        double p = pow(10, k), x = p, y = p;
        check(p, &n);
        for (int j = 0; j < 3; j++) {
            x = nextafter(x, 0);
            y = nextafter(y, INFINITY);
            check(x, &n);
            check(y, &n);
        }
    }
    static const double special[] = {0.0, -0.0, 1e-6, 1e38, 9.9999999999999995e-07, 1e-7, 1e37, 9.99e37,
                                     4.9406564584124654e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                     0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 100, 123456789012345678.0, 0.5, 1.5, 2.5};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        check(special[i], &n);
        check(-special[i], &n);
    }
    check(INFINITY, &n);
    check(-INFINITY, &n);
    check(NAN, &n);
    /* buffers below 32 bytes: as snprintf truncates */
    for (size_t cap = 1; cap < 32; cap++) {
        char a[40], b[40];
        cp_num_format(-1.2345678901234567e-5, a, cap);
        reference(-1.2345678901234567e-5, b, cap);
        assert_string_equal(a, b);
    }
}

/* The tests, in order. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
