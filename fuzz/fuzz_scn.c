/*
 * fuzz_scn.c — libFuzzer target for the scenario YAML reader
 * (cp_scn_parse in src/scenario/scn.c) and what follows a successful
 * parse: cp_scn_resolved_yaml and cp_scn_build_ario (scn_build.c).
 *
 * The input is the YAML text, passed with its length and without a
 * terminating NUL.  The name has no directory, so no file is opened.  A
 * scenario that parses must (1) resolve to YAML that parses again to the
 * same table, steps and number of events (the resolved file is what
 * `chokepoint run` stores and re-runs), and (2) bind to a small two-region
 * table or fail with a message.  A refusal must be the right one: text
 * that is not UTF-8 is refused as such, and a syntax error names a line
 * of the input (fz_check_yaml_error in fuzz_util.h).
 */
#include "fuzz_util.h"

/* A small balanced two-region table (regions CHN, JPN; sectors MIN, MAN,
 * SRV; final demand hhco per region), the labels seeds refer to. */
static cp_table *make_table(void)
{
    static const char *const reg[] = {"CHN", "JPN", "JPN"};
    static const char *const sec[] = {"MIN", "MAN", "SRV"};
    static const double Z[9] = {1.5, 12.25, 0.25, 2, 30.5, 7.125, 0.5, 9.75, 20};
    static const double Y[6] = {10, 1, 5, 45.375, 0, 59.75};
    static const double V[3] = {21, 37.5, 62.625};
    static const double x[3] = {25, 90, 90};
    cp_table *t = cp_table_new(3, 2, 1);
    FZ_CHECK(t != NULL);
    for (size_t i = 0; i < 3; i++) {
        FZ_CHECK(cp_table_set_str(&t->region[i], reg[i]) == 0);
        FZ_CHECK(cp_table_set_str(&t->sector[i], sec[i]) == 0);
        FZ_CHECK(cp_table_set_str(&t->sector_name[i], sec[i]) == 0);
    }
    FZ_CHECK(cp_table_set_str(&t->fd_region[0], "CHN") == 0);
    FZ_CHECK(cp_table_set_str(&t->fd_region[1], "JPN") == 0);
    FZ_CHECK(cp_table_set_str(&t->fd_category[0], "hhco") == 0);
    FZ_CHECK(cp_table_set_str(&t->fd_category[1], "hhco") == 0);
    FZ_CHECK(cp_table_set_str(&t->va_label[0], "value added") == 0);
    FZ_CHECK(cp_table_set_str(&t->unit, "Mill USD") == 0);
    memcpy(t->Z, Z, sizeof Z);
    memcpy(t->Y, Y, sizeof Y);
    memcpy(t->V, V, sizeof V);
    memcpy(t->x, x, sizeof x);
    FZ_CHECK(cp_table_index_regions(t) == 0);
    cp_error e;
    if (cp_table_validate(t, NULL, NULL, &e) != 0) {
        fprintf(stderr, "harness table: %s\n", e.msg);
        abort();
    }
    return t;
}

/* The resolved YAML of s parses again to the same essentials. */
static void check_resolved(const cp_scn *s)
{
    char *y = cp_scn_resolved_yaml(s);
    FZ_CHECK(y != NULL);
    cp_scn r;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_scn_parse(&r, "resolved.yaml", y, strlen(y), &e);
    if (rc != 0) {
        fprintf(stderr, "resolved scenario does not parse:\n%s\n--- resolved text:\n%s\n", e.msg, y);
        abort();
    }
    FZ_CHECK(fz_same_str(r.table, s->table));
    FZ_CHECK(r.nevents == s->nevents);
    FZ_CHECK(r.ario.steps == s->ario.steps);
    for (size_t i = 0; i < s->nevents; i++) FZ_CHECK(r.events[i].type == s->events[i].type);
    cp_scn_free(&r);
    free(y);
}

/* libFuzzer entry point.  The table is built once per process and kept in
 * a static local: harness-only, allowed here as an exception to the
 * project's no-globals rule (library code never does). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cp_table *table;
    if (!table) table = make_table();
    cp_scn s;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_scn_parse(&s, "fuzz.yaml", (const char *)data, size, &e);
    fz_report("cp_scn_parse", rc, &e);
    if (rc != 0) {
        FZ_CHECK(rc == CP_EINPUT || rc == CP_ENOMEM);
        FZ_CHECK(e.msg[0] != '\0');
        if (rc == CP_EINPUT) fz_check_yaml_error(e.msg, "fuzz.yaml", data, size);
        return 0;
    }
    FZ_CHECK(fz_yaml_text_ok(data, size));
    check_resolved(&s);
    cp_ario *m = NULL;
    cp_error_clear(&e);
    rc = cp_scn_build_ario(&s, table, &m, &e);
    fz_report("cp_scn_build_ario", rc, &e);
    if (rc == 0) {
        FZ_CHECK(m != NULL);
        cp_ario_free(m);
    } else {
        FZ_CHECK(m == NULL);
        FZ_CHECK(e.msg[0] != '\0');
    }
    cp_scn_free(&s);
    return 0;
}
