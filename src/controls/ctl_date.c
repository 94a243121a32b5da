/*
 * ctl_date.c — the small calendar the controls layer needs: ISO dates to
 * day numbers and back, weekdays, and working-day arithmetic for licence
 * review periods ("45 working days" in MOFCOM's statute).
 *
 * Day numbers are days since 1970-01-01 in the proleptic Gregorian
 * calendar (Howard Hinnant's civil-date algorithms), so date differences
 * are plain subtraction and a run's step t is start_day + t.
 */
#include "chokepoint.h"
#include "core/civil.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of y-m-d; the algorithm works for any year and
 * keeps every division on non-negative numbers by shifting eras
 * (core/civil.c). */
long cp_ctl_days_from_civil(int y, int m, int d)
{
    return cp_days_from_civil(y, m, d);
}

/* Days in month m of year y, for validating parsed dates. */
static int month_days(int y, int m)
{
    static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return md[m - 1] + (m == 2 && leap);
}

/* Parse exactly "YYYY-MM-DD" (no time, no trailing text) into a day
 * number; refuses impossible dates such as 2026-02-30. */
int cp_ctl_date_parse(const char *s, long *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *day = cp_ctl_days_from_civil(y, m, d);
    return 0;
}

/* Format a day number as ISO "YYYY-MM-DD" (or "never"/"always" for the
 * open-ended sentinels) so messages and outputs show dates, not numbers. */
void cp_ctl_date_format(long day, char *buf, size_t cap)
{
    if (!buf || cap == 0) return;
    if (day >= CP_CTL_DAY_MAX) { snprintf(buf, cap, "never"); return; }
    if (day <= CP_CTL_DAY_MIN) { snprintf(buf, cap, "always"); return; }
    int y, m, d;
    cp_civil_from_days(day, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

/* Weekday, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday = 3). */
int cp_ctl_weekday(long day)
{
    long w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* 1 if day is in the sorted holiday list (binary search). */
static int is_holiday(long day, const long *h, size_t nh)
{
    size_t lo = 0, hi = nh;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h[mid] == day) return 1;
        if (h[mid] < day) lo = mid + 1; else hi = mid;
    }
    return 0;
}

/* 1 if day is a working day: Monday–Friday and not a listed holiday. */
static int is_working(long day, const long *h, size_t nh)
{
    return cp_ctl_weekday(day) < 5 && !(h && is_holiday(day, h, nh));
}

/* Step forward day by day until n working days have passed.  A review of
 * n working days filed on `day` is decided on the returned day.  Whole
 * weeks are skipped arithmetically when there are no holidays, so long
 * delays cost O(1) per call in the common case. */
long cp_ctl_add_working_days(long day, int n, const long *holidays, size_t nh)
{
    if (n <= 0) return day;
    long d = day;
    if (!holidays || nh == 0) {
        /* Move to the last working day at or before d, keeping the count. */
        long weeks = (n - 1) / 5;
        d += weeks * 7;
        n -= (int)(weeks * 5);
    }
    while (n > 0) {
        d++;
        if (is_working(d, holidays, nh)) n--;
    }
    return d;
}

/* Number of working days in (a, b]; used to report review periods. */
long cp_ctl_working_days_between(long a, long b, const long *holidays, size_t nh)
{
    long n = 0;
    for (long d = a + 1; d <= b; d++)
        if (is_working(d, holidays, nh)) n++;
    return n;
}
