/*
 * import_util.h — helpers shared by the foreign-layout importers
 * (src/economy/import_*.c).  Internal to the economy layer; not public API.
 *
 * Every importer reads delimited text with cp_csv and must report bad
 * input at file:line:col with a hint, so the helpers here are mostly about
 * locating fields and checking labels.
 */
#ifndef CP_IMPORT_UTIL_H
#define CP_IMPORT_UTIL_H

#include "chokepoint.h"

#include <stddef.h>

/* Join dir and file into buf ("dir/file", no doubled slash). */
void cp_imp_join(char *buf, size_t cap, const char *dir, const char *file);

/* 1-based line / column of field (row, col) of csv, or 0 when it does not
 * exist (the line of the row's first field is used for a missing column). */
long cp_imp_line(const cp_csv *csv, size_t row, size_t col);
long cp_imp_col(const cp_csv *csv, size_t row, size_t col);

/* Fail with a located CP_EINPUT unless field (row, col) is a non-empty
 * label; what names it in the message ("sector code", "region"). */
int cp_imp_need_label(const cp_csv *csv, size_t row, size_t col, const char *what,
                      cp_error *err);

/* Does s contain needle, ignoring ASCII case? */
int cp_imp_has_word(const char *s, const char *needle);

/* Set *slot to a copy of s, turning out-of-memory into an error. */
int cp_imp_str(char **slot, const char *s, cp_error *err);

/* Validate an imported table: with opts->skip_validation nothing is
 * checked; otherwise cp_table_validate with opts->validate, except that
 * columns are checked only if check_columns (the importer knows whether
 * its source closes the columns). */
int cp_imp_validate(const cp_table *t, const cp_load_opts *opts, int check_columns,
                    cp_error *err);

#endif
