/*
 * fuzz_csv.c — libFuzzer target for the CSV reader (src/core/csv.c).
 *
 * Parses the input three times (',' '\t' and a guessed delimiter), checks
 * the structural invariants of every successful parse (row offsets,
 * positions, fields inside the buffer and NUL-terminated), then runs every
 * field through cp_csv_get, cp_csv_number and cp_csv_expect_cols.  Failed
 * parses must leave a located message naming the input.
 */
#include "fuzz_util.h"

#include <math.h>

/* Check the structure of a parsed csv and exercise every accessor. */
static void check_csv(const cp_csv *c, size_t size)
{
    FZ_CHECK(c->row_off != NULL || c->nrows == 0);
    if (c->nrows) {
        FZ_CHECK(c->row_off[0] == 0);
        FZ_CHECK(c->row_off[c->nrows] == c->nfields);
    }
    size_t buflen = size + 1;
    for (size_t r = 0; r < c->nrows; r++) {
        FZ_CHECK(c->row_off[r] <= c->row_off[r + 1]);
        size_t nc = cp_csv_ncols(c, r);
        FZ_CHECK(nc >= 1);
        long prev_line = 0;
        for (size_t j = 0; j < nc; j++) {
            size_t k = c->row_off[r] + j;
            const char *s = cp_csv_get(c, r, j);
            FZ_CHECK(s == c->field[k]);
            FZ_CHECK(s >= c->buf && s < c->buf + buflen);
            FZ_CHECK(s + strlen(s) < c->buf + buflen);
            FZ_CHECK(c->line[k] >= 1 && c->col[k] >= 1);
            FZ_CHECK(c->line[k] >= prev_line);
            prev_line = c->line[k];
            cp_error e;
            cp_error_clear(&e);
            double v = 0;
            for (int empty_ok = 0; empty_ok < 2; empty_ok++) {
                int rc = cp_csv_number(c, r, j, empty_ok, &v, &e);
                if (rc == 0) FZ_CHECK(isfinite(v));
                else {
                    FZ_CHECK(rc == CP_EINPUT);
                    FZ_CHECK(strncmp(e.msg, c->name, strlen(c->name)) == 0);
                    FZ_CHECK(strstr(e.msg, "is not a finite number") != NULL);
                }
            }
        }
        FZ_CHECK(cp_csv_get(c, r, nc) == NULL);
        cp_error e;
        FZ_CHECK(cp_csv_expect_cols(c, r, nc, &e) == 0);
        FZ_CHECK(cp_csv_expect_cols(c, r, nc + 1, &e) == CP_EINPUT);
        double v;
        FZ_CHECK(cp_csv_number(c, r, nc, 0, &v, &e) == CP_EINPUT);
        if (nc > 1) FZ_CHECK(cp_csv_expect_cols(c, r, nc - 1, &e) == CP_EINPUT);
    }
    FZ_CHECK(cp_csv_get(c, c->nrows, 0) == NULL);
    FZ_CHECK(cp_csv_ncols(c, c->nrows) == 0);
}

/* Parse with one delimiter choice and check the result or the error. */
static void one(const uint8_t *data, size_t size, char delim, size_t max_bytes)
{
    cp_csv_opts o = cp_csv_opts_default();
    o.delim = delim;
    o.max_bytes = max_bytes;
    cp_csv c;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_csv_parse(&c, "fuzz.csv", (const char *)data, size, &o, &e);
    if (rc == 0) {
        FZ_CHECK(size <= max_bytes);
        check_csv(&c, size);
        cp_csv_free(&c);
    } else {
        FZ_CHECK(rc == CP_EINPUT);
        FZ_CHECK(strncmp(e.msg, "fuzz.csv:", 9) == 0);
        FZ_CHECK(c.buf == NULL && c.field == NULL && c.name == NULL);
    }
}

/* libFuzzer entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, ',', (size_t)2 << 30);
    one(data, size, '\t', (size_t)2 << 30);
    one(data, size, 0, (size_t)2 << 30);
    if (size) one(data, size, 0, size - 1);   /* just over the limit */
    /* cp_parse_double on the raw input as one string (bounded copy). */
    char buf[128];
    size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1;
    memcpy(buf, data, n);
    buf[n] = '\0';
    double v;
    if (cp_parse_double(buf, &v) == 0) FZ_CHECK(isfinite(v));
    return 0;
}
