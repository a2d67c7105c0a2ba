/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous EVTCHNOP_send, veneerd's side (the protocol is in
 * stub_abi.h; the stub's side is stub/stub_evtchn.c): the bitmap of ports
 * a send on which may be posted without waiting, kept in the mailbox's
 * event page, and the draining of each vCPU's send ring.
 *
 * veneerd only ever writes the bitmap, and treats each ring entry as a
 * fresh EVTCHNOP_send checked against its own port table: whatever the
 * guest writes there, it can only send on its own ports.
 *
 * $VENEER_EVTCHN_SEND=sync keeps the bitmap empty, so that every send is
 * a hypercall (for measuring one against the other: bench/evbench.c).
 */
#include <stdlib.h>
#include <string.h>

#include "veneerd.h"

/* Is the asynchronous path on? Read once. */
static bool evtchn_fast_enabled(void)
{
    static int enabled = -1;

    if (enabled < 0) {
        const char *mode = getenv("VENEER_EVTCHN_SEND");
        enabled = !(mode && strcmp(mode, "sync") == 0);
    }
    return enabled;
}

/* Ports whose send returns 0 whatever happens to the event. */
static bool evtchn_fast_sendable(const struct evtchn *chn)
{
    return chn->state == ECS_UNBOUND || chn->state == ECS_INTERDOMAIN ||
           chn->state == ECS_IPI;
}

/*
 * evtchn_fast_update - publish whether a send on t's port may be posted.
 * Called with t's lock held, after every change of the port's state.
 */
void evtchn_fast_update(struct evtchn_table *t, uint32_t port)
{
    uint64_t bit = 1ull << (port % 64);
    uint64_t *word;

    if (!t->fast_map || port >= STUB_EVTCHN_PORTS)
        return;
    word = &t->fast_map[port / 64];
    if (evtchn_fast_sendable(&t->ports[port]))
        __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
}

/*
 * evtchn_fast_attach - d's mailbox is mapped (its process is starting):
 * publish its sendable ports in the event page at map, and start its
 * vCPUs' rings from empty (a new mailbox file is all zeroes).
 */
void evtchn_fast_attach(struct domain *d, uint64_t *map)
{
    struct evtchn_table *t = &d->evtchn;

    pthread_mutex_lock(&t->lock);
    memset(map, 0, STUB_EVTCHN_PORTS / 8);
    t->fast_map = evtchn_fast_enabled() ? map : NULL;
    for (uint32_t p = 0; p < t->nr_ports; p++)
        evtchn_fast_update(t, p);
    for (unsigned int i = 0; i < STUB_MAX_VCPUS; i++)
        d->vcpus[i].send_cons = 0;
    pthread_mutex_unlock(&t->lock);
}

/* evtchn_fast_detach - d's mailbox is about to be unmapped. */
void evtchn_fast_detach(struct domain *d)
{
    pthread_mutex_lock(&d->evtchn.lock);
    d->evtchn.fast_map = NULL;
    pthread_mutex_unlock(&d->evtchn.lock);
}

static struct stub_send_ring *evtchn_fast_ring(struct vcpu *v)
{
    return (struct stub_send_ring *)((uint8_t *)v->mbox +
                                     STUB_SEND_RING_OFFSET);
}

/* evtchn_fast_pending - has v's stub posted sends not drained yet? */
bool evtchn_fast_pending(struct vcpu *v)
{
    return v->mbox && __atomic_load_n(&evtchn_fast_ring(v)->prod,
                                      __ATOMIC_SEQ_CST) != v->send_cons;
}

/*
 * evtchn_fast_drain - run the sends v's stub posted, in order, each as an
 * EVTCHNOP_send whose result nobody waits for (a bad port is dropped).
 * At most VN_EVTCHN_DRAIN_MAX per call: a producer index the guest moved
 * further than the ring holds skips the entries it never wrote. Called
 * by v's server thread only, before each request it serves and while it
 * waits for one.
 */
void evtchn_fast_drain(struct vcpu *v)
{
    struct stub_send_ring *ring;
    uint32_t prod, n;

    if (!v->mbox)
        return;
    ring = evtchn_fast_ring(v);
    prod = __atomic_load_n(&ring->prod, __ATOMIC_ACQUIRE);
    n = prod - v->send_cons;
    if (n == 0)
        return;
    if (n > VN_EVTCHN_DRAIN_MAX) {
        v->send_cons = prod - VN_EVTCHN_DRAIN_MAX;
        n = VN_EVTCHN_DRAIN_MAX;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t slot = (v->send_cons + i) & (STUB_SEND_RING_SIZE - 1);
        evtchn_send_port(&v->dom->evtchn,
                         __atomic_load_n(&ring->port[slot], __ATOMIC_RELAXED));
    }
    v->send_cons = prod;
    __atomic_store_n(&ring->cons, prod, __ATOMIC_RELEASE);
}
