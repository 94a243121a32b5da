/*
 * iim.c — the static inoperability input–output model (Haimes & Jiang
 * 2001; Santos & Haimes 2004): the same Leontief system written in
 * fractions of each industry's output lost ("inoperability", 0..1).
 *
 * Demand side:  q = (I - A*)^-1 c*,   A* = diag(x)^-1 A diag(x),
 *               c*_i = (lost final demand of i) / x_i.
 * Supply side (Ghosh-based, Leung, Haimes & Santos 2007):
 *               q' = c*'(I - S*)^-1,  S* = diag(x) B diag(x)^-1,
 *               c*_j = (lost primary input of j) / x_j.
 * Since A = Z diag(x)^-1 and B = diag(x)^-1 Z, A* = diag(x)^-1 Z diag(x)^-1
 * diag(x) = B and S* = A: both are built straight from Z and x.
 *
 * The linear model can exceed 1 (more than all of an industry lost); as in
 * Haimes & Jiang's four-sector example the solution is then clipped to
 * [0, 1] after solving.
 */
#include "chokepoint.h"

#include <stdlib.h>
#include <string.h>

/* A*_ij = a_ij x_j / x_i = Z_ij / x_i (zero row where x_i = 0). */
void cp_iim_interdependency(const cp_table *t, double *Astar)
{
    cp_io_coef_B(t->n, t->Z, t->x, Astar);
}

/* S*_ij = x_i b_ij / x_j = Z_ij / x_j (zero column where x_j = 0). */
void cp_iim_supply_interdependency(const cp_table *t, double *Sstar)
{
    cp_io_coef_A(t->n, t->Z, t->x, Sstar);
}

/* c*_i = dy_i / x_i; an industry without output cannot lose a share of it. */
void cp_iim_perturbation(const cp_table *t, const double *dy, double *cstar)
{
    for (size_t i = 0; i < t->n; i++) cstar[i] = t->x[i] != 0.0 ? dy[i] / t->x[i] : 0.0;
}

/* Clip to [0, 1]: inoperability is a fraction of output. */
static void clip01(size_t n, double *q)
{
    for (size_t i = 0; i < n; i++) q[i] = q[i] < 0.0 ? 0.0 : q[i] > 1.0 ? 1.0 : q[i];
}

/* Shared body: factorise I - M, solve for c (transposed on the supply side). */
static int iim_solve(size_t n, const double *M, const double *c, double *q, int clip,
                     int transpose, cp_error *err)
{
    cp_io_lu *lu;
    int rc = cp_io_lu_new(&lu, n, M, err);
    if (rc) return rc;
    if (q != c) memmove(q, c, n * sizeof *q);
    rc = transpose ? cp_io_lu_solve_t(lu, q, 1, err) : cp_io_lu_solve(lu, q, 1, err);
    cp_io_lu_free(lu);
    if (!rc && clip) clip01(n, q);
    return rc;
}

/* Demand-driven static IIM. */
int cp_iim_demand(size_t n, const double *Astar, const double *cstar, double *q, int clip,
                  cp_error *err)
{
    return iim_solve(n, Astar, cstar, q, clip, 0, err);
}

/* Supply-driven static IIM. */
int cp_iim_supply(size_t n, const double *Sstar, const double *cstar, double *q, int clip,
                  cp_error *err)
{
    return iim_solve(n, Sstar, cstar, q, clip, 1, err);
}
