/*
 * table.c — the input–output table in memory: allocation, labels, lookup,
 * copies and the accounting totals every layer above needs.
 *
 * A table is one struct of flat arrays (see chokepoint.h) so that the
 * models can hand Z, Y and x straight to BLAS/LAPACK without copying.
 */
#include "chokepoint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const fd_names[] = {
    "consumption", "investment", "inventory", "export", "import", "other"};
static const char *const va_names[] = {"value_added", "tax", "import", "other"};

/* Name of a final-demand kind as written in fd.csv. */
const char *cp_fd_kind_name(cp_fd_kind k)
{
    return (unsigned)k < sizeof fd_names / sizeof *fd_names ? fd_names[k] : "?";
}

/* Name of a value-added kind as written in va.csv. */
const char *cp_va_kind_name(cp_va_kind k)
{
    return (unsigned)k < sizeof va_names / sizeof *va_names ? va_names[k] : "?";
}

/* Parse a final-demand kind name; returns 0 or -1. */
int cp_fd_kind_parse(const char *s, cp_fd_kind *k)
{
    for (size_t i = 0; i < sizeof fd_names / sizeof *fd_names; i++)
        if (strcmp(s, fd_names[i]) == 0) { *k = (cp_fd_kind)i; return 0; }
    return -1;
}

/* Parse a value-added kind name; returns 0 or -1. */
int cp_va_kind_parse(const char *s, cp_va_kind *k)
{
    for (size_t i = 0; i < sizeof va_names / sizeof *va_names; i++)
        if (strcmp(s, va_names[i]) == 0) { *k = (cp_va_kind)i; return 0; }
    return -1;
}

/* Can a matrix of a × b doubles be counted and sized in size_t?  calloc
 * checks count × sizeof, but a × b itself would wrap first (n = 2^32
 * gives n × n = 0, a "successful" empty Z). */
static int dims_fit(size_t a, size_t b)
{
    return a <= SIZE_MAX / b && a * b <= SIZE_MAX / sizeof(double);
}

/* Allocate a table of the given shape with all numbers zero and all
 * labels NULL.  Every array is allocated even when a dimension is zero
 * (calloc of at least one element) so callers never special-case NULL.
 * NULL when out of memory or when n × n, n × nfd or nva × n doubles would
 * not fit in size_t. */
cp_table *cp_table_new(size_t n, size_t nfd, size_t nva)
{
    size_t n1 = n ? n : 1, f1 = nfd ? nfd : 1, v1 = nva ? nva : 1;
    if (!dims_fit(n1, n1) || !dims_fit(n1, f1) || !dims_fit(v1, n1)) return NULL;
    cp_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->n = n;
    t->nfd = nfd;
    t->nva = nva;
    t->region = calloc(n1, sizeof *t->region);
    t->sector = calloc(n1, sizeof *t->sector);
    t->sector_name = calloc(n1, sizeof *t->sector_name);
    t->Z = calloc(n1 * n1, sizeof *t->Z);
    t->fd_region = calloc(f1, sizeof *t->fd_region);
    t->fd_category = calloc(f1, sizeof *t->fd_category);
    t->fd_kind = calloc(f1, sizeof *t->fd_kind);
    t->Y = calloc(n1 * f1, sizeof *t->Y);
    t->va_label = calloc(v1, sizeof *t->va_label);
    t->va_kind = calloc(v1, sizeof *t->va_kind);
    t->V = calloc(v1 * n1, sizeof *t->V);
    t->x = calloc(n1, sizeof *t->x);
    if (!t->region || !t->sector || !t->sector_name || !t->Z || !t->fd_region ||
        !t->fd_category || !t->fd_kind || !t->Y || !t->va_label || !t->va_kind ||
        !t->V || !t->x) {
        cp_table_free(t);
        return NULL;
    }
    return t;
}

/* Free an array of n owned strings. */
static void free_strs(char **s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

/* Free a table and everything it owns; NULL is fine. */
void cp_table_free(cp_table *t)
{
    if (!t) return;
    free(t->name);
    free(t->title);
    free(t->unit);
    free(t->price_basis);
    free(t->import_type);
    free_strs(t->region, t->n);
    free_strs(t->sector, t->n);
    free_strs(t->sector_name, t->n);
    free(t->regions);            /* points into t->region, not owned */
    free(t->Z);
    free_strs(t->fd_region, t->nfd);
    free_strs(t->fd_category, t->nfd);
    free(t->fd_kind);
    free(t->Y);
    free_strs(t->va_label, t->nva);
    free(t->va_kind);
    free(t->V);
    free(t->x);
    free(t);
}

/* Replace *slot with a copy of s (NULL clears it). */
int cp_table_set_str(char **slot, const char *s)
{
    char *c = NULL;
    if (s && !(c = strdup(s))) return CP_ENOMEM;
    free(*slot);
    *slot = c;
    return 0;
}

/* Rebuild the distinct-region list (first-seen order).  t->regions points
 * at strings owned by t->region, so it must be rebuilt if those change. */
int cp_table_index_regions(cp_table *t)
{
    free(t->regions);
    t->regions = calloc(t->n ? t->n : 1, sizeof *t->regions);
    t->nreg = 0;
    if (!t->regions) return CP_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        const char *r = t->region[i] ? t->region[i] : "";
        size_t k;
        for (k = 0; k < t->nreg; k++)
            if (strcmp(t->regions[k], r) == 0) break;
        if (k == t->nreg) t->regions[t->nreg++] = t->region[i];
    }
    return 0;
}

/* Linear lookup of an industry; tables have at most a few thousand rows
 * and lookups happen while setting up, never inside a time loop. */
long cp_table_find(const cp_table *t, const char *region, const char *sector)
{
    for (size_t i = 0; i < t->n; i++) {
        if (region && (!t->region[i] || strcmp(t->region[i], region) != 0)) continue;
        if (t->sector[i] && strcmp(t->sector[i], sector) == 0) return (long)i;
        if (t->sector_name[i] && strcmp(t->sector_name[i], sector) == 0) return (long)i;
    }
    return -1;
}

/* Index of a region label, or -1. */
long cp_table_find_region(const cp_table *t, const char *region)
{
    for (size_t k = 0; k < t->nreg; k++)
        if (strcmp(t->regions[k], region) == 0) return (long)k;
    return -1;
}

/* Copy an array of n strings into dst (already allocated). */
static int copy_strs(char **dst, char *const *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (src[i] && cp_table_set_str(&dst[i], src[i])) return CP_ENOMEM;
    return 0;
}

/* Deep copy of a table, for models that modify one (extraction). */
cp_table *cp_table_clone(const cp_table *t)
{
    cp_table *c = cp_table_new(t->n, t->nfd, t->nva);
    if (!c) return NULL;
    c->year = t->year;
    if (cp_table_set_str(&c->name, t->name) || cp_table_set_str(&c->title, t->title) ||
        cp_table_set_str(&c->unit, t->unit) ||
        cp_table_set_str(&c->price_basis, t->price_basis) ||
        cp_table_set_str(&c->import_type, t->import_type) ||
        copy_strs(c->region, t->region, t->n) || copy_strs(c->sector, t->sector, t->n) ||
        copy_strs(c->sector_name, t->sector_name, t->n) ||
        copy_strs(c->fd_region, t->fd_region, t->nfd) ||
        copy_strs(c->fd_category, t->fd_category, t->nfd) ||
        copy_strs(c->va_label, t->va_label, t->nva) || cp_table_index_regions(c)) {
        cp_table_free(c);
        return NULL;
    }
    memcpy(c->Z, t->Z, t->n * t->n * sizeof *c->Z);
    memcpy(c->Y, t->Y, t->n * t->nfd * sizeof *c->Y);
    memcpy(c->V, t->V, t->nva * t->n * sizeof *c->V);
    memcpy(c->x, t->x, t->n * sizeof *c->x);
    memcpy(c->fd_kind, t->fd_kind, t->nfd * sizeof *c->fd_kind);
    memcpy(c->va_kind, t->va_kind, t->nva * sizeof *c->va_kind);
    return c;
}

/* Sum of x, in the table's unit per year. */
double cp_table_total_output(const cp_table *t)
{
    double s = 0;
    for (size_t i = 0; i < t->n; i++) s += t->x[i];
    return s;
}

/* Value added of industry j: V rows of kind VALUE_ADDED and TAX. */
double cp_table_va(const cp_table *t, size_t j)
{
    double s = 0;
    for (size_t r = 0; r < t->nva; r++)
        if (t->va_kind[r] == CP_VA_VALUE_ADDED || t->va_kind[r] == CP_VA_TAX)
            s += t->V[r * t->n + j];
    return s;
}

/* GDP at the table's prices, from the production side: sum of value added. */
double cp_table_gdp(const cp_table *t)
{
    double s = 0;
    for (size_t j = 0; j < t->n; j++) s += cp_table_va(t, j);
    return s;
}
