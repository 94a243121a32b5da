/*
 * import_util.h — helpers shared by the foreign-layout importers
 * (src/economy/import_*.c).  Internal to the economy layer; not public API.
 *
 * Every importer reads delimited text with cp_csv and must report bad
 * input at file:line:col with a hint, so the helpers here are mostly about
 * locating fields and checking labels.
 */
#ifndef CP_IMPORT_UTIL_H
#define CP_IMPORT_UTIL_H

#include "chokepoint.h"

#include <stddef.h>

/* Join dir and file into buf ("dir/file", no doubled slash). */
void cp_imp_join(char *buf, size_t cap, const char *dir, const char *file);

/* 1-based line / column of field (row, col) of csv, or 0 when it does not
 * exist (the line of the row's first field is used for a missing column). */
long cp_imp_line(const cp_csv *csv, size_t row, size_t col);
long cp_imp_col(const cp_csv *csv, size_t row, size_t col);

/* Fail with a located CP_EINPUT unless field (row, col) is a non-empty
 * label in UTF-8; what names it in the message ("sector code", "region"). */
int cp_imp_need_label(const cp_csv *csv, size_t row, size_t col, const char *what,
                      cp_error *err);

/* Fail with a located CP_EINPUT unless field (row, col), if it exists, is
 * UTF-8 text; what names it ("unit").  cp_imp_need_label checks this too. */
int cp_imp_need_text(const cp_csv *csv, size_t row, size_t col, const char *what,
                     cp_error *err);

/* Cut s at its first byte that is not UTF-8: for names built with
 * snprintf from UTF-8 parts, which a truncation may have split inside a
 * character (table.json must be UTF-8). */
void cp_imp_utf8_cut(char *s);

/* Does s contain needle, ignoring ASCII case? */
int cp_imp_has_word(const char *s, const char *needle);

/* Set *slot to a copy of s, turning out-of-memory into an error. */
int cp_imp_str(char **slot, const char *s, cp_error *err);

/* Set an imported table's metadata in one go: name, title, unit, price
 * basis, import type and year (every importer states all six). */
int cp_imp_meta(cp_table *t, const char *name, const char *title, const char *unit,
                const char *price_basis, const char *import_type, int year, cp_error *err);

/* Validate an imported table: with opts->skip_validation nothing is
 * checked; otherwise cp_table_validate with opts->validate, except that
 * columns are checked only if check_columns (the importer knows whether
 * its source closes the columns) and the tolerance is at least min_tol
 * (what the source is known to balance to; 0 for none). */
int cp_imp_validate(const cp_table *t, const cp_load_opts *opts, int check_columns,
                    double min_tol, cp_error *err);

/* Append a printf-formatted line to rep->notes (rep may be NULL). */
void cp_imp_note(cp_import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Clear a report (NULL is fine). */
void cp_imp_report_clear(cp_import_report *rep);

#endif

/* ---- grid: a labelled table in one CSV (MIC, OECD, WIOD layouts) ------
 *
 * One header row of column labels after nlab label columns; each data row
 * starts with nlab labels.  The importer's classify() sorts every row and
 * column label into a class below (sub receives the fd/va kind); industries
 * form a leading block of rows and a leading block of columns with the
 * same labels in the same order.  Cells are parsed strictly; empty cells
 * are remembered, and the importer decides where they are allowed. */
enum {
    CP_GRID_UNKNOWN = 0,
    CP_GRID_IND,     /* an industry (row of Z / column of Z) */
    CP_GRID_FD,      /* a final-demand column, sub = cp_fd_kind */
    CP_GRID_VA,      /* a value-added row, sub = cp_va_kind */
    CP_GRID_X,       /* total output (OUTPUT row or column) */
    CP_GRID_TOTAL,   /* a published total to check, then drop */
    CP_GRID_CHECK    /* another published subtotal to check, then drop */
};

typedef int (*cp_grid_classify)(const char *label, int is_row, int *sub);

typedef struct cp_grid {
    cp_csv csv;
    size_t nlab;           /* label columns before the data */
    size_t nr, nc;         /* data rows and columns */
    size_t n;              /* industries: leading rows and columns */
    int *rcls, *rsub;      /* [nr] class and kind of each row */
    int *ccls, *csub;      /* [nc] */
    double *v;             /* [nr*nc] cell values, empty cells 0 */
    unsigned char *empty;  /* [nr*nc] 1 where the cell was empty */
} cp_grid;

/* Read and classify path (comma-separated).  what names the layout in
 * messages ("MIC", "OECD"); known is a hint listing the codes it knows. */
int cp_grid_read(cp_grid *g, const char *path, size_t nlab, cp_grid_classify classify,
                 const char *what, const char *known, const cp_load_opts *o, cp_error *err);
void cp_grid_free(cp_grid *g);
/* Label k of data row r, and the label of data column c. */
const char *cp_grid_rowlab(const cp_grid *g, size_t r, size_t k);
const char *cp_grid_collab(const cp_grid *g, size_t c);
/* Location of cell (r, c) for messages. */
long cp_grid_line(const cp_grid *g, size_t r, size_t c);
long cp_grid_col(const cp_grid *g, size_t r, size_t c);
/* Fail unless cell (r, c) held a number. */
int cp_grid_need(const cp_grid *g, size_t r, size_t c, cp_error *err);
/* Index of the first data row / column of class cls, or -1. */
long cp_grid_find_row(const cp_grid *g, int cls);
long cp_grid_find_col(const cp_grid *g, int cls);
/* A table of the grid's shape: Z from industry rows × columns, Y from
 * industry rows × FD columns, V from VA rows × industry columns (plus
 * extra_va zero rows the importer fills), all cells required non-empty.
 * Region labels are set to region (industries and final demand), sector
 * and sector_name to the industry row's label; x is left 0. */
int cp_grid_table(cp_table **out, const cp_grid *g, const char *region, size_t extra_va,
                  cp_error *err);
