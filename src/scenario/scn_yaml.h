/*
 * scn_yaml.h — YAML helpers shared by the scenario reader's files (scn.c,
 * scn_controls.c, scn_unc.c) and its resolved-YAML writers (scn_build.c,
 * scn_controls.c): node positions, scalar text, "did you mean" hints,
 * located errors through the sections' callback, and a growing text
 * buffer.  Internal to the scenario layer; not public API.
 */
#ifndef CP_SCN_YAML_H
#define CP_SCN_YAML_H

#include "scn_controls.h"

#include <stddef.h>

struct fy_node;

/* Position of a node (1-based): its own token for scalars, its first key
 * or item for collections, else the fallback fl:fc (also for NULL). */
void scn_yaml_pos(struct fy_node *n, long *line, long *col, long fl, long fc);

/* Scalar text of n as a NUL-terminated copy in buf (cut to cap - 1
 * bytes); NULL (buf empty) if n is NULL or not a scalar. */
const char *scn_yaml_text(struct fy_node *n, char *buf, size_t cap);

/* The closest of a NULL-terminated list of names within a small edit
 * distance (cp_scn_edit_distance <= strlen(key) / 2 + 2), or NULL. */
const char *scn_yaml_closest(const char *key, const char *const *names);

/* Format one located error (at most 699 bytes) and hand it to the
 * sink. */
void scn_yaml_err(scn_err_fn fn, void *ctx, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The message for an unknown key name in where, into msg: "unknown key
 * 'NAME' in WHERE; hint: did you mean 'K'?" with the closest of known,
 * else with every known key listed. */
void scn_yaml_unknown_key(char *msg, size_t cap, const char *name, const char *where,
                          const char *const *known);

/* true/false (also yes/no, on/off) read from n into *out; otherwise
 * "WHAT: expected true or false, got '...'" at n through the sink and
 * -1. */
int scn_yaml_bool(struct fy_node *n, const char *what, int *out, scn_err_fn fn, void *ctx);

/* Growing text (the resolved YAML); oom is set, and later appends do
 * nothing, once memory runs out. */
typedef struct scn_buf { char *p; size_t len, cap; int oom; } scn_buf;

/* Append printf-formatted text. */
void scn_buf_put(scn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a YAML double-quoted string (NULL: ""). */
void scn_buf_quote(scn_buf *b, const char *s);
/* Append a number that reads back to the same double; infinity as .inf. */
void scn_buf_num(scn_buf *b, double v);
/* Append a flow list of strings: ["a", "b"]. */
void scn_buf_list(scn_buf *b, char *const *l, size_t n);

#endif
