/* SPDX-License-Identifier: MIT */
/*
 * Interdomain event channels, and the ops that may touch two domains:
 * alloc_unbound, bind_interdomain, close (the peer's end goes back to
 * unbound), send, status, reset, and the teardown of a dying domain's
 * ports. XEN-ABI-FACTS §4.2; error codes as Xen's event_channel.c.
 *
 * Lock order, for every path that holds more than one of these:
 *   1. evtchn_link_lock (global): held to make or break a link, to find a
 *      table by domain id, and by teardown. A table found under it stays
 *      alive until it is released, since freeing one needs it too.
 *   2. port-table locks, lower domain id first (dom0's first of all):
 *      only ever through evtchn_lock_pair.
 *   3. vCPU run_locks (vcpu_kick, vcpu_wake_pollers): leaves.
 * A domain's mm_lock, when held (every hypercall), comes before all of
 * them; no path here takes an mm_lock.
 *
 * Send takes only the sender's table lock: a link is only broken with
 * both tables' locks held, so while the sender holds its own, the peer's
 * port, table and domain stay (teardown closes every link before a
 * domain's process or memory is released).
 */
#include <string.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "veneerd.h"

static pthread_mutex_t evtchn_link_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every live table, dom0's included; under evtchn_link_lock. */
static struct evtchn_table *evtchn_tables[VN_MAX_DOMAINS + 1];

/*
 * evtchn_link_register - make t findable by its domain id (once, after
 * evtchn_table_init). A full registry cannot happen: there is one slot per
 * domain veneerd can host, plus dom0's.
 */
void evtchn_link_register(struct evtchn_table *t)
{
    pthread_mutex_lock(&evtchn_link_lock);
    for (unsigned int i = 0; i <= VN_MAX_DOMAINS && !t->registered; i++) {
        if (!evtchn_tables[i]) {
            evtchn_tables[i] = t;
            t->registered = true;
        }
    }
    pthread_mutex_unlock(&evtchn_link_lock);
}

/* The live table of domain id, or NULL. Called with the link lock. */
static struct evtchn_table *evtchn_link_find(domid_t id)
{
    for (unsigned int i = 0; i <= VN_MAX_DOMAINS; i++) {
        struct evtchn_table *t = evtchn_tables[i];
        if (t && t->id == id && !t->dying)
            return t;
    }
    return NULL;
}

/*
 * evtchn_lock_pair - lock the port tables of two domains (one lock if they
 * are the same) in the fixed order: lower domain id first. Every path that
 * holds two table locks takes them here, with the link lock held.
 */
static void evtchn_lock_pair(struct evtchn_table *a, struct evtchn_table *b)
{
    struct evtchn_table *first = a->id <= b->id ? a : b;
    struct evtchn_table *second = first == a ? b : a;

    pthread_mutex_lock(&first->lock);
    if (second != first)
        pthread_mutex_lock(&second->lock);
}

static void evtchn_unlock_pair(struct evtchn_table *a, struct evtchn_table *b)
{
    if (a != b)
        pthread_mutex_unlock(&b->lock);
    pthread_mutex_unlock(&a->lock);
}

/* A new port's entry: state and peer, plus dom0's fields from tmpl. */
static struct evtchn evtchn_new_port(const struct evtchn *tmpl, uint8_t state,
                                     domid_t remote_dom)
{
    struct evtchn e = {.state = state, .remote_dom = remote_dom};

    if (tmpl) {
        e.notify_fd = tmpl->notify_fd;
        e.send_fd = tmpl->send_fd;
        e.owner = tmpl->owner;
    }
    return e;
}

/*
 * evtchn_alloc_unbound_port - a new port of t, unbound, that domain
 * `remote` may bind to (Xen's evtchn_alloc_unbound, after its checks).
 * tmpl (or NULL) gives a dom0 port its eventfds and owner.
 * Return values: the port; -ENOSPC; -EINVAL if t is being torn down.
 */
int64_t evtchn_alloc_unbound_port(struct evtchn_table *t, domid_t remote,
                                  const struct evtchn *tmpl)
{
    int64_t rc;

    pthread_mutex_lock(&t->lock);
    rc = evtchn_get_free_port(t);
    if (rc > 0) {
        struct evtchn e = evtchn_new_port(tmpl, ECS_UNBOUND, remote);
        evtchn_port_set(t, (uint32_t)rc, &e);
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

/* Link l's free port lport with r's unbound port rport (both locked). The
 * unbound end keeps the vCPU it notifies; the new end notifies vCPU 0. */
static void evtchn_link(struct evtchn_table *l, uint32_t lport,
                        struct evtchn_table *r, uint32_t rport,
                        const struct evtchn *tmpl)
{
    struct evtchn le = evtchn_new_port(tmpl, ECS_INTERDOMAIN, r->id);
    struct evtchn re = r->ports[rport];

    le.remote_port = rport;
    le.remote = r;
    re.state = ECS_INTERDOMAIN;
    re.remote_dom = l->id;
    re.remote_port = lport;
    re.remote = l;
    evtchn_port_set(l, lport, &le);
    evtchn_port_set(r, rport, &re);
}

/*
 * evtchn_bind_interdomain_port - connect a new port of l to port rport of
 * domain rdom, which must be unbound and allocated for l's domain (Xen's
 * evtchn_bind_interdomain). The new port is set pending at once: an event
 * sent on the unbound end before the bind is not lost.
 *
 * tmpl (or NULL) gives a dom0 port its eventfds and owner.
 *
 * Return values: the new local port; -ESRCH (no domain rdom); -ENOSPC (l
 * is full); -EINVAL (rport out of range, not unbound, or not for l).
 */
int64_t evtchn_bind_interdomain_port(struct evtchn_table *l, domid_t rdom,
                                     uint32_t rport, const struct evtchn *tmpl)
{
    struct evtchn_table *r;
    int64_t rc;

    pthread_mutex_lock(&evtchn_link_lock);
    r = rdom == l->id ? l : evtchn_link_find(rdom);
    if (!r) {
        pthread_mutex_unlock(&evtchn_link_lock);
        return -XEN_ESRCH;
    }
    evtchn_lock_pair(l, r);
    rc = evtchn_get_free_port(l);
    if (rc > 0 &&
        (rport >= r->nr_ports || r->ports[rport].state != ECS_UNBOUND ||
         r->ports[rport].remote_dom != l->id))
        rc = -XEN_EINVAL;
    if (rc > 0) {
        evtchn_link(l, (uint32_t)rc, r, rport, tmpl);
        evtchn_notify(l, (uint32_t)rc);
    }
    evtchn_unlock_pair(l, r);
    pthread_mutex_unlock(&evtchn_link_lock);
    return rc;
}

/*
 * Close t's port with the link lock held: a VIRQ port leaves its vCPU's
 * map, an interdomain port's peer goes back to unbound (waiting for t's
 * domain again, as Xen's __evtchn_close), then the port is freed.
 * Return values: 0; -EINVAL for a port out of range, free or reserved.
 */
static int64_t evtchn_close_linked(struct evtchn_table *t, uint32_t port)
{
    struct evtchn_table *r = t;
    struct evtchn *chn;
    int64_t rc = 0;

    if (port >= t->nr_ports)
        return -XEN_EINVAL;
    pthread_mutex_lock(&t->lock);
    /* Under the link lock an interdomain port stays linked to the same
     * peer, so it is safe to drop t's lock and take both in order. */
    if (t->ports[port].state == ECS_INTERDOMAIN && t->ports[port].remote != t) {
        r = t->ports[port].remote;
        pthread_mutex_unlock(&t->lock);
        evtchn_lock_pair(t, r);
    }
    chn = &t->ports[port];
    switch (chn->state) {
    case ECS_VIRQ:
        for (unsigned int i = 0; t->dom && i < t->dom->nr_vcpus; i++)
            if (t->dom->vcpus[i].virq_to_evtchn[chn->virq] == port)
                t->dom->vcpus[i].virq_to_evtchn[chn->virq] = 0;
        break;
    case ECS_UNBOUND:
    case ECS_IPI:
        break;
    case ECS_INTERDOMAIN: {
        struct evtchn re = chn->remote->ports[chn->remote_port];
        re.state = ECS_UNBOUND;
        re.remote_dom = t->id;
        re.remote_port = 0;
        re.remote = NULL;
        evtchn_port_set(chn->remote, chn->remote_port, &re);
        break;
    }
    default: /* free, or port 0 */
        rc = -XEN_EINVAL;
        break;
    }
    if (rc == 0)
        evtchn_port_free(t, port);
    evtchn_unlock_pair(t, r);
    return rc;
}

/*
 * evtchn_close_port - EVTCHNOP_close of t's port.
 * Return values: 0; -EINVAL (out of range, free or reserved).
 */
int64_t evtchn_close_port(struct evtchn_table *t, uint32_t port)
{
    int64_t rc;

    pthread_mutex_lock(&evtchn_link_lock);
    rc = evtchn_close_linked(t, port);
    pthread_mutex_unlock(&evtchn_link_lock);
    return rc;
}

/*
 * evtchn_send_port - EVTCHNOP_send on t's port: an interdomain port
 * raises the peer's port, an IPI port itself; on an unbound port the
 * event is dropped (Xen's evtchn_send).
 * Return values: 0; -EINVAL (out of range, or free, reserved or VIRQ).
 */
int64_t evtchn_send_port(struct evtchn_table *t, uint32_t port)
{
    struct evtchn *chn;
    int64_t rc = 0;

    if (port >= t->nr_ports)
        return -XEN_EINVAL;
    pthread_mutex_lock(&t->lock);
    chn = &t->ports[port];
    switch (chn->state) {
    case ECS_INTERDOMAIN:
        evtchn_notify(chn->remote, chn->remote_port);
        break;
    case ECS_IPI:
        evtchn_notify(t, port);
        break;
    case ECS_UNBOUND:
        break;
    default:
        rc = -XEN_EINVAL;
        break;
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

/* Close every port of t. Called with the link lock held. */
static void evtchn_close_all_linked(struct evtchn_table *t)
{
    for (uint32_t p = 1; p < t->nr_ports; p++)
        if (__atomic_load_n(&t->ports[p].state, __ATOMIC_RELAXED) != ECS_FREE)
            evtchn_close_linked(t, p);
}

/*
 * evtchn_link_teardown - close every port of t, its peers' ends becoming
 * unbound, and take no new port (t is dying: peers cannot find it, its
 * own hypercalls get -EINVAL) until evtchn_link_reopen. With unregister,
 * t also leaves the registry: it is about to be freed.
 */
void evtchn_link_teardown(struct evtchn_table *t, bool unregister)
{
    pthread_mutex_lock(&evtchn_link_lock);
    pthread_mutex_lock(&t->lock);
    t->dying = true;
    pthread_mutex_unlock(&t->lock);
    evtchn_close_all_linked(t);
    for (unsigned int i = 0; unregister && i <= VN_MAX_DOMAINS; i++)
        if (evtchn_tables[i] == t)
            evtchn_tables[i] = NULL;
    if (unregister)
        t->registered = false;
    pthread_mutex_unlock(&evtchn_link_lock);
}

/* evtchn_link_reopen - t (torn down, still registered) takes ports and
 * links again: its domain restarted in place. */
void evtchn_link_reopen(struct evtchn_table *t)
{
    pthread_mutex_lock(&evtchn_link_lock);
    pthread_mutex_lock(&t->lock);
    t->dying = false;
    pthread_mutex_unlock(&t->lock);
    pthread_mutex_unlock(&evtchn_link_lock);
}

/*
 * An unprivileged caller names another domain (by id, not DOMID_SELF):
 * -ESRCH if there is none, -EINVAL if `port` (when checked) is beyond its
 * table, else -EPERM (Xen's XSM_TARGET check for a domU).
 */
static int64_t evtchn_foreign(domid_t dom, bool check_port, uint32_t port)
{
    struct evtchn_table *r;
    int64_t rc = -XEN_EPERM;

    pthread_mutex_lock(&evtchn_link_lock);
    r = evtchn_link_find(dom);
    if (!r)
        rc = -XEN_ESRCH;
    else if (check_port && port >= r->nr_ports)
        rc = -XEN_EINVAL;
    pthread_mutex_unlock(&evtchn_link_lock);
    return rc;
}

static bool evtchn_is_self(const struct vcpu *v, domid_t dom)
{
    return dom == DOMID_SELF || dom == v->dom->id;
}

/*
 * EVTCHNOP_alloc_unbound. dom must be the caller (DOMID_SELF or its id);
 * remote_dom may be anything, DOMID_SELF meaning the caller (loopback).
 * Return values: 0; -ESRCH / -EPERM for another dom; -ENOSPC; -EFAULT.
 */
int64_t evtchn_op_alloc_unbound(struct vcpu *v, gva_t arg)
{
    struct evtchn_alloc_unbound a;
    domid_t remote;
    int64_t rc;

    if (gmem_copy_from(v, &a, arg, sizeof(a)))
        return -XEN_EFAULT;
    if (!evtchn_is_self(v, a.dom))
        return evtchn_foreign(a.dom, false, 0);
    remote = a.remote_dom == DOMID_SELF ? v->dom->id : a.remote_dom;
    rc = evtchn_alloc_unbound_port(&v->dom->evtchn, remote, NULL);
    if (rc < 0)
        return rc;
    a.port = (uint32_t)rc;
    return gmem_copy_to(v, arg, &a, sizeof(a)) ? -XEN_EFAULT : 0;
}

/*
 * EVTCHNOP_bind_interdomain (remote_dom DOMID_SELF: the caller).
 * Return values: 0; as evtchn_bind_interdomain_port; -EFAULT.
 */
int64_t evtchn_op_bind_interdomain(struct vcpu *v, gva_t arg)
{
    struct evtchn_bind_interdomain b;
    domid_t rdom;
    int64_t rc;

    if (gmem_copy_from(v, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    rdom = b.remote_dom == DOMID_SELF ? v->dom->id : b.remote_dom;
    rc = evtchn_bind_interdomain_port(&v->dom->evtchn, rdom, b.remote_port,
                                      NULL);
    if (rc < 0)
        return rc;
    b.local_port = (uint32_t)rc;
    return gmem_copy_to(v, arg, &b, sizeof(b)) ? -XEN_EFAULT : 0;
}

/* Fill s from t's port (t locked). */
static void evtchn_describe(const struct evtchn_table *t, uint32_t port,
                            struct evtchn_status *s)
{
    const struct evtchn *chn = &t->ports[port];

    switch (chn->state) {
    case ECS_UNBOUND:
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = chn->remote_dom;
        break;
    case ECS_INTERDOMAIN:
        s->status = EVTCHNSTAT_interdomain;
        s->u.interdomain.dom = chn->remote_dom;
        s->u.interdomain.port = chn->remote_port;
        break;
    case ECS_VIRQ:
        s->status = EVTCHNSTAT_virq;
        s->u.virq = chn->virq;
        break;
    case ECS_IPI:
        s->status = EVTCHNSTAT_ipi;
        break;
    default: /* free, or port 0 */
        s->status = EVTCHNSTAT_closed;
        break;
    }
    s->vcpu = chn->notify_vcpu;
}

/*
 * EVTCHNOP_status of one of the caller's ports.
 * Return values: 0; -EINVAL (port out of range); -ESRCH / -EPERM for
 * another dom; -EFAULT.
 */
int64_t evtchn_op_status(struct vcpu *v, gva_t arg)
{
    struct evtchn_table *t = &v->dom->evtchn;
    struct evtchn_status s;

    if (gmem_copy_from(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (!evtchn_is_self(v, s.dom))
        return evtchn_foreign(s.dom, true, s.port);
    if (s.port >= t->nr_ports)
        return -XEN_EINVAL;
    memset(&s.u, 0, sizeof(s.u));
    pthread_mutex_lock(&t->lock);
    evtchn_describe(t, s.port, &s);
    pthread_mutex_unlock(&t->lock);
    return gmem_copy_to(v, arg, &s, sizeof(s)) ? -XEN_EFAULT : 0;
}

/*
 * EVTCHNOP_reset: close every port of the caller (2-level is the only
 * ABI, so there is nothing else to return to).
 * Return values: 0; -ESRCH / -EPERM for another dom; -EFAULT.
 */
int64_t evtchn_op_reset(struct vcpu *v, gva_t arg)
{
    struct evtchn_reset r;

    if (gmem_copy_from(v, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (!evtchn_is_self(v, r.dom))
        return evtchn_foreign(r.dom, false, 0);
    pthread_mutex_lock(&evtchn_link_lock);
    evtchn_close_all_linked(&v->dom->evtchn);
    pthread_mutex_unlock(&evtchn_link_lock);
    return 0;
}
