/*
 * import_util.c — small helpers shared by the importers of foreign
 * input–output layouts (pymrio, MIC, OECD, WIOD).  See import_util.h.
 */
#include "import_util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Join dir and file without doubling a trailing slash. */
void cp_imp_join(char *buf, size_t cap, const char *dir, const char *file)
{
    size_t l = strlen(dir);
    snprintf(buf, cap, "%s%s%s", dir, (l && dir[l - 1] == '/') ? "" : "/", file);
}

/* Line of a field; for a missing column, the line of the row. */
long cp_imp_line(const cp_csv *csv, size_t row, size_t col)
{
    size_t nc = cp_csv_ncols(csv, row);
    if (!nc) return 0;
    return csv->line[csv->row_off[row] + (col < nc ? col : 0)];
}

/* Column of a field, 0 (left out of messages) when it does not exist. */
long cp_imp_col(const cp_csv *csv, size_t row, size_t col)
{
    if (col >= cp_csv_ncols(csv, row)) return 0;
    return csv->col[csv->row_off[row] + col];
}

/* A label cell must exist and hold something other than blanks. */
int cp_imp_need_label(const cp_csv *csv, size_t row, size_t col, const char *what,
                      cp_error *err)
{
    const char *s = cp_csv_get(csv, row, col);
    if (s) {
        while (*s == ' ' || *s == '\t') s++;
        if (*s) return 0;
    }
    return cp_error_at(err, CP_EINPUT, csv->name, cp_imp_line(csv, row, col),
                       cp_imp_col(csv, row, col),
                       "missing %s label; hint: every row and column of the table needs its label",
                       what);
}

/* Case-insensitive substring test, for classifying category names. */
int cp_imp_has_word(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        size_t k = 0;
        while (k < n && s[k] &&
               tolower((unsigned char)s[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n) return 1;
    }
    return 0;
}

/* cp_table_set_str with the error filled in. */
int cp_imp_str(char **slot, const char *s, cp_error *err)
{
    if (cp_table_set_str(slot, s)) return cp_error_set(err, CP_ENOMEM, "out of memory");
    return 0;
}

/* Validate unless the caller asked not to; the importer decides whether
 * the column balance is meaningful for its source. */
int cp_imp_validate(const cp_table *t, const cp_load_opts *opts, int check_columns,
                    cp_error *err)
{
    cp_load_opts o = opts ? *opts : cp_load_opts_default();
    if (o.skip_validation) return 0;
    cp_validate_opts v = o.validate;
    if (!check_columns) v.check_columns = 0;
    return cp_table_validate(t, &v, NULL, err);
}
