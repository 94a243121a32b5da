/*
 * test_scn_extends.c — scenario composition (extends:, scn_extends.c):
 * a variant resolves to exactly the scenario written out by hand, chains
 * apply in order, mappings merge and lists are replaced, the table path
 * is relative to the file that names it, cycles and missing bases are
 * refused with their messages, and errors in a base name the base file.
 */
#include "testutil.h"

#include <unistd.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variant_equals_flat),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_self),
        cmocka_unit_test(test_errors_in_base),
        cmocka_unit_test(test_missing_and_bad_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
