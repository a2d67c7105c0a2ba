/* SPDX-License-Identifier: MIT */
/*
 * Event channels and the event upcall; see <veneer/evtchn.h>.
 */
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/version.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/shinfo.h>

#define EVTCHN_WORD_BITS 64
#define EVTCHN_NR_WORDS  64 /* 2-level ABI: 64 words of 64 ports */

static struct {
    evtchn_handler_t fn;
    void *data;
} evtchn_handlers[EVTCHN_MAX_PORTS];

static int evtchn_ready;

struct evtchn_stats evtchn_stats;

/* One port's handler, or a count of the spurious event. */
static void evtchn_dispatch(evtchn_port_t port, struct trap_frame *f)
{
    evtchn_stats.events++;
    if (port < EVTCHN_MAX_PORTS && evtchn_handlers[port].fn) {
        evtchn_handlers[port].fn(port, f, evtchn_handlers[port].data);
        return;
    }
    evtchn_stats.spurious++;
}

/* Handle the pending, unmasked ports of selector word i. */
static void evtchn_scan_word(unsigned int i, struct trap_frame *f)
{
    uint64_t bits =
        __atomic_load_n(&shinfo->evtchn_pending[i], __ATOMIC_ACQUIRE) &
        ~__atomic_load_n(&shinfo->evtchn_mask[i], __ATOMIC_RELAXED);

    while (bits) {
        unsigned int j = (unsigned int)__builtin_ctzll(bits);

        bits &= bits - 1;
        /* Clear before dispatching: an event that arrives while the
         * handler runs sets the bit again and is seen on the next pass. */
        __atomic_fetch_and(&shinfo->evtchn_pending[i], ~(1ULL << j),
                           __ATOMIC_SEQ_CST);
        evtchn_dispatch(i * EVTCHN_WORD_BITS + j, f);
    }
}

void evtchn_do_upcall(struct trap_frame *f)
{
    struct vcpu_info *vi = shinfo_vcpu();

    evtchn_stats.upcalls++;
    /* XEN-ABI-FACTS §4.4: clear upcall_pending, then take the selector;
     * repeat while the hypervisor raised upcall_pending again. The iret
     * that follows re-checks once more: it unmasks upcalls and the
     * hypervisor delivers whatever arrived after the last pass. */
    do {
        uint64_t sel;

        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int i = (unsigned int)__builtin_ctzll(sel);

            sel &= sel - 1;
            evtchn_scan_word(i, f);
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

/* Register the event and failsafe callbacks, as callback_op or, on a
 * hypervisor without it, set_callbacks. */
static int evtchn_register_callbacks(void)
{
    struct callback_register ev = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (uintptr_t)trap_entry_upcall,
    };
    struct callback_register fs = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (uintptr_t)trap_entry_failsafe,
    };
    long rc;

    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &ev);
    if (rc == -XEN_ENOSYS)
        return (int)HYPERVISOR_set_callbacks((uintptr_t)trap_entry_upcall,
                                             (uintptr_t)trap_entry_failsafe, 0);
    if (rc == 0)
        rc = HYPERVISOR_callback_op(CALLBACKOP_register, &fs);
    return (int)rc;
}

int evtchn_init(void)
{
    int rc;

    if (evtchn_ready)
        return 0;
    rc = trap_init();
    if (rc < 0)
        return rc;
    /* No port may raise an upcall before it has a handler. */
    for (unsigned int i = 0; i < EVTCHN_NR_WORDS; i++)
        __atomic_store_n(&shinfo->evtchn_mask[i], ~0ULL, __ATOMIC_SEQ_CST);
    trap_set_upcall(evtchn_do_upcall);
    rc = evtchn_register_callbacks();
    if (rc == 0)
        evtchn_ready = 1;
    return rc;
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *data)
{
    int prev;

    if (port >= EVTCHN_MAX_PORTS)
        return -XEN_EINVAL;
    if (!shinfo) {
        evtchn_handlers[port].data = data;
        evtchn_handlers[port].fn = h;
        return 0;
    }
    /* An upcall between the two stores would see a half-set entry. */
    prev = evtchn_upcalls_mask();
    evtchn_handlers[port].data = data;
    evtchn_handlers[port].fn = h;
    evtchn_upcalls_restore(prev);
    return 0;
}

/* A port the hypervisor just made: install h and unmask it, or close it
 * again. */
static int evtchn_attach(evtchn_port_t p, evtchn_handler_t h, void *data,
                         evtchn_port_t *port)
{
    long rc;

    if (evtchn_set_handler(p, h, data) < 0) {
        evtchn_close(p);
        return -XEN_ENOSPC;
    }
    rc = evtchn_unmask(p);
    if (rc < 0) {
        evtchn_close(p);
        return (int)rc;
    }
    if (port)
        *port = p;
    return 0;
}

int evtchn_bind_virq(uint32_t virq, evtchn_handler_t h, void *data,
                     evtchn_port_t *port)
{
    struct evtchn_bind_virq bind = {.virq = virq, .vcpu = 0};
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind);
    if (rc < 0)
        return (int)rc;
    return evtchn_attach(bind.port, h, data, port);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *data,
                         evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = {.dom = DOMID_SELF, .remote_dom = remote};
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);
    if (rc < 0)
        return (int)rc;
    return evtchn_attach(op.port, h, data, port);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                            evtchn_handler_t h, void *data, evtchn_port_t *port)
{
    struct evtchn_bind_interdomain op = {.remote_dom = remote,
                                         .remote_port = remote_port};
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);
    if (rc < 0)
        return (int)rc;
    return evtchn_attach(op.local_port, h, data, port);
}

int evtchn_bind_ipi(uint32_t vcpu, evtchn_handler_t h, void *data,
                    evtchn_port_t *port)
{
    struct evtchn_bind_ipi op = {.vcpu = vcpu};
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);
    if (rc < 0)
        return (int)rc;
    return evtchn_attach(op.port, h, data, port);
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_status(evtchn_port_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){.dom = DOMID_SELF, .port = port};
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = {.port = port, .vcpu = vcpu};

    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long evtchn_reset(void)
{
    struct evtchn_reset op = {.dom = DOMID_SELF};
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op);

    for (evtchn_port_t p = 0; rc == 0 && p < EVTCHN_MAX_PORTS; p++)
        evtchn_set_handler(p, NULL, NULL);
    return rc;
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shinfo->evtchn_mask[port / EVTCHN_WORD_BITS],
                      1ULL << (port % EVTCHN_WORD_BITS), __ATOMIC_SEQ_CST);
}

int evtchn_test_and_clear(evtchn_port_t port)
{
    uint64_t bit = 1ULL << (port % EVTCHN_WORD_BITS);

    return (__atomic_fetch_and(&shinfo->evtchn_pending[port / EVTCHN_WORD_BITS],
                               ~bit, __ATOMIC_SEQ_CST) &
            bit) != 0;
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = {.port = port};

    if (port < EVTCHN_MAX_PORTS)
        evtchn_set_handler(port, NULL, NULL);
    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

int evtchn_upcalls_mask(void)
{
    int prev = __atomic_exchange_n(&shinfo_vcpu()->evtchn_upcall_mask, 1,
                                   __ATOMIC_SEQ_CST);

    return prev;
}

void evtchn_upcalls_unmask(void)
{
    struct vcpu_info *vi = shinfo_vcpu();

    __atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    /* An event that arrived while masked raised no upcall: any hypercall
     * returns through the hypervisor's delivery check. */
    if (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

void evtchn_upcalls_restore(int prev)
{
    if (prev == 0)
        evtchn_upcalls_unmask();
}
