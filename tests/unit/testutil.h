/*
 * testutil.h — what the cmocka test programs share: paths to the reference
 * data in ../shared, the built binary, and relative comparison.
 *
 * The tests are the specification: each asserts a number from a published
 * source, a reference tool's output, or an accounting identity — never a
 * number copied from chokepoint's own output.
 */
#ifndef CP_TESTUTIL_H
#define CP_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chokepoint.h"

/* Path under the shared reference folder ($CP_SHARED, default ../shared). */
static inline const char *shared_path(char *buf, size_t cap, const char *rel)
{
    const char *s = getenv("CP_SHARED");
    snprintf(buf, cap, "%s/%s", s && *s ? s : "../shared", rel);
    return buf;
}

/* Path under the repository (tests run from the repository root). */
static inline const char *repo_path(char *buf, size_t cap, const char *rel)
{
    snprintf(buf, cap, "%s", rel);
    return buf;
}

/* Directory for temporary files: $TMPDIR (tests/run.sh points it at a
 * directory it removes afterwards), else /tmp. */
static inline const char *test_tmp(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* A heap copy of "<test_tmp()>/name", for mkdtemp templates. */
static inline char *tmp_template(const char *name)
{
    size_t n = strlen(test_tmp()) + strlen(name) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s/%s", test_tmp(), name);
    return s;
}

/* cmocka setup: a fresh temporary directory from a mkdtemp template name
 * ("cp_mic_XXXXXX", under test_tmp()), its heap path in *state. */
static inline int tmp_dir_setup(void **state, const char *name)
{
    char *d = tmp_template(name);
    if (!d || !mkdtemp(d)) { free(d); return -1; }
    *state = d;
    return 0;
}

/* cmocka teardown: remove the directory of tmp_dir_setup and what the
 * test wrote into it. */
static inline int tmp_dir_teardown(void **state)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

/* Write text to dir/name (the test fails if it cannot); the path goes to
 * buf, which is returned. */
static inline const char *write_file(char *buf, size_t cap, const char *dir, const char *name,
                                     const char *text)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    FILE *f = fopen(buf, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* |a - b| <= rel * max(|a|, |b|) + abs_floor */
static inline int close_rel(double a, double b, double rel, double abs_floor)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + abs_floor;
}

#define assert_close(a, b, rel)                                                          \
    do {                                                                                 \
        double a_ = (a), b_ = (b);                                                       \
        if (!close_rel(a_, b_, (rel), 0.0)) {                                            \
            print_error("%s = %.17g, expected %.17g (rel %.3g > %.3g)\n", #a, a_, b_,    \
                        fabs(a_ - b_) / fmax(fabs(a_), fabs(b_)), (double)(rel));        \
            fail();                                                                      \
        }                                                                                \
    } while (0)

#define assert_ok(call, errp)                                                            \
    do {                                                                                 \
        if ((call) != 0) {                                                               \
            print_error("%s failed: %s\n", #call, (errp)->msg);                          \
            fail();                                                                      \
        }                                                                                \
    } while (0)

/* The message of err contains needle. */
#define assert_msg_has(errp, needle)                                                     \
    do {                                                                                 \
        if (!strstr((errp)->msg, (needle))) {                                            \
            print_error("message \"%s\" lacks \"%s\"\n", (errp)->msg, (needle));         \
            fail();                                                                      \
        }                                                                                \
    } while (0)

#endif
