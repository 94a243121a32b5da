/*
 * yaml_text.c — refuse YAML text that libfyaml 0.7.12 cannot be trusted
 * with; see yaml_text.h.
 *
 * Two checks: the text must be UTF-8 without NUL bytes (utf8.c), and it
 * must not hold the crash pattern found by fuzzing: inside an explicit
 * key ("? ..." and the lines indented under it), a ':' value indicator
 * followed by blanks that include a tab and then one of ? : | > or "- ".
 * libfyaml reports "cannot use tab for indentation of block entry" there
 * and then crashes freeing its indentation stack (SEGV, or abort with
 * FYPCF_DISABLE_RECYCLING); smallest reproducer "? a:\t?" (7 bytes).
 *
 * Finding that pattern needs a rough idea of the YAML structure: quoted
 * scalars, comments, block scalar bodies and flow collections are
 * skipped, and explicit keys are tracked by the column of their '?'.  The
 * scan errs on the side of not refusing: libfyaml never reads a tab as
 * indentation, so a tab there is an error for it anyway.
 */
#include "core/yaml_text.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* Is t[i] a blank (space, tab), a line break, or past the end? */
static int blank_at(const char *t, size_t len, size_t i)
{
    return i >= len || t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r';
}

/* Can a node start at t[j]?  The line start (from ls) up to j is blank,
 * or the last non-blank before j is an indicator after which a node
 * starts: : - ? followed by a blank, or (in a flow collection only)
 * [ { , with or without one.  "a>{>" is a plain scalar, not a flow. */
static int node_start(const char *t, size_t ls, size_t j, int flow)
{
    size_t k = j;
    while (k > ls && (t[k - 1] == ' ' || t[k - 1] == '\t')) k--;
    if (k == ls) return 1;
    if (flow && strchr("[{,:", t[k - 1])) return 1;
    return k < j && strchr(":-?", t[k - 1]) != NULL;
}

/* Is t[j] ('|' or '>') a block scalar header: indentation and chomping
 * indicators only, then blanks, a comment or the line end? */
static int block_header(const char *t, size_t len, size_t j)
{
    size_t k = j + 1;
    while (k < len && ((t[k] >= '1' && t[k] <= '9') || t[k] == '+' || t[k] == '-')) k++;
    if (!blank_at(t, len, k)) return 0;
    while (k < len && (t[k] == ' ' || t[k] == '\t')) k++;
    return k >= len || t[k] == '\n' || t[k] == '\r' || t[k] == '#';
}

/* Character column (1-based) of byte j in the line starting at ls. */
static long char_col(const char *t, size_t ls, size_t j)
{
    long c = 1;
    for (size_t k = ls; k < j; k++)
        if (((unsigned char)t[k] & 0xC0) != 0x80) c++;
    return c;
}

/* Skip a quoted scalar opening at t[*j] (quote q); *j ends past the
 * closing quote.  Line breaks inside update *ln and *ls. */
static void skip_quoted(const char *t, size_t len, size_t *j, long *ln, size_t *ls)
{
    char q = t[*j];
    size_t k = *j + 1;
    while (k < len) {
        if (t[k] == '\n') {
            (*ln)++;
            *ls = k + 1;
        } else if (q == '"' && t[k] == '\\' && k + 1 < len && t[k + 1] != '\n') {
            k++;
        } else if (t[k] == q) {
            if (q == '\'' && k + 1 < len && t[k + 1] == '\'') k++; /* '' inside '...' */
            else break;
        }
        k++;
    }
    *j = k < len ? k + 1 : len;
}

/* The crash pattern; 0 if absent, else 1 with the tab's line:col. */
static int tab_in_explicit_key(const char *t, size_t len, long *line, long *col)
{
    size_t keys[64]; /* columns (bytes) of the open explicit keys' '?' */
    int nk = 0, flow = 0;
    long ln = 1, block = -1; /* block >= 0: skipping a block scalar's body */
    size_t i = 0;
    while (i < len) {
        size_t ls = i, ind = 0;
        while (ls + ind < len && t[ls + ind] == ' ') ind++;
        size_t e = ls + ind;
        int empty = 1;
        for (size_t k = e; k < len && t[k] != '\n'; k++)
            if (t[k] != ' ' && t[k] != '\t' && t[k] != '\r') { empty = 0; break; }
        if (block >= 0 && (empty || (long)ind > block)) {
            while (i < len && t[i] != '\n') i++;
            i++, ln++;
            continue;
        }
        block = -1;
        if (!empty && !flow && t[e] != '#') {
            while (nk && keys[nk - 1] >= ind) nk--;
            if (len - e >= 3 && (!memcmp(t + e, "---", 3) || !memcmp(t + e, "...", 3)) &&
                blank_at(t, len, e + 3))
                nk = 0;
        }
        size_t j = e;
        while (j < len && t[j] != '\n') {
            char c = t[j];
            if (c == '#' && (j == ls || t[j - 1] == ' ' || t[j - 1] == '\t')) {
                while (j < len && t[j] != '\n') j++;
                break;
            }
            if ((c == '\'' || c == '"') && node_start(t, ls, j, flow)) {
                skip_quoted(t, len, &j, &ln, &ls);
                continue;
            }
            if ((c == '[' || c == '{') && (flow || node_start(t, ls, j, 0))) flow++;
            else if ((c == ']' || c == '}') && flow) flow--;
            else if (!flow && (c == '|' || c == '>') && node_start(t, ls, j, 0) &&
                     block_header(t, len, j)) {
                block = (long)ind; /* the body: the lines indented deeper */
                while (j < len && t[j] != '\n') j++;
                break;
            } else if (!flow && c == '?' && blank_at(t, len, j + 1) && node_start(t, ls, j, 0)) {
                if (nk < (int)(sizeof keys / sizeof *keys)) keys[nk++] = j - ls;
            } else if (!flow && c == ':' && nk && blank_at(t, len, j + 1)) {
                size_t k = j + 1, tab = 0;
                while (k < len && (t[k] == ' ' || t[k] == '\t')) {
                    if (t[k] == '\t' && !tab) tab = k;
                    k++;
                }
                if (tab && k < len &&
                    (strchr("?:|>", t[k]) || (t[k] == '-' && blank_at(t, len, k + 1)))) {
                    *line = ln;
                    *col = char_col(t, ls, tab);
                    return 1;
                }
            }
            j++;
        }
        i = j < len ? j + 1 : len;
        ln++;
    }
    return 0;
}

/* Both checks, UTF-8 first (the scan assumes it). */
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
