/*
 * scn_extends.h — private interface between the scenario reader (scn.c)
 * and scenario composition (scn_extends.c): `extends: base.yaml` names a
 * base scenario, read first, whose keys the extending file overrides.
 * scn.c owns the YAML documents and the error list; scn_extends.c
 * resolves the base's path, refuses cycles and over-deep chains (showing
 * the chain), reads the file and hands its text back to scn.c.
 */
#ifndef CP_SCN_EXTENDS_H
#define CP_SCN_EXTENDS_H

#include <stddef.h>

/* Longest chain of files (the scenario and its bases). */
#define SCN_EXTENDS_MAX 16

/* The files being read, outermost (the scenario given) first. */
typedef struct scn_chain {
    int n;
    char *name[SCN_EXTENDS_MAX + 1];  /* as shown in messages */
    char *real[SCN_EXTENDS_MAX + 1];  /* realpath, or the name when none */
} scn_chain;

/* What scn.c provides: a located error sink, and the reader of one file's
 * text (which follows that file's own extends: before applying it). */
typedef struct scn_ext_ops {
    void *ctx;
    void (*err)(void *ctx, const char *file, long line, long col, const char *msg);
    void (*load)(void *ctx, const char *file, const char *text, size_t len, scn_chain *chain);
} scn_ext_ops;

/* Push the scenario given by the user (chain->n becomes 1); returns 0 or
 * -1 on out-of-memory. */
int scn_chain_start(scn_chain *chain, const char *file);
void scn_chain_free(scn_chain *chain);

/* Follow `extends: target`, written in `file` (the chain's last entry) at
 * line:col: resolve target against file's directory, refuse a cycle or a
 * chain deeper than SCN_EXTENDS_MAX, read the base and call ops->load on
 * it.  Every failure is reported through ops->err at line:col of file. */
void scn_extends_follow(const scn_ext_ops *ops, scn_chain *chain, const char *file,
                        const char *target, long line, long col);

#endif
