/* SPDX-License-Identifier: MIT */
/*
 * idle_block: blocks for IDLE_NS with nothing to do, so that
 * t_idle_block.sh can show that a blocked guest costs no CPU, in its
 * domain process or in veneerd.
 *
 * It stops Xen's default 100 Hz periodic tick (as Linux does: time_init),
 * arms the one-shot timer IDLE_NS ahead and SCHEDOP_blocks until the
 * timer's event arrives through the upcall. Prints "idle_block: blocking
 * <ms> ms" just before, then "idle_block: woke after <us> us, <n> timer
 * events" and "idle_block: SUCCESS" if it slept at least IDLE_NS and was
 * woken by the timer within IDLE_SLACK_NS.
 */
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/time.h>

#define MS            1000000ull
#define IDLE_NS       (1000 * MS)
#define IDLE_SLACK_NS (50 * MS) /* [POLICY] late wake-up tolerated */

int guest_main(struct start_info *si)
{
    uint64_t t0, deadline, el;
    long rc;

    (void)si;
    rc = time_init();
    if (rc != 0) {
        printf("idle_block: time_init -> %ld\n", rc);
        return 1;
    }
    printf("idle_block: blocking %llu ms\n", IDLE_NS / MS);
    console_flush();
    t0 = time_now_ns();
    deadline = t0 + IDLE_NS;
    evtchn_upcalls_mask();
    rc = time_timer_set(deadline);
    while (rc == 0 && time_timer_events() == 0) {
        rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        evtchn_upcalls_mask();
    }
    el = time_now_ns() - t0;
    evtchn_upcalls_unmask();
    printf("idle_block: woke after %llu us, %llu timer events (rc %ld)\n",
           (unsigned long long)(el / 1000),
           (unsigned long long)time_timer_events(), rc);
    if (rc != 0 || el < IDLE_NS || el > IDLE_NS + IDLE_SLACK_NS) {
        printf("idle_block: ABORT\n");
        return 1;
    }
    printf("idle_block: SUCCESS\n");
    return 0;
}
