/* SPDX-License-Identifier: MIT */
/*
 * uplat: the upcall and timer bench guest. With its own VIRQ_TIMER
 * handler, which notes the TSC and the pvclock at entry, it times:
 *
 *  - now: set_timer_op with a deadline already passed (1 ns), upcalls
 *    open: the event is raised inside the hypercall, so the callback runs
 *    on its way back. Ticks from just before the `syscall` to callback
 *    entry ("entry") and to the instruction after it, iret included
 *    ("back"); each after one null hypercall xen_version(XENVER_version)
 *    ("null"), timed too, so that both see the same conditions;
 *  - kick: set_timer_op(now + kick_us) while the guest spins with upcalls
 *    open: veneerd's timer must interrupt a running vCPU (kick signal,
 *    KICK request, bounce). Lateness = pvclock at callback entry minus
 *    the deadline, in ns;
 *  - sleep: set_timer_op(now + sleep_ms) + SCHEDOP_block, `sleeps` times
 *    back to back: lateness at callback entry ("cb") and after the block
 *    returned ("ret"), ns. "uplat: mark begin" and "uplat: mark end"
 *    bracket the sleeps so that the host can read the CPU time veneerd
 *    and the domain process used meanwhile; after the results the guest
 *    sleeps tail_ms more, so that it is still there when the host looks.
 *
 * Command line: "now=N kick=N kick_us=U sleep_ms=M sleeps=N
 * tail_ms=T" (0 or absent: that part is skipped).
 * Output (bguest.h): "uplat: what=null|now_entry|now_back ticks n=...",
 * "uplat: what=kick ns n=...", "uplat: what=sleep_cb|sleep_ret ms=M ns
 * n=...", then "uplat: ovh=TICKS early=E" (median empty bracket; events
 * seen before their deadline, which must be 0).
 */
#include <xen/sched.h>
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/time.h>

#include "bguest.h"
#include "tsc.h"

#define UP_WARMUP     3u
#define UP_OVH_RUNS   10000u
#define UP_GIVE_UP_NS 1000000000ull /* [POLICY] a timer this late is lost */
#define NS_PER_US     1000ull
#define NS_PER_MS     1000000ull

/* What the VIRQ_TIMER handler saw last. */
static volatile struct {
    uint64_t count;
    uint64_t tsc; /* at entry */
    uint64_t ns;  /* pvclock at entry */
} up_ev;

static struct hist up_h1, up_h2, up_h3, up_empty;
static uint64_t up_early;

static void up_event(evtchn_port_t port, struct trap_frame *f, void *data)
{
    uint64_t tsc = tsc_read();

    (void)port;
    (void)f;
    (void)data;
    up_ev.tsc = tsc;
    up_ev.ns = time_now_ns();
    up_ev.count++;
}

/* Lateness of an event against its deadline; early ones count apart. */
static uint64_t up_late(uint64_t at, uint64_t deadline)
{
    if (at >= deadline)
        return at - deadline;
    up_early++;
    return 0;
}

/* A deadline already passed: the callback runs on the way back. */
static void up_now(uint64_t n)
{
    hist_init(&up_h1);
    hist_init(&up_h2);
    hist_init(&up_h3);
    for (uint64_t i = 0; i < UP_WARMUP + n; i++) {
        uint64_t c0 = up_ev.count, t0, t1;
        long rc;

        t0 = tsc_read();
        rc = HYPERVISOR_xen_version(XENVER_version, 0);
        t1 = tsc_read();
        if (rc < 0)
            panic("uplat: xen_version -> %ld", rc);
        if (i >= UP_WARMUP)
            hist_add(&up_h3, t1 - t0);
        t0 = tsc_read();
        rc = HYPERVISOR_set_timer_op(1);
        t1 = tsc_read();
        if (rc != 0 || up_ev.count != c0 + 1)
            panic("uplat: set_timer_op(past) -> %ld, %llu events", rc,
                  (unsigned long long)(up_ev.count - c0));
        if (i >= UP_WARMUP) {
            hist_add(&up_h1, up_ev.tsc - t0);
            hist_add(&up_h2, t1 - t0);
        }
    }
    bguest_print_hist("uplat: what=null ticks", &up_h3);
    bguest_print_hist("uplat: what=now_entry ticks", &up_h1);
    bguest_print_hist("uplat: what=now_back ticks", &up_h2);
}

/* A future deadline while the vCPU runs: veneerd must kick it. */
static void up_kick(uint64_t n, uint64_t us)
{
    hist_init(&up_h1);
    for (uint64_t i = 0; i < UP_WARMUP + n; i++) {
        uint64_t c0 = up_ev.count;
        uint64_t deadline = time_now_ns() + us * NS_PER_US;
        long rc = HYPERVISOR_set_timer_op(deadline);

        if (rc != 0)
            panic("uplat: set_timer_op -> %ld", rc);
        while (up_ev.count == c0) {
            if (time_now_ns() > deadline + UP_GIVE_UP_NS)
                panic("uplat: no timer event 1 s after its deadline");
            asm volatile("pause");
        }
        if (i >= UP_WARMUP)
            hist_add(&up_h1, up_late(up_ev.ns, deadline));
    }
    bguest_print_hist("uplat: what=kick ns", &up_h1);
}

/* Block until the timer fires, n times back to back. */
static void up_sleep(uint64_t n, uint64_t ms)
{
    char head[64];

    hist_init(&up_h1);
    hist_init(&up_h2);
    printf("uplat: mark begin\n");
    console_flush();
    evtchn_upcalls_mask();
    for (uint64_t i = 0; i < n; i++) {
        uint64_t c0 = up_ev.count;
        uint64_t deadline = time_now_ns() + ms * NS_PER_MS;
        long rc = HYPERVISOR_set_timer_op(deadline);

        while (rc == 0 && up_ev.count == c0) {
            rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
            evtchn_upcalls_mask();
        }
        if (rc != 0)
            panic("uplat: set_timer_op/block -> %ld", rc);
        hist_add(&up_h2, up_late(time_now_ns(), deadline));
        hist_add(&up_h1, up_late(up_ev.ns, deadline));
    }
    evtchn_upcalls_unmask();
    printf("uplat: mark end\n");
    console_flush();
    snprintf(head, sizeof(head), "uplat: what=sleep_cb ms=%llu ns",
             (unsigned long long)ms);
    bguest_print_hist(head, &up_h1);
    snprintf(head, sizeof(head), "uplat: what=sleep_ret ms=%llu ns",
             (unsigned long long)ms);
    bguest_print_hist(head, &up_h2);
}

int guest_main(struct start_info *si)
{
    char cmdline[MAX_GUEST_CMDLINE];
    uint64_t tail;
    int rc;

    bguest_cmdline(si, cmdline, sizeof(cmdline));
    rc = time_init();
    if (rc == 0)
        rc = evtchn_set_handler(time_timer_port(), up_event, NULL);
    if (rc != 0)
        panic("uplat: time_init -> %d", rc);
    hist_init(&up_empty);
    for (unsigned int i = 0; i < UP_OVH_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&up_empty, t1 - t0);
    }
    evtchn_upcalls_unmask();
    if (bguest_number(cmdline, "now", 0))
        up_now(bguest_number(cmdline, "now", 0));
    if (bguest_number(cmdline, "kick", 0))
        up_kick(bguest_number(cmdline, "kick", 0),
                bguest_number(cmdline, "kick_us", 300));
    if (bguest_number(cmdline, "sleeps", 0))
        up_sleep(bguest_number(cmdline, "sleeps", 0),
                 bguest_number(cmdline, "sleep_ms", 10));
    printf("uplat: ovh=%llu early=%llu\n",
           (unsigned long long)hist_percentile(&up_empty, 500),
           (unsigned long long)up_early);
    tail = bguest_number(cmdline, "tail_ms", 0);
    if (tail && time_sleep_ns(tail * NS_PER_MS) != 0)
        panic("uplat: the tail sleep failed");
    return 0;
}
