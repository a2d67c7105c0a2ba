/* SPDX-License-Identifier: MIT */
/*
 * SCHEDOP_block and SCHEDOP_poll (sched_op, hypercall 29): a vCPU giving
 * up its CPU until an event arrives (XEN-ABI-FACTS §7.1).
 *
 * The hypercall only validates and records the block (under mm_lock, like
 * every hypercall); the platform then sleeps in vcpu_wait, outside the
 * lock, before it answers the stub, and the stub sleeps on its mailbox
 * futex meanwhile: a blocked guest uses no CPU. As in Xen, the wake-up
 * state (wake_seq) is sampled before the last check for pending events, so
 * an event that arrives between the check and the sleep ends the sleep.
 */
#include <xen/errno.h>
#include <xen/sched.h>

#include "veneerd.h"

/* Record that v will sleep for `kind` once this hypercall is done. */
static void sched_begin(struct vcpu *v, enum vcpu_block_kind kind)
{
    pthread_mutex_lock(&v->run_lock);
    v->block_seq = __atomic_load_n(&v->wake_seq, __ATOMIC_SEQ_CST);
    v->block_kind = kind;
    v->poll_port = -1;
    v->poll_timeout = 0;
    pthread_mutex_unlock(&v->run_lock);
}

/* The condition was met before sleeping: do not sleep after all. */
static void sched_cancel(struct vcpu *v)
{
    pthread_mutex_lock(&v->run_lock);
    v->block_kind = VCPU_BLOCK_NONE;
    v->poll_port = 0;
    pthread_mutex_unlock(&v->run_lock);
}

/*
 * sched_block - SCHEDOP_block: atomically re-enable upcalls (clear
 * evtchn_upcall_mask) and sleep until an event is deliverable; if one
 * already is, return at once (it is delivered on the way out).
 * Return values: 0.
 */
int64_t sched_block(struct vcpu *v)
{
    struct vcpu_info *vi = upcall_vcpu_info(v);

    sched_begin(v, VCPU_BLOCK_EVENT);
    __atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    if (upcall_deliverable(v))
        sched_cancel(v);
    return 0;
}

/*
 * sched_poll - SCHEDOP_poll: sleep until one of the ports is pending, an
 * event is deliverable to v, or system time reaches the timeout (0: none).
 * Polling never changes evtchn_upcall_mask. With one port, only that port
 * (or an event for v) wakes it; with several, any port of the domain going
 * pending does, as in Xen.
 *
 * Return values: 0; -EFAULT for an unreadable argument or port array;
 * -EINVAL for more than SCHED_POLL_MAX_PORTS ports or a port beyond the
 * domain's table.
 */
int64_t sched_poll(struct vcpu *v, gva_t arg)
{
    uint32_t ports[SCHED_POLL_MAX_PORTS];
    struct sched_poll p;

    if (gmem_copy_from(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > SCHED_POLL_MAX_PORTS)
        return -XEN_EINVAL;
    if (gmem_copy_from(v, ports, p.ports, p.nr_ports * sizeof(*ports)))
        return -XEN_EFAULT;
    sched_begin(v, VCPU_BLOCK_POLL);
    if (upcall_deliverable(v)) {
        sched_cancel(v);
        return 0;
    }
    for (uint32_t i = 0; i < p.nr_ports; i++) {
        if (!evtchn_port_valid(v->dom, ports[i])) {
            sched_cancel(v);
            return -XEN_EINVAL;
        }
        if (evtchn_port_pending(v->dom, ports[i])) {
            sched_cancel(v);
            return 0;
        }
    }
    pthread_mutex_lock(&v->run_lock);
    if (p.nr_ports == 1)
        v->poll_port = ports[0];
    v->poll_timeout = p.timeout;
    pthread_mutex_unlock(&v->run_lock);
    return 0;
}
