/*
 * test_controls_yaml.c — the controls YAML reader: a valid file becomes the
 * model the mechanics expect (checked end to end against a hand-computed
 * depletion date), ranges are recorded, and bad input is refused with the
 * exact file:line:col message and hint a user sees.  The expected line and
 * column of each message are counted by hand in the template below.
 */
#include "testutil.h"

/* A small valid controls file, one line per entry (1-based line = index+1). */
static const char *const base_lines[] = {
    "importer: JPN",                                  /* 1 */
    "items:",                                         /* 2 */
    "  - control: 1C905",                             /* 3 */
    "    element: Dy",                                /* 4 */
    "    forms: [metal, oxide, compound, magnet]",    /* 5 */
    "    listed: 2025-04-04",                         /* 6 */
    "regimes:",                                       /* 7 */
    "  - name: cut",                                  /* 8 */
    "    exporter: CHN",                              /* 9 */
    "    importers: [JPN]",                           /* 10 */
    "    items: [1C905]",                             /* 11 */
    "    start: 2026-01-06",                          /* 12 */
    "    end: 2027-01-06",                            /* 13 */
    "    approval_share: 0",                          /* 14 */
    "    review_working_days: 45",                    /* 15 */
    "supply:",                                        /* 16 */
    "  - element: Dy",                                /* 17 */
    "    demand_t_per_year: 365",                     /* 18 */
    "    exporter_share: 1",                          /* 19 */
    "    inventory_days: 30",                         /* 20 */
    "uses:",                                          /* 21 */
    "  - element: Dy",                                /* 22 */
    "    sector: \"3511\"",                           /* 23 */
    "    demand_share: 0.5",                          /* 24 */
    "    criticality: 0.4",                           /* 25 */
};
#define NBASE (sizeof base_lines / sizeof *base_lines)

/* The template with line `line` (1-based) replaced by repl (which may
 * hold several lines); line 0 replaces nothing. */
static void doc(char *buf, size_t cap, int line, const char *repl)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NBASE; i++) {
        const char *l = (int)i + 1 == line ? repl : base_lines[i];
        off += (size_t)snprintf(buf + off, cap - off, "%s\n", l);
    }
}

/* Parse the template with one line replaced; expect failure with msg. */
static void expect_error(int line, const char *repl, const char *msg)
{
    char text[4096];
    doc(text, sizeof text, line, repl);
    cp_ctl_model *m = NULL;
    cp_error err;
    cp_error_clear(&err);
    int rc = cp_ctl_parse_yaml(&m, "t.yaml", text, strlen(text), &err);
    if (rc == 0) {
        print_error("parsed, expected: %s\n", msg);
        cp_ctl_model_free(m);
        fail();
    }
    assert_int_equal(rc, CP_EINPUT);
    assert_null(m);
    assert_string_equal(err.msg, msg);
}

/* The valid template parses, and a run gives the hand-computed answer: 30
 * days of inventory at 1 t/day under a cut-off from Tue 2026-01-06 end on
 * day 29 = 2026-02-04; criticality 0.4 on half the demand -> cap 0.6. */
static void test_valid_end_to_end(void **state)
{
    (void)state;
    char text[4096];
    doc(text, sizeof text, 0, NULL);
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_parse_yaml(&m, "t.yaml", text, strlen(text), &err), &err);
    assert_string_equal(m->importer, "JPN");
    assert_int_equal(m->nitems, 1);
    assert_int_equal(m->item[0].forms, 0xF);
    assert_int_equal(m->regime[0].phase[0].review_working_days, 45);
    long end;
    cp_ctl_date_parse("2027-01-06", &end);
    assert_int_equal(m->regime[0].end_day, end);
    assert_int_equal(m->use[0].src.line, 22);
    assert_int_equal(m->use[0].src.col, 5);
    cp_ctl_run_opts o;
    cp_ctl_date_parse("2026-01-06", &o.start_day);
    o.nsteps = 40;
    cp_ctl_result *r = NULL;
    assert_ok(cp_ctl_run(m, &o, &r, &err), &err);
    long want;
    cp_ctl_date_parse("2026-02-04", &want);
    assert_int_equal(r->inventory_empty_day[0], want);
    assert_close(r->cap[30], 0.6, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* [low, central, high] keeps the central value and records the range;
 * a sampler writing the low value (20 days) moves depletion to day 19 =
 * 2026-01-25. */
static void test_ranges(void **state)
{
    (void)state;
    char text[4096];
    doc(text, sizeof text, 20, "    inventory_days: [20, 30, 40]");
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_parse_yaml(&m, "t.yaml", text, strlen(text), &err), &err);
    assert_int_equal(m->nranges, 1);
    assert_string_equal(m->range[0].path, "supply[Dy].inventory_days");
    assert_close(m->range[0].low, 20, 0);
    assert_close(m->supply[0].inventory_days, 30, 0);
    cp_ctl_ranges_pick(m, -1);
    assert_close(m->supply[0].inventory_days, 20, 0);
    cp_ctl_run_opts o;
    cp_ctl_date_parse("2026-01-06", &o.start_day);
    o.nsteps = 40;
    cp_ctl_result *r = NULL;
    assert_int_equal(cp_ctl_run(m, &o, &r, &err), CP_EUSAGE); /* not checked again */
    assert_ok(cp_ctl_model_check(m, &err), &err);
    assert_ok(cp_ctl_run(m, &o, &r, &err), &err);
    long want;
    cp_ctl_date_parse("2026-01-25", &want);
    assert_int_equal(r->inventory_empty_day[0], want);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Every key of the schema with a value, including changes, bans, other
 * origins, stockpile with priority users, forms split and holidays. */
static void test_full_schema(void **state)
{
    (void)state;
    const char *text =
        "version: 1\n"
        "importer: JPN\n"
        "allocation: priority\n"
        "priority_order: [\"3114\", {region: JPN, sector: \"3511\"}]\n"
        "holidays: [2026-02-16, 2026-02-17]\n"
        "items:\n"
        "  - {control: 1C905, element: Dy, forms: [oxide, magnet], hs: [\"2805301200\"], listed: 2025-04-04}\n"
        "  - {control: 1C909, element: Ho, forms: [metal], listed: 2025-11-08, suspended_until: 2026-11-10}\n"
        "regimes:\n"
        "  - name: r\n"
        "    exporter: CHN\n"
        "    importers: ['*']\n"
        "    items: all\n"
        "    start: 2026-01-06\n"
        "    duration_days: 365\n"
        "    approval_share: 0\n"
        "    review_working_days: 45\n"
        "    banned_sectors: [\"3116\"]\n"
        "    changes:\n"
        "      - {from: 2026-04-01, approval_share: [0.1, 0.25, 0.4], approval_by_form: {magnet: 0.9}}\n"
        "supply:\n"
        "  - element: Dy\n"
        "    demand_t_per_year: 400\n"
        "    exporter_share: 0.9\n"
        "    form_shares: {oxide: 0.3, magnet: 0.7}\n"
        "    inventory_days: 60\n"
        "    other_origins: [{name: Lynas, t_per_year: 120, lead_days: 30, ramp_days: 180}]\n"
        "    recycling: {t_per_year: 10, lead_days: 90, ramp_days: 365}\n"
        "    substitution: {max_share: 0.2, lead_days: 0, ramp_days: 365}\n"
        "    stockpile: {days: 42, start_delay_days: 30, max_rate_share: 0.5, priority: [\"3114\"]}\n"
        "  - {element: Ho, demand_t_per_year: 10}\n"
        "uses:\n"
        "  - {element: Dy, sector: \"3511\", demand_share: 0.3, criticality: 0.5, source: \"case-facts 4.4\"}\n"
        "  - {element: Dy, region: JPN, sector: \"3114\", t_per_unit_output: 0.001, criticality: 1}\n";
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_parse_yaml(&m, "full.yaml", text, strlen(text), &err), &err);
    assert_int_equal(m->allocation, CP_CTL_PRIORITY);
    assert_int_equal(m->norder, 2);
    assert_string_equal(m->order[1].region, "JPN");
    assert_int_equal(m->nholidays, 2);
    assert_int_equal(m->item[0].forms, (1u << CP_CTL_OXIDE) | (1u << CP_CTL_MAGNET));
    assert_string_equal(m->item[0].hs[0], "2805301200");
    assert_int_equal(m->regime[0].nitems, 2);
    assert_int_equal(m->regime[0].end_day - m->regime[0].start_day, 365);
    assert_int_equal(m->regime[0].nphases, 2);
    assert_int_equal(m->regime[0].phase[1].review_working_days, 45); /* carried over */
    assert_close(m->regime[0].phase[1].approval_share, 0.25, 0);
    assert_close(m->regime[0].phase[1].form_approval[CP_CTL_MAGNET], 0.9, 0);
    assert_close(m->regime[0].phase[1].form_approval[CP_CTL_OXIDE], -1, 0);
    assert_close(m->regime[0].phase[0].form_approval[CP_CTL_MAGNET], -1, 0);
    assert_int_equal(m->regime[0].nbans, 1);
    assert_close(m->supply[0].form_share[CP_CTL_MAGNET], 0.7, 0);
    assert_close(m->supply[0].origin[0].amount, 120, 0);
    assert_close(m->supply[0].recycling.lead_days, 90, 0);
    assert_close(m->supply[0].substitution.amount, 0.2, 0);
    assert_int_equal(m->supply[0].stockpile.npriority, 1);
    assert_close(m->use[1].t_per_unit_output, 0.001, 0);
    assert_close(m->use[1].demand_share, -1, 0);
    assert_int_equal(m->nranges, 1);
    assert_string_equal(m->range[0].path, "regime[r].phase[1].approval_share");
    cp_ctl_model_free(m);
}

/* ---- refused input, exact messages ----------------------------------- */

/* Unknown element symbols (case matters) are refused at the value. */
static void test_bad_element(void **state)
{
    (void)state;
    expect_error(4, "    element: Dz",
                 "t.yaml:4:14: unknown element \"Dz\"; hint: use a chemical symbol such as Dy, Tb, Sm (case matters)");
    expect_error(22, "  - element: DY",
                 "t.yaml:22:14: unknown element \"DY\"; hint: use a chemical symbol such as Dy, Tb, Sm (case matters)");
}

/* Shares over 1 are refused, with the 60% = 0.6 hint. */
static void test_share_over_one(void **state)
{
    (void)state;
    expect_error(19, "    exporter_share: 1.5",
                 "t.yaml:19:21: exporter_share is 1.5, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%)");
    expect_error(24, "    demand_share: 1.2",
                 "t.yaml:24:19: demand_share is 1.2, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%)");
    expect_error(14, "    approval_share: 25",
                 "t.yaml:14:21: approval_share is 25, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%)");
}

/* Negative days are refused. */
static void test_negative_days(void **state)
{
    (void)state;
    expect_error(20, "    inventory_days: -5",
                 "t.yaml:20:21: inventory_days is -5, negative; hint: days and tonnes must be 0 or more");
    expect_error(15, "    review_working_days: -1",
                 "t.yaml:15:26: review_working_days is -1, negative; hint: days must be 0 or more");
}

/* Impossible dates and dates out of order are refused. */
static void test_dates(void **state)
{
    (void)state;
    expect_error(13, "    end: 2025-12-31",
                 "t.yaml:13:10: end 2025-12-31 is not after start 2026-01-06; hint: dates out of order");
    expect_error(12, "    start: 2026-02-30",
                 "t.yaml:12:12: start \"2026-02-30\" is not a date; hint: write YYYY-MM-DD");
    expect_error(6, "    listed: 2025-04-04\n    suspended_until: 2025-01-01",
                 "t.yaml:7:22: suspended_until 2025-01-01 is before listed 2025-04-04; hint: dates out of order");
    expect_error(15, "    review_working_days: 45\n    changes:\n      - from: 2025-12-01\n        approval_share: 0.25",
                 "t.yaml:17:15: change from 2025-12-01 is not after the previous phase (2026-01-06); hint: dates out of order");
    expect_error(15, "    review_working_days: 45\n    changes:\n      - from: 2027-02-01",
                 "t.yaml:17:15: change from 2027-02-01 is not before the regime's end 2027-01-06; hint: dates out of order");
}

/* Undefined items, unordered ranges, unknown keys, forms and rules, and
 * demand shares summing over 1 are refused. */
static void test_references_and_keys(void **state)
{
    (void)state;
    expect_error(11, "    items: [1C999]",
                 "t.yaml:11:13: item \"1C999\" is not defined; hint: define it under items: or fix the control number");
    expect_error(25, "    criticality: [0.8, 0.5, 0.9]",
                 "t.yaml:25:18: criticality: range [0.8, 0.5, 0.9] is not ordered; hint: write [low, central, high]");
    expect_error(20, "    inventory_day: 30",
                 "t.yaml:20:5: unknown key \"inventory_day\" in a supply entry; hint: known keys: element, demand_t_per_year, exporter_share, form_shares, inventory_days, other_origins, recycling, substitution, stockpile, source, note");
    expect_error(25, "    criticality: high",
                 "t.yaml:25:18: criticality \"high\" is not a number; hint: write e.g. 0.25 or 45");
    expect_error(5, "    forms: [metal, ore]",
                 "t.yaml:5:20: unknown form \"ore\"; hint: metal, oxide, compound or magnet");
    expect_error(25, "    criticality: 0.4\n  - {element: Dy, sector: \"3531\", demand_share: 0.7, criticality: 1}",
                 "t.yaml:17:5: supply Dy: the uses' demand_share sum to 1.2, over 1; hint: shares of one element's demand cannot exceed 1");
    expect_error(1, "importer: JPN\nallocation: greedy",
                 "t.yaml:2:13: unknown allocation \"greedy\"; hint: proportional, priority or value");
}

/* Syntax errors name the position libfyaml reports; empty input is refused. */
static void test_syntax(void **state)
{
    (void)state;
    cp_ctl_model *m = NULL;
    cp_error err;
    const char *bad = "importer: JPN\nitems: [1C905\nsupply: []\n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "s.yaml", bad, strlen(bad), &err), CP_EINPUT);
    assert_msg_has(&err, "s.yaml:");
    assert_msg_has(&err, ": YAML syntax error: ");
    assert_int_equal(cp_ctl_parse_yaml(&m, "e.yaml", "", 0, &err), CP_EINPUT);
    assert_string_equal(err.msg, "e.yaml: the controls file is empty; hint: see docs/controls.md for an example");
    /* Text that is not UTF-8 is refused before libfyaml sees it (libfyaml
     * 0.7.12 hangs on "%cat\377", docs/fuzzing.md); so is a NUL byte. */
    assert_int_equal(cp_ctl_parse_yaml(&m, "h.yaml", "%cat\377", 5, &err), CP_EINPUT);
    assert_string_equal(err.msg, "h.yaml:1:5: byte 0xFF is not UTF-8 text; hint: save the file as UTF-8");
    assert_int_equal(cp_ctl_parse_yaml(&m, "n.yaml", "importer: J\0PN\n", 14, &err), CP_EINPUT);
    assert_string_equal(err.msg, "n.yaml:1:12: contains a NUL byte; hint: is it a text file?");
    const char *jp = "importer: JPN # 日本\n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "j.yaml", jp, strlen(jp), &err), 0);
    cp_ctl_model_free(m);
    assert_int_equal(cp_ctl_load_yaml(&m, "/nonexistent/x.yaml", &err), CP_EIO);
    assert_string_equal(err.msg, "/nonexistent/x.yaml: cannot open the controls file; hint: check the path");
}

/* libfyaml echoes the offending source line through the same diagnostic
 * hook as its "<input>:LINE:COL: error: " header; a line of the file that
 * reads like a header must not be taken for one (it gave a wrong position,
 * and a long run of digits overflowed a long: docs/fuzzing.md). */
static void test_syntax_echoed_source(void **state)
{
    (void)state;
    cp_ctl_model *m = NULL;
    cp_error err;
    const char *a = "%12:34: error: \n---\nimporter: [JPN\n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "d.yaml", a, strlen(a), &err), CP_EINPUT);
    assert_string_equal(err.msg, "d.yaml:4:1: YAML syntax error: flow sequence without a closing bracket; "
                                 "hint: check indentation, colons, brackets and quotes here");
    const char *b = "%2222222222222222222: error: \n---\nimporter: [JPN\n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "d.yaml", b, strlen(b), &err), CP_EINPUT);
    assert_string_equal(err.msg, "d.yaml:4:1: YAML syntax error: flow sequence without a closing bracket; "
                                 "hint: check indentation, colons, brackets and quotes here");
    /* Only a warning (unsupported directive) and no document. */
    const char *c = "%2222222222222222222: error: \n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "d.yaml", c, strlen(c), &err), CP_EINPUT);
    assert_string_equal(err.msg, "d.yaml: the controls file is empty; hint: see docs/controls.md for an example");
    assert_null(m);
    /* libfyaml 0.7.12 crashed (SEGV) on a tab after ':' inside an
     * explicit key; refused before it sees the text (core/yaml_text.c). */
    const char *k = "importer: JPN\n? a:\t?\n";
    assert_int_equal(cp_ctl_parse_yaml(&m, "k.yaml", k, strlen(k), &err), CP_EINPUT);
    assert_string_equal(err.msg, "k.yaml:2:5: a tab before a block indicator inside an explicit key "
                                 "(? ...); hint: use spaces here (YAML does not indent with tabs)");
}

/* A use whose sector the table lacks is refused at the use's position. */
static void test_sector_not_in_table(void **state)
{
    (void)state;
    char text[4096];
    doc(text, sizeof text, 0, NULL);
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_parse_yaml(&m, "t.yaml", text, strlen(text), &err), &err);
    cp_table *t = cp_table_new(2, 1, 1);
    cp_table_set_str(&t->name, "mini");
    cp_table_set_str(&t->region[0], "JPN");
    cp_table_set_str(&t->region[1], "JPN");
    cp_table_set_str(&t->sector[0], "3521");
    cp_table_set_str(&t->sector[1], "3311");
    cp_table_index_regions(t);
    assert_int_equal(cp_ctl_bind_table(m, t, &err), CP_EINPUT);
    assert_string_equal(err.msg, "t.yaml:22:5: use of Dy: table \"mini\" has no sector \"3511\"; hint: use a sector code of that table (e.g. \"3521\")");
    cp_table_free(t);
    cp_ctl_model_free(m);
}

/* Run the reader's tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_end_to_end),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_full_schema),
        cmocka_unit_test(test_bad_element),
        cmocka_unit_test(test_share_over_one),
        cmocka_unit_test(test_negative_days),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_references_and_keys),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_syntax_echoed_source),
        cmocka_unit_test(test_sector_not_in_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
