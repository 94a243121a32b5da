/*
 * validate.c — does a table make accounting sense?
 *
 * A table that does not balance gives silently wrong multipliers, so every
 * load runs these checks unless the user opts out.  The error message shows
 * the worst row and column, the size of the gap in the table's unit, and
 * how to change the tolerance, so a user can decide rather than guess.
 *
 * Negative intermediate flows are legal in real tables (Japan's MIC tables
 * record scrap and by-products as negative inputs), so they are counted and
 * reported, not refused; negative or non-finite output is refused.
 */
#include "chokepoint.h"

#include <math.h>
#include <string.h>

/* Defaults: balance to 1e-6 relative, rows and columns. */
cp_validate_opts cp_validate_opts_default(void)
{
    cp_validate_opts o;
    o.tol = 1e-6;
    o.check_columns = 1;
    return o;
}

/* Relative gap between output and a sum, with a floor on the denominator
 * of 1e-6 of the mean output so that zero- or tiny-output industries are
 * judged against the table's scale rather than dividing by zero. */
static double rel_gap(double x, double sum, double floor)
{
    double d = fabs(x);
    if (d < floor) d = floor;
    double g = d > 0 ? fabs(x - sum) / d : fabs(x - sum);
    return isnan(g) ? INFINITY : g;   /* never let NaN compare as "within tol" */
}

/* Compute the balance report: worst row and column gaps, zero-output
 * industries, negative cells.  Never fails on a well-formed table. */
int cp_table_balance(const cp_table *t, cp_balance_report *rep)
{
    memset(rep, 0, sizeof *rep);
    size_t n = t->n;
    /* Mean of x_i / n, not total / n: the total of outputs near DBL_MAX
     * overflows to inf, which made the floor inf and every gap 0. */
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += t->x[i] / (double)n;
    double floor = 1e-6 * fabs(mean);
    for (size_t i = 0; i < n; i++) {
        double rs = 0;
        for (size_t j = 0; j < n; j++) {
            rs += t->Z[i * n + j];
            if (t->Z[i * n + j] < 0) rep->negative_cells++;
        }
        for (size_t k = 0; k < t->nfd; k++) rs += t->Y[i * t->nfd + k];
        double g = rel_gap(t->x[i], rs, floor);
        if (g > rep->worst_row_rel || i == 0) {
            rep->worst_row_rel = g;
            rep->worst_row = i;
            rep->worst_row_abs = t->x[i] - rs;
        }
        if (t->x[i] == 0) rep->zero_output++;
        if (t->x[i] < 0) rep->negative_cells++;
    }
    for (size_t j = 0; j < n; j++) {
        double cs = 0;
        for (size_t i = 0; i < n; i++) cs += t->Z[i * n + j];
        for (size_t r = 0; r < t->nva; r++) cs += t->V[r * n + j];
        double g = rel_gap(t->x[j], cs, floor);
        if (g > rep->worst_col_rel || j == 0) {
            rep->worst_col_rel = g;
            rep->worst_col = j;
            rep->worst_col_abs = t->x[j] - cs;
        }
    }
    return 0;
}

/* Check that labels exist and are unique. */
static int check_labels(const cp_table *t, const char *what, cp_error *err)
{
    for (size_t i = 0; i < t->n; i++) {
        if (!t->sector[i] || !t->sector[i][0])
            return cp_error_set(err, CP_EINPUT,
                "%s: industry %zu has no sector label; hint: every row needs region and sector", what, i + 1);
        for (size_t k = 0; k < i; k++)
            if (strcmp(t->sector[i], t->sector[k]) == 0 &&
                strcmp(t->region[i] ? t->region[i] : "", t->region[k] ? t->region[k] : "") == 0)
                return cp_error_set(err, CP_EINPUT,
                    "%s: industry '%s/%s' appears twice (positions %zu and %zu); hint: labels must be unique",
                    what, t->region[i] ? t->region[i] : "", t->sector[i], k + 1, i + 1);
    }
    for (size_t a = 0; a < t->nfd; a++)
        for (size_t b = 0; b < a; b++)
            if (strcmp(t->fd_category[a], t->fd_category[b]) == 0 &&
                strcmp(t->fd_region[a], t->fd_region[b]) == 0)
                return cp_error_set(err, CP_EINPUT,
                    "%s: final-demand column '%s/%s' appears twice; hint: labels must be unique",
                    what, t->fd_region[a], t->fd_category[a]);
    for (size_t a = 0; a < t->nva; a++)
        for (size_t b = 0; b < a; b++)
            if (strcmp(t->va_label[a], t->va_label[b]) == 0)
                return cp_error_set(err, CP_EINPUT,
                    "%s: value-added row '%s' appears twice; hint: labels must be unique",
                    what, t->va_label[a]);
    return 0;
}

/* Check every number is finite and output is not negative. */
static int check_values(const cp_table *t, const char *what, cp_error *err)
{
    size_t n = t->n;
    for (size_t i = 0; i < n * n; i++)
        if (!isfinite(t->Z[i]))
            return cp_error_set(err, CP_EINPUT, "%s: Z[%s/%s, %s/%s] is not finite",
                what, t->region[i / n], t->sector[i / n], t->region[i % n], t->sector[i % n]);
    for (size_t i = 0; i < n * t->nfd; i++)
        if (!isfinite(t->Y[i]))
            return cp_error_set(err, CP_EINPUT, "%s: Y row %zu column %zu is not finite",
                                what, i / t->nfd + 1, i % t->nfd + 1);
    for (size_t i = 0; i < n * t->nva; i++)
        if (!isfinite(t->V[i]))
            return cp_error_set(err, CP_EINPUT, "%s: V row %zu column %zu is not finite",
                                what, i / n + 1, i % n + 1);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(t->x[i]))
            return cp_error_set(err, CP_EINPUT, "%s: output of %s/%s is not finite",
                                what, t->region[i], t->sector[i]);
        if (t->x[i] < 0)
            return cp_error_set(err, CP_EINPUT,
                "%s: output of %s/%s is negative (%g %s); hint: total output cannot be negative — check the sign convention of the source",
                what, t->region[i], t->sector[i], t->x[i], t->unit ? t->unit : "");
    }
    return 0;
}

/* Full validation: labels, values, then balance within opts->tol. */
int cp_table_validate(const cp_table *t, const cp_validate_opts *opts,
                      cp_balance_report *rep, cp_error *err)
{
    cp_validate_opts o = opts ? *opts : cp_validate_opts_default();
    cp_balance_report local;
    if (!rep) rep = &local;
    const char *what = t->name ? t->name : "table";
    memset(rep, 0, sizeof *rep);
    if (t->n == 0)
        return cp_error_set(err, CP_EINPUT, "%s: the table has no industries", what);
    int rc = check_labels(t, what, err);
    if (!rc) rc = check_values(t, what, err);
    if (rc) return rc;
    cp_table_balance(t, rep);
    const char *u = t->unit ? t->unit : "";
    int row_bad = !(rep->worst_row_rel <= o.tol);
    int col_bad = o.check_columns && !(rep->worst_col_rel <= o.tol);
    if (row_bad || col_bad) {
        size_t r = rep->worst_row, c = rep->worst_col;
        return cp_error_set(err, CP_EINPUT,
            "%s: the table does not balance within %g (relative).\n"
            "  worst row    %s/%s: output %.10g %s, row sum misses it by %.6g %s (%.3g relative)\n"
            "  worst column %s/%s: output %.10g %s, column sum misses it by %.6g %s (%.3g relative)\n"
            "  hint: fix the source, or loosen the check with --balance-tol %.1g (or skip it with --no-validate)",
            what, o.tol, t->region[r], t->sector[r], t->x[r], u, rep->worst_row_abs, u,
            rep->worst_row_rel, t->region[c], t->sector[c], t->x[c], u, rep->worst_col_abs,
            u, rep->worst_col_rel,
            fmax(rep->worst_row_rel, o.check_columns ? rep->worst_col_rel : 0) * 2);
    }
    return 0;
}
