/* SPDX-License-Identifier: MIT */
/*
 * The benchmarks' one clock: the time-stamp counter, read the same way by
 * host programs and by bench guests (which run natively at CPL 3, so rdtsc
 * is not trapped). Freestanding. The host driver converts ticks to
 * nanoseconds with a rate it calibrates against CLOCK_MONOTONIC_RAW over
 * the whole run (clock.c); guests never need to know the rate.
 */
#ifndef BENCH_TSC_H
#define BENCH_TSC_H

#include <stdint.h>

/*
 * tsc_read: the TSC, ordered against the code around it. The leading
 * lfence keeps rdtsc from running before earlier instructions finish; the
 * trailing one keeps later instructions (the call being timed) from
 * starting before it. On AMD, Linux makes lfence dispatch-serialising
 * (MSR C001_1029 bit 1), so the pair works on both vendors.
 */
static inline uint64_t tsc_read(void)
{
    uint32_t lo, hi;

    asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return ((uint64_t)hi << 32) | lo;
}

#endif /* BENCH_TSC_H */
