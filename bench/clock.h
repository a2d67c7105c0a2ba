/* SPDX-License-Identifier: MIT */
/*
 * The host drivers' clock (vnbench, vnbench2): the TSC (tsc.h) calibrated
 * against CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC wall time, the empty
 * bracket's cost, and the CPU load of the host the figures were measured
 * under (/proc/stat, /proc/loadavg).
 */
#ifndef BENCH_CLOCK_H
#define BENCH_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* All CPUs' time from the first line of /proc/stat, in clock ticks. */
struct cpustat {
    unsigned long long busy, idle, steal;
};

/* What cpustat_share measures. */
enum cpustat_part {
    CPUSTAT_IDLE,  /* idle and iowait */
    CPUSTAT_STEAL, /* taken by the hypervisor below us */
    CPUSTAT_BUSY,  /* everything else, steal included */
};

/* A TSC reading paired with CLOCK_MONOTONIC_RAW at its midpoint. */
struct clock_point {
    uint64_t ns, tsc;
};

/* One calibration: where it started, and the load around its sleep. */
struct clock_cal {
    struct clock_point start;
    struct cpustat before, after;
};

/*
 * cpustat_read: the system-wide CPU time counters now (zeros if
 * /proc/stat cannot be read).
 */
void cpustat_read(struct cpustat *c);

/*
 * cpustat_share: between a and b, the share (in %) of all CPU time that
 * part took.
 * Return values: the share; -1 if no time passed or nothing was read.
 */
double cpustat_share(const struct cpustat *a, const struct cpustat *b,
                     enum cpustat_part part);

/* cpustat_loadavg: the first line of /proc/loadavg ("?" if unreadable). */
void cpustat_loadavg(char *buf, size_t len);

/*
 * clock_calibrate: times the TSC against CLOCK_MONOTONIC_RAW over a
 * sleep of CLOCK_CALIBRATE_NS and keeps the rate for clock_ticks_*;
 * c gets the start point and /proc/stat before and after the sleep.
 */
void clock_calibrate(struct clock_cal *c);

/* clock_drift_ppm: how far the TSC rate from c's start to now differs
 * from the calibrated one, in parts per million. */
double clock_drift_ppm(const struct clock_cal *c);

/* clock_now_ns: CLOCK_MONOTONIC, in ns. */
uint64_t clock_now_ns(void);

/* clock_ticks_per_ns: the calibrated TSC rate (0 before
 * clock_calibrate). */
double clock_ticks_per_ns(void);

/* clock_ticks_to_ns: ticks in ns at the calibrated rate. */
double clock_ticks_to_ns(double ticks);

/* clock_bracket_ticks: the median ticks of an empty tsc_read bracket, to
 * subtract from each bracketed call. */
uint64_t clock_bracket_ticks(void);

#endif /* BENCH_CLOCK_H */
