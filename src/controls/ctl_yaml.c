/*
 * ctl_yaml.c — read a controls file (YAML) into a cp_ctl_model.
 *
 * Kept apart from the mechanics (ctl_model.c, ctl_run.c) so that those are
 * tested directly and this file only turns text into the model, refusing
 * bad input with file:line:col and a hint.  libfyaml's event parser is
 * used to build a small tree that remembers where every node starts (the
 * 0.7 document API does not expose node positions), and the tree is then
 * walked against the schema in docs/controls.md.  Unknown keys are errors,
 * so a typo is never silently ignored.  Any number may be written as
 * [low, central, high]: the central value is used and the range recorded
 * for the uncertainty sampler.
 */
#include "chokepoint.h"
#include "core/yaml_text.h"
#include "core/yaml_diag.h"

#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tree of YAML nodes with positions ------------------------------ */

enum { YN_SCALAR, YN_SEQ, YN_MAP };

typedef struct ynode {
    int type;
    long line, col;   /* 1-based */
    char *s;          /* scalar text (NUL-terminated) */
    long first, last; /* children (mapping: key, value, key, value …) */
    long next;        /* next sibling, -1 at the end */
} ynode;

typedef struct ytree {
    ynode *n;
    size_t len, cap;
} ytree;

/* Ranges wait until the model's arrays stop growing. */
typedef struct pending_range {
    cp_ctl_range r;
    int arr;      /* 0 supply, 1 use, 2 regime */
    size_t idx;
    size_t off;   /* byte offset of the double in the object */
} pending_range;

typedef struct ctx {
    const char *file;
    int fidx;         /* index of file in m->files */
    cp_error *err;
    ytree t;
    cp_ctl_model *m;
    pending_range *pr;
    size_t npr, cappr;
} ctx;

/* Free the tree's strings and nodes. */
static void tree_free(ytree *t)
{
    for (size_t i = 0; i < t->len; i++) free(t->n[i].s);
    free(t->n);
    memset(t, 0, sizeof *t);
}

/* Append a node; returns its index or -1 on out-of-memory. */
static long tree_add(ytree *t, int type, const struct fy_mark *mk)
{
    if (t->len == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 256;
        ynode *p = realloc(t->n, nc * sizeof *p);
        if (!p) return -1;
        t->n = p;
        t->cap = nc;
    }
    ynode *y = &t->n[t->len];
    memset(y, 0, sizeof *y);
    y->type = type;
    y->line = mk ? mk->line + 1 : 0;
    y->col = mk ? mk->column + 1 : 0;
    y->first = y->last = y->next = -1;
    return (long)t->len++;
}

/* Link child c as the last child of parent p. */
static void tree_link(ytree *t, long p, long c)
{
    if (p < 0) return;
    if (t->n[p].last < 0) t->n[p].first = c;
    else t->n[t->n[p].last].next = c;
    t->n[p].last = c;
}

/* Error at node y of the file. */
#define YERR(c, y, ...) cp_error_at((c)->err, CP_EINPUT, (c)->file, (y)->line, (y)->col, __VA_ARGS__)

/* Turn the captured libfyaml error into file:line:col: message. */
static int syntax_error(ctx *c, const cp_yaml_diag *dc)
{
    if (dc->have)
        return cp_error_at(c->err, CP_EINPUT, c->file, dc->line, dc->col,
                           "YAML syntax error: %s; hint: check indentation, colons, brackets and quotes here",
                           dc->msg);
    return cp_error_at(c->err, CP_EINPUT, c->file, 0, 0,
                       "YAML syntax error; hint: check the file with a YAML linter");
}

/* Parse text into c->t with the event API; root is node 0 (or none for
 * an empty document).  Refuses aliases, several documents and nesting
 * deeper than 32. */
static int tree_build(ctx *c, const char *text, size_t len)
{
    cp_yaml_diag dc;
    struct fy_diag *diag = cp_yaml_diag_create(&dc);
    if (!diag) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    struct fy_parse_cfg pcfg;
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.flags = FYPCF_QUIET;
    pcfg.diag = diag;
    struct fy_parser *fyp = fy_parser_create(&pcfg);
    int rc = 0;
    if (!fyp || fy_parser_set_string(fyp, text, len) != 0) {
        rc = cp_error_set(c->err, CP_ENOMEM, "out of memory");
        goto out;
    }
    long stack[32];
    int depth = 0, docs = 0;
    long pending_key[32]; /* mapping: 1 if the next node is a key */
    struct fy_event *ev;
    while ((ev = fy_parser_parse(fyp)) != NULL) {
        const struct fy_mark *mk = fy_event_start_mark(ev);
        long id = -2;
        switch (ev->type) {
        case FYET_DOCUMENT_START:
            if (++docs > 1) {
                ynode tmp = {0, mk ? mk->line + 1 : 0, mk ? mk->column + 1 : 0, NULL, -1, -1, -1};
                rc = YERR(c, &tmp, "a second YAML document; hint: one controls file holds one document");
            }
            break;
        case FYET_SCALAR: {
            id = tree_add(&c->t, YN_SCALAR, mk);
            if (id < 0) { rc = CP_ENOMEM; break; }
            size_t l = 0;
            const char *s = fy_token_get_text(ev->scalar.value, &l);
            char *dup = malloc(l + 1);
            if (!dup) { rc = CP_ENOMEM; break; }
            if (l) memcpy(dup, s, l);
            dup[l] = '\0';
            c->t.n[id].s = dup;
            break;
        }
        case FYET_SEQUENCE_START:
        case FYET_MAPPING_START:
            id = tree_add(&c->t, ev->type == FYET_MAPPING_START ? YN_MAP : YN_SEQ, mk);
            if (id < 0) rc = CP_ENOMEM;
            break;
        case FYET_SEQUENCE_END:
        case FYET_MAPPING_END:
            if (depth > 0) depth--;
            break;
        case FYET_ALIAS: {
            ynode tmp = {0, mk ? mk->line + 1 : 0, mk ? mk->column + 1 : 0, NULL, -1, -1, -1};
            rc = YERR(c, &tmp, "YAML aliases (*name) are not supported; hint: write the value out");
            break;
        }
        default:
            break;
        }
        if (id >= 0 && rc == 0) {
            tree_link(&c->t, depth ? stack[depth - 1] : -1, id);
            if (c->t.n[id].type != YN_SCALAR) {
                if (depth == 32) {
                    rc = YERR(c, &c->t.n[id], "nesting deeper than 32 levels; hint: the schema needs at most 5");
                } else {
                    pending_key[depth] = 1;
                    stack[depth++] = id;
                }
            }
        }
        fy_parser_event_free(fyp, ev);
        if (rc) break;
    }
    (void)pending_key;
    if (rc == CP_ENOMEM) rc = cp_error_set(c->err, CP_ENOMEM, "out of memory reading %s", c->file);
    else if (!rc && fy_parser_get_stream_error(fyp)) rc = syntax_error(c, &dc);
out:
    if (fyp) fy_parser_destroy(fyp);
    fy_diag_unref(diag);
    return rc;
}

/* ---- typed access with messages ---------------------------------------- */

static const char *const k_top[] = {"version", "importer", "allocation", "priority_order",
                                    "holidays", "items", "regimes", "supply", "uses",
                                    "title", "source", "note", NULL};
static const char *const k_item[] = {"control", "element", "forms", "hs", "listed",
                                     "suspended_until", "name", "source", "note", NULL};
static const char *const k_regime[] = {"name", "exporter", "importers", "items", "start",
                                       "end", "duration_days", "approval_share",
                                       "approval_by_form", "review_working_days",
                                       "banned_sectors", "changes", "source", "note", NULL};
static const char *const k_change[] = {"from", "approval_share", "approval_by_form",
                                       "review_working_days", "source", "note", NULL};
static const char *const k_supply[] = {"element", "demand_t_per_year", "exporter_share",
                                       "form_shares", "inventory_days", "other_origins",
                                       "recycling", "substitution", "stockpile", "source",
                                       "note", NULL};
static const char *const k_origin[] = {"name", "t_per_year", "lead_days", "ramp_days",
                                       "source", "note", NULL};
static const char *const k_subst[] = {"max_share", "lead_days", "ramp_days", "source",
                                      "note", NULL};
static const char *const k_stock[] = {"days", "start_delay_days", "max_rate_share",
                                      "priority", "source", "note", NULL};
static const char *const k_use[] = {"element", "sector", "region", "demand_share",
                                    "t_per_unit_output", "criticality", "name", "source",
                                    "note", NULL};
static const char *const k_ind[] = {"region", "sector", NULL};

/* Check that every key of mapping y is in keys; the message lists them. */
static int check_keys(ctx *c, const ynode *y, const char *what, const char *const *keys)
{
    for (long k = y->first; k >= 0; k = c->t.n[c->t.n[k].next].next) {
        const ynode *key = &c->t.n[k];
        if (key->type != YN_SCALAR)
            return YERR(c, key, "a %s key must be a plain word; hint: write key: value", what);
        int ok = 0;
        for (size_t i = 0; keys[i]; i++) ok |= strcmp(key->s, keys[i]) == 0;
        if (!ok) {
            char list[512];
            size_t off = 0;
            list[0] = '\0';
            for (size_t i = 0; keys[i] && off < sizeof list - 40; i++)
                off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "", keys[i]);
            return YERR(c, key, "unknown key \"%s\" in %s; hint: known keys: %s", key->s, what, list);
        }
        for (long j = y->first; j != k; j = c->t.n[c->t.n[j].next].next)
            if (strcmp(c->t.n[j].s, key->s) == 0)
                return YERR(c, key, "key \"%s\" given twice in %s; hint: keep one", key->s, what);
        if (key->next < 0) break;
    }
    return 0;
}

/* The value node of key in mapping y, or NULL. */
static const ynode *get(ctx *c, const ynode *y, const char *key)
{
    if (!y || y->type != YN_MAP) return NULL;
    for (long k = y->first; k >= 0 && c->t.n[k].next >= 0; k = c->t.n[c->t.n[k].next].next)
        if (c->t.n[k].type == YN_SCALAR && strcmp(c->t.n[k].s, key) == 0)
            return &c->t.n[c->t.n[k].next];
    return NULL;
}

/* Require a mapping (what names it in the message). */
static int want(ctx *c, const ynode *y, int type, const char *what)
{
    static const char *const tn[] = {"a single value", "a list", "a mapping (key: value lines)"};
    if (y->type != type)
        return YERR(c, y, "%s must be %s, not %s; hint: see docs/controls.md for its form", what,
                    tn[type], tn[y->type]);
    return 0;
}

/* Copy a scalar into buf (cap bytes), refusing lists, maps, empties and
 * over-long text. */
static int get_str(ctx *c, const ynode *y, const char *what, char *buf, size_t cap)
{
    int rc = want(c, y, YN_SCALAR, what);
    if (rc) return rc;
    if (!y->s[0]) return YERR(c, y, "%s is empty; hint: give a value", what);
    if (strlen(y->s) >= cap)
        return YERR(c, y, "%s \"%s\" is longer than %zu characters; hint: shorten it", what, y->s,
                    cap - 1);
    memcpy(buf, y->s, strlen(y->s) + 1);
    return 0;
}

/* A required key: its node, or an error at the mapping. */
static int need(ctx *c, const ynode *map, const char *key, const char *what, const char *example,
                const ynode **out)
{
    *out = get(c, map, key);
    if (!*out) return YERR(c, map, "%s has no \"%s\"; hint: add %s", what, key, example);
    return 0;
}

/* Parse one scalar number with a message naming what it is. */
static int scalar_num(ctx *c, const ynode *y, const char *what, double *v)
{
    int rc = want(c, y, YN_SCALAR, what);
    if (rc) return rc;
    if (cp_parse_double(y->s, v) != 0)
        return YERR(c, y, "%s \"%s\" is not a number; hint: write e.g. 0.25 or 45", what, y->s);
    return 0;
}

enum { NUM_ANY, NUM_NONNEG, NUM_SHARE };

/* Check one value against its kind: shares in [0, 1], days and tonnes
 * non-negative. */
static int num_check(ctx *c, const ynode *y, const char *what, double v, int kind)
{
    if (kind == NUM_SHARE && v > 1.0)
        return YERR(c, y, "%s is %g, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%%)",
                    what, v);
    if (kind == NUM_SHARE && v < 0.0)
        return YERR(c, y, "%s is %g, below 0; hint: a share is a fraction 0..1", what, v);
    if (kind == NUM_NONNEG && v < 0.0)
        return YERR(c, y, "%s is %g, negative; hint: days and tonnes must be 0 or more", what, v);
    return 0;
}

/* A number, or [low, central, high] whose central value is stored in *v
 * and whose range is queued (object base/arr/idx locate *v later). */
static int get_num(ctx *c, const ynode *y, const char *what, int kind, double *v,
                   const void *base, int arr, size_t idx, const char *path)
{
    if (y->type == YN_SEQ) {
        double r[3];
        int n = 0;
        for (long k = y->first; k >= 0; k = c->t.n[k].next) {
            if (n == 3) { n = 4; break; }
            int rc = scalar_num(c, &c->t.n[k], what, &r[n]);
            if (rc) return rc;
            if ((rc = num_check(c, &c->t.n[k], what, r[n], kind))) return rc;
            n++;
        }
        if (n != 3)
            return YERR(c, y, "%s: a range needs exactly 3 numbers; hint: write [low, central, high]",
                        what);
        if (!(r[0] <= r[1] && r[1] <= r[2]))
            return YERR(c, y, "%s: range [%g, %g, %g] is not ordered; hint: write [low, central, high]",
                        what, r[0], r[1], r[2]);
        *v = r[1];
        if (!base) return 0;
        if (c->npr == c->cappr) {
            size_t nc = c->cappr ? c->cappr * 2 : 64;
            pending_range *p = realloc(c->pr, nc * sizeof *p);
            if (!p) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
            c->pr = p;
            c->cappr = nc;
        }
        pending_range *p = &c->pr[c->npr++];
        memset(p, 0, sizeof *p);
        snprintf(p->r.path, sizeof p->r.path, "%s", path);
        p->r.low = r[0];
        p->r.central = r[1];
        p->r.high = r[2];
        p->arr = arr;
        p->idx = idx;
        p->off = (size_t)((const char *)v - (const char *)base);
        return 0;
    }
    int rc = scalar_num(c, y, what, v);
    if (rc) return rc;
    return num_check(c, y, what, *v, kind);
}

/* A whole number of days (no ranges: these are calendar rules). */
static int get_int(ctx *c, const ynode *y, const char *what, int *v)
{
    double d;
    int rc = scalar_num(c, y, what, &d);
    if (rc) return rc;
    if (d < 0) return YERR(c, y, "%s is %g, negative; hint: days must be 0 or more", what, d);
    if (d != floor(d) || d > 100000)
        return YERR(c, y, "%s is %g; hint: a whole number of days", what, d);
    *v = (int)d;
    return 0;
}

/* An ISO date. */
static int get_date(ctx *c, const ynode *y, const char *what, long *day)
{
    int rc = want(c, y, YN_SCALAR, what);
    if (rc) return rc;
    if (cp_ctl_date_parse(y->s, day) != 0)
        return YERR(c, y, "%s \"%s\" is not a date; hint: write YYYY-MM-DD", what, y->s);
    return 0;
}

/* An element symbol known to the periodic table. */
static int get_element(ctx *c, const ynode *y, char *el)
{
    char buf[CP_CTL_LABEL];
    int rc = get_str(c, y, "element", buf, sizeof buf);
    if (rc) return rc;
    if (strlen(buf) > 3 || !cp_ctl_element_known(buf))
        return YERR(c, y, "unknown element \"%s\"; hint: use a chemical symbol such as Dy, Tb, Sm (case matters)",
                    buf);
    memcpy(el, buf, strlen(buf) + 1);
    return 0;
}

/* An industry: "3511" or {region: JPN, sector: "3511"}. */
static int get_industry(ctx *c, const ynode *y, const char *what, cp_ctl_industry *ind)
{
    memset(ind, 0, sizeof *ind);
    if (y->type == YN_SCALAR) return get_str(c, y, what, ind->sector, sizeof ind->sector);
    int rc = want(c, y, YN_MAP, what);
    if (rc || (rc = check_keys(c, y, what, k_ind))) return rc;
    const ynode *s;
    if ((rc = need(c, y, "sector", what, "sector: \"3511\"", &s))) return rc;
    if ((rc = get_str(c, s, "sector", ind->sector, sizeof ind->sector))) return rc;
    const ynode *r = get(c, y, "region");
    if (r && (rc = get_str(c, r, "region", ind->region, sizeof ind->region))) return rc;
    return 0;
}

/* A list of industries into arr (at most CP_CTL_MAX_LIST). */
static int get_industries(ctx *c, const ynode *y, const char *what, cp_ctl_industry *arr,
                          size_t *n)
{
    int rc = want(c, y, YN_SEQ, what);
    if (rc) return rc;
    *n = 0;
    for (long k = y->first; k >= 0; k = c->t.n[k].next) {
        if (*n == CP_CTL_MAX_LIST)
            return YERR(c, &c->t.n[k], "%s: more than %d entries; hint: group sectors", what,
                        CP_CTL_MAX_LIST);
        if ((rc = get_industry(c, &c->t.n[k], what, &arr[(*n)++]))) return rc;
    }
    return 0;
}

/* ---- the schema ---------------------------------------------------------- */

/* Start one entry of a list (an item, a regime, a supply entry, a use):
 * record where it was written in src, and check that y is a mapping of
 * known keys (what names it in messages). */
static int entry_begin(ctx *c, const ynode *y, cp_ctl_src *src, const char *what,
                       const char *const *keys)
{
    src->file = c->fidx;
    src->line = y->line;
    src->col = y->col;
    int rc;
    if ((rc = want(c, y, YN_MAP, what)) || (rc = check_keys(c, y, what, keys))) return rc;
    return 0;
}

/* One controlled item. */
static int parse_item(ctx *c, const ynode *y)
{
    cp_ctl_item it;
    memset(&it, 0, sizeof it);
    it.suspended_until_day = CP_CTL_DAY_MIN;
    int rc;
    const ynode *v;
    if ((rc = entry_begin(c, y, &it.src, "an item", k_item))) return rc;
    if ((rc = need(c, y, "control", "item", "control: 1C902", &v)) ||
        (rc = get_str(c, v, "control", it.control_no, sizeof it.control_no)))
        return rc;
    if (cp_ctl_find_item(c->m, it.control_no) >= 0)
        return YERR(c, v, "item %s is listed twice; hint: give each control number once",
                    it.control_no);
    if ((rc = need(c, y, "element", "item", "element: Sm", &v)) || (rc = get_element(c, v, it.element)))
        return rc;
    if ((rc = need(c, y, "forms", "item", "forms: [metal, oxide, compound, magnet]", &v)) ||
        (rc = want(c, v, YN_SEQ, "forms")))
        return rc;
    for (long k = v->first; k >= 0; k = c->t.n[k].next) {
        const ynode *f = &c->t.n[k];
        cp_ctl_form form;
        if ((rc = want(c, f, YN_SCALAR, "a form"))) return rc;
        if (cp_ctl_form_parse(f->s, &form) != 0)
            return YERR(c, f, "unknown form \"%s\"; hint: metal, oxide, compound or magnet", f->s);
        it.forms |= 1u << form;
    }
    if (!it.forms)
        return YERR(c, v, "forms is empty; hint: forms: [metal, oxide, compound, magnet]");
    if ((v = get(c, y, "hs"))) {
        if ((rc = want(c, v, YN_SEQ, "hs"))) return rc;
        for (long k = v->first; k >= 0; k = c->t.n[k].next) {
            if (it.nhs == CP_CTL_MAX_HS)
                return YERR(c, &c->t.n[k], "more than %d HS codes; hint: keep the main lines",
                            CP_CTL_MAX_HS);
            if ((rc = get_str(c, &c->t.n[k], "an HS code", it.hs[it.nhs++], 16))) return rc;
        }
    }
    if ((rc = need(c, y, "listed", "item", "listed: 2025-04-04", &v)) ||
        (rc = get_date(c, v, "listed", &it.listed_day)))
        return rc;
    if ((v = get(c, y, "suspended_until"))) {
        if ((rc = get_date(c, v, "suspended_until", &it.suspended_until_day))) return rc;
        if (it.suspended_until_day < it.listed_day) {
            char a[16];
            cp_ctl_date_format(it.listed_day, a, sizeof a);
            return YERR(c, v, "suspended_until %s is before listed %s; hint: dates out of order",
                        v->s, a);
        }
    }
    if (cp_ctl_add_item(c->m, &it) < 0) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Licensing settings shared by a regime's first phase and its changes. */
static int parse_phase(ctx *c, const ynode *y, cp_ctl_regime *g, cp_ctl_phase *ph, size_t p)
{
    const ynode *v;
    int rc;
    char path[192];
    snprintf(path, sizeof path, "regime[%s].phase[%zu].approval_share", g->name, p);
    if ((v = get(c, y, "approval_share")) &&
        (rc = get_num(c, v, "approval_share", NUM_SHARE, &ph->approval_share, g, 2,
                      c->m->nregimes, path)))
        return rc;
    if ((v = get(c, y, "review_working_days")) &&
        (rc = get_int(c, v, "review_working_days", &ph->review_working_days)))
        return rc;
    if ((v = get(c, y, "approval_by_form"))) {
        if ((rc = want(c, v, YN_MAP, "approval_by_form"))) return rc;
        for (long k = v->first; k >= 0 && c->t.n[k].next >= 0; k = c->t.n[c->t.n[k].next].next) {
            const ynode *key = &c->t.n[k], *val = &c->t.n[key->next];
            cp_ctl_form f;
            if (key->type != YN_SCALAR || cp_ctl_form_parse(key->s, &f) != 0)
                return YERR(c, key, "unknown form \"%s\" in approval_by_form; hint: metal, oxide, compound or magnet",
                            key->type == YN_SCALAR ? key->s : "?");
            snprintf(path, sizeof path, "regime[%s].phase[%zu].approval_by_form.%s", g->name, p,
                     key->s);
            if ((rc = get_num(c, val, "a form's approval share", NUM_SHARE, &ph->form_approval[f],
                              g, 2, c->m->nregimes, path)))
                return rc;
        }
    }
    return 0;
}

/* One regime with its changes (a timeline). */
static int parse_regime(ctx *c, const ynode *y)
{
    cp_ctl_regime g = cp_ctl_regime_default();
    int rc;
    const ynode *v;
    if ((rc = entry_begin(c, y, &g.src, "a regime", k_regime))) return rc;
    if ((v = get(c, y, "name")) && (rc = get_str(c, v, "name", g.name, sizeof g.name))) return rc;
    if (!g.name[0]) snprintf(g.name, sizeof g.name, "regime-%zu", c->m->nregimes + 1);
    if ((rc = need(c, y, "exporter", "regime", "exporter: CHN", &v)) ||
        (rc = get_str(c, v, "exporter", g.exporter, sizeof g.exporter)))
        return rc;
    if ((rc = need(c, y, "importers", "regime", "importers: [JPN]", &v)) ||
        (rc = want(c, v, YN_SEQ, "importers")))
        return rc;
    for (long k = v->first; k >= 0; k = c->t.n[k].next) {
        if (g.nimporters == CP_CTL_MAX_LIST)
            return YERR(c, &c->t.n[k], "more than %d importers; hint: use '*'", CP_CTL_MAX_LIST);
        if ((rc = get_str(c, &c->t.n[k], "an importer", g.importers[g.nimporters++], CP_CTL_LABEL)))
            return rc;
    }
    if (!g.nimporters) return YERR(c, v, "importers is empty; hint: importers: [JPN] or ['*']");
    if ((rc = need(c, y, "items", "regime", "items: [1C902, 1C905] or items: all", &v))) return rc;
    if (v->type == YN_SCALAR && strcmp(v->s, "all") == 0) {
        if (c->m->nitems > CP_CTL_MAX_LIST)
            return YERR(c, v, "more than %d items; hint: split the regime", CP_CTL_MAX_LIST);
        for (size_t i = 0; i < c->m->nitems; i++)
            snprintf(g.items[g.nitems++], CP_CTL_LABEL, "%s", c->m->item[i].control_no);
        if (!g.nitems) return YERR(c, v, "items: all, but no items are defined; hint: define items: first");
    } else {
        if ((rc = want(c, v, YN_SEQ, "items"))) return rc;
        for (long k = v->first; k >= 0; k = c->t.n[k].next) {
            const ynode *e = &c->t.n[k];
            if (g.nitems == CP_CTL_MAX_LIST)
                return YERR(c, e, "more than %d items; hint: split the regime", CP_CTL_MAX_LIST);
            if ((rc = get_str(c, e, "an item", g.items[g.nitems], CP_CTL_LABEL))) return rc;
            if (cp_ctl_find_item(c->m, g.items[g.nitems]) < 0)
                return YERR(c, e, "item \"%s\" is not defined; hint: define it under items: or fix the control number",
                            e->s);
            g.nitems++;
        }
        if (!g.nitems) return YERR(c, v, "items is empty; hint: items: [1C902]");
    }
    const ynode *vs;
    if ((rc = need(c, y, "start", "regime", "start: 2026-01-06", &vs)) ||
        (rc = get_date(c, vs, "start", &g.start_day)))
        return rc;
    const ynode *ve = get(c, y, "end"), *vd = get(c, y, "duration_days");
    if (ve && vd) return YERR(c, vd, "give end or duration_days, not both; hint: drop one");
    if (ve) {
        if ((rc = get_date(c, ve, "end", &g.end_day))) return rc;
        if (g.end_day <= g.start_day)
            return YERR(c, ve, "end %s is not after start %s; hint: dates out of order", ve->s, vs->s);
    } else if (vd) {
        int days;
        if ((rc = get_int(c, vd, "duration_days", &days))) return rc;
        if (days == 0) return YERR(c, vd, "duration_days is 0; hint: at least 1 day");
        g.end_day = g.start_day + days;
    }
    g.nphases = 1;
    g.phase[0].from_day = g.start_day;
    if ((rc = parse_phase(c, y, &g, &g.phase[0], 0))) return rc;
    if ((v = get(c, y, "banned_sectors")) &&
        (rc = get_industries(c, v, "banned_sectors", g.ban, &g.nbans)))
        return rc;
    if ((v = get(c, y, "changes"))) {
        if ((rc = want(c, v, YN_SEQ, "changes"))) return rc;
        for (long k = v->first; k >= 0; k = c->t.n[k].next) {
            const ynode *ch = &c->t.n[k], *vf;
            if ((rc = want(c, ch, YN_MAP, "a change")) ||
                (rc = check_keys(c, ch, "a change", k_change)))
                return rc;
            if (g.nphases == CP_CTL_MAX_PHASES)
                return YERR(c, ch, "more than %d changes; hint: split the regime",
                            CP_CTL_MAX_PHASES - 1);
            cp_ctl_phase *ph = &g.phase[g.nphases];
            *ph = g.phase[g.nphases - 1]; /* unchanged settings carry over */
            if ((rc = need(c, ch, "from", "change", "from: 2026-04-01", &vf)) ||
                (rc = get_date(c, vf, "from", &ph->from_day)))
                return rc;
            char a[16];
            if (ph->from_day <= g.phase[g.nphases - 1].from_day) {
                cp_ctl_date_format(g.phase[g.nphases - 1].from_day, a, sizeof a);
                return YERR(c, vf, "change from %s is not after the previous phase (%s); hint: dates out of order",
                            vf->s, a);
            }
            if (ph->from_day >= g.end_day) {
                cp_ctl_date_format(g.end_day, a, sizeof a);
                return YERR(c, vf, "change from %s is not before the regime's end %s; hint: dates out of order",
                            vf->s, a);
            }
            if ((rc = parse_phase(c, ch, &g, ph, g.nphases))) return rc;
            g.nphases++;
        }
    }
    if (cp_ctl_add_regime(c->m, &g) < 0) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    return 0;
}

/* A ramp: other origin / recycling (t_per_year) or substitution
 * (max_share); base/idx locate it for ranges. */
static int parse_ramp(ctx *c, const ynode *y, const char *what, const char *amount_key,
                      cp_ctl_ramp *rp, const cp_ctl_supply *base, const char *el)
{
    int rc;
    const ynode *v;
    int share = strcmp(amount_key, "max_share") == 0;
    if ((rc = want(c, y, YN_MAP, what)) ||
        (rc = check_keys(c, y, what, share ? k_subst : k_origin)))
        return rc;
    if ((v = get(c, y, "name")) && (rc = get_str(c, v, "name", rp->name, sizeof rp->name)))
        return rc;
    char path[160], pre[80];
    if (strcmp(what, "other origin") == 0)
        snprintf(pre, sizeof pre, "other_origins[%.60s]", rp->name[0] ? rp->name : "?");
    else
        snprintf(pre, sizeof pre, "%s", what);
    snprintf(path, sizeof path, "supply[%s].%s.%s", el, pre, amount_key);
    if ((rc = need(c, y, amount_key, what, share ? "max_share: 0.2" : "t_per_year: 100", &v)) ||
        (rc = get_num(c, v, amount_key, share ? NUM_SHARE : NUM_NONNEG, &rp->amount, base, 0,
                      c->m->nsupply, path)))
        return rc;
    snprintf(path, sizeof path, "supply[%s].%s.lead_days", el, pre);
    if ((v = get(c, y, "lead_days")) &&
        (rc = get_num(c, v, "lead_days", NUM_NONNEG, &rp->lead_days, base, 0, c->m->nsupply, path)))
        return rc;
    snprintf(path, sizeof path, "supply[%s].%s.ramp_days", el, pre);
    if ((v = get(c, y, "ramp_days")) &&
        (rc = get_num(c, v, "ramp_days", NUM_NONNEG, &rp->ramp_days, base, 0, c->m->nsupply, path)))
        return rc;
    return 0;
}

/* The importer's supply side of one material. */
static int parse_supply(ctx *c, const ynode *y)
{
    cp_ctl_supply s = cp_ctl_supply_default();
    int rc;
    const ynode *v;
    char path[96];
    size_t idx = c->m->nsupply;
    if ((rc = entry_begin(c, y, &s.src, "a supply entry", k_supply))) return rc;
    if ((rc = need(c, y, "element", "supply entry", "element: Dy", &v)) ||
        (rc = get_element(c, v, s.element)))
        return rc;
    if (cp_ctl_find_supply(c->m, s.element) >= 0)
        return YERR(c, v, "supply %s is given twice; hint: one supply entry per element", s.element);
    const char *el = s.element;
#define NUM(key, kind, field, required, example)                                                \
    do {                                                                                        \
        snprintf(path, sizeof path, "supply[%s].%s", el, key);                                  \
        if (required && (rc = need(c, y, key, "supply entry", example, &v))) return rc;         \
        if (!required) v = get(c, y, key);                                                      \
        if (v && (rc = get_num(c, v, key, kind, &s.field, &s, 0, idx, path))) return rc;       \
    } while (0)
    NUM("demand_t_per_year", NUM_NONNEG, demand_t_per_year, 1, "demand_t_per_year: 500");
    NUM("exporter_share", NUM_SHARE, exporter_share, 0, "");
    NUM("inventory_days", NUM_NONNEG, inventory_days, 0, "");
#undef NUM
    if ((v = get(c, y, "form_shares"))) {
        if ((rc = want(c, v, YN_MAP, "form_shares"))) return rc;
        double sum = 0;
        for (long k = v->first; k >= 0 && c->t.n[k].next >= 0; k = c->t.n[c->t.n[k].next].next) {
            const ynode *key = &c->t.n[k], *val = &c->t.n[key->next];
            cp_ctl_form f;
            if (key->type != YN_SCALAR || cp_ctl_form_parse(key->s, &f) != 0)
                return YERR(c, key, "unknown form \"%s\" in form_shares; hint: metal, oxide, compound or magnet",
                            key->type == YN_SCALAR ? key->s : "?");
            snprintf(path, sizeof path, "supply[%s].form_shares.%s", el, key->s);
            if ((rc = get_num(c, val, "a form share", NUM_SHARE, &s.form_share[f], &s, 0, idx, path)))
                return rc;
            sum += s.form_share[f];
        }
        if (fabs(sum - 1.0) > 1e-6)
            return YERR(c, v, "form_shares sum to %g, not 1; hint: they split the exporter's supply by form",
                        sum);
    }
    if ((v = get(c, y, "other_origins"))) {
        if ((rc = want(c, v, YN_SEQ, "other_origins"))) return rc;
        for (long k = v->first; k >= 0; k = c->t.n[k].next) {
            if (s.norigins == CP_CTL_MAX_ORIGINS)
                return YERR(c, &c->t.n[k], "more than %d other origins; hint: group them",
                            CP_CTL_MAX_ORIGINS);
            cp_ctl_ramp *rp = &s.origin[s.norigins++];
            if ((rc = parse_ramp(c, &c->t.n[k], "other origin", "t_per_year", rp, &s, el))) return rc;
        }
    }
    if ((v = get(c, y, "recycling")) &&
        (rc = parse_ramp(c, v, "recycling", "t_per_year", &s.recycling, &s, el)))
        return rc;
    if ((v = get(c, y, "substitution")) &&
        (rc = parse_ramp(c, v, "substitution", "max_share", &s.substitution, &s, el)))
        return rc;
    if ((v = get(c, y, "stockpile"))) {
        const ynode *w;
        cp_ctl_stockpile *sp = &s.stockpile;
        if ((rc = want(c, v, YN_MAP, "stockpile")) || (rc = check_keys(c, v, "stockpile", k_stock)))
            return rc;
        snprintf(path, sizeof path, "supply[%s].stockpile.days", el);
        if ((w = get(c, v, "days")) && (rc = get_num(c, w, "stockpile days", NUM_NONNEG, &sp->days, &s, 0, idx, path)))
            return rc;
        snprintf(path, sizeof path, "supply[%s].stockpile.start_delay_days", el);
        if ((w = get(c, v, "start_delay_days")) &&
            (rc = get_num(c, w, "start_delay_days", NUM_NONNEG, &sp->start_delay_days, &s, 0, idx, path)))
            return rc;
        snprintf(path, sizeof path, "supply[%s].stockpile.max_rate_share", el);
        if ((w = get(c, v, "max_rate_share")) &&
            (rc = get_num(c, w, "max_rate_share", NUM_SHARE, &sp->max_rate_share, &s, 0, idx, path)))
            return rc;
        if (sp->days > 0 && !w)
            return YERR(c, v, "a stockpile needs max_rate_share; hint: max_rate_share: 0.5 releases up to half a day's demand per day");
        if ((w = get(c, v, "priority")) &&
            (rc = get_industries(c, w, "stockpile priority", sp->priority, &sp->npriority)))
            return rc;
    }
    if (cp_ctl_add_supply(c->m, &s) < 0) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    return 0;
}

/* One industry's use of one material. */
static int parse_use(ctx *c, const ynode *y)
{
    cp_ctl_use u = cp_ctl_use_default();
    int rc;
    const ynode *v, *ve;
    char path[160];
    size_t idx = c->m->nuses;
    if ((rc = entry_begin(c, y, &u.src, "a use", k_use))) return rc;
    if ((rc = need(c, y, "element", "use", "element: Dy", &ve)) || (rc = get_element(c, ve, u.element)))
        return rc;
    if (cp_ctl_find_supply(c->m, u.element) < 0)
        return YERR(c, ve, "use of %s: no supply entry for %s; hint: add it under supply:", u.element,
                    u.element);
    if ((rc = need(c, y, "sector", "use", "sector: \"3511\"", &v)) ||
        (rc = get_str(c, v, "sector", u.ind.sector, sizeof u.ind.sector)))
        return rc;
    if ((v = get(c, y, "region")) && (rc = get_str(c, v, "region", u.ind.region, sizeof u.ind.region)))
        return rc;
    const ynode *vs = get(c, y, "demand_share"), *vt = get(c, y, "t_per_unit_output");
    if (vs && vt) return YERR(c, vt, "give demand_share or t_per_unit_output, not both; hint: drop one");
    if (!vs && !vt)
        return YERR(c, y, "use of %s by %s gives neither demand_share nor t_per_unit_output; hint: add demand_share: 0.3",
                    u.element, u.ind.sector);
    snprintf(path, sizeof path, "use[%s,%s].%s", u.element, u.ind.sector,
             vs ? "demand_share" : "t_per_unit_output");
    if (vs && (rc = get_num(c, vs, "demand_share", NUM_SHARE, &u.demand_share, &u, 1, idx, path)))
        return rc;
    if (vt && (rc = get_num(c, vt, "t_per_unit_output", NUM_NONNEG, &u.t_per_unit_output, &u, 1, idx, path)))
        return rc;
    snprintf(path, sizeof path, "use[%s,%s].criticality", u.element, u.ind.sector);
    if ((rc = need(c, y, "criticality", "use", "criticality: 0.3", &v)) ||
        (rc = get_num(c, v, "criticality", NUM_SHARE, &u.criticality, &u, 1, idx, path)))
        return rc;
    if (cp_ctl_add_use(c->m, &u) < 0) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Walk a list of objects with one parser. */
static int parse_list(ctx *c, const ynode *y, const char *what, int (*fn)(ctx *, const ynode *))
{
    int rc = want(c, y, YN_SEQ, what);
    if (rc) return rc;
    for (long k = y->first; k >= 0; k = c->t.n[k].next)
        if ((rc = fn(c, &c->t.n[k]))) return rc;
    return 0;
}

/* The top-level mapping, in dependency order: items before regimes,
 * supply before uses, whatever the order in the file. */
static int parse_top(ctx *c, const ynode *root)
{
    int rc;
    const ynode *v;
    if ((rc = want(c, root, YN_MAP, "a controls file")) ||
        (rc = check_keys(c, root, "the controls file", k_top)))
        return rc;
    if ((v = get(c, root, "version"))) {
        if (v->type != YN_SCALAR || strcmp(v->s, "1") != 0)
            return YERR(c, v, "version %s is not supported; hint: this chokepoint reads version 1",
                        v->type == YN_SCALAR ? v->s : "?");
    }
    if ((v = get(c, root, "importer"))) {
        char imp[CP_CTL_LABEL];
        if ((rc = get_str(c, v, "importer", imp, sizeof imp))) return rc;
        if (c->m->importer[0] && strcmp(imp, c->m->importer) != 0)
            return YERR(c, v, "importer %s differs from %s in %s; hint: files read together describe one importer",
                        imp, c->m->importer, c->m->files[0]);
        memcpy(c->m->importer, imp, sizeof imp);
    }
    if ((v = get(c, root, "allocation"))) {
        if ((rc = want(c, v, YN_SCALAR, "allocation"))) return rc;
        if (cp_ctl_alloc_parse(v->s, &c->m->allocation) != 0)
            return YERR(c, v, "unknown allocation \"%s\"; hint: proportional, priority or value", v->s);
    }
    if ((v = get(c, root, "priority_order")) &&
        (rc = get_industries(c, v, "priority_order", c->m->order, &c->m->norder)))
        return rc;
    if ((v = get(c, root, "holidays"))) {
        if ((rc = want(c, v, YN_SEQ, "holidays"))) return rc;
        for (long k = v->first; k >= 0; k = c->t.n[k].next) {
            long d;
            if ((rc = get_date(c, &c->t.n[k], "a holiday", &d))) return rc;
            if (cp_ctl_add_holiday(c->m, d)) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
        }
    }
    if ((v = get(c, root, "items")) && (rc = parse_list(c, v, "items", parse_item))) return rc;
    if ((v = get(c, root, "regimes")) && (rc = parse_list(c, v, "regimes", parse_regime))) return rc;
    if ((v = get(c, root, "supply")) && (rc = parse_list(c, v, "supply", parse_supply))) return rc;
    if ((v = get(c, root, "uses")) && (rc = parse_list(c, v, "uses", parse_use))) return rc;
    return 0;
}

/* Point the queued ranges at their now-final fields. */
static int add_ranges(ctx *c)
{
    for (size_t i = 0; i < c->npr; i++) {
        pending_range *p = &c->pr[i];
        char *base = p->arr == 0   ? (char *)&c->m->supply[p->idx]
                     : p->arr == 1 ? (char *)&c->m->use[p->idx]
                                   : (char *)&c->m->regime[p->idx];
        p->r.value = (double *)(base + p->off);
        if (cp_ctl_add_range(c->m, &p->r) < 0) return cp_error_set(c->err, CP_ENOMEM, "out of memory");
    }
    return 0;
}

/* Parse one file's text into c->m (not yet checked). */
static int parse_into(cp_ctl_model *m, const char *name, const char *text, size_t len,
                      cp_error *err)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.file = name ? name : "controls";
    c.err = err;
    c.m = m;
    if (m->nfiles == CP_CTL_MAX_FILES)
        return cp_error_set(err, CP_EUSAGE, "more than %d controls files; hint: merge some",
                            CP_CTL_MAX_FILES);
    c.fidx = (int)m->nfiles;
    snprintf(m->files[m->nfiles++], sizeof m->files[0], "%s", c.file);
    /* Text libfyaml 0.7.12 hangs or crashes on (not UTF-8, a NUL byte, a
     * tab after ':' inside an explicit key) is refused before it sees it
     * (core/yaml_text.c, docs/fuzzing.md). */
    int rc = cp_yaml_text_check(c.file, text, len, err);
    if (!rc) rc = tree_build(&c, text, len);
    if (!rc && c.t.len == 0)
        rc = cp_error_at(err, CP_EINPUT, c.file, 0, 0,
                         "the controls file is empty; hint: see docs/controls.md for an example");
    if (!rc) rc = parse_top(&c, &c.t.n[0]);
    if (!rc) rc = add_ranges(&c);
    tree_free(&c.t);
    free(c.pr);
    return rc;
}

/* Final checks once every file is read: an importer, then the model. */
static int finish(cp_ctl_model *m, cp_error *err)
{
    if (!m->importer[0])
        return cp_error_at(err, CP_EINPUT, m->files[0], 0, 0,
                           "no importer given; hint: add importer: JPN at the top");
    return cp_ctl_model_check(m, err);
}

/* Parse text (named name in messages) into a checked model. */
int cp_ctl_parse_yaml(cp_ctl_model **out, const char *name, const char *text, size_t len,
                      cp_error *err)
{
    *out = NULL;
    cp_ctl_model *m = cp_ctl_model_new();
    if (!m) return cp_error_set(err, CP_ENOMEM, "out of memory");
    int rc = parse_into(m, name, text, len, err);
    if (!rc) rc = finish(m, err);
    if (rc) {
        cp_ctl_model_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

/* Read a whole file (at most 16 MiB) into a NUL-free buffer. */
static int read_text(const char *path, char **buf_out, size_t *len_out, cp_error *err)
{
    *buf_out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return cp_error_at(err, CP_EIO, path, 0, 0, "cannot open the controls file; hint: check the path");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            size_t nc = cap ? cap * 2 : 131072;
            if (nc > (size_t)16 << 20) {
                free(buf);
                fclose(f);
                return cp_error_at(err, CP_EINPUT, path, 0, 0, "larger than 16 MiB; hint: a controls file is small text");
            }
            char *p = realloc(buf, nc);
            if (!p) {
                free(buf);
                fclose(f);
                return cp_error_set(err, CP_ENOMEM, "out of memory");
            }
            buf = p;
            cap = nc;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return cp_error_at(err, CP_EIO, path, 0, 0, "read error");
    }
    *buf_out = buf;
    *len_out = len;
    return 0;
}

/* Read several files into one checked model, in order. */
int cp_ctl_load_yaml_files(cp_ctl_model **out, const char *const *paths, size_t npaths,
                           cp_error *err)
{
    *out = NULL;
    if (npaths == 0) return cp_error_set(err, CP_EUSAGE, "no controls file given");
    cp_ctl_model *m = cp_ctl_model_new();
    if (!m) return cp_error_set(err, CP_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < npaths && !rc; i++) {
        char *buf;
        size_t len = 0;
        rc = read_text(paths[i], &buf, &len, err);
        if (!rc) rc = parse_into(m, paths[i], buf, len, err);
        free(buf);
    }
    if (!rc) rc = finish(m, err);
    if (rc) {
        cp_ctl_model_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

/* Read one file and parse it. */
int cp_ctl_load_yaml(cp_ctl_model **out, const char *path, cp_error *err)
{
    return cp_ctl_load_yaml_files(out, &path, 1, err);
}
