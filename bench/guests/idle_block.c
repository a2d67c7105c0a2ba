/* SPDX-License-Identifier: MIT */
/*
 * idle_block: the idle domain of the toolstack benchmarks. Stops Xen's
 * default 100 Hz periodic timer (as Linux does), prints "idle_block:
 * blocking" and then blocks with SCHEDOP_block for ever, upcalls masked
 * between blocks: with no timer armed and no event bound but VIRQ_TIMER,
 * nothing wakes it, so its domain process and veneerd's thread for it use
 * no CPU. The host destroys it. (tests/guests/idle_block.c is the test
 * guest that blocks for one second and checks its wake-up.)
 */
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/time.h>

int guest_main(struct start_info *si)
{
    long rc;

    (void)si;
    rc = time_init();
    if (rc != 0)
        panic("idle_block: time_init -> %ld", rc);
    printf("idle_block: blocking\n");
    console_flush();
    for (;;) {
        evtchn_upcalls_mask();
        rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        if (rc != 0)
            panic("idle_block: SCHEDOP_block -> %ld", rc);
    }
}
