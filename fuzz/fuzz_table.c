/*
 * fuzz_table.c — libFuzzer target for chokepoint's own table format
 * (cp_table_load in src/economy/table_io.c, then cp_table_validate).
 *
 * The input is split into the files of a table directory by marker lines
 * "=== NAME" (see fz_split_to_dir in fuzz_util.h), written to a scratch
 * directory, and loaded twice: with validation and with skip_validation.
 * A table that loads is checked for the invariants the loader promises
 * (with validation: an independent long-double row-balance check),
 * saved with cp_table_save and loaded again: the reload must succeed and
 * give the same labels and bit-identical numbers (the round-trip oracle).
 */
#include "fuzz_util.h"

#include <math.h>

static const char *const table_files[] = {
    "industries.csv", "table.json", "fd.csv", "va.csv", "Z.csv",
    "Y.csv",          "V.csv",      "x.csv",  "provenance.md",
};

/* Independent row-balance oracle for a table that passed validation: in
 * long double, every row's gap relative to max(|x_i|, 1e-6 * mean |x|)
 * (absolute when both are 0) must be within 0.1, the loosest tolerance
 * table.json may ask for ("balance_tol" <= 0.1). */
static void check_rows_balance(const cp_table *t)
{
    size_t n = t->n;
    long double mean = 0;
    for (size_t i = 0; i < n; i++) mean += fabsl((long double)t->x[i]) / (long double)n;
    long double floor = 1e-6L * mean;
    for (size_t i = 0; i < n; i++) {
        long double rs = 0;
        for (size_t j = 0; j < n; j++) rs += t->Z[i * n + j];
        for (size_t k = 0; k < t->nfd; k++) rs += t->Y[i * t->nfd + k];
        long double d = fabsl((long double)t->x[i]);
        if (d < floor) d = floor;
        long double gap = fabsl((long double)t->x[i] - rs);
        if (d > 0) gap /= d;
        if (!(gap <= 0.1L * (1 + 1e-6L))) {
            fprintf(stderr, "validated table: row %zu misses its output by %Lg (relative)\n", i, gap);
            abort();
        }
    }
}

/* Invariants of a loaded table; then the save + reload oracle. */
static void check_table(const cp_table *t, const char *savedir, int validated)
{
    FZ_CHECK(t->unit && *t->unit);
    if (validated) {
        for (size_t i = 0; i < t->n; i++) FZ_CHECK(t->x[i] >= 0);
        check_rows_balance(t);
    }
    fz_check_table(t);
    fz_check_roundtrip(t, savedir);
}

/* Load dir with or without validation; check success or the error. */
static void load_once(const char *dir, const char *savedir, int skip)
{
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = skip;
    o.csv.max_bytes = 1 << 20;
    cp_table *t = NULL;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_table_load(&t, dir, &o, &e);
    fz_report(skip ? "cp_table_load (no validation)" : "cp_table_load", rc, &e);
    if (rc == 0) {
        FZ_CHECK(t != NULL);
        check_table(t, savedir, !skip);
        cp_table_free(t);
    } else {
        FZ_CHECK(t == NULL);
        FZ_CHECK(rc == CP_EINPUT || rc == CP_EIO);
        FZ_CHECK(e.msg[0] != '\0');
    }
}

/* libFuzzer entry point.  The scratch directories are made once per
 * process and kept in static locals: harness-only, allowed here as an
 * exception to the project's no-globals rule (library code never does). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *dir, *savedir;
    if (!dir) {
        dir = fz_mkdtemp("table");
        savedir = fz_mkdtemp("table-save");
    }
    fz_clear_dir(dir);
    fz_split_to_dir(dir, data, size, table_files, sizeof table_files / sizeof *table_files);
    load_once(dir, savedir, 0);
    load_once(dir, savedir, 1);
    return 0;
}
