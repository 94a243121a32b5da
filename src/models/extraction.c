/*
 * extraction.c — hypothetical extraction (Dietzenbacher & Lahr 2013,
 * "Expanding extractions", Economic Systems Research 25(3):341–360): how
 * much output would the economy lose if some flows did not exist?
 *
 * The flows are removed — fully, or a share of them ("partial
 * extraction") — from the coefficient matrix, and the model is solved
 * again:
 *   demand side  x1 = (I - A~)^-1 y~    A~ = A with the cells scaled by
 *                                        (1 - share), y~ likewise
 *   supply side  x1' = w~'(I - B~)^-1   B~, w~ (primary inputs) likewise
 * against the baseline x0 computed by the same model from the unmodified
 * table, so that extracting nothing gives dx = 0 exactly.
 *
 * Removing region r's sales of product p to region s (rows of (r, p) in
 * s's columns) is the static form of an export control: on the demand side
 * it measures r's lost sales and their upstream echo, on the supply side
 * the downstream loss in s of inputs it no longer receives.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Free the arrays of r and zero it. */
void cp_extract_result_free(cp_extract_result *r)
{
    if (!r) return;
    free(r->x0);
    free(r->x1);
    free(r->dx);
    memset(r, 0, sizeof *r);
}

/* Is cell (i, j) of the coefficient matrix extracted? */
static int cell_hit(const cp_extract_spec *s, size_t i, size_t j)
{
    if (s->industries) return s->industries[i] || s->industries[j];
    return s->from[i] && s->to[j];
}

/* Is industry i one whose own flows were extracted (for loss_outside)? */
static int own(const cp_extract_spec *s, size_t i)
{
    return s->industries ? s->industries[i] != 0 : s->from[i] != 0;
}

/* Scale the extracted cells of M (A or B) by keep = 1 - share. */
static void scale_cells(size_t n, const cp_extract_spec *s, double keep, double *M)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (cell_hit(s, i, j)) M[i * n + j] *= keep;
}

/* The exogenous vector after extraction: final demand y~ (demand side) or
 * primary inputs w~ (supply side).  f holds the baseline on entry. */
static void scale_exogenous(const cp_table *t, const cp_extract_spec *s, double keep, double *f)
{
    size_t n = t->n;
    if (s->industries) {
        for (size_t i = 0; i < n; i++)
            if (s->industries[i]) f[i] *= keep;
        return;
    }
    if (s->side != CP_SIDE_DEMAND || !s->fd) return; /* Ghosh rows have no final demand */
    for (size_t i = 0; i < n; i++) {
        if (!s->from[i]) continue;
        for (size_t k = 0; k < t->nfd; k++)
            if (s->fd[k]) f[i] -= (1.0 - keep) * t->Y[i * t->nfd + k];
    }
}

/* Solve the model for exogenous f with coefficient matrix M; f becomes x. */
static int solve(size_t n, const double *M, cp_io_side side, double *f, cp_error *err)
{
    cp_io_lu *lu;
    int rc = cp_io_lu_new(&lu, n, M, err);
    if (rc) return rc;
    rc = side == CP_SIDE_DEMAND ? cp_io_lu_solve(lu, f, 1, err) : cp_io_lu_solve_t(lu, f, 1, err);
    cp_io_lu_free(lu);
    return rc;
}

/* Check a specification before allocating anything. */
static int check_spec(const cp_extract_spec *s, cp_error *err)
{
    if (!(s->share >= 0.0 && s->share <= 1.0))
        return cp_error_set(err, CP_EUSAGE,
                            "extraction share %g outside [0, 1]; hint: 1 removes the flows "
                            "entirely, 0.25 removes a quarter", s->share);
    if (!s->industries && (!s->from || !s->to))
        return cp_error_set(err, CP_EUSAGE,
                            "extraction needs either industries or both from and to masks");
    if (s->side != CP_SIDE_DEMAND && s->side != CP_SIDE_SUPPLY)
        return cp_error_set(err, CP_EUSAGE, "extraction side must be demand or supply");
    return 0;
}

/* The general extraction: baseline, extracted solve, differences. */
int cp_extract(const cp_table *t, const cp_extract_spec *spec, cp_extract_result *r,
               cp_error *err)
{
    size_t n = t->n;
    memset(r, 0, sizeof *r);
    int rc = check_spec(spec, err);
    if (rc) return rc;
    if (n == 0) return cp_error_set(err, CP_EINPUT, "table %s has no industries", t->name ? t->name : "");
    r->n = n;
    r->x0 = malloc(n * sizeof *r->x0);
    r->x1 = malloc(n * sizeof *r->x1);
    r->dx = malloc(n * sizeof *r->dx);
    double *M = malloc(n * n * sizeof *M);
    if (!r->x0 || !r->x1 || !r->dx || !M) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory for an extraction on %zu industries", n);
        goto done;
    }
    if (spec->side == CP_SIDE_DEMAND) {
        cp_io_coef_A(n, t->Z, t->x, M);
        cp_io_final_demand(t, r->x0);
    } else {
        cp_io_coef_B(n, t->Z, t->x, M);
        cp_io_primary_inputs(t, r->x0);
    }
    memcpy(r->x1, r->x0, n * sizeof *r->x1);
    if ((rc = solve(n, M, spec->side, r->x0, err))) goto done;
    double keep = 1.0 - spec->share;
    scale_cells(n, spec, keep, M);
    scale_exogenous(t, spec, keep, r->x1);
    if ((rc = solve(n, M, spec->side, r->x1, err))) goto done;
    for (size_t j = 0; j < n; j++) {
        double d = r->x1[j] - r->x0[j];
        double v = t->x[j] != 0.0 ? cp_table_va(t, j) / t->x[j] : 0.0;
        r->dx[j] = d;
        r->loss_output -= d;
        r->loss_va -= v * d;
        if (!own(spec, j)) r->loss_outside -= d;
    }
done:
    free(M);
    if (rc) cp_extract_result_free(r);
    return rc;
}

/* Does industry i carry sector label s (code or long name)? */
static int is_sector(const cp_table *t, size_t i, const char *s)
{
    return (t->sector[i] && strcmp(t->sector[i], s) == 0) ||
           (t->sector_name[i] && strcmp(t->sector_name[i], s) == 0);
}

/* Is industry i in region r (NULL: any)? */
static int in_region(const cp_table *t, size_t i, const char *r)
{
    return !r || (t->region[i] && strcmp(t->region[i], r) == 0);
}

/* Classic extraction of one sector, in one region or in all. */
int cp_extract_sector(const cp_table *t, const char *region, const char *sector, double share,
                      cp_io_side side, cp_extract_result *r, cp_error *err)
{
    memset(r, 0, sizeof *r);
    if (!sector) return cp_error_set(err, CP_EUSAGE, "a sector extraction needs a sector label");
    unsigned char *ind = calloc(t->n ? t->n : 1, 1);
    if (!ind) return cp_error_set(err, CP_ENOMEM, "out of memory");
    size_t hits = 0;
    for (size_t i = 0; i < t->n; i++)
        if (in_region(t, i, region) && is_sector(t, i, sector)) ind[i] = 1, hits++;
    int rc;
    if (!hits)
        rc = cp_error_set(err, CP_EINPUT,
                          "no sector '%s'%s%s in table %s; hint: `chokepoint io TABLE --matrix x` "
                          "lists the region,sector labels", sector, region ? " in region " : "",
                          region ? region : "", t->name ? t->name : "");
    else {
        cp_extract_spec s = {.share = share, .industries = ind, .side = side};
        rc = cp_extract(t, &s, r, err);
    }
    free(ind);
    return rc;
}

/* One bilateral flow block: (from_region, product) rows in to_region's
 * columns, and optionally in to_region's final demand. */
int cp_extract_flow(const cp_table *t, const char *from_region, const char *product,
                    const char *to_region, double share, int with_final, cp_io_side side,
                    cp_extract_result *r, cp_error *err)
{
    size_t n = t->n;
    memset(r, 0, sizeof *r);
    if (!from_region || !product || !to_region)
        return cp_error_set(err, CP_EUSAGE,
                            "a flow extraction needs an origin region, a product and a "
                            "destination region");
    unsigned char *from = calloc(n ? n : 1, 1), *to = calloc(n ? n : 1, 1);
    unsigned char *fd = calloc(t->nfd ? t->nfd : 1, 1);
    int rc = 0;
    if (!from || !to || !fd) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    size_t nf = 0, nt = 0, nk = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_region(t, i, from_region) && is_sector(t, i, product)) from[i] = 1, nf++;
        if (in_region(t, i, to_region)) to[i] = 1, nt++;
    }
    for (size_t k = 0; k < t->nfd; k++)
        if (t->fd_region[k] && strcmp(t->fd_region[k], to_region) == 0) fd[k] = 1, nk++;
    if (!nf) {
        rc = cp_error_set(err, CP_EINPUT,
                          "no product '%s' in region '%s'; hint: `chokepoint io TABLE --matrix x` "
                          "lists the region,sector labels", product, from_region);
        goto done;
    }
    if (!nt) {
        rc = cp_error_set(err, CP_EINPUT, "no region '%s' in table %s; hint: regions are: %s%s",
                          to_region, t->name ? t->name : "", t->nreg ? t->regions[0] : "",
                          t->nreg > 1 ? ", ..." : "");
        goto done;
    }
    cp_extract_spec s = {.share = share, .from = from, .to = to,
                         .fd = with_final && nk ? fd : NULL, .side = side};
    rc = cp_extract(t, &s, r, err);
done:
    free(from);
    free(to);
    free(fd);
    return rc;
}
