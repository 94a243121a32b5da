/*
 * chokepoint.h — the one public header of libchokepoint.
 *
 * chokepoint answers: if an exporter restricts a critical material, what
 * happens to the importing economy, month by month and industry by industry?
 *
 * The library is layered, and this header follows the layers in the order
 * data flows through them:
 *
 *   core      errors, CSV reading, small utilities         (cp_error_, cp_csv_)
 *   economy   input–output tables: load, save, validate,   (cp_table_, cp_import_)
 *             import foreign layouts, aggregate
 *   controls  export-control regimes turned into caps      (cp_ctl_)
 *   models    static (Leontief, Ghosh, IIM, extraction)    (cp_io_, cp_iim_)
 *             and dynamic (ARIO, DIIM)                     (cp_ario_, cp_diim_)
 *   results   losses, GDP, by sector and over time         (cp_res_)
 *   outputs   CSV/JSON writers, run store, report          (cp_out_)
 *   scenario  YAML scenarios tying the layers into a run     (cp_scn_)
 *
 * Conventions
 *   - Every function that can fail returns 0 on success and a non-zero
 *     CP_E* code on failure, and fills a caller-provided cp_error with a
 *     message a user can act on ("file:line:col: what; hint: what to do").
 *   - Matrices are dense, row-major, double; element (i, j) of an n×m matrix
 *     M is M[i*m + j].  Z[i*n + j] is the flow from industry i to industry j.
 *   - Units are carried in the table's metadata (e.g. "bn JPY", "Mill USD")
 *     and flows are annual unless a name says otherwise.  Annual flows become
 *     per-step flows in exactly one place: the dynamic models' setup.
 *   - No globals: all state lives in structs owned by the caller.
 */
#ifndef CHOKEPOINT_H
#define CHOKEPOINT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CP_VERSION "0.1.0"

/* ======================================================================
 * core: errors
 * ==================================================================== */

/* Error codes.  The CLI maps them to exit statuses: CP_EINPUT and
 * CP_EUSAGE exit 2 (the user must change something), others exit 1. */
enum {
    CP_OK = 0,
    CP_ERUN = 1,   /* a model or run failed (singular matrix, ...) */
    CP_EINPUT = 2, /* bad input data: a file, a table, a scenario */
    CP_EUSAGE = 3, /* bad command-line usage */
    CP_ENOMEM = 4, /* out of memory */
    CP_EIO = 5     /* the operating system refused a read or a write */
};

#define CP_ERROR_MSG_MAX 2048

typedef struct cp_error {
    int code;
    char msg[CP_ERROR_MSG_MAX];
} cp_error;

/* Set err (if non-NULL) to code and a printf-style message; returns code. */
int cp_error_set(cp_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, prefixing "file:line:col: " (line/col omitted when <= 0). */
int cp_error_at(cp_error *err, int code, const char *file, long line,
                long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Clear err to CP_OK and an empty message. */
void cp_error_clear(cp_error *err);

/* ======================================================================
 * core: CSV
 * ==================================================================== */

/* Options for reading delimited text.  Zero-initialise then set fields;
 * cp_csv_opts_default() gives the defaults. */
typedef struct cp_csv_opts {
    char delim;           /* ',' or '\t'; 0 = guess from the first line */
    size_t max_bytes;     /* refuse files larger than this (default 2 GiB;
                             the CLI's --max-file-mb raises it) */
} cp_csv_opts;

cp_csv_opts cp_csv_opts_default(void);

/* A parsed delimited file: rows of fields, each field NUL-terminated
 * (quotes removed), with its 1-based line and column for messages. */
typedef struct cp_csv {
    char *name;        /* file name used in messages */
    char *buf;         /* owned copy of the text, fields point into it */
    size_t nrows;
    size_t *row_off;   /* nrows+1 offsets into field[] */
    size_t nfields;
    char **field;
    long *line;        /* per field: 1-based line */
    long *col;         /* per field: 1-based column (byte offset in line) */
} cp_csv;

/* Read and parse the file at path.  Handles a UTF-8 BOM, LF or CRLF line
 * ends, RFC 4180 quoting; refuses NUL bytes, unterminated quotes, empty
 * files and files larger than opts->max_bytes. */
int cp_csv_read(cp_csv *csv, const char *path, const cp_csv_opts *opts,
                cp_error *err);
/* Parse text already in memory (name is used in messages). */
int cp_csv_parse(cp_csv *csv, const char *name, const char *data, size_t len,
                 const cp_csv_opts *opts, cp_error *err);
void cp_csv_free(cp_csv *csv);

size_t cp_csv_ncols(const cp_csv *csv, size_t row);
const char *cp_csv_get(const cp_csv *csv, size_t row, size_t col);
/* Parse field (row, col) as a finite double; on failure the message names
 * file:line:col and quotes the offending text.  Empty cells are refused
 * unless empty_ok, when they read as 0. */
int cp_csv_number(const cp_csv *csv, size_t row, size_t col, int empty_ok,
                  double *out, cp_error *err);
/* Require that row has exactly ncols fields; error names file:line. */
int cp_csv_expect_cols(const cp_csv *csv, size_t row, size_t ncols,
                       cp_error *err);

/* Parse a whole string as a finite double (no trailing junk, no NaN/Inf).
 * Returns 0 on success. */
int cp_parse_double(const char *s, double *out);

/* ======================================================================
 * economy: input–output tables
 * ==================================================================== */

/* Kinds of final-demand columns.  Imports in a competitive-import table
 * are a final-demand column with negative entries (kind CP_FD_IMPORT). */
typedef enum cp_fd_kind {
    CP_FD_CONSUMPTION = 0, /* households, NPISH, government */
    CP_FD_INVESTMENT,      /* gross fixed capital formation */
    CP_FD_INVENTORY,       /* changes in inventories / valuables */
    CP_FD_EXPORT,          /* exports to the rest of the world */
    CP_FD_IMPORT,          /* imports (negative) and import duties */
    CP_FD_OTHER
} cp_fd_kind;

/* Kinds of value-added (primary input) rows. */
typedef enum cp_va_kind {
    CP_VA_VALUE_ADDED = 0, /* compensation, surplus, depreciation, ... */
    CP_VA_TAX,             /* taxes less subsidies on production/products */
    CP_VA_IMPORT,          /* non-competitive imports used by industries */
    CP_VA_OTHER            /* counted in the column balance, not in GDP */
} cp_va_kind;

const char *cp_fd_kind_name(cp_fd_kind k);
const char *cp_va_kind_name(cp_va_kind k);
int cp_fd_kind_parse(const char *s, cp_fd_kind *k);
int cp_va_kind_parse(const char *s, cp_va_kind *k);

/* An input–output table, single- or multi-regional.  n industries, each a
 * (region, sector) pair; nfd final-demand columns, each a (region,
 * category, kind); nva value-added rows.  All flows are annual, in
 * table->unit (e.g. "bn JPY"), at table->year's prices.
 *
 * Accounting identities (checked by cp_table_validate):
 *   row:    x_i = sum_j Z_ij + sum_k Y_ik
 *   column: x_j = sum_i Z_ij + sum_r V_rj
 *   GDP   = sum of V rows of kind VALUE_ADDED and TAX
 *         = sum of Y (all kinds, imports negative)   (single region) */
typedef struct cp_table {
    char *name;          /* short identifier, e.g. "japan-2015-37" */
    char *title;         /* human title */
    char *unit;          /* currency unit of every flow, e.g. "bn JPY" */
    int year;            /* reference year of the flows */
    char *price_basis;   /* e.g. "producer prices", "basic prices" */
    char *import_type;   /* "competitive", "non-competitive" or "mrio" */

    size_t n;            /* industries */
    char **region;       /* [n] region label of industry i */
    char **sector;       /* [n] sector label (code) of industry i */
    char **sector_name;  /* [n] long English name, may equal sector */

    size_t nreg;         /* distinct regions, in first-seen order */
    char **regions;      /* [nreg] */

    double *Z;           /* [n*n] intermediate flows */

    size_t nfd;
    char **fd_region;    /* [nfd] region whose final demand it is */
    char **fd_category;  /* [nfd] e.g. "hhco", "Export" */
    cp_fd_kind *fd_kind; /* [nfd] */
    double *Y;           /* [n*nfd] */

    size_t nva;
    char **va_label;     /* [nva] */
    cp_va_kind *va_kind; /* [nva] */
    double *V;           /* [nva*n] */

    double *x;           /* [n] total output */
} cp_table;

/* Allocate a zeroed table with the given shape; labels are NULL until set
 * with cp_table_set_*.  Returns NULL on out-of-memory. */
cp_table *cp_table_new(size_t n, size_t nfd, size_t nva);
void cp_table_free(cp_table *t);
/* Duplicate s into *slot (freeing what was there).  Returns 0 or CP_ENOMEM. */
int cp_table_set_str(char **slot, const char *s);
/* Recompute t->regions/nreg from t->region. */
int cp_table_index_regions(cp_table *t);
/* Index of industry (region, sector), or -1.  region may be NULL for a
 * single-region table. */
long cp_table_find(const cp_table *t, const char *region, const char *sector);
/* Index of a region in t->regions, or -1. */
long cp_table_find_region(const cp_table *t, const char *region);
/* Deep copy. */
cp_table *cp_table_clone(const cp_table *t);

/* Totals, in the table's unit. */
double cp_table_total_output(const cp_table *t);
/* Gross value added (V rows of kind VALUE_ADDED and TAX). */
double cp_table_gdp(const cp_table *t);
/* Value added of industry j (same rows). */
double cp_table_va(const cp_table *t, size_t j);

/* Validation.  Checks shapes and labels (duplicates, empties), finite
 * values, negative entries where none may be (Z, x; Y only for kinds that
 * cannot be negative), and that rows and columns balance within tol
 * (relative to the industry's output, absolute where output is 0).
 * On failure the message shows the worst row and column and by how much
 * they miss, and how to loosen the tolerance. */
typedef struct cp_validate_opts {
    double tol;          /* relative balance tolerance (default 1e-6) */
    int check_columns;   /* also check column balance (default 1) */
} cp_validate_opts;

cp_validate_opts cp_validate_opts_default(void);

typedef struct cp_balance_report {
    double worst_row_rel;    /* max_i |x_i - rowsum_i| / max(|x_i|, 1e-300) */
    size_t worst_row;
    double worst_row_abs;
    double worst_col_rel;
    size_t worst_col;
    double worst_col_abs;
    size_t zero_output;      /* industries with x = 0 */
    size_t negative_cells;   /* negative Z or x cells */
} cp_balance_report;

int cp_table_balance(const cp_table *t, cp_balance_report *rep);
int cp_table_validate(const cp_table *t, const cp_validate_opts *opts,
                      cp_balance_report *rep, cp_error *err);

/* The project's own table format: a directory holding table.json,
 * industries.csv, fd.csv, va.csv, Z.csv, Y.csv, V.csv, x.csv and
 * provenance.md.  See docs/table-format.md. */
typedef struct cp_load_opts {
    cp_csv_opts csv;
    cp_validate_opts validate;
    int skip_validation;   /* load even if unbalanced (for `info --force`) */
} cp_load_opts;

cp_load_opts cp_load_opts_default(void);

int cp_table_load(cp_table **out, const char *dir, const cp_load_opts *opts,
                  cp_error *err);
/* Write t to dir (created if missing).  provenance (markdown) is written to
 * provenance.md; it must say source, year, units and transformation. */
int cp_table_save(const cp_table *t, const char *dir, const char *provenance,
                  cp_error *err);

/* Load any table chokepoint understands: a directory in its own format, or
 * a pymrio text folder (detected by trade_flows_Z.txt or Z.txt plus
 * file_parameters.json). */
int cp_table_open(cp_table **out, const char *path, const cp_load_opts *opts,
                  cp_error *err);

/* --- importers (src/economy/import_*.c) ------------------------------ */
/* Read a pymrio text folder (trade_flows_Z.txt/finald_demand_Y.txt/
 * factor_input.txt, or pymrio's save_all layout Z.txt/Y.txt/factor_inputs/)
 * into a table.  Units from unit.txt or the files' unit column. */
int cp_import_pymrio(cp_table **out, const char *dir, const cp_load_opts *opts,
                     cp_error *err);
/* @@ECONOMY-IMPORT@@ further importer declarations go here */

/* --- aggregation / disaggregation (src/economy/concord.c) ------------ */
/* @@ECONOMY-CONCORD@@ */

/* ======================================================================
 * controls: export-control regimes -> time-varying caps
 * ==================================================================== */
/* @@CONTROLS@@ */

/* ======================================================================
 * models: static input–output
 * ==================================================================== */
/* @@MODELS-STATIC@@ */

/* ======================================================================
 * models: dynamic (ARIO, DIIM)
 * ==================================================================== */
/* @@MODELS-DYNAMIC@@ */

/* ======================================================================
 * results
 * ==================================================================== */
/* @@RESULTS@@ */

/* ======================================================================
 * outputs
 * ==================================================================== */
/* @@OUTPUTS@@ */

/* ======================================================================
 * scenario: YAML scenario files -> a configured run
 * ==================================================================== */
/* @@SCENARIO@@ */

#ifdef __cplusplus
}
#endif
#endif /* CHOKEPOINT_H */
