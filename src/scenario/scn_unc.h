/*
 * scn_unc.h — private interface between the scenario reader (scn.c) and
 * the uncertainty: section (scn_unc.c).  scn.c owns the error list; the
 * section reports through the same callback as the controls sections.
 */
#ifndef CP_SCN_UNC_H
#define CP_SCN_UNC_H

#include "scn_controls.h"

/* Parse the uncertainty: section of file (kl, kc: position of its key). */
void scn_parse_uncertainty(cp_scn *s, struct fy_node *v, long kl, long kc, const char *file,
                           scn_err_fn fn, void *ctx);
/* The section as scenario.resolved.yaml writes it (every default filled
 * in; NULL without a section); the caller frees it. */
char *scn_unc_resolved_yaml(const cp_scn *s);

#endif
