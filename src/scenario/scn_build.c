/*
 * scn_build.c — turn a checked scenario into a configured ARIO model on a
 * table (labels resolved, every unknown label reported with the event's
 * file:line:col and the known labels), and write the scenario back with
 * every default filled in (scenario.resolved.yaml).
 */
#include "chokepoint.h"
#include "scn_controls.h"
#include "scn_unc.h"
#include "scn_yaml.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Collected binding errors. */
typedef struct bctx {
    const cp_scn *s;
    const char *file;   /* the file the current event was written in (extends:) */
    char buf[CP_ERROR_MSG_MAX];
    size_t len;
    int nerr;
} bctx;

/* Record one located error. */
__attribute__((format(printf, 4, 5)))
static void berr(bctx *c, long line, long col, const char *fmt, ...)
{
    c->nerr++;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char one[1200];
    const char *file = c->file ? c->file : c->s->path;
    if (line > 0) snprintf(one, sizeof one, "%s:%ld:%ld: %s\n", file, line, col, msg);
    else snprintf(one, sizeof one, "%s: %s\n", file, msg);
    size_t l = strlen(one);
    if (c->len + l + 1 < sizeof c->buf) { memcpy(c->buf + c->len, one, l + 1); c->len += l; }
}

/* A short list of known labels for hints. */
static void known(char *out, size_t cap, char *const *labels, size_t n)
{
    out[0] = 0;
    for (size_t i = 0; i < n && strlen(out) + 40 < cap; i++) {
        int dup = 0;
        for (size_t j = 0; j < i; j++) if (!strcmp(labels[i], labels[j])) { dup = 1; break; }
        if (dup) continue;
        if (out[0]) strncat(out, ", ", cap - strlen(out) - 1);
        strncat(out, labels[i], cap - strlen(out) - 1);
    }
}

/* Does the table have this sector label? */
static int has_sector(const cp_table *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++) if (!strcmp(t->sector[i], s)) return 1;
    return 0;
}

/* Check lists of regions and sectors of an event. */
static int check_labels(bctx *c, const cp_table *t, const cp_scn_event *e, char **regs, size_t nr,
                        char **secs, size_t ns)
{
    int bad = 0;
    char kn[600];
    for (size_t i = 0; i < nr; i++)
        if (cp_table_find_region(t, regs[i]) < 0) {
            known(kn, sizeof kn, t->regions, t->nreg);
            berr(c, e->line, e->col, "unknown region '%s'; hint: the table's regions are %s", regs[i], kn);
            bad = 1;
        }
    for (size_t i = 0; i < ns; i++)
        if (!has_sector(t, secs[i])) {
            known(kn, sizeof kn, t->sector, t->n);
            berr(c, e->line, e->col, "unknown sector '%s'; hint: the table's sectors are %s", secs[i], kn);
            bad = 1;
        }
    return bad;
}

/* Is s in the list (NULL list = everything)? */
static int listed(char *const *l, size_t n, const char *s)
{
    if (!l) return 1;
    for (size_t i = 0; i < n; i++) if (!strcmp(l[i], s)) return 1;
    return 0;
}

/* Industries in regions × sectors (sectors NULL = all). */
static size_t pick_industries(const cp_table *t, char **regs, size_t nr, char **secs, size_t ns,
                              size_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if (listed(regs, nr, t->region[i]) && listed(secs, ns, t->sector[i])) out[k++] = i;
    return k;
}

/* Build the model and its events from the scenario. */
int cp_scn_build_ario(const cp_scn *s, const cp_table *t, cp_ario **out, cp_error *err)
{
    *out = NULL;
    bctx *c = calloc(1, sizeof *c);
    size_t *ind = malloc((t->n + 1) * sizeof *ind), *fdc = malloc((t->nfd + 1) * sizeof *fdc);
    double *kappa = NULL;
    cp_ario *m = NULL;
    int rc = 0;
    if (!c || !ind || !fdc) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto done; }
    c->s = s;
    if ((rc = cp_ario_new(&m, t, &s->ario, err))) goto done;
    size_t steps = s->ario.steps;
    char kn[600];
    for (size_t i = 0; i < s->ninv; i++) {
        long p = cp_ario_find_product(m, s->inv_sectors[i]);
        if (p < 0) {
            known(kn, sizeof kn, t->sector, t->n);
            berr(c, s->inv_line[i], s->inv_col[i], "ario.inventory_dict: unknown sector '%s'; hint: the table's sectors are %s", s->inv_sectors[i], kn);
        } else if (cp_ario_set_inv_dur(m, (size_t)p, s->inv_days[i], err)) berr(c, s->inv_line[i], s->inv_col[i], "%s", err->msg);
    }
    if (s->ario.rationing == CP_ARIO_RATION_PRIORITY) {
        size_t np = 0, fd_tier = (size_t)-1;
        for (size_t i = 0; i < s->npriority; i++) {
            if (!strcmp(s->priority[i], "final_demand")) { fd_tier = np; continue; }
            long p = cp_ario_find_product(m, s->priority[i]);
            if (p < 0) {
                known(kn, sizeof kn, t->sector, t->n);
                berr(c, s->prio_line, s->prio_col, "ario.priority: unknown sector '%s'; hint: the table's sectors are %s (or final_demand)", s->priority[i], kn);
            } else ind[np++] = (size_t)p;
        }
        if (fd_tier == (size_t)-1) fd_tier = np;
        if (!c->nerr && cp_ario_set_priority(m, ind, np, fd_tier, err)) berr(c, 0, 0, "%s", err->msg);
    }
    for (size_t k = 0; k < s->nevents; k++) {
        const cp_scn_event *e = &s->events[k];
        c->file = e->file;
        cp_error e2;
        cp_error_clear(&e2);
        if (e->type == CP_SCN_EV_CAPACITY_LOSS) {
            if (check_labels(c, t, e, e->regions, e->nregions, e->sectors, e->nsectors)) continue;
            size_t ni = pick_industries(t, e->regions, e->nregions, e->sectors, e->nsectors, ind);
            if (cp_ario_add_capacity_loss(m, ind, ni, e->share, e->occurrence, e->duration,
                                          e->recovery_tau, &e2))
                berr(c, e->line, e->col, "%s", e2.msg);
        } else if (e->type == CP_SCN_EV_FLOW_CAP) {
            char *from[1] = {e->from}, *prod[1] = {e->product};
            if (check_labels(c, t, e, from, 1, prod, 1)) continue;
            if (check_labels(c, t, e, e->to, e->nto, e->industries, e->nindustries)) continue;
            long sup = cp_table_find(t, e->from, e->product);
            if (sup < 0) { berr(c, e->line, e->col, "region '%s' has no sector '%s'", e->from, e->product); continue; }
            size_t nb = 0, nf = 0;
            for (size_t i = 0; i < t->n && e->intermediate; i++) {
                int to = e->to ? listed(e->to, e->nto, t->region[i]) : strcmp(t->region[i], e->from) != 0;
                if (to && listed(e->industries, e->nindustries, t->sector[i])) ind[nb++] = i;
            }
            for (size_t q = 0; q < t->nfd && e->final_demand; q++) {
                int to = e->to ? listed(e->to, e->nto, t->fd_region[q]) : strcmp(t->fd_region[q], e->from) != 0;
                if (to) fdc[nf++] = q;
            }
            if ((long)steps <= e->occurrence) continue;
            size_t len = e->nseries > 1 ? e->nseries
                       : (e->duration >= 0 ? (size_t)e->duration : steps - (size_t)e->occurrence);
            double *series = malloc((len ? len : 1) * sizeof *series);
            if (!series) { rc = cp_error_set(err, CP_ENOMEM, "out of memory"); goto done; }
            for (size_t q = 0; q < len; q++) series[q] = e->nseries > 1 ? e->series[q] : e->series[0];
            cp_ario_flow_cap fc = {.supplier = (size_t)sup, .buyers = ind, .nbuyers = nb,
                                   .fd_cols = fdc, .nfd = nf, .start = e->occurrence,
                                   .cap = series, .ncap = len};
            if (len && cp_ario_add_flow_cap(m, &fc, &e2)) berr(c, e->line, e->col, "%s", e2.msg);
            free(series);
        } else if (e->type == CP_SCN_EV_FD_CHANGE) {
            if (check_labels(c, t, e, e->regions, e->nregions, e->sectors, e->nsectors)) continue;
            size_t ni = pick_industries(t, NULL, 0, e->sectors, e->nsectors, ind);
            size_t nf = 0;
            for (size_t q = 0; q < t->nfd; q++)
                if (listed(e->regions, e->nregions, t->fd_region[q]) &&
                    listed(e->fd_categories, e->nfd_categories, t->fd_category[q]))
                    fdc[nf++] = q;
            if (!nf) { berr(c, e->line, e->col, "final_demand_change selects no final-demand column; hint: check 'categories'"); continue; }
            if (cp_ario_add_fd_change(m, ind, ni, fdc, nf, e->occurrence, e->duration, e->factor, &e2))
                berr(c, e->line, e->col, "%s", e2.msg);
        } else if (e->type == CP_SCN_EV_CAPACITY_CAP) {
            if (check_labels(c, t, e, e->regions, e->nregions, e->sectors, e->nsectors)) continue;
            if (!kappa) {
                kappa = malloc(steps * t->n * sizeof *kappa);
                if (!kappa) { rc = cp_error_set(err, CP_ENOMEM, "out of memory for the capacity caps"); goto done; }
                for (size_t q = 0; q < steps * t->n; q++) kappa[q] = 1.0;
            }
            size_t ni = pick_industries(t, e->regions, e->nregions, e->sectors, e->nsectors, ind);
            size_t len = e->nseries > 1 ? e->nseries
                       : (e->duration >= 0 ? (size_t)e->duration : steps);
            for (size_t q = 0; q < len; q++) {
                size_t st = (size_t)e->occurrence + q;
                if (st >= steps) break;
                double v = e->nseries > 1 ? e->series[q] : e->series[0];
                for (size_t a = 0; a < ni; a++)
                    if (v < kappa[st * t->n + ind[a]]) kappa[st * t->n + ind[a]] = v;
            }
        }
    }
    c->file = NULL;
    if (kappa && !c->nerr && cp_ario_set_capacity_cap(m, kappa, steps, err)) berr(c, 0, 0, "%s", err->msg);
    if (c->nerr) {
        size_t l = strlen(c->buf);
        while (l && c->buf[l - 1] == '\n') c->buf[--l] = 0;
        rc = cp_error_set(err, CP_EINPUT, "%d error%s in scenario:\n%s", c->nerr, c->nerr == 1 ? "" : "s", c->buf);
    }
done:
    if (rc) cp_ario_free(m);
    else *out = m;
    free(kappa); free(ind); free(fdc); free(c);
    return rc;
}

/* The scenario with every default filled in. */
char *cp_scn_resolved_yaml(const cp_scn *s)
{
    static const char *const order_names[] = {"alt", "base"};
    static const char *const ration_names[] = {"proportional", "final_demand_first", "intermediate_first", "priority"};
    static const char *const overprod_names[] = {"boario", "documented"};
    static const char *const timing_names[] = {"boario", "exact"};
    static const char *const storage_names[] = {"auto", "dense", "sparse"};
    static const char *const ev_names[] = {"capacity_loss", "flow_cap", "final_demand_change", "capacity_cap"};
    scn_buf b = {0};
    const cp_ario_params *p = &s->ario;
    scn_buf_put(&b, "# %s with every default filled in (chokepoint %s)\n", s->path, CP_VERSION);
    if (s->name) { scn_buf_put(&b, "name: "); scn_buf_quote(&b, s->name); scn_buf_put(&b, "\n"); }
    scn_buf_put(&b, "table: "); scn_buf_quote(&b, s->table_path ? s->table_path : s->table); scn_buf_put(&b, "\n");
    scn_buf_put(&b, "model: ario\n");
    if (s->start_date) scn_buf_put(&b, "start_date: %s\n", s->start_date);
    scn_buf_put(&b, "ario:\n");
    scn_buf_put(&b, "  order_type: %s\n", order_names[p->order_type]);
    scn_buf_put(&b, "  alpha_base: "); scn_buf_num(&b, p->alpha_base);
    scn_buf_put(&b, "\n  alpha_max: "); scn_buf_num(&b, p->alpha_max);
    scn_buf_put(&b, "\n  alpha_tau: "); scn_buf_num(&b, p->alpha_tau);
    scn_buf_put(&b, "\n  psi_param: "); scn_buf_num(&b, p->psi);
    scn_buf_put(&b, "\n  main_inv_dur: "); scn_buf_num(&b, p->main_inv_dur);
    scn_buf_put(&b, "\n  inventory_restoration_tau: "); scn_buf_num(&b, p->inventory_restoration_tau);
    scn_buf_put(&b, "\n  monetary_factor: "); scn_buf_num(&b, p->monetary_factor);
    scn_buf_put(&b, "\n  iotable_year_to_temporal_unit_factor: "); scn_buf_num(&b, p->year_to_temporal_unit);
    scn_buf_put(&b, "\n  temporal_units_by_step: %d\n", p->temporal_units_by_step);
    scn_buf_put(&b, "  steps: %zu\n", p->steps);
    scn_buf_put(&b, "  rationing: %s\n", ration_names[p->rationing]);
    if (s->npriority) { scn_buf_put(&b, "  priority: "); scn_buf_list(&b, s->priority, s->npriority); scn_buf_put(&b, "\n"); }
    scn_buf_put(&b, "  overproduction_rule: %s\n", overprod_names[p->overprod]);
    scn_buf_put(&b, "  event_timing: %s\n", timing_names[p->timing]);
    scn_buf_put(&b, "  storage: %s\n", storage_names[p->storage]);
    scn_buf_put(&b, "  threads: %d\n", p->threads);
    if (s->ninv) {
        scn_buf_put(&b, "  inventory_dict:\n");
        for (size_t i = 0; i < s->ninv; i++) {
            scn_buf_put(&b, "    "); scn_buf_quote(&b, s->inv_sectors[i]); scn_buf_put(&b, ": "); scn_buf_num(&b, s->inv_days[i]); scn_buf_put(&b, "\n");
        }
    }
    scn_buf_put(&b, "events:%s\n", s->nevents ? "" : " []");
    for (size_t k = 0; k < s->nevents; k++) {
        const cp_scn_event *e = &s->events[k];
        scn_buf_put(&b, "  - type: %s\n", ev_names[e->type]);
        if (e->nregions) { scn_buf_put(&b, "    regions: "); scn_buf_list(&b, e->regions, e->nregions); scn_buf_put(&b, "\n"); }
        if (e->nsectors) { scn_buf_put(&b, "    sectors: "); scn_buf_list(&b, e->sectors, e->nsectors); scn_buf_put(&b, "\n"); }
        switch (e->type) {
        case CP_SCN_EV_CAPACITY_LOSS:
            scn_buf_put(&b, "    share: "); scn_buf_num(&b, e->share);
            scn_buf_put(&b, "\n    occurrence: %ld\n    duration: %ld\n    recovery_tau: ", e->occurrence, e->duration);
            scn_buf_num(&b, e->recovery_tau); scn_buf_put(&b, "\n");
            break;
        case CP_SCN_EV_FLOW_CAP:
            scn_buf_put(&b, "    product: "); scn_buf_quote(&b, e->product);
            scn_buf_put(&b, "\n    from: "); scn_buf_quote(&b, e->from); scn_buf_put(&b, "\n");
            if (e->nto) { scn_buf_put(&b, "    to: "); scn_buf_list(&b, e->to, e->nto); scn_buf_put(&b, "\n"); }
            if (e->nindustries) { scn_buf_put(&b, "    industries: "); scn_buf_list(&b, e->industries, e->nindustries); scn_buf_put(&b, "\n"); }
            else scn_buf_put(&b, "    industries: all\n");
            scn_buf_put(&b, "    intermediate: %s\n    final_demand: %s\n", e->intermediate ? "true" : "false", e->final_demand ? "true" : "false");
            /* fall through */
        case CP_SCN_EV_CAPACITY_CAP:
            scn_buf_put(&b, "    start: %ld\n", e->occurrence);
            if (e->nseries == 1) {
                scn_buf_put(&b, "    cap: "); scn_buf_num(&b, e->series[0]); scn_buf_put(&b, "\n");
                if (e->duration >= 0) scn_buf_put(&b, "    duration: %ld\n", e->duration);
            } else {
                scn_buf_put(&b, "    series: [");
                for (size_t q = 0; q < e->nseries; q++) { if (q) scn_buf_put(&b, ", "); scn_buf_num(&b, e->series[q]); }
                scn_buf_put(&b, "]\n");
            }
            break;
        case CP_SCN_EV_FD_CHANGE:
            if (e->nfd_categories) { scn_buf_put(&b, "    categories: "); scn_buf_list(&b, e->fd_categories, e->nfd_categories); scn_buf_put(&b, "\n"); }
            scn_buf_put(&b, "    factor: "); scn_buf_num(&b, e->factor);
            scn_buf_put(&b, "\n    start: %ld\n", e->occurrence);
            if (e->duration >= 0) scn_buf_put(&b, "    duration: %ld\n", e->duration);
            break;
        }
    }
    scn_buf_put(&b, "outputs:\n  timeseries: %s\n  inventories: %s\n", s->out_timeseries ? "true" : "false",
       s->out_inventories ? "true" : "false");
    char *ctl = scn_controls_resolved_yaml(s);   /* economy: and controls: */
    if (ctl) { scn_buf_put(&b, "%s", ctl); free(ctl); }
    char *unc = scn_unc_resolved_yaml(s);        /* uncertainty: */
    if (unc) { scn_buf_put(&b, "%s", unc); free(unc); }
    if (b.oom) { free(b.p); return NULL; }
    return b.p;
}
