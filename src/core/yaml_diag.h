/*
 * yaml_diag.h — libfyaml's diagnostics captured as text, shared by the
 * YAML readers (controls files in src/controls/, scenarios in
 * src/scenario/).  Internal to the library; not public API.
 *
 * libfyaml 0.7's collect mode leaks, so its diagnostic output is hooked
 * and the first error's position and message are kept for a
 * file:line:col message of the reader's own.
 */
#ifndef CP_YAML_DIAG_H
#define CP_YAML_DIAG_H

struct fy_diag;

/* The first error libfyaml reported (have: there was one), 1-based
 * line:col as libfyaml printed them. */
typedef struct cp_yaml_diag {
    int have;
    long line, col;
    char msg[512];
} cp_yaml_diag;

/* A libfyaml diagnostic object (for fy_parse_cfg.diag) that writes
 * nothing and keeps the first error in *d, which is zeroed here and must
 * outlive it; NULL on out-of-memory.  Release with fy_diag_unref. */
struct fy_diag *cp_yaml_diag_create(cp_yaml_diag *d);

#endif
