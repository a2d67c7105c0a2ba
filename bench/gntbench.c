/* SPDX-License-Identifier: MIT */
/*
 * gntbench: the grant-table figures of `make bench`. Runs the gntloop
 * guest (bench/guests/gntloop.c) under `veneerd run` a few times and
 * reports, as medians over the runs of each run's median call (so that
 * a loaded host's long waits for a CPU do not decide the figure):
 *
 *  - grant map+unmap pairs per second, one grant per call and 32 per call;
 *  - grant copy throughput (32 x 4 KiB segments per call), next to the
 *    same bytes copied by the guest itself (rep movsb) and by the host's
 *    memcpy over a working set of the same size, in this same run: the
 *    copy itself is the physical limit; the rest is the hypercall and
 *    grant bookkeeping.
 *
 * The guest counts TSC ticks; this driver converts them with a rate it
 * calibrates against CLOCK_MONOTONIC_RAW.
 *
 * usage: gntbench --veneerd PATH --gntloop ELF [--quick] [--runs N]
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "tsc.h"

#define GNT_PAGES        32u /* as gntloop's GNTLOOP_PAGES */
#define GNT_RUNS_MAX     16u /* [POLICY] */
#define GNT_CALIBRATE_NS 200000000ull

struct gnt_run {
    double map1_ns, mapn_ns; /* per pair (one page) */
    double copy_gbs, guest_memcpy_gbs, host_memcpy_gbs;
};

static double ticks_per_ns;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void gnt_calibrate(void)
{
    uint64_t n0 = now_ns(), t0 = tsc_read(), n1, t1;

    while ((n1 = now_ns()) - n0 < GNT_CALIBRATE_NS)
        ;
    t1 = tsc_read();
    ticks_per_ns = (double)(t1 - t0) / (double)(n1 - n0);
}

static int gnt_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The host's memcpy of GNT_PAGES pages, 4 KiB at a time, as often as the
 * guest's copy loop: GB/s of the median pass. */
static double gnt_host_memcpy(unsigned long copies)
{
    static char src[GNT_PAGES][4096], dst[GNT_PAGES][4096];
    static double pass[65536];
    unsigned long n = copies < 65536 ? copies : 65536;

    memset(src, 1, sizeof(src));
    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0 = now_ns();

        for (unsigned int k = 0; k < GNT_PAGES; k++)
            memcpy(dst[k], src[k], 4096);
        __asm__ volatile("" : : "r"(dst) : "memory");
        pass[i] = (double)(now_ns() - t0);
    }
    qsort(pass, n, sizeof(pass[0]), gnt_cmp);
    return (double)sizeof(src) / pass[n / 2];
}

/* One guest run; 0, or -1 with the reason on stderr. */
static int gnt_run_once(const char *veneerd, const char *elf,
                        unsigned long maps, unsigned long copies,
                        struct gnt_run *r)
{
    char cmd[4096], line[512];
    unsigned long long map1, mapn, copy, mcpy, m, c;
    unsigned int pages;
    int found = 0, st;
    FILE *f;

    snprintf(cmd, sizeof(cmd),
             "'%s' run '%s' --memory 16 --cmdline 'domid=1 maps=%lu "
             "copies=%lu' 2>&1",
             veneerd, elf, maps, copies);
    f = popen(cmd, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line,
                   "gntloop: pages=%u map1=%llu mapN=%llu copy=%llu "
                   "memcpy=%llu maps=%llu copies=%llu",
                   &pages, &map1, &mapn, &copy, &mcpy, &m, &c) == 7)
            found = 1;
        else if (strstr(line, "gntloop:") || strstr(line, "veneerd:"))
            fputs(line, stderr);
    st = pclose(f);
    if (!found || st != 0 || pages != GNT_PAGES || m == 0 || c == 0) {
        fprintf(stderr, "gntbench: gntloop did not report (status %#x)\n", st);
        return -1;
    }
    /* The guest reports medians of single samples. */
    r->map1_ns = (double)map1 / ticks_per_ns;
    r->mapn_ns = (double)mapn / ticks_per_ns / GNT_PAGES;
    r->copy_gbs = (double)GNT_PAGES * 4096 / ((double)copy / ticks_per_ns);
    r->guest_memcpy_gbs =
        (double)GNT_PAGES * 4096 / ((double)mcpy / ticks_per_ns);
    r->host_memcpy_gbs = gnt_host_memcpy(copies);
    return 0;
}

/* The median of one field over the runs. */
static double gnt_median(const struct gnt_run *runs, unsigned int n, size_t off)
{
    double v[GNT_RUNS_MAX];

    for (unsigned int i = 0; i < n; i++)
        v[i] = *(const double *)((const char *)&runs[i] + off);
    qsort(v, n, sizeof(v[0]), gnt_cmp);
    return v[n / 2];
}

static void gnt_report(const struct gnt_run *runs, unsigned int n,
                       unsigned long maps, unsigned long copies)
{
    double m1 = gnt_median(runs, n, offsetof(struct gnt_run, map1_ns));
    double mn = gnt_median(runs, n, offsetof(struct gnt_run, mapn_ns));
    double cp = gnt_median(runs, n, offsetof(struct gnt_run, copy_gbs));
    double gm = gnt_median(runs, n, offsetof(struct gnt_run, guest_memcpy_gbs));
    double hm = gnt_median(runs, n, offsetof(struct gnt_run, host_memcpy_gbs));

    printf("grant tables: medians of %u runs (%lu map+unmap pairs, %lu "
           "copy calls of %u x 4 KiB each per run)\n",
           n, maps, copies, GNT_PAGES);
    printf("  %-42s %10.0f /s  (%.1f us a pair)\n",
           "map+unmap, 1 grant per call", 1e9 / m1, m1 / 1000);
    printf("  %-42s %10.0f /s  (%.1f us a pair)\n",
           "map+unmap, 32 grants per call", 1e9 / mn, mn / 1000);
    printf("  %-42s %10.2f GB/s (%.0f%% of the host's memcpy)\n",
           "grant copy, 32 x 4 KiB per call", cp, 100 * cp / hm);
    printf("  %-42s %10.2f GB/s\n", "  the guest's own memcpy (rep movsb)", gm);
    printf("  %-42s %10.2f GB/s\n", "  the host's memcpy, 4 KiB blocks", hm);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"veneerd", required_argument, NULL, 'v'},
        {"gntloop", required_argument, NULL, 'g'},
        {"runs", required_argument, NULL, 'r'},
        {"quick", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    const char *veneerd = NULL, *elf = NULL;
    unsigned long maps = 4096, copies = 2000;
    unsigned int runs = 5, n = 0;
    struct gnt_run r[GNT_RUNS_MAX];
    int c;

    while ((c = getopt_long(argc, argv, "v:g:r:q", longopts, NULL)) != -1) {
        if (c == 'v')
            veneerd = optarg;
        else if (c == 'g')
            elf = optarg;
        else if (c == 'r')
            runs = (unsigned int)strtoul(optarg, NULL, 10);
        else if (c == 'q')
            maps = 512, copies = 200, runs = 3;
        else
            return 64;
    }
    if (!veneerd || !elf || runs == 0 || runs > GNT_RUNS_MAX) {
        fprintf(stderr,
                "usage: gntbench --veneerd PATH --gntloop ELF "
                "[--quick] [--runs 1..%u]\n",
                GNT_RUNS_MAX);
        return 64;
    }
    gnt_calibrate();
    for (unsigned int i = 0; i < runs; i++)
        if (gnt_run_once(veneerd, elf, maps, copies, &r[n]) == 0)
            n++;
    if (n == 0)
        return 1;
    gnt_report(r, n, maps, copies);
    return n == runs ? 0 : 1;
}
