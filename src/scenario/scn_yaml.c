/*
 * scn_yaml.c — YAML helpers shared by the scenario layer's readers and
 * writers; see scn_yaml.h.  One copy, so that every section reports
 * positions, hints and booleans the same way.
 */
#include "scn_yaml.h"

#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Position of a node (its first token), or the fallback. */
void scn_yaml_pos(struct fy_node *n, long *line, long *col, long fl, long fc)
{
    *line = fl;
    *col = fc;
    if (!n) return;
    if (fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        if (p) { scn_yaml_pos(fy_node_pair_key(p), line, col, fl, fc); return; }
    } else if (fy_node_is_sequence(n)) {
        void *it = NULL;
        struct fy_node *x = fy_node_sequence_iterate(n, &it);
        if (x) { scn_yaml_pos(x, line, col, fl, fc); return; }
    } else {
        struct fy_token *tk = fy_node_get_scalar_token(n);
        const struct fy_mark *mk = tk ? fy_token_start_mark(tk) : NULL;
        if (mk) { *line = mk->line + 1; *col = mk->column + 1; }
    }
}

/* Scalar text of n into buf, NULL if n is not a scalar. */
const char *scn_yaml_text(struct fy_node *n, char *buf, size_t cap)
{
    buf[0] = 0;
    if (!n || !fy_node_is_scalar(n)) return NULL;
    size_t l;
    const char *s = fy_node_get_scalar(n, &l);
    if (!s) return NULL;
    if (l >= cap) l = cap - 1;
    memcpy(buf, s, l);
    buf[l] = 0;
    return buf;
}

/* The closest of a NULL-terminated list of names, or NULL if none is near. */
const char *scn_yaml_closest(const char *key, const char *const *names)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t i = 0; names[i]; i++) {
        size_t d = cp_scn_edit_distance(key, names[i]);
        if (d < bd) { bd = d; best = names[i]; }
    }
    return bd <= strlen(key) / 2 + 2 ? best : NULL;
}

/* Report one located error through the sink. */
void scn_yaml_err(scn_err_fn fn, void *ctx, long line, long col, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(ctx, line, col, msg);
}

/* An unknown key: say so, with the closest known key, else all of them. */
void scn_yaml_unknown_key(char *msg, size_t cap, const char *name, const char *where,
                          const char *const *known)
{
    const char *near = scn_yaml_closest(name, known);
    if (near) snprintf(msg, cap, "unknown key '%s' in %s; hint: did you mean '%s'?", name, where, near);
    else {
        char opts[600] = "";
        for (size_t i = 0; known[i]; i++) {
            strncat(opts, i ? ", " : "", sizeof opts - strlen(opts) - 1);
            strncat(opts, known[i], sizeof opts - strlen(opts) - 1);
        }
        snprintf(msg, cap, "unknown key '%s' in %s; hint: known keys are %s", name, where, opts);
    }
}

/* Read a boolean. */
int scn_yaml_bool(struct fy_node *n, const char *what, int *out, scn_err_fn fn, void *ctx)
{
    char b[32];
    long l, co;
    scn_yaml_pos(n, &l, &co, 0, 0);
    const char *s = scn_yaml_text(n, b, sizeof b);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))) { *out = 1; return 0; }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))) { *out = 0; return 0; }
    scn_yaml_err(fn, ctx, l, co, "%s: expected true or false, got '%s'", what, s ? s : "a collection");
    return -1;
}

/* Append formatted text. */
void scn_buf_put(scn_buf *b, const char *fmt, ...)
{
    if (b->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) { b->oom = 1; return; }
    if (b->len + (size_t)need + 1 > b->cap) {
        size_t nc = (b->len + (size_t)need + 1) * 2;
        char *np = realloc(b->p, nc);
        if (!np) { b->oom = 1; return; }
        b->p = np;
        b->cap = nc;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

/* A double-quoted YAML string. */
void scn_buf_quote(scn_buf *b, const char *s)
{
    scn_buf_put(b, "\"");
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') scn_buf_put(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20) scn_buf_put(b, "\\x%02x", (unsigned char)*s);
        else scn_buf_put(b, "%c", *s);
    }
    scn_buf_put(b, "\"");
}

/* A number, inf as .inf. */
void scn_buf_num(scn_buf *b, double v)
{
    char t[40];
    snprintf(t, sizeof t, "%.15g", v);
    if (strtod(t, NULL) != v) snprintf(t, sizeof t, "%.17g", v);
    if (isinf(v)) scn_buf_put(b, ".inf");
    else scn_buf_put(b, "%s", t);
}

/* A flow list of strings. */
void scn_buf_list(scn_buf *b, char *const *l, size_t n)
{
    scn_buf_put(b, "[");
    for (size_t i = 0; i < n; i++) { if (i) scn_buf_put(b, ", "); scn_buf_quote(b, l[i]); }
    scn_buf_put(b, "]");
}
