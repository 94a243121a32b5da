/*
 * bench_clock.h — the two clocks every benchmark program reads: wall time
 * (monotonic) and the process's CPU time (all threads, user + system; the
 * figure to compare on a shared machine, where wall time is noisy).
 */
#ifndef CP_BENCH_CLOCK_H
#define CP_BENCH_CLOCK_H

#include <sys/resource.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of the process so far (all threads, user + system). */
static inline double cpu(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + 1e-6 * (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

#endif
