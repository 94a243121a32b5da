/*
 * fuzz_table.c — libFuzzer target for chokepoint's own table format
 * (cp_table_load in src/economy/table_io.c, then cp_table_validate).
 *
 * The input is split into the files of a table directory by marker lines
 * "=== NAME" (see fz_split_to_dir in fuzz_util.h), written to a scratch
 * directory, and loaded twice: with validation and with skip_validation.
 * A table that loads is checked for the invariants the loader promises,
 * saved with cp_table_save and loaded again: the reload must succeed and
 * give the same labels and bit-identical numbers (the round-trip oracle).
 */
#include "fuzz_util.h"

#include <math.h>

static const char *const table_files[] = {
    "industries.csv", "table.json", "fd.csv", "va.csv", "Z.csv",
    "Y.csv",          "V.csv",      "x.csv",  "provenance.md",
};

/* Same string, treating NULL as "". */
static int same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Bitwise equality of two double arrays. */
static int same_bits(const double *a, const double *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

/* Invariants of a loaded table, then save + reload must reproduce it. */
static void check_table(const cp_table *t, const char *savedir, int validated)
{
    FZ_CHECK(t->n >= 1);
    FZ_CHECK(t->unit && *t->unit);
    FZ_CHECK(t->nreg >= 1 && t->nreg <= t->n);
    for (size_t i = 0; i < t->n; i++) FZ_CHECK(t->region[i] && t->sector[i] && t->sector_name[i]);
    for (size_t i = 0; i < t->n * t->n; i++) FZ_CHECK(isfinite(t->Z[i]));
    for (size_t i = 0; i < t->n; i++) FZ_CHECK(isfinite(t->x[i]));
    if (validated)
        for (size_t i = 0; i < t->n; i++) FZ_CHECK(t->x[i] >= 0);
    cp_balance_report rep;
    FZ_CHECK(cp_table_balance(t, &rep) == 0);
    FZ_CHECK(rep.worst_row < t->n && rep.worst_col < t->n);

    fz_clear_dir(savedir);
    cp_error e;
    cp_error_clear(&e);
    if (cp_table_save(t, savedir, "fuzz round trip\n", &e) != 0) {
        fprintf(stderr, "save failed: %s\n", e.msg);
        abort();
    }
    cp_load_opts o = cp_load_opts_default();
    o.skip_validation = 1;
    cp_table *u = NULL;
    if (cp_table_load(&u, savedir, &o, &e) != 0) {
        fprintf(stderr, "reload of a saved table failed: %s\n", e.msg);
        abort();
    }
    FZ_CHECK(u->n == t->n && u->nfd == t->nfd && u->nva == t->nva);
    FZ_CHECK(u->year == t->year && same_str(u->unit, t->unit) && same_str(u->name, t->name));
    for (size_t i = 0; i < t->n; i++)
        FZ_CHECK(same_str(u->region[i], t->region[i]) && same_str(u->sector[i], t->sector[i]) &&
                 same_str(u->sector_name[i], t->sector_name[i]));
    for (size_t k = 0; k < t->nfd; k++)
        FZ_CHECK(same_str(u->fd_region[k], t->fd_region[k]) &&
                 same_str(u->fd_category[k], t->fd_category[k]) && u->fd_kind[k] == t->fd_kind[k]);
    for (size_t r = 0; r < t->nva; r++)
        FZ_CHECK(same_str(u->va_label[r], t->va_label[r]) && u->va_kind[r] == t->va_kind[r]);
    FZ_CHECK(same_bits(u->Z, t->Z, t->n * t->n));
    FZ_CHECK(same_bits(u->Y, t->Y, t->n * t->nfd));
    FZ_CHECK(same_bits(u->V, t->V, t->nva * t->n));
    FZ_CHECK(same_bits(u->x, t->x, t->n));
    cp_table_free(u);
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
