/*
 * leontief.c — the demand-driven input–output model: technical
 * coefficients A = Z diag(x)^-1, the Leontief inverse L = (I - A)^-1 and a
 * reusable LU factorisation of I - A for solving x = L y without forming L.
 *
 * Layout and LAPACK.  Every matrix is row-major.  LAPACKE's row-major
 * interface transposes its arguments into temporary column-major copies on
 * every call (an n×n copy per solve), which is exactly the hidden quadratic
 * work this library avoids.  Instead we hand the row-major buffer of M to
 * LAPACK as the column-major matrix M' and use two identities:
 *   - (M')^-1 = (M^-1)': inverting the buffer in place as column-major
 *     leaves M^-1 in row-major order — no copy at all;
 *   - with P L U = M' (dgetrf on the buffer), M z = b is solved by dgetrs
 *     with trans = 'T', and M' z = b with trans = 'N'.
 * Right-hand sides are passed as consecutive length-n vectors, which is the
 * column-major n×nrhs layout LAPACK wants, so solves copy nothing either.
 */
#include "chokepoint.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The factorisation of I - M: LAPACK's packed LU of (I - M)' and pivots. */
struct cp_io_lu {
    size_t n;
    double *lu;       /* [n*n] */
    lapack_int *ipiv; /* [n] */
};

/* A_ij = Z_ij / x_j.  A zero-output industry buys nothing per unit of
 * output it does not produce, so its column is zero rather than NaN. */
void cp_io_coef_A(size_t n, const double *Z, const double *x, double *A)
{
    for (size_t i = 0; i < n; i++) {
        const double *zr = Z + i * n;
        double *ar = A + i * n;
        for (size_t j = 0; j < n; j++) ar[j] = x[j] != 0.0 ? zr[j] / x[j] : 0.0;
    }
}

/* y_i = sum over all final-demand columns, imports (negative) included:
 * with it, x = Z 1 + y row by row, hence x = L y. */
void cp_io_final_demand(const cp_table *t, double *y)
{
    for (size_t i = 0; i < t->n; i++) {
        double s = 0;
        const double *yr = t->Y + i * t->nfd;
        for (size_t k = 0; k < t->nfd; k++) s += yr[k];
        y[i] = s;
    }
}

/* w_j = sum of every value-added row: the column complement of Z, so that
 * x_j = sum_i Z_ij + w_j, hence x' = w' G. */
void cp_io_primary_inputs(const cp_table *t, double *w)
{
    for (size_t j = 0; j < t->n; j++) w[j] = 0;
    for (size_t r = 0; r < t->nva; r++) {
        const double *vr = t->V + r * t->n;
        for (size_t j = 0; j < t->n; j++) w[j] += vr[j];
    }
}

/* Write I - M into out (out may equal M). */
static void i_minus(size_t n, const double *M, double *out)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) out[i * n + j] = (i == j ? 1.0 : 0.0) - M[i * n + j];
}

/* Report a LAPACK failure: info < 0 is a bug here, info > 0 a singular
 * pivot, which for an IO system means some industry's inputs from the
 * others cover all its output (a column sum of A >= 1). */
static int lapack_fail(cp_error *err, const char *what, lapack_int info)
{
    if (info < 0)
        return cp_error_set(err, CP_ERUN, "%s: LAPACK argument %d invalid (internal error)",
                            what, (int)-info);
    return cp_error_set(err, CP_ERUN,
        "%s: I - A is singular (zero pivot at industry %d); hint: some industry's "
        "intermediate inputs equal or exceed its output (a column sum of A >= 1) - "
        "check the table's balance with `chokepoint info`", what, (int)info);
}

/* Check that n fits LAPACK's integer type. */
static int check_n(size_t n, cp_error *err)
{
    if (n == 0) return cp_error_set(err, CP_EINPUT, "empty matrix (n = 0)");
    if (n > (size_t)0x7fffffff / 2)
        return cp_error_set(err, CP_EINPUT, "matrix too large for LAPACK (n = %zu)", n);
    return 0;
}

/* out = (I - M)^-1 by dgetrf + dgetri on the buffer as M' (see top):
 * 2n^3 flops against dgesv's 8/3 n^3 with an identity right-hand side,
 * and no n×n temporary.  One pivot array is the only allocation. */
int cp_io_inverse(size_t n, const double *M, double *out, cp_error *err)
{
    if (check_n(n, err)) return err ? err->code : CP_EINPUT;
    lapack_int *ipiv = malloc(n * sizeof *ipiv);
    if (!ipiv) return cp_error_set(err, CP_ENOMEM, "out of memory for %zu pivots", n);
    i_minus(n, M, out);
    lapack_int ln = (lapack_int)n;
    lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, ln, ln, out, ln, ipiv);
    if (info == 0) info = LAPACKE_dgetri(LAPACK_COL_MAJOR, ln, out, ln, ipiv);
    free(ipiv);
    if (info) return lapack_fail(err, "inverse (I - A)^-1", info);
    return 0;
}

/* Factorise I - M once for many solves. */
int cp_io_lu_new(cp_io_lu **out, size_t n, const double *M, cp_error *err)
{
    *out = NULL;
    if (check_n(n, err)) return err ? err->code : CP_EINPUT;
    cp_io_lu *lu = calloc(1, sizeof *lu);
    if (lu) {
        lu->lu = malloc(n * n * sizeof *lu->lu);
        lu->ipiv = malloc(n * sizeof *lu->ipiv);
    }
    if (!lu || !lu->lu || !lu->ipiv) {
        cp_io_lu_free(lu);
        return cp_error_set(err, CP_ENOMEM, "out of memory for a %zu x %zu LU factorisation", n, n);
    }
    lu->n = n;
    i_minus(n, M, lu->lu);
    lapack_int ln = (lapack_int)n;
    lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, ln, ln, lu->lu, ln, lu->ipiv);
    if (info) {
        cp_io_lu_free(lu);
        return lapack_fail(err, "LU of I - A", info);
    }
    *out = lu;
    return 0;
}

/* Shared body of the two solves; trans is LAPACK's, for the stored (I-M)'. */
static int lu_solve(const cp_io_lu *lu, char trans, double *b, size_t nrhs, cp_error *err)
{
    if (nrhs == 0) return 0;
    lapack_int ln = (lapack_int)lu->n;
    lapack_int info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, trans, ln, (lapack_int)nrhs, lu->lu, ln,
                                     lu->ipiv, b, ln);
    if (info) return lapack_fail(err, "solve with I - A", info);
    return 0;
}

/* (I - M) z = b: the stored factors are of (I - M)', so transpose. */
int cp_io_lu_solve(const cp_io_lu *lu, double *b, size_t nrhs, cp_error *err)
{
    return lu_solve(lu, 'T', b, nrhs, err);
}

/* (I - M)' z = b: row vector times the inverse. */
int cp_io_lu_solve_t(const cp_io_lu *lu, double *b, size_t nrhs, cp_error *err)
{
    return lu_solve(lu, 'N', b, nrhs, err);
}

/* Order of the factorised system. */
size_t cp_io_lu_n(const cp_io_lu *lu)
{
    return lu ? lu->n : 0;
}

/* Free a factorisation; NULL is fine. */
void cp_io_lu_free(cp_io_lu *lu)
{
    if (!lu) return;
    free(lu->lu);
    free(lu->ipiv);
    free(lu);
}
