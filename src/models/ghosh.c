/*
 * ghosh.c — the supply-driven (Ghosh) input–output model: allocation
 * coefficients B = diag(x)^-1 Z.  The Ghosh inverse G = (I - B)^-1 and
 * its solves use the same machinery as Leontief (cp_io_inverse,
 * cp_io_lu_*): x' = w' G is cp_io_lu_solve_t on the LU of I - B.
 */
#include "chokepoint.h"

/* B_ij = Z_ij / x_i: the share of i's output sold to j.  An industry
 * without output sells nothing, so its row is zero rather than NaN. */
void cp_io_coef_B(size_t n, const double *Z, const double *x, double *B)
{
    for (size_t i = 0; i < n; i++) {
        const double *zr = Z + i * n;
        double *br = B + i * n;
        if (x[i] == 0.0) {
            for (size_t j = 0; j < n; j++) br[j] = 0.0;
            continue;
        }
        double inv = 1.0 / x[i];
        for (size_t j = 0; j < n; j++) br[j] = zr[j] * inv;
    }
}
