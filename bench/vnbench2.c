/* SPDX-License-Identifier: MIT */
/*
 * vnbench2, the second driver of `make bench` (after vnbench and the
 * store's comparison): calibrates the TSC, runs (c) page-table updates,
 * (d) upcall latency, (e) timer accuracy, then, under a private
 * `vn host start`, (f) create to first console line, (g) create/destroy
 * rate and (h) memory per idle domain, and prints each part's rows as it
 * ends, in vnbench's table format. The clock every part shares is here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsc.h"
#include "vnbench2.h"

/* TSC calibration against CLOCK_MONOTONIC_RAW, as vnbench's. */
#define CALIBRATE_NS 200000000l
#define BRACKET_RUNS 10000u

static double tsc_per_ns;

uint64_t b2_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double b2_ticks_per_ns(void)
{
    return tsc_per_ns;
}

double b2_ticks_to_ns(double ticks)
{
    return ticks / tsc_per_ns;
}

/* b2_bracket_ticks - median ticks of an empty tsc_read bracket. */
uint64_t b2_bracket_ticks(void)
{
    static struct hist h;

    hist_init(&h);
    for (unsigned int i = 0; i < BRACKET_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&h, t1 - t0);
    }
    return hist_percentile(&h, 500);
}

void b2_progress(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "vnbench2: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
}

/* All CPUs' busy and total time from /proc/stat, in clock ticks. */
static void cpu_times(unsigned long long *busy, unsigned long long *total)
{
    unsigned long long v[8] = {0};
    FILE *f = fopen("/proc/stat", "r");

    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                     &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
        memset(v, 0, sizeof(v));
    if (f)
        fclose(f);
    *busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    *total = *busy + v[3] + v[4];
}

static void loadavg(char *buf, size_t len)
{
    FILE *f = fopen("/proc/loadavg", "r");

    snprintf(buf, len, "?");
    if (f && fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    if (f)
        fclose(f);
}

/* Share of all CPU time busy between two cpu_times readings, in %. */
static double busy_share(unsigned long long b0, unsigned long long t0,
                         unsigned long long b1, unsigned long long t1)
{
    return t1 > t0 ? 100.0 * (double)(b1 - b0) / (double)(t1 - t0) : -1;
}

static void calibrate(void)
{
    struct timespec a, b, pause = {0, CALIBRATE_NS};
    unsigned long long b0, t0, b1, t1;
    uint64_t ta, tb;
    char load[64];

    cpu_times(&b0, &t0);
    ta = tsc_read();
    clock_gettime(CLOCK_MONOTONIC_RAW, &a);
    nanosleep(&pause, NULL);
    tb = tsc_read();
    clock_gettime(CLOCK_MONOTONIC_RAW, &b);
    cpu_times(&b1, &t1);
    tsc_per_ns = (double)(tb - ta) / ((double)(b.tv_sec - a.tv_sec) * 1e9 +
                                      (double)(b.tv_nsec - a.tv_nsec));
    loadavg(load, sizeof(load));
    printf("\n== Veneer core II and toolstack benchmarks (vnbench2)\n"
           "load:   CPUs %.0f%% busy while vnbench2 slept; loadavg %s%s\n",
           busy_share(b0, t0, b1, t1), load,
           busy_share(b0, t0, b1, t1) > 10 ? "  (busy: figures will be noisy)"
                                           : "");
}

/* Which parts to run: letters c..h (--only). */
static int want(const char *only, char part)
{
    return !only || strchr(only, part) != NULL;
}

static int run_parts(const struct opts2 *o, const char *only)
{
    struct vnhost h = {0};
    int rc = 0;

    if (want(only, 'c'))
        rc = ptupdate_bench(o);
    if (rc == 0 && want(only, 'd'))
        rc = upcall_bench(o);
    if (rc == 0 && want(only, 'e'))
        rc = timers_bench(o);
    if (rc < 0 || !(want(only, 'f') || want(only, 'g') || want(only, 'h')))
        return rc;
    b2_progress("vn host start (private run directory)");
    rc = vnhost_start(&h, o->vn);
    if (rc == 0 && want(only, 'f'))
        rc = boot_bench(o, &h);
    if (rc == 0 && want(only, 'g'))
        rc = domrate_bench(o, &h);
    if (rc == 0 && want(only, 'h'))
        rc = idlemem_bench(o, &h);
    vnhost_stop(&h);
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: vnbench2 --veneerd PATH --vn PATH --hello ELF "
                    "--floor PATH --sleeper PATH\n"
                    "                --ptloop ELF --uplat ELF --idle ELF "
                    "[--qemu-kernel ELF] [--quick] [--only cdefgh]\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"veneerd", required_argument, NULL, 'v'},
        {"vn", required_argument, NULL, 'n'},
        {"hello", required_argument, NULL, 'e'},
        {"floor", required_argument, NULL, 'f'},
        {"sleeper", required_argument, NULL, 's'},
        {"qemu-kernel", required_argument, NULL, 'k'},
        {"ptloop", required_argument, NULL, 'p'},
        {"uplat", required_argument, NULL, 'u'},
        {"idle", required_argument, NULL, 'i'},
        {"quick", no_argument, NULL, 'q'},
        {"only", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    struct opts2 o = {0};
    unsigned long long b0, t0, b1, t1;
    const char *only = NULL;
    char load[64];
    int c, rc;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'v':
            o.veneerd = optarg;
            break;
        case 'n':
            o.vn = optarg;
            break;
        case 'e':
            o.hello = optarg;
            break;
        case 'f':
            o.floor = optarg;
            break;
        case 's':
            o.sleeper = optarg;
            break;
        case 'k':
            o.qemu_kernel = optarg;
            break;
        case 'p':
            o.ptloop = optarg;
            break;
        case 'u':
            o.uplat = optarg;
            break;
        case 'i':
            o.idle = optarg;
            break;
        case 'q':
            o.quick = 1;
            break;
        case 'o':
            only = optarg;
            break;
        default:
            usage();
            return 64;
        }
    }
    if (!o.veneerd || !o.vn || !o.hello || !o.floor || !o.sleeper ||
        !o.ptloop || !o.uplat || !o.idle || optind != argc) {
        usage();
        return 64;
    }
    calibrate();
    cpu_times(&b0, &t0);
    table_header();
    rc = run_parts(&o, only);
    cpu_times(&b1, &t1);
    loadavg(load, sizeof(load));
    if (rc < 0) {
        fprintf(stderr, "vnbench2: a benchmark failed (%s); table cut short\n",
                strerror(rc == -1 ? EIO : -rc));
        return 1;
    }
    printf("load over vnbench2's run: CPUs %.0f%% busy (vnbench2's own work "
           "included); loadavg %s\n",
           busy_share(b0, t0, b1, t1), load);
    return 0;
}
