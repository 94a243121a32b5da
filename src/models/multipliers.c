/*
 * multipliers.c — type-I multipliers and linkages of a table: output,
 * value-added and import multipliers, and normalised Rasmussen backward
 * and (Ghosh) forward linkages.
 *
 * Every multiplier is a row vector times an inverse, r' (I - A)^-1, or an
 * inverse times a vector, (I - B)^-1 1, so each costs one LU factorisation
 * (2/3 n^3) and a triangular solve (n^2); no inverse is ever formed.
 *
 * Imports, by what the table records (docs/static-models.md):
 *   - non-competitive (value-added rows of kind import): mu_j = M_j / x_j,
 *     imports = mu' L;
 *   - competitive single-region (an import final-demand column): import
 *     ratios m_i = imports_i / (sum_j Z_ij + domestic final demand_i), the
 *     domestic coefficients A_d = (I - diag(m)) A, mu_j = sum_i m_i A_ij and
 *     imports = mu' (I - A_d)^-1: imports induced by one unit of final
 *     demand for j's domestic output (e.g. exports); the *_domestic
 *     multipliers use the same A_d (and B_d = diag(x)^-1 (I - diag(m)) Z
 *     for forward linkages), since in such a table 1'L and v'L count
 *     imported goods as if made at home (v'L = 1 for every j);
 *   - multi-regional: mu_j = sum of A_ij over suppliers i in other regions
 *     than j's, imports = mu' L: inputs crossing into the buying region
 *     along the whole supply chain.
 */
#include "chokepoint.h"

#include <stdlib.h>
#include <string.h>

/* Free the arrays of m and zero it. */
void cp_io_multipliers_free(cp_io_multipliers *m)
{
    if (!m) return;
    free(m->output);
    free(m->value_added);
    free(m->imports);
    free(m->backward);
    free(m->forward);
    free(m->output_domestic);
    free(m->value_added_domestic);
    free(m->backward_domestic);
    free(m->forward_domestic);
    memset(m, 0, sizeof *m);
}

/* Import ratios of a competitive-import table (see top). */
int cp_io_import_ratios(const cp_table *t, double *m, cp_error *err)
{
    size_t n = t->n, nfd = t->nfd;
    int have = 0;
    for (size_t k = 0; k < nfd; k++) have |= t->fd_kind[k] == CP_FD_IMPORT;
    if (!have)
        return cp_error_set(err, CP_EINPUT,
            "table %s has no import final-demand column; hint: import ratios need a "
            "competitive-import table (fd kind 'import')", t->name ? t->name : "");
    for (size_t i = 0; i < n; i++) {
        double use = 0, imp = 0;
        const double *zr = t->Z + i * n, *yr = t->Y + i * nfd;
        for (size_t j = 0; j < n; j++) use += zr[j];
        for (size_t k = 0; k < nfd; k++) {
            if (t->fd_kind[k] == CP_FD_IMPORT) imp -= yr[k];
            else if (t->fd_kind[k] != CP_FD_EXPORT) use += yr[k];
        }
        m[i] = use != 0.0 ? imp / use : 0.0;
    }
    return 0;
}

/* Which import basis the table supports, in order of directness. */
static cp_import_basis import_basis(const cp_table *t)
{
    for (size_t r = 0; r < t->nva; r++)
        if (t->va_kind[r] == CP_VA_IMPORT) return CP_IMPORTS_ROWS;
    if (t->nreg <= 1)
        for (size_t k = 0; k < t->nfd; k++)
            if (t->fd_kind[k] == CP_FD_IMPORT) return CP_IMPORTS_RATIO;
    if (t->nreg > 1) return CP_IMPORTS_MRIO;
    return CP_IMPORTS_NONE;
}

/* Same region label (NULL reads as ""). */
static int same_region(const cp_table *t, size_t i, size_t j)
{
    const char *a = t->region[i] ? t->region[i] : "", *b = t->region[j] ? t->region[j] : "";
    return strcmp(a, b) == 0;
}

/* Import coefficients mu (per unit of output) for the basis; in the
 * ratio case also the ratios m (into ratio) and A turned into the domestic
 * A_d = (I - diag(m)) A in place. */
static int import_coefs(const cp_table *t, cp_import_basis basis, double *A, double *mu,
                        double *ratio, cp_error *err)
{
    size_t n = t->n;
    for (size_t j = 0; j < n; j++) mu[j] = 0;
    if (basis == CP_IMPORTS_ROWS) {
        for (size_t r = 0; r < t->nva; r++)
            if (t->va_kind[r] == CP_VA_IMPORT)
                for (size_t j = 0; j < n; j++) mu[j] += t->V[r * n + j];
        for (size_t j = 0; j < n; j++) mu[j] = t->x[j] != 0.0 ? mu[j] / t->x[j] : 0.0;
    } else if (basis == CP_IMPORTS_RATIO) {
        if (cp_io_import_ratios(t, ratio, err)) return err ? err->code : CP_EINPUT;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                mu[j] += ratio[i] * A[i * n + j];
                A[i * n + j] *= 1.0 - ratio[i];
            }
    } else if (basis == CP_IMPORTS_MRIO) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (!same_region(t, i, j)) mu[j] += A[i * n + j];
    }
    return 0;
}

/* n * s_k / sum(s): an index with mean 1. */
static void normalise(size_t n, const double *s, double *out)
{
    double tot = 0;
    for (size_t k = 0; k < n; k++) tot += s[k];
    for (size_t k = 0; k < n; k++) out[k] = tot != 0.0 ? (double)n * s[k] / tot : 0.0;
}

/* With one LU of I - M (M = A or A_d): out = 1'L*, va = v'L*, back = the
 * normalised out, and extra = extra'L*; out (with back), va and extra
 * may each be NULL to skip them. */
static int leontief_rows(const cp_table *t, const double *M, double *out, double *va,
                         double *back, double *extra, cp_error *err)
{
    size_t n = t->n;
    cp_io_lu *lu;
    int rc = cp_io_lu_new(&lu, n, M, err);
    if (rc) return rc;
    for (size_t j = 0; j < n; j++) {
        if (out) out[j] = 1.0;
        if (va) va[j] = t->x[j] != 0.0 ? cp_table_va(t, j) / t->x[j] : 0.0;
    }
    if (out) rc = cp_io_lu_solve_t(lu, out, 1, err);
    if (!rc && va) rc = cp_io_lu_solve_t(lu, va, 1, err);
    if (!rc && extra) rc = cp_io_lu_solve_t(lu, extra, 1, err);
    cp_io_lu_free(lu);
    if (!rc && out) normalise(n, out, back);
    return rc;
}

/* Forward linkage from G 1 with G = (I - B)^-1 (B or B_d in M); work is
 * an n-vector. */
static int ghosh_forward(size_t n, const double *M, double *fwd, double *work, cp_error *err)
{
    cp_io_lu *lu;
    int rc = cp_io_lu_new(&lu, n, M, err);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) work[i] = 1.0;
    rc = cp_io_lu_solve(lu, work, 1, err);
    cp_io_lu_free(lu);
    if (!rc) normalise(n, work, fwd);
    return rc;
}

/* Everything from at most five factorisations (A, B, and for competitive
 * tables A_d and B_d; A_d also serves the imports); one n×n work matrix. */
int cp_io_multipliers_compute(const cp_table *t, cp_io_multipliers *m, cp_error *err)
{
    size_t n = t->n;
    memset(m, 0, sizeof *m);
    if (n == 0)
        return cp_error_set(err, CP_EINPUT, "table %s has no industries", t->name ? t->name : "");
    m->n = n;
    double **arr[] = {&m->output, &m->value_added, &m->imports, &m->backward, &m->forward,
                      &m->output_domestic, &m->value_added_domestic, &m->backward_domestic,
                      &m->forward_domestic};
    int ok = 1;
    for (size_t k = 0; k < sizeof arr / sizeof *arr; k++)
        ok &= (*arr[k] = calloc(n, sizeof(double))) != NULL;
    double *M = malloc(n * n * sizeof *M);
    double *ratio = calloc(n, sizeof *ratio), *work = calloc(n, sizeof *work);
    int rc = 0;
    if (!ok || !M || !ratio || !work) {
        rc = cp_error_set(err, CP_ENOMEM, "out of memory for multipliers of %zu industries", n);
        goto done;
    }
    /* Leontief with the table's A. */
    cp_io_coef_A(n, t->Z, t->x, M);
    if ((rc = leontief_rows(t, M, m->output, m->value_added, m->backward, NULL, err))) goto done;

    /* Imports: mu' L, or with A_d for competitive tables (then the
     * domestic multipliers come from the same factorisation). */
    m->import_basis = import_basis(t);
    int domestic = m->import_basis == CP_IMPORTS_RATIO;
    if (m->import_basis != CP_IMPORTS_NONE) {
        if ((rc = import_coefs(t, m->import_basis, M, m->imports, ratio, err))) goto done;
        if (domestic)
            rc = leontief_rows(t, M, m->output_domestic, m->value_added_domestic,
                               m->backward_domestic, m->imports, err);
        else
            rc = leontief_rows(t, M, NULL, NULL, NULL, m->imports, err);
        if (rc) goto done;
    }

    /* Ghosh: G 1, total sales per unit of primary input of i; domestic
     * rows (1 - m_i) Z_ij for competitive tables. */
    cp_io_coef_B(n, t->Z, t->x, M);
    if ((rc = ghosh_forward(n, M, m->forward, work, err))) goto done;
    if (domestic) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) M[i * n + j] *= 1.0 - ratio[i];
        if ((rc = ghosh_forward(n, M, m->forward_domestic, work, err))) goto done;
    } else {
        memcpy(m->output_domestic, m->output, n * sizeof *m->output);
        memcpy(m->value_added_domestic, m->value_added, n * sizeof *m->value_added);
        memcpy(m->backward_domestic, m->backward, n * sizeof *m->backward);
        memcpy(m->forward_domestic, m->forward, n * sizeof *m->forward);
    }
done:
    free(M);
    free(ratio);
    free(work);
    if (rc) cp_io_multipliers_free(m);
    return rc;
}
