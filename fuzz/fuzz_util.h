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

#endif
