/*
 * test_utf8.c — the shared UTF-8 check (src/core/utf8.c) against the
 * rules of RFC 3629: well-formed sequences of 1 to 4 bytes pass (its own
 * examples, section 7), overlong forms, surrogates, code points above
 * U+10FFFF, stray continuation bytes and truncated sequences fail.
 */
#include "testutil.h"

#include "core/utf8.h"

/* RFC 3629 section 7's examples and the boundary code points. */
static void test_valid(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "A\xE2\x89\xA2\xCE\x91.",              /* "A<NOT IDENTICAL TO><ALPHA>." */
        "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", /* Korean "hangugeo" */
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", /* Japanese "nihongo" */
        "\xEF\xBB\xBF\xF0\xA3\x8E\xB4",         /* BOM + U+233B4 */
        "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xEF\xBF\xBF", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "", "plain ASCII\n"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        assert_int_equal(cp_utf8_bad(ok[i], strlen(ok[i])), strlen(ok[i]));
}

/* Each ill-formed sequence is found at its first byte. */
static void test_invalid(void **state)
{
    (void)state;
    static const struct { const char *s; size_t at; } bad[] = {
        {"Mill \xA5", 5},            /* Latin-1 yen sign */
        {"ab\x80", 2},               /* lone continuation byte */
        {"\xC0\xAF", 0},             /* overlong '/' */
        {"\xC1\xBF", 0},             /* overlong U+007F */
        {"\xE0\x9F\xBF", 0},         /* overlong U+07FF */
        {"\xF0\x8F\xBF\xBF", 0},     /* overlong U+FFFF */
        {"x\xED\xA0\x80", 1},        /* surrogate U+D800 */
        {"\xED\xBF\xBF", 0},         /* surrogate U+DFFF */
        {"\xF4\x90\x80\x80", 0},     /* U+110000 */
        {"\xF8\x88\x80\x80\x80", 0}, /* 5-byte form */
        {"\xFF", 0}, {"\xFE", 0},
        {"ok\xE6\x97", 2},           /* truncated 3-byte sequence */
        {"\xE6\x41\x41", 0},         /* lead byte without continuations */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cp_utf8_bad(bad[i].s, strlen(bad[i].s)), bad[i].at);
}

/* cp_text_check names line:col in characters, as an editor shows them. */
static void test_text_check(void **state)
{
    (void)state;
    cp_error err;
    assert_int_equal(cp_text_check("h.yaml", "%cat\377", 5, &err), CP_EINPUT);
    assert_string_equal(err.msg, "h.yaml:1:5: byte 0xFF is not UTF-8 text; hint: save the file as UTF-8");
    const char *t = "a: 1\nb: \xE6\x97\xA5\xE6\x9C\xAC \xA5\n";
    assert_int_equal(cp_text_check("t.yaml", t, strlen(t), &err), CP_EINPUT);
    assert_string_equal(err.msg, "t.yaml:2:7: byte 0xA5 is not UTF-8 text; hint: save the file as UTF-8");
    assert_int_equal(cp_text_check("n.yaml", "ab\0c", 4, &err), CP_EINPUT);
    assert_string_equal(err.msg, "n.yaml:1:3: contains a NUL byte; hint: is it a text file?");
    const char *jp = "importer: JPN # \xE6\x97\xA5\xE6\x9C\xAC\n";
    assert_int_equal(cp_text_check("j.yaml", jp, strlen(jp), &err), 0);
    long line = 0, col = 0;
    unsigned b = 0;
    assert_int_equal(cp_text_find_bad("x\n\n\xC0\xAF", 5, &line, &col, &b), 1);
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    assert_int_equal(b, 0xC0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_text_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
