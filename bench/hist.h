/* SPDX-License-Identifier: MIT */
/*
 * A log-linear histogram of TSC tick counts, so that a timed loop can keep
 * every sample's contribution to its percentiles in O(1) time and fixed
 * memory: host loops and bench guests (no allocator, no libc) share it.
 * Freestanding.
 *
 * Values below HIST_EXACT are counted exactly; above, each power of two is
 * split into HIST_SUB buckets, so a percentile is within 1/HIST_SUB
 * (0.8 %) of the true sample value.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 7u
#define HIST_SUB      (1u << HIST_SUB_BITS) /* buckets per power of two */
#define HIST_EXACT    (2u * HIST_SUB)       /* values counted exactly */
#define HIST_BUCKETS  (HIST_EXACT + (64u - HIST_SUB_BITS - 1u) * HIST_SUB)

struct hist {
    uint64_t n;   /* samples added */
    uint64_t sum; /* their total, in ticks */
    uint64_t min, max;
    uint32_t count[HIST_BUCKETS];
};

/* hist_init: empty h. */
void hist_init(struct hist *h);

/* hist_add: count one sample of v ticks. */
void hist_add(struct hist *h, uint64_t v);

/*
 * hist_percentile: the sample value at or below which permille/1000 of the
 * samples lie (nearest rank), as the midpoint of its bucket.
 *
 * Parameters: h - the histogram; permille - 0..1000 (500 = median).
 * Return values: the value in ticks; 0 if h is empty.
 */
uint64_t hist_percentile(const struct hist *h, unsigned int permille);

#endif /* BENCH_HIST_H */
