/*
 * fuzz_ctl_yaml.c — libFuzzer target for the export-controls YAML reader
 * (cp_ctl_parse_yaml in src/controls/ctl_yaml.c) and, for files that
 * parse, the day-by-day mechanics (cp_ctl_run).
 *
 * The input is the YAML text, passed with its length and without a
 * terminating NUL (the API takes text + len; an overread is a bug).  A
 * model that parses has every recorded range's value pointer written
 * through (they point into arrays that grow while parsing, so a stale
 * pointer shows up under ASan), then runs 120 days from its first
 * regime's start.  A refusal must be the right one: text that is not
 * UTF-8 is refused as such, and a syntax error names a line of the input
 * (fz_check_yaml_error in fuzz_util.h).
 */
#include "fuzz_util.h"

/* Exercise a parsed model: ranges, then a short run. */
static void exercise(cp_ctl_model *m)
{
    for (size_t i = 0; i < m->nranges; i++) {
        FZ_CHECK(m->range[i].value != NULL);
        FZ_CHECK(memchr(m->range[i].path, '\0', sizeof m->range[i].path) != NULL);
        double keep = *m->range[i].value;
        *m->range[i].value = m->range[i].low;
        *m->range[i].value = keep;
    }
    cp_ctl_run_opts o;
    o.start_day = m->nregimes ? m->regime[0].start_day : 0;
    if (!m->nregimes) cp_ctl_date_parse("2026-01-01", &o.start_day);
    o.nsteps = 120;
    cp_ctl_result *r = NULL;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_ctl_run(m, &o, &r, &e);
    fz_report("cp_ctl_run", rc, &e);
    if (rc == 0) {
        FZ_CHECK(r != NULL && r->nsteps == o.nsteps);
        for (size_t i = 0; i < r->nsteps * r->nind; i++)
            FZ_CHECK(!(r->cap[i] < 0) && !(r->cap[i] > 1));
        cp_ctl_result_free(r);
    } else {
        FZ_CHECK(r == NULL);
        FZ_CHECK(e.msg[0] != '\0');
    }
}

/* libFuzzer entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_ctl_model *m = NULL;
    cp_error e;
    cp_error_clear(&e);
    int rc = cp_ctl_parse_yaml(&m, "fuzz.yaml", (const char *)data, size, &e);
    fz_report("cp_ctl_parse_yaml", rc, &e);
    if (rc == 0) {
        FZ_CHECK(m != NULL);
        exercise(m);
        cp_ctl_model_free(m);
    } else {
        FZ_CHECK(m == NULL);
        FZ_CHECK(rc == CP_EINPUT || rc == CP_ENOMEM);
        FZ_CHECK(e.msg[0] != '\0');
        if (rc == CP_EINPUT) fz_check_yaml_error(e.msg, "fuzz.yaml", data, size);
    }
    FZ_CHECK(rc != 0 || fz_yaml_text_ok(data, size));
    return 0;
}
