/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op hypercall (32): event channels, the guest's only
 * asynchronous notification (XEN-ABI-FACTS §4).
 *
 * event_channel_op(int cmd, void *arg)
 *
 * A port is a per-domain number; port 0 is reserved and never allocated.
 * The 2-level ABI (shared_info.evtchn_pending/mask) has 4096 ports. Every
 * struct below is copied in, acted on, and copied back out; the call
 * returns 0 or -XEN_E*.
 *
 * Delivery (what the hypervisor does when a port becomes pending; the
 * guest's upcall handler in xen.h must match it):
 * 1. test_and_set(evtchn_pending[port]); if it was already set, stop (an
 *    edge that arrives while pending is merged).
 * 2. If evtchn_mask[port] is clear and test_and_set(vcpu_info.
 *    evtchn_pending_sel, port / 64) was 0: test_and_set(evtchn_upcall_
 *    pending); if that was 0, notify the vCPU (upcall unless masked).
 * 3. Wake any vCPU polling this port (SCHEDOP_poll).
 * A masked port stays pending without raising the selector or an upcall.
 */
#ifndef VENEER_ABI_XEN_EVENT_CHANNEL_H
#define VENEER_ABI_XEN_EVENT_CHANNEL_H

#include "xen.h"

/*
 * EVTCHNOP_bind_interdomain (struct evtchn_bind_interdomain): connect a new
 * local port to remote_port of remote_dom, which must be unbound and
 * allocated for the caller (alloc_unbound with remote_dom = caller). The
 * new local port is always set pending, so an event sent before the bind
 * is not lost.
 */
#define EVTCHNOP_bind_interdomain 0

/*
 * EVTCHNOP_bind_virq (struct evtchn_bind_virq): bind a VIRQ_* (xen.h) to
 * a new port notifying `vcpu`. Per-vCPU VIRQs bind once per vCPU;
 * per-domain and global VIRQs must be bound on vCPU 0. -XEN_EEXIST if the
 * VIRQ is already bound on that vCPU.
 */
#define EVTCHNOP_bind_virq 1

/* EVTCHNOP_bind_pirq (struct evtchn_bind_pirq): bind a physical IRQ;
 * privileged / passthrough only. */
#define EVTCHNOP_bind_pirq 2

/*
 * EVTCHNOP_close (struct evtchn_close): free a port. If it was
 * interdomain, the peer's end goes back to unbound (still usable by
 * a new bind_interdomain).
 */
#define EVTCHNOP_close 3

/*
 * EVTCHNOP_send (struct evtchn_send): notify through a port.
 * Interdomain: sets the *remote* port pending. IPI: sets the local port
 * pending. Unbound: the event is silently dropped. Other states:
 * -XEN_EINVAL.
 */
#define EVTCHNOP_send 4

/* EVTCHNOP_status (struct evtchn_status): describe a port of `dom`
 * (DOMID_SELF unless privileged). */
#define EVTCHNOP_status 5

/*
 * EVTCHNOP_alloc_unbound (struct evtchn_alloc_unbound): make a new port in
 * `dom` (DOMID_SELF unless privileged) that waits for remote_dom to bind
 * to it. remote_dom may be DOMID_SELF (loopback).
 */
#define EVTCHNOP_alloc_unbound 6

/* EVTCHNOP_bind_ipi (struct evtchn_bind_ipi): a new port that, when sent
 * on, becomes pending on `vcpu` of the same domain. */
#define EVTCHNOP_bind_ipi 7

/*
 * EVTCHNOP_bind_vcpu (struct evtchn_bind_vcpu): choose the vCPU a port
 * notifies. IPI ports and per-vCPU VIRQ ports cannot be moved
 * (-XEN_EINVAL). Every other port notifies vCPU 0 until moved; a reused
 * port is reset to vCPU 0.
 */
#define EVTCHNOP_bind_vcpu 8

/*
 * EVTCHNOP_unmask (struct evtchn_unmask): clear evtchn_mask[port]; if the
 * port is pending and its selector bit was clear, set the selector bit and
 * evtchn_upcall_pending and notify. A guest may instead clear the mask bit
 * itself and then handle a pending port directly.
 */
#define EVTCHNOP_unmask 9

/* EVTCHNOP_reset (struct evtchn_reset): close every port of `dom`; with
 * DOMID_SELF also return to the 2-level ABI. */
#define EVTCHNOP_reset 10

/* FIFO ABI (optional; a hypervisor may answer -XEN_ENOSYS, and guests then
 * fall back to 2-level). */
#define EVTCHNOP_init_control 11 /* struct evtchn_init_control */
#define EVTCHNOP_expand_array 12 /* struct evtchn_expand_array */
#define EVTCHNOP_set_priority 13 /* struct evtchn_set_priority */

/* evtchn_status.status values. */
#define EVTCHNSTAT_closed      0 /* not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for a remote bind */
#define EVTCHNSTAT_interdomain 2 /* connected to another domain */
#define EVTCHNSTAT_pirq        3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq        4 /* bound to a VIRQ */
#define EVTCHNSTAT_ipi         5 /* bound as an IPI */

/* evtchn_bind_pirq.flags: the IRQ may be shared with other domains. */
#define BIND_PIRQ__WILL_SHARE 1

/* FIFO event-word bits and limits. */
#define EVTCHN_FIFO_PRIORITY_MAX     0  /* highest priority */
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7  /* priority of a new port */
#define EVTCHN_FIFO_PRIORITY_MIN     15 /* lowest priority */
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_PENDING          31 /* bit: event pending */
#define EVTCHN_FIFO_MASKED           30 /* bit: event masked */
#define EVTCHN_FIFO_LINKED           29 /* bit: on a queue */
#define EVTCHN_FIFO_BUSY             28 /* bit: being unlinked */
#define EVTCHN_FIFO_LINK_BITS        17 /* bits 16..0: next port */
#define EVTCHN_FIFO_LINK_MASK        ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS      (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__

/* An event channel port number. */
typedef uint32_t evtchn_port_t;

/*
 * struct evtchn_alloc_unbound (8 bytes).
 * IN:  dom         domain to allocate in (DOMID_SELF unless privileged)
 *      remote_dom  domain allowed to bind (DOMID_SELF for loopback)
 * OUT: port        the new port in `dom`
 */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/*
 * struct evtchn_bind_interdomain (12 bytes).
 * IN:  remote_dom, remote_port  the unbound port to connect to
 * OUT: local_port               the new local port
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    uint16_t _pad;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/*
 * struct evtchn_bind_virq (12 bytes).
 * IN:  virq  VIRQ_*
 *      vcpu  vCPU to notify
 * OUT: port  the new port
 */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/*
 * struct evtchn_bind_pirq (12 bytes).
 * IN:  pirq, flags (BIND_PIRQ__WILL_SHARE)
 * OUT: port
 */
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;
    evtchn_port_t port;
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/*
 * struct evtchn_bind_ipi (8 bytes).
 * IN:  vcpu  vCPU to notify
 * OUT: port  the new port
 */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/* struct evtchn_close (4 bytes). IN: port. */
struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

/* struct evtchn_send (4 bytes). IN: port. */
struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

/*
 * struct evtchn_status (24 bytes).
 * IN:  dom, port  the port to describe
 * OUT: status     EVTCHNSTAT_*
 *      vcpu       vCPU notified
 *      u          by status: unbound.dom (who may bind);
 *                 interdomain.dom/.port (the peer); pirq; virq
 */
struct evtchn_status {
    domid_t dom;
    uint16_t _pad;
    evtchn_port_t port;
    uint32_t status;
    uint32_t vcpu;
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            uint16_t _pad;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/* struct evtchn_bind_vcpu (8 bytes). IN: port, vcpu. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* struct evtchn_unmask (4 bytes). IN: port. */
struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* struct evtchn_reset (2 bytes). IN: dom (DOMID_SELF unless
 * privileged). */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/*
 * struct evtchn_init_control (24 bytes), FIFO.
 * IN:  control_gfn  frame holding the vCPU's control block
 *      offset       byte offset of the block in that frame
 *      vcpu         vCPU the block is for
 * OUT: link_bits    EVTCHN_FIFO_LINK_BITS
 */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/* struct evtchn_expand_array (8 bytes), FIFO. IN: array_gfn, one more
 * page of event words. */
struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/* struct evtchn_set_priority (8 bytes), FIFO. IN: port, priority. */
struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/*
 * struct evtchn_op (28 bytes): argument of the legacy
 * event_channel_op_compat hypercall (16): cmd followed by the command's
 * struct.
 */
struct evtchn_op {
    uint32_t cmd;
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;

/* A FIFO event word. */
typedef uint32_t event_word_t;

/*
 * struct evtchn_fifo_control_block (72 bytes), FIFO, one per vCPU.
 *   ready    [hypervisor sets, guest clears] bit q: queue q is non-empty
 *   head[q]  [guest] first port of queue q
 */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    event_word_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8,
               "evtchn_alloc_unbound size");
_Static_assert(offsetof(struct evtchn_alloc_unbound, remote_dom) == 2,
               "alloc_unbound remote_dom");
_Static_assert(offsetof(struct evtchn_alloc_unbound, port) == 4,
               "alloc_unbound port");
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12,
               "evtchn_bind_interdomain size");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4,
               "bind_interdomain remote_port");
_Static_assert(offsetof(struct evtchn_bind_interdomain, local_port) == 8,
               "bind_interdomain local_port");
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "evtchn_bind_virq size");
_Static_assert(offsetof(struct evtchn_bind_virq, port) == 8, "bind_virq port");
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "evtchn_bind_pirq size");
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "evtchn_bind_ipi size");
_Static_assert(offsetof(struct evtchn_bind_ipi, port) == 4, "bind_ipi port");
_Static_assert(sizeof(struct evtchn_close) == 4, "evtchn_close size");
_Static_assert(sizeof(struct evtchn_send) == 4, "evtchn_send size");
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status size");
_Static_assert(offsetof(struct evtchn_status, port) == 4, "status port");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "status status");
_Static_assert(offsetof(struct evtchn_status, vcpu) == 12, "status vcpu");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "status u");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20,
               "status u.interdomain.port");
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "evtchn_bind_vcpu size");
_Static_assert(offsetof(struct evtchn_bind_vcpu, vcpu) == 4, "bind_vcpu vcpu");
_Static_assert(sizeof(struct evtchn_unmask) == 4, "evtchn_unmask size");
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset size");
_Static_assert(sizeof(struct evtchn_init_control) == 24,
               "evtchn_init_control size");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16,
               "init_control link_bits");
_Static_assert(sizeof(struct evtchn_expand_array) == 8,
               "evtchn_expand_array size");
_Static_assert(sizeof(struct evtchn_set_priority) == 8,
               "evtchn_set_priority size");
_Static_assert(sizeof(struct evtchn_op) == 28, "evtchn_op size");
_Static_assert(offsetof(struct evtchn_op, u) == 4, "evtchn_op u");
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72,
               "fifo_control_block size");
_Static_assert(offsetof(struct evtchn_fifo_control_block, head) == 8,
               "fifo_control_block head");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_EVENT_CHANNEL_H */
