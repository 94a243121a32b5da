/*
 * numfmt.h — the number format of every CSV chokepoint writes: %.15g when
 * that reads back to the same double, else %.17g (which always does).
 * numfmt.c gives the same bytes as printf and strtod, several times
 * faster, so Monte Carlo runs can write millions of numbers.  Internal to
 * the library; the public face is cp_store_format_double.
 */
#ifndef CP_NUMFMT_H
#define CP_NUMFMT_H

#include <stddef.h>

/* Exactly what snprintf(buf, cap, "%.15g", v), then, when strtod of that
 * is not v, snprintf(buf, cap, "%.17g", v) write (NaN and infinities
 * included).  cap >= 32 takes the fast path; a smaller buffer is
 * truncated as snprintf truncates. */
void cp_num_format(double v, char *buf, size_t cap);

#endif
