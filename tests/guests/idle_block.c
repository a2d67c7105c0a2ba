/* SPDX-License-Identifier: MIT */
/*
 * idle_block: blocks for IDLE_NS with nothing to do, so that
 * t_idle_block.sh can show that a blocked guest costs no CPU, in its
 * domain process or in veneerd.
 *
 * It stops Xen's default 100 Hz periodic tick (as Linux does), arms the
 * one-shot timer IDLE_NS ahead and SCHEDOP_blocks until the timer's event
 * arrives through the upcall. Prints "idle_block: blocking <ms> ms" just
 * before, then "idle_block: woke after <us> us, <n> timer events" and
 * "idle_block: SUCCESS" if it slept at least IDLE_NS and was woken by the
 * timer within IDLE_SLACK_NS.
 */
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/console.h>
#include <veneer/runtime.h>

#include "uplib.h"

#define MS            1000000ull
#define IDLE_NS       (1000 * MS)
#define IDLE_SLACK_NS (50 * MS) /* [POLICY] late wake-up tolerated */

int guest_main(struct start_info *si)
{
    uint64_t t0, deadline, el;
    long rc;

    if (up_init(si) < 0)
        return 1;
    rc = up_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0);
    if (rc != 0) {
        printf("idle_block: stop_periodic_timer -> %ld\n", rc);
        return 1;
    }
    printf("idle_block: blocking %llu ms\n", IDLE_NS / MS);
    console_flush();
    t0 = up_now();
    deadline = t0 + IDLE_NS;
    up_mask();
    rc = up_hypercall(__HYPERVISOR_set_timer_op, deadline, 0, 0);
    while (rc == 0 && up_stats.timer_events == 0) {
        rc = up_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
        up_mask();
    }
    el = up_now() - t0;
    up_unmask();
    printf("idle_block: woke after %llu us, %llu timer events (rc %ld)\n",
           (unsigned long long)(el / 1000),
           (unsigned long long)up_stats.timer_events, rc);
    if (rc != 0 || el < IDLE_NS || el > IDLE_NS + IDLE_SLACK_NS) {
        printf("idle_block: ABORT\n");
        return 1;
    }
    printf("idle_block: SUCCESS\n");
    return 0;
}
