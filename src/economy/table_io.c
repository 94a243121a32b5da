/*
 * table_io.c — chokepoint's own table format on disk (docs/table-format.md).
 *
 * A table is a directory of small, plain files that pandas and R read
 * without options, plus a JSON metadata file and a provenance note:
 *
 *   table.json      format, version, name, title, unit, year, price basis
 *   industries.csv  region,sector,name           (defines industry order)
 *   fd.csv          region,category,kind         (columns of Y)
 *   va.csv          label,kind                   (rows of V)
 *   Z.csv           region,sector,<r/s>...       n × n
 *   Y.csv           region,sector,<r/category>.. n × nfd
 *   V.csv           label,<r/s>...               nva × n
 *   x.csv           region,sector,x              n
 *   provenance.md   source, year, units, transformation
 *
 * Every matrix repeats its labels, and the loader checks them against the
 * label files: a column in the wrong order is an error, not a wrong number.
 */
#include "chokepoint.h"
#include "core/utf8.h"

#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Defaults for loading: default CSV limits, validation on at 1e-6. */
cp_load_opts cp_load_opts_default(void)
{
    cp_load_opts o;
    o.csv = cp_csv_opts_default();
    o.csv.delim = ',';
    o.validate = cp_validate_opts_default();
    o.skip_validation = 0;
    return o;
}

/* Join dir and file name into buf. */
static void join(char *buf, size_t cap, const char *dir, const char *file)
{
    size_t l = strlen(dir);
    snprintf(buf, cap, "%s%s%s", dir, (l && dir[l - 1] == '/') ? "" : "/", file);
}

/* Does a header/label field equal "a/b" (or "a" when b is NULL)? */
static int label_is(const char *field, const char *a, const char *b)
{
    if (!b) return strcmp(field, a ? a : "") == 0;
    size_t la = strlen(a ? a : "");
    return strncmp(field, a ? a : "", la) == 0 && field[la] == '/' && strcmp(field + la + 1, b) == 0;
}

/* Read table.json into t's metadata.  *tol receives the optional
 * "balance_tol" (0 if absent): the tolerance to which an imported source
 * is known to balance, and *cols the optional "check_columns" (1 if
 * absent); both written by cp_table_set_balance_tol. */
static int load_meta(cp_table *t, const char *dir, size_t max_bytes, double *tol, int *cols,
                     cp_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, "table.json");
    struct stat st;
    if (stat(path, &st) == 0 && (uintmax_t)st.st_size > max_bytes)
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "file is %jd bytes, over the limit of %zu bytes; hint: raise the limit with --max-file-mb if the machine has the memory",
            (intmax_t)st.st_size, max_bytes);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root)
        return cp_error_at(err, CP_EINPUT, path, je.line, je.column,
            "%s; hint: is %s a chokepoint table directory? (`chokepoint import` writes one)",
            je.text, dir);
    int rc = 0;
    const char *fmt = json_string_value(json_object_get(root, "format"));
    if (!fmt || strcmp(fmt, "chokepoint-table") != 0) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "\"format\" must be \"chokepoint-table\"; hint: this is not a chokepoint table");
        goto done;
    }
    json_int_t ver = json_integer_value(json_object_get(root, "version"));
    if (ver != 1) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "unsupported table format version %lld (this chokepoint reads version 1)", (long long)ver);
        goto done;
    }
    const char *unit = json_string_value(json_object_get(root, "unit"));
    if (!unit || !*unit) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "\"unit\" is missing; hint: every table states its currency unit, e.g. \"bn JPY\"");
        goto done;
    }
    json_t *y = json_object_get(root, "year");
    if (!json_is_integer(y)) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0, "\"year\" must be an integer");
        goto done;
    }
    if (json_integer_value(y) < 0 || json_integer_value(y) > 9999) {
        /* (int) of a larger value silently gave a wrong year */
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "\"year\" is %lld; hint: give the reference year of the flows (0 if the source states none)",
            (long long)json_integer_value(y));
        goto done;
    }
    t->year = (int)json_integer_value(y);
    *tol = 0;
    json_t *bt = json_object_get(root, "balance_tol");
    if (bt) {
        if (!json_is_number(bt) || !(json_number_value(bt) > 0) || json_number_value(bt) > 0.1) {
            rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
                "\"balance_tol\" must be a number in (0, 0.1]; hint: it records how well the source balances");
            goto done;
        }
        *tol = json_number_value(bt);
    }
    json_t *cc = json_object_get(root, "check_columns");
    if (cc && !json_is_boolean(cc)) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0, "\"check_columns\" must be true or false");
        goto done;
    }
    *cols = cc ? json_is_true(cc) : 1;
    if (cp_table_set_str(&t->unit, unit) ||
        cp_table_set_str(&t->name, json_string_value(json_object_get(root, "name"))) ||
        cp_table_set_str(&t->title, json_string_value(json_object_get(root, "title"))) ||
        cp_table_set_str(&t->price_basis, json_string_value(json_object_get(root, "price_basis"))) ||
        cp_table_set_str(&t->import_type, json_string_value(json_object_get(root, "import_type"))))
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
done:
    json_decref(root);
    return rc;
}

/* Refuse a label file whose key (its first nkey fields) repeats, naming
 * both lines.  Checked here, with positions, rather than only in
 * validation, because --no-validate must not load a table whose labels
 * are ambiguous (lookups by label would silently pick the first). */
static int check_unique_keys(const cp_csv *csv, const char *path, size_t nkey,
                             const char *what, cp_error *err)
{
    for (size_t r = 2; r < csv->nrows; r++)
        for (size_t q = 1; q < r; q++) {
            size_t c = 0;
            while (c < nkey && strcmp(cp_csv_get(csv, r, c), cp_csv_get(csv, q, c)) == 0) c++;
            if (c < nkey) continue;
            size_t k = csv->row_off[r];
            return cp_error_at(err, CP_EINPUT, path, csv->line[k], csv->col[k],
                "%s '%s%s%s' appears twice (lines %ld and %ld); hint: labels must be unique",
                what, cp_csv_get(csv, r, 0), nkey > 1 ? "/" : "", nkey > 1 ? cp_csv_get(csv, r, 1) : "",
                csv->line[csv->row_off[q]], csv->line[k]);
        }
    return 0;
}

/* Read a label file: header then rows of exactly ncols fields, no empty
 * label, no repeated key (first nkey fields).  Returns the parsed csv
 * (caller frees). */
static int read_labels(cp_csv *csv, const char *dir, const char *file, size_t ncols,
                       size_t nkey, const char *what, const char *const *header,
                       const cp_load_opts *o, cp_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, file);
    int rc = cp_csv_read(csv, path, &o->csv, err);
    if (rc) return rc;
    for (size_t r = 0; r < csv->nrows; r++)
        if ((rc = cp_csv_expect_cols(csv, r, ncols, err))) goto fail;
    for (size_t c = 0; c < ncols; c++)
        if (strcmp(cp_csv_get(csv, 0, c), header[c]) != 0) {
            rc = cp_error_at(err, CP_EINPUT, path, 1, csv->col[c],
                "header field %zu is '%s', expected '%s'", c + 1, cp_csv_get(csv, 0, c), header[c]);
            goto fail;
        }
    for (size_t r = 1; r < csv->nrows; r++)
        for (size_t c = 0; c < ncols; c++)
            if (!cp_csv_get(csv, r, c)[0] && strcmp(header[c], "name") != 0) {
                size_t k = csv->row_off[r] + c;
                rc = cp_error_at(err, CP_EINPUT, path, csv->line[k], csv->col[k],
                                 "empty %s label; hint: every row needs a %s", header[c], header[c]);
                goto fail;
            }
    for (size_t k = csv->row_off[1 < csv->nrows ? 1 : 0]; k < csv->nfields; k++) {
        size_t len = strlen(csv->field[k]), bad = cp_utf8_bad(csv->field[k], len);
        if (bad < len) {
            rc = cp_error_at(err, CP_EINPUT, path, csv->line[k], csv->col[k],
                "label is not UTF-8 text: byte 0x%02X at offset %zu; hint: save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                (unsigned char)csv->field[k][bad], bad);
            goto fail;
        }
    }
    if ((rc = check_unique_keys(csv, path, nkey, what, err))) goto fail;
    return 0;
fail:
    cp_csv_free(csv);
    return rc;
}

/* Load a labelled matrix file into M (nrows × ncols), checking that its
 * row labels (nlab leading columns) and header match the expected ones.
 * rowlab(i, c) / collab(j) give the expected labels. */
typedef struct mspec {
    const char *file;
    size_t nrows, ncols, nlab;
    const char *const *rlab[2];   /* expected row labels per label column */
    const char *const *cl_a;      /* expected header: cl_a[j]/cl_b[j] */
    const char *const *cl_b;
    const char *lab_names[2];
    int nonneg;                   /* refuse negative cells, located (x when validating) */
} mspec;

static int read_matrix(const mspec *s, double *M, const char *dir, const cp_load_opts *o,
                       cp_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, s->file);
    cp_csv csv;
    int rc = cp_csv_read(&csv, path, &o->csv, err);
    if (rc) return rc;
    size_t width = s->nlab + s->ncols;
    if (csv.nrows != s->nrows + 1) {
        rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
            "has %zu data rows, expected %zu (one per label in the label file)",
            csv.nrows ? csv.nrows - 1 : 0, s->nrows);
        goto out;
    }
    for (size_t r = 0; r < csv.nrows; r++)
        if ((rc = cp_csv_expect_cols(&csv, r, width, err))) goto out;
    for (size_t c = 0; c < s->nlab; c++)
        if (strcmp(cp_csv_get(&csv, 0, c), s->lab_names[c]) != 0) {
            rc = cp_error_at(err, CP_EINPUT, path, 1, csv.col[c],
                "header field %zu is '%s', expected '%s'", c + 1, cp_csv_get(&csv, 0, c), s->lab_names[c]);
            goto out;
        }
    for (size_t j = 0; j < s->ncols; j++) {
        const char *h = cp_csv_get(&csv, 0, s->nlab + j);
        if (!label_is(h, s->cl_a[j], s->cl_b ? s->cl_b[j] : NULL)) {
            rc = cp_error_at(err, CP_EINPUT, path, 1, csv.col[s->nlab + j],
                "column %zu is labelled '%s', expected '%s%s%s'; hint: columns must follow the order of the label files",
                s->nlab + j + 1, h, s->cl_a[j] ? s->cl_a[j] : "", s->cl_b ? "/" : "",
                s->cl_b ? s->cl_b[j] : "");
            goto out;
        }
    }
    for (size_t i = 0; i < s->nrows; i++) {
        for (size_t c = 0; c < s->nlab; c++) {
            const char *want = s->rlab[c][i] ? s->rlab[c][i] : "";
            size_t k = csv.row_off[i + 1] + c;
            if (strcmp(csv.field[k], want) != 0) {
                rc = cp_error_at(err, CP_EINPUT, path, csv.line[k], csv.col[k],
                    "row label '%s', expected '%s'; hint: rows must follow the order of the label files",
                    csv.field[k], want);
                goto out;
            }
        }
        for (size_t j = 0; j < s->ncols; j++) {
            if ((rc = cp_csv_number(&csv, i + 1, s->nlab + j, 0, &M[i * s->ncols + j], err)))
                goto out;
            if (s->nonneg && M[i * s->ncols + j] < 0) {
                size_t k = csv.row_off[i + 1] + s->nlab + j;
                rc = cp_error_at(err, CP_EINPUT, path, csv.line[k], csv.col[k],
                    "output of %s%s%s is negative (%s); hint: total output cannot be negative — check the sign convention of the source",
                    s->rlab[0][i] ? s->rlab[0][i] : "", s->nlab > 1 ? "/" : "",
                    s->nlab > 1 && s->rlab[1][i] ? s->rlab[1][i] : "", csv.field[k]);
                goto out;
            }
        }
    }
out:
    cp_csv_free(&csv);
    return rc;
}

/* Load a table directory: metadata, labels, matrices, then validation. */
int cp_table_load(cp_table **out, const char *dir, const cp_load_opts *opts, cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    if (!o.csv.delim) o.csv.delim = ',';
    *out = NULL;
    cp_csv ind = {0}, fd = {0}, va = {0};
    cp_table *t = NULL;
    int rc;
    static const char *const h_ind[] = {"region", "sector", "name"};
    static const char *const h_fd[] = {"region", "category", "kind"};
    static const char *const h_va[] = {"label", "kind"};
    if ((rc = read_labels(&ind, dir, "industries.csv", 3, 2, "industry", h_ind, &o, err))) goto fail;
    if ((rc = read_labels(&fd, dir, "fd.csv", 3, 2, "final-demand column", h_fd, &o, err))) goto fail;
    if ((rc = read_labels(&va, dir, "va.csv", 2, 1, "value-added row", h_va, &o, err))) goto fail;
    if (ind.nrows < 2) {
        rc = cp_error_at(err, CP_EINPUT, ind.name, 0, 0, "no industries listed");
        goto fail;
    }
    /* Z.csv holds n*n cells of at least 2 bytes each: refuse before
     * allocating n*n doubles when that file could not pass the size limit
     * anyway (a long industries.csv must not cost n^2 memory first). */
    if ((ind.nrows - 1) > o.csv.max_bytes / 2 / (ind.nrows - 1)) {
        rc = cp_error_at(err, CP_EINPUT, ind.name, 0, 0,
            "lists %zu industries, so Z.csv would be over the limit of %zu bytes; hint: raise the limit with --max-file-mb if the machine has the memory",
            ind.nrows - 1, o.csv.max_bytes);
        goto fail;
    }
    t = cp_table_new(ind.nrows - 1, fd.nrows - 1, va.nrows - 1);
    if (!t) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto fail; }
    double table_tol = 0;
    int table_cols = 1;
    if ((rc = load_meta(t, dir, o.csv.max_bytes, &table_tol, &table_cols, err))) goto fail;
    if (o.validate.tol < table_tol) o.validate.tol = table_tol;
    if (!table_cols) o.validate.check_columns = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *nm = cp_csv_get(&ind, i + 1, 2);
        if (cp_table_set_str(&t->region[i], cp_csv_get(&ind, i + 1, 0)) ||
            cp_table_set_str(&t->sector[i], cp_csv_get(&ind, i + 1, 1)) ||
            cp_table_set_str(&t->sector_name[i], nm[0] ? nm : cp_csv_get(&ind, i + 1, 1))) {
            rc = cp_error_set(err, CP_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (size_t k = 0; k < t->nfd; k++) {
        const char *kind = cp_csv_get(&fd, k + 1, 2);
        if (cp_fd_kind_parse(kind, &t->fd_kind[k])) {
            size_t f = fd.row_off[k + 1] + 2;
            rc = cp_error_at(err, CP_EINPUT, fd.name, fd.line[f], fd.col[f],
                "unknown final-demand kind '%s'; hint: one of consumption, investment, inventory, export, import, other",
                kind);
            goto fail;
        }
        if (cp_table_set_str(&t->fd_region[k], cp_csv_get(&fd, k + 1, 0)) ||
            cp_table_set_str(&t->fd_category[k], cp_csv_get(&fd, k + 1, 1))) {
            rc = cp_error_set(err, CP_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (size_t r = 0; r < t->nva; r++) {
        const char *kind = cp_csv_get(&va, r + 1, 1);
        if (cp_va_kind_parse(kind, &t->va_kind[r])) {
            size_t f = va.row_off[r + 1] + 1;
            rc = cp_error_at(err, CP_EINPUT, va.name, va.line[f], va.col[f],
                "unknown value-added kind '%s'; hint: one of value_added, tax, import, other", kind);
            goto fail;
        }
        if (cp_table_set_str(&t->va_label[r], cp_csv_get(&va, r + 1, 0))) {
            rc = cp_error_set(err, CP_ENOMEM, "out of memory");
            goto fail;
        }
    }
    if ((rc = cp_table_index_regions(t))) { cp_error_set(err, rc, "out of memory"); goto fail; }
    {
        const char *const *R = (const char *const *)t->region, *const *S = (const char *const *)t->sector;
        static const char *const xh[] = {"x"};
        mspec z = {"Z.csv", t->n, t->n, 2, {R, S}, R, S, {"region", "sector"}, 0};
        mspec y = {"Y.csv", t->n, t->nfd, 2, {R, S}, (const char *const *)t->fd_region,
                   (const char *const *)t->fd_category, {"region", "sector"}, 0};
        mspec v = {"V.csv", t->nva, t->n, 1, {(const char *const *)t->va_label, NULL}, R, S,
                   {"label", NULL}, 0};
        mspec x = {"x.csv", t->n, 1, 2, {R, S}, xh, NULL, {"region", "sector"},
                   !o.skip_validation};
        if ((rc = read_matrix(&z, t->Z, dir, &o, err)) || (rc = read_matrix(&y, t->Y, dir, &o, err)) ||
            (rc = read_matrix(&v, t->V, dir, &o, err)) || (rc = read_matrix(&x, t->x, dir, &o, err)))
            goto fail;
    }
    if (!o.skip_validation) {
        if ((rc = cp_table_validate(t, &o.validate, NULL, err))) goto fail;
    }
    cp_csv_free(&ind);
    cp_csv_free(&fd);
    cp_csv_free(&va);
    *out = t;
    return 0;
fail:
    cp_csv_free(&ind);
    cp_csv_free(&fd);
    cp_csv_free(&va);
    cp_table_free(t);
    return rc;
}

/* Does s need quoting in a CSV field (delimiter, quote or line end)? */
static int needs_quotes(const char *s)
{
    return s && strpbrk(s, ",\"\r\n") != NULL;
}

/* Write s with its quotes doubled (the inside of a quoted field). */
static void put_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
}

/* Write one CSV field, quoting when it holds a delimiter, quote or newline. */
static void put_field(FILE *f, const char *s)
{
    if (!s) s = "";
    if (!needs_quotes(s)) { fputs(s, f); return; }
    fputc('"', f);
    put_escaped(f, s);
    fputc('"', f);
}

/* Write "a/b" as one field.  Written piecewise, not through a fixed
 * buffer, so that long labels are not truncated (a truncated header made
 * the saved table unreadable). */
static void put_pair(FILE *f, const char *a, const char *b)
{
    int q = needs_quotes(a) || needs_quotes(b);
    if (q) fputc('"', f);
    put_escaped(f, a);
    fputc('/', f);
    put_escaped(f, b);
    if (q) fputc('"', f);
}

/* Open dir/file for writing with a located error. */
static FILE *open_out(const char *dir, const char *file, char *path, size_t cap, cp_error *err)
{
    join(path, cap, dir, file);
    FILE *f = fopen(path, "w");
    if (!f) cp_error_at(err, CP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return f;
}

/* Close f, turning a late write error (disk full) into an error. */
static int close_out(FILE *f, const char *path, cp_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0) bad = 1;
    return bad ? cp_error_at(err, CP_EIO, path, 0, 0, "write failed (disk full?)") : 0;
}

/* Write a labelled numeric matrix; numbers with %.17g so they round-trip. */
static int write_matrix(const cp_table *t, const char *dir, const char *file, int kind,
                        cp_error *err)
{
    char path[4096];
    FILE *f = open_out(dir, file, path, sizeof path, err);
    if (!f) return err ? err->code : CP_EIO;
    size_t n = t->n;
    if (kind == 2) {                       /* V: label, industries */
        fputs("label", f);
        for (size_t j = 0; j < n; j++) { fputc(',', f); put_pair(f, t->region[j], t->sector[j]); }
        fputc('\n', f);
        for (size_t r = 0; r < t->nva; r++) {
            put_field(f, t->va_label[r]);
            for (size_t j = 0; j < n; j++) fprintf(f, ",%.17g", t->V[r * n + j]);
            fputc('\n', f);
        }
        return close_out(f, path, err);
    }
    fputs("region,sector", f);
    size_t m = kind == 0 ? n : kind == 1 ? t->nfd : 1;
    for (size_t j = 0; j < m; j++) {
        fputc(',', f);
        if (kind == 0) put_pair(f, t->region[j], t->sector[j]);
        else if (kind == 1) put_pair(f, t->fd_region[j], t->fd_category[j]);
        else fputs("x", f);
    }
    fputc('\n', f);
    const double *M = kind == 0 ? t->Z : kind == 1 ? t->Y : t->x;
    for (size_t i = 0; i < n; i++) {
        put_field(f, t->region[i]);
        fputc(',', f);
        put_field(f, t->sector[i]);
        for (size_t j = 0; j < m; j++) fprintf(f, ",%.17g", M[i * m + j]);
        fputc('\n', f);
    }
    return close_out(f, path, err);
}

/* Write the label files. */
static int write_labels(const cp_table *t, const char *dir, cp_error *err)
{
    char path[4096];
    FILE *f = open_out(dir, "industries.csv", path, sizeof path, err);
    if (!f) return CP_EIO;
    fputs("region,sector,name\n", f);
    for (size_t i = 0; i < t->n; i++) {
        put_field(f, t->region[i]); fputc(',', f);
        put_field(f, t->sector[i]); fputc(',', f);
        put_field(f, t->sector_name[i] ? t->sector_name[i] : t->sector[i]); fputc('\n', f);
    }
    int rc = close_out(f, path, err);
    if (rc) return rc;
    if (!(f = open_out(dir, "fd.csv", path, sizeof path, err))) return CP_EIO;
    fputs("region,category,kind\n", f);
    for (size_t k = 0; k < t->nfd; k++) {
        put_field(f, t->fd_region[k]); fputc(',', f);
        put_field(f, t->fd_category[k]); fputc(',', f);
        fputs(cp_fd_kind_name(t->fd_kind[k]), f); fputc('\n', f);
    }
    if ((rc = close_out(f, path, err))) return rc;
    if (!(f = open_out(dir, "va.csv", path, sizeof path, err))) return CP_EIO;
    fputs("label,kind\n", f);
    for (size_t r = 0; r < t->nva; r++) {
        put_field(f, t->va_label[r]); fputc(',', f);
        fputs(cp_va_kind_name(t->va_kind[r]), f); fputc('\n', f);
    }
    return close_out(f, path, err);
}

/* Set o[key] to the string s (NULL as "").  jansson refuses text that is
 * not UTF-8 (json_string returns NULL); that used to drop the key
 * silently, so a table whose unit came from a Latin-1 file was saved
 * without "unit" and could not be loaded again.  Now it is an error. */
static int put_meta_str(json_t *o, const char *key, const char *s, const char *path,
                        cp_error *err)
{
    json_t *v = json_string(s ? s : "");
    if (!v)
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "the table's %s is not valid UTF-8; hint: convert the source's labels to UTF-8 before importing",
            key);
    if (json_object_set_new(o, key, v)) return cp_error_set(err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Write table.json with jansson. */
static int write_meta(const cp_table *t, const char *dir, cp_error *err)
{
    char path[4096];
    join(path, sizeof path, dir, "table.json");
    if (t->year < 0 || t->year > 9999)   /* the loader refuses it: do not write it */
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "year %d is not a year; hint: give the reference year of the flows (0 if the source states none)",
            t->year);
    json_t *o = json_object();
    if (!o) return cp_error_set(err, CP_ENOMEM, "out of memory");
    int rc;
    if ((rc = put_meta_str(o, "format", "chokepoint-table", path, err)) ||
        (rc = json_object_set_new(o, "version", json_integer(1)) ? CP_ENOMEM : 0) ||
        (rc = put_meta_str(o, "name", t->name, path, err)) ||
        (rc = put_meta_str(o, "title", t->title, path, err)) ||
        (rc = put_meta_str(o, "unit", t->unit, path, err)) ||
        (rc = json_object_set_new(o, "year", json_integer(t->year)) ? CP_ENOMEM : 0) ||
        (rc = put_meta_str(o, "price_basis", t->price_basis, path, err)) ||
        (rc = put_meta_str(o, "import_type", t->import_type, path, err)) ||
        (rc = json_object_set_new(o, "industries", json_integer((json_int_t)t->n)) ? CP_ENOMEM : 0) ||
        (rc = json_object_set_new(o, "regions", json_integer((json_int_t)t->nreg)) ? CP_ENOMEM : 0)) {
        json_decref(o);
        return rc == CP_ENOMEM ? cp_error_set(err, rc, "out of memory") : rc;
    }
    rc = json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return rc ? cp_error_at(err, CP_EIO, path, 0, 0, "cannot write") : 0;
}

/* Save t as a table directory (created if needed). */
int cp_table_save(const cp_table *t, const char *dir, const char *provenance, cp_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cp_error_at(err, CP_EIO, dir, 0, 0, "cannot create directory: %s", strerror(errno));
    if (!provenance || !*provenance)
        return cp_error_set(err, CP_EINPUT,
            "%s: refusing to write a table without provenance (source, year, units, transformation)", dir);
    int rc;
    if ((rc = write_meta(t, dir, err)) || (rc = write_labels(t, dir, err)) ||
        (rc = write_matrix(t, dir, "Z.csv", 0, err)) || (rc = write_matrix(t, dir, "Y.csv", 1, err)) ||
        (rc = write_matrix(t, dir, "V.csv", 2, err)) || (rc = write_matrix(t, dir, "x.csv", 3, err)))
        return rc;
    char path[4096];
    FILE *f = open_out(dir, "provenance.md", path, sizeof path, err);
    if (!f) return CP_EIO;
    fputs(provenance, f);
    return close_out(f, path, err);
}
