/*
 * scn_controls.h — private interface between the scenario reader (scn.c)
 * and the economy: / controls: sections (scn_controls.c).  scn.c owns the
 * error list; these sections report through the callback.
 */
#ifndef CP_SCN_CONTROLS_H
#define CP_SCN_CONTROLS_H

#include "chokepoint.h"

struct fy_node;

/* One located error: file:line:col is added by the sink. */
typedef void (*scn_err_fn)(void *ctx, long line, long col, const char *msg);

/* Parse the economy: section (kl, kc: position of its key). */
void scn_parse_economy(cp_scn *s, struct fy_node *v, long kl, long kc, scn_err_fn fn, void *ctx);
/* Parse the controls: section of file (its files are looked up beside
 * that file first: with extends:, the file that names them). */
void scn_parse_controls(cp_scn *s, const char *file, struct fy_node *v, long kl, long kc,
                        scn_err_fn fn, void *ctx);
/* Checks across sections once the whole file is read (controls need a
 * start_date and one-day steps, and exclude capacity_cap events). */
void scn_controls_finish(cp_scn *s, scn_err_fn fn, void *ctx);
/* The sections as resolved YAML (appended to scenario.resolved.yaml);
 * malloc'd, NULL when neither section is present or on out-of-memory. */
char *scn_controls_resolved_yaml(const cp_scn *s);

#endif
