/* SPDX-License-Identifier: MIT */
/*
 * idle: prints "idle: ready" and then yields forever, so that isolation
 * tests can inspect the running domain process from the host (/proc,
 * fds, mappings, seccomp state) and then destroy it.
 */
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>

int guest_main(struct start_info *si)
{
    unsigned long n = 0;

    (void)si;
    printf("idle: ready\n");
    for (;;) {
        long rc = HYPERVISOR_sched_op(SCHEDOP_yield, NULL);

        /* A failing yield would turn this into a silent busy loop: say
         * so once and give up. */
        if (rc != 0) {
            printf("idle: SCHEDOP_yield failed rc=%ld after %lu yields\n", rc,
                   n);
            return 1;
        }
        n++;
    }
}
