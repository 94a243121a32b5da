/*
 * table_tol.c — record in a saved table how well its source balances.
 *
 * Published tables are rounded (OECD to 0.1 M USD) or were balanced only
 * approximately (WIOD's rows miss output by up to 1%).  Rather than alter
 * the published numbers to make them balance, the importer records the
 * tolerance the source needs in table.json ("balance_tol"), and
 * cp_table_load validates such a table at that tolerance instead of the
 * default 1e-6.  Likewise "check_columns": false records a source whose
 * value added does not close the columns (pymrio's fictional test MRIO).
 * provenance.md says what was found.
 */
#include "chokepoint.h"
#include "import_util.h"

#include <jansson.h>

/* Add or replace "balance_tol" / "check_columns" in dir/table.json. */
int cp_table_set_balance_tol(const char *dir, double tol, int check_columns, cp_error *err)
{
    char path[4096];
    json_error_t je;
    if (tol < 0 || tol > 0.1 || tol != tol)
        return cp_error_set(err, CP_EUSAGE, "balance tolerance %g is outside [0, 0.1]", tol);
    cp_imp_join(path, sizeof path, dir, "table.json");
    json_t *root = json_load_file(path, JSON_PRESERVE_ORDER, &je);
    if (!root)
        return cp_error_at(err, CP_EINPUT, path, je.line, je.column, "%s; hint: save the table first",
                           je.text);
    if (tol > 0) json_object_set_new(root, "balance_tol", json_real(tol));
    if (!check_columns) json_object_set_new(root, "check_columns", json_false());
    int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return rc ? cp_error_at(err, CP_EIO, path, 0, 0, "cannot write") : 0;
}
