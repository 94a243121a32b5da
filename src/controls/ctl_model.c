/*
 * ctl_model.c — the controls layer's domain model: controlled items,
 * regimes (timelines of licensing phases), the importer's supply side per
 * material and the industries that use each material.
 *
 * The model is plain data built either in C (cp_ctl_add_*) or from YAML
 * (ctl_yaml.c); cp_ctl_model_check validates it as a whole and derives
 * indices, cp_ctl_bind_table checks the use mapping against an
 * input–output table.  Nothing here is specific to Japan or rare earths.
 */
#include "chokepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every chemical element symbol: a material must be one of these. */
static const char *const elements[] = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg",
    "Al", "Si", "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr",
    "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
    "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd",
    "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
    "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf",
    "Ta", "W",  "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po",
    "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm",
    "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs",
    "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

static const char *const form_names[CP_CTL_NFORMS] = {"metal", "oxide", "compound",
                                                      "magnet"};
static const char *const alloc_names[] = {"proportional", "priority", "value"};

/* 1 if sym is an element symbol (case-sensitive: "Dy", not "DY"). */
int cp_ctl_element_known(const char *sym)
{
    if (!sym) return 0;
    for (size_t i = 0; i < sizeof elements / sizeof *elements; i++)
        if (strcmp(sym, elements[i]) == 0) return 1;
    return 0;
}

/* Name of a form as written in YAML. */
const char *cp_ctl_form_name(cp_ctl_form f)
{
    return (unsigned)f < CP_CTL_NFORMS ? form_names[f] : "?";
}

/* Parse a form name; returns 0 or -1. */
int cp_ctl_form_parse(const char *s, cp_ctl_form *f)
{
    for (int i = 0; i < CP_CTL_NFORMS; i++)
        if (strcmp(s, form_names[i]) == 0) { *f = (cp_ctl_form)i; return 0; }
    return -1;
}

/* Name of an allocation rule as written in YAML. */
const char *cp_ctl_alloc_name(cp_ctl_alloc a)
{
    return (unsigned)a < 3 ? alloc_names[a] : "?";
}

/* Parse an allocation rule name; returns 0 or -1. */
int cp_ctl_alloc_parse(const char *s, cp_ctl_alloc *a)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(s, alloc_names[i]) == 0) { *a = (cp_ctl_alloc)i; return 0; }
    return -1;
}

/* An empty model; arrays grow as objects are added. */
cp_ctl_model *cp_ctl_model_new(void)
{
    cp_ctl_model *m = calloc(1, sizeof *m);
    if (m) m->allocation = CP_CTL_PROPORTIONAL;
    return m;
}

/* Free the model and everything it owns. */
void cp_ctl_model_free(cp_ctl_model *m)
{
    if (!m) return;
    free(m->holidays);
    free(m->item);
    free(m->regime);
    free(m->supply);
    free(m->use);
    free(m->range);
    free(m->ind);
    free(m);
}

/* Grow *arr (elements of size sz) so that one more fits; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    void *p = realloc(*arr, nc * sz);
    if (!p) return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

/* Append helpers: copy the object in and return its index (-1 on OOM). */
long cp_ctl_add_item(cp_ctl_model *m, const cp_ctl_item *it)
{
    if (grow((void **)&m->item, &m->cap_items, m->nitems, sizeof *it)) return -1;
    m->item[m->nitems] = *it;
    m->checked = 0;
    return (long)m->nitems++;
}

/* See cp_ctl_add_item. */
long cp_ctl_add_regime(cp_ctl_model *m, const cp_ctl_regime *r)
{
    if (grow((void **)&m->regime, &m->cap_regimes, m->nregimes, sizeof *r)) return -1;
    m->regime[m->nregimes] = *r;
    m->checked = 0;
    return (long)m->nregimes++;
}

/* See cp_ctl_add_item. */
long cp_ctl_add_supply(cp_ctl_model *m, const cp_ctl_supply *s)
{
    if (grow((void **)&m->supply, &m->cap_supply, m->nsupply, sizeof *s)) return -1;
    m->supply[m->nsupply] = *s;
    m->checked = 0;
    return (long)m->nsupply++;
}

/* See cp_ctl_add_item. */
long cp_ctl_add_use(cp_ctl_model *m, const cp_ctl_use *u)
{
    if (grow((void **)&m->use, &m->cap_uses, m->nuses, sizeof *u)) return -1;
    m->use[m->nuses] = *u;
    m->checked = 0;
    return (long)m->nuses++;
}

/* See cp_ctl_add_item.  Ranges point into the model's arrays, so they are
 * added after those arrays stop growing (the YAML reader does that). */
long cp_ctl_add_range(cp_ctl_model *m, const cp_ctl_range *r)
{
    if (grow((void **)&m->range, &m->cap_ranges, m->nranges, sizeof *r)) return -1;
    m->range[m->nranges] = *r;
    return (long)m->nranges++;
}

/* Insert a holiday keeping the list sorted and free of duplicates. */
int cp_ctl_add_holiday(cp_ctl_model *m, long day)
{
    size_t i = 0;
    while (i < m->nholidays && m->holidays[i] < day) i++;
    if (i < m->nholidays && m->holidays[i] == day) return 0;
    long *p = realloc(m->holidays, (m->nholidays + 1) * sizeof *p);
    if (!p) return CP_ENOMEM;
    m->holidays = p;
    memmove(p + i + 1, p + i, (m->nholidays - i) * sizeof *p);
    p[i] = day;
    m->nholidays++;
    return 0;
}

/* A regime with one cut-off phase and no end; caller sets the rest. */
cp_ctl_regime cp_ctl_regime_default(void)
{
    cp_ctl_regime r;
    memset(&r, 0, sizeof r);
    r.end_day = CP_CTL_DAY_MAX;
    r.nphases = 1;
    for (size_t p = 0; p < CP_CTL_MAX_PHASES; p++)
        for (int f = 0; f < CP_CTL_NFORMS; f++) r.phase[p].form_approval[f] = -1.0;
    return r;
}

/* A supply fully from the exporter with no buffers. */
cp_ctl_supply cp_ctl_supply_default(void)
{
    cp_ctl_supply s;
    memset(&s, 0, sizeof s);
    s.exporter_share = 1.0;
    return s;
}

/* A use with neither share nor intensity set, fully critical. */
cp_ctl_use cp_ctl_use_default(void)
{
    cp_ctl_use u;
    memset(&u, 0, sizeof u);
    u.demand_share = -1.0;
    u.t_per_unit_output = -1.0;
    u.criticality = 1.0;
    u.table_index = -1;
    return u;
}

/* Move every uncertain number to one end of its range (or back to the
 * central value); the model must be checked again before it runs. */
void cp_ctl_ranges_pick(cp_ctl_model *m, int which)
{
    for (size_t i = 0; i < m->nranges; i++) {
        const cp_ctl_range *g = &m->range[i];
        *g->value = which < 0 ? g->low : which > 0 ? g->high : g->central;
    }
    m->checked = 0;
}

/* Index of the supply entry for element, or -1. */
long cp_ctl_find_supply(const cp_ctl_model *m, const char *element)
{
    for (size_t k = 0; k < m->nsupply; k++)
        if (strcmp(m->supply[k].element, element) == 0) return (long)k;
    return -1;
}

/* Index of an item by control number, or -1. */
long cp_ctl_find_item(const cp_ctl_model *m, const char *control_no)
{
    for (size_t i = 0; i < m->nitems; i++)
        if (strcmp(m->item[i].control_no, control_no) == 0) return (long)i;
    return -1;
}

/* Report an input error located at src in the model's file. */
#define BAD(m, src, ...) \
    cp_error_at(err, CP_EINPUT, src_file(m, (src).file), (src).line, (src).col, __VA_ARGS__)

/* The file name of a source index, or "controls" for models built in C. */
static const char *src_file(const cp_ctl_model *m, int f)
{
    return f >= 0 && (size_t)f < m->nfiles ? m->files[f] : "controls";
}

/* Check that v is a finite share in [0, 1]; what names it in messages. */
static int check_share(const cp_ctl_model *m, cp_ctl_src src, const char *what, double v,
                       cp_error *err)
{
    if (!isfinite(v) || v < 0.0)
        return BAD(m, src, "%s is %g, below 0; hint: a share is a fraction 0..1", what, v);
    if (v > 1.0)
        return BAD(m, src, "%s is %g, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%%)",
                   what, v);
    return 0;
}

/* Check that v is a finite, non-negative number of days or tonnes. */
static int check_nonneg(const cp_ctl_model *m, cp_ctl_src src, const char *what, double v,
                        cp_error *err)
{
    if (!isfinite(v) || v < 0.0)
        return BAD(m, src, "%s is %g, negative; hint: days and tonnes must be 0 or more", what,
                   v);
    return 0;
}

/* Check a ramped supply or substitution. */
static int check_ramp(const cp_ctl_model *m, cp_ctl_src src, const char *el, const char *what,
                      const cp_ctl_ramp *r, int is_share, cp_error *err)
{
    char w[160];
    snprintf(w, sizeof w, "supply %s: %s amount", el, what);
    int rc = is_share ? check_share(m, src, w, r->amount, err)
                      : check_nonneg(m, src, w, r->amount, err);
    if (rc) return rc;
    snprintf(w, sizeof w, "supply %s: %s lead_days", el, what);
    if ((rc = check_nonneg(m, src, w, r->lead_days, err))) return rc;
    snprintf(w, sizeof w, "supply %s: %s ramp_days", el, what);
    return check_nonneg(m, src, w, r->ramp_days, err);
}

/* 1 if regime r applies to the model's importer. */
static int regime_applies(const cp_ctl_model *m, const cp_ctl_regime *r)
{
    for (size_t i = 0; i < r->nimporters; i++)
        if (strcmp(r->importers[i], "*") == 0 || strcmp(r->importers[i], m->importer) == 0)
            return 1;
    return 0;
}

/* 1 if industry a matches b (an empty region matches any region). */
static int ind_match(const cp_ctl_industry *a, const cp_ctl_industry *b)
{
    if (strcmp(a->sector, b->sector) != 0) return 0;
    return !a->region[0] || !b->region[0] || strcmp(a->region, b->region) == 0;
}

/* Check items: known elements, forms, unique numbers, dates in order. */
static int check_items(cp_ctl_model *m, cp_error *err)
{
    for (size_t i = 0; i < m->nitems; i++) {
        const cp_ctl_item *it = &m->item[i];
        if (!it->control_no[0])
            return BAD(m, it->src, "item %zu has no control number; hint: add control: 1C902", i + 1);
        if (!cp_ctl_element_known(it->element))
            return BAD(m, it->src, "item %s: unknown element \"%s\"; hint: use a chemical symbol such as Dy, Tb, Sm",
                       it->control_no, it->element);
        if (!it->forms)
            return BAD(m, it->src, "item %s covers no form; hint: forms: [metal, oxide, compound, magnet]",
                       it->control_no);
        if (it->listed_day <= CP_CTL_DAY_MIN || it->listed_day >= CP_CTL_DAY_MAX)
            return BAD(m, it->src, "item %s has no listing date; hint: listed: 2025-04-04", it->control_no);
        if (it->suspended_until_day > CP_CTL_DAY_MIN && it->suspended_until_day < it->listed_day) {
            char a[16], b[16];
            cp_ctl_date_format(it->suspended_until_day, a, sizeof a);
            cp_ctl_date_format(it->listed_day, b, sizeof b);
            return BAD(m, it->src, "item %s: suspended_until %s is before its listing date %s; hint: dates out of order",
                       it->control_no, a, b);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->item[j].control_no, it->control_no) == 0)
                return BAD(m, it->src, "item %s is listed twice; hint: give each control number once",
                           it->control_no);
    }
    return 0;
}

/* Check regimes: items resolve, phases ordered inside [start, end). */
static int check_regimes(cp_ctl_model *m, cp_error *err)
{
    for (size_t r = 0; r < m->nregimes; r++) {
        cp_ctl_regime *g = &m->regime[r];
        const char *nm = g->name[0] ? g->name : "(unnamed)";
        if (!g->exporter[0])
            return BAD(m, g->src, "regime %s has no exporter; hint: exporter: CHN", nm);
        if (g->nimporters == 0)
            return BAD(m, g->src, "regime %s lists no importers; hint: importers: [JPN] or ['*']", nm);
        if (g->nitems == 0)
            return BAD(m, g->src, "regime %s controls no items; hint: items: [1C902, 1C905]", nm);
        for (size_t i = 0; i < g->nitems; i++) {
            long k = cp_ctl_find_item(m, g->items[i]);
            if (k < 0)
                return BAD(m, g->src, "regime %s: item \"%s\" is not defined; hint: define it under items: or fix the control number",
                           nm, g->items[i]);
            g->item_idx[i] = (int)k;
        }
        if (g->start_day <= CP_CTL_DAY_MIN || g->start_day >= CP_CTL_DAY_MAX)
            return BAD(m, g->src, "regime %s has no start date; hint: start: 2026-01-06", nm);
        if (g->end_day <= g->start_day) {
            char a[16], b[16];
            cp_ctl_date_format(g->start_day, a, sizeof a);
            cp_ctl_date_format(g->end_day, b, sizeof b);
            return BAD(m, g->src, "regime %s ends (%s) on or before it starts (%s); hint: dates out of order",
                       nm, b, a);
        }
        if (g->nphases == 0 || g->nphases > CP_CTL_MAX_PHASES)
            return BAD(m, g->src, "regime %s has %zu phases; hint: 1 to %d", nm, g->nphases,
                       CP_CTL_MAX_PHASES);
        g->phase[0].from_day = g->start_day;
        for (size_t p = 0; p < g->nphases; p++) {
            const cp_ctl_phase *ph = &m->regime[r].phase[p];
            char w[160];
            snprintf(w, sizeof w, "regime %s: approval_share", nm);
            int rc = check_share(m, g->src, w, ph->approval_share, err);
            if (rc) return rc;
            for (int f = 0; f < CP_CTL_NFORMS; f++) {
                if (ph->form_approval[f] < 0) continue;
                snprintf(w, sizeof w, "regime %s: approval_by_form.%s", nm, form_names[f]);
                if ((rc = check_share(m, g->src, w, ph->form_approval[f], err))) return rc;
            }
            if (ph->review_working_days < 0)
                return BAD(m, g->src, "regime %s: review_working_days is %d, negative; hint: days must be 0 or more",
                           nm, ph->review_working_days);
            if (p > 0 && (ph->from_day <= g->phase[p - 1].from_day || ph->from_day >= g->end_day)) {
                char a[16];
                cp_ctl_date_format(ph->from_day, a, sizeof a);
                return BAD(m, g->src, "regime %s: change from %s is out of order; hint: changes must be in date order, after start and before end",
                           nm, a);
            }
        }
    }
    return 0;
}

/* Check the supply side of each material. */
static int check_supply(cp_ctl_model *m, cp_error *err)
{
    for (size_t k = 0; k < m->nsupply; k++) {
        const cp_ctl_supply *s = &m->supply[k];
        const char *el = s->element;
        char w[160];
        int rc;
        if (!cp_ctl_element_known(el))
            return BAD(m, s->src, "supply: unknown element \"%s\"; hint: use a chemical symbol such as Dy, Tb, Sm", el);
        for (size_t j = 0; j < k; j++)
            if (strcmp(m->supply[j].element, el) == 0)
                return BAD(m, s->src, "supply %s is given twice; hint: one supply entry per element", el);
        snprintf(w, sizeof w, "supply %s: demand_t_per_year", el);
        if ((rc = check_nonneg(m, s->src, w, s->demand_t_per_year, err))) return rc;
        snprintf(w, sizeof w, "supply %s: exporter_share", el);
        if ((rc = check_share(m, s->src, w, s->exporter_share, err))) return rc;
        double fs = 0;
        for (int f = 0; f < CP_CTL_NFORMS; f++) {
            snprintf(w, sizeof w, "supply %s: form_shares.%s", el, form_names[f]);
            if ((rc = check_share(m, s->src, w, s->form_share[f], err))) return rc;
            fs += s->form_share[f];
        }
        if (fs > 0 && fabs(fs - 1.0) > 1e-6)
            return BAD(m, s->src, "supply %s: form_shares sum to %g, not 1; hint: they split the exporter's supply by form",
                       el, fs);
        snprintf(w, sizeof w, "supply %s: inventory_days", el);
        if ((rc = check_nonneg(m, s->src, w, s->inventory_days, err))) return rc;
        for (size_t o = 0; o < s->norigins; o++)
            if ((rc = check_ramp(m, s->src, el, "other origin", &s->origin[o], 0, err))) return rc;
        if ((rc = check_ramp(m, s->src, el, "recycling", &s->recycling, 0, err))) return rc;
        if ((rc = check_ramp(m, s->src, el, "substitution", &s->substitution, 1, err))) return rc;
        snprintf(w, sizeof w, "supply %s: stockpile days", el);
        if ((rc = check_nonneg(m, s->src, w, s->stockpile.days, err))) return rc;
        snprintf(w, sizeof w, "supply %s: stockpile start_delay_days", el);
        if ((rc = check_nonneg(m, s->src, w, s->stockpile.start_delay_days, err))) return rc;
        snprintf(w, sizeof w, "supply %s: stockpile max_rate_share", el);
        if ((rc = check_share(m, s->src, w, s->stockpile.max_rate_share, err))) return rc;
    }
    return 0;
}

/* Check uses, derive material and industry indices and m->ind. */
static int check_uses(cp_ctl_model *m, cp_error *err)
{
    free(m->ind);
    m->ind = calloc(m->nuses ? m->nuses : 1, sizeof *m->ind);
    if (!m->ind) return cp_error_set(err, CP_ENOMEM, "out of memory");
    m->nind = 0;
    for (size_t u = 0; u < m->nuses; u++) {
        cp_ctl_use *us = &m->use[u];
        char w[160];
        int rc;
        if (!cp_ctl_element_known(us->element))
            return BAD(m, us->src, "use: unknown element \"%s\"; hint: use a chemical symbol such as Dy, Tb, Sm",
                       us->element);
        long k = cp_ctl_find_supply(m, us->element);
        if (k < 0)
            return BAD(m, us->src, "use of %s by %s: no supply entry for %s; hint: add it under supply:",
                       us->element, us->ind.sector, us->element);
        us->mat_idx = (size_t)k;
        if (!us->ind.sector[0])
            return BAD(m, us->src, "use of %s has no sector; hint: sector: \"3511\"", us->element);
        if (us->demand_share < 0 && us->t_per_unit_output < 0)
            return BAD(m, us->src, "use of %s by %s gives neither demand_share nor t_per_unit_output; hint: give one",
                       us->element, us->ind.sector);
        if (us->demand_share >= 0) {
            snprintf(w, sizeof w, "use of %s by %s: demand_share", us->element, us->ind.sector);
            if ((rc = check_share(m, us->src, w, us->demand_share, err))) return rc;
        }
        if (us->t_per_unit_output >= 0 && !isfinite(us->t_per_unit_output))
            return BAD(m, us->src, "use of %s by %s: t_per_unit_output is not finite", us->element,
                       us->ind.sector);
        snprintf(w, sizeof w, "use of %s by %s: criticality", us->element, us->ind.sector);
        if ((rc = check_share(m, us->src, w, us->criticality, err))) return rc;
        size_t i;
        for (i = 0; i < m->nind; i++)
            if (strcmp(m->ind[i].sector, us->ind.sector) == 0 &&
                strcmp(m->ind[i].region, us->ind.region) == 0)
                break;
        if (i == m->nind) m->ind[m->nind++] = us->ind;
        us->ind_idx = i;
        for (size_t v = 0; v < u; v++)
            if (m->use[v].mat_idx == us->mat_idx && m->use[v].ind_idx == i)
                return BAD(m, us->src, "use of %s by %s is given twice; hint: one entry per element and sector",
                           us->element, us->ind.sector);
    }
    for (size_t k = 0; k < m->nsupply; k++) {
        double sum = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == k && m->use[u].demand_share > 0) sum += m->use[u].demand_share;
        if (sum > 1.0 + 1e-9)
            return BAD(m, m->supply[k].src, "supply %s: the uses' demand_share sum to %g, over 1; hint: shares of one element's demand cannot exceed 1",
                       m->supply[k].element, sum);
    }
    return 0;
}

/* Validate the whole model and derive its indices; see chokepoint.h. */
int cp_ctl_model_check(cp_ctl_model *m, cp_error *err)
{
    int rc;
    m->checked = 0;
    if ((rc = check_items(m, err))) return rc;
    if ((rc = check_regimes(m, err))) return rc;
    if ((rc = check_supply(m, err))) return rc;
    if ((rc = check_uses(m, err))) return rc;
    if (m->allocation == CP_CTL_PRIORITY && m->norder == 0)
        return cp_error_at(err, CP_EINPUT, src_file(m, 0), 0, 0,
                           "allocation priority needs a priority order; hint: priority_order: [\"3114\", \"3511\"]");
    for (size_t i = 0; i < m->nranges; i++) {
        const cp_ctl_range *g = &m->range[i];
        if (!(g->low <= g->central && g->central <= g->high))
            return cp_error_at(err, CP_EINPUT, src_file(m, 0), 0, 0,
                               "%s: range [%g, %g, %g] is not ordered low <= central <= high",
                               g->path, g->low, g->central, g->high);
    }
    m->checked = 1;
    return 0;
}

/* The phase of regime g in force on day (g active on day). */
static const cp_ctl_phase *phase_at(const cp_ctl_regime *g, long day)
{
    size_t p = 0;
    while (p + 1 < g->nphases && g->phase[p + 1].from_day <= day) p++;
    return &g->phase[p];
}

/* Day from which item it is controlled: listing, or end of suspension. */
static long item_effective(const cp_ctl_item *it)
{
    return it->suspended_until_day > it->listed_day ? it->suspended_until_day : it->listed_day;
}

/* Combine every regime active on day for material k, form by form: the
 * forms covered by items in force, the most restrictive approval, the
 * longest review and the earliest end of the regimes covering each form;
 * banned users' share of demand over all applicable regimes. */
void cp_ctl_state_at(const cp_ctl_model *m, size_t k, long day, cp_ctl_state *st)
{
    const cp_ctl_supply *s = &m->supply[k];
    double fs = 0;
    for (int f = 0; f < CP_CTL_NFORMS; f++) fs += s->form_share[f];
    int split = fs > 0;
    int cov[CP_CTL_NFORMS] = {0};
    memset(st, 0, sizeof *st);
    st->end_day = CP_CTL_DAY_MAX;
    for (int f = 0; f < CP_CTL_NFORMS; f++) {
        st->form_approval[f] = 1.0;
        st->form_end[f] = CP_CTL_DAY_MAX;
    }
    int banned_any = 0;
    for (size_t r = 0; r < m->nregimes; r++) {
        const cp_ctl_regime *g = &m->regime[r];
        if (day < g->start_day || day >= g->end_day || !regime_applies(m, g)) continue;
        unsigned bits = 0;
        for (size_t i = 0; i < g->nitems; i++) {
            const cp_ctl_item *it = &m->item[g->item_idx[i]];
            if (strcmp(it->element, s->element) == 0 && item_effective(it) <= day) bits |= it->forms;
        }
        if (!bits) continue;
        const cp_ctl_phase *ph = phase_at(g, day);
        for (int f = 0; f < (split ? CP_CTL_NFORMS : 1); f++) {
            if (split && !(bits & (1u << f))) continue;
            cov[f] = 1;
            double a = split && ph->form_approval[f] >= 0 ? ph->form_approval[f] : ph->approval_share;
            if (a < st->form_approval[f]) st->form_approval[f] = a;
            if (ph->review_working_days > st->form_review[f]) st->form_review[f] = ph->review_working_days;
            if (g->end_day < st->form_end[f]) st->form_end[f] = g->end_day;
        }
        if (g->end_day < st->end_day) st->end_day = g->end_day;
        if (g->nbans) banned_any = 1;
    }
    double lic = 0;
    for (int f = 0; f < CP_CTL_NFORMS; f++) {
        if (!cov[f]) continue;
        st->form_flow[f] = split ? s->form_share[f] : 1.0;
        st->controlled_share += st->form_flow[f];
        lic += st->form_flow[f] * st->form_approval[f];
        if (st->form_review[f] > st->review_working_days) st->review_working_days = st->form_review[f];
    }
    st->approval_share = st->controlled_share > 0 ? lic / st->controlled_share : 1.0;
    if (st->controlled_share <= 0 || !banned_any) return;
    for (size_t u = 0; u < m->nuses; u++) {
        const cp_ctl_use *us = &m->use[u];
        if (us->mat_idx != k || us->demand_share <= 0) continue;
        int hit = 0;
        for (size_t r = 0; r < m->nregimes && !hit; r++) {
            const cp_ctl_regime *g = &m->regime[r];
            if (day < g->start_day || day >= g->end_day || !regime_applies(m, g)) continue;
            for (size_t b = 0; b < g->nbans && !hit; b++) hit = ind_match(&g->ban[b], &us->ind);
        }
        if (hit) st->banned_share += us->demand_share;
    }
    if (st->banned_share > 1.0) st->banned_share = 1.0;
}

/* Earliest day any regime controls material k for this importer. */
long cp_ctl_first_controlled_day(const cp_ctl_model *m, size_t k)
{
    long best = CP_CTL_DAY_MAX;
    for (size_t r = 0; r < m->nregimes; r++) {
        const cp_ctl_regime *g = &m->regime[r];
        if (!regime_applies(m, g)) continue;
        for (size_t i = 0; i < g->nitems; i++) {
            const cp_ctl_item *it = &m->item[g->item_idx[i]];
            if (strcmp(it->element, m->supply[k].element) != 0) continue;
            long d = item_effective(it);
            if (d < g->start_day) d = g->start_day;
            if (d < g->end_day && d < best) best = d;
        }
    }
    return best;
}

/* 1 if industry j of t still carries the label a use bound to j was
 * found by: its code or name is sector, in region reg when reg is given
 * and the table has several regions (with one region cp_table_find falls
 * back to any region).  On a rebind to the same table (bound_table, same
 * size) the industries before j are the ones the last search passed over,
 * so the search would find j again: one comparison replaces it. */
static int bound_still(const cp_table *t, long j, const char *reg, const char *sector)
{
    if (j < 0 || (size_t)j >= t->n) return 0;
    if (reg && t->nreg > 1 && (!t->region[j] || strcmp(t->region[j], reg) != 0)) return 0;
    return (t->sector[j] && strcmp(t->sector[j], sector) == 0) ||
           (t->sector_name[j] && strcmp(t->sector_name[j], sector) == 0);
}

/* Bind the uses to table t: find each industry, derive the missing one
 * of demand_share / t_per_unit_output from output x, and value added per
 * tonne.  A sector the table lacks is refused at the use's position.
 * Rebinding to the table of the last bind (a Monte Carlo draw restores
 * the uses with their table_index and binds again) checks each use's
 * label at its index (bound_still) instead of searching the table. */
int cp_ctl_bind_table(cp_ctl_model *m, const cp_table *t, cp_error *err)
{
    if (!m->checked)
        return cp_error_set(err, CP_EUSAGE, "controls: bind the model to a table after cp_ctl_model_check; hint: check it first");
    int again = m->bound_table == t && m->bound_n == t->n;
    m->bound_table = NULL;
    for (size_t u = 0; u < m->nuses; u++) {
        cp_ctl_use *us = &m->use[u];
        const char *reg = us->ind.region[0] ? us->ind.region : NULL;
        long j = us->table_index;
        if (!again || !bound_still(t, j, reg, us->ind.sector)) {
            j = cp_table_find(t, reg, us->ind.sector);
            if (j < 0 && reg && t->nreg <= 1) j = cp_table_find(t, NULL, us->ind.sector);
        }
        if (j < 0) {
            const char *near = NULL;
            for (size_t i = 0; i < t->n && !near; i++)
                if (t->sector[i] && strncmp(t->sector[i], us->ind.sector, 2) == 0) near = t->sector[i];
            return BAD(m, us->src, "use of %s: table \"%s\" has no sector \"%s\"%s%s; hint: use a sector code of that table%s%s%s",
                       us->element, t->name ? t->name : "?", us->ind.sector,
                       reg ? " in region " : "", reg ? reg : "", near ? " (e.g. \"" : "",
                       near ? near : "", near ? "\")" : "");
        }
        us->table_index = j;
        double x = t->x[j];
        double D = m->supply[us->mat_idx].demand_t_per_year;
        if (us->demand_share < 0) {
            us->demand_share = D > 0 ? us->t_per_unit_output * x / D : 0.0;
            if (us->demand_share > 1.0 + 1e-9)
                return BAD(m, us->src, "use of %s by %s: t_per_unit_output %g times output %g %s is %g t, more than the demand of %g t/year; hint: check the intensity's unit (t per %s of output)",
                           us->element, us->ind.sector, us->t_per_unit_output, x,
                           t->unit ? t->unit : "", us->t_per_unit_output * x, D,
                           t->unit ? t->unit : "table unit");
        } else if (us->t_per_unit_output < 0) {
            us->t_per_unit_output = x > 0 ? us->demand_share * D / x : 0.0;
        }
        double tonnes = us->demand_share * D;
        us->va_per_t = tonnes > 0 ? cp_table_va(t, (size_t)j) / tonnes : 0.0;
    }
    for (size_t k = 0; k < m->nsupply; k++) {
        double sum = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == k) sum += m->use[u].demand_share;
        if (sum > 1.0 + 1e-9)
            return BAD(m, m->supply[k].src, "supply %s: with the table's output the uses take %g of demand, over 1; hint: lower t_per_unit_output or raise demand_t_per_year",
                       m->supply[k].element, sum);
    }
    m->bound_table = t;
    m->bound_n = t->n;
    return 0;
}
