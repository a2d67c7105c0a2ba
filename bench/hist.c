/* SPDX-License-Identifier: MIT */
/*
 * The log-linear tick histogram behind every per-call percentile the
 * benchmarks print (hist.h), compiled both for the host driver and for
 * bench guests.
 */
#include "hist.h"

void hist_init(struct hist *h)
{
    h->n = 0;
    h->sum = 0;
    h->min = UINT64_MAX;
    h->max = 0;
    for (unsigned int i = 0; i < HIST_BUCKETS; i++)
        h->count[i] = 0;
}

/* Bucket of v: exact below HIST_EXACT, else (power of two, top bits). */
static unsigned int hist_bucket(uint64_t v)
{
    unsigned int e, sub;

    if (v < HIST_EXACT)
        return (unsigned int)v;
    e = 63u - (unsigned int)__builtin_clzll(v); /* >= HIST_SUB_BITS + 1 */
    sub = (unsigned int)(v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1u);
    return HIST_EXACT + (e - HIST_SUB_BITS - 1u) * HIST_SUB + sub;
}

/* Midpoint of bucket b: the inverse of hist_bucket. */
static uint64_t hist_value(unsigned int b)
{
    unsigned int e, sub;
    uint64_t lo, width;

    if (b < HIST_EXACT)
        return b;
    e = (b - HIST_EXACT) / HIST_SUB + HIST_SUB_BITS + 1u;
    sub = (b - HIST_EXACT) % HIST_SUB;
    width = 1ull << (e - HIST_SUB_BITS);
    lo = (1ull << e) + (uint64_t)sub * width;
    return lo + width / 2;
}

void hist_add(struct hist *h, uint64_t v)
{
    unsigned int b = hist_bucket(v);

    /* A bucket saturates rather than wraps; 2^32 samples is far beyond
     * any run here. */
    if (h->count[b] != UINT32_MAX)
        h->count[b]++;
    h->n++;
    h->sum += v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

uint64_t hist_percentile(const struct hist *h, unsigned int permille)
{
    uint64_t rank, seen = 0;

    if (h->n == 0)
        return 0;
    if (permille > 1000)
        permille = 1000;
    /* Nearest rank: the smallest value with at least ceil(p * n) samples
     * at or below it (rank 1 for p = 0). */
    rank = (h->n * permille + 999) / 1000;
    if (rank == 0)
        rank = 1;
    for (unsigned int b = 0; b < HIST_BUCKETS; b++) {
        seen += h->count[b];
        if (seen >= rank)
            return hist_value(b);
    }
    return h->max;
}
