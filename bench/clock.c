/* SPDX-License-Identifier: MIT */
/*
 * The host drivers' clock and the host's CPU load; see clock.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "hist.h"
#include "tsc.h"

/* How long the TSC is timed against CLOCK_MONOTONIC_RAW before use: the
 * pairing error (~100 ns) is then below 1 ppm. */
#define CLOCK_CALIBRATE_NS 200000000l

/* Empty brackets timed to find a loop's per-call overhead. */
#define CLOCK_BRACKET_RUNS 10000u

static double tsc_per_ns; /* ticks per ns, from clock_calibrate */

void cpustat_read(struct cpustat *c)
{
    unsigned long long v[8] = {0};
    FILE *f = fopen("/proc/stat", "r");

    /* cpu user nice system idle iowait irq softirq steal ... */
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                     &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
        memset(v, 0, sizeof(v));
    if (f)
        fclose(f);
    c->busy = v[0] + v[1] + v[2] + v[5] + v[6];
    c->idle = v[3] + v[4];
    c->steal = v[7];
}

double cpustat_share(const struct cpustat *a, const struct cpustat *b,
                     enum cpustat_part part)
{
    double total = (double)(b->busy + b->idle + b->steal) -
                   (double)(a->busy + a->idle + a->steal);
    double share;

    switch (part) {
    case CPUSTAT_IDLE:
        share = (double)b->idle - (double)a->idle;
        break;
    case CPUSTAT_STEAL:
        share = (double)b->steal - (double)a->steal;
        break;
    default:
        share = (double)(b->busy + b->steal) - (double)(a->busy + a->steal);
        break;
    }
    return total > 0 ? 100.0 * share / total : -1;
}

void cpustat_loadavg(char *buf, size_t len)
{
    FILE *f = fopen("/proc/loadavg", "r");

    snprintf(buf, len, "?");
    if (f && fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    if (f)
        fclose(f);
}

static struct clock_point clock_point_now(void)
{
    struct timespec ts;
    uint64_t a, b;

    a = tsc_read();
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    b = tsc_read();
    return (struct clock_point){(uint64_t)ts.tv_sec * 1000000000ull +
                                    (uint64_t)ts.tv_nsec,
                                a + (b - a) / 2};
}

static double clock_rate(struct clock_point a, struct clock_point b)
{
    return (double)(b.tsc - a.tsc) / (double)(b.ns - a.ns);
}

void clock_calibrate(struct clock_cal *c)
{
    struct timespec pause = {0, CLOCK_CALIBRATE_NS};

    cpustat_read(&c->before);
    c->start = clock_point_now();
    nanosleep(&pause, NULL);
    tsc_per_ns = clock_rate(c->start, clock_point_now());
    cpustat_read(&c->after);
}

double clock_drift_ppm(const struct clock_cal *c)
{
    return (clock_rate(c->start, clock_point_now()) / tsc_per_ns - 1) * 1e6;
}

uint64_t clock_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double clock_ticks_per_ns(void)
{
    return tsc_per_ns;
}

double clock_ticks_to_ns(double ticks)
{
    return ticks / tsc_per_ns;
}

uint64_t clock_bracket_ticks(void)
{
    static struct hist h;

    hist_init(&h);
    for (unsigned int i = 0; i < CLOCK_BRACKET_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&h, t1 - t0);
    }
    return hist_percentile(&h, 500);
}
