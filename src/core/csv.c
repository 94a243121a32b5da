/*
 * csv.c — strict delimited-text reader with positions for every field.
 *
 * Every table chokepoint reads (its own format and the foreign layouts it
 * imports) is delimited text, so this one reader is where malformed input
 * is caught: a BOM, CRLF line ends, quotes, NUL bytes, empty or oversized
 * files.  Each field remembers its line and column so that the layers
 * above can say exactly where a bad number or label is.
 *
 * Design: the whole file is read into one buffer and fields are unquoted
 * in place (the unquoted text is never longer than the quoted), so a file
 * costs one allocation for its text plus three arrays of per-field data.
 */
#include "chokepoint.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Defaults: guess the delimiter, refuse files above 2 GiB. */
cp_csv_opts cp_csv_opts_default(void)
{
    cp_csv_opts o;
    o.delim = 0;
    o.max_bytes = (size_t)2 << 30;
    return o;
}

/* Growable per-field arrays used while parsing. */
typedef struct fields {
    size_t n, cap;
    char **field;
    long *line, *col;
    size_t nrows, rcap;
    size_t *row_off;
} fields;

/* Append one field; returns 0 or CP_ENOMEM. */
static int push_field(fields *f, char *s, long line, long col)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        char **nf = realloc(f->field, cap * sizeof *nf);
        if (!nf) return CP_ENOMEM;
        f->field = nf;
        long *nl = realloc(f->line, cap * sizeof *nl);
        if (!nl) return CP_ENOMEM;
        f->line = nl;
        long *nc = realloc(f->col, cap * sizeof *nc);
        if (!nc) return CP_ENOMEM;
        f->col = nc;
        f->cap = cap;
    }
    f->field[f->n] = s;
    f->line[f->n] = line;
    f->col[f->n] = col;
    f->n++;
    return 0;
}

/* Close the current row, which holds fields [row_start, f->n). */
static int push_row(fields *f, size_t row_start)
{
    if (f->nrows + 2 > f->rcap) {
        size_t cap = f->rcap ? f->rcap * 2 : 256;
        size_t *no = realloc(f->row_off, cap * sizeof *no);
        if (!no) return CP_ENOMEM;
        f->row_off = no;
        f->rcap = cap;
    }
    f->row_off[f->nrows] = row_start;
    f->nrows++;
    f->row_off[f->nrows] = f->n;
    return 0;
}

/* Guess ',' or '\t' from the first line: tabs win if there are any and at
 * least as many as commas (pymrio writes tabs; names may hold commas). */
static char guess_delim(const char *p, const char *end)
{
    size_t tabs = 0, commas = 0;
    int inq = 0;
    for (; p < end && (inq || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"') inq = !inq;
        else if (!inq && *p == '\t') tabs++;
        else if (!inq && *p == ',') commas++;
    }
    return (tabs > 0 && tabs >= commas) ? '\t' : ',';
}

/* The parser proper: walks buf[0..len), unquoting in place.  A row made of
 * a single empty unquoted field (a blank line) is skipped. */
static int parse_buf(fields *f, const char *name, char *buf, size_t len,
                     char delim, cp_error *err)
{
    char *p = buf, *end = buf + len, *w;
    long line = 1;
    char *line_start = buf;

    while (p < end) {
        size_t row_start = f->n;
        int row_quoted = 0;
        for (;;) {                       /* one field per iteration */
            long col = (long)(p - line_start) + 1;
            long fline = line;
            char *start = p;
            w = p;
            if (p < end && *p == '"') {
                long qline = line, qcol = col;
                row_quoted = 1;
                p++;
                for (;;) {
                    if (p >= end)
                        return cp_error_at(err, CP_EINPUT, name, qline, qcol,
                            "unterminated quoted field; hint: close the quote or remove it");
                    if (*p == '\0')
                        return cp_error_at(err, CP_EINPUT, name, line,
                            (long)(p - line_start) + 1,
                            "NUL byte in text; hint: is this a binary or UTF-16 file? save it as UTF-8 CSV");
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') { *w++ = '"'; p += 2; continue; }
                        p++;
                        break;
                    }
                    if (*p == '\n') { line++; line_start = p + 1; }
                    *w++ = *p++;
                }
                if (p < end && *p != delim && *p != '\n' && *p != '\r')
                    return cp_error_at(err, CP_EINPUT, name, line,
                        (long)(p - line_start) + 1,
                        "unexpected character '%c' after a closing quote; hint: double a quote inside a quoted field (\"\")",
                        *p);
            } else {
                while (p < end && *p != delim && *p != '\n' && *p != '\r') {
                    if (*p == '\0')
                        return cp_error_at(err, CP_EINPUT, name, line,
                            (long)(p - line_start) + 1,
                            "NUL byte in text; hint: is this a binary or UTF-16 file? save it as UTF-8 CSV");
                    p++;
                }
                w = p;
            }
            /* p is at a delimiter, a line end, or the end. */
            char c = p < end ? *p : '\n';
            *w = '\0';
            if (push_field(f, start, fline, col))
                return cp_error_set(err, CP_ENOMEM, "%s: out of memory reading fields", name);
            if (p < end) p++;
            if (c == delim) continue;
            if (c == '\r' && p < end && *p == '\n') p++;
            line++;
            line_start = p;
            break;
        }
        if (f->n - row_start == 1 && !row_quoted && f->field[row_start][0] == '\0') {
            f->n = row_start;            /* blank line */
            continue;
        }
        if (push_row(f, row_start))
            return cp_error_set(err, CP_ENOMEM, "%s: out of memory reading rows", name);
    }
    return 0;
}

/* Parse len bytes of text.  The text is copied, so data may be freed
 * afterwards; csv owns everything it points to. */
int cp_csv_parse(cp_csv *csv, const char *name, const char *data, size_t len,
                 const cp_csv_opts *opts, cp_error *err)
{
    cp_csv_opts o = opts ? *opts : cp_csv_opts_default();
    memset(csv, 0, sizeof *csv);
    if (!name) name = "<input>";
    csv->name = strdup(name);
    if (!csv->name) return cp_error_set(err, CP_ENOMEM, "out of memory");
    if (len > o.max_bytes) {
        cp_csv_free(csv);
        return cp_error_at(err, CP_EINPUT, name, 0, 0,
            "file is %zu bytes, over the limit of %zu bytes; hint: raise the limit with --max-file-mb if the machine has the memory",
            len, o.max_bytes);
    }
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i == len) {
        cp_csv_free(csv);
        return cp_error_at(err, CP_EINPUT, name, 0, 0,
            "empty file; hint: check the path and that the export finished");
    }
    csv->buf = malloc(len + 1);
    if (!csv->buf) { cp_csv_free(csv); return cp_error_set(err, CP_ENOMEM, "%s: out of memory (%zu bytes)", name, len); }
    memcpy(csv->buf, data, len);
    csv->buf[len] = '\0';
    char delim = o.delim ? o.delim : guess_delim(csv->buf, csv->buf + len);

    fields f = {0};
    int rc = parse_buf(&f, csv->name, csv->buf, len, delim, err);
    csv->field = f.field;
    csv->line = f.line;
    csv->col = f.col;
    csv->nfields = f.n;
    csv->row_off = f.row_off;
    csv->nrows = f.nrows;
    if (rc) { cp_csv_free(csv); return rc; }
    return 0;
}

/* Read a whole file, refusing it before reading if it is over the limit. */
int cp_csv_read(cp_csv *csv, const char *path, const cp_csv_opts *opts,
                cp_error *err)
{
    cp_csv_opts o = opts ? *opts : cp_csv_opts_default();
    memset(csv, 0, sizeof *csv);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return cp_error_at(err, errno == ENOENT ? CP_EINPUT : CP_EIO, path, 0, 0,
                           "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return cp_error_at(err, CP_EINPUT, path, 0, 0, "is a directory, expected a file");
    }
    if (fstat(fileno(fp), &st) == 0 && (uintmax_t)st.st_size > o.max_bytes) {
        fclose(fp);
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "file is %jd bytes, over the limit of %zu bytes; hint: raise the limit with --max-file-mb if the machine has the memory",
            (intmax_t)st.st_size, o.max_bytes);
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, len = 0;
    char *data = malloc(cap);
    if (!data) { fclose(fp); return cp_error_set(err, CP_ENOMEM, "%s: out of memory", path); }
    for (;;) {
        size_t got = fread(data + len, 1, cap - len, fp);
        len += got;
        if (got == 0) break;
        if (len > o.max_bytes) break;
        if (len == cap) {
            char *nd = realloc(data, cap * 2);
            if (!nd) { free(data); fclose(fp); return cp_error_set(err, CP_ENOMEM, "%s: out of memory", path); }
            data = nd;
            cap *= 2;
        }
    }
    int rd_err = ferror(fp);
    fclose(fp);
    if (rd_err) { free(data); return cp_error_at(err, CP_EIO, path, 0, 0, "read error"); }
    int rc = cp_csv_parse(csv, path, data, len, &o, err);
    free(data);
    return rc;
}

/* Release everything csv owns; safe on a zeroed or half-built csv. */
void cp_csv_free(cp_csv *csv)
{
    if (!csv) return;
    free(csv->name);
    free(csv->buf);
    free(csv->row_off);
    free(csv->field);
    free(csv->line);
    free(csv->col);
    memset(csv, 0, sizeof *csv);
}

/* Number of fields in a row (0 past the end). */
size_t cp_csv_ncols(const cp_csv *csv, size_t row)
{
    if (row >= csv->nrows) return 0;
    return csv->row_off[row + 1] - csv->row_off[row];
}

/* Field text, or NULL if the row or column does not exist. */
const char *cp_csv_get(const cp_csv *csv, size_t row, size_t col)
{
    if (col >= cp_csv_ncols(csv, row)) return NULL;
    return csv->field[csv->row_off[row] + col];
}

/* Strict number parsing: leading/trailing blanks allowed, nothing else. */
int cp_parse_double(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return -1;
    /* strtod accepts "nan", "inf", hex floats; refuse the first two. */
    for (const char *q = s; *q; q++)
        if (*q == 'n' || *q == 'N' || *q == 'i' || *q == 'I') return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s) return -1;
    while (*end == ' ' || *end == '\t') end++;
    if (*end) return -1;
    if (!isfinite(v) || errno == ERANGE) {
        if (!(errno == ERANGE && fabs(v) < 1.0)) return -1;   /* underflow is fine */
    }
    *out = v;
    return 0;
}

/* Parse one cell as a finite number, with a located error otherwise. */
int cp_csv_number(const cp_csv *csv, size_t row, size_t col, int empty_ok,
                  double *out, cp_error *err)
{
    if (col >= cp_csv_ncols(csv, row)) {
        long line = row < csv->nrows && cp_csv_ncols(csv, row) ?
            csv->line[csv->row_off[row]] : 0;
        return cp_error_at(err, CP_EINPUT, csv->name, line, 0,
                           "row has %zu fields, expected at least %zu",
                           cp_csv_ncols(csv, row), col + 1);
    }
    size_t k = csv->row_off[row] + col;
    const char *s = csv->field[k];
    if (empty_ok) {
        const char *q = s;
        while (*q == ' ' || *q == '\t') q++;
        if (!*q) { *out = 0.0; return 0; }
    }
    if (cp_parse_double(s, out) == 0) return 0;
    char shown[48];
    snprintf(shown, sizeof shown, "%s", s);
    if (strlen(s) >= sizeof shown) strcpy(shown + sizeof shown - 4, "...");
    return cp_error_at(err, CP_EINPUT, csv->name, csv->line[k], csv->col[k],
        "'%s' is not a finite number; hint: numbers use '.' for decimals, no thousands separators, no NaN/Inf, no empty cells",
        shown);
}

/* Check a row's width, the usual "ragged row" error. */
int cp_csv_expect_cols(const cp_csv *csv, size_t row, size_t ncols, cp_error *err)
{
    size_t have = cp_csv_ncols(csv, row);
    if (have == ncols) return 0;
    long line = have ? csv->line[csv->row_off[row]] : 0;
    long col = 0;
    if (have > ncols) col = csv->col[csv->row_off[row] + ncols];
    return cp_error_at(err, CP_EINPUT, csv->name, line, col,
        "row has %zu fields, expected %zu (as in the header); hint: look for a missing or extra delimiter, or an unquoted comma in a name",
        have, ncols);
}
