/*
 * import_mic.c — read Japan's input–output table as published by the
 * Ministry of Internal Affairs and Communications (MIC), 平成27年(2015年)
 * 産業連関表 取引基本表: transactions at producer prices, competitive-import
 * type, in billion JPY, as a CSV of
 *
 *   row,<sector codes...>,<final-demand codes...>,Total
 *   <sector code>,Z row...,Y row...,x
 *   ...
 *   <value-added codes>,V row...,(blank under final demand)
 *   Total,column totals...
 *
 * plus a names file (code,name_en[,name_ja]) giving each sector's English
 * name.  Codes are labels (the 37-sector table lists 39 after 16), kept in
 * the file's order.  Final-demand and value-added codes are MIC's:
 *
 *   ohcc hhco npco govc gvco gosc     consumption (household consumption
 *                                     outside households, households,
 *                                     NPISH, government)
 *   invg invp                         investment (public / private GFCF)
 *   stck                              inventory change
 *   expo expd                         exports (ordinary / direct purchases)
 *   impo impd imta imtx               imports and import tariffs/taxes,
 *                                     negative
 *   ohcr epin wage ssce othp opse     value added (household consumption
 *   depr drsc                         outside households, employee income or
 *                                     wages / social contributions / other,
 *                                     operating surplus, depreciation,
 *                                     depreciation adjustment)
 *   idtx subs                         taxes: indirect taxes, subsidies (<0)
 *
 * The Total column is total output x; the Total row is checked against the
 * column sums (Z plus value added) and against x, and the whole file is
 * refused if they disagree beyond the balance tolerance: a published total
 * that the published cells do not add up to means the file was damaged.
 * Both totals are then dropped (they are derivable).
 */
#include "chokepoint.h"
#include "import_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* MIC's final-demand codes and their kinds. */
static const struct { const char *code; cp_fd_kind kind; } mic_fd[] = {
    {"ohcc", CP_FD_CONSUMPTION}, {"hhco", CP_FD_CONSUMPTION}, {"npco", CP_FD_CONSUMPTION},
    {"govc", CP_FD_CONSUMPTION}, {"gvco", CP_FD_CONSUMPTION}, {"gosc", CP_FD_CONSUMPTION},
    {"invg", CP_FD_INVESTMENT},  {"invp", CP_FD_INVESTMENT},  {"stck", CP_FD_INVENTORY},
    {"expo", CP_FD_EXPORT},      {"expd", CP_FD_EXPORT},      {"impo", CP_FD_IMPORT},
    {"impd", CP_FD_IMPORT},      {"imta", CP_FD_IMPORT},      {"imtx", CP_FD_IMPORT},
};

/* MIC's value-added codes and their kinds. */
static const struct { const char *code; cp_va_kind kind; } mic_va[] = {
    {"ohcr", CP_VA_VALUE_ADDED}, {"epin", CP_VA_VALUE_ADDED}, {"wage", CP_VA_VALUE_ADDED},
    {"ssce", CP_VA_VALUE_ADDED}, {"othp", CP_VA_VALUE_ADDED}, {"opse", CP_VA_VALUE_ADDED},
    {"depr", CP_VA_VALUE_ADDED}, {"drsc", CP_VA_VALUE_ADDED}, {"idtx", CP_VA_TAX},
    {"subs", CP_VA_TAX},
};

static const char mic_known[] =
    "MIC final-demand columns are ohcc hhco npco govc gvco gosc invg invp stck expo expd impo impd imta imtx, "
    "value-added rows ohcr epin wage ssce othp opse depr drsc idtx subs, totals 'Total'; "
    "sector codes come first, in the same order in rows and columns";

/* Sort a MIC label: final demand and Total columns, value-added and Total
 * rows; anything else is a sector code. */
static int mic_classify(const char *lab, int is_row, int *sub)
{
    if (strcmp(lab, "Total") == 0) return is_row ? CP_GRID_TOTAL : CP_GRID_X;
    for (size_t k = 0; k < sizeof mic_fd / sizeof *mic_fd; k++)
        if (strcmp(lab, mic_fd[k].code) == 0) {
            *sub = (int)mic_fd[k].kind;
            return is_row ? CP_GRID_UNKNOWN : CP_GRID_FD;
        }
    for (size_t k = 0; k < sizeof mic_va / sizeof *mic_va; k++)
        if (strcmp(lab, mic_va[k].code) == 0) {
            *sub = (int)mic_va[k].kind;
            return is_row ? CP_GRID_VA : CP_GRID_UNKNOWN;
        }
    return CP_GRID_IND;
}

/* |a - b| within tol relative to max(|a|, floor). */
static int agrees(double a, double b, double tol, double floor)
{
    double d = fabs(a) > floor ? fabs(a) : floor;
    return fabs(a - b) <= tol * d;
}

/* Check the published totals and take x from the Total column. */
static int mic_totals(cp_table *t, const cp_grid *g, double tol, cp_error *err)
{
    long xc = cp_grid_find_col(g, CP_GRID_X), tr = cp_grid_find_row(g, CP_GRID_TOTAL);
    const char *f = g->csv.name;
    int rc;
    if (xc < 0)
        return cp_error_at(err, CP_EINPUT, f, 1, 0,
            "no 'Total' column; hint: MIC tables end with a Total column (total domestic output)");
    if (tr < 0)
        return cp_error_at(err, CP_EINPUT, f, 0, 0,
            "no 'Total' row; hint: MIC tables end with a Total row (column totals), which chokepoint checks");
    size_t n = t->n, xcol = (size_t)xc, trow = (size_t)tr;
    for (size_t i = 0; i < n; i++) {
        if ((rc = cp_grid_need(g, i, xcol, err))) return rc;
        t->x[i] = g->v[i * g->nc + xcol];
    }
    double floor = 1e-6 * cp_table_total_output(t) / (double)n;
    /* value-added and Total rows have nothing under final demand */
    for (size_t r = g->n; r < g->nr; r++)
        for (size_t c = g->n; c < g->nc; c++)
            if (g->rcls[r] == CP_GRID_VA && !g->empty[r * g->nc + c] && g->v[r * g->nc + c] != 0)
                return cp_error_at(err, CP_EINPUT, f, cp_grid_line(g, r, c), cp_grid_col(g, r, c),
                    "value-added row '%s' has %g in column '%s'; hint: chokepoint keeps value added by industry only — MIC leaves these cells blank",
                    cp_grid_rowlab(g, r, 0), g->v[r * g->nc + c], cp_grid_collab(g, c));
    /* Total row: every column it states must be the sum of the rows above */
    for (size_t c = 0; c < g->nc; c++) {
        int is_ind = c < n;
        if (!is_ind && g->empty[trow * g->nc + c]) continue;
        if ((rc = cp_grid_need(g, trow, c, err))) return rc;
        double sum = 0, pub = g->v[trow * g->nc + c];
        for (size_t r = 0; r < g->nr; r++)
            if (g->rcls[r] == CP_GRID_IND || g->rcls[r] == CP_GRID_VA) sum += g->v[r * g->nc + c];
        if (c == xcol) sum = cp_table_total_output(t);
        if (!agrees(pub, sum, tol, floor))
            return cp_error_at(err, CP_EINPUT, f, cp_grid_line(g, trow, c), cp_grid_col(g, trow, c),
                "Total of column '%s' is %.10g bn JPY but the column sums to %.10g (gap %.3g); hint: the file is inconsistent — a cell was changed or a row dropped; re-export it from MIC's table",
                cp_grid_collab(g, c), pub, sum, pub - sum);
        if (is_ind && !agrees(pub, t->x[c], tol, floor))
            return cp_error_at(err, CP_EINPUT, f, cp_grid_line(g, trow, c), cp_grid_col(g, trow, c),
                "column total of '%s' is %.10g bn JPY but its row total (output) is %.10g; hint: input and output of an industry must be equal in MIC's table",
                cp_grid_collab(g, c), pub, t->x[c]);
    }
    /* Total column: rows of value added may state their totals too */
    for (size_t r = n; r < g->nr; r++) {
        if (g->rcls[r] != CP_GRID_VA || g->empty[r * g->nc + xcol]) continue;
        double sum = 0, pub = g->v[r * g->nc + xcol];
        for (size_t j = 0; j < n; j++) sum += g->v[r * g->nc + j];
        if (!agrees(pub, sum, tol, floor))
            return cp_error_at(err, CP_EINPUT, f, cp_grid_line(g, r, xcol), cp_grid_col(g, r, xcol),
                "Total of row '%s' is %.10g bn JPY but the row sums to %.10g; hint: the file is inconsistent",
                cp_grid_rowlab(g, r, 0), pub, sum);
    }
    return 0;
}

/* Fill sector names from the names file: header with 'code' and 'name_en'
 * columns; every sector of the table needs a name. */
static int mic_names(cp_table *t, const char *path, const cp_load_opts *o, cp_error *err)
{
    cp_csv c;
    cp_csv_opts co = o->csv;
    co.delim = ',';
    int rc = cp_csv_read(&c, path, &co, err);
    if (rc) return rc;
    size_t w = cp_csv_ncols(&c, 0);
    long kc = -1, kn = -1;
    for (size_t j = 0; j < w; j++) {
        if (strcmp(cp_csv_get(&c, 0, j), "code") == 0) kc = (long)j;
        if (strcmp(cp_csv_get(&c, 0, j), "name_en") == 0) kn = (long)j;
    }
    if (kc < 0 || kn < 0) {
        rc = cp_error_at(err, CP_EINPUT, path, 1, 0,
            "header needs columns 'code' and 'name_en'; hint: a names file reads code,name_en (one sector a line)");
        goto out;
    }
    for (size_t r = 1; r < c.nrows; r++) {
        if ((rc = cp_csv_expect_cols(&c, r, w, err)) ||
            (rc = cp_imp_need_label(&c, r, (size_t)kc, "sector code", err)) ||
            (rc = cp_imp_need_label(&c, r, (size_t)kn, "English name", err)))
            goto out;
        for (size_t q = 1; q < r; q++)
            if (strcmp(cp_csv_get(&c, q, (size_t)kc), cp_csv_get(&c, r, (size_t)kc)) == 0) {
                rc = cp_error_at(err, CP_EINPUT, path, cp_imp_line(&c, r, (size_t)kc),
                    cp_imp_col(&c, r, (size_t)kc),
                    "sector code '%s' appears twice (first on line %ld); hint: one name per code",
                    cp_csv_get(&c, r, (size_t)kc), cp_imp_line(&c, q, 0));
                goto out;
            }
    }
    for (size_t i = 0; i < t->n; i++) {
        size_t r;
        for (r = 1; r < c.nrows; r++)
            if (strcmp(cp_csv_get(&c, r, (size_t)kc), t->sector[i]) == 0) break;
        if (r == c.nrows) {
            rc = cp_error_at(err, CP_EINPUT, path, 0, 0,
                "no English name for sector '%s'; hint: add a line '%s,<name>' (codes are text: keep leading zeros)",
                t->sector[i], t->sector[i]);
            goto out;
        }
        if ((rc = cp_imp_str(&t->sector_name[i], cp_csv_get(&c, r, (size_t)kn), err))) goto out;
    }
out:
    cp_csv_free(&c);
    return rc;
}

/* Read a MIC 2015 table and its names file (names may be NULL: sector
 * names then equal the codes).  See the file comment. */
int cp_import_mic(cp_table **out, const char *io_csv, const char *names_csv,
                  const cp_load_opts *opts, cp_import_report *rep, cp_error *err)
{
    cp_imp_report_clear(rep);
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    cp_grid g;
    cp_table *t = NULL;
    *out = NULL;
    int rc = cp_grid_read(&g, io_csv, 1, mic_classify, "MIC", mic_known, &o, err);
    if (rc) return rc;
    if ((rc = cp_grid_table(&t, &g, "JPN", 0, err))) goto fail;
    if ((rc = mic_totals(t, &g, o.validate.tol, err))) goto fail;
    if (names_csv && (rc = mic_names(t, names_csv, &o, err))) goto fail;
    char name[64], title[256];
    snprintf(name, sizeof name, "japan-2015-%zu", t->n);
    snprintf(title, sizeof title,
             "Japan 2015 input-output table (MIC), %zu sectors, transactions at producer prices, competitive imports",
             t->n);
    if ((rc = cp_imp_meta(t, name, title, "bn JPY", "producer prices", "competitive", 2015, err)))
        goto fail;
    if ((rc = cp_imp_validate(t, &o, 1, 0, err))) goto fail;
    cp_balance_report b;
    cp_table_balance(t, &b);
    cp_imp_note(rep, "- Sector codes kept as labels in the file's order; region set to JPN.\n");
    cp_imp_note(rep, "- Total column taken as total output x; the Total row was checked against the column sums (intermediate inputs + value added) and against x, within %g relative, then both totals were dropped.\n",
                o.validate.tol);
    cp_imp_note(rep, "- Final-demand kinds: ohcc hhco npco govc gvco gosc = consumption; invg invp = investment; stck = inventory; expo expd = export; impo impd imta imtx = import (negative entries).\n");
    cp_imp_note(rep, "- Value-added kinds: ohcr epin wage ssce othp opse depr drsc = value_added (ohcr, household consumption outside households, is in value added as in MIC's table, so GDP here includes it); idtx subs = tax.\n");
    cp_imp_note(rep, "- Balance found: worst row %s %.3g relative (%.3g bn JPY), worst column %s %.3g relative (%.3g bn JPY); %zu negative intermediate flows (by-products and scrap, as published).\n",
                t->sector[b.worst_row], b.worst_row_rel, b.worst_row_abs, t->sector[b.worst_col],
                b.worst_col_rel, b.worst_col_abs, b.negative_cells);
    cp_imp_note(rep, "- Total output %.1f bn JPY; value added incl. net taxes (GDP at the table's prices) %.1f bn JPY.\n",
                cp_table_total_output(t), cp_table_gdp(t));
    cp_grid_free(&g);
    *out = t;
    return 0;
fail:
    cp_grid_free(&g);
    cp_table_free(t);
    return rc;
}
