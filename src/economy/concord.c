/*
 * concord.c — change a table's sector classification: aggregate sectors
 * through a concordance file, or split one sector into several by output
 * shares.
 *
 * Both are linear maps on industries, x' = S x, Z' = S Z S', Y' = S Y,
 * V' = V S', with S a 0/1 summation matrix (aggregation) or a share matrix
 * (disaggregation).  Because every new row is a sum (or share) of old rows
 * and every new column likewise, a table that balances keeps balancing and
 * all totals (output, value added, final demand) are preserved.  S is
 * applied as an index map, never as a matrix product.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copy the scalar metadata and the final-demand / value-added labels of t
 * into c (same nfd and nva); returns 0 or CP_ENOMEM. */
static int copy_meta(cp_table *c, const cp_table *t)
{
    c->year = t->year;
    if (cp_table_set_str(&c->name, t->name) || cp_table_set_str(&c->title, t->title) ||
        cp_table_set_str(&c->unit, t->unit) || cp_table_set_str(&c->price_basis, t->price_basis) ||
        cp_table_set_str(&c->import_type, t->import_type))
        return CP_ENOMEM;
    for (size_t k = 0; k < t->nfd; k++) {
        if (cp_table_set_str(&c->fd_region[k], t->fd_region[k]) ||
            cp_table_set_str(&c->fd_category[k], t->fd_category[k]))
            return CP_ENOMEM;
        c->fd_kind[k] = t->fd_kind[k];
    }
    for (size_t r = 0; r < t->nva; r++) {
        if (cp_table_set_str(&c->va_label[r], t->va_label[r])) return CP_ENOMEM;
        c->va_kind[r] = t->va_kind[r];
    }
    return 0;
}

/* Add t's numbers into c (zeroed) through the many-to-one index map
 * to[] (old industry -> new industry): Z rows and columns, Y rows, V
 * columns and x. */
static void sum_into(cp_table *c, const cp_table *t, const size_t *to)
{
    size_t n = t->n, cn = c->n;
    for (size_t i = 0; i < n; i++) {
        double *zr = c->Z + to[i] * cn;
        const double *src = t->Z + i * n;
        for (size_t j = 0; j < n; j++) zr[to[j]] += src[j];
        for (size_t k = 0; k < t->nfd; k++) c->Y[to[i] * t->nfd + k] += t->Y[i * t->nfd + k];
        c->x[to[i]] += t->x[i];
    }
    for (size_t r = 0; r < t->nva; r++)
        for (size_t j = 0; j < n; j++) c->V[r * cn + to[j]] += t->V[r * n + j];
}

/* Does the concordance's first row look like a header? */
static int is_header(const cp_csv *csv)
{
    return cp_csv_ncols(csv, 0) == 3 && strcasecmp(cp_csv_get(csv, 0, 0), "region") == 0 &&
           strcasecmp(cp_csv_get(csv, 0, 1), "sector") == 0 &&
           strcasecmp(cp_csv_get(csv, 0, 2), "new_sector") == 0;
}

/* Position of s in names[0..*nn) — appended if absent. */
static size_t intern(const char **names, size_t *nn, const char *s)
{
    for (size_t k = 0; k < *nn; k++)
        if (strcmp(names[k], s) == 0) return k;
    names[*nn] = s;
    return (*nn)++;
}

/* Map every industry to (region, new sector) from the file; on error the
 * message names file:line:col.  grp[i] is the new-sector index of i,
 * line_of[i] the file line that mapped it. */
static int read_map(const cp_table *t, const cp_csv *csv, const char **names, size_t *nnames,
                    size_t *grp, long *line_of, cp_error *err)
{
    size_t n = t->n;
    for (size_t i = 0; i < n; i++) line_of[i] = 0;
    for (size_t row = is_header(csv) ? 1 : 0; row < csv->nrows; row++) {
        if (cp_csv_expect_cols(csv, row, 3, err)) return CP_EINPUT;
        const char *reg = cp_csv_get(csv, row, 0), *sec = cp_csv_get(csv, row, 1);
        const char *ns = cp_csv_get(csv, row, 2);
        size_t f0 = csv->row_off[row];
        if (!*ns)
            return cp_error_at(err, CP_EINPUT, csv->name, csv->line[f0 + 2], csv->col[f0 + 2],
                               "empty new_sector; hint: every row is region,sector,new_sector");
        size_t g = 0, hits = 0;
        int named = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(reg, "*") != 0 && (!t->region[i] || strcmp(t->region[i], reg) != 0))
                continue;
            if (!(t->sector[i] && strcmp(t->sector[i], sec) == 0) &&
                !(t->sector_name[i] && strcmp(t->sector_name[i], sec) == 0))
                continue;
            if (line_of[i])
                return cp_error_at(err, CP_EINPUT, csv->name, csv->line[f0], 0,
                                   "industry %s/%s is mapped twice (first on line %ld); hint: "
                                   "map each industry to exactly one new sector",
                                   t->region[i] ? t->region[i] : "", t->sector[i], line_of[i]);
            if (!named) g = intern(names, nnames, ns), named = 1;
            grp[i] = g;
            line_of[i] = csv->line[f0];
            hits++;
        }
        if (!hits)
            return cp_error_at(err, CP_EINPUT, csv->name, csv->line[f0], csv->col[f0],
                               "no industry with region '%s' and sector '%s' in table %s; hint: "
                               "`chokepoint io TABLE --matrix x` lists the labels; region '*' "
                               "matches every region", reg, sec, t->name ? t->name : "");
    }
    for (size_t i = 0; i < n; i++)
        if (!line_of[i]) {
            size_t miss = 0;
            for (size_t j = i; j < n; j++) miss += !line_of[j];
            return cp_error_at(err, CP_EINPUT, csv->name, 0, 0,
                               "industry %s/%s is not mapped (%zu industries unmapped); hint: "
                               "add a row region,sector,new_sector for each",
                               t->region[i] ? t->region[i] : "", t->sector[i], miss);
        }
    return 0;
}

/* Aggregate through a concordance file (see chokepoint.h). */
int cp_table_aggregate(cp_table **out, const cp_table *t, const char *concordance_csv,
                       const cp_csv_opts *opts, cp_error *err)
{
    *out = NULL;
    cp_csv csv;
    memset(&csv, 0, sizeof csv);
    cp_csv_opts o = opts ? *opts : cp_csv_opts_default();
    int rc = cp_csv_read(&csv, concordance_csv, &o, err);
    if (rc) return rc;
    size_t n = t->n, nnames = 0, cn = 0;
    const char **names = calloc(csv.nrows + 1, sizeof *names);
    size_t *grp = calloc(n + 1, sizeof *grp), *to = calloc(n + 1, sizeof *to);
    long *line_of = calloc(n + 1, sizeof *line_of);
    size_t *slot = NULL;
    cp_table *c = NULL;
    if (!names || !grp || !to || !line_of) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = read_map(t, &csv, names, &nnames, grp, line_of, err))) goto done;
    /* New industries: region by region (table order), new sectors in file order. */
    size_t nreg = t->nreg ? t->nreg : 1;
    slot = malloc(nreg * nnames * sizeof *slot);
    if (!slot) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nreg * nnames; k++) slot[k] = (size_t)-1;
    size_t *regidx = to; /* reuse: region index of each industry */
    for (size_t i = 0; i < n; i++) {
        long r = t->nreg ? cp_table_find_region(t, t->region[i] ? t->region[i] : "") : 0;
        regidx[i] = r < 0 ? 0 : (size_t)r;
        slot[regidx[i] * nnames + grp[i]] = 0;
    }
    for (size_t k = 0; k < nreg * nnames; k++)
        if (slot[k] == 0) slot[k] = cn++;
    c = cp_table_new(cn, t->nfd, t->nva);
    if (!c || copy_meta(c, t)) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t p = slot[regidx[i] * nnames + grp[i]];
        to[i] = p;
        if (!c->sector[p] &&
            (cp_table_set_str(&c->region[p], t->region[i]) ||
             cp_table_set_str(&c->sector[p], names[grp[i]]) ||
             cp_table_set_str(&c->sector_name[p], names[grp[i]]))) {
            rc = cp_error_set(err, CP_ENOMEM, "out of memory");
            goto done;
        }
    }
    sum_into(c, t, to);
    if (cp_table_index_regions(c)) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    *out = c;
    c = NULL;
done:
    cp_table_free(c);
    free(slot);
    free(names);
    free(grp);
    free(to);
    free(line_of);
    cp_csv_free(&csv);
    return rc;
}

/* Split industry k into m by output shares (see chokepoint.h): new
 * industry p has source src(p) and factor f_p (the share for the split
 * ones, 1 for the rest); Z'_pq = f_p f_q Z_src(p)src(q), Y'_p = f_p Y_src(p),
 * V'_q = f_q V_src(q), x'_p = f_p x_src(p). */
int cp_table_disaggregate(cp_table **out, const cp_table *t, size_t k, size_t m,
                          const char *const *sectors, const double *shares, cp_error *err)
{
    *out = NULL;
    size_t n = t->n;
    if (k >= n)
        return cp_error_set(err, CP_EUSAGE, "industry index %zu out of range (table has %zu)", k, n);
    if (m == 0) return cp_error_set(err, CP_EUSAGE, "split into 0 sectors; hint: give at least one");
    double sum = 0;
    for (size_t a = 0; a < m; a++) {
        if (!(shares[a] > 0.0) || !isfinite(shares[a]))
            return cp_error_set(err, CP_EUSAGE, "share %zu of the split of %s is %g; hint: shares "
                                "must be positive output fractions", a + 1, t->sector[k], shares[a]);
        if (!sectors[a] || !*sectors[a])
            return cp_error_set(err, CP_EUSAGE, "new sector %zu has no name", a + 1);
        for (size_t i = 0; i < n; i++)
            if (i != k && t->sector[i] && strcmp(t->sector[i], sectors[a]) == 0 &&
                ((!t->region[i] && !t->region[k]) ||
                 (t->region[i] && t->region[k] && strcmp(t->region[i], t->region[k]) == 0)))
                return cp_error_set(err, CP_EUSAGE, "new sector '%s' already exists in region %s",
                                    sectors[a], t->region[k] ? t->region[k] : "");
        sum += shares[a];
    }
    if (fabs(sum - 1.0) > 1e-9)
        return cp_error_set(err, CP_EUSAGE, "shares of the split of %s sum to %.12g, not 1; "
                            "hint: give output fractions that add up to 1", t->sector[k], sum);
    size_t cn = n + m - 1;
    cp_table *c = cp_table_new(cn, t->nfd, t->nva);
    size_t *src = malloc(cn * sizeof *src);
    double *f = malloc(cn * sizeof *f);
    int rc = 0;
    if (!c || !src || !f || copy_meta(c, t)) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t p = 0; p < cn; p++) {
        int split = p >= k && p < k + m;
        src[p] = p < k ? p : split ? k : p - m + 1;
        f[p] = split ? shares[p - k] : 1.0;
        const char *sec = split ? sectors[p - k] : t->sector[src[p]];
        const char *nm = split ? sectors[p - k] : t->sector_name[src[p]];
        if (cp_table_set_str(&c->region[p], t->region[src[p]]) ||
            cp_table_set_str(&c->sector[p], sec) || cp_table_set_str(&c->sector_name[p], nm)) {
            rc = cp_error_set(err, CP_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t p = 0; p < cn; p++) {
        const double *zr = t->Z + src[p] * n;
        double *cr = c->Z + p * cn;
        for (size_t q = 0; q < cn; q++) cr[q] = f[p] * f[q] * zr[src[q]];
        for (size_t j = 0; j < t->nfd; j++) c->Y[p * t->nfd + j] = f[p] * t->Y[src[p] * t->nfd + j];
        c->x[p] = f[p] * t->x[src[p]];
    }
    for (size_t r = 0; r < t->nva; r++)
        for (size_t q = 0; q < cn; q++) c->V[r * cn + q] = f[q] * t->V[r * n + src[q]];
    if (cp_table_index_regions(c)) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory");
        goto done;
    }
    *out = c;
    c = NULL;
done:
    cp_table_free(c);
    free(src);
    free(f);
    return rc;
}
