/* SPDX-License-Identifier: MIT */
/*
 * hcloop: the null-hypercall bench guest. Issues n xen_version(
 * XENVER_version) hypercalls, either through the hypercall page (slot 17)
 * or as a raw `syscall`, times each with the TSC, and prints one result
 * line for the host driver (bench/hypercall.c) before powering off.
 *
 * Command line (start_info.cmd_line):
 *   "mode=page|raw n=COUNT slow=TICKS budget=TICKS"
 * Every run, n = 0 included, first makes HCLOOP_WARMUP untimed calls, so
 * that the difference of two runs' wall times is exactly the timed calls.
 * Calls of at least `slow` ticks are counted apart; the timed loop stops
 * early once it has run `budget` ticks (0: never), so that a run on a
 * pathologically slow path cannot take minutes. The host converts both
 * from time with its TSC calibration: the guest needs no clock rate.
 *
 * Output: "hcloop: mode=M n=DONE loop=T p50=A p90=B p99=C min=D max=E
 * ovh=F nslow=S ret=R", DONE being the calls made and all times in TSC
 * ticks: loop is the whole timed loop, the percentiles are single calls
 * (each bracketed by tsc_read), and ovh is the median of an empty
 * bracket, for the host to subtract.
 */
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>

#include "hist.h"
#include "tsc.h"

#define HCLOOP_WARMUP   200u
#define HCLOOP_OVH_RUNS 10000u
#define HCLOOP_N_MAX    100000000ul  /* [POLICY] keeps a typo from hanging */
#define HCLOOP_NUM_MAX  (1ull << 60) /* larger command-line numbers saturate */

enum hcloop_mode { HCLOOP_PAGE, HCLOOP_RAW };

/* Large: in .bss rather than on the runtime stack. */
static struct hist hcloop_calls, hcloop_empty;

/* The value of "key=" in the command line, or NULL; stops at a space. */
static const char *hcloop_arg(const char *cmdline, const char *key)
{
    const char *p = cmdline;
    unsigned int klen = 0;

    while (key[klen])
        klen++;
    while (*p) {
        unsigned int i = 0;

        while (i < klen && p[i] == key[i])
            i++;
        if (i == klen && p[i] == '=' && (p == cmdline || p[-1] == ' '))
            return p + klen + 1;
        p++;
    }
    return NULL;
}

/* A decimal number; saturates at HCLOOP_NUM_MAX rather than wrapping. */
static uint64_t hcloop_number(const char *s)
{
    uint64_t v = 0;

    while (s && *s >= '0' && *s <= '9') {
        if (v > HCLOOP_NUM_MAX / 10)
            return HCLOOP_NUM_MAX;
        v = v * 10 + (uint64_t)(*s++ - '0');
    }
    return v;
}

static inline long hcloop_call(enum hcloop_mode mode)
{
    if (mode == HCLOOP_RAW)
        return _hypercall_raw2(__HYPERVISOR_xen_version, XENVER_version, 0);
    return HYPERVISOR_xen_version(XENVER_version, 0);
}

/* What one timed loop is asked to do, and what it did. */
struct hcloop_run {
    enum hcloop_mode mode;
    unsigned long n;     /* calls asked for */
    long want;           /* the answer every call must get */
    uint64_t slow;       /* ticks from which a call counts as slow */
    uint64_t budget;     /* ticks after which the loop stops; 0: none */
    unsigned long done;  /* OUT: calls made */
    unsigned long nslow; /* OUT: calls of at least `slow` ticks */
};

/* The timed calls; returns the loop's ticks. Any answer unlike the
 * first one means the calls are not the null call they claim to be. */
static uint64_t hcloop_run(struct hcloop_run *r)
{
    uint64_t start = tsc_read();

    for (unsigned long i = 0; i < r->n; i++) {
        uint64_t t0 = tsc_read();
        long ret = hcloop_call(r->mode);
        uint64_t t1 = tsc_read();

        if (ret != r->want)
            panic("hcloop: call %lu returned %ld, not %ld", i, ret, r->want);
        hist_add(&hcloop_calls, t1 - t0);
        r->done++;
        if (r->slow && t1 - t0 >= r->slow)
            r->nslow++;
        if (r->budget && t1 - start >= r->budget)
            break;
    }
    return tsc_read() - start;
}

int guest_main(struct start_info *si)
{
    char cmdline[MAX_GUEST_CMDLINE];
    struct hcloop_run r = {0};
    const char *m;
    uint64_t loop;

    for (unsigned int i = 0; i < sizeof(cmdline); i++)
        cmdline[i] = (char)si->cmd_line[i];
    cmdline[sizeof(cmdline) - 1] = '\0';
    m = hcloop_arg(cmdline, "mode");
    r.mode = m && m[0] == 'r' ? HCLOOP_RAW : HCLOOP_PAGE;
    if (hcloop_number(hcloop_arg(cmdline, "n")) > HCLOOP_N_MAX)
        panic("hcloop: n is above %lu", HCLOOP_N_MAX);
    r.n = (unsigned long)hcloop_number(hcloop_arg(cmdline, "n"));
    r.slow = hcloop_number(hcloop_arg(cmdline, "slow"));
    r.budget = hcloop_number(hcloop_arg(cmdline, "budget"));

    r.want = hcloop_call(r.mode);
    if (r.want < 0)
        panic("hcloop: xen_version(XENVER_version) failed: %ld", r.want);
    for (unsigned int i = 0; i < HCLOOP_WARMUP; i++)
        hcloop_call(r.mode);

    hist_init(&hcloop_empty);
    for (unsigned int i = 0; i < HCLOOP_OVH_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&hcloop_empty, t1 - t0);
    }
    hist_init(&hcloop_calls);
    loop = hcloop_run(&r);

    printf("hcloop: mode=%s n=%lu loop=%llu p50=%llu p90=%llu p99=%llu "
           "min=%llu max=%llu ovh=%llu nslow=%lu ret=%#lx\n",
           r.mode == HCLOOP_RAW ? "raw" : "page", r.done,
           (unsigned long long)loop,
           (unsigned long long)hist_percentile(&hcloop_calls, 500),
           (unsigned long long)hist_percentile(&hcloop_calls, 900),
           (unsigned long long)hist_percentile(&hcloop_calls, 990),
           (unsigned long long)(r.done ? hcloop_calls.min : 0),
           (unsigned long long)hcloop_calls.max,
           (unsigned long long)hist_percentile(&hcloop_empty, 500), r.nslow,
           (unsigned long)r.want);
    return 0;
}
