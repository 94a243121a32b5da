/*
 * import_oecd.c — read an OECD national input–output table (NIOT), 2021
 * edition, as a CSV of
 *
 *   "Code","Description",01..45,HFCE,NPISH,GGFC,GFCF,INVNT,CONS_ABR,
 *                               CONS_NONRES,EXPO,IMPO
 *   "01","Agriculture, hunting, forestry",Z row...,Y row...
 *   ...                                   (45 ISIC rev.4 industries)
 *   TXS_IMP_FNL  taxes less subsidies on imported products
 *   TXS_INT_FNL  taxes less subsidies on domestic products
 *   TTL_INT_FNL  total intermediate consumption at purchasers' prices
 *   VALU         value added at basic prices
 *   OUTPUT       output at basic prices
 *
 * in million USD, current prices, total flows (domestic and imported
 * products together; IMPO is a negative final-demand column, so the table
 * is of the competitive-import type).
 *
 * Mapping: HFCE, NPISH, GGFC -> consumption; GFCF -> investment; INVNT ->
 * inventory; EXPO -> export; IMPO -> import.  CONS_ABR (direct purchases
 * abroad by residents) and CONS_NONRES (direct purchases by non-residents
 * in the domestic market) are the two sides of the tourism adjustment
 * that converts domestic into national consumption; they are neither
 * household consumption of domestic products nor trade in goods, so they
 * are kept apart as kind "other".  TXS_* rows -> tax, VALU ->
 * value_added; OUTPUT -> x; TTL_INT_FNL is checked (= column sum of Z and
 * the two tax rows) and dropped.
 *
 * The tax rows also have cells under final demand (net taxes on products
 * bought by households, government, ...).  cp_table keeps value added by
 * industry only, so these cells are dropped and their total reported: GDP
 * in the imported table is value added plus net taxes on intermediate
 * use, and the final-demand side loses the same amount, so the identity
 * GDP = sum of final demand still holds.
 *
 * Balance: the source is rounded to 0.1 M USD; the 2018 JPN table's rows
 * miss output by up to 2.5e-4 relative (0.4 M USD, in mining, a small
 * industry) and its columns by up to 1.9e-4; CHN by about 1e-5.  The
 * importer validates at CP_OECD_BALANCE_TOL (1e-3) and reports what it
 * found.
 */
#include "chokepoint.h"
#include "import_util.h"
#include "core/utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OECD final-demand columns and their kinds. */
static const struct { const char *code; cp_fd_kind kind; } oecd_fd[] = {
    {"HFCE", CP_FD_CONSUMPTION}, {"NPISH", CP_FD_CONSUMPTION}, {"GGFC", CP_FD_CONSUMPTION},
    {"GFCF", CP_FD_INVESTMENT},  {"INVNT", CP_FD_INVENTORY},   {"CONS_ABR", CP_FD_OTHER},
    {"CONS_NONRES", CP_FD_OTHER}, {"EXPO", CP_FD_EXPORT},      {"IMPO", CP_FD_IMPORT},
};

static const char oecd_known[] =
    "OECD NIOT final-demand columns are HFCE NPISH GGFC GFCF INVNT CONS_ABR CONS_NONRES EXPO IMPO, "
    "special rows TXS_IMP_FNL TXS_INT_FNL TTL_INT_FNL VALU OUTPUT; industries come first, in the same order in rows and columns";

/* Sort an OECD label. */
static int oecd_classify(const char *lab, int is_row, int *sub)
{
    if (is_row) {
        if (strcmp(lab, "TXS_IMP_FNL") == 0 || strcmp(lab, "TXS_INT_FNL") == 0) {
            *sub = CP_VA_TAX;
            return CP_GRID_VA;
        }
        if (strcmp(lab, "VALU") == 0) { *sub = CP_VA_VALUE_ADDED; return CP_GRID_VA; }
        if (strcmp(lab, "TTL_INT_FNL") == 0) return CP_GRID_CHECK;
        if (strcmp(lab, "OUTPUT") == 0) return CP_GRID_X;
    }
    for (size_t k = 0; k < sizeof oecd_fd / sizeof *oecd_fd; k++)
        if (strcmp(lab, oecd_fd[k].code) == 0) {
            *sub = (int)oecd_fd[k].kind;
            return is_row ? CP_GRID_UNKNOWN : CP_GRID_FD;
        }
    if (!is_row && (strcmp(lab, "OUTPUT") == 0 || strncmp(lab, "TXS_", 4) == 0 ||
                    strcmp(lab, "VALU") == 0 || strcmp(lab, "TTL_INT_FNL") == 0))
        return CP_GRID_UNKNOWN;
    return CP_GRID_IND;
}

/* Take region (3 upper-case letters) and year (4 digits) from a file name
 * like oecd2021_niot_JPN_2018_musd.csv: the pattern _XXX_YYYY_. */
static void guess_region_year(const char *path, char region[8], int *year)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    region[0] = '\0';
    for (const char *p = b; *p; p++) {
        if (p[0] != '_') continue;
        if (isupper((unsigned char)p[1]) && isupper((unsigned char)p[2]) &&
            isupper((unsigned char)p[3]) && p[4] == '_' && isdigit((unsigned char)p[5]) &&
            isdigit((unsigned char)p[6]) && isdigit((unsigned char)p[7]) &&
            isdigit((unsigned char)p[8]) && (p[9] == '_' || p[9] == '.')) {
            memcpy(region, p + 1, 3);
            region[3] = '\0';
            *year = atoi(p + 5);
            return;
        }
    }
}

/* Read an OECD NIOT; see the file comment. */
int cp_import_oecd(cp_table **out, const char *csv, const char *region, int year,
                   const cp_load_opts *opts, cp_import_report *rep, cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    cp_grid g;
    cp_table *t = NULL;
    *out = NULL;
    cp_imp_report_clear(rep);
    char greg[8];
    int gyear = 0;
    guess_region_year(csv, greg, &gyear);
    if (!region || !*region) region = greg;
    if (cp_utf8_bad(region, strlen(region)) != strlen(region))
        return cp_error_set(err, CP_EUSAGE,
            "the region code is not UTF-8 text; hint: give a code such as JPN (chokepoint import oecd --region JPN)");
    if (year <= 0) year = gyear;
    if (!*region || year <= 0)
        return cp_error_at(err, CP_EINPUT, csv, 0, 0,
            "cannot tell the country and year from the file name; hint: give them (chokepoint import oecd --region JPN --year 2018), or keep OECD's file name pattern _JPN_2018_");
    int rc = cp_grid_read(&g, csv, 2, oecd_classify, "OECD NIOT", oecd_known, &o, err);
    if (rc) return rc;
    if ((rc = cp_grid_table(&t, &g, region, 0, err))) goto fail;
    size_t n = t->n;
    long xr = cp_grid_find_row(&g, CP_GRID_X), cr = cp_grid_find_row(&g, CP_GRID_CHECK);
    if (xr < 0) {
        rc = cp_error_at(err, CP_EINPUT, csv, 0, 0,
            "no OUTPUT row; hint: the OECD NIOT ends with the OUTPUT row (output at basic prices), chokepoint's total output");
        goto fail;
    }
    double tol = o.validate.tol > CP_OECD_BALANCE_TOL ? o.validate.tol : CP_OECD_BALANCE_TOL;
    for (size_t j = 0; j < n; j++) {
        if ((rc = cp_grid_need(&g, (size_t)xr, j, err))) goto fail;
        t->x[j] = g.v[(size_t)xr * g.nc + j];
        if ((rc = cp_imp_str(&t->sector_name[j], cp_grid_rowlab(&g, j, 1), err))) goto fail;
    }
    double floor = 1e-6 * cp_table_total_output(t) / (double)n;
    /* Cells under final demand in the non-industry rows: OUTPUT, VALU and
     * TTL_INT_FNL must be empty or 0; the tax rows' are dropped. */
    double fd_tax = 0;
    for (size_t r = n; r < g.nr; r++)
        for (size_t c = n; c < g.nc; c++) {
            double v = g.v[r * g.nc + c];
            if (g.rcls[r] == CP_GRID_VA && g.rsub[r] == CP_VA_TAX) { fd_tax += v; continue; }
            if (g.rcls[r] == CP_GRID_CHECK) continue;
            if (v != 0) {
                rc = cp_error_at(err, CP_EINPUT, csv, cp_grid_line(&g, r, c), cp_grid_col(&g, r, c),
                    "row '%s' has %g under final-demand column '%s'; hint: the OECD layout has only zeros there — is the file from a different release?",
                    cp_grid_rowlab(&g, r, 0), v, cp_grid_collab(&g, c));
                goto fail;
            }
        }
    /* TTL_INT_FNL = column sum of Z + the tax rows, per industry. */
    double ttl_worst = 0;
    if (cr >= 0) {
        for (size_t j = 0; j < n; j++) {
            if ((rc = cp_grid_need(&g, (size_t)cr, j, err))) goto fail;
            double pub = g.v[(size_t)cr * g.nc + j], sum = 0;
            for (size_t r = 0; r < g.nr; r++)
                if (g.rcls[r] == CP_GRID_IND || (g.rcls[r] == CP_GRID_VA && g.rsub[r] == CP_VA_TAX))
                    sum += g.v[r * g.nc + j];
            double d = fabs(pub) > floor ? fabs(pub) : floor, gap = fabs(pub - sum);
            if (gap > ttl_worst) ttl_worst = gap;
            if (gap > tol * d && gap > 0.05 * (double)(n + 3)) {
                rc = cp_error_at(err, CP_EINPUT, csv, cp_grid_line(&g, (size_t)cr, j),
                    cp_grid_col(&g, (size_t)cr, j),
                    "TTL_INT_FNL of industry '%s' is %.10g M USD but its intermediate inputs and product taxes sum to %.10g; hint: the file is inconsistent — re-download it from OECD.Stat",
                    cp_grid_collab(&g, j), pub, sum);
                goto fail;
            }
        }
    }
    char name[64], title[256];
    snprintf(name, sizeof name, "oecd-%d-%s", year, region);
    for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
    snprintf(title, sizeof title,
             "OECD national input-output table %s %d (2021 edition), %zu ISIC rev.4 industries, total flows",
             region, year, n);
    cp_imp_utf8_cut(name);   /* a long region code may be cut inside a character */
    cp_imp_utf8_cut(title);
    if ((rc = cp_imp_meta(t, name, title, "M USD", "basic prices", "competitive", year, err)))
        goto fail;
    if ((rc = cp_imp_validate(t, &o, 1, CP_OECD_BALANCE_TOL, err))) goto fail;
    cp_balance_report b;
    cp_table_balance(t, &b);
    if (rep) rep->balance_tol = CP_OECD_BALANCE_TOL;
    cp_imp_note(rep, "- Industries: the 45 ISIC rev.4 codes as sector labels, the Description column as names; region %s.\n", region);
    cp_imp_note(rep, "- OUTPUT row taken as total output x. TTL_INT_FNL checked against the column sums of Z plus TXS_IMP_FNL and TXS_INT_FNL (largest gap %.3g M USD, rounding), then dropped.\n", ttl_worst);
    cp_imp_note(rep, "- Final-demand kinds: HFCE NPISH GGFC = consumption; GFCF = investment; INVNT = inventory; EXPO = export; IMPO = import (negative); CONS_ABR and CONS_NONRES (residents' purchases abroad, non-residents' purchases here: the tourism adjustment) = other.\n");
    cp_imp_note(rep, "- Rows TXS_IMP_FNL, TXS_INT_FNL = tax; VALU = value_added. Their cells under final demand (net taxes on products bought by final users, total %.1f M USD) are dropped: the table keeps value added by industry only, and final demand loses the same amount, so GDP = sum of final demand still holds.\n", fd_tax);
    cp_imp_note(rep, "- Balance found (source rounded to 0.1 M USD): worst row %s %.3g relative (%.3g M USD), worst column %s %.3g relative (%.3g M USD); validated at %g.\n",
                t->sector[b.worst_row], b.worst_row_rel, b.worst_row_abs, t->sector[b.worst_col],
                b.worst_col_rel, b.worst_col_abs, CP_OECD_BALANCE_TOL);
    if (b.zero_output) cp_imp_note(rep, "- %zu industries with zero output.\n", b.zero_output);
    cp_grid_free(&g);
    *out = t;
    return 0;
fail:
    cp_grid_free(&g);
    cp_table_free(t);
    return rc;
}
