/* SPDX-License-Identifier: MIT */
/*
 * What `make bench` prints: the machine facts the figures depend on, and
 * one aligned table (table.c) with every figure next to the peer or limit
 * it is measured against, followed by the diagnostics that explain its
 * tails.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "table.h"
#include "vnbench.h"

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"

/* The value of the first "key<TAB>: value" line of /proc/cpuinfo. */
static void cpuinfo_field(const char *key, char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[8192];
    size_t klen = strlen(key);

    snprintf(buf, len, "?");
    while (f && fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');

        if (strncmp(line, key, klen) != 0 || !colon)
            continue;
        snprintf(buf, len, "%s", colon + 1 + strspn(colon + 1, " "));
        buf[strcspn(buf, "\n")] = '\0';
        break;
    }
    if (f)
        fclose(f);
}

static void first_line_of(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");

    snprintf(buf, len, "?");
    if (f && fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    if (f)
        fclose(f);
}

/* Names of the CPU vulnerabilities the kernel mitigates: these set the
 * price of every kernel entry and exit, hence of (b). */
static void mitigations(char *buf, size_t len)
{
    DIR *d = opendir(VULN_DIR);
    struct dirent *e;
    size_t used = 0;

    buf[0] = '\0';
    while (d && (e = readdir(d)) != NULL) {
        char path[512], state[256];
        int n;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), VULN_DIR "/%s", e->d_name);
        first_line_of(path, state, sizeof(state));
        if (strncmp(state, "Mitigation", 10) != 0)
            continue;
        n = snprintf(buf + used, len - used, "%s%s", used ? " " : "",
                     e->d_name);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (d)
        closedir(d);
    if (!used)
        snprintf(buf, len, "none reported");
}

/*
 * report_facts - the machine facts, printed before the benchmarks run.
 * Parameters: idle_pct - share of all CPUs idle during the calibration
 * sleep: how much of the host other work is using right now.
 */
void report_facts(double idle_pct)
{
    char model[128], flags[8192], clock[64], load[64], mit[512];
    struct utsname u;

    uname(&u);
    cpuinfo_field("model name", model, sizeof(model));
    cpuinfo_field("flags", flags, sizeof(flags));
    first_line_of("/sys/devices/system/clocksource/clocksource0/"
                  "current_clocksource",
                  clock, sizeof(clock));
    cpustat_loadavg(load, sizeof(load));
    mitigations(mit, sizeof(mit));
    printf("host:   nproc %ld, Linux %s %s, %s%s\n",
           sysconf(_SC_NPROCESSORS_ONLN), u.release, u.machine, model,
           strstr(flags, " hypervisor") ? " (virtual machine)" : "");
    printf("clock:  TSC %.4f GHz (calibrated), %s%s; clocksource %s\n",
           clock_ticks_per_ns(),
           strstr(flags, " constant_tsc") ? "constant_tsc" : "TSC may drift",
           strstr(flags, " nonstop_tsc") ? " nonstop_tsc" : "", clock);
    printf("kernel: mitigated %s\n", mit);
    /* A second CPU is part of what (b) measures: say when it is taken. */
    printf("load:   CPUs %.0f%% idle while vnbench slept; loadavg %s%s\n",
           idle_pct, load,
           idle_pct >= 0 && idle_pct < 90 ? "  (busy: figures will be noisy)"
                                          : "");
    fflush(stdout);
}

/* ---- the table ---- */

/* A time in the unit that suits it, always 10 characters wide; "-" for
 * none (0: not applicable). */
static const char *fmt_time(char *buf, size_t len, double ns)
{
    if (ns <= 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    return table_fmt_ns(buf, len, ns);
}

/* One figure: label, median, p90, p99, mean (0: not applicable). */
struct row {
    const char *label;
    double p50, p90, p99, mean;
};

static void row_print(const struct row *r, const char *samples,
                      const char *against)
{
    char a[24], b[24], c[24], d[24];

    table_line(r->label, fmt_time(a, sizeof(a), r->p50),
               fmt_time(b, sizeof(b), r->p90), fmt_time(c, sizeof(c), r->p99),
               fmt_time(d, sizeof(d), r->mean), samples, against);
}

/* "4.20x name (+1.30 us)": how a figure compares with its peer. */
static const char *versus(char *buf, size_t len, double v, double peer,
                          const char *name)
{
    char d[24];

    if (peer <= 0 || v <= 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    fmt_time(d, sizeof(d), v > peer ? v - peer : peer - v);
    return table_ratio(buf, len, v, peer, name, d);
}

static double loop_ns(const struct loop_result *r, unsigned int permille)
{
    double ticks = (double)hist_percentile(&r->calls, permille);

    return r->ok ? clock_ticks_to_ns(ticks - (double)r->ovh) : 0;
}

static void row_loop(const char *label, const struct loop_result *r,
                     unsigned long n, const char *against)
{
    struct row x = {label, loop_ns(r, 500), loop_ns(r, 900), loop_ns(r, 990),
                    0};
    char samples[24], why[128];

    if (!r->ok) {
        snprintf(why, sizeof(why), "not run: %s", r->note);
        row_print(&x, "-", why);
        return;
    }
    x.mean = clock_ticks_to_ns((double)r->loop / (double)n - (double)r->ovh);
    snprintf(samples, sizeof(samples), "%lu", n);
    row_print(&x, samples, against);
}

static struct row row_of_runs(const char *label, const struct runs *r)
{
    return (struct row){label, runs_percentile(r, 500), runs_percentile(r, 900),
                        0, runs_mean(r)};
}

static void print_startup(const struct opts *o, const struct startup_result *s)
{
    struct row first =
        row_of_runs("spawn -> first console line", &s->first_line);
    struct row exit = row_of_runs("spawn -> veneerd exited (reaped)", &s->exit);
    struct row floor =
        row_of_runs("floor: posix_spawn static exit0 -> reaped", &s->floor);
    char n[24], vs[96];
    const char *slash = strrchr(o->hello, '/');

    snprintf(n, sizeof(n), "%u runs", s->floor.n);
    printf("(a) domain start-up: veneerd run %s (64 MiB default),\n"
           "    wall time from posix_spawn; runs alternate with the floor\n",
           slash ? slash + 1 : o->hello);
    row_print(&first, n, versus(vs, sizeof(vs), first.p50, floor.p50, "floor"));
    row_print(&exit, n, versus(vs, sizeof(vs), exit.p50, floor.p50, "floor"));
    row_print(&floor, n, "peer: vfork+exec+exit, same run");
}

static void print_hc(const char *label, const struct hcbench_result *h,
                     double limit)
{
    struct row x = {
        label, runs_percentile(&h->p50, 500), runs_percentile(&h->p90, 500),
        runs_percentile(&h->p99, 500), runs_percentile(&h->mean, 500)};
    struct row wall = {"  same, (T(N) - T(0)) / N of wall time", 0, 0, 0, 0};
    double t0 = runs_percentile(&h->wall0, 500), calls = 0;
    struct runs per_call = {.n = 0};
    char n[24], vs[96];

    /* Runs may stop early (HC_RUN_BUDGET_NS): divide each by its own N. */
    for (unsigned int i = 0; i < h->wall_n.n && i < h->done.n; i++) {
        runs_add(&per_call, (h->wall_n.ns[i] - t0) / h->done.ns[i]);
        calls += h->done.ns[i];
    }
    wall.mean = runs_percentile(&per_call, 500);
    if (calls == (double)h->n * h->done.n)
        snprintf(n, sizeof(n), "%ux%lu", h->done.n, h->n);
    else
        snprintf(n, sizeof(n), "%u runs,%.0fk", h->done.n, calls / 1e3);
    row_print(&x, n, versus(vs, sizeof(vs), x.p50, limit, "limit"));
    snprintf(n, sizeof(n), "%u+%u runs", h->wall0.n, h->wall_n.n);
    row_print(&wall, n,
              versus(vs, sizeof(vs), wall.mean, x.mean, "guest-TSC mean"));
}

/* The per-run diagnostics of one hypercall mode, on one line. */
static void print_hc_tail(const char *mode, const struct hcbench_result *h)
{
    printf("  %-4s median us:  ", mode);
    for (unsigned int i = 0; i < h->p50.n; i++)
        printf(" %7.2f", h->p50.ns[i] / 1e3);
    printf("\n       p99 us:     ");
    for (unsigned int i = 0; i < h->p99.n; i++)
        printf(" %7.1f", h->p99.ns[i] / 1e3);
    printf("\n       >= %2u us, %%: ", HC_SLOW_NS / 1000);
    for (unsigned int i = 0; i < h->slow.n; i++)
        printf(" %7.2f", h->slow.ns[i]);
    printf("\n       switches/call:");
    for (unsigned int i = 0; i < h->csw.n; i++)
        printf(" %7.3f", h->csw.ns[i]);
    printf("\n");
}

/* report_table - the results of one run, with their peers. */
void report_table(const struct opts *o, const struct results *r)
{
    double limit = loop_ns(&r->trap_handoff, 500);
    char vs[96], t0[24], served[48];

    table_header();
    print_startup(o, &r->startup);
    printf("(b) null hypercall xen_version(XENVER_version), one round trip:\n"
           "    guest TSC brackets per call, converted with the host's "
           "calibration;\n    median of the per-run figures\n");
    print_hc("hypercall page (slot 17)", &r->page, limit);
    print_hc("raw `syscall` in the guest", &r->raw, limit);
    row_loop(
        "limit: seccomp trap + spinning hand-off", &r->trap_handoff, o->traps,
        versus(vs, sizeof(vs), limit, loop_ns(&r->trap, 500), "trap alone"));
    row_loop("peer: seccomp trap round trip (SIGSYS)", &r->trap, o->traps,
             "RET_TRAP, handler sets rax");
    row_loop("peer: spinning hand-off alone (2 threads)", &r->handoff,
             o->handoffs, "20-word mailbox, cross-CPU");
    row_loop("peer: plain system call getppid()", &r->syscall, o->syscalls,
             "raw `syscall`, no filter");

    printf("\n(b) run by run: median and p99 call, share of calls >= %u us, "
           "and context\n    switches per call (veneerd + stub, N-call run "
           "minus n=0 run):\n",
           HC_SLOW_NS / 1000);
    print_hc_tail("page", &r->page);
    print_hc_tail("raw", &r->raw);
    fmt_time(t0, sizeof(t0), runs_percentile(&r->page.wall0, 500));
    if (r->page.veneerd_calls == UINT64_MAX)
        snprintf(served, sizeof(served), "(veneerd -v printed no count)");
    else
        snprintf(served, sizeof(served), "%llu",
                 (unsigned long long)r->page.veneerd_calls);
    /* The guest also makes 1 + HCLOOP_WARMUP untimed calls and its
     * console and shutdown calls: served should exceed timed by ~200. */
    printf("checks: T(0) = %s (hcloop n=0, median); last page run: %llu "
           "timed calls in the guest,\n        veneerd served %s; TSC rate "
           "over the whole run differs by %+.1f ppm\n        from the "
           "calibration; the VM's host stole %.1f%% of CPU time during the "
           "run\n",
           t0 + strspn(t0, " "), (unsigned long long)r->page.guest_calls,
           served, r->drift_ppm, r->steal_pct);
}
