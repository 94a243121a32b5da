/*
 * test_yaml_text.c — the checks the YAML readers run before libfyaml
 * 0.7.12 sees a text (src/core/yaml_text.c): text that is not UTF-8, and
 * the pattern that crashes libfyaml's parser (a tab before a block
 * indicator after a ':' inside an explicit key; found by fuzzing the
 * scenario reader, docs/fuzzing.md).  Texts near the pattern without an
 * explicit key pass; libfyaml gets through them without crashing.
 */
#include "testutil.h"

#include "core/yaml_text.h"

#include <libfyaml.h>

/* The crash reproducers (each crashed libfyaml 0.7.12) are refused at the
 * tab's line:col. */
static void test_crash_pattern_refused(void **state)
{
    (void)state;
    static const struct { const char *s; long line, col; } bad[] = {
        {"? a:\t?", 1, 5},
        {"? s:\t? b: .\n", 1, 5},
        {"economy:\n ? y:\n ? s\001\001econo:\t ?  se: .\n", 3, 13}, /* the fuzzer's find */
        {"? a:\t-", 1, 5}, {"? a:\t:", 1, 5}, {"? a:\t|", 1, 5}, {"? a:\t>", 1, 5},
        {"? a: \t- x", 1, 6}, {"?\n  a:\t?", 2, 5}, {"x:\n  ? a:\t?", 2, 7},
        {"- ? a:\t?", 1, 7}, {"? a: b\n  c:\t?", 2, 5}, {"? a: [b]\n? c:\t- x", 2, 5},
        {"? \xE6\x97\xA5:\t?", 1, 5},   /* the column counts characters */
        {"eco>>{>:\n ? yno:\t ?  .\n", 2, 8}, /* "{>" inside a plain scalar: no flow, no block scalar */
        {"? x- {y:e: \t ? z\n", 1, 12}, /* "- {" inside a plain scalar: no flow */
        {"a: b[c\n? d:\t?", 2, 5}, {"a: it's\n? d:\t?", 2, 5}, {"a: x|\n? d:\t?", 2, 5},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long line = 0, col = 0;
        char why[256];
        assert_int_equal(cp_yaml_text_find_bad(bad[i].s, strlen(bad[i].s), &line, &col, why, sizeof why), 1);
        assert_int_equal(line, bad[i].line);
        assert_int_equal(col, bad[i].col);
    }
    cp_error err;
    assert_int_equal(cp_yaml_text_check("k.yaml", "? a:\t?", 6, &err), CP_EINPUT);
    assert_string_equal(err.msg, "k.yaml:1:5: a tab before a block indicator inside an explicit key "
                                 "(? ...); hint: use spaces here (YAML does not indent with tabs)");
    assert_int_equal(cp_yaml_text_check("h.yaml", "%cat\377", 5, &err), CP_EINPUT);
    assert_string_equal(err.msg, "h.yaml:1:5: byte 0xFF is not UTF-8 text; hint: save the file as UTF-8");
}

/* Near misses pass, and libfyaml gets through each without crashing. */
static void test_near_misses_pass(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "a:\t|\n x\n", "a:\t>\n x\n", "a:\t: x", "a:\tb", "s:\t? b: .\n", "- a:\t-",
        "? a:\t-x", "? a:\t\"x\"", "? -\t- x", "? a: b\t- c", "note: \"it's:\t- fine\"\n",
        "a:\t|\n  why?\n", "importer: JPN # \xE6\x97\xA5\xE6\x9C\xAC\n", "",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        long line = 0, col = 0;
        char why[256];
        if (cp_yaml_text_find_bad(ok[i], strlen(ok[i]), &line, &col, why, sizeof why) != 0)
            fail_msg("refused %zu at %ld:%ld: %s", i, line, col, why);
        struct fy_diag_cfg dcfg;
        fy_diag_cfg_default(&dcfg);
        dcfg.fp = NULL; /* no output_fn either: libfyaml's messages go nowhere */
        struct fy_diag *diag = fy_diag_create(&dcfg);
        assert_non_null(diag);
        struct fy_parse_cfg cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.flags = FYPCF_QUIET;
        cfg.diag = diag;
        struct fy_document *d = fy_document_build_from_string(&cfg, ok[i], strlen(ok[i]));
        if (d) fy_document_destroy(d);
        fy_diag_unref(diag);
    }
}

/* The price of not parsing: the pattern is refused in quoted scalars,
 * comments and block scalars too once a '?' + blank has appeared (texts
 * libfyaml would read), documented in yaml_text.c. */
static void test_refused_without_parsing(void **state)
{
    (void)state;
    static const char *const strict[] = {
        "? 'a:\t?'", "? \"a:\t- b\"", "? |\n a:\t?\n", "? a # c:\t?", "# why? \na:\t|\n  x\n",
    };
    for (size_t i = 0; i < sizeof strict / sizeof *strict; i++) {
        long line = 0, col = 0;
        char why[256];
        assert_int_equal(cp_yaml_text_find_bad(strict[i], strlen(strict[i]), &line, &col, why, sizeof why), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_pattern_refused),
        cmocka_unit_test(test_near_misses_pass),
        cmocka_unit_test(test_refused_without_parsing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
