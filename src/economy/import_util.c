/*
 * import_util.c — small helpers shared by the importers of foreign
 * input–output layouts (pymrio, MIC, OECD, WIOD).  See import_util.h.
 */
#include "import_util.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Join dir and file without doubling a trailing slash. */
void cp_imp_join(char *buf, size_t cap, const char *dir, const char *file)
{
    size_t l = strlen(dir);
    snprintf(buf, cap, "%s%s%s", dir, (l && dir[l - 1] == '/') ? "" : "/", file);
}

/* Line of a field; for a missing column, the line of the row. */
long cp_imp_line(const cp_csv *csv, size_t row, size_t col)
{
    size_t nc = cp_csv_ncols(csv, row);
    if (!nc) return 0;
    return csv->line[csv->row_off[row] + (col < nc ? col : 0)];
}

/* Column of a field, 0 (left out of messages) when it does not exist. */
long cp_imp_col(const cp_csv *csv, size_t row, size_t col)
{
    if (col >= cp_csv_ncols(csv, row)) return 0;
    return csv->col[csv->row_off[row] + col];
}

/* A text cell (label or unit) must be UTF-8: everything a table is saved
 * to or shown in (table.json, JSON output, HTML reports) is, and a Latin-1
 * unit used to import and then fail on save (docs/fuzzing.md).  The
 * message quotes the valid text before the bad byte (at most 40 bytes). */
int cp_imp_need_text(const cp_csv *csv, size_t row, size_t col, const char *what,
                     cp_error *err)
{
    const char *s = cp_csv_get(csv, row, col);
    if (!s) return 0;
    size_t len = strlen(s), bad = cp_utf8_bad(s, len);
    if (bad == len) return 0;
    size_t from = bad > 40 ? bad - 40 : 0;
    while (from < bad && ((unsigned char)s[from] & 0xC0) == 0x80) from++;
    return cp_error_at(err, CP_EINPUT, csv->name, cp_imp_line(csv, row, col),
                       cp_imp_col(csv, row, col),
                       "%s is not UTF-8 text: byte 0x%02X after '%s%.*s'; hint: convert the file to "
                       "UTF-8 (e.g. iconv -f latin1 -t utf-8)",
                       what, (unsigned char)s[bad], from ? "..." : "", (int)(bad - from), s + from);
}

/* A label cell must exist, hold something other than blanks, and be
 * UTF-8 text. */
int cp_imp_need_label(const cp_csv *csv, size_t row, size_t col, const char *what,
                      cp_error *err)
{
    const char *s = cp_csv_get(csv, row, col);
    if (s) {
        while (*s == ' ' || *s == '\t') s++;
        if (*s) {
            char w[64];
            snprintf(w, sizeof w, "%s label", what);
            return cp_imp_need_text(csv, row, col, w, err);
        }
    }
    return cp_error_at(err, CP_EINPUT, csv->name, cp_imp_line(csv, row, col),
                       cp_imp_col(csv, row, col),
                       "missing %s label; hint: every row and column of the table needs its label",
                       what);
}

/* Drop a split character (or anything else not UTF-8) from the end. */
void cp_imp_utf8_cut(char *s)
{
    s[cp_utf8_bad(s, strlen(s))] = '\0';
}

/* Case-insensitive substring test, for classifying category names. */
int cp_imp_has_word(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        size_t k = 0;
        while (k < n && s[k] &&
               tolower((unsigned char)s[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n) return 1;
    }
    return 0;
}

/* cp_table_set_str with the error filled in. */
int cp_imp_str(char **slot, const char *s, cp_error *err)
{
    if (cp_table_set_str(slot, s)) return cp_error_set(err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Metadata every importer sets; see import_util.h. */
int cp_imp_meta(cp_table *t, const char *name, const char *title, const char *unit,
                const char *price_basis, const char *import_type, int year, cp_error *err)
{
    int rc;
    if ((rc = cp_imp_str(&t->name, name, err)) || (rc = cp_imp_str(&t->title, title, err)) ||
        (rc = cp_imp_str(&t->unit, unit, err)) || (rc = cp_imp_str(&t->price_basis, price_basis, err)) ||
        (rc = cp_imp_str(&t->import_type, import_type, err)))
        return rc;
    t->year = year;
    return 0;
}

/* Validate unless the caller asked not to; the importer decides whether
 * the column balance is meaningful for its source. */
int cp_imp_validate(const cp_table *t, const cp_load_opts *opts, int check_columns,
                    double min_tol, cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    if (o.skip_validation) return 0;
    cp_validate_opts v = o.validate;
    if (!check_columns) v.check_columns = 0;
    if (v.tol < min_tol) v.tol = min_tol;
    return cp_table_validate(t, &v, NULL, err);
}

/* ---- grid ------------------------------------------------------------ */

/* Release everything a grid owns; safe on a zeroed grid. */
void cp_grid_free(cp_grid *g)
{
    cp_csv_free(&g->csv);
    free(g->rcls);
    free(g->rsub);
    free(g->ccls);
    free(g->csub);
    free(g->v);
    free(g->empty);
    memset(g, 0, sizeof *g);
}

/* Label k of data row r. */
const char *cp_grid_rowlab(const cp_grid *g, size_t r, size_t k)
{
    return cp_csv_get(&g->csv, r + 1, k);
}

/* Label of data column c. */
const char *cp_grid_collab(const cp_grid *g, size_t c)
{
    return cp_csv_get(&g->csv, 0, g->nlab + c);
}

/* Line of data cell (r, c). */
long cp_grid_line(const cp_grid *g, size_t r, size_t c)
{
    return cp_imp_line(&g->csv, r + 1, g->nlab + c);
}

/* Column of data cell (r, c). */
long cp_grid_col(const cp_grid *g, size_t r, size_t c)
{
    return cp_imp_col(&g->csv, r + 1, g->nlab + c);
}

/* An empty cell where the layout requires a number is an error. */
int cp_grid_need(const cp_grid *g, size_t r, size_t c, cp_error *err)
{
    if (!g->empty[r * g->nc + c]) return 0;
    return cp_error_at(err, CP_EINPUT, g->csv.name, cp_grid_line(g, r, c), cp_grid_col(g, r, c),
        "empty cell (row '%s', column '%s') where a number is required; hint: write 0 for a zero flow",
        cp_grid_rowlab(g, r, 0), cp_grid_collab(g, c));
}

/* First data row of a class. */
long cp_grid_find_row(const cp_grid *g, int cls)
{
    for (size_t r = 0; r < g->nr; r++)
        if (g->rcls[r] == cls) return (long)r;
    return -1;
}

/* First data column of a class. */
long cp_grid_find_col(const cp_grid *g, int cls)
{
    for (size_t c = 0; c < g->nc; c++)
        if (g->ccls[c] == cls) return (long)c;
    return -1;
}

/* Classify labels along one axis: industries first, then the rest, every
 * non-industry label known to the layout.  Returns the industry count. */
static int classify_axis(cp_grid *g, int is_row, cp_grid_classify classify, const char *what,
                         const char *known, size_t *nind, cp_error *err)
{
    size_t m = is_row ? g->nr : g->nc;
    int *cls = is_row ? g->rcls : g->ccls, *sub = is_row ? g->rsub : g->csub;
    *nind = 0;
    for (size_t k = 0; k < m; k++) {
        const char *lab = is_row ? cp_grid_rowlab(g, k, 0) : cp_grid_collab(g, k);
        size_t row = is_row ? k + 1 : 0, col = is_row ? 0 : g->nlab + k;
        int rc = cp_imp_need_label(&g->csv, row, col, is_row ? "row" : "column", err);
        if (rc) return rc;
        sub[k] = 0;
        cls[k] = classify(lab, is_row, &sub[k]);
        if (cls[k] == CP_GRID_IND && k != *nind)
            cls[k] = CP_GRID_UNKNOWN;        /* industries must lead */
        if (cls[k] == CP_GRID_UNKNOWN)
            return cp_error_at(err, CP_EINPUT, g->csv.name, cp_imp_line(&g->csv, row, col),
                cp_imp_col(&g->csv, row, col),
                "%s %s '%s' is not an industry and not a code this layout knows; hint: %s",
                what, is_row ? "row" : "column", lab, known);
        if (cls[k] == CP_GRID_IND) (*nind)++;
    }
    return 0;
}

/* Refuse a label repeated along one axis. */
static int unique_axis(const cp_grid *g, int is_row, cp_error *err)
{
    size_t m = is_row ? g->nr : g->nc;
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < a; b++) {
            const char *la = is_row ? cp_grid_rowlab(g, a, 0) : cp_grid_collab(g, a);
            const char *lb = is_row ? cp_grid_rowlab(g, b, 0) : cp_grid_collab(g, b);
            if (strcmp(la, lb) != 0) continue;
            size_t row = is_row ? a + 1 : 0, col = is_row ? 0 : g->nlab + a;
            size_t rowb = is_row ? b + 1 : 0, colb = is_row ? 0 : g->nlab + b;
            return cp_error_at(err, CP_EINPUT, g->csv.name, cp_imp_line(&g->csv, row, col),
                cp_imp_col(&g->csv, row, col),
                "%s label '%s' appears twice (first at %ld:%ld); hint: labels must be unique",
                is_row ? "row" : "column", la, cp_imp_line(&g->csv, rowb, colb),
                cp_imp_col(&g->csv, rowb, colb));
        }
    return 0;
}

/* Read, shape-check, classify and parse a grid; see import_util.h. */
int cp_grid_read(cp_grid *g, const char *path, size_t nlab, cp_grid_classify classify,
                 const char *what, const char *known, const cp_load_opts *o, cp_error *err)
{
    memset(g, 0, sizeof *g);
    g->nlab = nlab;
    cp_csv_opts co = o->csv;
    co.delim = ',';
    int rc = cp_csv_read(&g->csv, path, &co, err);
    if (rc) return rc;
    cp_csv *c = &g->csv;
    size_t width = cp_csv_ncols(c, 0);
    if (width <= nlab || c->nrows < 2) {
        rc = cp_error_at(err, CP_EINPUT, path, 1, 0,
            "expected a header row of column labels after %zu label column%s, then data rows; hint: is this a %s table exported as CSV?",
            nlab, nlab == 1 ? "" : "s", what);
        goto fail;
    }
    for (size_t r = 0; r < c->nrows; r++)
        if ((rc = cp_csv_expect_cols(c, r, width, err))) goto fail;
    g->nr = c->nrows - 1;
    g->nc = width - nlab;
    g->rcls = calloc(g->nr, sizeof *g->rcls);
    g->rsub = calloc(g->nr, sizeof *g->rsub);
    g->ccls = calloc(g->nc, sizeof *g->ccls);
    g->csub = calloc(g->nc, sizeof *g->csub);
    g->v = calloc(g->nr * g->nc, sizeof *g->v);
    g->empty = calloc(g->nr * g->nc, 1);
    if (!g->rcls || !g->rsub || !g->ccls || !g->csub || !g->v || !g->empty) {
        rc = cp_error_set(err, CP_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    size_t nrow_ind, ncol_ind;
    if ((rc = classify_axis(g, 0, classify, what, known, &ncol_ind, err)) ||
        (rc = classify_axis(g, 1, classify, what, known, &nrow_ind, err)) ||
        (rc = unique_axis(g, 0, err)) || (rc = unique_axis(g, 1, err)))
        goto fail;
    if (ncol_ind == 0) {
        rc = cp_error_at(err, CP_EINPUT, path, 1, 0, "no industry columns; hint: is this a %s table?", what);
        goto fail;
    }
    if (nrow_ind != ncol_ind) {
        size_t r = nrow_ind < g->nr ? nrow_ind : g->nr - 1;
        rc = cp_error_at(err, CP_EINPUT, path, cp_imp_line(c, r + 1, 0), cp_imp_col(c, r + 1, 0),
            "%zu industry rows but %zu industry columns; hint: rows and columns must list the same industries",
            nrow_ind, ncol_ind);
        goto fail;
    }
    g->n = ncol_ind;
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(cp_grid_rowlab(g, i, 0), cp_grid_collab(g, i)) != 0) {
            rc = cp_error_at(err, CP_EINPUT, path, cp_imp_line(c, i + 1, 0), cp_imp_col(c, i + 1, 0),
                "industry row %zu is '%s' but industry column %zu is '%s'; hint: rows and columns must list the industries in the same order",
                i + 1, cp_grid_rowlab(g, i, 0), i + 1, cp_grid_collab(g, i));
            goto fail;
        }
    /* The label columns after the first (OECD's Description) become
     * sector names: UTF-8 too (the first is checked by classify_axis). */
    for (size_t r = 0; r < g->nr; r++)
        for (size_t k = 1; k < nlab; k++)
            if ((rc = cp_imp_need_text(c, r + 1, k, "row label", err))) goto fail;
    for (size_t r = 0; r < g->nr; r++)
        for (size_t j = 0; j < g->nc; j++) {
            const char *s = cp_csv_get(c, r + 1, nlab + j);
            while (*s == ' ' || *s == '\t') s++;
            if (!*s) { g->empty[r * g->nc + j] = 1; continue; }
            if ((rc = cp_csv_number(c, r + 1, nlab + j, 0, &g->v[r * g->nc + j], err))) goto fail;
        }
    return 0;
fail:
    cp_grid_free(g);
    return rc;
}

/* Build the table common to all grid layouts; see import_util.h. */
int cp_grid_table(cp_table **out, const cp_grid *g, const char *region, size_t extra_va,
                  cp_error *err)
{
    size_t n = g->n, nfd = 0, nva = 0;
    for (size_t c = 0; c < g->nc; c++) nfd += g->ccls[c] == CP_GRID_FD;
    for (size_t r = 0; r < g->nr; r++) nva += g->rcls[r] == CP_GRID_VA;
    cp_table *t = cp_table_new(n, nfd, nva + extra_va);
    *out = NULL;
    if (!t) return cp_error_set(err, CP_ENOMEM, "%s: out of memory", g->csv.name);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if ((rc = cp_imp_str(&t->region[i], region, err)) ||
            (rc = cp_imp_str(&t->sector[i], cp_grid_rowlab(g, i, 0), err)) ||
            (rc = cp_imp_str(&t->sector_name[i], cp_grid_rowlab(g, i, 0), err)))
            goto fail;
    size_t k = 0;
    for (size_t c = 0; c < g->nc; c++) {
        if (g->ccls[c] != CP_GRID_FD) continue;
        if ((rc = cp_imp_str(&t->fd_region[k], region, err)) ||
            (rc = cp_imp_str(&t->fd_category[k], cp_grid_collab(g, c), err)))
            goto fail;
        t->fd_kind[k] = (cp_fd_kind)g->csub[c];
        for (size_t i = 0; i < n; i++) {
            if ((rc = cp_grid_need(g, i, c, err))) goto fail;
            t->Y[i * nfd + k] = g->v[i * g->nc + c];
        }
        k++;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if ((rc = cp_grid_need(g, i, j, err))) goto fail;
            t->Z[i * n + j] = g->v[i * g->nc + j];
        }
    size_t v = 0;
    for (size_t r = 0; r < g->nr; r++) {
        if (g->rcls[r] != CP_GRID_VA) continue;
        if ((rc = cp_imp_str(&t->va_label[v], cp_grid_rowlab(g, r, 0), err))) goto fail;
        t->va_kind[v] = (cp_va_kind)g->rsub[r];
        for (size_t j = 0; j < n; j++) {
            if ((rc = cp_grid_need(g, r, j, err))) goto fail;
            t->V[v * n + j] = g->v[r * g->nc + j];
        }
        v++;
    }
    if ((rc = cp_table_index_regions(t))) { cp_error_set(err, rc, "out of memory"); goto fail; }
    *out = t;
    return 0;
fail:
    cp_table_free(t);
    return rc;
}

/* Append one note line, silently truncating at the buffer's end (the
 * notes are prose for provenance.md, never data). */
void cp_imp_note(cp_import_report *rep, const char *fmt, ...)
{
    if (!rep) return;
    size_t l = strlen(rep->notes);
    if (l + 1 >= sizeof rep->notes) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->notes + l, sizeof rep->notes - l, fmt, ap);
    va_end(ap);
}

/* Start a report empty. */
void cp_imp_report_clear(cp_import_report *rep)
{
    if (!rep) return;
    rep->balance_tol = 0;
    rep->rows_only = 0;
    rep->notes[0] = '\0';
}
