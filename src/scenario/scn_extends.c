/*
 * scn_extends.c — scenario composition: `extends: base.yaml`.
 *
 * A scenario may name one base scenario; the base is read first (with its
 * own extends:, so chains work) and the extending file's keys are applied
 * on top of it: mappings merge key by key (ario:, outputs:,
 * ario.inventory_dict, economy:, controls: and its regime:, supply: and
 * outputs:, uncertainty: and its parameters:), every other value, lists
 * included (events:, ario.priority, controls.account, a regime's items
 * and changes, uncertainty.correlations), is replaced whole.  The path is relative to the
 * directory of the file that writes it.  Cycles are refused with the chain
 * shown; errors inside a base file name that file's line and column.
 * docs/scenario.md, "Composition".
 */
#include "chokepoint.h"
#include "scn_extends.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Report one error through the ops' sink. */
__attribute__((format(printf, 5, 6)))
static void ext_err(const scn_ext_ops *ops, const char *file, long line, long col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ops->err(ops->ctx, file, line, col, msg);
}

/* Push a file onto the chain (its name and canonical path). */
static int chain_push(scn_chain *chain, const char *name)
{
    char rp[PATH_MAX];
    char *n = strdup(name), *r = strdup(realpath(name, rp) ? rp : name);
    if (!n || !r) { free(n); free(r); return -1; }
    chain->name[chain->n] = n;
    chain->real[chain->n] = r;
    chain->n++;
    return 0;
}

/* Start a chain with the user's scenario. */
int scn_chain_start(scn_chain *chain, const char *file)
{
    memset(chain, 0, sizeof *chain);
    return chain_push(chain, file);
}

/* Release a chain. */
void scn_chain_free(scn_chain *chain)
{
    for (int i = 0; i < chain->n; i++) { free(chain->name[i]); free(chain->real[i]); }
    chain->n = 0;
}

/* Read a whole text file (at most 64 MiB, no NUL bytes); NULL with a
 * reason in why. */
static char *read_text(const char *path, size_t *len, char *why, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(why, cap, "%s", strerror(errno)); return NULL; }
    char *buf = NULL;
    size_t n = 0, sz = 0;
    for (;;) {
        if (n + 4096 > sz) {
            sz = sz ? sz * 2 : 8192;
            char *nb = sz > (64u << 20) ? NULL : realloc(buf, sz);
            if (!nb) { free(buf); fclose(f); snprintf(why, cap, "larger than 64 MiB or out of memory"); return NULL; }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, sz - n - 1, f);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); snprintf(why, cap, "read error"); return NULL; }
    if (memchr(buf, 0, n)) { free(buf); snprintf(why, cap, "contains NUL bytes (not a text file)"); return NULL; }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Follow one extends: link. */
void scn_extends_follow(const scn_ext_ops *ops, scn_chain *chain, const char *file,
                        const char *target, long line, long col)
{
    char path[PATH_MAX + 1];
    const char *sl = strrchr(file, '/');
    if (target[0] == '/' || !sl) snprintf(path, sizeof path, "%s", target);
    else snprintf(path, sizeof path, "%.*s/%s", (int)(sl - file), file, target);
    struct stat st;
    if (stat(path, &st) != 0) {
        ext_err(ops, file, line, col, "extends: no scenario '%s' (looked for %s); hint: the path is relative to the directory of the file that writes extends:", target, path);
        return;
    }
    if (!S_ISREG(st.st_mode)) {   /* a directory, a device, a pipe: never read */
        ext_err(ops, file, line, col, "extends: '%s' is %s; hint: name a scenario file (.yaml)", target,
                S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        return;
    }
    char rp[PATH_MAX];
    const char *real = realpath(path, rp) ? rp : path;
    for (int i = 0; i < chain->n; i++)
        if (!strcmp(chain->real[i], real)) {
            char shown[1024] = "";
            for (int j = i; j < chain->n; j++) {
                strncat(shown, chain->name[j], sizeof shown - strlen(shown) - 1);
                strncat(shown, " -> ", sizeof shown - strlen(shown) - 1);
            }
            strncat(shown, path, sizeof shown - strlen(shown) - 1);
            ext_err(ops, file, line, col, "extends: cycle %s; hint: a scenario cannot extend itself, directly or through its bases", shown);
            return;
        }
    if (chain->n > SCN_EXTENDS_MAX) {
        ext_err(ops, file, line, col, "extends: more than %d files deep (from %s); hint: flatten the chain", SCN_EXTENDS_MAX, chain->name[0]);
        return;
    }
    char why[256];
    size_t len = 0;
    char *text = read_text(path, &len, why, sizeof why);
    if (!text) {
        ext_err(ops, file, line, col, "extends: cannot read '%s': %s", path, why);
        return;
    }
    if (chain_push(chain, path)) { free(text); ext_err(ops, file, line, col, "extends: out of memory"); return; }
    const char *name = chain->name[chain->n - 1];
    ops->load(ops->ctx, name, text, len, chain);
    free(text);
}
