/*
 * import_pymrio.c — read pymrio's text format.  (placeholder: being written)
 */
#include "chokepoint.h"

int cp_import_pymrio(cp_table **out, const char *dir, const cp_load_opts *opts, cp_error *err)
{
    (void)opts;
    *out = NULL;
    return cp_error_at(err, CP_ERUN, dir, 0, 0, "pymrio import not written yet");
}
