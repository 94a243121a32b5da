/*
 * res_case.c — the figures of an export-control case from a finished
 * dynamic run: GDP loss (value added lost over the horizon, in the table
 * unit at the run's price year, and as % of annual GDP), losses by
 * industry (sorted), and by calendar month with the controlled
 * materials' availability (docs/outputs.md, docs/japan-case.md).
 *
 *   GDP loss       = Σ_t Σ_i va_i / x_i · (x_i(0) − x_i(t))
 *   GDP loss (%)   = 100 · GDP loss / GDP,   GDP = cp_table_gdp (annual)
 *   availability_k = Σ_days used_k / Σ_days need_k over the month
 *                    (need after substitution; used = market + stockpile)
 */
#include "chokepoint.h"

#include <stdlib.h>
#include <string.h>

/* Release a case's arrays. */
void cp_res_case_free(cp_res_case *c)
{
    if (!c) return;
    free(c->ind_output_loss);
    free(c->ind_va_loss);
    free(c->ind_output_loss_pct);
    free(c->order);
    free(c->month);
    free(c->month_days);
    free(c->month_output_loss);
    free(c->month_va_loss);
    free(c->month_output_loss_pct);
    free(c->mat);
    free(c->mat_controlled);
    free(c->month_avail);
    memset(c, 0, sizeof *c);
}

/* Sort context: industries by VA loss, largest first, ties by index. */
typedef struct ord { double v; size_t i; } ord;

/* qsort comparator for ord. */
static int cmp_ord(const void *a, const void *b)
{
    const ord *p = a, *q = b;
    if (p->v != q->v) return p->v < q->v ? 1 : -1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Year and month of a day number. */
static void year_month(long day, int *y, int *m)
{
    char b[16];
    cp_ctl_date_format(day, b, sizeof b);
    *y = atoi(b);
    *m = atoi(b + 5);
}

/* Compute the case figures; see chokepoint.h. */
int cp_res_case_compute(cp_res_case *c, const cp_table *t, const cp_res_run *r, long start_day,
                        const cp_ctl_model *m, const cp_ctl_result *cr, int price_year,
                        cp_error *err)
{
    memset(c, 0, sizeof *c);
    size_t n = r->n, T = r->done;
    if (n != t->n) return cp_error_set(err, CP_EUSAGE, "case results: run has %zu industries, table %zu", n, t->n);
    if (cr && cr->nsteps < T)
        return cp_error_set(err, CP_EUSAGE, "case results: controls ran %zu days, the model %zu steps", cr->nsteps, T);
    int dated = start_day > CP_CTL_DAY_MIN && start_day < CP_CTL_DAY_MAX;
    c->n = n;
    c->price_year = price_year;
    c->scale_factor = 1.0;
    c->gdp = cp_table_gdp(t);
    /* months: calendar months from the start date, else 30-day blocks */
    size_t nm = 0;
    int y0 = 0, m0 = 0;
    if (dated) {
        int y1, m1;
        year_month(start_day, &y0, &m0);
        year_month(start_day + (long)(T ? T - 1 : 0), &y1, &m1);
        nm = (size_t)((y1 - y0) * 12 + (m1 - m0) + 1);
    } else nm = (T + 29) / 30;
    if (nm == 0) nm = 1;
    c->nmonths = nm;
    c->nmat = cr && m ? cr->nmat : 0;
    size_t K = c->nmat;
    c->ind_output_loss = calloc(n ? n : 1, sizeof(double));
    c->ind_va_loss = calloc(n ? n : 1, sizeof(double));
    c->ind_output_loss_pct = calloc(n ? n : 1, sizeof(double));
    c->order = calloc(n ? n : 1, sizeof(size_t));
    c->month = calloc(nm, sizeof *c->month);
    c->month_days = calloc(nm, sizeof(long));
    c->month_output_loss = calloc(nm, sizeof(double));
    c->month_va_loss = calloc(nm, sizeof(double));
    c->month_output_loss_pct = calloc(nm, sizeof(double));
    c->mat = calloc(K ? K : 1, sizeof *c->mat);
    c->mat_controlled = calloc(K ? K : 1, sizeof(int));
    c->month_avail = calloc(nm * (K ? K : 1), sizeof(double));
    double *base = calloc(nm, sizeof(double)), *need = calloc(nm * (K ? K : 1), sizeof(double));
    ord *o = calloc(n ? n : 1, sizeof *o);
    if (!c->ind_output_loss || !c->ind_va_loss || !c->ind_output_loss_pct || !c->order ||
        !c->month || !c->month_days || !c->month_output_loss || !c->month_va_loss ||
        !c->month_output_loss_pct || !c->mat || !c->mat_controlled || !c->month_avail || !base ||
        !need || !o) {
        free(base); free(need); free(o);
        cp_res_case_free(c);
        return cp_error_set(err, CP_ENOMEM, "case results: out of memory");
    }
    for (size_t q = 0; q < nm; q++) {
        if (dated) {
            int mm = m0 - 1 + (int)q;
            snprintf(c->month[q], sizeof c->month[q], "%04d-%02d", y0 + mm / 12, mm % 12 + 1);
        } else snprintf(c->month[q], sizeof c->month[q], "M%02u", (unsigned)(q + 1) % 10000u);
    }
    for (size_t k = 0; k < K; k++) {
        snprintf(c->mat[k], sizeof c->mat[k], "%s", m->supply[k].element);
        c->mat_controlled[k] = cr->trigger_day[k] < start_day + (long)T;
    }
    for (size_t s = 0; s < T; s++) {
        size_t q;
        if (dated) {
            int y, mo;
            year_month(start_day + (long)s, &y, &mo);
            q = (size_t)((y - y0) * 12 + (mo - m0));
        } else q = s / 30;
        if (q >= nm) q = nm - 1;
        c->month_days[q]++;
        const double *x = r->production + s * n;
        for (size_t i = 0; i < n; i++) {
            double dl = r->x0[i] - x[i];
            double dva = r->x0[i] > 0 ? r->va0[i] * dl / r->x0[i] : 0;
            c->ind_output_loss[i] += dl;
            c->ind_va_loss[i] += dva;
            c->month_output_loss[q] += dl;
            c->month_va_loss[q] += dva;
            base[q] += r->x0[i];
        }
        for (size_t k = 0; k < K; k++) {
            c->month_avail[q * K + k] += cr->used_t[s * K + k];
            need[q * K + k] += cr->need_t[s * K + k];
        }
    }
    for (size_t q = 0; q < nm; q++) {
        c->month_output_loss_pct[q] = base[q] > 0 ? 100.0 * c->month_output_loss[q] / base[q] : 0;
        for (size_t k = 0; k < K; k++) {
            double nd = need[q * K + k];
            c->month_avail[q * K + k] = nd > 0 ? c->month_avail[q * K + k] / nd : 1.0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        c->gdp_loss += c->ind_va_loss[i];
        c->output_loss += c->ind_output_loss[i];
        double xb = r->x0[i] * (double)T;
        c->ind_output_loss_pct[i] = xb > 0 ? 100.0 * c->ind_output_loss[i] / xb : 0;
        o[i].v = c->ind_va_loss[i];
        o[i].i = i;
    }
    qsort(o, n, sizeof *o, cmp_ord);
    for (size_t i = 0; i < n; i++) c->order[i] = o[i].i;
    c->gdp_loss_pct = c->gdp > 0 ? 100.0 * c->gdp_loss / c->gdp : 0;
    free(base); free(need); free(o);
    return 0;
}
