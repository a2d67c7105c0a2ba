/* SPDX-License-Identifier: MIT */
/*
 * Benchmark (b), the null hypercall: boots the hcloop guest under
 * `veneerd run` and collects two independent measures of one
 * xen_version(XENVER_version) round trip:
 *
 *  1. per call, from the guest's own TSC brackets (percentiles), converted
 *     to ns with the host's TSC calibration;
 *  2. with no guest timekeeping at all, from wall time: runs with n = 0
 *     and n = N calls alternate, and the median over N-runs of
 *     (T(N) - median T(0)) / calls made is the mean cost of one call,
 *     brackets and histogram updates included.
 *
 * veneerd runs with -v so that its exit line reports how many hypercalls
 * it served; the report sets that beside the calls the guest made, to show
 * that they really reached veneerd (a count veneerd did not print is
 * reported as unknown, not as a failure).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "vnbench.h"

/* What the guest's result line says (ticks). */
struct hcloop_line {
    char mode[8];
    unsigned long n;
    unsigned long long loop, p50, p90, p99, min, max, ovh, nslow, ret;
    long csw; /* voluntary + involuntary context switches of the run */
};

/* Parse the guest's result line, and veneerd's count (UINT64_MAX if it
 * printed none). */
static int hcbench_parse(const struct spawn_out *o, struct hcloop_line *l,
                         uint64_t *served)
{
    const char *s = strstr(o->text, "hcloop: ");
    const char *v = strstr(o->text, "stopped after ");
    unsigned long long calls = 0;

    *served = UINT64_MAX;
    if (!s || sscanf(s,
                     "hcloop: mode=%7s n=%lu loop=%llu p50=%llu p90=%llu "
                     "p99=%llu min=%llu max=%llu ovh=%llu nslow=%llu "
                     "ret=%llx",
                     l->mode, &l->n, &l->loop, &l->p50, &l->p90, &l->p99,
                     &l->min, &l->max, &l->ovh, &l->nslow, &l->ret) != 11)
        return -1;
    if (v && sscanf(v, "stopped after %llu hypercalls", &calls) == 1)
        *served = calls;
    return 0;
}

/* One run of the guest with n calls; its wall time goes to wall. */
static int hcbench_once(const char *veneerd, const char *guest,
                        const char *mode, unsigned long n, struct runs *wall,
                        struct hcloop_line *l, uint64_t *served)
{
    char cmdline[96];
    char *const argv[] = {(char *)veneerd, "run",   (char *)guest, "-v",
                          "--cmdline",     cmdline, NULL};
    struct spawn_out o;
    int rc;

    snprintf(cmdline, sizeof(cmdline), "mode=%s n=%lu slow=%.0f budget=%.0f",
             mode, n, (double)HC_SLOW_NS * clock_ticks_per_ns(),
             (double)HC_RUN_BUDGET_NS * clock_ticks_per_ns());
    rc = spawn_run(argv, &o);
    if (rc < 0)
        return rc;
    if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0 ||
        hcbench_parse(&o, l, served) < 0 || l->n > n || (n && !l->n)) {
        fprintf(stderr, "vnbench: hcloop %s: wait status %#x, output:\n%s\n",
                cmdline, o.status, o.text);
        return -1;
    }
    runs_add(wall, (double)o.exit_ns);
    l->csw = o.ru.ru_nvcsw + o.ru.ru_nivcsw;
    return 0;
}

/*
 * hcbench_run - alternate `runs` runs of n = 0 and n = N calls in mode
 * ("page" or "raw").
 *
 * Return values: 0; -1 if a run failed or its output was not understood
 * (the reason is on stderr).
 */
int hcbench_run(const char *veneerd, const char *guest, const char *mode,
                unsigned long n, unsigned int runs, struct hcbench_result *r)
{
    struct hcloop_line l0, l;
    uint64_t served = 0;
    double done;
    int rc = 0;

    memset(r, 0, sizeof(*r));
    r->n = n;
    for (unsigned int i = 0; rc == 0 && i < runs; i++) {
        rc = hcbench_once(veneerd, guest, mode, 0, &r->wall0, &l0, &served);
        if (rc == 0)
            rc = hcbench_once(veneerd, guest, mode, n, &r->wall_n, &l, &served);
        if (rc < 0)
            break;
        done = (double)l.n;
        runs_add(&r->done, done);
        runs_add(&r->p50, clock_ticks_to_ns((double)l.p50 - (double)l.ovh));
        runs_add(&r->p90, clock_ticks_to_ns((double)l.p90 - (double)l.ovh));
        runs_add(&r->p99, clock_ticks_to_ns((double)l.p99 - (double)l.ovh));
        runs_add(&r->mean,
                 clock_ticks_to_ns((double)l.loop / done - (double)l.ovh));
        runs_add(&r->slow, 100.0 * (double)l.nslow / done);
        runs_add(&r->csw, (double)(l.csw - l0.csw) / done);
        r->veneerd_calls = served;
        r->guest_calls = l.n;
    }
    return rc < 0 ? -1 : 0;
}
