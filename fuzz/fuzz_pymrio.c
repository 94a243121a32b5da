/*
 * fuzz_pymrio.c — libFuzzer target for the pymrio text-format importer
 * (cp_import_pymrio in src/economy/import_pymrio.c) and the layout
 * detection of cp_table_open.
 *
 * The input is split into the files of a pymrio folder by marker lines
 * "=== NAME" (fz_split_to_dir in fuzz_util.h); both layouts' files are
 * reachable (trade_flows_Z.txt ... and Z.txt + file_parameters.json +
 * factor_inputs/...).  A table that imports must satisfy the table
 * invariants and survive cp_table_save + cp_table_load bit for bit.
 */
#include "fuzz_util.h"

static const char *const pymrio_files[] = {
    "trade_flows_Z.txt",
    "finald_demand_Y.txt",
    "factor_input.txt",
    "metadata.json",
    "file_parameters.json",
    "Z.txt",
    "Y.txt",
    "unit.txt",
    "factor_inputs/file_parameters.json",
    "factor_inputs/F.txt",
    "factor_inputs/unit.txt",
};

/* Import dir with or without validation; check the table or the error. */
static void import_once(const char *dir, const char *savedir, int skip, int via_open)
{
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = skip;
    o.csv.max_bytes = 1 << 20;
    cp_table *t = NULL;
    cp_error e;
    cp_error_clear(&e);
    int rc = via_open ? cp_table_open(&t, dir, &o, &e) : cp_import_pymrio(&t, dir, &o, &e);
    fz_report(via_open ? "cp_table_open" : "cp_import_pymrio", rc, &e);
    fz_check_result(rc, t, NULL, &e, savedir);
}

/* libFuzzer entry point.  The scratch directories are made once per
 * process and kept in static locals: harness-only, allowed here as an
 * exception to the project's no-globals rule (library code never does). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir, *savedir;
    if (!dir) {
        dir = fz_mkdtemp("pymrio");
        savedir = fz_mkdtemp("pymrio-save");
    }
    fz_clear_dir(dir);
    fz_split_to_dir(dir, data, size, pymrio_files, sizeof pymrio_files / sizeof *pymrio_files);
    import_once(dir, savedir, 0, 0);
    import_once(dir, savedir, 1, 0);
    import_once(dir, savedir, 0, 1);
    return 0;
}
