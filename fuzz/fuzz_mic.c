/*
 * fuzz_mic.c — libFuzzer target for the MIC Japan importer
 * (cp_import_mic in src/economy/import_mic.c).
 *
 * The input holds the transactions CSV and, optionally, the names CSV,
 * framed by marker lines "=== io.csv" / "=== names.csv" (fz_split_to_dir
 * in fuzz_util.h; text before any marker is io.csv).  Both are written to
 * a scratch directory and imported; without a names section names_csv is
 * NULL.  A table that imports must satisfy the table invariants and
 * survive cp_table_save + cp_table_load bit for bit.
 */
#include "fuzz_util.h"

static const char *const mic_files[] = {"io.csv", "names.csv"};

/* Import once with the given options; check the table or the error. */
static void import_once(const char *dir, const char *savedir, int skip)
{
    char io[4096], names[4096];
    snprintf(io, sizeof io, "%s/io.csv", dir);
    snprintf(names, sizeof names, "%s/names.csv", dir);
    int have_names = access(names, F_OK) == 0;
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = skip;
    o.csv.max_bytes = 1 << 20;
    cp_table *t = NULL;
    cp_import_report rep;
    memset(&rep, 0, sizeof rep);
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_import_mic(&t, io, have_names ? names : NULL, &o, &rep, &e);
    fz_report("cp_import_mic", rc, &e);
    fz_check_result(rc, t, &rep, &e, savedir);
}

/* libFuzzer entry point.  The scratch directories are made once per
 * process and kept in static locals: harness-only, allowed here as an
 * exception to the project's no-globals rule (library code never does). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir, *savedir;
    if (!dir) {
        dir = fz_mkdtemp("mic");
        savedir = fz_mkdtemp("mic-save");
    }
    fz_clear_dir(dir);
    fz_split_to_dir(dir, data, size, mic_files, sizeof mic_files / sizeof *mic_files);
    import_once(dir, savedir, 0);
    import_once(dir, savedir, 1);
    return 0;
}
