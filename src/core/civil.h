/*
 * civil.h — day numbers and civil dates (days since 1970-01-01 in the
 * proleptic Gregorian calendar, Howard Hinnant's algorithms), shared by
 * the controls calendar (ctl_date.c) and the run outputs' date column
 * (out_run.c).  Internal to the library; not public API (the controls
 * layer exports cp_ctl_days_from_civil and cp_ctl_date_format).
 */
#ifndef CP_CIVIL_H
#define CP_CIVIL_H

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31; not validated). */
long cp_days_from_civil(int y, int m, int d);

/* The civil date of a day number (inverse of cp_days_from_civil). */
void cp_civil_from_days(long z, int *y, int *m, int *d);

#endif
