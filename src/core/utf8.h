/*
 * utf8.h — checking that text is UTF-8, shared by the readers (YAML
 * controls and scenarios, the importers' labels).  Internal to the
 * library; not public API.
 *
 * Everything chokepoint writes (table.json, JSON output, HTML reports)
 * must be UTF-8, and libfyaml 0.7.12 hangs on some text that is not
 * (docs/fuzzing.md), so readers refuse such text where it comes in, at
 * file:line:col.
 */
#ifndef CP_UTF8_H
#define CP_UTF8_H

#include "chokepoint.h"

#include <stddef.h>

/* Offset of the first byte of s[0..len) that does not begin a well-formed
 * UTF-8 sequence (overlong forms, surrogates, code points above U+10FFFF
 * and truncated sequences are all refused), or len when all of s is
 * UTF-8.  NUL bytes count as valid here. */
size_t cp_utf8_bad(const char *s, size_t len);

/* Where text[0..len) stops being NUL-free UTF-8: 0 if it never does;
 * otherwise 1 (a byte that is not UTF-8) or 2 (a NUL byte), with the
 * 1-based line and column (in characters) of that byte and its value. */
int cp_text_find_bad(const char *text, size_t len, long *line, long *col, unsigned *byte);

/* 0 when text[0..len) is UTF-8 without NUL bytes; otherwise a CP_EINPUT
 * error at name:line:col, "byte 0xFF is not UTF-8 text; hint: save the
 * file as UTF-8" or "contains a NUL byte; hint: is it a text file?". */
int cp_text_check(const char *name, const char *text, size_t len, cp_error *err);

#endif
