/*
 * test_controls.c — the export-control layer's mechanics, each against an
 * answer computed by hand (shown in the comments): dates and working
 * days, stock depletion, stockpile release, ramp-ups, allocation rules,
 * licence delays shifting arrivals, suspended items, end-use bans and the
 * binding of uses to a table.  Models are built in C so the mechanics are
 * tested without the YAML reader.
 */
#include "testutil.h"

/* Day number of an ISO date (the test fails on a bad literal). */
static long D(const char *iso)
{
    long d = 0;
    assert_int_equal(cp_ctl_date_parse(iso, &d), 0);
    return d;
}

/* A one-material model: element el, demand t/yr, exporter share xs,
 * inventory days; one item covering every form, listed 2025-04-04, and
 * one regime from start with approval a and review rev working days. */
static cp_ctl_model *base(const char *el, double demand, double xs, double inv_days,
                          const char *start, double a, int rev)
{
    cp_ctl_model *m = cp_ctl_model_new();
    assert_non_null(m);
    snprintf(m->importer, sizeof m->importer, "JPN");
    cp_ctl_item it;
    memset(&it, 0, sizeof it);
    snprintf(it.control_no, sizeof it.control_no, "1C9%s", el);
    snprintf(it.element, sizeof it.element, "%s", el);
    it.forms = 0xF;
    it.listed_day = D("2025-04-04");
    it.suspended_until_day = CP_CTL_DAY_MIN;
    assert_true(cp_ctl_add_item(m, &it) >= 0);
    cp_ctl_regime r = cp_ctl_regime_default();
    snprintf(r.name, sizeof r.name, "test");
    snprintf(r.exporter, sizeof r.exporter, "CHN");
    r.nimporters = 1;
    snprintf(r.importers[0], CP_CTL_LABEL, "JPN");
    r.nitems = 1;
    snprintf(r.items[0], CP_CTL_LABEL, "%s", it.control_no);
    r.start_day = D(start);
    r.phase[0].approval_share = a;
    r.phase[0].review_working_days = rev;
    assert_true(cp_ctl_add_regime(m, &r) >= 0);
    cp_ctl_supply s = cp_ctl_supply_default();
    snprintf(s.element, sizeof s.element, "%s", el);
    s.demand_t_per_year = demand;
    s.exporter_share = xs;
    s.inventory_days = inv_days;
    assert_true(cp_ctl_add_supply(m, &s) >= 0);
    return m;
}

/* Add a use of element el by sector with a demand share and criticality. */
static void add_use(cp_ctl_model *m, const char *el, const char *sector, double share,
                    double crit)
{
    cp_ctl_use u = cp_ctl_use_default();
    snprintf(u.element, sizeof u.element, "%s", el);
    snprintf(u.ind.sector, sizeof u.ind.sector, "%s", sector);
    u.demand_share = share;
    u.criticality = crit;
    assert_true(cp_ctl_add_use(m, &u) >= 0);
}

/* Check and run m from start for n days. */
static cp_ctl_result *run(cp_ctl_model *m, const char *start, size_t n)
{
    cp_error err;
    cp_error_clear(&err);
    assert_ok(cp_ctl_model_check(m, &err), &err);
    cp_ctl_run_opts o = {D(start), n};
    cp_ctl_result *r = NULL;
    assert_ok(cp_ctl_run(m, &o, &r, &err), &err);
    return r;
}

#define AV(r, t, u) ((r)->avail[(size_t)(t) * (r)->nuse + (u)])
#define LED(r, f, t, k) ((r)->f[(size_t)(t) * (r)->nmat + (k)])

/* ---- dates ------------------------------------------------------------ */

/* 1970-01-01 is day 0; 2026-01-01 is 56*365 + 14 leap days = 20454. */
static void test_date_parse(void **state)
{
    (void)state;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("2026-01-01"), 20454);
    assert_int_equal(D("2026-01-06"), 20459);
    assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2); /* leap year */
    assert_int_equal(D("2100-03-01") - D("2100-02-28"), 1); /* not leap */
    long d;
    assert_int_equal(cp_ctl_date_parse("2026-02-29", &d), -1);
    assert_int_equal(cp_ctl_date_parse("2026-13-01", &d), -1);
    assert_int_equal(cp_ctl_date_parse("2026-1-6", &d), -1);
    assert_int_equal(cp_ctl_date_parse("2026-01-06T00", &d), -1);
    assert_int_equal(cp_ctl_date_parse("", &d), -1);
    char buf[16];
    cp_ctl_date_format(D("2025-11-08"), buf, sizeof buf);
    assert_string_equal(buf, "2025-11-08");
    cp_ctl_date_format(CP_CTL_DAY_MAX, buf, sizeof buf);
    assert_string_equal(buf, "never");
}

/* 2026-01-06 was a Tuesday, 2025-04-04 a Friday, 1970-01-01 a Thursday. */
static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(cp_ctl_weekday(0), 3);
    assert_int_equal(cp_ctl_weekday(D("2026-01-06")), 1);
    assert_int_equal(cp_ctl_weekday(D("2025-04-04")), 4);
    assert_int_equal(cp_ctl_weekday(D("2026-01-11")), 6);
}

/* 45 working days from Tue 2026-01-06 = 9 weeks = Tue 2026-03-10;
 * Fri + 1 = Mon; Sat + 1 = Mon; Sat + 5 = Fri; a Monday holiday pushes
 * Fri + 1 to Tue. */
static void test_working_days(void **state)
{
    (void)state;
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-06"), 45, NULL, 0), D("2026-03-10"));
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-09"), 1, NULL, 0), D("2026-01-12"));
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-10"), 1, NULL, 0), D("2026-01-12"));
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-10"), 5, NULL, 0), D("2026-01-16"));
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-11"), 45, NULL, 0), D("2026-03-13"));
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-06"), 0, NULL, 0), D("2026-01-06"));
    long hol[] = {D("2026-01-12")};
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-09"), 1, hol, 1), D("2026-01-13"));
    /* Spring Festival week 2026-02-16..20 off: 45 working days slip a week. */
    long sf[] = {D("2026-02-16"), D("2026-02-17"), D("2026-02-18"), D("2026-02-19"),
                 D("2026-02-20")};
    assert_int_equal(cp_ctl_add_working_days(D("2026-01-06"), 45, sf, 5), D("2026-03-17"));
    assert_int_equal(cp_ctl_working_days_between(D("2026-01-06"), D("2026-03-10"), NULL, 0), 45);
    assert_int_equal(cp_ctl_working_days_between(D("2026-01-09"), D("2026-01-12"), NULL, 0), 1);
}

/* ---- buffers ---------------------------------------------------------- */

/* 365 t/yr = 1 t/day, all from the exporter, 30 days of inventory, cut off
 * from day 0: the inventory covers days 0..29 and ends empty on day 29 =
 * 2026-02-04; from day 30 nothing is available.  Criticality 0.5 gives a
 * cap of 0.5 from day 30; over 60 days the mean lost share is 0.25. */
static void test_inventory_depletion(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 30, "2026-01-06", 0.0, 0);
    add_use(m, "Dy", "3511", 1.0, 0.5);
    cp_ctl_result *r = run(m, "2026-01-06", 60);
    assert_int_equal(r->inventory_empty_day[0], D("2026-02-04"));
    assert_int_equal(r->trigger_day[0], D("2026-01-06"));
    assert_close(LED(r, inventory_t, 0, 0), 29.0, 1e-12);
    assert_close(AV(r, 29, 0), 1.0, 1e-12);
    assert_close(AV(r, 30, 0), 0.0, 1e-12);
    assert_close(LED(r, shortfall_t, 30, 0), 1.0, 1e-12);
    assert_close(r->cap[29], 1.0, 1e-12);
    assert_close(r->cap[30], 0.5, 1e-12);
    assert_close(r->extraction_share[0], 0.25, 1e-12);
    assert_int_equal(r->stockpile_empty_day[0], CP_CTL_DAY_MAX);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* 730 t/yr = 2 t/day, half from the exporter, 10 days = 20 t inventory:
 * the other half keeps coming, the gap of 1 t/day empties the inventory at
 * the end of day 19 = 2026-01-25; then half the need is met. */
static void test_partial_dependence(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Tb", 730, 0.5, 10, "2026-01-06", 0.0, 0);
    add_use(m, "Tb", "3311", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 40);
    assert_int_equal(r->inventory_empty_day[0], D("2026-01-25"));
    assert_close(AV(r, 19, 0), 1.0, 1e-12);
    assert_close(AV(r, 20, 0), 0.5, 1e-12);
    assert_close(LED(r, other_t, 20, 0), 1.0, 1e-12);
    assert_close(LED(r, exporter_t, 20, 0), 0.0, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Stockpile of 20 days (20 t at 1 t/day), released from 10 days after the
 * cut-off at up to 0.5 t/day: days 0..9 nothing, days 10..49 half the
 * need, empty at the end of day 49 = 2026-02-24, nothing from day 50. */
static void test_stockpile_release(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    m->supply[0].stockpile.days = 20;
    m->supply[0].stockpile.start_delay_days = 10;
    m->supply[0].stockpile.max_rate_share = 0.5;
    add_use(m, "Dy", "3511", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 60);
    assert_close(AV(r, 9, 0), 0.0, 1e-12);
    assert_close(AV(r, 10, 0), 0.5, 1e-12);
    assert_close(LED(r, release_t, 10, 0), 0.5, 1e-12);
    assert_close(LED(r, stockpile_t, 10, 0), 19.5, 1e-12);
    assert_close(AV(r, 49, 0), 0.5, 1e-12);
    assert_close(AV(r, 50, 0), 0.0, 1e-12);
    assert_int_equal(r->stockpile_empty_day[0], D("2026-02-24"));
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Priority users of the stockpile: A and B each need 0.5 t/day; the
 * release of 0.5 t/day goes to A only, so A is fully served and B gets
 * nothing; the stockpile still lasts 40 days of release. */
static void test_stockpile_priority(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    cp_ctl_stockpile *sp = &m->supply[0].stockpile;
    sp->days = 20;
    sp->start_delay_days = 10;
    sp->max_rate_share = 0.5;
    sp->npriority = 1;
    snprintf(sp->priority[0].sector, CP_CTL_LABEL, "3114");
    add_use(m, "Dy", "3114", 0.5, 1.0); /* A: medical equipment */
    add_use(m, "Dy", "3511", 0.5, 1.0); /* B */
    cp_ctl_result *r = run(m, "2026-01-06", 60);
    assert_close(AV(r, 10, 0), 1.0, 1e-12);
    assert_close(AV(r, 10, 1), 0.0, 1e-12);
    assert_int_equal(r->stockpile_empty_day[0], D("2026-02-24"));
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Another origin adds 109.5 t/yr = 0.3 t/day, starting 10 days after the
 * cut-off and ramping linearly over 20 days: day 10 gives 0, day 20 gives
 * 0.15, day 30 on 0.3.  Substitution of up to half the need over 10 days
 * from day 0: at day 5 the need is 0.75, from day 10 on 0.5, so on day 30
 * 0.3 of 0.5 is available = 0.6. */
static void test_ramps(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    cp_ctl_supply *s = &m->supply[0];
    s->norigins = 1;
    snprintf(s->origin[0].name, CP_CTL_NAME, "Lynas");
    s->origin[0].amount = 109.5;
    s->origin[0].lead_days = 10;
    s->origin[0].ramp_days = 20;
    add_use(m, "Dy", "3511", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 40);
    assert_close(LED(r, other_t, 10, 0), 0.0, 1e-12);
    assert_close(LED(r, other_t, 20, 0), 0.15, 1e-12);
    assert_close(LED(r, other_t, 30, 0), 0.3, 1e-12);
    assert_close(AV(r, 20, 0), 0.15, 1e-12);
    cp_ctl_result_free(r);
    s = &m->supply[0];
    s->substitution.amount = 0.5;
    s->substitution.ramp_days = 10;
    r = run(m, "2026-01-06", 40);
    assert_close(LED(r, need_t, 5, 0), 0.75, 1e-12);
    assert_close(LED(r, need_t, 10, 0), 0.5, 1e-12);
    assert_close(AV(r, 30, 0), 0.6, 1e-12);
    cp_ctl_result_free(r);
    /* Recycling behaves like an origin: 36.5 t/yr = 0.1 t/day from day 0. */
    s = &m->supply[0];
    s->recycling.amount = 36.5;
    r = run(m, "2026-01-06", 40);
    assert_close(LED(r, other_t, 30, 0), 0.4, 1e-12);
    assert_close(AV(r, 30, 0), 0.8, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* ---- allocation ------------------------------------------------------- */

/* 40 % approval with no delay: 0.4 t/day for a need of 1 t/day shared by
 * A (0.5), B (0.3) and unmapped uses (0.2). */
static cp_ctl_model *alloc_model(cp_ctl_alloc rule)
{
    cp_ctl_model *m = base("Sm", 365, 1.0, 0, "2026-01-06", 0.4, 0);
    add_use(m, "Sm", "A", 0.5, 1.0);
    add_use(m, "Sm", "B", 0.3, 1.0);
    m->allocation = rule;
    return m;
}

/* Proportional: everyone gets 0.4 of its need. */
static void test_alloc_proportional(void **state)
{
    (void)state;
    cp_ctl_model *m = alloc_model(CP_CTL_PROPORTIONAL);
    cp_ctl_result *r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 2, 0), 0.4, 1e-12);
    assert_close(AV(r, 2, 1), 0.4, 1e-12);
    assert_close(LED(r, used_t, 2, 0), 0.4, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Priority [B, A]: B takes its 0.3 (avail 1), A the remaining 0.1 of 0.5
 * (avail 0.2), unmapped uses nothing. */
static void test_alloc_priority(void **state)
{
    (void)state;
    cp_ctl_model *m = alloc_model(CP_CTL_PRIORITY);
    m->norder = 2;
    snprintf(m->order[0].sector, CP_CTL_LABEL, "B");
    snprintf(m->order[1].sector, CP_CTL_LABEL, "A");
    cp_ctl_result *r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 2, 1), 1.0, 1e-12);
    assert_close(AV(r, 2, 0), 0.2, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Value: A adds 10 per tonne, B 5: A first takes 0.4 of 0.5 (avail 0.8),
 * B nothing.  With equal values both share in proportion (0.4 of 0.8 for
 * A and B = 0.5 each). */
static void test_alloc_value(void **state)
{
    (void)state;
    cp_ctl_model *m = alloc_model(CP_CTL_VALUE);
    cp_error err;
    cp_ctl_run_opts o = {D("2026-01-06"), 5};
    cp_ctl_result *r0 = NULL;
    assert_ok(cp_ctl_model_check(m, &err), &err);
    assert_int_equal(cp_ctl_run(m, &o, &r0, &err), CP_EUSAGE); /* no values yet */
    assert_msg_has(&err, "allocation value needs value added per tonne");
    m->use[0].va_per_t = 10;
    m->use[1].va_per_t = 5;
    cp_ctl_result *r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 2, 0), 0.8, 1e-12);
    assert_close(AV(r, 2, 1), 0.0, 1e-12);
    cp_ctl_result_free(r);
    m->use[1].va_per_t = 10;
    r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 2, 0), 0.5, 1e-12);
    assert_close(AV(r, 2, 1), 0.5, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* ---- licensing -------------------------------------------------------- */

/* Full approval after a 45-working-day review from Tue 2026-01-06, 1 t/day
 * ordered every calendar day: nothing arrives on days 0..62; Tue 03-10
 * (day 63) brings Tue 01-06's order; Fri 03-13 (day 66) brings Fri, Sat
 * and Sun's (3 t); Sat 03-14 nothing; Mon 03-16 (day 69) Mon 01-12's. */
static void test_licence_delay(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 1.0, 45);
    add_use(m, "Dy", "3511", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 120);
    double early = 0;
    for (int t = 0; t < 63; t++) early += LED(r, exporter_t, t, 0);
    assert_close(early, 0.0, 1e-12);
    assert_close(LED(r, exporter_t, 63, 0), 1.0, 1e-12);
    assert_close(LED(r, exporter_t, 64, 0), 1.0, 1e-12);
    assert_close(LED(r, exporter_t, 66, 0), 3.0, 1e-12);
    assert_close(LED(r, exporter_t, 67, 0), 0.0, 1e-12);
    assert_close(LED(r, exporter_t, 69, 0), 1.0, 1e-12);
    assert_close(AV(r, 62, 0), 0.0, 1e-12);
    assert_close(AV(r, 63, 0), 1.0, 1e-12);
    cp_ctl_result_free(r);
    /* A run starting later sees the licences of orders before it: starting
     * on 2026-03-10 the first day brings 2026-01-06's order. */
    r = run(m, "2026-03-10", 5);
    assert_close(LED(r, exporter_t, 0, 0), 1.0, 1e-12);
    cp_ctl_result_free(r);
    /* 25 % approval: the same days bring a quarter. */
    m->regime[0].phase[0].approval_share = 0.25;
    r = run(m, "2026-01-06", 120);
    assert_close(LED(r, exporter_t, 63, 0), 0.25, 1e-12);
    assert_close(LED(r, exporter_t, 66, 0), 0.75, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* A regime with a scheduled change: cut-off with no review until
 * 2026-02-05 (day 30), then 50 % with no review: days 0..29 nothing, from
 * day 30 half.  The approval share is that of the decision day. */
static void test_phases(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    m->regime[0].nphases = 2;
    m->regime[0].phase[1].from_day = D("2026-02-05");
    m->regime[0].phase[1].approval_share = 0.5;
    add_use(m, "Dy", "3511", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 40);
    assert_close(LED(r, exporter_t, 29, 0), 0.0, 1e-12);
    assert_close(LED(r, exporter_t, 30, 0), 0.5, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* A regime ending on 2026-02-05 (day 30) with 50 % approval and a 45-day
 * review: no decision falls before the end, so the 30 pending days of
 * orders are decided on the end day at 50 % (15 t) and day 30's own order
 * (no longer controlled) arrives too: 16 t; day 31 is back to 1 t. */
static void test_regime_end(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.5, 45);
    m->regime[0].end_day = D("2026-02-05");
    add_use(m, "Dy", "3511", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 40);
    assert_close(LED(r, exporter_t, 29, 0), 0.0, 1e-12);
    assert_close(LED(r, exporter_t, 30, 0), 16.0, 1e-12);
    assert_close(LED(r, exporter_t, 31, 0), 1.0, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* An item listed 2025-11-08 but suspended until 2026-11-10 is not
 * controlled before that day, although its regime started 2025-11-08: a
 * run from 2026-11-01 sees full supply up to 11-09 (day 8) and the
 * cut-off from 11-10 (day 9). */
static void test_suspended_item(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Ho", 365, 1.0, 0, "2025-11-08", 0.0, 0);
    m->item[0].listed_day = D("2025-11-08");
    m->item[0].suspended_until_day = D("2026-11-10");
    add_use(m, "Ho", "3211", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-11-01", 20);
    cp_ctl_state st;
    cp_ctl_state_at(m, 0, D("2026-11-09"), &st);
    assert_close(st.controlled_share, 0.0, 1e-12);
    cp_ctl_state_at(m, 0, D("2026-11-10"), &st);
    assert_close(st.controlled_share, 1.0, 1e-12);
    assert_int_equal(r->trigger_day[0], D("2026-11-10"));
    assert_close(AV(r, 8, 0), 1.0, 1e-12);
    assert_close(AV(r, 9, 0), 0.0, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* The exporter ships 60 % as magnets and 40 % as oxide; only oxide is
 * controlled, so a cut-off removes 0.4 of the need.  A regime for another
 * importer changes nothing. */
static void test_forms_and_importers(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Gd", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    m->item[0].forms = 1u << CP_CTL_OXIDE;
    m->supply[0].form_share[CP_CTL_MAGNET] = 0.6;
    m->supply[0].form_share[CP_CTL_OXIDE] = 0.4;
    add_use(m, "Gd", "3114", 1.0, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 1, 0), 0.6, 1e-12);
    cp_ctl_result_free(r);
    snprintf(m->regime[0].importers[0], CP_CTL_LABEL, "USA");
    r = run(m, "2026-01-06", 5);
    assert_close(AV(r, 1, 0), 1.0, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Approval per form: the exporter ships Dy 60 % as oxide and 40 % in
 * magnets; oxide (item 1C905) is licensed at 10 %, magnets (item 1C905M,
 * another regime) at 80 %, both without review: 0.6*0.1 + 0.4*0.8 = 0.38
 * arrives, and the state reports that flow-weighted approval.  A per-form
 * override in one regime gives the same. */
static void test_form_specific_approval(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Dy", 365, 1.0, 0, "2026-01-06", 0.1, 0);
    m->item[0].forms = (1u << CP_CTL_METAL) | (1u << CP_CTL_OXIDE) | (1u << CP_CTL_COMPOUND);
    cp_ctl_item it = m->item[0];
    snprintf(it.control_no, sizeof it.control_no, "1C905M");
    it.forms = 1u << CP_CTL_MAGNET;
    assert_true(cp_ctl_add_item(m, &it) >= 0);
    cp_ctl_regime r = m->regime[0];
    snprintf(r.name, sizeof r.name, "magnets");
    snprintf(r.items[0], CP_CTL_LABEL, "1C905M");
    r.phase[0].approval_share = 0.8;
    assert_true(cp_ctl_add_regime(m, &r) >= 0);
    m->supply[0].form_share[CP_CTL_OXIDE] = 0.6;
    m->supply[0].form_share[CP_CTL_MAGNET] = 0.4;
    add_use(m, "Dy", "3531", 1.0, 1.0);
    cp_ctl_result *res = run(m, "2026-01-06", 5);
    assert_close(LED(res, exporter_t, 2, 0), 0.38, 1e-12);
    cp_ctl_state st;
    cp_ctl_state_at(m, 0, D("2026-01-07"), &st);
    assert_close(st.controlled_share, 1.0, 1e-12);
    assert_close(st.approval_share, 0.38, 1e-12);
    assert_close(st.form_approval[CP_CTL_OXIDE], 0.1, 0);
    assert_close(st.form_approval[CP_CTL_MAGNET], 0.8, 0);
    cp_ctl_result_free(res);
    /* The same with one regime over one item of all forms and a per-form
     * approval override for magnets. */
    m->nregimes = 1;
    m->nitems = 1;
    m->item[0].forms = 0xF;
    m->regime[0].phase[0].form_approval[CP_CTL_MAGNET] = 0.8;
    res = run(m, "2026-01-06", 5);
    assert_close(LED(res, exporter_t, 2, 0), 0.38, 1e-12);
    cp_ctl_result_free(res);
    cp_ctl_model_free(m);
}

/* End-use ban on sector 3116 (weapons, 25 % of demand) with full
 * approval for the rest: 0.75 t/day is licensed and shared in proportion,
 * so both users get 0.75. */
static void test_end_use_ban(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Sc", 365, 1.0, 0, "2026-01-06", 1.0, 0);
    m->regime[0].nbans = 1;
    snprintf(m->regime[0].ban[0].sector, CP_CTL_LABEL, "3116");
    add_use(m, "Sc", "3116", 0.25, 1.0);
    add_use(m, "Sc", "3592", 0.75, 1.0);
    cp_ctl_result *r = run(m, "2026-01-06", 5);
    cp_ctl_state st;
    cp_ctl_state_at(m, 0, D("2026-01-07"), &st);
    assert_close(st.banned_share, 0.25, 1e-12);
    assert_close(LED(r, exporter_t, 1, 0), 0.75, 1e-12);
    assert_close(AV(r, 1, 0), 0.75, 1e-12);
    assert_close(AV(r, 1, 1), 0.75, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* Two materials used by one industry: the cap is the lower of the two
 * (Dy fully available, Tb cut off with criticality 0.3 -> 0.7). */
static void test_cap_min_over_materials(void **state)
{
    (void)state;
    cp_ctl_model *m = base("Tb", 365, 1.0, 0, "2026-01-06", 0.0, 0);
    cp_ctl_supply s = cp_ctl_supply_default();
    snprintf(s.element, sizeof s.element, "Dy");
    s.demand_t_per_year = 100;
    assert_true(cp_ctl_add_supply(m, &s) >= 0);
    add_use(m, "Tb", "3511", 1.0, 0.3);
    add_use(m, "Dy", "3511", 1.0, 0.9);
    cp_ctl_result *r = run(m, "2026-01-06", 3);
    assert_int_equal(r->nind, 1);
    assert_close(r->cap[1], 0.7, 1e-12);
    assert_close(AV(r, 1, 1), 1.0, 1e-12);
    cp_ctl_result_free(r);
    cp_ctl_model_free(m);
}

/* ---- checks ----------------------------------------------------------- */

/* Bad models are refused with what is wrong and a hint. */
static void test_check_errors(void **state)
{
    (void)state;
    cp_error err;
    cp_ctl_model *m = base("Dy", 365, 1.2, 0, "2026-01-06", 0.0, 0);
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_string_equal(err.msg, "controls: supply Dy: exporter_share is 1.2, over 1; hint: a share is a fraction 0..1 (write 0.6 for 60%)");
    m->supply[0].exporter_share = 1.0;
    m->supply[0].inventory_days = -3;
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_msg_has(&err, "inventory_days is -3, negative");
    m->supply[0].inventory_days = 0;
    m->regime[0].end_day = D("2026-01-01");
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_string_equal(err.msg, "controls: regime test ends (2026-01-01) on or before it starts (2026-01-06); hint: dates out of order");
    m->regime[0].end_day = CP_CTL_DAY_MAX;
    snprintf(m->item[0].element, 4, "Xx");
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_msg_has(&err, "unknown element \"Xx\"");
    snprintf(m->item[0].element, 4, "Dy");
    add_use(m, "Dy", "A", 0.7, 1.0);
    add_use(m, "Dy", "B", 0.7, 1.0);
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_msg_has(&err, "demand_share sum to 1.4, over 1");
    m->nuses = 0;
    /* A model changed by an add and not checked again does not run. */
    assert_ok(cp_ctl_model_check(m, &err), &err);
    add_use(m, "Dy", "A", 0.5, 1.0);
    cp_ctl_run_opts o = {D("2026-01-06"), 3};
    cp_ctl_result *r = NULL;
    assert_int_equal(cp_ctl_run(m, &o, &r, &err), CP_EUSAGE);
    assert_msg_has(&err, "the model is not checked");
    assert_null(r);
    m->nuses = 0;
    snprintf(m->regime[0].items[0], CP_CTL_LABEL, "1C999");
    assert_int_equal(cp_ctl_model_check(m, &err), CP_EINPUT);
    assert_msg_has(&err, "item \"1C999\" is not defined");
    cp_ctl_model_free(m);
}

/* Binding to a small table: intensity 0.01 t per unit of output times
 * output 100 = 1 t of 10 t demand -> share 0.1; share 0.2 of 10 t over
 * output 50 -> 0.04 t per unit; value added 30 over 1 t -> 30 per t.  A
 * sector the table lacks is refused with a nearby code as a hint. */
static void test_bind_table(void **state)
{
    (void)state;
    cp_table *t = cp_table_new(3, 1, 1);
    assert_non_null(t);
    const char *sec[] = {"3511", "3531", "3311"};
    double x[] = {100, 50, 20};
    cp_table_set_str(&t->name, "mini");
    cp_table_set_str(&t->va_label[0], "va");
    t->va_kind[0] = CP_VA_VALUE_ADDED;
    for (int i = 0; i < 3; i++) {
        cp_table_set_str(&t->region[i], "JPN");
        cp_table_set_str(&t->sector[i], sec[i]);
        t->x[i] = x[i];
    }
    t->V[0] = 30;
    t->V[1] = 10;
    t->V[2] = 5;
    cp_table_index_regions(t);
    cp_ctl_model *m = base("Dy", 10, 1.0, 0, "2026-01-06", 0.0, 0);
    cp_ctl_use u = cp_ctl_use_default();
    snprintf(u.element, 4, "Dy");
    snprintf(u.ind.sector, CP_CTL_LABEL, "3511");
    u.t_per_unit_output = 0.01;
    cp_ctl_add_use(m, &u);
    add_use(m, "Dy", "3531", 0.2, 1.0);
    cp_error err;
    assert_ok(cp_ctl_model_check(m, &err), &err);
    assert_ok(cp_ctl_bind_table(m, t, &err), &err);
    assert_close(m->use[0].demand_share, 0.1, 1e-12);
    assert_close(m->use[1].t_per_unit_output, 0.04, 1e-12);
    assert_close(m->use[0].va_per_t, 30.0, 1e-12);
    assert_int_equal(m->use[1].table_index, 1);
    cp_ctl_run_opts o = {D("2026-01-06"), 3};
    cp_ctl_result *r = NULL;
    assert_ok(cp_ctl_run(m, &o, &r, &err), &err);
    double cap[3];
    assert_ok(cp_ctl_cap_for_table(m, r, 1, cap, 3, &err), &err);
    assert_close(cap[0], 0.0, 1e-12);
    assert_close(cap[2], 1.0, 1e-12);
    double series[9];
    assert_ok(cp_ctl_cap_series_for_table(m, r, series, 3, &err), &err);
    assert_close(series[3 + 0], 0.0, 1e-12); /* step 1, 3511 */
    assert_close(series[3 + 1], 0.0, 1e-12); /* step 1, 3531 (cut off too) */
    assert_close(series[3 + 2], 1.0, 1e-12); /* step 1, 3311 unaffected */
    cp_ctl_result_free(r);
    add_use(m, "Dy", "3599", 0.1, 1.0);
    assert_ok(cp_ctl_model_check(m, &err), &err);
    assert_int_equal(cp_ctl_bind_table(m, t, &err), CP_EINPUT);
    assert_string_equal(err.msg, "controls: use of Dy: table \"mini\" has no sector \"3599\"; hint: use a sector code of that table (e.g. \"3511\")");
    cp_ctl_model_free(m);
    cp_table_free(t);
}

/* Run the mechanics tests. */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_working_days),
        cmocka_unit_test(test_inventory_depletion),
        cmocka_unit_test(test_partial_dependence),
        cmocka_unit_test(test_stockpile_release),
        cmocka_unit_test(test_stockpile_priority),
        cmocka_unit_test(test_ramps),
        cmocka_unit_test(test_alloc_proportional),
        cmocka_unit_test(test_alloc_priority),
        cmocka_unit_test(test_alloc_value),
        cmocka_unit_test(test_licence_delay),
        cmocka_unit_test(test_phases),
        cmocka_unit_test(test_regime_end),
        cmocka_unit_test(test_suspended_item),
        cmocka_unit_test(test_forms_and_importers),
        cmocka_unit_test(test_form_specific_approval),
        cmocka_unit_test(test_end_use_ban),
        cmocka_unit_test(test_cap_min_over_materials),
        cmocka_unit_test(test_check_errors),
        cmocka_unit_test(test_bind_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
