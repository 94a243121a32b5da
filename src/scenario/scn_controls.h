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

/* One located error in a named file (a base's, with extends:). */
typedef void (*scn_err_in_fn)(void *ctx, const char *file, long line, long col, const char *msg);

/* Parse the economy: section of file (kl, kc: position of its key), key
 * by key over what an earlier file (a base, extends:) wrote. */
void scn_parse_economy(cp_scn *s, const char *file, struct fy_node *v, long kl, long kc,
                       scn_err_fn fn, void *ctx);
/* Parse the controls: section of file, key by key over what an earlier
 * file wrote (its files are looked up beside that file first: with
 * extends:, the file that names them). */
void scn_parse_controls(cp_scn *s, const char *file, struct fy_node *v, long kl, long kc,
                        scn_err_fn fn, void *ctx);
/* Checks once every file of the scenario is read, on the merged sections
 * (what controls: and economy.scale_to_gdp must hold, the regime's dates;
 * controls need a start_date and one-day steps, and exclude capacity_cap
 * events); each error names the file that wrote the key.  partial: a file
 * could not be read, so nothing is reported missing. */
void scn_controls_finish(cp_scn *s, int partial, scn_err_in_fn fin, void *ctx);
/* The sections as resolved YAML (appended to scenario.resolved.yaml);
 * malloc'd, NULL when neither section is present or on out-of-memory. */
char *scn_controls_resolved_yaml(const cp_scn *s);

#endif
