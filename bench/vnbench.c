/* SPDX-License-Identifier: MIT */
/*
 * vnbench, the driver of `make bench` for Veneer core I: calibrates the
 * TSC, runs benchmark (a) (domain start-up vs the spawn floor) and (b)
 * (null hypercall vs seccomp trap, hand-off and plain system call) in one
 * process, and hands the results to report.c. Also the small statistics
 * every part shares (the clock is clock.c's).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnbench.h"

/* [POLICY] Defaults: 25-60 s in all on a 2-CPU VM (hypercall runs take
 * 10x longer when veneerd's server thread shares the vCPU's CPU). */
#define DEF_STARTUP_RUNS 50u
#define DEF_HC_CALLS     50000ul
#define DEF_HC_RUNS      5u
#define DEF_SYSCALLS     1000000ul
#define DEF_HANDOFFS     1000000ul
#define DEF_TRAPS        200000ul

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
    struct clock_cal cal;
    struct cpustat end;
    struct opts o;
    int rc;

    if (parse_opts(argc, argv, &o) < 0) {
        usage(stderr);
        return 64;
    }
    clock_calibrate(&cal);
    report_facts(cpustat_share(&cal.before, &cal.after, CPUSTAT_IDLE));
    rc = run_all(&o, &r);
    if (rc < 0) {
        fprintf(stderr, "vnbench: a benchmark failed (%s); no table\n",
                strerror(rc == -1 ? EIO : -rc));
        return 1;
    }
    r.drift_ppm = clock_drift_ppm(&cal);
    cpustat_read(&end);
    r.steal_pct = cpustat_share(&cal.after, &end, CPUSTAT_STEAL);
    report_table(&o, &r);
    return 0;
}
