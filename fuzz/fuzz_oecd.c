/*
 * fuzz_oecd.c — libFuzzer target for the OECD NIOT importer
 * (cp_import_oecd in src/economy/import_oecd.c).
 *
 * The input is the CSV.  It is written to a scratch file named like an
 * OECD download (oecd2021_niot_JPN_2018_musd.csv) and imported twice: once
 * taking region and year from that name, once with them given.  A table
 * that imports must satisfy the table invariants and survive
 * cp_table_save + cp_table_load bit for bit.
 */
#include "fuzz_util.h"

/* Import once; check the table or the error. */
static void import_once(const char *path, const char *savedir, const char *region, int year)
{
    cp_load_opts o = cp_load_opts_default();
    o.csv.max_bytes = 1 << 20;
    cp_table *t = NULL;
    cp_import_report rep;
    memset(&rep, 0, sizeof rep);
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_import_oecd(&t, path, region, year, &o, &rep, &e);
    fz_report("cp_import_oecd", rc, &e);
    fz_check_result(rc, t, &rep, &e, savedir);
}

/* libFuzzer entry point.  The scratch directories are made once per
 * process and kept in static locals: harness-only, allowed here as an
 * exception to the project's no-globals rule (library code never does). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir, *savedir;
    if (!dir) {
        dir = fz_mkdtemp("oecd");
        savedir = fz_mkdtemp("oecd-save");
    }
    const char *name = "oecd2021_niot_JPN_2018_musd.csv";
    fz_write(dir, name, data, size);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    import_once(path, savedir, NULL, 0);
    import_once(path, savedir, "CHN", 2015);
    return 0;
}
