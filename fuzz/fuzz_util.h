/*
 * fuzz_util.h — what the libFuzzer harnesses in fuzz/ share: a private
 * scratch directory per process, writing the fuzz input to files (most
 * parsers take a path), splitting one input into the files of a directory,
 * and a loud abort when an invariant breaks (libFuzzer records the input).
 *
 * Harness-only code: it may keep a static local for the scratch directory
 * (see the entry points), which the library's no-globals rule forbids.
 */
#ifndef CP_FUZZ_UTIL_H
#define CP_FUZZ_UTIL_H

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chokepoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message: an invariant of a parser's result is broken. */
#define FZ_CHECK(cond)                                                                   \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__,      \
                    __LINE__);                                                           \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* With CP_FUZZ_VERBOSE set, say what a parser made of the input (to see
 * why a seed is rejected: CP_FUZZ_VERBOSE=1 build-fuzz/fuzz_X seed). */
static inline void fz_report(const char *what, int rc, const cp_error *e)
{
    if (getenv("CP_FUZZ_VERBOSE"))
        fprintf(stderr, "%s: %s\n", what, rc ? e->msg : "ok");
}

/* Is s[0..n) valid UTF-8 (no overlong forms, no surrogates)? */
static inline int fz_utf8_valid(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xE0) == 0xC0) k = 1, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0) k = 2, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0) k = 3, cp = c & 0x07;
        else return 0;
        if (n - i <= k) return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Is s[0..n) text the YAML readers take: UTF-8 without NUL bytes?  Both
 * readers refuse anything else before libfyaml sees it (0.7.12 hangs on a
 * directive line in text that is not UTF-8; docs/fuzzing.md). */
static inline int fz_yaml_text_ok(const uint8_t *s, size_t n)
{
    return fz_utf8_valid(s, n) && !memchr(s, 0, n);
}

/* The oracle for a YAML reader's error message msg on input s[0..n):
 * text that is not UTF-8 (or has a NUL) is refused as such; a "YAML
 * syntax error" names a line within the input (libfyaml also echoes
 * source lines that can read like its own "LINE:COL: error:" header, and
 * those were once taken for the position).  name is the file name given
 * to the reader. */
static inline void fz_check_yaml_error(const char *msg, const char *name, const uint8_t *s,
                                       size_t n)
{
    if (!fz_yaml_text_ok(s, n)) {
        FZ_CHECK(strstr(msg, " is not UTF-8 text; ") || strstr(msg, ": contains a NUL byte; "));
        return;
    }
    const char *q = strstr(msg, ": YAML syntax error");
    if (!q) return;
    const char *p = q; /* start of q's line of the message */
    while (p > msg && p[-1] != '\n') p--;
    size_t nl = strlen(name);
    if (strncmp(p, name, nl) != 0 || p[nl] != ':') return; /* another file's */
    char *end;
    long line = strtol(p + nl + 1, &end, 10);
    if (*end != ':') return; /* no position: nothing to check */
    long col = strtol(end + 1, &end, 10);
    if (end != q) return; /* the words are input text quoted by another message */
    long breaks = 0; /* every character libfyaml may count as a line break */
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || s[i] == '\r' || (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x85) ||
            (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)))
            breaks++;
    /* At the end of a file without a final line break libfyaml reports
     * the line after the last one (e.g. an unclosed "[" on line 11 of 11
     * gives 12:1), hence + 2. */
    FZ_CHECK(line >= 1 && line <= breaks + 2);
    FZ_CHECK(col >= 1 && (size_t)col <= 8 * n + 1);
}

/* Create a fresh directory under $TMPDIR (or /tmp) named after the
 * target; returns a malloc'ed path, or aborts (the harness cannot run). */
static inline char *fz_mkdtemp(const char *target)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/cp-fuzz-%s-XXXXXX", base && *base ? base : "/tmp", target);
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        abort();
    }
    char *p = strdup(tmpl);
    FZ_CHECK(p != NULL);
    return p;
}

/* Write len bytes to dir/name (truncating); aborts if the OS refuses. */
static inline void fz_write(const char *dir, const char *name, const uint8_t *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        abort();
    }
    if (len && fwrite(data, 1, len, f) != len) {
        perror(path);
        abort();
    }
    FZ_CHECK(fclose(f) == 0);
}

/* Remove every plain file in dir and, one level down, every file in its
 * subdirectories and the subdirectories themselves, so that each input
 * starts from an empty directory. */
static inline void fz_clear_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) != 0) {
            fz_clear_dir(path);
            rmdir(path);
        }
    }
    closedir(d);
}

/* Write a section to dir/name, creating one subdirectory level if name
 * has a '/'. */
static inline void fz_write_section(const char *dir, const char *name, const uint8_t *data,
                                    size_t len)
{
    const char *slash = strchr(name, '/');
    if (slash) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(slash - name), name);
        mkdir(sub, 0777);
    }
    fz_write(dir, name, data, len);
}

/*
 * Split an input into the files of a directory.  Framing: a line
 *     === NAME
 * starts the file NAME (one of names[], else the section is dropped); the
 * bytes up to the next marker line (or the end) are its content.  Bytes
 * before the first marker, if any, go to names[0].  A file that no section
 * names is not created, so "missing file" is reachable; an empty section
 * gives an empty file.  NAME may contain one '/' (a subdirectory).
 */
static inline void fz_split_to_dir(const char *dir, const uint8_t *data, size_t size,
                                   const char *const *names, size_t nnames)
{
    const char *cur = names[0];
    size_t start = 0;
    int preamble = 1;
    for (;;) {
        size_t m = start;
        while (m < size && !((m == 0 || data[m - 1] == '\n') && size - m >= 4 &&
                             memcmp(data + m, "=== ", 4) == 0))
            m++;
        if (cur && (!preamble || m > start)) fz_write_section(dir, cur, data + start, m - start);
        preamble = 0;
        if (m >= size) break;
        size_t nl = m + 4;
        while (nl < size && data[nl] != '\n') nl++;
        size_t nlen = nl - (m + 4);
        cur = NULL;
        for (size_t k = 0; k < nnames; k++)
            if (strlen(names[k]) == nlen && memcmp(data + m + 4, names[k], nlen) == 0)
                cur = names[k];
        start = nl < size ? nl + 1 : size;
    }
}

/* Same string, treating NULL as "". */
static inline int fz_same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Bitwise equality of two double arrays. */
static inline int fz_same_bits(const double *a, const double *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

/* Invariants every successfully loaded or imported table must hold:
 * labels present, numbers finite, regions indexed, balance computable. */
static inline void fz_check_table(const cp_table *t)
{
    FZ_CHECK(t->n >= 1);
    FZ_CHECK(t->nreg >= 1 && t->nreg <= t->n);
    for (size_t i = 0; i < t->n; i++) FZ_CHECK(t->region[i] && t->sector[i] && t->sector_name[i]);
    for (size_t k = 0; k < t->nfd; k++) FZ_CHECK(t->fd_region[k] && t->fd_category[k]);
    for (size_t r = 0; r < t->nva; r++) FZ_CHECK(t->va_label[r]);
    for (size_t i = 0; i < t->n * t->n; i++) FZ_CHECK(isfinite(t->Z[i]));
    for (size_t i = 0; i < t->n * t->nfd; i++) FZ_CHECK(isfinite(t->Y[i]));
    for (size_t i = 0; i < t->nva * t->n; i++) FZ_CHECK(isfinite(t->V[i]));
    for (size_t i = 0; i < t->n; i++) FZ_CHECK(isfinite(t->x[i]));
    cp_balance_report rep;
    FZ_CHECK(cp_table_balance(t, &rep) == 0);
    FZ_CHECK(rep.worst_row < t->n && rep.worst_col < t->n);
    FZ_CHECK(cp_table_find(t, t->region[0], t->sector[0]) >= 0);
}

/* The round-trip oracle: cp_table_save to savedir (emptied first), then
 * cp_table_load without validation must give the same labels, kinds and
 * bit-identical numbers.  Any difference aborts. */
static inline void fz_check_roundtrip(const cp_table *t, const char *savedir)
{
    fz_clear_dir(savedir);
    cp_error e;
    cp_error_clear(&e);
    if (cp_table_save(t, savedir, "fuzz round trip\n", &e) != 0) {
        /* Every table that loads or imports must save: the importers
         * refuse labels and units that are not UTF-8 (table.json cannot
         * hold them), so no save error is expected. */
        fprintf(stderr, "save failed: %s\n", e.msg);
        abort();
    }
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = 1;
    cp_table *u = NULL;
    if (cp_table_load(&u, savedir, &o, &e) != 0) {
        fprintf(stderr, "reload of a saved table failed: %s\n", e.msg);
        abort();
    }
    FZ_CHECK(u->n == t->n && u->nfd == t->nfd && u->nva == t->nva);
    FZ_CHECK(u->year == t->year && fz_same_str(u->unit, t->unit) && fz_same_str(u->name, t->name));
    for (size_t i = 0; i < t->n; i++)
        FZ_CHECK(fz_same_str(u->region[i], t->region[i]) && fz_same_str(u->sector[i], t->sector[i]) &&
                 fz_same_str(u->sector_name[i], t->sector_name[i]));
    for (size_t k = 0; k < t->nfd; k++)
        FZ_CHECK(fz_same_str(u->fd_region[k], t->fd_region[k]) &&
                 fz_same_str(u->fd_category[k], t->fd_category[k]) &&
                 u->fd_kind[k] == t->fd_kind[k]);
    for (size_t r = 0; r < t->nva; r++)
        FZ_CHECK(fz_same_str(u->va_label[r], t->va_label[r]) && u->va_kind[r] == t->va_kind[r]);
    FZ_CHECK(fz_same_bits(u->Z, t->Z, t->n * t->n));
    FZ_CHECK(fz_same_bits(u->Y, t->Y, t->n * t->nfd));
    FZ_CHECK(fz_same_bits(u->V, t->V, t->nva * t->n));
    FZ_CHECK(fz_same_bits(u->x, t->x, t->n));
    cp_table_free(u);
}

/* The oracle every table reader's result goes through: on success a table
 * that holds the invariants, survives the round trip and (when rep is
 * given) has NUL-terminated notes; on failure no table, an input or I/O
 * code and a message.  Frees t. */
static inline void fz_check_result(int rc, cp_table *t, const cp_import_report *rep,
                                   const cp_error *e, const char *savedir)
{
    if (rc == 0) {
        FZ_CHECK(t != NULL);
        if (rep) FZ_CHECK(memchr(rep->notes, '\0', sizeof rep->notes) != NULL);
        fz_check_table(t);
        fz_check_roundtrip(t, savedir);
        cp_table_free(t);
    } else {
        FZ_CHECK(t == NULL);
        FZ_CHECK(rc == CP_EINPUT || rc == CP_EIO);
        FZ_CHECK(e->msg[0] != '\0');
    }
}

#endif
