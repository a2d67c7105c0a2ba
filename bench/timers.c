/* SPDX-License-Identifier: MIT */
/*
 * (e) Timer accuracy: the uplat guest sleeping (set_timer_op +
 * SCHEDOP_block) 1, 10 and 50 ms at a time, each interval's guest run
 * followed by the host's own clock_nanosleep(TIMER_ABSTIME) loop of the
 * same sleeps; the CPU time veneerd and the domain process use over the
 * sleeps (per sleep) against the host thread's; and the CPU a domain
 * blocked with no timer uses over one second, against an idle process's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "vnbench2.h"

#define TM_INTERVALS 3u
#define TM_IDLE_NS   1000000000ull /* the blocked-domain window */
#define TM_SETTLE_NS 50000000ull   /* after start-up, before sampling */

static const unsigned int tm_ms[TM_INTERVALS] = {1, 10, 50};
static const unsigned int tm_n[TM_INTERVALS] = {200, 60, 20};

struct tm_interval {
    struct fig cb, ret, host; /* lateness, ns */
    struct fig cpu, host_cpu; /* CPU per sleep, ns (one sample) */
    unsigned int n;
};

/* CPU time of a veneerd run (all threads) and of its domain process. */
static int64_t tm_cpu_of(pid_t veneerd)
{
    pid_t kids[4];
    int n = proc_children(veneerd, kids, 4);
    int64_t sum = proc_cpu_ns(veneerd);

    for (int i = 0; i < n; i++)
        sum += proc_cpu_ns(kids[i]);
    return sum;
}

static struct fig tm_one(double v)
{
    return (struct fig){v, v, v, v, 1};
}

/* One guest run of n sleeps of ms; CPU sampled at its marks. */
static int tm_guest(const struct opts2 *o, unsigned int ms, unsigned int n,
                    struct tm_interval *t)
{
    char cmdline[96];
    char *const argv[] = {(char *)o->veneerd, "run",   (char *)o->uplat,
                          "--cmdline",        cmdline, NULL};
    struct ghist cb, ret;
    int64_t cpu0 = 0, cpu1 = 0;
    struct child c;
    int rc;

    snprintf(cmdline, sizeof(cmdline), "sleeps=%u sleep_ms=%u tail_ms=100", n,
             ms);
    rc = child_start(&c, argv);
    if (rc == 0)
        rc = child_wait_line(&c, "uplat: mark begin", CHILD_TIMEOUT_MS, NULL);
    if (rc == 0) {
        cpu0 = tm_cpu_of(c.pid);
        rc = child_wait_line(&c, "uplat: mark end", CHILD_TIMEOUT_MS, NULL);
    }
    if (rc == 0) {
        cpu1 = tm_cpu_of(c.pid);
        rc = child_finish(&c, CHILD_TIMEOUT_MS);
    }
    if (rc < 0 || !child_exited_ok(&c, 0) ||
        guest_hist(guest_line(c.out, "uplat: what=sleep_cb "), &cb) < 0 ||
        guest_hist(guest_line(c.out, "uplat: what=sleep_ret "), &ret) < 0 ||
        guest_value(guest_line(c.out, "uplat: ovh="), "early") != 0) {
        child_report(&c, "veneerd run uplat (sleeps)");
        child_free(&c);
        return -1;
    }
    t->cb = fig_of_ghist(&cb, 0, 0);
    t->ret = fig_of_ghist(&ret, 0, 0);
    t->cpu = tm_one(cpu0 >= 0 && cpu1 >= cpu0 ? (double)(cpu1 - cpu0) / n : 0);
    child_free(&c);
    return 0;
}

static int64_t tm_thread_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* The host's n sleeps of ms, timer slack 1 ns as veneerd's threads. */
static void tm_host(unsigned int ms, unsigned int n, struct tm_interval *t)
{
    int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    struct series late = {0};
    int64_t cpu0;

    prctl(PR_SET_TIMERSLACK, 1ul, 0, 0, 0);
    cpu0 = tm_thread_cpu();
    for (unsigned int i = 0; i < n; i++) {
        uint64_t deadline = clock_now_ns() + ms * 1000000ull;
        struct timespec ts = {(time_t)(deadline / 1000000000ull),
                              (long)(deadline % 1000000000ull)};

        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
               EINTR)
            ;
        series_add(&late, (double)(clock_now_ns() - deadline));
    }
    t->host_cpu = tm_one((double)(tm_thread_cpu() - cpu0) / n);
    if (slack > 0)
        prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
    t->host = fig_of_series(&late);
    series_free(&late);
}

/* CPU of an idle domain (veneerd run idle_block) and of sleep0 over
 * TM_IDLE_NS, side by side. */
static int tm_idle(const struct opts2 *o, struct fig *dom, struct fig *vnd,
                   struct fig *peer)
{
    char *const dargv[] = {(char *)o->veneerd, "run", (char *)o->idle, NULL};
    char *const sargv[] = {(char *)o->sleeper, NULL};
    struct timespec settle = {0, (long)TM_SETTLE_NS};
    struct timespec idle = {(time_t)(TM_IDLE_NS / 1000000000ull), 0};
    struct child d, s = {.pid = -1, .fd = -1};
    int64_t v0, v1, d0, d1, s0, s1;
    pid_t kid = -1;
    int rc;

    rc = child_start(&d, dargv);
    if (rc == 0)
        rc =
            child_wait_line(&d, "idle_block: blocking", CHILD_TIMEOUT_MS, NULL);
    if (rc == 0)
        rc = child_start(&s, sargv);
    if (rc == 0 && proc_children(d.pid, &kid, 1) != 1)
        rc = -ESRCH;
    if (rc == 0) {
        nanosleep(&settle, NULL);
        v0 = proc_cpu_ns(d.pid);
        d0 = proc_cpu_ns(kid);
        s0 = proc_cpu_ns(s.pid);
        nanosleep(&idle, NULL);
        v1 = proc_cpu_ns(d.pid);
        d1 = proc_cpu_ns(kid);
        s1 = proc_cpu_ns(s.pid);
        *vnd = tm_one((double)(v1 - v0));
        *dom = tm_one((double)(d1 - d0));
        *peer = tm_one((double)(s1 - s0));
    }
    if (d.pid > 0)
        kill(d.pid, SIGTERM);
    if (s.pid > 0)
        kill(s.pid, SIGTERM);
    child_finish(&d, CHILD_TIMEOUT_MS);
    child_finish(&s, CHILD_TIMEOUT_MS);
    if (rc < 0)
        child_report(&d, "veneerd run idle_block");
    child_free(&d);
    child_free(&s);
    return rc < 0 ? -1 : 0;
}

static void tm_print(const struct tm_interval *t, const struct fig *dom,
                     const struct fig *vnd, const struct fig *peer)
{
    char label[64], samples[24], vs[128];

    for (unsigned int i = 0; i < TM_INTERVALS; i++) {
        snprintf(samples, sizeof(samples), "%u", t[i].n);
        snprintf(label, sizeof(label), "sleep %u ms: lateness at callback",
                 tm_ms[i]);
        table_row(label, &t[i].cb, UNIT_NS, samples,
                  table_versus(vs, sizeof(vs), t[i].cb.p50, t[i].host.p50,
                               "host", UNIT_NS));
        table_row("  same, when SCHEDOP_block returned", &t[i].ret, UNIT_NS,
                  samples,
                  table_versus(vs, sizeof(vs), t[i].ret.p50, t[i].host.p50,
                               "host", UNIT_NS));
        snprintf(label, sizeof(label), "peer: clock_nanosleep %u ms lateness",
                 tm_ms[i]);
        table_row(label, &t[i].host, UNIT_NS, samples,
                  "TIMER_ABSTIME, timer slack 1 ns");
    }
    for (unsigned int i = 0; i < TM_INTERVALS; i++) {
        snprintf(label, sizeof(label), "CPU per %u ms sleep: veneerd + domain",
                 tm_ms[i]);
        table_row(label, &t[i].cpu, UNIT_NS, "1 run",
                  table_versus(vs, sizeof(vs), t[i].cpu.p50, t[i].host_cpu.p50,
                               "host thread", UNIT_NS));
    }
    table_row("peer: CPU per 1 ms clock_nanosleep", &t[0].host_cpu, UNIT_NS,
              "1 run", "the sleeping thread's own CPU clock");
    table_row("blocked, no timer, 1 s: veneerd's CPU time", vnd, UNIT_NS, "1 s",
              "idle_block guest, veneerd run");
    table_row("  same, the domain process's CPU time", dom, UNIT_NS, "1 s",
              "0 = no wake-up at all");
    table_row("peer: idle process (pause()), 1 s", peer, UNIT_NS, "1 s",
              "sleep0, measured alongside");
}

/*
 * timers_bench - (e): per interval, a guest run then the host loop; then
 * the idle window.
 * Return values: 0; -1 if a guest run failed (the reason is on stderr).
 */
int timers_bench(const struct opts2 *o)
{
    struct tm_interval t[TM_INTERVALS];
    struct fig dom = {0}, vnd = {0}, peer = {0};

    b2_progress("(e) timer accuracy: uplat sleeps and clock_nanosleep");
    table_section(
        "(e) timer accuracy: uplat guest sleeps back to back (set_timer_op "
        "+ SCHEDOP_block),\n    lateness = pvclock minus deadline; each "
        "interval's guest run, then the host's\n    clock_nanosleep of the "
        "same sleeps; CPU from the processes' CPU clocks");
    memset(t, 0, sizeof(t));
    for (unsigned int i = 0; i < TM_INTERVALS; i++) {
        unsigned int n = o->quick ? tm_n[i] / 4 : tm_n[i];

        t[i].n = n;
        if (tm_guest(o, tm_ms[i], n, &t[i]) < 0)
            return -1;
        tm_host(tm_ms[i], n, &t[i]);
    }
    if (tm_idle(o, &dom, &vnd, &peer) < 0)
        return -1;
    tm_print(t, &dom, &vnd, &peer);
    return 0;
}
