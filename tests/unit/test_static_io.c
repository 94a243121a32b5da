/*
 * test_static_io.c — Leontief and Ghosh: coefficients, inverses, LU solves
 * and multipliers.
 *
 * Sources of truth: pymrio 0.6.3's x, A and L for its test MRIO
 * (../shared/reference/pymrio_test), Miller & Blair (2009) §2.3's
 * two-sector example (Z = [[150, 500], [200, 100]], f = [350, 1700],
 * x = [1000, 2000]) solved by hand, and accounting identities.
 */
#include "testutil.h"

#include <float.h>

/* A single-region table from Z and one final-demand column per entry of
 * Y (n×nfd); x from row sums and one value-added row from column sums, so
 * it balances by construction. */
static cp_table *hand_table(size_t n, size_t nfd, const double *Z, const double *Y)
{
    cp_table *t = cp_table_new(n, nfd, 1);
    assert_non_null(t);
    char buf[32];
    cp_table_set_str(&t->name, "hand");
    cp_table_set_str(&t->va_label[0], "va");
    t->va_kind[0] = CP_VA_VALUE_ADDED;
    for (size_t k = 0; k < nfd; k++) {
        cp_table_set_str(&t->fd_region[k], "R");
        snprintf(buf, sizeof buf, "fd%zu", k);
        cp_table_set_str(&t->fd_category[k], buf);
    }
    for (size_t i = 0; i < n; i++) {
        cp_table_set_str(&t->region[i], "R");
        snprintf(buf, sizeof buf, "s%zu", i + 1);
        cp_table_set_str(&t->sector[i], buf);
        cp_table_set_str(&t->sector_name[i], buf);
        double x = 0;
        for (size_t j = 0; j < n; j++) x += t->Z[i * n + j] = Z[i * n + j];
        for (size_t k = 0; k < nfd; k++) x += t->Y[i * nfd + k] = Y[i * nfd + k];
        t->x[i] = x;
    }
    for (size_t j = 0; j < n; j++) {
        double c = 0;
        for (size_t i = 0; i < n; i++) c += Z[i * n + j];
        t->V[j] = t->x[j] - c;
    }
    assert_int_equal(cp_table_index_regions(t), 0);
    return t;
}

/* Miller & Blair's two-sector example. */
static cp_table *mb_table(void)
{
    static const double Z[] = {150, 500, 200, 100}, Y[] = {350, 1700};
    return hand_table(2, 1, Z, Y);
}

/* --- reference CSVs written by pymrio -------------------------------- */

/* Open pymrio's test MRIO through the importer. */
static cp_table *pymrio_table(void)
{
    char p[4096];
    cp_error err;
    cp_table *t = NULL;
    cp_load_opts o = cp_load_opts_default();
    assert_ok(cp_table_open(&t, shared_path(p, sizeof p, "data/pymrio_test_mrio"), &o, &err), &err);
    assert_int_equal(t->n, 48);
    return t;
}

/* Read reference/pymrio_test/<name>.csv: `skip` header rows, then rows
 * region,sector,values...; checks the labels against t and returns the
 * numbers as a row-major n×ncols matrix. */
static double *read_ref(const cp_table *t, const char *name, size_t skip, size_t ncols)
{
    char rel[256], p[4096];
    snprintf(rel, sizeof rel, "reference/pymrio_test/%s", name);
    cp_csv csv;
    cp_error err;
    assert_ok(cp_csv_read(&csv, shared_path(p, sizeof p, rel), NULL, &err), &err);
    assert_int_equal(csv.nrows, skip + t->n);
    double *M = malloc(t->n * ncols * sizeof *M);
    for (size_t i = 0; i < t->n; i++) {
        size_t r = skip + i;
        assert_int_equal(cp_csv_ncols(&csv, r), 2 + ncols);
        assert_string_equal(cp_csv_get(&csv, r, 0), t->region[i]);
        assert_string_equal(cp_csv_get(&csv, r, 1), t->sector[i]);
        for (size_t j = 0; j < ncols; j++)
            assert_ok(cp_csv_number(&csv, r, 2 + j, 0, &M[i * ncols + j], &err), &err);
    }
    if (ncols == t->n) /* column labels: header rows region, sector */
        for (size_t j = 0; j < t->n; j++) {
            assert_string_equal(cp_csv_get(&csv, 0, 2 + j), t->region[j]);
            assert_string_equal(cp_csv_get(&csv, 1, 2 + j), t->sector[j]);
        }
    cp_csv_free(&csv);
    return M;
}

/* max relative difference, and every cell within rel. */
static double check_all(const double *got, const double *want, size_t len, double rel)
{
    double worst = 0;
    for (size_t k = 0; k < len; k++) {
        double d = fabs(got[k] - want[k]), s = fmax(fabs(got[k]), fabs(want[k]));
        if (d > 0 && d / s > worst) worst = d / s;
        assert_close(got[k], want[k], rel);
    }
    return worst;
}

/* x as imported equals pymrio's indout to 1e-9. */
static void test_pymrio_x(void **state)
{
    (void)state;
    cp_table *t = pymrio_table();
    double *x = read_ref(t, "x.csv", 1, 1);
    check_all(t->x, x, t->n, 1e-9);
    free(x);
    cp_table_free(t);
}

/* A = Z diag(x)^-1 equals pymrio's A to 1e-9. */
static void test_pymrio_A(void **state)
{
    (void)state;
    cp_table *t = pymrio_table();
    size_t n = t->n;
    double *ref = read_ref(t, "A.csv", 3, n), *A = malloc(n * n * sizeof *A);
    cp_io_coef_A(n, t->Z, t->x, A);
    check_all(A, ref, n * n, 1e-9);
    free(A);
    free(ref);
    cp_table_free(t);
}

/* L = (I - A)^-1 equals pymrio's L to 1e-9. */
static void test_pymrio_L(void **state)
{
    (void)state;
    cp_table *t = pymrio_table();
    size_t n = t->n;
    cp_error err;
    double *ref = read_ref(t, "L.csv", 3, n), *L = malloc(n * n * sizeof *L);
    cp_io_coef_A(n, t->Z, t->x, L);
    assert_ok(cp_io_inverse(n, L, L, &err), &err);
    check_all(L, ref, n * n, 1e-9);
    free(L);
    free(ref);
    cp_table_free(t);
}

/* L (I - A) = I to 1e-10, and x = L y through the LU solve. */
static void test_pymrio_identities(void **state)
{
    (void)state;
    cp_table *t = pymrio_table();
    size_t n = t->n;
    cp_error err;
    double *A = malloc(n * n * sizeof *A), *L = malloc(n * n * sizeof *L), *y = malloc(n * sizeof *y);
    cp_io_coef_A(n, t->Z, t->x, A);
    assert_ok(cp_io_inverse(n, A, L, &err), &err);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double s = L[i * n + j];
            for (size_t k = 0; k < n; k++) s -= L[i * n + k] * A[k * n + j];
            assert_true(fabs(s - (i == j)) <= 1e-10);
        }
    cp_io_lu *lu;
    assert_ok(cp_io_lu_new(&lu, n, A, &err), &err);
    assert_int_equal(cp_io_lu_n(lu), n);
    cp_io_final_demand(t, y);
    assert_ok(cp_io_lu_solve(lu, y, 1, &err), &err);
    for (size_t i = 0; i < n; i++) assert_close(y[i], t->x[i], 1e-10);
    cp_io_lu_free(lu);
    free(A);
    free(L);
    free(y);
    cp_table_free(t);
}

/* --- Miller & Blair 2×2, by hand -------------------------------------- */

/* A = [[.15, .25], [.2, .05]], det(I - A) = .85*.95 - .25*.2 = .7575,
 * L = [[.95, .25], [.2, .85]] / .7575 (M&B print 1.2541, 0.3300, 0.2640,
 * 1.1221). */
static void test_mb_leontief(void **state)
{
    (void)state;
    cp_table *t = mb_table();
    cp_error err;
    double A[4], L[4];
    cp_io_coef_A(2, t->Z, t->x, A);
    const double a[] = {.15, .25, .2, .05}, l[] = {.95 / .7575, .25 / .7575, .2 / .7575, .85 / .7575};
    for (int k = 0; k < 4; k++) assert_close(A[k], a[k], 1e-15);
    assert_ok(cp_io_inverse(2, A, L, &err), &err);
    for (int k = 0; k < 4; k++) assert_close(L[k], l[k], 1e-14);
    const double printed[] = {1.2541, 0.3300, 0.2640, 1.1221};
    for (int k = 0; k < 4; k++) assert_true(fabs(L[k] - printed[k]) < 5e-5);
    /* several right-hand sides at once: L e_1 and L e_2 are L's columns */
    cp_io_lu *lu;
    double e[4] = {1, 0, 0, 1};
    assert_ok(cp_io_lu_new(&lu, 2, A, &err), &err);
    assert_ok(cp_io_lu_solve(lu, e, 2, &err), &err);
    assert_close(e[0], l[0], 1e-14);
    assert_close(e[1], l[2], 1e-14);
    assert_close(e[2], l[1], 1e-14);
    assert_close(e[3], l[3], 1e-14);
    /* transposed: e_1' L is L's first row */
    double r[2] = {1, 0};
    assert_ok(cp_io_lu_solve_t(lu, r, 1, &err), &err);
    assert_close(r[0], l[0], 1e-14);
    assert_close(r[1], l[1], 1e-14);
    cp_io_lu_free(lu);
    cp_table_free(t);
}

/* B = diag(x)^-1 Z = [[.15, .5], [.1, .05]]; G = (I - B)^-1; x' = w'G with
 * w = [650, 1400] (value added = x - column sums of Z). */
static void test_mb_ghosh(void **state)
{
    (void)state;
    cp_table *t = mb_table();
    cp_error err;
    double B[4], G[4], w[2];
    cp_io_coef_B(2, t->Z, t->x, B);
    const double b[] = {.15, .5, .1, .05};
    for (int k = 0; k < 4; k++) assert_close(B[k], b[k], 1e-15);
    assert_ok(cp_io_inverse(2, B, G, &err), &err);
    /* det(I - B) = .85*.95 - .05 = .7575 */
    const double g[] = {.95 / .7575, .5 / .7575, .1 / .7575, .85 / .7575};
    for (int k = 0; k < 4; k++) assert_close(G[k], g[k], 1e-14);
    cp_io_primary_inputs(t, w);
    assert_close(w[0], 650, 1e-15);
    assert_close(w[1], 1400, 1e-15);
    for (int j = 0; j < 2; j++) assert_close(w[0] * G[j] + w[1] * G[2 + j], t->x[j], 1e-13);
    cp_io_lu *lu;
    cp_io_coef_B(2, t->Z, t->x, B);
    assert_ok(cp_io_lu_new(&lu, 2, B, &err), &err);
    assert_ok(cp_io_lu_solve_t(lu, w, 1, &err), &err);
    assert_close(w[0], 1000, 1e-13);
    assert_close(w[1], 2000, 1e-13);
    cp_io_lu_free(lu);
    cp_table_free(t);
}

/* Multipliers by hand: output = column sums of L = [1.15/.7575, 1.1/.7575];
 * v = [.65, .7], value added = v'L; backward = 2 o_j / sum(o); forward =
 * 2 (G1)_i / 1'G1 with G1 = [1.45, .95] / .7575. */
static void test_mb_multipliers(void **state)
{
    (void)state;
    cp_table *t = mb_table();
    cp_error err;
    cp_io_multipliers m;
    assert_ok(cp_io_multipliers_compute(t, &m, &err), &err);
    assert_int_equal(m.n, 2);
    assert_close(m.output[0], 1.15 / .7575, 1e-14);
    assert_close(m.output[1], 1.10 / .7575, 1e-14);
    assert_close(m.value_added[0], (.65 * .95 + .7 * .2) / .7575, 1e-14);
    assert_close(m.value_added[1], (.65 * .25 + .7 * .85) / .7575, 1e-14);
    /* closed economy with one VA row: every unit of final demand is a unit of VA */
    assert_close(m.value_added[0], 1.0, 1e-14);
    assert_close(m.backward[0], 2 * 1.15 / 2.25, 1e-14);
    assert_close(m.backward[1], 2 * 1.10 / 2.25, 1e-14);
    assert_close(m.forward[0], 2 * 1.45 / 2.4, 1e-14);
    assert_close(m.forward[1], 2 * .95 / 2.4, 1e-14);
    assert_int_equal(m.import_basis, CP_IMPORTS_NONE);
    assert_true(m.imports[0] == 0 && m.imports[1] == 0);
    /* without competitive imports the domestic multipliers are the same */
    for (int j = 0; j < 2; j++) {
        assert_true(m.output_domestic[j] == m.output[j]);
        assert_true(m.value_added_domestic[j] == m.value_added[j]);
        assert_true(m.backward_domestic[j] == m.backward[j]);
        assert_true(m.forward_domestic[j] == m.forward[j]);
    }
    cp_io_multipliers_free(&m);
    cp_table_free(t);
}

/* Competitive imports: with Y columns [domestic 350/1700 | import -100/0]
 * x = [900, 2000]; m_1 = 100 / (650 + 350) = 0.1, m_2 = 0.  A_d = (I - M)A,
 * mu_j = 0.1 A_1j; imports = mu'(I - A_d)^-1, solved by hand. */
static void test_competitive_imports(void **state)
{
    (void)state;
    static const double Z[] = {150, 500, 200, 100}, Y[] = {350, -100, 1700, 0};
    cp_table *t = hand_table(2, 2, Z, Y);
    t->fd_kind[1] = CP_FD_IMPORT;
    cp_error err;
    double m[2];
    assert_ok(cp_io_import_ratios(t, m, &err), &err);
    assert_close(m[0], 0.1, 1e-15);
    assert_true(m[1] == 0);
    cp_io_multipliers mm;
    assert_ok(cp_io_multipliers_compute(t, &mm, &err), &err);
    assert_int_equal(mm.import_basis, CP_IMPORTS_RATIO);
    double a11 = 150.0 / 900, a12 = 500.0 / 2000, a21 = 200.0 / 900, a22 = 100.0 / 2000;
    double d11 = .9 * a11, d12 = .9 * a12; /* row 2 has m = 0 */
    double det = (1 - d11) * (1 - a22) - d12 * a21;
    double mu1 = .1 * a11, mu2 = .1 * a12;
    /* mu'(I - A_d)^-1, (I - A_d)^-1 = [[1-a22, d12], [a21, 1-d11]] / det */
    assert_close(mm.imports[0], (mu1 * (1 - a22) + mu2 * a21) / det, 1e-13);
    assert_close(mm.imports[1], (mu1 * d12 + mu2 * (1 - d11)) / det, 1e-13);
    /* domestic output multipliers: column sums of (I - A_d)^-1 */
    assert_close(mm.output_domestic[0], ((1 - a22) + a21) / det, 1e-13);
    assert_close(mm.output_domestic[1], (d12 + (1 - d11)) / det, 1e-13);
    /* every unit of final demand is domestic value added or imports */
    for (int j = 0; j < 2; j++) assert_close(mm.value_added_domestic[j] + mm.imports[j], 1, 1e-13);
    /* B_d = diag(x)^-1 (I - diag(m)) Z = [[.15, .5], [.1, .05]]:
     * G_d 1 = [1.45, .95] / .7575 */
    assert_close(mm.forward_domestic[0], 2 * 1.45 / 2.4, 1e-13);
    assert_close(mm.forward_domestic[1], 2 * .95 / 2.4, 1e-13);
    cp_io_multipliers_free(&mm);
    /* a table without an import column has no import ratios */
    cp_table *u = mb_table();
    assert_int_equal(cp_io_import_ratios(u, m, &err), CP_EINPUT);
    assert_msg_has(&err, "no import");
    cp_table_free(u);
    cp_table_free(t);
}

/* Non-competitive: an import value-added row; imports = mu'L. */
static void test_import_rows(void **state)
{
    (void)state;
    cp_table *t = cp_table_new(2, 1, 2);
    static const double Z[] = {150, 500, 200, 100};
    memcpy(t->Z, Z, sizeof Z);
    t->Y[0] = 350, t->Y[1] = 1700, t->x[0] = 1000, t->x[1] = 2000;
    t->V[0] = 550, t->V[1] = 1200; /* value added */
    t->V[2] = 100, t->V[3] = 200;  /* imports */
    t->va_kind[1] = CP_VA_IMPORT;
    for (int i = 0; i < 2; i++) {
        cp_table_set_str(&t->region[i], "R");
        cp_table_set_str(&t->sector[i], i ? "b" : "a");
    }
    cp_table_index_regions(t);
    cp_error err;
    cp_io_multipliers m;
    assert_ok(cp_io_multipliers_compute(t, &m, &err), &err);
    assert_int_equal(m.import_basis, CP_IMPORTS_ROWS);
    assert_close(m.imports[0], (.1 * .95 + .1 * .2) / .7575, 1e-14);
    assert_close(m.imports[1], (.1 * .25 + .1 * .85) / .7575, 1e-14);
    /* value added + imports = 1 per unit of final demand (open economy) */
    for (int j = 0; j < 2; j++) assert_close(m.value_added[j] + m.imports[j], 1.0, 1e-14);
    cp_io_multipliers_free(&m);
    cp_table_free(t);
}

/* MRIO: every unit of final demand ends up as value added somewhere, and
 * 1'L >= 1; the MRIO import basis is used. */
static void test_pymrio_multipliers(void **state)
{
    (void)state;
    cp_table *t = pymrio_table();
    cp_error err;
    cp_io_multipliers m;
    assert_ok(cp_io_multipliers_compute(t, &m, &err), &err);
    assert_int_equal(m.import_basis, CP_IMPORTS_MRIO);
    double sb = 0, sf = 0;
    for (size_t j = 0; j < t->n; j++) {
        assert_true(m.output[j] >= 1.0);
        assert_true(m.imports[j] >= 0.0 && isfinite(m.imports[j]));
        sb += m.backward[j], sf += m.forward[j];
    }
    assert_close(sb, (double)t->n, 1e-12);
    assert_close(sf, (double)t->n, 1e-12);
    /* output multipliers are the column sums of pymrio's L */
    double *ref = read_ref(t, "L.csv", 3, t->n);
    for (size_t j = 0; j < t->n; j++) {
        double s = 0;
        for (size_t i = 0; i < t->n; i++) s += ref[i * t->n + j];
        assert_close(m.output[j], s, 1e-9);
    }
    free(ref);
    cp_io_multipliers_free(&m);
    cp_table_free(t);
}

/* The shipped Japan 2015 table (MIC, competitive imports, every V row
 * value added or tax): v'L = 1 and, with domestic flows,
 * v'L_d + imports = 1 for every sector; domestic effects are smaller. */
static void test_japan_competitive(void **state)
{
    (void)state;
    char p[4096];
    cp_error err;
    cp_table *t;
    cp_load_opts o = cp_load_opts_default();
    assert_ok(cp_table_open(&t, repo_path(p, sizeof p, "data/japan-2015-37"), &o, &err), &err);
    assert_int_equal(t->n, 37);
    cp_io_multipliers m;
    assert_ok(cp_io_multipliers_compute(t, &m, &err), &err);
    assert_int_equal(m.import_basis, CP_IMPORTS_RATIO);
    for (size_t j = 0; j < t->n; j++) {
        if (t->x[j] == 0) continue;
        assert_close(m.value_added[j], 1.0, 1e-12);
        assert_close(m.value_added_domestic[j] + m.imports[j], 1.0, 1e-12);
        assert_true(m.imports[j] > 0 && m.imports[j] < 1);
        assert_true(m.output_domestic[j] <= m.output[j] + 1e-12);
        assert_true(m.output_domestic[j] >= 1.0);
    }
    cp_io_multipliers_free(&m);
    cp_table_free(t);
}

/* A sector with zero output (row, column, final demand and VA all zero)
 * gives zero coefficients and finite everything. */
static void test_zero_output(void **state)
{
    (void)state;
    static const double Z[] = {150, 0, 500, 0, 0, 0, 200, 0, 100}, Y[] = {350, 0, 1700};
    cp_table *t = hand_table(3, 1, Z, Y);
    assert_true(t->x[1] == 0);
    size_t n = 3;
    cp_error err;
    double A[9], B[9], L[9], G[9], q[3], c[3] = {0, 0, .1};
    cp_io_coef_A(n, t->Z, t->x, A);
    cp_io_coef_B(n, t->Z, t->x, B);
    assert_ok(cp_io_inverse(n, A, L, &err), &err);
    assert_ok(cp_io_inverse(n, B, G, &err), &err);
    for (int k = 0; k < 9; k++)
        assert_true(isfinite(A[k]) && isfinite(B[k]) && isfinite(L[k]) && isfinite(G[k]));
    for (int k = 0; k < 3; k++) assert_true(A[k * 3 + 1] == 0 && B[3 + k] == 0);
    assert_close(L[4], 1.0, 0);
    assert_close(L[0], .95 / .7575, 1e-14);
    cp_io_multipliers m;
    assert_ok(cp_io_multipliers_compute(t, &m, &err), &err);
    for (size_t j = 0; j < n; j++)
        assert_true(isfinite(m.output[j]) && isfinite(m.value_added[j]) &&
                    isfinite(m.imports[j]) && isfinite(m.backward[j]) && isfinite(m.forward[j]));
    assert_true(m.value_added[1] == 0);
    cp_io_multipliers_free(&m);
    double As[9];
    cp_iim_interdependency(t, As);
    cp_iim_perturbation(t, c, c);
    assert_ok(cp_iim_demand(n, As, c, q, 1, &err), &err);
    for (int k = 0; k < 3; k++) assert_true(isfinite(q[k]));
    cp_extract_result r;
    assert_ok(cp_extract_sector(t, NULL, "s2", 1.0, CP_SIDE_DEMAND, &r, &err), &err);
    for (size_t j = 0; j < n; j++) assert_true(isfinite(r.dx[j]) && fabs(r.dx[j]) < 1e-9);
    cp_extract_result_free(&r);
    assert_ok(cp_extract_sector(t, NULL, "s2", 1.0, CP_SIDE_SUPPLY, &r, &err), &err);
    for (size_t j = 0; j < n; j++) assert_true(isfinite(r.dx[j]));
    cp_extract_result_free(&r);
    cp_table_free(t);
}

/* A column sum of A of 1 (all output used by itself) is singular: an
 * error with a hint, not Inf. */
static void test_singular(void **state)
{
    (void)state;
    double A[4] = {1, 0, 0, .5}, L[4];
    cp_error err;
    assert_int_equal(cp_io_inverse(2, A, L, &err), CP_ERUN);
    assert_msg_has(&err, "singular");
    assert_msg_has(&err, "hint");
    cp_io_lu *lu = (cp_io_lu *)&err; /* must be reset to NULL */
    assert_int_equal(cp_io_lu_new(&lu, 2, A, &err), CP_ERUN);
    assert_null(lu);
    assert_int_equal(cp_io_inverse(0, A, L, &err), CP_EINPUT);
}

/* Run every test of this file. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pymrio_x),
        cmocka_unit_test(test_pymrio_A),
        cmocka_unit_test(test_pymrio_L),
        cmocka_unit_test(test_pymrio_identities),
        cmocka_unit_test(test_mb_leontief),
        cmocka_unit_test(test_mb_ghosh),
        cmocka_unit_test(test_mb_multipliers),
        cmocka_unit_test(test_competitive_imports),
        cmocka_unit_test(test_import_rows),
        cmocka_unit_test(test_pymrio_multipliers),
        cmocka_unit_test(test_japan_competitive),
        cmocka_unit_test(test_zero_output),
        cmocka_unit_test(test_singular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
