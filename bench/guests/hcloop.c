/* SPDX-License-Identifier: MIT */
/*
 * hcloop: the null-hypercall bench guest. Issues n xen_version(
 * XENVER_version) hypercalls, either through the hypercall page (slot 17)
 * or as a raw `syscall`, times each with the TSC, and prints one result
 * line for the host driver (bench/hypercall.c) before powering off.
 *
 * Command line (start_info.cmd_line): "mode=page|raw n=COUNT slow=TICKS".
 * Every run, n = 0 included, first makes HCLOOP_WARMUP untimed calls, so
 * that the difference of two runs' wall times is exactly n calls. Calls
 * of at least `slow` ticks are counted apart (the host passes its TSC
 * rate's worth of a threshold; the guest needs no clock rate).
 *
 * Output: "hcloop: mode=M n=N loop=T p50=A p90=B p99=C min=D max=E
 * ovh=F nslow=S ret=R", all times in TSC ticks: loop is the whole timed
 * loop, the percentiles are single calls (each bracketed by tsc_read),
 * and ovh is the median of an empty bracket, for the host to subtract.
 */
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>

#include "hist.h"
#include "tsc.h"

#define HCLOOP_WARMUP   1000u
#define HCLOOP_OVH_RUNS 10000u
#define HCLOOP_N_MAX    100000000ul /* [POLICY] keeps a typo from hanging */

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

static unsigned long hcloop_number(const char *s)
{
    unsigned long v = 0;

    while (s && *s >= '0' && *s <= '9' && v <= HCLOOP_N_MAX)
        v = v * 10 + (unsigned long)(*s++ - '0');
    return v;
}

static inline long hcloop_call(enum hcloop_mode mode)
{
    if (mode == HCLOOP_RAW)
        return _hypercall_raw2(__HYPERVISOR_xen_version, XENVER_version, 0);
    return HYPERVISOR_xen_version(XENVER_version, 0);
}

/* n timed calls; returns the loop's ticks. Any answer unlike the first
 * one means the calls are not the null call they claim to be. */
static uint64_t hcloop_run(enum hcloop_mode mode, unsigned long n, long want,
                           uint64_t slow, unsigned long *nslow)
{
    uint64_t start = tsc_read();

    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0 = tsc_read();
        long ret = hcloop_call(mode);
        uint64_t t1 = tsc_read();

        if (ret != want)
            panic("hcloop: call %lu returned %ld, not %ld", i, ret, want);
        hist_add(&hcloop_calls, t1 - t0);
        if (slow && t1 - t0 >= slow)
            (*nslow)++;
    }
    return tsc_read() - start;
}

int guest_main(struct start_info *si)
{
    char cmdline[MAX_GUEST_CMDLINE];
    const char *m;
    enum hcloop_mode mode;
    unsigned long n, nslow = 0;
    uint64_t loop, slow;
    long want;

    for (unsigned int i = 0; i < sizeof(cmdline); i++)
        cmdline[i] = (char)si->cmd_line[i];
    cmdline[sizeof(cmdline) - 1] = '\0';
    m = hcloop_arg(cmdline, "mode");
    mode = m && m[0] == 'r' ? HCLOOP_RAW : HCLOOP_PAGE;
    n = hcloop_number(hcloop_arg(cmdline, "n"));
    slow = hcloop_number(hcloop_arg(cmdline, "slow"));
    if (n > HCLOOP_N_MAX)
        panic("hcloop: n is above %lu", HCLOOP_N_MAX);

    want = hcloop_call(mode);
    if (want < 0)
        panic("hcloop: xen_version(XENVER_version) failed: %ld", want);
    for (unsigned int i = 0; i < HCLOOP_WARMUP; i++)
        hcloop_call(mode);

    hist_init(&hcloop_empty);
    for (unsigned int i = 0; i < HCLOOP_OVH_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&hcloop_empty, t1 - t0);
    }
    hist_init(&hcloop_calls);
    loop = hcloop_run(mode, n, want, slow, &nslow);

    printf("hcloop: mode=%s n=%lu loop=%llu p50=%llu p90=%llu p99=%llu "
           "min=%llu max=%llu ovh=%llu nslow=%lu ret=%#lx\n",
           mode == HCLOOP_RAW ? "raw" : "page", n, (unsigned long long)loop,
           (unsigned long long)hist_percentile(&hcloop_calls, 500),
           (unsigned long long)hist_percentile(&hcloop_calls, 900),
           (unsigned long long)hist_percentile(&hcloop_calls, 990),
           (unsigned long long)(n ? hcloop_calls.min : 0),
           (unsigned long long)hcloop_calls.max,
           (unsigned long long)hist_percentile(&hcloop_empty, 500), nslow,
           (unsigned long)want);
    return 0;
}
