/* SPDX-License-Identifier: MIT */
/*
 * Event channels: port tables, the ports that stay inside one domain
 * (VIRQ and IPI), delivery, and the event_channel_op dispatcher
 * (hypercall 32, XEN-ABI-FACTS §4). Interdomain channels, send, close,
 * status and reset are evtchn_link.c's; dom0's ports evtchn_dom0.c's; the
 * stub's asynchronous sends evtchn_fast.c's; the bit work evtchn_2l.c's.
 *
 * Locking (the whole order is in evtchn_link.c): a table's lock guards
 * its ports[] and its vCPUs' virq_to_evtchn; it is taken after the
 * domain's mm_lock and before any vCPU's run_lock (vcpu_kick), never the
 * other way round.
 */
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "veneerd.h"

/* VIRQs bound once per vCPU (class V, XEN-ABI-FACTS §4.3); the others are
 * bound on vCPU 0 only, and may then be moved with bind_vcpu. */
static bool evtchn_virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
           virq != VIRQ_XENPMU;
}

/*
 * evtchn_table_init - an empty table of nr_ports ports (port 0 reserved)
 * for domain id; d is the guest, or NULL for dom0.
 * Return values: 0; -ENOMEM.
 */
int evtchn_table_init(struct evtchn_table *t, domid_t id, struct domain *d,
                      uint32_t nr_ports)
{
    memset(t, 0, sizeof(*t));
    t->ports = calloc(nr_ports, sizeof(*t->ports));
    if (!t->ports)
        return -XEN_ENOMEM;
    t->id = id;
    t->dom = d;
    t->nr_ports = nr_ports;
    t->ports[0].state = ECS_RESERVED;
    pthread_mutex_init(&t->lock, NULL);
    return 0;
}

/*
 * evtchn_domain_init - give d (registered: it has its id) an empty port
 * table of VN_EVTCHN_MAX_PORTS, findable by its peers.
 * Return values: 0; -ENOMEM.
 */
int evtchn_domain_init(struct domain *d)
{
    int rc;

    if (!evtchn_dom0_table()) /* dom0 is every guest's possible peer */
        return -XEN_ENOMEM;
    rc = evtchn_table_init(&d->evtchn, d->id, d, VN_EVTCHN_MAX_PORTS);

    if (rc == 0)
        evtchn_link_register(&d->evtchn);
    return rc;
}

/*
 * evtchn_domain_close - close every port of a domain that is stopping:
 * the peers' ends of its channels become unbound, as when a Xen domain
 * goes away, and it takes no new port. Call it before the domain's
 * process and memory are released: nothing of another domain can reach
 * them after it.
 */
void evtchn_domain_close(struct domain *d)
{
    if (d->evtchn.ports)
        evtchn_link_teardown(&d->evtchn, false);
}

/* evtchn_domain_reset - a closed domain restarts in place: it takes ports
 * again (its server threads are gone). */
void evtchn_domain_reset(struct domain *d)
{
    if (!d->evtchn.ports)
        return;
    evtchn_link_teardown(&d->evtchn, false);
    evtchn_link_reopen(&d->evtchn);
}

/* evtchn_domain_destroy - close every port for good and free the table
 * (NULL-safe, once). Its server threads must be gone. */
void evtchn_domain_destroy(struct domain *d)
{
    if (!d->evtchn.ports)
        return;
    evtchn_link_teardown(&d->evtchn, true);
    free(d->evtchn.ports);
    d->evtchn.ports = NULL;
    pthread_mutex_destroy(&d->evtchn.lock);
}

/* Xen's port_is_valid: the port exists in the table (it may be free). */
bool evtchn_port_valid(const struct domain *d, uint32_t port)
{
    return port < d->evtchn.nr_ports;
}

/* Is `port` (valid) pending in shared_info? For SCHEDOP_poll. */
bool evtchn_port_pending(struct domain *d, uint32_t port)
{
    return evtchn_2l_is_pending(upcall_shared_info(d), port);
}

/*
 * evtchn_notify - raise bound `port` of table t (Xen's
 * evtchn_port_set_pending): for a guest, the 2-level bits on the vCPU the
 * port notifies, a kick on upcall_pending 0 -> 1, then its pollers; for
 * dom0, a write to the port's eventfd.
 *
 * Called with the lock of t or of the table sending to t (a linked peer:
 * the link, and so t's port, cannot go while that lock is held). It
 * reads notify_vcpu atomically, since bind_vcpu changes it under t's lock.
 */
void evtchn_notify(struct evtchn_table *t, uint32_t port)
{
    struct domain *d = t->dom;
    struct vcpu *v;
    unsigned int r;

    if (!d) {
        evtchn_dom0_notify(port);
        return;
    }
    v = &d->vcpus[__atomic_load_n(&t->ports[port].notify_vcpu,
                                  __ATOMIC_RELAXED)];
    r = evtchn_2l_set_pending(upcall_shared_info(d), upcall_vcpu_info(v), port);
    if (r & EVTCHN_2L_NOTIFY)
        vcpu_kick(v);
    if (r & EVTCHN_2L_NEWLY_PENDING)
        vcpu_wake_pollers(d, port);
}

/*
 * evtchn_set_pending - raise `port` of d on the vCPU it notifies. A port
 * out of range or not bound is ignored.
 */
void evtchn_set_pending(struct domain *d, uint32_t port)
{
    struct evtchn_table *t = &d->evtchn;

    pthread_mutex_lock(&t->lock);
    if (port < t->nr_ports && t->ports[port].state != ECS_FREE &&
        t->ports[port].state != ECS_RESERVED)
        evtchn_notify(t, port);
    pthread_mutex_unlock(&t->lock);
}

/*
 * evtchn_send_virq - raise per-vCPU VIRQ `virq` on v; dropped if the guest
 * has not bound it (Xen's send_guest_vcpu_virq).
 */
void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    struct evtchn_table *t = &v->dom->evtchn;
    uint32_t port;

    pthread_mutex_lock(&t->lock);
    port = v->virq_to_evtchn[virq];
    if (port != 0)
        evtchn_notify(t, port);
    pthread_mutex_unlock(&t->lock);
}

/*
 * evtchn_get_free_port - the lowest free port of t (Xen's get_free_port).
 * Return values: the port; -ENOSPC when all are taken; -EINVAL while t is
 * being torn down. Called with t's lock held.
 */
int64_t evtchn_get_free_port(struct evtchn_table *t)
{
    if (t->dying)
        return -XEN_EINVAL;
    for (uint32_t p = 1; p < t->nr_ports; p++)
        if (t->ports[p].state == ECS_FREE)
            return p;
    return -XEN_ENOSPC;
}

/* evtchn_port_set - make t's port e, and tell the stub whether a send on
 * it may be posted without waiting. Called with t's lock held. */
void evtchn_port_set(struct evtchn_table *t, uint32_t port,
                     const struct evtchn *e)
{
    t->ports[port] = *e;
    evtchn_fast_update(t, port);
}

/*
 * evtchn_port_free - t's port becomes free, notifying vCPU 0 again, with
 * its pending bit cleared so that a later binding starts clean (Xen's
 * free_evtchn). Called with t's lock held.
 */
void evtchn_port_free(struct evtchn_table *t, uint32_t port)
{
    static const struct evtchn free_port = {.state = ECS_FREE};

    if (t->dom)
        evtchn_2l_clear_pending(upcall_shared_info(t->dom), port);
    evtchn_port_set(t, port, &free_port);
}

/* ---- the ops on local ports ---- */

/* Copy a whole argument struct back, as Xen's __copy_to_guest does. */
static int64_t evtchn_copy_out(struct vcpu *v, gva_t arg, const void *s,
                               size_t len)
{
    return gmem_copy_to(v, arg, s, len) ? -XEN_EFAULT : 0;
}

static int64_t evtchn_op_bind_virq(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_table *t = &d->evtchn;
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
    pthread_mutex_lock(&t->lock);
    if (d->vcpus[b.vcpu].virq_to_evtchn[b.virq])
        rc = -XEN_EEXIST;
    else
        rc = evtchn_get_free_port(t);
    if (rc > 0) {
        struct evtchn e = {
            .state = ECS_VIRQ, .notify_vcpu = (uint16_t)b.vcpu, .virq = b.virq};
        evtchn_port_set(t, (uint32_t)rc, &e);
        d->vcpus[b.vcpu].virq_to_evtchn[b.virq] = (uint32_t)rc;
        b.port = (uint32_t)rc;
    }
    pthread_mutex_unlock(&t->lock);
    return rc < 0 ? rc : evtchn_copy_out(cur, arg, &b, sizeof(b));
}

static int64_t evtchn_op_bind_ipi(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_table *t = &d->evtchn;
    struct evtchn_bind_ipi b;
    int64_t rc;

    if (gmem_copy_from(cur, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    if (b.vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    pthread_mutex_lock(&t->lock);
    rc = evtchn_get_free_port(t);
    if (rc > 0) {
        struct evtchn e = {.state = ECS_IPI, .notify_vcpu = (uint16_t)b.vcpu};
        evtchn_port_set(t, (uint32_t)rc, &e);
        b.port = (uint32_t)rc;
    }
    pthread_mutex_unlock(&t->lock);
    return rc < 0 ? rc : evtchn_copy_out(cur, arg, &b, sizeof(b));
}

/*
 * EVTCHNOP_bind_vcpu: unbound, interdomain and global-VIRQ ports may move;
 * IPI and per-vCPU VIRQ ports may not (Xen's evtchn_bind_vcpu).
 */
static int64_t evtchn_op_bind_vcpu(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_table *t = &d->evtchn;
    struct evtchn_bind_vcpu b;
    struct evtchn *chn;
    int64_t rc = 0;

    if (gmem_copy_from(cur, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    if (b.vcpu >= d->nr_vcpus)
        return -XEN_ENOENT;
    if (b.port >= t->nr_ports)
        return -XEN_EINVAL;
    pthread_mutex_lock(&t->lock);
    chn = &t->ports[b.port];
    if ((chn->state == ECS_VIRQ && evtchn_virq_is_global(chn->virq)) ||
        chn->state == ECS_UNBOUND || chn->state == ECS_INTERDOMAIN)
        __atomic_store_n(&chn->notify_vcpu, (uint16_t)b.vcpu, __ATOMIC_RELAXED);
    else
        rc = -XEN_EINVAL;
    pthread_mutex_unlock(&t->lock);
    return rc;
}

/* EVTCHNOP_unmask: a free port's bits are left alone (Xen's
 * evtchn_usable); any other valid port is unmasked, re-raising an event
 * that arrived while it was masked. */
static int64_t evtchn_op_unmask(struct vcpu *cur, gva_t arg)
{
    struct domain *d = cur->dom;
    struct evtchn_table *t = &d->evtchn;
    struct evtchn_unmask u;
    struct vcpu *v;

    if (gmem_copy_from(cur, &u, arg, sizeof(u)))
        return -XEN_EFAULT;
    if (u.port >= t->nr_ports)
        return -XEN_EINVAL;
    pthread_mutex_lock(&t->lock);
    v = &d->vcpus[t->ports[u.port].notify_vcpu];
    if (t->ports[u.port].state != ECS_FREE &&
        evtchn_2l_unmask(upcall_shared_info(d), upcall_vcpu_info(v), u.port))
        vcpu_kick(v);
    pthread_mutex_unlock(&t->lock);
    return 0;
}

static int64_t evtchn_op_close(struct vcpu *cur, gva_t arg)
{
    struct evtchn_close c;

    if (gmem_copy_from(cur, &c, arg, sizeof(c)))
        return -XEN_EFAULT;
    return evtchn_close_port(&cur->dom->evtchn, c.port);
}

static int64_t evtchn_op_send(struct vcpu *cur, gva_t arg)
{
    struct evtchn_send s;

    if (gmem_copy_from(cur, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    return evtchn_send_port(&cur->dom->evtchn, s.port);
}

typedef int64_t (*evtchn_op_fn)(struct vcpu *v, gva_t arg);

/* The ops, indexed by command. Unlisted ones (bind_pirq: no physical
 * IRQs; FIFO's init_control, so that guests fall back to 2-level) are
 * -ENOSYS. */
static const evtchn_op_fn evtchn_ops[] = {
    [EVTCHNOP_bind_interdomain] = evtchn_op_bind_interdomain,
    [EVTCHNOP_bind_virq] = evtchn_op_bind_virq,
    [EVTCHNOP_close] = evtchn_op_close,
    [EVTCHNOP_send] = evtchn_op_send,
    [EVTCHNOP_status] = evtchn_op_status,
    [EVTCHNOP_alloc_unbound] = evtchn_op_alloc_unbound,
    [EVTCHNOP_bind_ipi] = evtchn_op_bind_ipi,
    [EVTCHNOP_bind_vcpu] = evtchn_op_bind_vcpu,
    [EVTCHNOP_unmask] = evtchn_op_unmask,
    [EVTCHNOP_reset] = evtchn_op_reset,
};

/*
 * event_channel_op(cmd, arg) (hypercall 32). cmd is an int, as in Xen.
 * Return values: per op (each copies its struct in, checks it, acts and
 * copies it back); -EFAULT for an argument that cannot be read or
 * written; -ENOSYS for the ops not implemented.
 */
int64_t hc_event_channel_op(struct vcpu *v, const uint64_t a[5])
{
    uint32_t cmd = (uint32_t)a[0];

    if (cmd >= sizeof(evtchn_ops) / sizeof(evtchn_ops[0]) || !evtchn_ops[cmd])
        return -XEN_ENOSYS;
    return evtchn_ops[cmd](v, a[1]);
}
