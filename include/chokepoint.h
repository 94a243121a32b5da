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
/* What an importer did to its source, for the provenance note that
 * `chokepoint import` writes: markdown bullet lines ("- ...\n"), and the
 * balance tolerance the source needs (0: the default is enough). */
typedef struct cp_import_report {
    double balance_tol;
    int rows_only;         /* 1: only rows balance in the source */
    char notes[8192];
} cp_import_report;

/* Read Japan's MIC input-output table (2015 layout: sector codes, MIC
 * final-demand codes ohcc..imtx, value-added codes ohcr..subs, Total row
 * and column; billion JPY) from io_csv, with English sector names from
 * names_csv (columns code,name_en; NULL: names = codes).  x is the Total
 * column; the Total row is checked against the column sums and the file
 * refused if they disagree.  Region "JPN", year 2015, producer prices,
 * competitive imports.  Name "japan-2015-<sectors>". */
int cp_import_mic(cp_table **out, const char *io_csv, const char *names_csv,
                  const cp_load_opts *opts, cp_import_report *rep, cp_error *err);
/* Read an OECD national input-output table, 2021 edition (total flows,
 * million USD, 45 ISIC rev.4 industries): columns HFCE NPISH GGFC
 * (consumption), GFCF (investment), INVNT (inventory), CONS_ABR and
 * CONS_NONRES (other: residents abroad / non-residents here), EXPO, IMPO;
 * rows TXS_IMP_FNL TXS_INT_FNL (tax), VALU (value added), TTL_INT_FNL
 * (checked against Z + taxes, then dropped), OUTPUT (x).  region and year
 * may be NULL / 0 to take them from a file name like
 * oecd2021_niot_JPN_2018_musd.csv.  The source is rounded to 0.1 M USD and
 * balances to about 3e-4 relative, so it is validated at
 * CP_OECD_BALANCE_TOL.  Name "oecd-<year>-<region, lower case>". */
#define CP_OECD_BALANCE_TOL 1e-3
int cp_import_oecd(cp_table **out, const char *csv, const char *region, int year,
                   const cp_load_opts *opts, cp_import_report *rep, cp_error *err);
/* Read a WIOD-style multi-regional table (WIOD 2013 release, aggregated):
 * industries REGION_cN, final-demand columns FD_<REGION> (one aggregate
 * per destination region, kind consumption), OUTPUT (x).  The file has no
 * value-added rows, so one row "value added (residual)" = x - column sums
 * of Z is derived (columns then balance exactly).  Rows balance to about
 * 1e-2 (worst industry) in the source; validated at CP_WIOD_BALANCE_TOL.
 * year 0: from a file name like wiod2013_2011_....csv.  Name
 * "wiod-<year>-<regions>r". */
#define CP_WIOD_BALANCE_TOL 1.5e-2
int cp_import_wiod(cp_table **out, const char *csv, int year, const cp_load_opts *opts,
                   cp_import_report *rep, cp_error *err);
/* Record in a saved table directory how well the source balances:
 * table.json "balance_tol" = tol (if tol > 0; cp_table_load then validates
 * at the larger of tol and the caller's tolerance) and, if !check_columns,
 * "check_columns": false (the source's value added does not close the
 * columns, e.g. pymrio's test MRIO; only rows are validated). */
int cp_table_set_balance_tol(const char *dir, double tol, int check_columns, cp_error *err);

/* --- aggregation / disaggregation (src/economy/concord.c) ------------ */
/* @@ECONOMY-CONCORD@@ */
/* Aggregate a table through a concordance file.  The file is CSV with
 * three columns region,sector,new_sector (an optional header row with
 * exactly those names is skipped); region "*" applies the row to every
 * region.  Every industry of t must be mapped exactly once.  Industries
 * (r, s) with the same (r, new_sector) are summed: Z rows and columns,
 * Y rows, V columns and x.  Final-demand and value-added categories are
 * kept.  Row and column balance carry over exactly (sums of sums).  The
 * new industries appear region by region, new sectors in the order the
 * file first names them. */
int cp_table_aggregate(cp_table **out, const cp_table *t, const char *concordance_csv,
                       const cp_csv_opts *opts, cp_error *err);
/* Split industry k into m industries named sectors[0..m-1] (same region)
 * by output shares (each > 0, summing to 1 within 1e-9): row k of Z and Y
 * and column k of Z and V are multiplied by the shares, and the diagonal
 * block Z_kk by share_a * share_b, so every new row and column balances
 * and all totals are preserved.  The new sectors share industry k's input
 * structure (A columns) — the usual assumption when only shares are known.
 * They take indices k..k+m-1. */
int cp_table_disaggregate(cp_table **out, const cp_table *t, size_t k, size_t m,
                          const char *const *sectors, const double *shares, cp_error *err);

/* ======================================================================
 * controls: export-control regimes -> time-varying caps
 * ==================================================================== */
/* @@CONTROLS@@ */
/* The layer turns an exporter's control regime into, per day and using
 * industry, the available fraction of each controlled material and a
 * production-capacity cap (0..1) for the dynamic models.  docs/controls.md
 * has the equations, units and the YAML schema.  Conventions:
 *   - A "day" is a day number: days since 1970-01-01 (cp_ctl_date_parse).
 *   - Quantities are tonnes of element content (t), flows t/year or t/day
 *     as the field name says; shares and fractions are 0..1.
 *   - Materials are chemical elements (symbol, e.g. "Dy"); any element of
 *     the periodic table is accepted, nothing is specific to rare earths. */

/* --- dates (src/controls/ctl_date.c) -------------------------------- */
#define CP_CTL_DAY_MIN (-100000000L) /* "since forever" (no suspension) */
#define CP_CTL_DAY_MAX 100000000L    /* "never" (open end) */

/* Parse an ISO date "YYYY-MM-DD" (years 1900..2200) into a day number.
 * Returns 0, or -1 if s is not a valid calendar date. */
int cp_ctl_date_parse(const char *s, long *day);
/* Write day as "YYYY-MM-DD" into buf (at least 11 bytes). */
void cp_ctl_date_format(long day, char *buf, size_t cap);
/* Day number of a civil date (proleptic Gregorian); no validation. */
long cp_ctl_days_from_civil(int y, int m, int d);
/* Weekday of a day number: 0 = Monday … 6 = Sunday. */
int cp_ctl_weekday(long day);
/* The day on which n working days have elapsed after day: counting starts
 * the day after, skipping Saturdays, Sundays and the sorted holiday list
 * (nh days; may be NULL).  n <= 0 returns day itself. */
long cp_ctl_add_working_days(long day, int n, const long *holidays, size_t nh);
/* Working days in (a, b] (b > a), same calendar; 0 if b <= a. */
long cp_ctl_working_days_between(long a, long b, const long *holidays,
                                 size_t nh);

/* --- the domain model (src/controls/ctl_model.c) -------------------- */
#define CP_CTL_LABEL 32
#define CP_CTL_NAME 64
#define CP_CTL_MAX_HS 16
#define CP_CTL_MAX_LIST 32   /* importers, items, bans, priorities per list */
#define CP_CTL_MAX_PHASES 16
#define CP_CTL_MAX_ORIGINS 8

/* Physical forms an item can cover (an item's `forms` is a bit set). */
typedef enum cp_ctl_form {
    CP_CTL_METAL = 0, /* metal, alloys, sputtering targets */
    CP_CTL_OXIDE,     /* oxide and mixtures */
    CP_CTL_COMPOUND,  /* other compounds and mixtures */
    CP_CTL_MAGNET,    /* magnet materials containing the element */
    CP_CTL_NFORMS
} cp_ctl_form;

const char *cp_ctl_form_name(cp_ctl_form f);
/* Parse "metal", "oxide", "compound" or "magnet"; returns 0 or -1. */
int cp_ctl_form_parse(const char *s, cp_ctl_form *f);
/* 1 if sym is a chemical element symbol ("Dy", "Ga", …), else 0. */
int cp_ctl_element_known(const char *sym);

/* An industry label of an input–output table: region may be "" (any). */
typedef struct cp_ctl_industry {
    char region[CP_CTL_LABEL];
    char sector[CP_CTL_LABEL];
} cp_ctl_industry;

/* Where an object came from, for messages: file indexes model->files
 * (none when built in C), line/col are 1-based (0 = unknown). */
#define CP_CTL_MAX_FILES 8
typedef struct cp_ctl_src {
    int file;
    long line, col;
} cp_ctl_src;

/* A controlled item: one element in some forms under one control number. */
typedef struct cp_ctl_item {
    char control_no[CP_CTL_LABEL]; /* "1C905"; unique in a model */
    char element[4];               /* "Dy" */
    unsigned forms;                /* bits 1u << cp_ctl_form */
    size_t nhs;
    char hs[CP_CTL_MAX_HS][16];    /* reference HS codes (documentation) */
    long listed_day;               /* listing (effective) date */
    long suspended_until_day;      /* CP_CTL_DAY_MIN if in force; else the
                                      control applies from this day on */
    cp_ctl_src src;
} cp_ctl_item;

/* A scheduled change: from from_day on, these licensing settings hold. */
typedef struct cp_ctl_phase {
    long from_day;
    double approval_share;   /* share of applied volume licensed (0 = cut-off) */
    int review_working_days; /* application -> decision, exporter working days */
    double form_approval[CP_CTL_NFORMS]; /* per-form override; < 0 = use
                                            approval_share (see
                                            cp_ctl_regime_default) */
} cp_ctl_phase;

/* An export-control regime: a timeline of licensing phases over items. */
typedef struct cp_ctl_regime {
    char name[CP_CTL_NAME];
    char exporter[CP_CTL_LABEL];
    size_t nimporters;
    char importers[CP_CTL_MAX_LIST][CP_CTL_LABEL]; /* "*" = every importer */
    size_t nitems;
    char items[CP_CTL_MAX_LIST][CP_CTL_LABEL];     /* control numbers */
    int item_idx[CP_CTL_MAX_LIST];                 /* resolved by check */
    long start_day, end_day;                       /* [start, end); end may be
                                                      CP_CTL_DAY_MAX */
    size_t nphases;                                /* >= 1; phase[0] starts
                                                      at start_day */
    cp_ctl_phase phase[CP_CTL_MAX_PHASES];
    size_t nbans;                                  /* end-use bans: users */
    cp_ctl_industry ban[CP_CTL_MAX_LIST];          /* that get no licence */
    cp_ctl_src src;
} cp_ctl_regime;

/* A supply that grows after the controls start: amount is reached
 * linearly over ramp_days, starting lead_days after the material's first
 * controlled day (amount = 0: none). */
typedef struct cp_ctl_ramp {
    char name[CP_CTL_NAME];
    double amount;     /* t/year for origins and recycling; share for
                          substitution */
    double lead_days;
    double ramp_days;
} cp_ctl_ramp;

/* National stockpile of a material and its release rule. */
typedef struct cp_ctl_stockpile {
    double days;                  /* holdings, days of baseline demand */
    double start_delay_days;      /* release starts this long after the
                                     material's first controlled day */
    double max_rate_share;        /* max release per day, share of baseline
                                     daily demand */
    size_t npriority;             /* users eligible (0 = all users) */
    cp_ctl_industry priority[CP_CTL_MAX_LIST];
} cp_ctl_stockpile;

/* The importer's supply side for one material. */
typedef struct cp_ctl_supply {
    char element[4];
    double demand_t_per_year;     /* baseline annual demand */
    double exporter_share;        /* share of demand supplied by the exporter */
    double form_share[CP_CTL_NFORMS]; /* split of the exporter's supply by
                                     form; all 0 = unsplit (every form) */
    double inventory_days;        /* company inventories, days of demand */
    size_t norigins;
    cp_ctl_ramp origin[CP_CTL_MAX_ORIGINS]; /* extra supply, t/year */
    cp_ctl_ramp recycling;        /* extra recycled supply, t/year */
    cp_ctl_ramp substitution;     /* thrifting: max share of need avoided */
    cp_ctl_stockpile stockpile;
    cp_ctl_src src;
} cp_ctl_supply;

/* One industry's use of one material. */
typedef struct cp_ctl_use {
    char element[4];
    cp_ctl_industry ind;
    double demand_share;      /* share of the material's demand; < 0: derive
                                 from t_per_unit_output when bound */
    double t_per_unit_output; /* t per table unit of annual output; < 0:
                                 derive from demand_share when bound */
    double criticality;       /* share of output lost per unit shortfall */
    /* filled by cp_ctl_model_check / cp_ctl_bind_table: */
    size_t ind_idx;           /* index into model->ind */
    size_t mat_idx;           /* index into model->supply */
    long table_index;         /* industry in the bound table, or -1 */
    double va_per_t;          /* value added per tonne (value rule) */
    cp_ctl_src src;
} cp_ctl_use;

typedef enum cp_ctl_alloc {
    CP_CTL_PROPORTIONAL = 0, /* everyone gets the same fraction */
    CP_CTL_PRIORITY,         /* model->order first, in order */
    CP_CTL_VALUE             /* highest value added per tonne first */
} cp_ctl_alloc;

const char *cp_ctl_alloc_name(cp_ctl_alloc a);
int cp_ctl_alloc_parse(const char *s, cp_ctl_alloc *a);

/* An uncertain number: [low, central, high]; *value holds the central
 * value after parsing and is where a sampler writes a draw. */
typedef struct cp_ctl_range {
    char path[128]; /* e.g. "supply[Dy].inventory_days" */
    double low, central, high;
    double *value;
} cp_ctl_range;

/* The whole model: items, regimes, the importer's supply and uses. */
typedef struct cp_ctl_model {
    size_t nfiles;                /* source files, for messages */
    char files[CP_CTL_MAX_FILES][256];
    char importer[CP_CTL_LABEL];
    cp_ctl_alloc allocation;
    size_t norder;                /* priority order (CP_CTL_PRIORITY) */
    cp_ctl_industry order[CP_CTL_MAX_LIST];
    size_t nholidays;             /* exporter's non-working days, sorted */
    long *holidays;
    size_t nitems, nregimes, nsupply, nuses, nranges;
    cp_ctl_item *item;
    cp_ctl_regime *regime;
    cp_ctl_supply *supply;
    cp_ctl_use *use;
    cp_ctl_range *range;
    size_t nind;                  /* distinct using industries (by check) */
    cp_ctl_industry *ind;
    size_t cap_items, cap_regimes, cap_supply, cap_uses, cap_ranges;
    int checked;                  /* set by cp_ctl_model_check, cleared by adds */
    const cp_table *bound_table;  /* table of the last successful
                                     cp_ctl_bind_table (NULL: none), and */
    size_t bound_n;               /* its industries then: a rebind to it
                                     checks each use's table_index label
                                     instead of searching */
} cp_ctl_model;

/* A new empty model (importer "", proportional allocation); NULL on OOM. */
cp_ctl_model *cp_ctl_model_new(void);
void cp_ctl_model_free(cp_ctl_model *m);
/* Append a copy of the object; return its index, or -1 on out-of-memory.
 * The pointers returned by the model's arrays change after an add. */
long cp_ctl_add_item(cp_ctl_model *m, const cp_ctl_item *it);
long cp_ctl_add_regime(cp_ctl_model *m, const cp_ctl_regime *r);
long cp_ctl_add_supply(cp_ctl_model *m, const cp_ctl_supply *s);
long cp_ctl_add_use(cp_ctl_model *m, const cp_ctl_use *u);
long cp_ctl_add_range(cp_ctl_model *m, const cp_ctl_range *r);
int cp_ctl_add_holiday(cp_ctl_model *m, long day);
/* Defaults for building in C: a regime with one phase (approval 0, review
 * 0, no per-form overrides: every phase's form_approval is -1), open end; a supply with exporter_share 1; a use with demand_share
 * and t_per_unit_output unset (-1) and criticality 1. */
cp_ctl_regime cp_ctl_regime_default(void);
cp_ctl_supply cp_ctl_supply_default(void);
cp_ctl_use cp_ctl_use_default(void);
/* Set every recorded range's value to its low (which < 0), central (0) or
 * high (> 0) end — for one-at-a-time or corner sensitivity runs.  Call
 * cp_ctl_model_check afterwards: corners can break constraints. */
void cp_ctl_ranges_pick(cp_ctl_model *m, int which);
/* Index of a material (supply) by element, or -1. */
long cp_ctl_find_supply(const cp_ctl_model *m, const char *element);
/* Index of an item by control number, or -1. */
long cp_ctl_find_item(const cp_ctl_model *m, const char *control_no);

/* Check the model as a whole (known elements, shares in 0..1, days >= 0,
 * dates in order, references resolve, demand shares per material sum to
 * at most 1) and derive the industry list.  Must succeed before a run. */
int cp_ctl_model_check(cp_ctl_model *m, cp_error *err);
/* Check the use mappings against a table: every using industry must exist
 * (else CP_EINPUT naming file:line:col of the use and a hint); derive
 * demand_share or t_per_unit_output from the table's output, and value
 * added per tonne.  Call after cp_ctl_model_check. */
int cp_ctl_bind_table(cp_ctl_model *m, const cp_table *t, cp_error *err);

/* What the controls do to the importer's supply of a material on a day of
 * application.  Licensing is per form: each form of the exporter's flow
 * (form_share; one slot, 0, when the supply is not split by form) has the
 * most restrictive approval and longest review of the regimes covering it. */
typedef struct cp_ctl_state {
    double controlled_share;  /* share of the exporter's flow needing licence */
    double approval_share;    /* flow-weighted approval over controlled forms
                                 (1 if none) */
    int review_working_days;  /* longest review over controlled forms */
    double banned_share;      /* share of demand by banned end users */
    long end_day;             /* earliest end among the regimes that apply */
    double form_flow[CP_CTL_NFORMS];  /* controlled share of the flow, per form */
    double form_approval[CP_CTL_NFORMS];
    int form_review[CP_CTL_NFORMS];
    long form_end[CP_CTL_NFORMS];
} cp_ctl_state;
/* Evaluate the controls on element k (index into m->supply) on day.
 * Items count from max(listed_day, suspended_until_day). */
void cp_ctl_state_at(const cp_ctl_model *m, size_t k, long day,
                     cp_ctl_state *st);
/* Earliest day on which any regime controls material k for the model's
 * importer (may precede a run's start); CP_CTL_DAY_MAX if none. */
long cp_ctl_first_controlled_day(const cp_ctl_model *m, size_t k);

/* --- the run (src/controls/ctl_run.c) ------------------------------- */
typedef struct cp_ctl_run_opts {
    long start_day; /* step 0 */
    size_t nsteps;  /* days */
} cp_ctl_run_opts;

/* Results of a run.  Arrays are step-major: ledgers [t*nmat + k] (t), use
 * fractions [t*nuse + u], caps [t*nind + i].  Indices follow the model:
 * k = m->supply[k], u = m->use[u], i = m->ind[i]. */
typedef struct cp_ctl_result {
    size_t nsteps, nmat, nuse, nind;
    long start_day;
    double *need_t;        /* requirement after substitution */
    double *exporter_t;    /* arrivals from the exporter (offered) */
    double *other_t;       /* other origins, baseline + extra, + recycling */
    double *used_t;        /* material used (market + stockpile) */
    double *inventory_t;   /* company inventories, end of day */
    double *stockpile_t;   /* national stockpile, end of day */
    double *release_t;     /* stockpile released */
    double *shortfall_t;   /* need - used */
    double *avail;         /* [t*nuse+u] received / need of the use (0..1) */
    double *cap;           /* [t*nind+i] production-capacity cap (0..1) */
    double *extraction_share; /* [nind] mean over steps of 1 - cap */
    long *trigger_day;     /* [nmat] first controlled day */
    long *inventory_empty_day; /* [nmat] first day inventories end at 0,
                                  CP_CTL_DAY_MAX if never */
    long *stockpile_empty_day; /* [nmat] same for the stockpile */
    struct cp_ctl_work *work;  /* private scratch of the run, kept for
                                  cp_ctl_run_into; freed with the result */
} cp_ctl_result;

/* Run the model day by day (after cp_ctl_model_check, and
 * cp_ctl_bind_table for uses given as t_per_unit_output or the value
 * rule).  Allocates everything once; *out is freed with
 * cp_ctl_result_free. */
int cp_ctl_run(const cp_ctl_model *m, const cp_ctl_run_opts *opts,
               cp_ctl_result **out, cp_error *err);
/* Run again into a previous result: *res from cp_ctl_run or an earlier
 * cp_ctl_run_into (or NULL: then it is cp_ctl_run).  Its arrays and
 * scratch are reused when the days, materials, uses and industries are
 * the same, reallocated otherwise, so a Monte Carlo loop (restore, draw,
 * bind, run) allocates nothing per draw; the result is the same bits as a
 * fresh cp_ctl_run.  On error *res is still the caller's to free
 * (cp_ctl_result_free), its contents unspecified. */
int cp_ctl_run_into(const cp_ctl_model *m, const cp_ctl_run_opts *opts,
                    cp_ctl_result **res, cp_error *err);
void cp_ctl_result_free(cp_ctl_result *r);
/* Expand step's caps to a table of n industries (1 where unaffected),
 * using the table indices set by cp_ctl_bind_table. */
int cp_ctl_cap_for_table(const cp_ctl_model *m, const cp_ctl_result *r,
                         size_t step, double *cap_n, size_t n, cp_error *err);
/* The whole series, step-major frac[t*n + j] for t < r->nsteps: what
 * cp_ario_set_capacity_cap takes (step t of the run = ARIO step t). */
int cp_ctl_cap_series_for_table(const cp_ctl_model *m, const cp_ctl_result *r,
                                double *frac, size_t n, cp_error *err);
/* The same series written into a frac that already holds one: only the
 * columns of the bound industries are rewritten.  Contract: frac was
 * filled by cp_ctl_cap_series_for_table (or this) for uses with the same
 * table_index values (a rebind to the same table keeps them), the same n
 * and r->nsteps, and nothing else wrote to it since; then the bits are
 * those of cp_ctl_cap_series_for_table (a Monte Carlo draw writes 16
 * columns of 365 days instead of 185). */
int cp_ctl_cap_series_update(const cp_ctl_model *m, const cp_ctl_result *r,
                             double *frac, size_t n, cp_error *err);

/* --- YAML (src/controls/ctl_yaml.c) ---------------------------------- */
/* Read a controls file (docs/controls.md) into a checked model.  Errors
 * name file:line:col and give a hint. */
int cp_ctl_load_yaml(cp_ctl_model **out, const char *path, cp_error *err);
/* Same from text in memory; name is used in messages. */
int cp_ctl_parse_yaml(cp_ctl_model **out, const char *name, const char *text,
                      size_t len, cp_error *err);
/* Read several files into one model, in order (e.g. a satellite account
 * with items, supply and uses, then a scenario's regimes); later files may
 * refer to items and materials of earlier ones.  At most CP_CTL_MAX_FILES. */
int cp_ctl_load_yaml_files(cp_ctl_model **out, const char *const *paths,
                           size_t npaths, cp_error *err);

/* ======================================================================
 * models: static input–output
 * ==================================================================== */
/* @@MODELS-STATIC@@ */
/* All n×n matrices are row-major and caller-allocated unless a function
 * says it allocates.  Flows are in the table's unit per year; coefficients
 * are unit-free.  Equations: docs/static-models.md.
 *
 * --- Leontief (demand-driven) and Ghosh (supply-driven) coefficients -- */
/* Technical coefficients A = Z diag(x)^-1: A_ij = Z_ij / x_j, input from i
 * per unit of j's output.  A column j with x_j = 0 is zero (never NaN). */
void cp_io_coef_A(size_t n, const double *Z, const double *x, double *A);
/* Allocation coefficients B = diag(x)^-1 Z: B_ij = Z_ij / x_i, share of
 * i's output sold to j.  A row i with x_i = 0 is zero. */
void cp_io_coef_B(size_t n, const double *Z, const double *x, double *B);
/* out = (I - M)^-1 (Leontief L from A, Ghosh G from B), by LU factorisation
 * and inversion without any copy of the matrix; out may equal M.  Fails
 * with CP_ERUN when I - M is singular. */
int cp_io_inverse(size_t n, const double *M, double *out, cp_error *err);
/* Net final demand per industry, y_i = sum_k Y_ik over all final-demand
 * columns (imports included, so that x = L y holds for a balanced table). */
void cp_io_final_demand(const cp_table *t, double *y);
/* Primary inputs per industry, w_j = sum_r V_rj over all value-added rows
 * (so that x' = w' G holds for a balanced table). */
void cp_io_primary_inputs(const cp_table *t, double *w);

/* An LU factorisation of I - M kept for many right-hand sides: solving
 * instead of inverting.  Right-hand sides are passed as nrhs vectors of
 * length n one after the other (a row-major nrhs×n matrix whose rows are
 * the right-hand sides); they are overwritten by the solutions. */
typedef struct cp_io_lu cp_io_lu;
int cp_io_lu_new(cp_io_lu **out, size_t n, const double *M, cp_error *err);
/* Solve (I - M) z = b for each right-hand side b (Leontief: x from y). */
int cp_io_lu_solve(const cp_io_lu *lu, double *b, size_t nrhs, cp_error *err);
/* Solve (I - M)' z = b, i.e. z' = b'(I - M)^-1 (row vectors times the
 * inverse: multipliers v'L, Ghosh x' = w'G). */
int cp_io_lu_solve_t(const cp_io_lu *lu, double *b, size_t nrhs, cp_error *err);
size_t cp_io_lu_n(const cp_io_lu *lu);
void cp_io_lu_free(cp_io_lu *lu);

/* --- multipliers and linkages (src/models/multipliers.c) ------------- */
/* How import multipliers were computed for a table. */
typedef enum cp_import_basis {
    CP_IMPORTS_NONE = 0,     /* the table has no import rows or columns */
    CP_IMPORTS_ROWS,         /* non-competitive: V rows of kind import */
    CP_IMPORTS_RATIO,        /* competitive: import column, import ratios */
    CP_IMPORTS_MRIO          /* multi-regional: inputs from other regions */
} cp_import_basis;

/* Per-industry multipliers, each [n]; unit: table unit per table unit of
 * final demand (unit-free), linkages are indices with mean 1. */
typedef struct cp_io_multipliers {
    size_t n;
    double *output;       /* 1'L: output everywhere per unit final demand of j */
    double *value_added;  /* v'L, v_j = VA_j / x_j (value_added + tax rows) */
    double *imports;      /* imports induced per unit final demand of j */
    double *backward;     /* n 1'L e_j / 1'L1: normalised Rasmussen backward linkage */
    double *forward;      /* n e_i'G1 / 1'G1: normalised forward linkage (Ghosh) */
    /* The same four with domestic flows only.  For competitive-import
     * tables (basis CP_IMPORTS_RATIO) A and Z rows mix domestic and
     * imported goods, so 1'L and v'L overstate the domestic effect (v'L is
     * 1 for every j); the domestic versions use A_d = (I - diag(m)) A and
     * B_d = diag(x)^-1 (I - diag(m)) Z, and value_added_domestic + imports
     * = 1 when every V row is value added or tax.  Other tables: equal to
     * the four above. */
    double *output_domestic;       /* 1'L_d, L_d = (I - A_d)^-1 */
    double *value_added_domestic;  /* v'L_d */
    double *backward_domestic;     /* from 1'L_d */
    double *forward_domestic;      /* from G_d 1, G_d = (I - B_d)^-1 */
    cp_import_basis import_basis;
} cp_io_multipliers;

/* Compute all multipliers of t by solves with LU factorisations (no
 * inverse is formed).  Allocates the arrays of m; free with
 * cp_io_multipliers_free. */
int cp_io_multipliers_compute(const cp_table *t, cp_io_multipliers *m, cp_error *err);
void cp_io_multipliers_free(cp_io_multipliers *m);
/* Competitive-import ratios m_i = imports_i / (sum_j Z_ij + domestic final
 * demand_i), imports as a positive amount (the negative CP_FD_IMPORT
 * columns), domestic final demand = columns other than export and import.
 * Returns 0 and fills m (zero where the denominator is 0), or CP_EINPUT if
 * the table has no import column. */
int cp_io_import_ratios(const cp_table *t, double *m, cp_error *err);

/* --- hypothetical extraction (src/models/extraction.c) --------------- */
/* Which model measures the extraction's effect. */
typedef enum cp_io_side {
    CP_SIDE_DEMAND = 0,   /* Leontief: x = (I - A~)^-1 y~ */
    CP_SIDE_SUPPLY        /* Ghosh: x' = w~'(I - B~)^-1 */
} cp_io_side;

/* What to extract, as cell masks (Dietzenbacher & Lahr 2013):
 *   - industries[i] set: every intermediate flow to and from i (row and
 *     column i of A or B), i's final-demand sales (demand side) or primary
 *     inputs (supply side) — the classic extraction of a sector;
 *   - otherwise the block of flows from supplier rows from[i] to buyer
 *     columns to[j] and, if fd is given, from[i]'s sales to final-demand
 *     columns fd[k] (demand side only) — e.g. one region's exports of one
 *     product to another region: the static form of an export control.
 * share in [0, 1] is the fraction of those flows removed (1 = full). */
typedef struct cp_extract_spec {
    double share;
    const unsigned char *industries; /* [n] or NULL */
    const unsigned char *from;       /* [n] or NULL */
    const unsigned char *to;         /* [n] or NULL */
    const unsigned char *fd;         /* [nfd] or NULL */
    cp_io_side side;
} cp_extract_spec;

/* Effect of an extraction.  x0 is the model's baseline (L y, or w'G),
 * x1 the output with the flows removed, dx = x1 - x0 (negative = loss). */
typedef struct cp_extract_result {
    size_t n;
    double *x0, *x1, *dx;    /* [n], table unit per year */
    double loss_output;      /* sum(x0 - x1) */
    double loss_va;          /* sum_j v_j (x0_j - x1_j), v_j = VA_j / x_j */
    double loss_outside;     /* part of loss_output outside extracted industries */
} cp_extract_result;

int cp_extract(const cp_table *t, const cp_extract_spec *spec, cp_extract_result *r,
               cp_error *err);
/* Extract sector `sector` of region `region` (NULL: in every region). */
int cp_extract_sector(const cp_table *t, const char *region, const char *sector,
                      double share, cp_io_side side, cp_extract_result *r, cp_error *err);
/* Extract region from_region's sales of product `product` to region
 * to_region: its rows in to_region's columns, and in to_region's final
 * demand too if with_final. */
int cp_extract_flow(const cp_table *t, const char *from_region, const char *product,
                    const char *to_region, double share, int with_final, cp_io_side side,
                    cp_extract_result *r, cp_error *err);
void cp_extract_result_free(cp_extract_result *r);

/* --- static inoperability input-output model (src/models/iim.c) ------ */
/* Demand-side interdependency matrix A* = diag(x)^-1 A diag(x)
 * (A*_ij = Z_ij / x_i; zero row where x_i = 0). */
void cp_iim_interdependency(const cp_table *t, double *Astar);
/* Supply-side interdependency S* = diag(x) B diag(x)^-1 (= A). */
void cp_iim_supply_interdependency(const cp_table *t, double *Sstar);
/* Normalised perturbation c*_i = dy_i / x_i (0 where x_i = 0), where dy is
 * a loss in final demand (demand side) or primary inputs (supply side). */
void cp_iim_perturbation(const cp_table *t, const double *dy, double *cstar);
/* Demand-driven static IIM: q = (I - A*)^-1 c*.  With clip, each q_i is
 * then clipped to [0, 1] (values above 1 become 1, as in Haimes & Jiang
 * 2001's four-sector example). */
int cp_iim_demand(size_t n, const double *Astar, const double *cstar, double *q, int clip,
                  cp_error *err);
/* Supply-driven (Ghosh-based) static IIM: q' = c*'(I - S*)^-1. */
int cp_iim_supply(size_t n, const double *Sstar, const double *cstar, double *q, int clip,
                  cp_error *err);

/* ======================================================================
 * models: dynamic (ARIO, DIIM)
 * ==================================================================== */
/* @@MODELS-DYNAMIC@@ */
/* --- ARIO (src/models/ario*.c, docs/ario.md) -------------------------
 * Adaptive Regional Input-Output model (Hallegatte 2008, 2014) in the
 * "Psi" variant of BoARIO (Juhel 2024): daily (configurable) steps,
 * inventories of inputs per product, overproduction, rationing, orders
 * split over suppliers.  Annual table flows become per-step flows in one
 * place, cp_ario_new().  Products are the table's distinct sector labels
 * (first-seen order); an industry is a (region, sector) pair.
 * Shocks: capacity losses (BoARIO "arbitrary" events), flow caps on single
 * trade flows (export controls), final-demand changes, and an exogenous
 * per-step, per-industry production-capacity cap series.
 * The time loop allocates nothing: everything is allocated in cp_ario_new
 * and cp_ario_add_* / cp_ario_set_*. */
typedef enum cp_ario_order {
    CP_ARIO_ORDER_ALT = 0, /* initial shares re-weighted by supplier capacity (Guan 2020) */
    CP_ARIO_ORDER_BASE     /* initial shares (Hallegatte 2014) */
} cp_ario_order;
typedef enum cp_ario_rationing {
    CP_ARIO_RATION_PROPORTIONAL = 0, /* every client gets the same share (BoARIO) */
    CP_ARIO_RATION_FD_FIRST,         /* final demand served before industries */
    CP_ARIO_RATION_INTERMEDIATE_FIRST,
    CP_ARIO_RATION_PRIORITY          /* listed buyer sectors first, in order */
} cp_ario_rationing;
typedef enum cp_ario_overprod {
    CP_ARIO_OVERPROD_BOARIO = 0, /* alpha += (amax-alpha)*zeta/tau for any sign of zeta,
                                    clamped to [alpha_base, alpha_max] (BoARIO 0.6.4 code) */
    CP_ARIO_OVERPROD_DOCUMENTED  /* zeta<=0: alpha += (alpha_base-alpha)/tau (BoARIO docs,
                                    Hallegatte 2014) */
} cp_ario_overprod;
typedef enum cp_ario_timing {
    CP_ARIO_TIMING_BOARIO = 0, /* capacity events act from occurrence+1 for duration+1 steps
                                  and recover from there (BoARIO 0.6.4) */
    CP_ARIO_TIMING_EXACT       /* act from occurrence for exactly duration steps */
} cp_ario_timing;
typedef enum cp_ario_storage {
    CP_ARIO_STORAGE_AUTO = 0, /* sparse when under 40% of Z is non-zero */
    CP_ARIO_STORAGE_DENSE,
    CP_ARIO_STORAGE_SPARSE
} cp_ario_storage;

/* Parameters, named as in BoARIO.  Times are in temporal units (days by
 * default); a step is temporal_units_by_step temporal units. */
typedef struct cp_ario_params {
    cp_ario_order order_type;
    double alpha_base, alpha_max, alpha_tau; /* 1.0, 1.25, 365 */
    double psi;                      /* psi_param, 0.8 */
    double main_inv_dur;             /* inventory target, 90; INFINITY: never constrains */
    double inventory_restoration_tau;/* 60 */
    double monetary_factor;          /* 1e6: table unit in currency units (metadata only) */
    double year_to_temporal_unit;    /* iotable_year_to_temporal_unit_factor, 365 */
    int temporal_units_by_step;      /* 1 */
    size_t steps;                    /* 365 */
    cp_ario_rationing rationing;
    cp_ario_overprod overprod;
    cp_ario_timing timing;
    cp_ario_storage storage;
    int record_inventories;          /* keep inventories per step in cp_res_run */
    int threads;                     /* worker threads for a step: 1 (default), 0 = one per
                                        core; results are identical for any count */
} cp_ario_params;

cp_ario_params cp_ario_params_default(void);

typedef struct cp_ario cp_ario;

/* Build the model on table t (t must outlive the model).  Checks params
 * (ranges, with hints) and allocates all state; the economy starts in its
 * table equilibrium: orders = Z, inventories = dur * Z aggregated by
 * product, production = x. */
int cp_ario_new(cp_ario **out, const cp_table *t, const cp_ario_params *p, cp_error *err);
void cp_ario_free(cp_ario *m);

size_t cp_ario_nproducts(const cp_ario *m);
const char *cp_ario_product(const cp_ario *m, size_t p);
/* Index of a product (sector label), or -1. */
long cp_ario_find_product(const cp_ario *m, const char *sector);
/* Inventory target of product p in temporal units (INFINITY allowed).
 * Only before the first step. */
int cp_ario_set_inv_dur(cp_ario *m, size_t p, double dur, cp_error *err);
/* Rationing priority (CP_ARIO_RATION_PRIORITY): buyer products served
 * first, in order; fd_tier is the position of final demand in that order
 * (npriority = after every listed sector). */
int cp_ario_set_priority(cp_ario *m, const size_t *products, size_t np, size_t fd_tier,
                         cp_error *err);

/* Capacity loss of industries (BoARIO "arbitrary" event): share of
 * capacity lost from occurrence for duration steps, then linear recovery
 * over recovery_tau steps (timing per params.timing).  Losses of several
 * events add up, capped at 1. */
int cp_ario_add_capacity_loss(cp_ario *m, const size_t *ind, size_t nind, double share,
                              long occurrence, long duration, double recovery_tau,
                              cp_error *err);

/* A cap on deliveries of one industry's product (product p from region r)
 * to listed buying industries and final-demand columns: at step start+k
 * at most cap[k] times the baseline per-step flow is delivered (cap >= 0,
 * INFINITY = no cap); after the series ends the cap is lifted.  The part
 * not delivered is missing from the buyer's inventory (drawn down), and
 * is not demand the supplier can serve.  Under "alt" orders buyers shift
 * orders away from the capped link in proportion to the cap. */
typedef struct cp_ario_flow_cap {
    size_t supplier;
    const size_t *buyers;  size_t nbuyers;
    const size_t *fd_cols; size_t nfd;
    long start;
    const double *cap;     size_t ncap;
} cp_ario_flow_cap;
int cp_ario_add_flow_cap(cp_ario *m, const cp_ario_flow_cap *fc, cp_error *err);

/* Final demand of the listed industries (NULL/0 = all) in the listed
 * columns (NULL/0 = all) multiplied by factor from start for duration
 * steps (duration < 0: to the end). */
int cp_ario_add_fd_change(cp_ario *m, const size_t *ind, size_t nind, const size_t *fd_cols,
                          size_t nfd, long start, long duration, double factor, cp_error *err);

/* The export-control hook: an exogenous production-capacity cap, a
 * fraction 0..1 per step and industry (frac[s*n + i], nsteps rows; steps
 * beyond nsteps are uncapped).  Copied. */
int cp_ario_set_capacity_cap(cp_ario *m, const double *frac, size_t nsteps, cp_error *err);
/* Back to the table equilibrium at step 0, keeping the configuration
 * (inventory targets, rationing, shocks, capacity caps): the next run has
 * the same bits as on a new model built the same way.  Allocates nothing
 * (a Monte Carlo draw reuses one model per thread). */
void cp_ario_reset(cp_ario *m);
/* Steps since the last reset that were skipped because the state was at
 * an exact fixed point with unchanged inputs (docs/ario.md). */
size_t cp_ario_steps_skipped(const cp_ario *m);

/* Advance one step. */
int cp_ario_step(cp_ario *m, cp_error *err);
/* Steps done so far. */
size_t cp_ario_steps_done(const cp_ario *m);

/* State after the last step (arrays of n, table unit per step). */
const double *cp_ario_production(const cp_ario *m);     /* realised */
const double *cp_ario_capacity(const cp_ario *m);
const double *cp_ario_demand(const cp_ario *m);         /* total demand */
const double *cp_ario_fd_unmet(const cp_ario *m);       /* by supplying industry */
const double *cp_ario_fd_unmet_cols(const cp_ario *m);  /* [nfd] by column */
const int *cp_ario_limiting(const cp_ario *m);          /* product or -1 */
const double *cp_ario_overproduction(const cp_ario *m); /* alpha */
const double *cp_ario_inventories(const cp_ario *m);    /* [p*n + i] */
const double *cp_ario_baseline(const cp_ario *m);       /* x per step */
double cp_ario_step_scale(const cp_ario *m);            /* annual -> per step factor */

/* Steps the model was set up for (params.steps). */
size_t cp_ario_steps_total(const cp_ario *m);
/* Industries and final-demand columns of the model. */
size_t cp_ario_n(const cp_ario *m);
size_t cp_ario_nfd(const cp_ario *m);
/* Baseline value added per step of each industry [n]. */
const double *cp_ario_va_baseline(const cp_ario *m);

/* --- Batches of draws (src/models/ario_pack.c) --------------------------
 * A table where every product has one supplying industry (every
 * single-region table) runs ARIO's packed engine (docs/ario.md): the state
 * per non-zero of Z, no order multipliers.  A batch advances several
 * draws of one configured model in SIMD lanes, each lane with its own
 * capacity-cap series; a lane's results are bit for bit those of
 * cp_ario_step on the model with the same caps, whatever the other lanes
 * hold.  The model must be single-supplier, with proportional rationing,
 * no flow caps, no final-demand changes and storage auto, and must not
 * change while the batch lives (its constants are read at reset). */
typedef struct cp_ario_batch cp_ario_batch;
#define CP_ARIO_BATCH_LANES 8
int cp_ario_batch_new(cp_ario_batch **out, const cp_ario *m, cp_error *err);
void cp_ario_batch_free(cp_ario_batch *b);
/* Lanes a batch holds (CP_ARIO_BATCH_LANES). */
size_t cp_ario_batch_lanes(const cp_ario_batch *b);
/* The model the batch runs (baseline, shape). */
const cp_ario *cp_ario_batch_model(const cp_ario_batch *b);
/* Every lane to step 0, uncapped; `active` lanes hold draws, the others
 * repeat lane 0. */
void cp_ario_batch_reset(cp_ario_batch *b, size_t active);
/* Capacity caps of one active lane, as cp_ario_set_capacity_cap. */
int cp_ario_batch_set_capacity_cap(cp_ario_batch *b, size_t lane, const double *frac, size_t nsteps,
                                   cp_error *err);
/* The same for caps on listed industries only (the others uncapped):
 * industry cols[c] gets cap[t*stride + c] at step t < nsteps. */
int cp_ario_batch_set_capacity_cols(cp_ario_batch *b, size_t lane, const size_t *cols, size_t ncols,
                                    const double *cap, size_t stride, size_t nsteps, cp_error *err);
int cp_ario_batch_step(cp_ario_batch *b, cp_error *err);
size_t cp_ario_batch_steps_done(const cp_ario_batch *b);
size_t cp_ario_batch_steps_skipped(const cp_ario_batch *b);
/* Lean steps (default off): no limiting product (the limiting outputs are
 * not kept) and no final demand unmet by column (outputs 0); what a Monte
 * Carlo draw does not read. */
void cp_ario_batch_set_lean(cp_ario_batch *b, int on);
/* Realised production and final demand unmet by industry after the last
 * step, every lane: [i * lanes + lane]. */
const double *cp_ario_batch_production(const cp_ario_batch *b);
const double *cp_ario_batch_fd_unmet(const cp_ario_batch *b);
/* One lane's state after the last step (any output may be NULL): arrays of
 * n, fd_unmet_cols of nfd, as the cp_ario accessors. */
void cp_ario_batch_lane(const cp_ario_batch *b, size_t lane, double *production, double *capacity,
                        double *demand, double *fd_unmet, double *fd_unmet_cols, int *limiting);

/* --- DIIM (src/models/diim.c) -----------------------------------------
 * Dynamic inoperability input-output model (Lian & Haimes 2006), discrete:
 *   q(t+1) = q(t) + K [A* q(t) + c*(t) - q(t)],  K = diag(k). */
/* k_i = -ln(lambda) / (T_i (1 - a*_ii)): q_i falls to lambda q_i(0) in T_i
 * steps (lambda = 0.01 customary). */
int cp_diim_calibrate(size_t n, const double *Astar, const double *T, double lambda,
                      double *k, cp_error *err);
/* Run nsteps from q0 (NULL = 0).  cstar: [nsteps*n] per step when
 * c_per_step, else one [n] vector held constant.  q: [(nsteps+1)*n], q[0..n)
 * = q0.  clip: keep q in [0, 1]. */
int cp_diim_run(size_t n, const double *Astar, const double *k, const double *cstar,
                int c_per_step, const double *q0, size_t nsteps, int clip, double *q,
                cp_error *err);
/* Recovery path with c* = 0 by the closed form q(t) = exp(-K(I-A*) t) q0 is
 * only exact for the continuous model; this gives the discrete path's
 * steps to fall below lambda * max q0 (or nsteps + 1 if never). */
size_t cp_diim_recovery_steps(size_t n, const double *Astar, const double *k, const double *q0,
                              double lambda, size_t nsteps);

/* ======================================================================
 * results
 * ==================================================================== */
/* @@RESULTS@@ */
/* @@UNCERTAINTY@@ */
/* --- uncertainty and sensitivity (src/results/unc_*.c, docs/uncertainty.md)
 * Distributions for numeric parameters, reproducible Monte Carlo draws
 * (one GSL stream per draw), Iman–Conover rank correlation, percentiles and
 * convergence, Sobol (Saltelli/Jansen) and Morris sensitivity, the
 * one-at-a-time tornado, and a parallel draw runner (threads; MPI opt-in). */
#include <stdint.h>

typedef enum cp_unc_kind {
    CP_UNC_NONE = 0,    /* not yet set ("dist" key missing) */
    CP_UNC_UNIFORM,     /* min, max */
    CP_UNC_TRIANGULAR,  /* min, mode, max */
    CP_UNC_NORMAL,      /* mean, sd; optional min/max truncation */
    CP_UNC_LOGNORMAL,   /* mu (or median = e^mu), sigma of ln X; optional min/max */
    CP_UNC_BETA,        /* alpha, beta; on [min, max] (default [0, 1]) */
    CP_UNC_DISCRETE     /* values, optional weights (default equal) */
} cp_unc_kind;

#define CP_UNC_NAME_MAX 96
#define CP_UNC_DISCRETE_MAX 64

/* One uncertain parameter.  Fill with cp_unc_dist_init + cp_unc_dist_set
 * (key/value strings, as a YAML mapping gives them) then cp_unc_dist_check,
 * which validates and precomputes; only checked distributions are drawn. */
typedef struct cp_unc_dist {
    char name[CP_UNC_NAME_MAX];
    cp_unc_kind kind;
    double min, max;        /* support, or truncation bounds (±INFINITY = open) */
    double mode;            /* triangular */
    double mean, sd;        /* normal, before truncation */
    double mu, sigma;       /* lognormal: mean and sd of ln X */
    double alpha, beta;     /* beta shapes */
    double central;         /* tornado's central value (NAN = kind's default) */
    size_t nvalues, nweights; /* discrete: sorted ascending by check */
    double values[CP_UNC_DISCRETE_MAX];
    double weights[CP_UNC_DISCRETE_MAX];
    unsigned keys;          /* which keys were given (bit per key) */
    /* set by cp_unc_dist_check */
    int checked;
    double p_lo, p_hi;      /* CDF of the untruncated law at min, max */
    double cum[CP_UNC_DISCRETE_MAX]; /* discrete: cumulative weights, last = 1 */
} cp_unc_dist;

/* Start a parameter called name (copied, truncated to CP_UNC_NAME_MAX-1). */
void cp_unc_dist_init(cp_unc_dist *d, const char *name);
/* Set one key from its text: "dist" (uniform, triangular, normal,
 * lognormal, beta, discrete), min, max, mode, mean, sd, mu, median, sigma,
 * alpha, beta, central; values/weights take a list "[1, 2.5, 4]" or
 * "1 2.5 4".  Unknown keys, repeated keys and non-numbers are refused with
 * the parameter's name and the valid keys. */
int cp_unc_dist_set(cp_unc_dist *d, const char *key, const char *value, cp_error *err);
/* The same with a number (values/weights: one more list element). */
int cp_unc_dist_set_num(cp_unc_dist *d, const char *key, double value, cp_error *err);
/* Parse a whole spec in one string, e.g.
 * "triangular min=0.2 mode=0.5 max=0.9" or "dist: beta, alpha: 2, beta: 5"
 * (separators: spaces, commas, '=' or ':'; lists in brackets). */
int cp_unc_dist_parse(cp_unc_dist *d, const char *name, const char *spec, cp_error *err);
/* A [low, central, high] range (as the controls YAML gives, cp_ctl_range)
 * as a checked distribution: shape "triangular" (NULL; mode = central),
 * "pert" (beta-PERT: alpha = 1 + 4 (c - low)/(high - low), beta = 1 +
 * 4 (high - c)/(high - low) on [low, high], mean (low + 4c + high)/6) or
 * "uniform" (central kept as the tornado's central value). */
int cp_unc_dist_from_range(cp_unc_dist *d, const char *name, double low, double central,
                           double high, const char *shape, cp_error *err);
/* Validate (keys present and applicable, min < max, min <= mode <= max,
 * sd, sigma, alpha, beta > 0, weights >= 0 with a positive sum, a
 * truncation that keeps probability) and precompute.  */
int cp_unc_dist_check(cp_unc_dist *d, cp_error *err);
/* Inverse CDF at probability u in [0, 1] (0 and 1 give the support's ends,
 * ±INFINITY for an open end).  Monotone non-decreasing in u. */
double cp_unc_dist_quantile(const cp_unc_dist *d, double u);
/* Central value: `central` if given, else the triangular mode, the normal
 * mean (untruncated), otherwise the median. */
double cp_unc_dist_central(const cp_unc_dist *d);
/* Kind from/to its name; CP_UNC_NONE / "none" when unknown. */
cp_unc_kind cp_unc_kind_of(const char *name);
const char *cp_unc_kind_name(cp_unc_kind k);

/* --- reproducible draws (unc_sample.c) --------------------------------
 * Stream splitting: draw k uses gsl_rng_mt19937 seeded with
 * cp_unc_stream_seed(seed, k), a bijection of k (for k < 2^32) keyed by a
 * SplitMix64 hash of the master seed, and takes its d uniforms in
 * parameter order.  Any draw can be made alone, in any chunk, on any
 * thread or process, with the same bits. */
uint32_t cp_unc_stream_seed(uint64_t master, uint64_t k);
/* Independent draws first .. first+count-1 into X (count × d, row k-first). */
int cp_unc_sample(const cp_unc_dist *dist, size_t d, uint64_t seed, size_t first,
                  size_t count, double *X, cp_error *err);
/* Rearrange the columns of X (n × d) so that their Spearman rank
 * correlation approaches C (d × d, symmetric, unit diagonal, positive
 * definite): Iman & Conover (1982) with van der Waerden scores, the scores'
 * own correlation removed by its Cholesky factor, and the Spearman target
 * converted to the Pearson of normal scores (2 sin(pi r / 6)).  Each column
 * keeps exactly its values (only their order changes). */
int cp_unc_iman_conover(double *X, size_t n, size_t d, const double *C, uint64_t seed,
                        cp_error *err);
/* Draws 0..n-1 then, if C is non-NULL, Iman–Conover. */
int cp_unc_sample_all(const cp_unc_dist *dist, size_t d, const double *C, uint64_t seed,
                      size_t n, double *X, cp_error *err);
/* Latin hypercube (McKay et al. 1979): each parameter's probability range
 * in n equal strata, one draw in each, at a uniform point inside it, the
 * strata shuffled per parameter (parameter j's generator seeded with
 * cp_unc_stream_seed(seed ^ "LHS", j)).  X (n × d) depends on seed and n
 * only; draw k is not the same bits for another n. */
typedef enum cp_unc_sampling { CP_UNC_SAMPLING_MC = 0, CP_UNC_SAMPLING_LHS } cp_unc_sampling;
int cp_unc_sample_lhs(const cp_unc_dist *dist, size_t d, uint64_t seed, size_t n, double *X,
                      cp_error *err);
/* n draws of the design (MC: cp_unc_sample, LHS: cp_unc_sample_lhs), then
 * Iman–Conover if C is non-NULL (it keeps every column's values, so the
 * strata too).  cp_unc_sample_all is the MC case. */
int cp_unc_sample_design(const cp_unc_dist *dist, size_t d, const double *C, uint64_t seed,
                         size_t n, cp_unc_sampling how, double *X, cp_error *err);
/* "mc" / "lhs", and back (-1 when unknown). */
const char *cp_unc_sampling_name(cp_unc_sampling how);
int cp_unc_sampling_of(const char *name, cp_unc_sampling *how);
/* Spearman rank correlation matrix R (d × d) of the columns of X (n × d),
 * ties given average ranks. */
int cp_unc_rank_corr(const double *X, size_t n, size_t d, double *R, cp_error *err);

/* --- percentiles and convergence (unc_stats.c) ------------------------
 * Percentiles pct[] in [0, 100] by linear interpolation between order
 * statistics (Hyndman & Fan 1996 type 7, as R and numpy by default). */
int cp_unc_percentiles(const double *x, size_t n, const double *pct, size_t npct,
                       double *out, cp_error *err);
/* Series over time: Y holds ndraws rows of stride ld (>= nsteps), draw r's
 * value at step t is Y[r*ld + t]; out[j*nsteps + t] = percentile pct[j] at
 * step t.  The result does not depend on the order of the draws. */
int cp_unc_percentiles_series(const double *Y, size_t ndraws, size_t nsteps, size_t ld,
                              const double *pct, size_t npct, double *out, cp_error *err);
/* The same on up to nthreads threads (steps split between them; the same
 * bits for any nthreads), and, when mean and se are not NULL, each step's
 * mean and standard error (sample sd / sqrt(ndraws), NAN for one draw;
 * sums in draw order) into mean[t], se[t]. */
int cp_unc_series_stats(const double *Y, size_t ndraws, size_t nsteps, size_t ld, const double *pct,
                        size_t npct, double *out, double *mean, double *se, size_t nthreads,
                        cp_error *err);
/* Running mean and its standard error after 1..n draws (Welford):
 * mean[i], se[i] = s_i / sqrt(i + 1) with the sample sd s_i; se[0] = NAN. */
void cp_unc_running(const double *x, size_t n, double *mean, double *se);

/* --- the draw runner (unc_run.c) --------------------------------------
 * A model evaluated per draw.  eval receives `count` consecutive draws
 * first..first+count-1 (count <= batch): x is count × d, y count × ny.
 * Batching lets a model stack draws into matrix–matrix products.  ws is the
 * calling thread's workspace from ws_new (allocated once per thread); eval
 * must depend only on (ctx, first, x), never on the thread. */
typedef struct cp_unc_model {
    size_t d, ny, batch;
    int (*eval)(void *ctx, void *ws, size_t first, size_t count, const double *x, double *y,
                cp_error *err);
    void *(*ws_new)(void *ctx);           /* NULL: no workspace */
    void (*ws_free)(void *ctx, void *ws);
    void *ctx;
} cp_unc_model;

/* Progress: draws done of total; return non-zero to cancel.  Called on the
 * thread that called cp_unc_run, never concurrently. */
typedef int (*cp_unc_progress_fn)(void *pctx, size_t done, size_t total);

typedef struct cp_unc_run_opts {
    size_t n_threads;              /* 0 = 1 */
    cp_unc_progress_fn progress;   /* may be NULL */
    void *pctx;
} cp_unc_run_opts;

/* Evaluate draws lo..hi-1: Y[k*ny ..] = model(X[k*d ..]) for k in [lo, hi)
 * (X and Y indexed by the absolute draw).  The first error (lowest draw) is
 * returned.  Output is independent of n_threads. */
int cp_unc_run(const cp_unc_model *m, const double *X, double *Y, size_t lo, size_t hi,
               const cp_unc_run_opts *o, cp_error *err);
/* Draws [lo, hi) of process rank of nranks: contiguous, sizes differ by at most 1. */
void cp_unc_split(size_t n, int nranks, int rank, size_t *lo, size_t *hi);
/* With MPI (make MPI=1): each rank evaluates its split of draws 0..n-1 and
 * every rank receives all of Y in draw order (MPI_Allgatherv), bit-identical
 * to cp_unc_run over all draws.  comm points to an MPI_Comm (NULL = world).
 * Without MPI it refuses with a hint. */
int cp_unc_run_mpi(const cp_unc_model *m, size_t n, const double *X, double *Y,
                   const cp_unc_run_opts *o, const void *comm, cp_error *err);

/* --- Sobol indices (unc_sobol.c) --------------------------------------
 * Saltelli (2010) design: N base rows of A and B, then d blocks A_B^i (A
 * with column i from B): rows = N (d + 2), block-major (A, B, A_B^1, ...).
 * quasi = 1: a 2d-dimensional Sobol sequence (gsl_qrng_sobol, d <= 20;
 * seed unused); quasi = 0: pseudo-random, stream per row. */
typedef struct cp_unc_saltelli {
    size_t N, d, rows;
    double *U;   /* rows × d probabilities */
    double *X;   /* rows × d parameter values (quantiles of U) */
} cp_unc_saltelli;

int cp_unc_saltelli_init(cp_unc_saltelli *s, const cp_unc_dist *dist, size_t d, size_t N,
                         int quasi, uint64_t seed, cp_error *err);
void cp_unc_saltelli_free(cp_unc_saltelli *s);

/* First-order S1 (Saltelli 2010) and total ST (Jansen 1999) indices from
 * the outputs y[rows] in design order, with percentile-bootstrap intervals
 * at level conf (e.g. 0.95) from nboot resamples of the N base rows. */
typedef struct cp_unc_sobol {
    size_t d;
    double mean, var;                  /* of f over A and B */
    double *S1, *S1_lo, *S1_hi;
    double *ST, *ST_lo, *ST_hi;
} cp_unc_sobol;

int cp_unc_sobol_indices(const cp_unc_saltelli *s, const double *y, size_t nboot, double conf,
                         uint64_t seed, cp_unc_sobol *out, cp_error *err);
void cp_unc_sobol_free(cp_unc_sobol *o);

/* --- Morris elementary effects (unc_morris.c) -------------------------
 * r trajectories of d + 1 points on a p-level grid (p even), step
 * delta = p / (2 (p - 1)) in probability units (Morris 1991).  Needs
 * bounded parameters (probabilities 0 and 1 are the support's ends).
 * With candidates M > r, the r kept out of M are chosen for spread
 * (Campolongo, Cariboni & Saltelli 2007; Ruano et al. 2012 elimination);
 * candidates 0 (or r) keeps the r drawn, M at most 5000. */
typedef struct cp_unc_morris {
    size_t r, d, rows;       /* rows = r (d + 1) */
    size_t candidates;       /* M drawn, r kept */
    int levels;
    double delta;
    double spread;           /* Campolongo's D of the kept r (NAN if M = r) */
    double *U, *X;           /* rows × d probabilities and values */
    int *factor;             /* [r*d]: factor moved between point m and m+1 */
} cp_unc_morris;

int cp_unc_morris_init(cp_unc_morris *m, const cp_unc_dist *dist, size_t d, size_t r,
                       size_t candidates, int levels, uint64_t seed, cp_error *err);
void cp_unc_morris_free(cp_unc_morris *m);
/* Campolongo's spread D = sqrt(sum over trajectory pairs of d_ml^2), d_ml
 * the sum of the Euclidean distances between their points (probability
 * units), computed from U: O(r^2 d^3), for checks and small designs. */
double cp_unc_morris_spread(const cp_unc_morris *m);
/* mu, mu* (mean |EE|, Campolongo et al. 2007) and sigma of the elementary
 * effects (f(x + delta e_i) - f(x)) / delta, each [d]. */
int cp_unc_morris_effects(const cp_unc_morris *m, const double *y, double *mu,
                          double *mu_star, double *sigma, cp_error *err);
/* Percentile-bootstrap interval [lo, hi] (each [d]) of mu* at level conf
 * from nboot resamples of the trajectories. */
int cp_unc_morris_ci(const cp_unc_morris *m, const double *y, size_t nboot, double conf,
                     uint64_t seed, double *lo, double *hi, cp_error *err);

/* --- one-at-a-time tornado (unc_tornado.c) ----------------------------
 * Design of 2d + 1 rows (d columns): row 0 all central, rows 1 + 2i and
 * 2 + 2i parameter i at its quantile p_lo / p_hi (others central). */
int cp_unc_tornado_design(const cp_unc_dist *dist, size_t d, double p_lo, double p_hi,
                          double *X, cp_error *err);

typedef struct cp_unc_tornado_bar {
    size_t param;            /* index into the parameters */
    double x_lo, x_hi;       /* parameter values */
    double y_lo, y_hi;       /* output at them */
    double swing;            /* |y_hi - y_lo| */
} cp_unc_tornado_bar;

/* Bars from y[2d + 1] (design order), sorted by swing descending, ties by
 * parameter index. *y_central = y[0]. */
int cp_unc_tornado_bars(const double *X, size_t d, const double *y, cp_unc_tornado_bar *bars,
                        double *y_central, cp_error *err);
/* (end of @@UNCERTAINTY@@) */

/* --- run records and totals (src/results/res_run.c) -------------------
 * What a dynamic run leaves: per step and industry, in the table unit per
 * step.  Arrays are step-major: x[s*n + i]. */
typedef struct cp_res_run {
    size_t steps, n, nfd, nprod;
    size_t done;             /* steps recorded */
    double *production;      /* realised */
    double *capacity;
    double *demand;
    double *fd_unmet;        /* by supplying industry */
    double *fd_unmet_cols;   /* [s*nfd + k] by final-demand column */
    double *value_added;     /* va_i * x_i(t) / x_i(0) */
    int *limiting;           /* product index, -1 = none */
    double *inventories;     /* [(s*nprod + p)*n + i], NULL unless asked */
    double *x0;              /* [n] baseline production per step */
    double *va0;             /* [n] baseline value added per step */
    int lean;                /* set by the caller: record production and fd_unmet only
                                (Monte Carlo draws; the other series stay as they are) */
} cp_res_run;

int cp_res_run_init(cp_res_run *r, size_t steps, size_t n, size_t nfd, size_t nprod,
                    int with_inventories, cp_error *err);
void cp_res_run_free(cp_res_run *r);

typedef struct cp_res_totals {
    double production_loss;            /* sum_t sum_i (x_i(0) - x_i(t)) */
    double value_added_loss;           /* sum_t sum_i va_i (x_i(0) - x_i(t)) / x_i(0) */
    double fd_unmet_total;             /* sum_t sum_k unmet */
    double min_total_production_ratio; /* min_t sum_i x_i(t) / sum_i x_i(0) */
    long min_step;                     /* where */
    int had_shortage;                  /* some final demand went unmet (beyond 1e-9 rel) */
} cp_res_totals;

/* Totals over the recorded steps.  by_sector_loss/by_sector_va (each [n],
 * may be NULL) receive per-industry production and VA losses. */
int cp_res_totals_of(const cp_res_run *r, cp_res_totals *tot, double *by_ind_loss,
                     double *by_ind_va_loss);

/* Progress callback: called after each step with (done, total); a non-zero
 * return stops the run with CP_ERUN. */
typedef int (*cp_res_progress_fn)(void *ctx, size_t done, size_t total);
/* Record the state of an ARIO model after step s into rec. */
void cp_res_record_step(cp_res_run *rec, const cp_ario *m, size_t s);
/* Step an ARIO model through its remaining steps up to `steps` (0 = the
 * steps it was set up for), recording each in rec (may be NULL; sized by
 * cp_res_run_init with the model's shape) and calling progress (may be
 * NULL) after each step.  The recording lives here, in the results layer,
 * so that the model knows nothing of how its runs are kept. */
int cp_res_run_ario(cp_ario *m, size_t steps, cp_res_run *rec, cp_res_progress_fn progress,
                    void *ctx, cp_error *err);
/* The same for the first nlanes lanes of a batch (after their capacity
 * caps are set): every step of the model, lane l recorded into recs[l]
 * (records without inventories). */
int cp_res_run_ario_batch(cp_ario_batch *b, size_t nlanes, cp_res_run *recs, cp_error *err);

/* ======================================================================
 * outputs
 * ==================================================================== */
/* @@OUTPUTS@@ */
/* --- run output directory (src/outputs/out_run.c, docs/outputs.md) ----
 * Columns are `region/sector` sorted alphabetically (as BoARIO).  Final
 * demand unmet is written by final-demand column (`region/category`, as
 * BoARIO) to final_demand_unmet.csv and by supplying industry to
 * final_demand_unmet_by_industry.csv. */
typedef struct cp_out_run_info {
    const char *scenario_path;
    const char *table_path;
    const char *step_unit;       /* "day" */
    const char *start_date;      /* YYYY-MM-DD or NULL: empty date column */
    int step_days;               /* days per step for the date column */
    int timeseries;              /* write timeseries.csv */
    const char *resolved_yaml;   /* text of scenario.resolved.yaml or NULL */
    const char *const *prod_labels; size_t nprod; /* product labels (limiting_input) */
} cp_out_run_info;

/* Make dir (and parents) and write every output file into it. */
int cp_out_run_write(const char *dir, const cp_table *t, const cp_res_run *r,
                     const cp_out_run_info *info, cp_error *err);
/* One wide CSV: `step` then one column per label in the order of idx;
 * vals[s*stride + idx[c]]. */
int cp_out_wide_csv(const char *path, size_t steps, size_t ncols, const char *const *labels,
                    const size_t *idx, const double *vals, size_t stride, cp_error *err);
/* Indices 0..n-1 sorted by (region, label) byte-wise. */
int cp_out_sorted_index(size_t n, const char *const *region, const char *const *label,
                        size_t *idx, cp_error *err);
/* mkdir -p. */
int cp_out_mkdirs(const char *dir, cp_error *err);

/* --- SHA-256 (src/core/sha256.c), for the run store's input hashes ---- */
typedef struct cp_sha256 {
    unsigned int h[8];        /* chaining state (32-bit words) */
    unsigned long long nbytes;
    unsigned char buf[64];
    size_t fill;
} cp_sha256;
void cp_store_sha256_init(cp_sha256 *s);
void cp_store_sha256_update(cp_sha256 *s, const void *data, size_t len);
/* Write 64 lowercase hex digits and a NUL into hex. */
void cp_store_sha256_final(cp_sha256 *s, char hex[65]);
void cp_store_sha256_hex(const void *data, size_t len, char hex[65]);
int cp_store_sha256_file(const char *path, char hex[65], cp_error *err);

/* --- run store (src/outputs/store*.c, docs/run-store.md) -------------
 * Every run is kept in one SQLite file: scenario text and hash, resolved
 * parameters, version, data-file hashes, times, status, summary and the
 * long time series.  Safe under concurrent writers (WAL, busy timeout) and
 * under a crash: a run is 'running' until cp_store_finish commits it whole;
 * a 'running' run whose process is gone reads (and is marked) 'failed'. */
typedef struct cp_store cp_store;

enum {
    CP_STORE_MUST_EXIST = 1,   /* fail (CP_EINPUT) if the file is missing */
    CP_STORE_READONLY = 2      /* open read-only: no stale marking, no writes */
};

/* The default store: $CHOKEPOINT_STORE, else $XDG_DATA_HOME/chokepoint/
 * runs.sqlite, else ~/.local/share/chokepoint/runs.sqlite. */
int cp_store_default_path(char *buf, size_t cap, cp_error *err);
/* Open (creating file, parent directories and schema unless flags say
 * otherwise) the store at path, or the default when path is NULL/empty.
 * Marks runs of dead processes on this host as failed. */
int cp_store_open(cp_store **out, const char *path, int flags, cp_error *err);
void cp_store_close(cp_store *s);
/* The path the store was opened at. */
const char *cp_store_path(const cp_store *s);

/* What a run is recorded with; every field may be NULL/0. */
typedef struct cp_store_run_info {
    const char *scenario_path;    /* as given by the user */
    const char *scenario_text;    /* NULL: read scenario_path */
    const char *params_json;      /* resolved parameters as JSON */
    const char *const *data_files;/* paths hashed into data_files_json */
    size_t ndata_files;
    long long started_at;         /* Unix seconds; 0 = now */
} cp_store_run_info;

/* One row of a run's time series (timeseries.csv, docs/outputs.md).
 * A NaN value stands for an empty cell. */
typedef struct cp_store_row {
    long step;
    const char *date, *region, *sector, *variable;  /* "" when empty */
    double value;
} cp_store_row;

/* Begin a run: inserts it with status 'running', this pid and host, and
 * commits, so concurrent readers see it.  *id receives its id. */
int cp_store_begin(cp_store *s, const cp_store_run_info *info, long long *id, cp_error *err);
/* Append n series rows (one transaction per call). */
int cp_store_add_series(cp_store *s, long long id, const cp_store_row *rows, size_t n,
                        cp_error *err);
/* Finish: summary (JSON text, validated), end time and status 'ok', in one
 * transaction. */
int cp_store_finish(cp_store *s, long long id, const char *summary_json, cp_error *err);
/* Mark a run failed with a reason (its series rows are dropped). */
int cp_store_fail(cp_store *s, long long id, const char *why, cp_error *err);
/* Ingest a finished output directory (summary.json, timeseries.csv,
 * scenario.resolved.yaml when present) as one run; how `run` records. */
int cp_store_record_dir(cp_store *s, const char *out_dir, const char *scenario_path,
                        const cp_store_run_info *info, long long *id, cp_error *err);

/* A run as read back.  Strings are owned (NULL when absent). */
typedef struct cp_store_run {
    long long id;
    char status[16];              /* ok, failed, running */
    long long started_at, ended_at;  /* Unix seconds; ended 0 if none */
    char *scenario_path, *scenario_sha256, *scenario_text, *params_json;
    char *version, *data_files_json, *summary_json, *error, *host;
    long long pid;
    long long nrows;              /* series rows stored */
} cp_store_run;

/* Resolve "ID", "last" or "last~N" to a run id; unknown -> CP_EINPUT. */
int cp_store_resolve(cp_store *s, const char *arg, long long *id, cp_error *err);
/* Read one run (with scenario text and summary). */
int cp_store_get(cp_store *s, long long id, cp_store_run *out, cp_error *err);
/* All runs, oldest first, without scenario text and params. */
int cp_store_list(cp_store *s, cp_store_run **runs, size_t *n, cp_error *err);
void cp_store_run_clear(cp_store_run *r);
void cp_store_runs_free(cp_store_run *runs, size_t n);
/* Call fn for each series row of run id in recorded order; a non-zero
 * return from fn stops and is returned. */
typedef int (*cp_store_row_fn)(void *ctx, const cp_store_row *row);
int cp_store_each_row(cp_store *s, long long id, cp_store_row_fn fn, void *ctx, cp_error *err);
/* Delete a run and its series. */
int cp_store_remove(cp_store *s, long long id, cp_error *err);
/* Write summary.json and timeseries.csv (and scenario.yaml when the text
 * was kept) for run id into dir (created). */
int cp_store_export(cp_store *s, long long id, const char *dir, cp_error *err);
/* Read a timeseries.csv (header step,date,region,sector,variable,value),
 * calling fn per row. */
int cp_store_read_timeseries(const char *path, cp_store_row_fn fn, void *ctx, cp_error *err);
/* Format v as %.15g when that reads back to the same double, else %.17g
 * (the run writer's rule; NaN gives ""). */
void cp_store_format_double(double v, char *buf, size_t cap);

/* --- HTML report (src/outputs/report*.c, docs/report.md) ------------- */
typedef struct cp_report_opts {
    const char *title;            /* NULL: from summary.json */
    const char *source;           /* shown in the footer: "run 3 in ...", "DIR" */
    const char *scenario_text;    /* shown folded when present */
} cp_report_opts;

/* Write a self-contained HTML report from a summary (JSON text) and the
 * rows fed by each_row (may be NULL). */
int cp_report_write(const char *out_path, const char *summary_json,
                    int (*each_row)(void *ctx, cp_store_row_fn fn, void *fnctx, cp_error *err),
                    void *ctx, const cp_report_opts *opts, cp_error *err);
/* The report of an output directory (summary.json, timeseries.csv). */
int cp_report_from_dir(const char *dir, const char *out_path, const cp_report_opts *opts,
                       cp_error *err);
/* The report of a stored run. */
int cp_report_from_store(cp_store *s, long long id, const char *out_path,
                         const cp_report_opts *opts, cp_error *err);

/* ======================================================================
 * scenario: YAML scenario files -> a configured run
 * ==================================================================== */
/* @@SCENARIO@@ */
/* --- scenarios (src/scenario/scn*.c, docs/ario.md) -------------------
 * A YAML file naming a table, the model section (`ario:` with BoARIO's
 * parameter names), `events:` and `outputs:`.  Parsing checks every key
 * (unknown ones get the closest known key as a hint), type and range and
 * reports every error at once, each as file:line:col; nothing runs on
 * half-valid input.  Sections are dispatched from a table, so later ones
 * (controls, uncertainty, extends) slot in. */
typedef enum cp_scn_ev_type {
    CP_SCN_EV_CAPACITY_LOSS = 0,
    CP_SCN_EV_FLOW_CAP,
    CP_SCN_EV_FD_CHANGE,
    CP_SCN_EV_CAPACITY_CAP
} cp_scn_ev_type;

typedef struct cp_scn_event {
    cp_scn_ev_type type;
    long line, col;              /* of the event in the file */
    char *file;                  /* that file (a base scenario, with extends:) */
    char **regions; size_t nregions;   /* affected (loss, fd change, capacity cap) */
    char **sectors; size_t nsectors;   /* NULL = all sectors */
    double share;                /* capacity_loss */
    long occurrence, duration;   /* duration < 0: to the end */
    double recovery_tau;
    /* flow_cap: product from region `from` to region(s) `to` */
    char *product, *from;
    char **to; size_t nto;       /* NULL: every other region */
    char **industries; size_t nindustries; /* buyer sectors; NULL = all */
    int final_demand;            /* cap deliveries to final demand too */
    int intermediate;            /* cap deliveries to industries */
    double *series; size_t nseries; /* cap / capacity fraction per step */
    double factor;               /* fd change */
    char **fd_categories; size_t nfd_categories; /* NULL = all */
} cp_scn_event;

typedef struct cp_scn {
    char *path;                  /* the scenario file */
    char *name;
    char *table;                 /* as written */
    char *table_path;            /* resolved against the file's directory */
    char *table_file;            /* the file that wrote table: (a base, with extends:) */
    long table_line, table_col;  /* where its value is */
    char *start_date;            /* YYYY-MM-DD or NULL */
    char *model;                 /* "ario" */
    cp_ario_params ario;
    char **inv_sectors; double *inv_days; size_t ninv; /* inventory_dict */
    long *inv_line, *inv_col;                          /* [ninv] where each entry is */
    char **priority; size_t npriority;                 /* rationing priority */
    long prio_line, prio_col;                          /* where the list is */
    cp_scn_event *events; size_t nevents;
    int out_timeseries, out_inventories;
    struct cp_scn_ctl *ctl;      /* economy: and controls: sections (scn_controls.c), NULL if neither */
    struct cp_scn_unc *unc;      /* uncertainty: section (scn_unc.c), NULL without one */
} cp_scn;

/* Parse and check a scenario file; on failure err holds every error (one
 * per line, each file:line:col: what; hint). */
int cp_scn_load(cp_scn *s, const char *path, cp_error *err);
/* Same from text in memory (name used in messages and to resolve paths). */
int cp_scn_parse(cp_scn *s, const char *name, const char *text, size_t len, cp_error *err);
void cp_scn_free(cp_scn *s);
/* Resolve labels against the table and build the model with its events.
 * Label errors name the event's file:line:col and the known labels. */
int cp_scn_build_ario(const cp_scn *s, const cp_table *t, cp_ario **out, cp_error *err);
/* The scenario with every default filled in, as YAML text (malloc'd). */
char *cp_scn_resolved_yaml(const cp_scn *s);
/* Levenshtein distance (for "did you mean" hints). */
size_t cp_scn_edit_distance(const char *a, const char *b);
/* --- horizon checks (src/scenario/scn_run.c) -------------------------
 * `run` and `compare` step through cp_res_run_ario (results layer). */
/* Refuse events that start after the last step (each at its file:line:col);
 * call once the number of steps is final (`run --steps` overrides it). */
int cp_scn_check_horizon(const cp_scn *s, cp_error *err);

/* @@CASE@@ */
/* --- the economy: and controls: sections of a scenario (src/scenario/
 * scn_controls.c, docs/japan-case.md) ----------------------------------
 * economy: {table: NAME, scale_to_gdp: {value: V, unit: U, year: Y}}
 * expresses the table at year Y's prices: every flow (Z, Y, V, x) is
 * multiplied by V / GDP(table), GDP = cp_table_gdp (value added incl.
 * MIC's ohcr row, plus net taxes), so the scaled table's GDP is V.  That
 * is the one place a price year enters.  controls: couples the export-
 * control layer: account and regime files, an inline regime, switches
 * and overrides; cp_scn_controls_run turns it into a capacity-cap series
 * for the dynamic engine. */
typedef struct cp_scn_ctl cp_scn_ctl;

/* Release the parsed sections (cp_scn_free calls it). */
void cp_scn_ctl_free(cp_scn_ctl *c);
/* The economy: section applied to the opened table: scale it in place
 * when scale_to_gdp is set (the unit must match the table's), and
 * remember the factor.  No-op without the section. */
int cp_scn_economy_apply(cp_scn *s, cp_table *t, cp_error *err);
/* The price year of the run's money figures: scale_to_gdp's year, else
 * the table's year. */
int cp_scn_price_year(const cp_scn *s, const cp_table *t);
/* The factor cp_scn_economy_apply used (1 when none). */
double cp_scn_scale_factor(const cp_scn *s);
/* 1 if the scenario has a controls: section. */
int cp_scn_has_controls(const cp_scn *s);
/* The criticality multiplier of the controls: section (1 when unset). */
double cp_scn_criticality_scale(const cp_scn *s);
/* Set it (calibration); v > 0. */
void cp_scn_set_criticality_scale(cp_scn *s, double v);
/* controls.outputs: write monthly.csv / by_industry.csv (1 each by
 * default, and without a controls: section). */
void cp_scn_case_outputs(const cp_scn *s, int *monthly_csv, int *by_industry_csv);
/* Load the account and regime files, add the inline regime, apply the
 * switches and overrides, check, bind to t and run the controls layer
 * from start_date for the scenario's steps (one day each).  *model and
 * *res are NULL when the scenario has no controls: section.  Errors name
 * the scenario's (or a data file's) file:line:col with a hint. */
int cp_scn_controls_run(const cp_scn *s, const cp_table *t, cp_ctl_model **model,
                        cp_ctl_result **res, cp_error *err);
/* Hand the controls' capacity caps to the model (cp_ario_set_capacity_cap). */
int cp_scn_controls_couple(const cp_ctl_model *model, const cp_ctl_result *res,
                           const cp_table *t, cp_ario *m, cp_error *err);

/* --- case results (src/results/res_case.c, docs/outputs.md) ----------
 * GDP loss = value added lost over the horizon: sum over steps and
 * industries of va_i / x_i × (x_i(0) − x_i(t)) (the summary's
 * value_added_loss), in the table unit at the price year; gdp_loss_pct =
 * 100 × that / annual GDP of the (scaled) table.  By industry and by
 * calendar month (from the start date; 30-day blocks without one). */
typedef struct cp_res_case {
    size_t n;                 /* industries */
    double gdp;               /* annual GDP of the table, table unit */
    double gdp_loss;          /* value-added loss over the horizon */
    double gdp_loss_pct;      /* % of annual GDP */
    double output_loss;       /* production loss over the horizon */
    int price_year;
    double scale_factor;      /* economy.scale_to_gdp factor (1 = none); set by the caller */
    int no_monthly_csv, no_by_industry_csv; /* skip those files (controls.outputs); caller */
    double *ind_output_loss;  /* [n] table unit */
    double *ind_va_loss;      /* [n] */
    double *ind_output_loss_pct; /* [n] % of the industry's output over the horizon */
    size_t *order;            /* [n] industries by VA loss, largest first */
    size_t nmonths;
    char (*month)[16];        /* [nmonths] "YYYY-MM" (or "M01"...) */
    long *month_days;         /* [nmonths] days of the run in the month */
    double *month_output_loss, *month_va_loss; /* [nmonths] table unit */
    double *month_output_loss_pct;             /* % of baseline output of those days */
    size_t nmat;              /* materials (0 without controls) */
    char (*mat)[4];           /* [nmat] element symbols */
    int *mat_controlled;      /* [nmat] 1 if controlled within the horizon */
    double *month_avail;      /* [m*nmat + k] material used / need, mean over the month's days */
} cp_res_case;

/* Compute from a finished run.  start_day: day number of step 0 (as
 * cp_ctl_date_parse), or CP_CTL_DAY_MIN for 30-day blocks; m/cr may be
 * NULL (no material columns).  One step must be one day when dated. */
int cp_res_case_compute(cp_res_case *c, const cp_table *t, const cp_res_run *r, long start_day,
                        const cp_ctl_model *m, const cp_ctl_result *cr, int price_year,
                        cp_error *err);
void cp_res_case_free(cp_res_case *c);
/* Write by_industry.csv and monthly.csv into dir and add gdp_loss,
 * gdp_loss_pct, by_industry and monthly to dir/summary.json (written
 * before by cp_out_run_write). */
int cp_out_case_write(const char *dir, const cp_table *t, const cp_res_case *c, cp_error *err);
/* Write dir/materials.csv, the controls' daily ledgers (long:
 * step,date,element,variable,value; tonnes of element content per day,
 * stocks at the end of the day): need, exporter, other, used, inventory,
 * stockpile, release, shortfall (docs/controls.md §2). */
int cp_out_ctl_ledgers(const char *dir, const cp_ctl_model *m, const cp_ctl_result *r,
                       cp_error *err);
/* (end of @@CASE@@) */

/* @@SCENARIO-UNC@@ */
/* --- the uncertainty: section and the Monte Carlo model of a scenario
 * (src/scenario/scn_unc.c, scn_mc.c; docs/uncertainty.md) --------------
 * uncertainty: {draws, seed, threads, percentiles, account_ranges,
 * range_shape, sampling: mc | lhs, parameters: {PATH: DIST},
 * correlations: [[P, Q, r]]}.
 * PATH is a scenario parameter (controls.regime.approval_share,
 * controls.regime.review_working_days, controls.criticality_scale,
 * ario.psi_param | alpha_base | alpha_max | alpha_tau | main_inv_dur |
 * inventory_restoration_tau) or an account range path
 * (supply[Dy].inventory_days, use[Dy,3531].criticality; '*' matches any
 * text, one draw for every match).  By default every [low, central, high]
 * range of the satellite account that the scenario does not fix is a
 * parameter too (triangular, mode = central, unless range_shape says pert
 * or uniform). */
typedef struct cp_scn_unc_param {
    char path[128];              /* as written */
    cp_unc_dist dist;            /* checked */
    char file[256];              /* where it was written */
    long line, col;
} cp_scn_unc_param;

typedef struct cp_scn_unc_corr {
    char a[128], b[128];
    double r;                    /* Spearman, -1 < r < 1 */
    char file[256];
    long line, col;
} cp_scn_unc_corr;

typedef struct cp_scn_unc {
    long line, col;              /* of the uncertainty: key */
    char file[256];
    size_t draws;                /* default 1000 */
    uint64_t seed;               /* default 1 */
    size_t threads;              /* 0 (default): one per core */
    double pct[16]; size_t npct; /* default 5 25 50 75 95 */
    int account_ranges;          /* default 1 */
    char range_shape[16];        /* triangular (default), pert, uniform */
    cp_unc_sampling sampling;    /* CP_UNC_SAMPLING_MC (default) or _LHS (Latin hypercube) */
    cp_scn_unc_param *par; size_t npar;
    cp_scn_unc_corr *corr; size_t ncorr;
} cp_scn_unc;

void cp_scn_unc_free(cp_scn_unc *u);
/* The scenario's section, or defaults (static storage) when it has none. */
const cp_scn_unc *cp_scn_uncertainty(const cp_scn *s, cp_scn_unc *defaults);

/* The Monte Carlo model: a scenario with economy: and controls: (loaded,
 * its table opened and cp_scn_economy_apply'd) whose uncertain parameters
 * are drawn, each draw run through the controls layer and ARIO exactly as
 * `run` runs the scenario.  Output of a draw (ny doubles):
 *   [0] GDP loss (table unit)  [1] GDP loss, % of GDP  [2] production loss
 *   [3] final demand unmet     then steps values of total production per
 *   step, steps of value added lost per step, nmonths of VA lost per month,
 *   nmonths of output lost per month, steps of final demand unmet per step,
 *   nmonths × nmat of material availability (used / need over the month,
 *   month-major: [q*nmat + k], as cp_res_case's month_avail). */
typedef struct cp_scn_mc cp_scn_mc;
enum { CP_MC_GDP_LOSS = 0, CP_MC_GDP_LOSS_PCT, CP_MC_PRODUCTION_LOSS, CP_MC_FD_UNMET,
       CP_MC_NHEAD };
int cp_scn_mc_new(cp_scn_mc **out, const cp_scn *s, const cp_table *t, cp_error *err);
void cp_scn_mc_free(cp_scn_mc *mc);
/* Parameters (d), their distributions and names. */
size_t cp_scn_mc_nparams(const cp_scn_mc *mc);
const cp_unc_dist *cp_scn_mc_dists(const cp_scn_mc *mc);
/* Target rank-correlation matrix (d × d) or NULL when none is given. */
const double *cp_scn_mc_corr(const cp_scn_mc *mc);
/* The runner's model (ny, eval, per-thread workspace). */
cp_unc_model cp_scn_mc_model(cp_scn_mc *mc);
/* Output layout. */
size_t cp_scn_mc_steps(const cp_scn_mc *mc);
size_t cp_scn_mc_nmonths(const cp_scn_mc *mc);
const char *cp_scn_mc_month(const cp_scn_mc *mc, size_t k);   /* "YYYY-MM" */
/* Offsets into a draw's output of the four series. */
size_t cp_scn_mc_off_production(const cp_scn_mc *mc);
size_t cp_scn_mc_off_va_loss(const cp_scn_mc *mc);
size_t cp_scn_mc_off_month_va(const cp_scn_mc *mc);
size_t cp_scn_mc_off_month_output(const cp_scn_mc *mc);
size_t cp_scn_mc_off_fd_unmet(const cp_scn_mc *mc);
size_t cp_scn_mc_off_month_avail(const cp_scn_mc *mc);
/* Materials of the account (element symbols) and whether the scenario's
 * regimes control them within the horizon. */
size_t cp_scn_mc_nmat(const cp_scn_mc *mc);
const char *cp_scn_mc_material(const cp_scn_mc *mc, size_t k);
int cp_scn_mc_material_controlled(const cp_scn_mc *mc, size_t k);
/* Baseline total production per step and annual GDP (table unit). */
double cp_scn_mc_baseline_production(const cp_scn_mc *mc);
double cp_scn_mc_gdp(const cp_scn_mc *mc);
/* Per-industry outputs, appended to a draw's output after the material
 * availability (off by default; set before cp_scn_mc_model, it changes
 * ny): CP_MC_SECTORS adds n values of each industry's value-added loss
 * over the horizon, then n of its output loss (table unit; they sum over
 * industries to the draw's GDP loss and production loss); CP_MC_SECTOR_MONTHS
 * adds nmonths × n of each industry's value-added loss per month,
 * month-major ([q*n + i]).  i is the table's industry index.  A model
 * from cp_scn_mc_model must not be run after the flags change (its ny is
 * the old one): take a new one. */
enum { CP_MC_SECTORS = 1u, CP_MC_SECTOR_MONTHS = 2u };
void cp_scn_mc_set_outputs(cp_scn_mc *mc, unsigned flags);
unsigned cp_scn_mc_outputs(const cp_scn_mc *mc);
size_t cp_scn_mc_nsectors(const cp_scn_mc *mc);
size_t cp_scn_mc_off_sector_va(const cp_scn_mc *mc);
size_t cp_scn_mc_off_sector_output(const cp_scn_mc *mc);
size_t cp_scn_mc_off_sector_month_va(const cp_scn_mc *mc);
/* (end of @@SCENARIO-UNC@@) */

#ifdef __cplusplus
}
#endif
#endif /* CHOKEPOINT_H */
