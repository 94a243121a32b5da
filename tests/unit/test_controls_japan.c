/*
 * test_controls_japan.c — Japan's rare-earth satellite account
 * (data/materials/japan-rare-earths.yaml) and China's 2025-2026 regimes
 * (data/materials/china-2025-2026-regimes.yaml): they load, their numbers
 * agree with the published facts they cite (../shared/reference/
 * case-facts.md, section in each comment), every using sector is a code of
 * the MIC 2015 185-sector table, and a cut-off run on the central values
 * gives the hand-computed depletion date.
 */
#include "testutil.h"

#define ACCOUNT "data/materials/japan-rare-earths.yaml"
#define REGIMES "data/materials/china-2025-2026-regimes.yaml"

/* Day number of an ISO date. */
static long D(const char *iso)
{
    long d = 0;
    assert_int_equal(cp_ctl_date_parse(iso, &d), 0);
    return d;
}

/* The range recorded for path, or NULL. */
static const cp_ctl_range *range(const cp_ctl_model *m, const char *path)
{
    for (size_t i = 0; i < m->nranges; i++)
        if (strcmp(m->range[i].path, path) == 0) return &m->range[i];
    return NULL;
}

/* Items: the 7 of No. 18 from 2025-04-04 and the 5 of No. 57 suspended
 * until 2026-11-10 (§3.1, §3.2); Dy/Tb ~100% from China (§4.1); yttrium
 * oxide 98.7% (B4); Lynas at most ~30% of Dy/Tb demand (§4.1); stockpile
 * at most the 180-day target for high-risk minerals (§4.3). */
static void test_account_facts(void **state)
{
    (void)state;
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_load_yaml(&m, ACCOUNT, &err), &err);
    assert_int_equal(m->nitems, 12);
    const char *no18[] = {"Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"};
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(m->item[i].element, no18[i]);
        assert_int_equal(m->item[i].listed_day, D("2025-04-04"));
        assert_int_equal(m->item[i].suspended_until_day, CP_CTL_DAY_MIN);
    }
    for (size_t i = 7; i < 12; i++) {
        assert_int_equal(m->item[i].listed_day, D("2025-11-08"));
        assert_int_equal(m->item[i].suspended_until_day, D("2026-11-10"));
    }
    assert_string_equal(m->item[0].control_no, "1C902");
    assert_true(m->item[0].forms & (1u << CP_CTL_MAGNET)); /* SmCo */
    long dy = cp_ctl_find_supply(m, "Dy"), tb = cp_ctl_find_supply(m, "Tb");
    long y = cp_ctl_find_supply(m, "Y");
    assert_true(dy >= 0 && tb >= 0 && y >= 0);
    assert_close(m->supply[dy].exporter_share, 1.0, 0);
    assert_close(m->supply[tb].exporter_share, 1.0, 0);
    assert_close(m->supply[y].exporter_share, 0.987, 1e-12);
    const char *el[] = {"Dy", "Tb"};
    for (int e = 0; e < 2; e++) {
        char p[96];
        snprintf(p, sizeof p, "supply[%s].demand_t_per_year", el[e]);
        const cp_ctl_range *dem = range(m, p);
        snprintf(p, sizeof p, "supply[%s].other_origins[Lynas (JARE offtake%s)].t_per_year", el[e],
                 e == 0 ? ", Australia/Malaysia" : "");
        const cp_ctl_range *ly = range(m, p);
        assert_non_null(dem);
        assert_non_null(ly);
        assert_true(ly->high <= 0.30 * dem->central + 1e-9);
        snprintf(p, sizeof p, "supply[%s].stockpile.days", el[e]);
        const cp_ctl_range *sp = range(m, p);
        assert_non_null(sp);
        assert_close(sp->high, 180, 0);
        assert_close(sp->central, 42, 0); /* national part of the 60-day target */
    }
    /* Every number of the account is either exact or a range: the central
     * demand shares of each element leave room for unmapped uses. */
    for (size_t k = 0; k < m->nsupply; k++) {
        double s = 0;
        for (size_t u = 0; u < m->nuses; u++)
            if (m->use[u].mat_idx == k) s += m->use[u].demand_share;
        assert_true(s <= 1.0);
    }
    cp_ctl_model_free(m);
}

/* Every using sector is a code of the MIC 2015 185-sector table. */
static void test_sectors_in_mic_185(void **state)
{
    (void)state;
    char path[1024];
    cp_csv csv;
    cp_error err;
    cp_csv_opts o = cp_csv_opts_default();
    assert_ok(cp_csv_read(&csv, shared_path(path, sizeof path, "data/japan_io_2015_185sector_names_ja.csv"), &o, &err), &err);
    cp_ctl_model *m = NULL;
    assert_ok(cp_ctl_load_yaml(&m, ACCOUNT, &err), &err);
    for (size_t i = 0; i < m->nind; i++) {
        int found = 0;
        for (size_t r = 1; r < csv.nrows && !found; r++)
            found = strcmp(cp_csv_get(&csv, r, 0), m->ind[i].sector) == 0;
        if (!found) {
            print_error("sector %s is not in the 185-sector table\n", m->ind[i].sector);
            fail();
        }
    }
    assert_true(m->nind >= 10);
    cp_ctl_model_free(m);
    cp_csv_free(&csv);
}

/* With the regimes file: No. 57's holmium is not controlled on 2026-11-09
 * and is on 2026-11-10; Dy is licensed with a 45-working-day review
 * (§3.1); the 2026 military end-use ban takes weapons' (3116) share of Dy
 * demand from 2026-01-06 (§3.3). */
static void test_regimes_file(void **state)
{
    (void)state;
    const char *paths[] = {ACCOUNT, REGIMES};
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_load_yaml_files(&m, paths, 2, &err), &err);
    assert_int_equal(m->nregimes, 3);
    assert_int_equal(m->nfiles, 2);
    cp_ctl_state st;
    size_t ho = (size_t)cp_ctl_find_supply(m, "Ho"), dy = (size_t)cp_ctl_find_supply(m, "Dy");
    cp_ctl_state_at(m, ho, D("2026-11-09"), &st);
    assert_close(st.controlled_share, 0.0, 0);
    cp_ctl_state_at(m, ho, D("2026-11-10"), &st);
    assert_close(st.controlled_share, 1.0, 0);
    cp_ctl_state_at(m, dy, D("2025-05-01"), &st);
    assert_int_equal(st.review_working_days, 45);
    assert_close(st.approval_share, 0.25, 1e-12);
    assert_close(st.banned_share, 0.0, 0);
    cp_ctl_state_at(m, dy, D("2026-01-06"), &st);
    assert_close(st.banned_share, 0.01, 1e-12);
    assert_int_equal(cp_ctl_first_controlled_day(m, dy), D("2025-04-04"));
    cp_ctl_model_free(m);
}

/* Full cut-off of Dy from 2026-01-06 on the account's central values:
 * R0 = 300/365 t/day, inventory 60 days = 60 R0; Lynas adds 45 t/yr
 * ramping linearly over 365 days from the cut-off, so the daily draw is
 * R0 - (45/365)(t/365) (substitution only starts after 90 days).  The
 * cumulative draw through day T is R0 (T+1) - 45 T (T+1) / (2 * 365^2):
 * T = 59 gives 60 R0 - 0.598 (short of 60 R0), T = 60 gives 61 R0 - 0.618
 * = 60 R0 + 0.204, so the inventory ends on day 60 = 2026-03-07. */
static void test_japan_cutoff_dy(void **state)
{
    (void)state;
    cp_ctl_model *m = NULL;
    cp_error err;
    assert_ok(cp_ctl_load_yaml(&m, ACCOUNT, &err), &err);
    cp_ctl_regime r = cp_ctl_regime_default();
    snprintf(r.name, sizeof r.name, "cutoff");
    snprintf(r.exporter, sizeof r.exporter, "CHN");
    r.nimporters = 1;
    snprintf(r.importers[0], CP_CTL_LABEL, "JPN");
    r.nitems = 1;
    snprintf(r.items[0], CP_CTL_LABEL, "1C905");
    r.start_day = D("2026-01-06");
    assert_true(cp_ctl_add_regime(m, &r) >= 0);
    assert_ok(cp_ctl_model_check(m, &err), &err);
    cp_ctl_run_opts o = {D("2026-01-06"), 120};
    cp_ctl_result *res = NULL;
    assert_ok(cp_ctl_run(m, &o, &res, &err), &err);
    size_t dy = (size_t)cp_ctl_find_supply(m, "Dy");
    assert_int_equal(res->inventory_empty_day[dy], D("2026-03-07"));
    /* Stockpile: 42 days, release from day 30 but only once there is unmet
     * need: day 60 lacks the overshoot R0 - 45*1830/365^2 = 0.20379 t, from
     * day 61 the release is capped at half a day's demand. */
    assert_close(res->release_t[59 * res->nmat + dy], 0.0, 0);
    assert_close(res->release_t[60 * res->nmat + dy], 300.0 / 365.0 - 45.0 * 1830.0 / (365.0 * 365.0), 1e-9);
    assert_close(res->release_t[62 * res->nmat + dy], 0.5 * 300.0 / 365.0, 1e-12);
    /* Tb is not cut off in this run: fully available. */
    size_t tb = (size_t)cp_ctl_find_supply(m, "Tb");
    assert_close(res->shortfall_t[100 * res->nmat + tb], 0.0, 0);
    cp_ctl_result_free(res);
    cp_ctl_model_free(m);
}

/* Run the satellite-account tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_facts),
        cmocka_unit_test(test_sectors_in_mic_185),
        cmocka_unit_test(test_regimes_file),
        cmocka_unit_test(test_japan_cutoff_dy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
