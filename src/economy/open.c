/*
 * open.c — open any table chokepoint understands, by looking at what the
 * path holds: a chokepoint table directory (table.json) or a pymrio text
 * folder (trade_flows_Z.txt, or Z.txt with file_parameters.json).
 */
#include "chokepoint.h"

#include <stdio.h>
#include <sys/stat.h>

/* Does dir/file exist? */
static int has(const char *dir, const char *file)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, file);
    return stat(p, &st) == 0;
}

/* Detect the layout and load. */
int cp_table_open(cp_table **out, const char *path, const cp_load_opts *opts, cp_error *err)
{
    struct stat st;
    *out = NULL;
    if (stat(path, &st) != 0)
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "no such table; hint: give a table directory, a pymrio folder, or a shipped table name (see `chokepoint info --help`)");
    if (!S_ISDIR(st.st_mode))
        return cp_error_at(err, CP_EINPUT, path, 0, 0,
            "is a file; a table is a directory (hint: `chokepoint import` converts foreign layouts)");
    if (has(path, "table.json")) return cp_table_load(out, path, opts, err);
    if (has(path, "trade_flows_Z.txt") || (has(path, "Z.txt") && has(path, "file_parameters.json")))
        return cp_import_pymrio(out, path, opts, err);
    return cp_error_at(err, CP_EINPUT, path, 0, 0,
        "neither a chokepoint table (no table.json) nor a pymrio folder (no trade_flows_Z.txt or Z.txt)");
}
