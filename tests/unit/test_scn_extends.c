/*
 * test_scn_extends.c — scenario composition (extends:, scn_extends.c):
 * a variant resolves to exactly the scenario written out by hand, chains
 * apply in order, mappings merge and lists are replaced, the table path
 * is relative to the file that names it, cycles and missing bases are
 * refused with their messages, and errors in a base name the base file.
 * economy:, controls: and uncertainty: merge the same way: a variant of
 * the central Japan case that changes only the cut-off's duration is
 * scenarios/japan-cutoff-3m.yaml exactly; the merged sections are checked
 * as a whole and every error names the file that wrote its key.
 */
#include "testutil.h"

#include <unistd.h>

#ifndef CP_DATADIR
#define CP_DATADIR "data"
#endif

#define X "tests/data/scenarios/extends/"

/* The resolved YAML without its first (comment) line, which names the file. */
static char *body(const cp_scn *s)
{
    char *y = cp_scn_resolved_yaml(s);
    assert_non_null(y);
    char *nl = strchr(y, '\n');
    assert_non_null(nl);
    memmove(y, nl + 1, strlen(nl + 1) + 1);
    return y;
}

/* variant.yaml (extends base.yaml) == variant_flat.yaml written by hand. */
static void test_variant_equals_flat(void **state)
{
    (void)state;
    cp_scn a, b;
    cp_error err;
    assert_ok(cp_scn_load(&a, X "variant.yaml", &err), &err);
    assert_ok(cp_scn_load(&b, X "variant_flat.yaml", &err), &err);
    char *ya = body(&a), *yb = body(&b);
    assert_string_equal(ya, yb);
    /* and the merge, key by key */
    assert_string_equal(a.name, "extends-variant");            /* child */
    assert_string_equal(a.start_date, "2025-01-01");           /* base */
    assert_true(a.ario.psi == 0.9);                            /* child over base */
    assert_true(a.ario.main_inv_dur == 90);                    /* base */
    assert_int_equal(a.ario.steps, 120);
    assert_int_equal(a.ninv, 2);                               /* mapping merged */
    assert_string_equal(a.inv_sectors[0], "electricity");
    assert_true(a.inv_days[0] == 30);
    assert_string_equal(a.inv_sectors[1], "mining");
    assert_true(a.inv_days[1] == 10);
    assert_int_equal(a.nevents, 1);                            /* list replaced */
    assert_true(a.events[0].share == 0.25);
    assert_string_equal(a.events[0].file, X "variant.yaml");
    assert_string_equal(a.table_file, X "base.yaml");
    assert_string_equal(a.table_path, X "../../../../../shared/data/pymrio_test_mrio");
    free(ya); free(yb);
    cp_scn_free(&a);
    cp_scn_free(&b);
}

/* chain.yaml -> variant.yaml -> base.yaml: the last file wins. */
static void test_chain(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_ok(cp_scn_load(&s, X "chain.yaml", &err), &err);
    assert_int_equal(s.ario.steps, 30);
    assert_true(s.ario.psi == 0.9);
    assert_string_equal(s.name, "extends-variant");
    assert_string_equal(s.events[0].file, X "variant.yaml");
    cp_scn_free(&s);
}

/* A cycle is refused with the chain shown, and nothing else reported. */
static void test_cycle(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_int_equal(cp_scn_load(&s, X "cycle_a.yaml", &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "1 error in scenario:\n"
        X "cycle_b.yaml:1:10: extends: cycle " X "cycle_a.yaml -> " X "cycle_b.yaml -> " X "cycle_a.yaml; "
        "hint: a scenario cannot extend itself, directly or through its bases");
}

/* A file extending itself is the shortest cycle. */
static void test_self(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    const char *y = "extends: self.yaml\ntable: t\n";
    char path[512];
    snprintf(path, sizeof path, "%s/self.yaml", test_tmp());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(y, f);
    fclose(f);
    assert_int_equal(cp_scn_load(&s, path, &err), CP_EINPUT);
    assert_non_null(strstr(err.msg, ":1:10: extends: cycle "));
    assert_non_null(strstr(err.msg, "self.yaml -> "));
    unlink(path);
}

/* Errors in the base name the base file and its lines; the child's its own. */
static void test_errors_in_base(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_int_equal(cp_scn_load(&s, X "bad_child.yaml", &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "3 errors in scenario:\n"
        X "bad_base.yaml:4:14: psi_param: 2 is out of range; hint: must be in [0, 1]\n"
        X "bad_base.yaml:5:3: unknown key 'stepz' in ario; hint: did you mean 'steps'?\n"
        X "bad_child.yaml:4:14: alpha_max: 'lots' is not a number");
}

/* A missing base, and extends: that is not a path. */
static void test_missing_and_bad_value(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_int_equal(cp_scn_load(&s, X "missing_base.yaml", &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "1 error in scenario:\n"
        X "missing_base.yaml:2:10: extends: no scenario 'nowhere.yaml' (looked for " X "nowhere.yaml); "
        "hint: the path is relative to the directory of the file that writes extends:");
    const char *y = "extends: [a, b]\ntable: t\n";
    assert_int_equal(cp_scn_parse(&s, "mem.yaml", y, strlen(y), &err), CP_EINPUT);
    assert_string_equal(err.msg, "1 error in scenario:\nmem.yaml:1:11: extends: expected the path of a base scenario; hint: extends: base.yaml");
    const char *d = "extends: /dev/null\ntable: t\n";   /* never read a device or a pipe */
    assert_int_equal(cp_scn_parse(&s, "mem.yaml", d, strlen(d), &err), CP_EINPUT);
    assert_string_equal(err.msg, "1 error in scenario:\nmem.yaml:1:10: extends: '/dev/null' is not a regular file; hint: name a scenario file (.yaml)");
    const char *z = "extend: base.yaml\ntable: t\n";
    assert_int_equal(cp_scn_parse(&s, "mem.yaml", z, strlen(z), &err), CP_EINPUT);
    assert_string_equal(err.msg, "1 error in scenario:\nmem.yaml:1:1: unknown key 'extend' in the scenario; hint: did you mean 'extends'?");
}

/* The resolved YAML of a scenario file, without its first line. */
static char *body_of(const char *path)
{
    cp_scn s;
    cp_error err;
    assert_ok(cp_scn_load(&s, path, &err), &err);
    char *y = body(&s);
    cp_scn_free(&s);
    return y;
}

/* A variant of japan-cutoff-12m.yaml writing only the regime's name and
 * duration_days (controls.regime merges key by key) is the hand-written
 * japan-cutoff-3m.yaml. */
static void test_controls_partial_equals_flat(void **state)
{
    (void)state;
    char *ya = body_of(X "cutoff_3m.yaml");
    char *yb = body_of("scenarios/japan-cutoff-3m.yaml");
    assert_string_equal(ya, yb);
    assert_non_null(strstr(ya, "    end: 2026-04-06\n"));    /* 2026-01-06 + 90 days */
    free(ya);
    free(yb);
}

/* What the controls layer computes for a scenario file (economy applied
 * to the table first): the caps handed to the engine [steps x industries],
 * and the exporter's arrivals and company inventories [steps x materials]. */
typedef struct ctl_out { double *cap, *exp_t, *inv_t; size_t ncap, nled, nmat; long dy; } ctl_out;

/* Run a scenario's controls (no engine run) into o. */
static void controls_of(const char *path, ctl_out *o)
{
    cp_scn s;
    cp_error err;
    assert_ok(cp_scn_load(&s, path, &err), &err);
    char tp[4096];
    snprintf(tp, sizeof tp, "%s/%s", CP_DATADIR, s.table_path);   /* a shipped table */
    cp_load_opts lo = cp_load_opts_default();
    cp_table *t = NULL;
    assert_ok(cp_table_open(&t, tp, &lo, &err), &err);
    assert_ok(cp_scn_economy_apply(&s, t, &err), &err);
    cp_ctl_model *cm = NULL;
    cp_ctl_result *cr = NULL;
    assert_ok(cp_scn_controls_run(&s, t, &cm, &cr, &err), &err);
    assert_non_null(cr);
    o->ncap = cr->nsteps * t->n;
    o->nled = cr->nsteps * cr->nmat;
    o->nmat = cr->nmat;
    o->dy = cp_ctl_find_supply(cm, "Dy");   /* controlled (1C90x, No. 18) */
    assert_true(o->dy >= 0);
    o->cap = malloc(o->ncap * sizeof *o->cap);
    o->exp_t = malloc(o->nled * sizeof *o->exp_t);
    o->inv_t = malloc(o->nled * sizeof *o->inv_t);
    assert_true(o->cap && o->exp_t && o->inv_t);
    assert_ok(cp_ctl_cap_series_for_table(cm, cr, o->cap, t->n, &err), &err);
    memcpy(o->exp_t, cr->exporter_t, o->nled * sizeof *o->exp_t);
    memcpy(o->inv_t, cr->inventory_t, o->nled * sizeof *o->inv_t);
    cp_ctl_result_free(cr);
    cp_ctl_model_free(cm);
    cp_table_free(t);
    cp_scn_free(&s);
}

/* ... and the controls compute exactly the same caps and ledgers; the
 * 90-day cut-off holds: no dysprosium arrives from the exporter on day 0,
 * arrivals are back by the last day. */
static void test_controls_partial_same_run(void **state)
{
    (void)state;
    ctl_out a, b;
    controls_of(X "cutoff_3m.yaml", &a);
    controls_of("scenarios/japan-cutoff-3m.yaml", &b);
    assert_int_equal(a.ncap, b.ncap);
    assert_int_equal(a.nled, b.nled);
    assert_memory_equal(a.cap, b.cap, a.ncap * sizeof *a.cap);
    assert_memory_equal(a.exp_t, b.exp_t, a.nled * sizeof *a.exp_t);
    assert_memory_equal(a.inv_t, b.inv_t, a.nled * sizeof *a.inv_t);
    assert_true(a.exp_t[a.dy] == 0);
    assert_true(a.exp_t[a.nled - a.nmat + (size_t)a.dy] > 0);
    free(a.cap); free(a.exp_t); free(a.inv_t);
    free(b.cap); free(b.exp_t); free(b.inv_t);
}

/* One switch, one economy key and supply entries over the central case:
 * the base's account, regime, other switches, scale unit and year stay;
 * supply merges by element and key. */
static void test_controls_switches_merge(void **state)
{
    (void)state;
    char *y = body_of(X "ctl_switches.yaml");
    assert_non_null(strstr(y, "  scale_to_gdp: {value: 650000, unit: \"bn JPY\", year: 2024}"));
    assert_non_null(strstr(y, "data/materials/japan-rare-earths.yaml\"]\n"));
    assert_non_null(strstr(y, "    name: \"japan-cutoff-12m\"\n"));
    assert_non_null(strstr(y, "    end: 2027-01-06\n"));
    assert_non_null(strstr(y, "  stockpile: false\n  substitution: true\n"));
    assert_non_null(strstr(y, "    all: {inventory_days: 90, stockpile_days: 20}\n    Dy: {stockpile_days: 10}\n"));
    free(y);
}

/* A mistake in a base's controls names the base file; a partial controls
 * override's mistakes name the child, the check against the base's start
 * included. */
static void test_controls_errors_located(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_int_equal(cp_scn_load(&s, X "ctl_bad_base_child.yaml", &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "1 error in scenario:\n"
        X "ctl_bad_base.yaml:4:28: controls.regime.approval_share is 1.5, over 1; hint: a share is a fraction 0..1 of the applied volume (0 = cut-off)");
    assert_int_equal(cp_scn_load(&s, X "ctl_bad_child.yaml", &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "2 errors in scenario:\n"
        X "ctl_bad_child.yaml:4:14: controls.stockpile: expected true or false, got 'maybe'\n"
        X "ctl_bad_child.yaml:6:10: controls.regime.end 2025-12-31 is not after start 2026-01-06; hint: dates out of order");
    /* what the merged section lacks is reported at the last controls: */
    const char *y = "table: t\nstart_date: 2026-01-06\ncontrols: {stockpile: false}\n";
    assert_int_equal(cp_scn_parse(&s, "mem.yaml", y, strlen(y), &err), CP_EINPUT);
    assert_string_equal(err.msg,
        "2 errors in scenario:\n"
        "mem.yaml:3:1: controls needs 'account' (the satellite account file); hint: account: materials/japan-rare-earths.yaml\n"
        "mem.yaml:3:1: controls needs a regime: an inline 'regime' or 'regime_files'; hint: regime: {exporter: CHN, importers: [JPN], items: all, start: 2026-01-06, approval_share: 0}");
}

/* uncertainty.correlations is a list: the child's replaces the base's. */
static void test_uncertainty_list_replaced(void **state)
{
    (void)state;
    cp_scn s;
    cp_error err;
    assert_ok(cp_scn_load(&s, X "unc_child.yaml", &err), &err);
    assert_non_null(s.unc);
    assert_int_equal(s.unc->draws, 50);                         /* base */
    assert_int_equal(s.unc->ncorr, 1);
    assert_true(s.unc->corr[0].r == 0.5);                       /* child */
    assert_string_equal(s.unc->corr[0].file, X "unc_child.yaml");
    cp_scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_equals_flat),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_self),
        cmocka_unit_test(test_errors_in_base),
        cmocka_unit_test(test_missing_and_bad_value),
        cmocka_unit_test(test_controls_partial_equals_flat),
        cmocka_unit_test(test_controls_partial_same_run),
        cmocka_unit_test(test_controls_switches_merge),
        cmocka_unit_test(test_controls_errors_located),
        cmocka_unit_test(test_uncertainty_list_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
