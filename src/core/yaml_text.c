/*
 * yaml_text.c — refuse YAML text that libfyaml 0.7.12 cannot be trusted
 * with; see yaml_text.h.
 *
 * Two checks: the text must be UTF-8 without NUL bytes (utf8.c), and it
 * must not hold the crash pattern found by fuzzing: inside an explicit
 * key ("? ..." and the lines under it), a ':' value indicator followed by
 * blanks that include a tab and then one of ? : | > or "- ".  libfyaml
 * reports "cannot use tab for indentation of block entry" there and then
 * crashes freeing its indentation stack (SEGV, or abort with
 * FYPCF_DISABLE_RECYCLING); smallest reproducer "? a:\t?" (7 bytes).
 *
 * The pattern is looked for without parsing (see tab_in_explicit_key):
 * better to refuse a rare valid text than to let libfyaml crash.
 */
#include "core/yaml_text.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* Is t[j] a blank (space, tab), a line break, or past the end? */
static int blank_at(const char *t, size_t len, size_t j)
{
    return j >= len || t[j] == ' ' || t[j] == '\t' || t[j] == '\n' || t[j] == '\r';
}

/* The crash pattern; 0 if absent, else 1 with the tab's line:col (in
 * characters).  Deliberately blind to YAML structure: a scan that
 * skipped quoted scalars, comments, flows and block scalars was fooled
 * twice by the fuzzer (its idea of where a node starts differed from
 * libfyaml's), so any ':' + blanks with a tab + one of ? : | > or "- "
 * is refused once a '?' followed by a blank (a possible explicit key)
 * has appeared.  The price: such text in a quoted scalar or a comment,
 * or "key:<TAB>|", in a file with a '?' before it; rare in hand-written
 * YAML, and libfyaml refuses most of it anyway. */
static int tab_in_explicit_key(const char *t, size_t len, long *line, long *col)
{
    int key = 0;
    long ln = 1;
    size_t ls = 0;
    for (size_t j = 0; j < len; j++) {
        char c = t[j];
        if (c == '\n') {
            ln++;
            ls = j + 1;
        } else if (c == '?' && blank_at(t, len, j + 1)) {
            key = 1;
        } else if (c == ':' && key && blank_at(t, len, j + 1)) {
            size_t k = j + 1, tab = 0;
            int seen = 0;
            while (k < len && (t[k] == ' ' || t[k] == '\t')) {
                if (t[k] == '\t' && !seen) seen = 1, tab = k;
                k++;
            }
            if (seen && k < len && t[k] &&
                (strchr("?:|>", t[k]) || (t[k] == '-' && blank_at(t, len, k + 1)))) {
                long cc = 1;
                for (size_t q = ls; q < tab; q++)
                    if (((unsigned char)t[q] & 0xC0) != 0x80) cc++;
                *line = ln;
                *col = cc;
                return 1;
            }
        }
    }
    return 0;
}

/* Both checks, UTF-8 first (the column count assumes it). */
int cp_yaml_text_find_bad(const char *text, size_t len, long *line, long *col, char *why,
                          size_t cap)
{
    unsigned b;
    int k = cp_text_find_bad(text, len, line, col, &b);
    if (k == 1) {
        snprintf(why, cap, "byte 0x%02X is not UTF-8 text; hint: save the file as UTF-8", b);
        return 1;
    }
    if (k == 2) {
        snprintf(why, cap, "contains a NUL byte; hint: is it a text file?");
        return 1;
    }
    if (tab_in_explicit_key(text, len, line, col)) {
        snprintf(why, cap, "a tab before a block indicator inside an explicit key (? ...); "
                           "hint: use spaces here (YAML does not indent with tabs)");
        return 1;
    }
    return 0;
}

/* The located error for readers that return a cp_error. */
int cp_yaml_text_check(const char *name, const char *text, size_t len, cp_error *err)
{
    long line, col;
    char why[256];
    if (cp_yaml_text_find_bad(text, len, &line, &col, why, sizeof why))
        return cp_error_at(err, CP_EINPUT, name, line, col, "%s", why);
    return 0;
}
