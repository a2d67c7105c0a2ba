/* SPDX-License-Identifier: MIT */
/*
 * timer: pvclock, wallclock, the one-shot timer and event delivery
 * (XEN-ABI-FACTS §3.1, §3.3, §4.4, §7.1, §7.2).
 *
 * Checks: the pvclock is readable (even version, a multiplier) and never
 * goes back; the wallclock is a plausible date; three sleeps of 50 ms
 * (set_timer_op + SCHEDOP_block, woken by VIRQ_TIMER through the event
 * upcall) each last [50 ms, 50 ms + TIMER_SLACK_NS] of pvclock time and
 * see a timer event; one more through VCPUOP_set_singleshot_timer; a
 * deadline in the past fires at once; set_timer_op(0) cancels (a
 * SCHEDOP_poll with a timeout then sees no event); SCHEDOP_poll on the
 * timer port with upcalls masked returns when the port is pending, and
 * unmasking upcalls then delivers it; VCPUOP_set_periodic_timer ticks
 * at its period and VCPUOP_stop_periodic_timer stops it (the runtime
 * stopped Xen's default 100 Hz one at time_init); wallclock and pvclock
 * advance together. Last, the upcall's own frame (kernel cs, upcalls
 * open when interrupted, masked inside the callback, open again after
 * iret) and VCPUOP_register_vcpu_info: vcpu_info moved into a page of the
 * guest still carries time and events, and a second move is refused.
 *
 * It prints "timer: wallclock start <s>.<ns>" and "timer: wallclock end
 * <s>.<ns>" so that the integration script can compare them with the
 * host's clock, and "timer: elapsed <ns>" (pvclock time between them).
 *
 * Output: gtest lines, then "timer: SUCCESS (...)" and poweroff, or
 * "timer: ABORT ..." and crash.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

#include "gtest.h"

#define MS             1000000ULL
#define SLEEP_NS       (50 * MS)
#define TIMER_SLACK_NS (40 * MS) /* [POLICY] scheduling delay allowed */
#define EPOCH_2020     1577836800ULL

/* The port VIRQ_TIMER is bound to (time_init bound it). */
static evtchn_port_t timer_port;

static int port_pending(evtchn_port_t p)
{
    return !!(
        __atomic_load_n(&shinfo->evtchn_pending[p / 64], __ATOMIC_SEQ_CST) &
        (1ULL << (p % 64)));
}

static void check_clock(void)
{
    const volatile struct vcpu_time_info *t = &shinfo_vcpu()->time;
    uint64_t a, b, c;

    gtest_ok(!(t->version & 1) && t->tsc_to_system_mul != 0,
             "pvclock: version %u, mul %u, shift %d, flags %#x", t->version,
             t->tsc_to_system_mul, t->tsc_shift, t->flags);
    a = time_now_ns();
    b = time_now_ns();
    for (unsigned int i = 0; i < 100000; i++)
        asm volatile("pause");
    c = time_now_ns();
    gtest_ok(a > 0 && a <= b && b < c, "pvclock advances: %lu <= %lu < %lu",
             (unsigned long)a, (unsigned long)b, (unsigned long)c);
}

static void print_wallclock(const char *when, uint64_t *ns_out)
{
    uint64_t sec;
    uint32_t nsec;

    time_wallclock(&sec, &nsec);
    printf("timer: wallclock %s %lu.%09u\n", when, (unsigned long)sec, nsec);
    *ns_out = sec * TIME_NS_PER_SEC + nsec;
}

/* One sleep of SLEEP_NS; what is checked depends on how it was armed. */
static void check_sleep(unsigned int n, int singleshot)
{
    uint64_t ev0 = time_timer_events(), up0 = evtchn_stats.upcalls;
    uint64_t t0 = time_now_ns(), t1, el;
    struct vcpu_set_singleshot_timer st = {.timeout_abs_ns = t0 + SLEEP_NS};
    int rc;

    if (singleshot) {
        int prev = evtchn_upcalls_mask();

        rc = (int)HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);
        while (rc == 0 && time_timer_events() == ev0)
            rc = (int)HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        evtchn_upcalls_restore(prev);
    } else {
        rc = time_sleep_ns(SLEEP_NS);
    }
    t1 = time_now_ns();
    el = t1 - t0;
    gtest_ok(rc == 0 && el >= SLEEP_NS && el <= SLEEP_NS + TIMER_SLACK_NS,
             "%s sleep %u: %lu.%06lu ms (rc %d)",
             singleshot ? "singleshot" : "set_timer_op", n,
             (unsigned long)(el / MS), (unsigned long)(el % MS), rc);
    gtest_ok(time_timer_events() > ev0 && evtchn_stats.upcalls > up0,
             "sleep %u woken by VIRQ_TIMER through an upcall (%lu events, "
             "%lu upcalls)",
             n, (unsigned long)(time_timer_events() - ev0),
             (unsigned long)(evtchn_stats.upcalls - up0));
}

static void check_past_deadline(void)
{
    uint64_t ev0 = time_timer_events(), t0 = time_now_ns(), el;
    int prev = evtchn_upcalls_mask();
    int rc = time_timer_set(t0 > MS ? t0 - MS : 1);

    while (rc == 0 && time_timer_events() == ev0 &&
           time_now_ns() - t0 < SLEEP_NS)
        rc = (int)HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    evtchn_upcalls_restore(prev);
    el = time_now_ns() - t0;
    gtest_ok(rc == 0 && time_timer_events() > ev0 && el < 10 * MS,
             "a deadline in the past fires at once (%lu us)",
             (unsigned long)(el / 1000));
}

static void check_cancel_and_poll(void)
{
    uint64_t ev0, t0, el;
    struct sched_poll poll = {.nr_ports = 1};
    int prev = evtchn_upcalls_mask();
    long rc;

    set_xen_guest_handle(poll.ports, &timer_port);
    /* Armed, then cancelled: a 40 ms poll must time out without it. */
    ev0 = time_timer_events();
    t0 = time_now_ns();
    rc = time_timer_set(t0 + 10 * MS);
    if (rc == 0)
        rc = time_timer_set(0);
    poll.timeout = t0 + 40 * MS;
    if (rc == 0)
        rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    el = time_now_ns() - t0;
    gtest_ok(rc == 0 && !port_pending(timer_port) && el >= 40 * MS &&
                 el <= 40 * MS + TIMER_SLACK_NS,
             "cancelled timer: poll timed out after %lu ms, port not pending "
             "(%ld)",
             (unsigned long)(el / MS), rc);
    /* Armed for 30 ms: the poll returns when the port is pending, and
     * with upcalls masked the event waits for the unmask. */
    t0 = time_now_ns();
    rc = time_timer_set(t0 + 30 * MS);
    poll.timeout = 0;
    while (rc == 0 && !port_pending(timer_port))
        rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    el = time_now_ns() - t0;
    gtest_ok(rc == 0 && el >= 30 * MS && time_timer_events() == ev0,
             "poll on the timer port returned after %lu ms, event not yet "
             "delivered (%ld)",
             (unsigned long)(el / MS), rc);
    evtchn_upcalls_unmask();
    gtest_ok(time_timer_events() == ev0 + 1,
             "unmasking upcalls delivered it (%lu)",
             (unsigned long)(time_timer_events() - ev0));
    if (prev)
        evtchn_upcalls_mask();
}

/* A 10 ms periodic timer for ~55 ms: five ticks (plus the sleep's own
 * one-shot), then stopped: none in the next 30 ms. */
static void check_periodic(void)
{
    struct vcpu_set_periodic_timer per = {.period_ns = 10 * MS};
    struct sched_poll poll = {.nr_ports = 1};
    uint64_t ev0 = time_timer_events(), ticks, t0;
    int prev;
    long rc;

    rc = HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &per);
    if (rc == 0)
        rc = time_sleep_ns(55 * MS);
    ticks = time_timer_events() - ev0;
    gtest_ok(rc == 0 && ticks >= 5 && ticks <= 8,
             "periodic timer of 10 ms: %lu events in 55 ms (%ld)",
             (unsigned long)ticks, rc);
    rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    prev = evtchn_upcalls_mask();
    set_xen_guest_handle(poll.ports, &timer_port);
    t0 = time_now_ns();
    poll.timeout = t0 + 30 * MS;
    if (rc == 0)
        rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    gtest_ok(rc == 0 && !port_pending(timer_port) &&
                 time_now_ns() - t0 >= 30 * MS,
             "stopped: no tick in a 30 ms poll (%ld)", rc);
    evtchn_upcalls_restore(prev);
}

static struct {
    uint64_t events;
    uint64_t cs, rflags;
    uint8_t mask_inside;
} up;

static void record_upcall(evtchn_port_t port, struct trap_frame *f, void *data)
{
    (void)port;
    (void)data;
    up.events++;
    up.cs = f->cs;
    up.rflags = f->rflags;
    up.mask_inside = shinfo_vcpu()->evtchn_upcall_mask;
}

/* The timer's upcall as the interrupted code and the handler see it.
 * Replaces the runtime's VIRQ_TIMER handler: run last. */
static void check_upcall_frame(void)
{
    uint64_t t0 = time_now_ns();
    int rc;

    evtchn_set_handler(timer_port, record_upcall, NULL);
    rc = time_sleep_ns(10 * MS);
    gtest_ok(rc == 0 && up.events >= 1 && time_now_ns() - t0 >= 10 * MS,
             "sleep with the test's own VIRQ_TIMER handler (%lu events)",
             (unsigned long)up.events);
    gtest_ok((up.cs & 0xffff) == (FLAT_KERNEL_CS & ~3ULL) &&
                 ((up.cs >> 32) & 0xff) == 0 && (up.rflags & (1 << 9)),
             "upcall frame: cs %#lx, saved mask %lu, rflags %#lx",
             (unsigned long)(up.cs & 0xffff),
             (unsigned long)((up.cs >> 32) & 0xff), (unsigned long)up.rflags);
    gtest_ok(up.mask_inside == 1, "upcalls masked inside the callback (%u)",
             up.mask_inside);
}

/* vcpu_info moved to offset 128 of a padding page. */
static void check_register_vcpu_info(void)
{
    uint64_t pfn, va, t0, ev0 = up.events;
    int prev, rc;

    if (pages_alloc(&pfn) < 0) {
        gtest_fail("no padding page for vcpu_info");
        return;
    }
    va = pt_pfn_to_va(pfn) + 128;
    prev = evtchn_upcalls_mask();
    rc = shinfo_register_vcpu_info(va);
    gtest_ok(rc == 0 && shinfo_vcpu() == (struct vcpu_info *)(uintptr_t)va,
             "register_vcpu_info at %#lx -> %d", (unsigned long)va, rc);
    gtest_ok(shinfo_vcpu()->evtchn_upcall_mask == 1 &&
                 shinfo_vcpu()->time.tsc_to_system_mul != 0,
             "the new vcpu_info has the mask and the time (mul %u)",
             shinfo_vcpu()->time.tsc_to_system_mul);
    evtchn_upcalls_restore(prev);
    t0 = time_now_ns();
    rc = time_sleep_ns(20 * MS);
    gtest_ok(rc == 0 && time_now_ns() - t0 >= 20 * MS &&
                 time_now_ns() - t0 <= 20 * MS + TIMER_SLACK_NS &&
                 up.events > ev0,
             "20 ms sleep through the moved vcpu_info: %lu us, %lu events",
             (unsigned long)((time_now_ns() - t0) / 1000),
             (unsigned long)(up.events - ev0));
    gtest_ok(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0,
                                &(struct vcpu_register_vcpu_info){
                                    .mfn = pt_pfn_to_mfn(pfn), .offset = 0}) ==
                 -XEN_EBUSY,
             "a second register_vcpu_info is refused (-EBUSY)");
}

int guest_main(struct start_info *si)
{
    uint64_t wall0, wall1, p0, p1, sec;
    int rc;

    gtest_begin("timer", si);
    rc = time_init();
    if (rc < 0) {
        printf("timer: ABORT time_init -> %d\n", rc);
        return 1;
    }
    timer_port = time_timer_port();
    printf("timer: VIRQ_TIMER on port %u\n", timer_port);
    check_clock();
    p0 = time_now_ns();
    print_wallclock("start", &wall0);
    sec = wall0 / TIME_NS_PER_SEC;
    gtest_ok(sec > EPOCH_2020, "wallclock %lu s is after 2020",
             (unsigned long)sec);
    for (unsigned int i = 1; i <= 3; i++)
        check_sleep(i, 0);
    check_sleep(4, 1);
    check_past_deadline();
    if (timer_port) {
        check_cancel_and_poll();
        check_periodic();
    } else
        gtest_fail("time_init bound VIRQ_TIMER to port 0");
    p1 = time_now_ns();
    print_wallclock("end", &wall1);
    printf("timer: elapsed %lu\n", (unsigned long)(p1 - p0));
    /* wall = wc + system time: both must have moved by the same amount,
     * give or take the two reads between them. */
    gtest_ok(wall1 - wall0 >= p1 - p0 - MS && wall1 - wall0 <= p1 - p0 + MS,
             "wallclock moved %lu us, pvclock %lu us",
             (unsigned long)((wall1 - wall0) / 1000),
             (unsigned long)((p1 - p0) / 1000));
    if (timer_port) {
        check_upcall_frame();
        check_register_vcpu_info();
    }
    return gtest_end();
}
