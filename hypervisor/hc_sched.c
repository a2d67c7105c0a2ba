/* SPDX-License-Identifier: MIT */
/*
 * sched_op (hypercall 29): yield, shutdown and shutdown_code here; block
 * and poll in sched_block.c.
 */
#include <sched.h>

#include <xen/errno.h>
#include <xen/sched.h>

#include "veneerd.h"

static int64_t sched_shutdown_op(struct vcpu *v, gva_t arg, bool now)
{
    struct sched_shutdown s;

    if (gmem_copy_from(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    /* Xen takes any reason; a number it never defined is refused here. */
    if (s.reason > SHUTDOWN_MAX)
        return -XEN_EINVAL;
    if (now) {
        log_info("dom%u: shutdown, reason %u", v->dom->id, s.reason);
        domain_shutdown(v->dom, s.reason);
    } else {
        v->dom->shutdown_reason = s.reason;
    }
    return 0;
}

int64_t hc_sched_op(struct vcpu *v, const uint64_t a[5])
{
    switch (a[0]) {
    case SCHEDOP_yield:
        sched_yield();
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_poll:
        return sched_poll(v, a[1]);
    case SCHEDOP_shutdown:
        return sched_shutdown_op(v, a[1], true);
    case SCHEDOP_shutdown_code:
        return sched_shutdown_op(v, a[1], false);
    case SCHEDOP_remote_shutdown:
        return -XEN_EPERM; /* privileged; domUs are not */
    default:
        return -XEN_ENOSYS;
    }
}
