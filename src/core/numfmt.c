/*
 * numfmt.c — %.15g when it reads back to the same double, else %.17g,
 * without printf for the usual magnitudes.  For a normal |v| in [1e-6,
 * 1e38) the value m 2^e is scaled by a power of ten exactly in 128-bit
 * integers (floor(|v| 10^(16-E)) and how the rest compares with one half),
 * which gives the correctly rounded 17 digits and, from the same integer,
 * the correctly rounded 15 (both round half to even, as glibc's printf);
 * whether the 15 digits read back to v is decided by one correctly rounded
 * multiplication or division of exact doubles (Clinger's fast path, the
 * answer strtod gives: 15 digits < 2^53, |decimal exponent| <= 22).
 * Everything else (zero aside: "0", "-0") goes through snprintf and
 * strtod.  tests/unit/test_numfmt.c compares both on millions of doubles.
 */
#include "core/numfmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Unsigned 128-bit integers (a GCC and Clang extension). */
__extension__ typedef unsigned __int128 fmt_u128;

/* 10^k for k = 0..19. */
static const uint64_t fmt_p10[20] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull, 10000000000000000000ull};

/* 10^k as doubles, k = 0..22 (all exact). */
static const double fmt_d10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* 10^k as a 128-bit integer, k = 0..38. */
static fmt_u128 fmt_p10w(int k)
{
    return k <= 19 ? (fmt_u128)fmt_p10[k] : (fmt_u128)fmt_p10[19] * fmt_p10[k - 19];
}

/* "00".."99". */
static const char fmt_dig2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Write D (P digits, P <= 17) with decimal exponent X as printf's %.Pg
 * does (style f when -4 <= X < P, else e; trailing zeros and a bare
 * point dropped), after the sign; returns the end of the text. */
static char *fmt_g(char *o, int neg, uint64_t D, int P, int X)
{
    char d[20];
    int i = P;
    while (i >= 2) {
        memcpy(d + i - 2, fmt_dig2 + 2 * (D % 100), 2);
        D /= 100;
        i -= 2;
    }
    if (i == 1) d[0] = (char)('0' + D);
    int nd = P;
    while (nd > 1 && d[nd - 1] == '0') nd--;   /* significant digits kept */
    if (neg) *o++ = '-';
    if (X >= -4 && X < P) {
        if (X >= 0) {
            memcpy(o, d, (size_t)X + 1);
            o += X + 1;
            if (nd > X + 1) {
                *o++ = '.';
                memcpy(o, d + X + 1, (size_t)(nd - X - 1));
                o += nd - X - 1;
            }
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int z = 0; z < -X - 1; z++) *o++ = '0';
            memcpy(o, d, (size_t)nd);
            o += nd;
        }
    } else {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        int x = X;
        if (x < 0) { *o++ = '-'; x = -x; }
        else *o++ = '+';
        if (x >= 100) *o++ = (char)('0' + x / 100);
        *o++ = (char)('0' + x / 10 % 10);
        *o++ = (char)('0' + x % 10);
    }
    *o = '\0';
    return o;
}

/* floor(a * 10^(16 - E)) for a = m 2^e, and how the rest compares with
 * one half (-1, 0, 1) and whether it is zero: exact, in 128 bits, for
 * 1e-6 <= a < 1e38 (the caller's range). */
static uint64_t fmt_scaled(uint64_t m, int e, int E, int *half, int *zero)
{
    int p = 16 - E;
    fmt_u128 q, rem, h;
    if (p >= 0) {
        fmt_u128 N = (fmt_u128)m * fmt_p10w(p);
        if (e >= 0) {
            q = N << e;
            rem = 0;
            h = 1;
        } else {
            q = N >> -e;
            rem = N & (((fmt_u128)1 << -e) - 1);
            h = (fmt_u128)1 << (-e - 1);
        }
    } else {
        fmt_u128 V = (fmt_u128)m << e, dv = fmt_p10w(-p);
        q = V / dv;
        rem = V % dv;
        h = dv;           /* compare 2 rem with dv */
        rem *= 2;
    }
    *zero = rem == 0;
    *half = rem < h ? -1 : rem > h;
    return (uint64_t)q;
}

/* %.15g when it reads back to v, else %.17g: the exact answer for
 * normal |v| in [1e-6, 1e38) (1 when written, 0 when the caller must use
 * printf and strtod). */
static int fmt_fast(double v, char *buf)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int neg = (int)(bits >> 63);
    double a = neg ? -v : v;
    if (!(a >= 1e-6 && a < 1e38)) return 0;
    uint64_t m = (bits & ((1ull << 52) - 1)) | (1ull << 52);
    int e = (int)((bits >> 52) & 0x7ff) - 1075;
    /* decimal exponent from the binary one (log10 2 = 0.30103), then
     * corrected below by the exact product */
    int E = (int)floor((double)(e + 52) * 0.30102999566398120), half, zero;
    if (E < -6) E = -6;
    if (E > 37) E = 37;
    uint64_t q;
    for (int tries = 0;; tries++) {
        if (tries > 3 || E > 37 || E < -6) return 0;
        q = fmt_scaled(m, e, E, &half, &zero);
        if (q >= fmt_p10[17]) E++;
        else if (q < fmt_p10[16]) E--;
        else break;
    }
    /* 15 digits: the exact rest beyond them is (q % 100 + rest) / 100 */
    uint64_t q15 = q / 100, t = q % 100;
    int up = t > 50 || (t == 50 && (!zero || (q15 & 1)));
    uint64_t D15 = q15 + (uint64_t)up;
    int X15 = E;
    if (D15 == fmt_p10[15]) { D15 = fmt_p10[14]; X15++; }
    int k = X15 - 14;
    if (k < -22 || k > 22) return 0;
    double y = k >= 0 ? (double)D15 * fmt_d10[k] : (double)D15 / fmt_d10[-k];
    if (y == a) {
        fmt_g(buf, neg, D15, 15, X15);
        return 1;
    }
    uint64_t D17 = q + (uint64_t)(half > 0 || (half == 0 && (q & 1)));
    int X17 = E;
    if (D17 == fmt_p10[17]) { D17 = fmt_p10[16]; X17++; }
    fmt_g(buf, neg, D17, 17, X17);
    return 1;
}

/* See numfmt.h. */
void cp_num_format(double v, char *buf, size_t cap)
{
    if (cap >= 32) {
        if (v == 0) {
            memcpy(buf, signbit(v) ? "-0" : "0", signbit(v) ? 3 : 2);
            return;
        }
        if (fmt_fast(v, buf)) return;
    }
    snprintf(buf, cap, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, cap, "%.17g", v);
}
