/* SPDX-License-Identifier: MIT */
/*
 * Event channels: the domain's port table and event_channel_op
 * (hypercall 32), XEN-ABI-FACTS §4. This first cut binds VIRQs (enough for
 * VIRQ_TIMER), unmasks, sends and closes; the port table, the state
 * machine and evtchn_set_pending are shaped for interdomain, IPI and
 * unbound ports to follow. The bit work is evtchn_2l.c's.
 *
 * Locking: d->evtchn_lock guards the table and each vCPU's virq_to_evtchn;
 * it is taken before any vCPU's run_lock (vcpu_kick), never after.
 */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "veneerd.h"

/* Port states, as Xen's ECS_* (EVTCHNSTAT_* on the wire). */
enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED, /* port 0 */
    ECS_VIRQ,
};

struct evtchn {
    uint8_t state; /* enum evtchn_state */
    uint8_t pad;
    uint16_t notify_vcpu; /* the vCPU whose vcpu_info gets the selector */
    uint32_t virq;        /* ECS_VIRQ: which */
};

/* VIRQs bound once per vCPU (class V, XEN-ABI-FACTS §4.3); the others are
 * bound on vCPU 0 only. */
static bool evtchn_virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
           virq != VIRQ_XENPMU;
}

/*
 * evtchn_domain_init - give d an empty port table (port 0 reserved).
 * Return values: 0; -ENOMEM.
 */
int evtchn_domain_init(struct domain *d)
{
    d->evtchns = calloc(VN_EVTCHN_MAX_PORTS, sizeof(*d->evtchns));
    if (!d->evtchns)
        return -XEN_ENOMEM;
    d->evtchns[0].state = ECS_RESERVED;
    pthread_mutex_init(&d->evtchn_lock, NULL);
    return 0;
}

/* evtchn_domain_reset - close every port (a restart in place). */
void evtchn_domain_reset(struct domain *d)
{
    memset(d->evtchns, 0, VN_EVTCHN_MAX_PORTS * sizeof(*d->evtchns));
    d->evtchns[0].state = ECS_RESERVED;
}

/* evtchn_domain_destroy - free d's port table (NULL-safe, once). */
void evtchn_domain_destroy(struct domain *d)
{
    if (!d->evtchns)
        return;
    free(d->evtchns);
    d->evtchns = NULL;
    pthread_mutex_destroy(&d->evtchn_lock);
}

/* Xen's port_is_valid: the port exists in the table (it may be free). */
bool evtchn_port_valid(const struct domain *d, uint32_t port)
{
    (void)d; /* one limit for every domain, for now */
    return port < VN_EVTCHN_MAX_PORTS;
}

/* Is `port` (valid) pending in shared_info? For SCHEDOP_poll. */
bool evtchn_port_pending(struct domain *d, uint32_t port)
{
    return evtchn_2l_is_pending(upcall_shared_info(d), port);
}

/*
 * Raise a bound port on its vCPU: the 2-level bits, then Xen's
 * vcpu_mark_events_pending (kick on 0 -> 1) and the poller check.
 * Called with evtchn_lock held.
 */
static void evtchn_set_pending_locked(struct domain *d, uint32_t port)
{
    struct vcpu *v = &d->vcpus[d->evtchns[port].notify_vcpu];
    unsigned int r;

    r = evtchn_2l_set_pending(upcall_shared_info(d), upcall_vcpu_info(v), port);
    if (r & EVTCHN_2L_NOTIFY)
        vcpu_kick(v);
    if (r & EVTCHN_2L_NEWLY_PENDING)
        vcpu_wake_pollers(d, port);
}

/*
 * evtchn_set_pending - raise `port` of d on the vCPU it notifies (Xen's
 * evtchn_port_set_pending): sets the pending bit, then the selector and
 * upcall_pending as the 2-level ABI says, and kicks or wakes the vCPU.
 * A port out of range or not bound is ignored.
 */
void evtchn_set_pending(struct domain *d, uint32_t port)
{
    pthread_mutex_lock(&d->evtchn_lock);
    if (evtchn_port_valid(d, port) && d->evtchns[port].state != ECS_FREE &&
        d->evtchns[port].state != ECS_RESERVED)
        evtchn_set_pending_locked(d, port);
    pthread_mutex_unlock(&d->evtchn_lock);
}

/*
 * evtchn_send_virq - raise per-vCPU VIRQ `virq` on v; dropped if the guest
 * has not bound it (Xen's send_guest_vcpu_virq).
 */
void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->dom;
    uint32_t port;

    pthread_mutex_lock(&d->evtchn_lock);
    port = v->virq_to_evtchn[virq];
    if (port != 0)
        evtchn_set_pending_locked(d, port);
    pthread_mutex_unlock(&d->evtchn_lock);
}

/* Lowest free port, or -ENOSPC. Called with evtchn_lock held. */
static int64_t evtchn_get_free_port(struct domain *d)
{
    for (uint32_t p = 1; p < VN_EVTCHN_MAX_PORTS; p++)
        if (d->evtchns[p].state == ECS_FREE)
            return p;
    return -XEN_ENOSPC;
}

static int64_t evtchn_bind_virq(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_bind_virq b;
    int64_t rc;

    if (gmem_copy_from(cur, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    if (b.virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (evtchn_virq_is_global(b.virq) && b.vcpu != 0)
        return -XEN_EINVAL;
    if (b.vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    pthread_mutex_lock(&d->evtchn_lock);
    if (d->vcpus[b.vcpu].virq_to_evtchn[b.virq]) {
        rc = -XEN_EEXIST;
    } else {
        rc = evtchn_get_free_port(d);
    }
    if (rc > 0) {
        d->evtchns[rc] = (struct evtchn){
            .state = ECS_VIRQ, .notify_vcpu = (uint16_t)b.vcpu, .virq = b.virq};
        d->vcpus[b.vcpu].virq_to_evtchn[b.virq] = (uint32_t)rc;
        b.port = (uint32_t)rc;
    }
    pthread_mutex_unlock(&d->evtchn_lock);
    if (rc < 0)
        return rc;
    return gmem_copy_to(cur, arg + offsetof(struct evtchn_bind_virq, port),
                        &b.port, sizeof(b.port))
               ? -XEN_EFAULT
               : 0;
}

static int64_t evtchn_close(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_close c;
    struct evtchn *chn;
    int64_t rc = 0;

    if (gmem_copy_from(cur, &c, arg, sizeof(c)))
        return -XEN_EFAULT;
    if (!evtchn_port_valid(d, c.port))
        return -XEN_EINVAL;
    pthread_mutex_lock(&d->evtchn_lock);
    chn = &d->evtchns[c.port];
    switch (chn->state) {
    case ECS_VIRQ:
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i].virq_to_evtchn[chn->virq] == c.port)
                d->vcpus[i].virq_to_evtchn[chn->virq] = 0;
        evtchn_2l_clear_pending(upcall_shared_info(d), c.port);
        *chn = (struct evtchn){.state = ECS_FREE};
        break;
    default: /* free, or port 0 */
        rc = -XEN_EINVAL;
        break;
    }
    pthread_mutex_unlock(&d->evtchn_lock);
    return rc;
}

static int64_t evtchn_unmask(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_unmask u;
    struct vcpu *v;

    if (gmem_copy_from(cur, &u, arg, sizeof(u)))
        return -XEN_EFAULT;
    if (!evtchn_port_valid(d, u.port))
        return -XEN_EINVAL;
    pthread_mutex_lock(&d->evtchn_lock);
    v = &d->vcpus[d->evtchns[u.port].notify_vcpu];
    if (evtchn_2l_unmask(upcall_shared_info(d), upcall_vcpu_info(v), u.port))
        vcpu_kick(v);
    pthread_mutex_unlock(&d->evtchn_lock);
    return 0;
}

/* EVTCHNOP_send: VIRQ ports (the only bound kind yet) cannot be sent on. */
static int64_t evtchn_send(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_send snd;

    if (gmem_copy_from(cur, &snd, arg, sizeof(snd)))
        return -XEN_EFAULT;
    if (!evtchn_port_valid(d, snd.port))
        return -XEN_EINVAL;
    return -XEN_EINVAL;
}

/*
 * event_channel_op(cmd, arg) (hypercall 32).
 * Return values: per op; -ENOSYS for the ops not implemented yet (FIFO's
 * init_control among them, so guests fall back to 2-level).
 */
int64_t hc_event_channel_op(struct vcpu *v, const uint64_t a[5])
{
    switch ((int)a[0]) {
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(v, a[1]);
    case EVTCHNOP_close:
        return evtchn_close(v, a[1]);
    case EVTCHNOP_unmask:
        return evtchn_unmask(v, a[1]);
    case EVTCHNOP_send:
        return evtchn_send(v, a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
