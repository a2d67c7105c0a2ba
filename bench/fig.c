/* SPDX-License-Identifier: MIT */
/*
 * The statistics behind every vnbench2 figure: series of separately
 * measured values, histograms of per-call TSC ticks (hist.h), guest
 * histograms, and figures merged from several runs.
 */
#include <stdlib.h>
#include <string.h>

#include "vnbench2.h"

void series_add(struct series *s, double v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        double *nv = realloc(s->v, cap * sizeof(*nv));

        if (!nv)
            return; /* a sample lost is better than a bench aborted */
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = v;
}

void series_free(struct series *s)
{
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Nearest rank of sorted v[0..n). */
static double rank_of(const double *v, size_t n, unsigned int permille)
{
    size_t rank = (n * permille + 999) / 1000;

    return v[rank ? rank - 1 : 0];
}

/* fig_of_series - percentiles (nearest rank) and mean of s. */
struct fig fig_of_series(const struct series *s)
{
    struct fig f = {0};
    double *v, sum = 0;

    if (s->n == 0)
        return f;
    v = malloc(s->n * sizeof(*v));
    if (!v)
        return f;
    memcpy(v, s->v, s->n * sizeof(*v));
    qsort(v, s->n, sizeof(*v), cmp_double);
    for (size_t i = 0; i < s->n; i++)
        sum += v[i];
    f = (struct fig){rank_of(v, s->n, 500), rank_of(v, s->n, 900),
                     rank_of(v, s->n, 990), sum / (double)s->n, s->n};
    free(v);
    return f;
}

/* fig_of_hist_ticks - a histogram of bracketed calls, in ns, with the
 * empty bracket (ovh ticks) taken off every figure. */
struct fig fig_of_hist_ticks(const struct hist *h, uint64_t ovh)
{
    struct ghist g = {h->n,
                      hist_percentile(h, 500),
                      hist_percentile(h, 900),
                      hist_percentile(h, 990),
                      h->max,
                      h->sum};

    return fig_of_ghist(&g, (double)ovh, 1);
}

/* fig_of_hist - a histogram of values already in the figure's unit. */
struct fig fig_of_hist(const struct hist *h)
{
    struct ghist g = {h->n,
                      hist_percentile(h, 500),
                      hist_percentile(h, 900),
                      hist_percentile(h, 990),
                      h->max,
                      h->sum};

    return fig_of_ghist(&g, 0, 0);
}

/* fig_of_ghist - a guest's histogram line as a figure; with ticks, the
 * values are TSC ticks (ovh_ticks, the empty bracket, is taken off) and
 * the figure is in ns. */
struct fig fig_of_ghist(const struct ghist *g, double ovh_ticks, int ticks)
{
    struct fig f = {0};
    double k = ticks ? 1.0 / clock_ticks_per_ns() : 1.0;
    double ovh = ticks ? ovh_ticks : 0;

    if (g->n == 0)
        return f;
    f.p50 = ((double)g->p50 - ovh) * k;
    f.p90 = ((double)g->p90 - ovh) * k;
    f.p99 = ((double)g->p99 - ovh) * k;
    f.mean = ((double)g->sum / (double)g->n - ovh) * k;
    f.n = g->n;
    return f;
}

/* fig_merge - figures of n runs as one: the median of each percentile
 * over the runs, the mean over all samples. */
struct fig fig_merge(const struct fig *runs, unsigned int n)
{
    struct series p50 = {0}, p90 = {0}, p99 = {0};
    struct fig f = {0}, m;
    double sum = 0;

    for (unsigned int i = 0; i < n; i++) {
        if (runs[i].n == 0)
            continue;
        series_add(&p50, runs[i].p50);
        series_add(&p90, runs[i].p90);
        series_add(&p99, runs[i].p99);
        sum += runs[i].mean * (double)runs[i].n;
        f.n += runs[i].n;
    }
    if (f.n) {
        m = fig_of_series(&p50);
        f.p50 = m.p50;
        m = fig_of_series(&p90);
        f.p90 = m.p50;
        m = fig_of_series(&p99);
        f.p99 = m.p50;
        f.mean = sum / (double)f.n;
    }
    series_free(&p50);
    series_free(&p90);
    series_free(&p99);
    return f;
}

/* fig_merge_at - fig_merge of the struct fig at byte offset off in each
 * of n run records stride bytes apart. */
struct fig fig_merge_at(const void *runs, unsigned int n, size_t stride,
                        size_t off)
{
    struct fig f[FIG_MAX_RUNS];

    if (n > FIG_MAX_RUNS)
        n = FIG_MAX_RUNS;
    for (unsigned int r = 0; r < n; r++)
        memcpy(&f[r], (const char *)runs + r * stride + off, sizeof(f[r]));
    return fig_merge(f, n);
}

/* fig_scale - every figure times k (per batch -> per entry). */
struct fig fig_scale(struct fig f, double k)
{
    f.p50 *= k;
    f.p90 *= k;
    f.p99 *= k;
    f.mean *= k;
    return f;
}
