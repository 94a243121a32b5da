/*
 * import_wiod.c — read a World Input–Output Table (WIOD 2013 release;
 * Timmer et al. 2015) aggregated to a few regions, as a CSV of
 *
 *   "",JPN_c1,...,ROW_c35,FD_JPN,...,FD_ROW,OUTPUT
 *   "JPN_c1",Z row...,final demand by destination region...,x
 *
 * in million USD.  Industry labels are REGION_cN: region before the first
 * underscore, WIOD sector code after it (c1..c35, named below).
 *
 * Final demand: one column per destination region, the sum of WIOD's five
 * categories (households, NPISH, government, GFCF, inventories), which
 * the aggregated file no longer separates.  It is given kind consumption
 * because most of it is and no kind fits a mixture; models that treat
 * investment or inventories differently cannot use this table for that.
 *
 * The file has no value-added rows.  One row "value added (residual)" =
 * x_j - sum_i Z_ij is derived (kind value_added), so columns balance
 * exactly by construction and GDP is the residual; this is recorded in the
 * provenance.  Rows are as published: they miss OUTPUT by 4.2e-4 overall
 * and by up to 9.7e-3 relative (EU27_c5, leather) in the 2011 table,
 * which is why the importer validates at CP_WIOD_BALANCE_TOL.
 */
#include "chokepoint.h"
#include "import_util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WIOD's 35 sectors (NACE rev.1.1 based), as named in the WIOD user guide. */
static const char *const wiod_names[35] = {
    "Agriculture, hunting, forestry and fishing",
    "Mining and quarrying",
    "Food, beverages and tobacco",
    "Textiles and textile products",
    "Leather, leather products and footwear",
    "Wood and products of wood and cork",
    "Pulp, paper, paper products, printing and publishing",
    "Coke, refined petroleum and nuclear fuel",
    "Chemicals and chemical products",
    "Rubber and plastics",
    "Other non-metallic mineral",
    "Basic metals and fabricated metal",
    "Machinery, n.e.c.",
    "Electrical and optical equipment",
    "Transport equipment",
    "Manufacturing, n.e.c.; recycling",
    "Electricity, gas and water supply",
    "Construction",
    "Sale, maintenance and repair of motor vehicles and motorcycles; retail sale of fuel",
    "Wholesale trade and commission trade, except of motor vehicles and motorcycles",
    "Retail trade, except of motor vehicles and motorcycles; repair of household goods",
    "Hotels and restaurants",
    "Inland transport",
    "Water transport",
    "Air transport",
    "Other supporting and auxiliary transport activities; activities of travel agencies",
    "Post and telecommunications",
    "Financial intermediation",
    "Real estate activities",
    "Renting of machinery and equipment and other business activities",
    "Public administration and defence; compulsory social security",
    "Education",
    "Health and social work",
    "Other community, social and personal services",
    "Private households with employed persons",
};

static const char wiod_known[] =
    "WIOD columns are industries REGION_cN, then FD_<REGION> per destination region, then OUTPUT; rows are industries only";

/* Sort a WIOD label: FD_ and OUTPUT columns, industries REGION_sector. */
static int wiod_classify(const char *lab, int is_row, int *sub)
{
    if (!is_row && strncmp(lab, "FD_", 3) == 0 && lab[3]) {
        *sub = CP_FD_CONSUMPTION;
        return CP_GRID_FD;
    }
    if (!is_row && strcmp(lab, "OUTPUT") == 0) return CP_GRID_X;
    const char *u = strchr(lab, '_');
    if (!u || u == lab || !u[1]) return CP_GRID_UNKNOWN;
    return CP_GRID_IND;
}

/* Year from a file name like wiod2013_2011_6region_...: the first _YYYY_. */
static int guess_year(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (const char *p = b; *p; p++)
        if (p[0] == '_' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
            isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]) && p[5] == '_')
            return atoi(p + 1);
    return 0;
}

/* Split industry labels into region and sector, name WIOD's sectors. */
static int wiod_labels(cp_table *t, const cp_grid *g, cp_error *err)
{
    int rc;
    for (size_t i = 0; i < t->n; i++) {
        const char *lab = cp_grid_rowlab(g, i, 0), *u = strchr(lab, '_');
        char reg[256];
        size_t l = (size_t)(u - lab);
        if (l >= sizeof reg) l = sizeof reg - 1;
        memcpy(reg, lab, l);
        reg[l] = '\0';
        cp_imp_utf8_cut(reg);   /* a cut may split a character */
        const char *sec = u + 1;
        const char *nm = sec;
        if (sec[0] == 'c' && isdigit((unsigned char)sec[1])) {
            char *end;
            long k = strtol(sec + 1, &end, 10);
            if (!*end && k >= 1 && k <= 35) nm = wiod_names[k - 1];
        }
        if ((rc = cp_imp_str(&t->region[i], reg, err)) || (rc = cp_imp_str(&t->sector[i], sec, err)) ||
            (rc = cp_imp_str(&t->sector_name[i], nm, err)))
            return rc;
    }
    for (size_t k = 0, c = 0; c < g->nc; c++) {
        if (g->ccls[c] != CP_GRID_FD) continue;
        if ((rc = cp_imp_str(&t->fd_region[k], cp_grid_collab(g, c) + 3, err)) ||
            (rc = cp_imp_str(&t->fd_category[k], "final demand", err)))
            return rc;
        k++;
    }
    if (cp_table_index_regions(t)) return cp_error_set(err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Read a WIOD-style table; see the file comment. */
int cp_import_wiod(cp_table **out, const char *csv, int year, const cp_load_opts *opts,
                   cp_import_report *rep, cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    cp_grid g;
    cp_table *t = NULL;
    *out = NULL;
    cp_imp_report_clear(rep);
    if (year <= 0) year = guess_year(csv);
    if (year <= 0)
        return cp_error_at(err, CP_EINPUT, csv, 0, 0,
            "cannot tell the year from the file name; hint: give it (chokepoint import wiod --year 2011), or keep the pattern _2011_ in the name");
    int rc = cp_grid_read(&g, csv, 1, wiod_classify, "WIOD", wiod_known, &o, err);
    if (rc) return rc;
    long xc = cp_grid_find_col(&g, CP_GRID_X);
    if (xc < 0) {
        rc = cp_error_at(err, CP_EINPUT, csv, 1, 0,
            "no OUTPUT column; hint: the WIOD table ends with OUTPUT (total output), chokepoint's x");
        cp_grid_free(&g);
        return rc;
    }
    if ((rc = cp_grid_table(&t, &g, "", 1, err)) || (rc = wiod_labels(t, &g, err))) goto fail;
    size_t n = t->n;
    for (size_t i = 0; i < n; i++) {
        if ((rc = cp_grid_need(&g, i, (size_t)xc, err))) goto fail;
        t->x[i] = g.v[i * g.nc + (size_t)xc];
    }
    /* the derived value-added row: x_j - column sum of Z */
    size_t negative = 0;
    if ((rc = cp_imp_str(&t->va_label[0], "value added (residual)", err))) goto fail;
    t->va_kind[0] = CP_VA_VALUE_ADDED;
    for (size_t j = 0; j < n; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += t->Z[i * n + j];
        t->V[j] = t->x[j] - s;
        if (t->V[j] < 0) negative++;
    }
    char name[64], title[256];
    snprintf(name, sizeof name, "wiod-%d-%zur", year, t->nreg);
    snprintf(title, sizeof title,
             "World Input-Output Table %d (WIOD 2013 release), aggregated to %zu regions x %zu sectors",
             year, t->nreg, t->nreg ? n / t->nreg : n);
    if ((rc = cp_imp_meta(t, name, title, "M USD", "basic prices", "mrio", year, err)))
        goto fail;
    if ((rc = cp_imp_validate(t, &o, 1, CP_WIOD_BALANCE_TOL, err))) goto fail;
    cp_balance_report b;
    cp_table_balance(t, &b);
    double gap = 0, xs = cp_table_total_output(t);
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < n; j++) s += t->Z[i * n + j];
        for (size_t k = 0; k < t->nfd; k++) s += t->Y[i * t->nfd + k];
        gap += t->x[i] - s;
    }
    if (rep) rep->balance_tol = CP_WIOD_BALANCE_TOL;
    cp_imp_note(rep, "- Industry labels REGION_cN split into region and sector code; sector names from the WIOD user guide (35 NACE rev.1.1 based sectors).\n");
    cp_imp_note(rep, "- OUTPUT column taken as total output x.\n");
    cp_imp_note(rep, "- Final demand: one column per destination region (FD_<REGION>, the sum of households, NPISH, government, GFCF and inventories, which the aggregated file does not separate), kind consumption.\n");
    cp_imp_note(rep, "- The source has no value-added rows: one row \"value added (residual)\" = x - column sums of Z was derived (kind value_added; %zu negative cells), so columns balance exactly by construction.\n", negative);
    cp_imp_note(rep, "- Rows as published: total row gap %.1f M USD (%.3g of total output %.1f M USD); worst row %s/%s %.3g relative (%.4g M USD); validated at %g.\n",
                gap, gap / xs, xs, t->region[b.worst_row], t->sector[b.worst_row], b.worst_row_rel,
                b.worst_row_abs, CP_WIOD_BALANCE_TOL);
    if (b.zero_output) cp_imp_note(rep, "- %zu industries with zero output.\n", b.zero_output);
    cp_grid_free(&g);
    *out = t;
    return 0;
fail:
    cp_grid_free(&g);
    cp_table_free(t);
    return rc;
}
