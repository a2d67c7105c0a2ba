/* SPDX-License-Identifier: MIT */
/*
 * vnbench2, the second driver of `make bench` (after vnbench and the
 * store's comparison): calibrates the TSC, runs (c) page-table updates,
 * (d) upcall latency, (e) timer accuracy, then, under a private
 * `vn host start`, (f) create to first console line, (g) create/destroy
 * rate and (h) memory per idle domain, and prints each part's rows as it
 * ends, in vnbench's table format (table.c), timed with vnbench's clock
 * (clock.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnbench2.h"

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

static void calibrate(void)
{
    struct clock_cal cal;
    char load[64];
    double busy;

    clock_calibrate(&cal);
    busy = cpustat_share(&cal.before, &cal.after, CPUSTAT_BUSY);
    cpustat_loadavg(load, sizeof(load));
    printf("\n== Veneer core II and toolstack benchmarks (vnbench2)\n"
           "load:   CPUs %.0f%% busy while vnbench2 slept; loadavg %s%s\n",
           busy, load, busy > 10 ? "  (busy: figures will be noisy)" : "");
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
    struct cpustat c0, c1;
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
    cpustat_read(&c0);
    table_header();
    rc = run_parts(&o, only);
    cpustat_read(&c1);
    cpustat_loadavg(load, sizeof(load));
    if (rc < 0) {
        fprintf(stderr, "vnbench2: a benchmark failed (%s); table cut short\n",
                strerror(rc == -1 ? EIO : -rc));
        return 1;
    }
    printf("load over vnbench2's run: CPUs %.0f%% busy (vnbench2's own work "
           "included); loadavg %s\n",
           cpustat_share(&c0, &c1, CPUSTAT_BUSY), load);
    return 0;
}
