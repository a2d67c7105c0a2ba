/* SPDX-License-Identifier: MIT */
/*
 * vnbench, the driver of `make bench` for Veneer core I: calibrates the
 * TSC, runs benchmark (a) (domain start-up vs the spawn floor) and (b)
 * (null hypercall vs seccomp trap, hand-off and plain system call) in one
 * process, and hands the results to report.c. Also the small statistics
 * every part shares.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsc.h"
#include "vnbench.h"

/* [POLICY] Defaults: 25-60 s in all on a 2-CPU VM (hypercall runs take
 * 10x longer when veneerd's server thread shares the vCPU's CPU). */
#define DEF_STARTUP_RUNS 50u
#define DEF_HC_CALLS     50000ul
#define DEF_HC_RUNS      5u
#define DEF_SYSCALLS     1000000ul
#define DEF_HANDOFFS     1000000ul
#define DEF_TRAPS        200000ul

/* How long the TSC is timed against CLOCK_MONOTONIC_RAW before use: the
 * pairing error (~100 ns) is then below 1 ppm. */
#define CALIBRATE_NS 200000000l

/* Empty brackets timed to find a loop's per-call overhead. */
#define BRACKET_RUNS 10000u

struct tsc_point {
    uint64_t ns, tsc;
};

static double tsc_per_ns; /* ticks per ns, from the start-up calibration */

uint64_t vnbench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A TSC reading paired with CLOCK_MONOTONIC_RAW at its midpoint. */
static struct tsc_point tsc_point_now(void)
{
    struct timespec ts;
    uint64_t a, b;

    a = tsc_read();
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    b = tsc_read();
    return (struct tsc_point){(uint64_t)ts.tv_sec * 1000000000ull +
                                  (uint64_t)ts.tv_nsec,
                              a + (b - a) / 2};
}

static double tsc_rate(struct tsc_point a, struct tsc_point b)
{
    return (double)(b.tsc - a.tsc) / (double)(b.ns - a.ns);
}

double vnbench_ticks_per_ns(void)
{
    return tsc_per_ns;
}

double vnbench_ticks_to_ns(double ticks)
{
    return ticks / tsc_per_ns;
}

void runs_add(struct runs *r, double ns)
{
    if (r->n < VNBENCH_MAX_RUNS)
        r->ns[r->n++] = ns;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Nearest-rank percentile of r's samples; 0 if there are none. */
double runs_percentile(const struct runs *r, unsigned int permille)
{
    double v[VNBENCH_MAX_RUNS];
    size_t rank;

    if (r->n == 0)
        return 0;
    memcpy(v, r->ns, r->n * sizeof(*v));
    qsort(v, r->n, sizeof(*v), cmp_double);
    rank = ((size_t)r->n * permille + 999) / 1000;
    return v[rank ? rank - 1 : 0];
}

double runs_mean(const struct runs *r)
{
    double sum = 0;

    for (unsigned int i = 0; i < r->n; i++)
        sum += r->ns[i];
    return r->n ? sum / r->n : 0;
}

/* Median ticks of an empty tsc_read bracket, to subtract per call. */
uint64_t loop_bracket_overhead(void)
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

static void progress(const char *what)
{
    fprintf(stderr, "vnbench: %s\n", what);
}

/* Everything, in an order that keeps each comparison within a few s. */
static int run_all(const struct opts *o, struct results *r)
{
    int rc;

    progress("(a) start-up: hello under veneerd run, interleaved with exit0");
    rc = startup_bench(o->veneerd, o->hello, o->floor, o->startup_runs,
                       &r->startup);
    if (rc == 0) {
        progress("(b) hcloop guest, hypercall page: n=0 and n=N runs");
        rc = hcbench_run(o->veneerd, o->hcloop, "page", o->hc_calls, o->hc_runs,
                         &r->page);
    }
    if (rc == 0) {
        progress("(b) hcloop guest, raw syscall: n=0 and n=N runs");
        rc = hcbench_run(o->veneerd, o->hcloop, "raw", o->hc_calls, o->hc_runs,
                         &r->raw);
    }
    if (rc < 0)
        return rc;
    progress("(b) host peers: getppid, hand-off, seccomp trap");
    loops_getppid(o->syscalls, &r->syscall);
    loops_handoff(o->handoffs, &r->handoff);
    return trap_bench(o->traps, &r->trap, &r->trap_handoff);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: vnbench --veneerd PATH --hello ELF --floor PATH "
               "--hcloop ELF\n"
               "               [--runs N] [--calls N] [--hc-runs N] "
               "[--quick]\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"veneerd", required_argument, NULL, 'v'},
        {"hello", required_argument, NULL, 'e'},
        {"floor", required_argument, NULL, 'f'},
        {"hcloop", required_argument, NULL, 'g'},
        {"runs", required_argument, NULL, 'r'},
        {"calls", required_argument, NULL, 'c'},
        {"hc-runs", required_argument, NULL, 'R'},
        {"quick", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->startup_runs = DEF_STARTUP_RUNS;
    o->hc_runs = DEF_HC_RUNS;
    o->hc_calls = DEF_HC_CALLS;
    o->syscalls = DEF_SYSCALLS;
    o->handoffs = DEF_HANDOFFS;
    o->traps = DEF_TRAPS;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'v':
            o->veneerd = optarg;
            break;
        case 'e':
            o->hello = optarg;
            break;
        case 'f':
            o->floor = optarg;
            break;
        case 'g':
            o->hcloop = optarg;
            break;
        case 'r':
            o->startup_runs = (unsigned int)strtoul(optarg, NULL, 10);
            break;
        case 'c':
            o->hc_calls = strtoul(optarg, NULL, 10);
            break;
        case 'R':
            o->hc_runs = (unsigned int)strtoul(optarg, NULL, 10);
            break;
        case 'q':
            o->startup_runs = 10;
            o->hc_runs = 1;
            o->hc_calls = o->traps = 20000;
            o->syscalls = o->handoffs = 100000;
            break;
        default:
            return -1;
        }
    }
    if (!o->veneerd || !o->hello || !o->floor || !o->hcloop || optind != argc ||
        o->startup_runs == 0 || o->startup_runs > VNBENCH_MAX_RUNS ||
        o->hc_runs == 0 || o->hc_runs > VNBENCH_MAX_RUNS || o->hc_calls == 0)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    static struct results r;
    struct tsc_point t0, t1, t2;
    struct cpustat c0, c1, c2;
    struct timespec pause = {0, CALIBRATE_NS};
    struct opts o;
    int rc;

    if (parse_opts(argc, argv, &o) < 0) {
        usage(stderr);
        return 64;
    }
    cpustat_read(&c0);
    t0 = tsc_point_now();
    nanosleep(&pause, NULL);
    t1 = tsc_point_now();
    cpustat_read(&c1);
    tsc_per_ns = tsc_rate(t0, t1);
    report_facts(cpustat_share(&c0, &c1, 0));
    rc = run_all(&o, &r);
    if (rc < 0) {
        fprintf(stderr, "vnbench: a benchmark failed (%s); no table\n",
                strerror(rc == -1 ? EIO : -rc));
        return 1;
    }
    t2 = tsc_point_now();
    cpustat_read(&c2);
    r.drift_ppm = (tsc_rate(t0, t2) / tsc_per_ns - 1) * 1e6;
    r.steal_pct = cpustat_share(&c1, &c2, 1);
    report_table(&o, &r);
    return 0;
}
