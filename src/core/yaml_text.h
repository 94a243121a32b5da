/*
 * yaml_text.h — what the YAML readers check before libfyaml sees a text
 * (controls files, scenarios, stored resolved scenarios).  Internal to
 * the library; not public API.
 *
 * libfyaml 0.7.12 (Debian's) hangs or crashes on some inputs
 * (docs/fuzzing.md): a directive line in text that is not UTF-8 loops
 * for ever, and a tab before a block indicator after a ':' inside an
 * explicit key ("? a:\t?") crashes its parser cleanup.  Such text is
 * refused here with a located message instead.
 */
#ifndef CP_YAML_TEXT_H
#define CP_YAML_TEXT_H

#include "chokepoint.h"

#include <stddef.h>

/* 0 when libfyaml may be given text[0..len); otherwise nonzero, with the
 * 1-based line and column (characters) of the offending byte and a
 * message with a hint (no location) in why[0..cap). */
int cp_yaml_text_find_bad(const char *text, size_t len, long *line, long *col, char *why,
                          size_t cap);

/* The same as a CP_EINPUT error at name:line:col. */
int cp_yaml_text_check(const char *name, const char *text, size_t len, cp_error *err);

#endif
