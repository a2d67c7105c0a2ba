/* SPDX-License-Identifier: MIT */
/*
 * Event channels, 2-level ABI, and the event upcall: the callback
 * registration, the upcall handler that scans and clears pending ports
 * and runs each port's handler, binding helpers, and the upcall mask
 * (the PV guest's "interrupt flag").
 *
 * Delivery (XEN-ABI-FACTS §4.4): the hypervisor sets a port's bit in
 * shared_info.evtchn_pending; if the port is not masked it sets the
 * word's bit in vcpu_info.evtchn_pending_sel and evtchn_upcall_pending,
 * and if upcalls are not masked it enters the event callback with
 * upcalls masked. The handler clears upcall_pending, takes the selector
 * with an atomic exchange, and for each word handles pending & ~mask,
 * clearing each port's pending bit atomically before running its
 * handler; it loops while upcall_pending is set again, and returns with
 * the iret hypercall, which unmasks upcalls (rflags.IF) and delivers
 * anything that arrived meanwhile.
 *
 * Ports: VIRQs, interdomain channels (alloc_unbound on one side,
 * bind_interdomain on the other), IPIs; each bind installs a handler and
 * unmasks the port, and close forgets the handler.
 *
 * Single-vCPU (everything is bound to vCPU 0), no locking beyond the
 * upcall mask.
 */
#ifndef VENEER_EVTCHN_H
#define VENEER_EVTCHN_H

#include <stdint.h>
#include <xen/event_channel.h>
#include <veneer/traps.h>

/* [POLICY] Ports the runtime keeps handlers for (of the ABI's 4096). */
#define EVTCHN_MAX_PORTS 1024

/*
 * A port's handler, run from the upcall with upcalls masked; f is the
 * interrupted state.
 */
typedef void (*evtchn_handler_t)(evtchn_port_t port, struct trap_frame *f,
                                 void *data);

/*
 * evtchn_init: trap_init, then register the event callback (upcalls
 * masked on entry) and the failsafe callback with callback_op, falling
 * back to set_callbacks if callback_op is missing; mask every port the
 * runtime has no handler for. Upcalls stay masked as they start
 * (evtchn_upcall_mask = 1 at boot); evtchn_upcalls_unmask opens them.
 * Idempotent.
 *
 * Return values: 0; the first failing hypercall's error.
 */
int evtchn_init(void);

/*
 * evtchn_bind_virq: EVTCHNOP_bind_virq of virq on vCPU 0, install h for
 * the new port and unmask it.
 *
 * Parameters: virq - VIRQ_*; h, data - the handler and its argument;
 * port - OUT (may be NULL): the port.
 * Return values: 0; the hypercall's error; -XEN_ENOSPC if the port is
 * beyond EVTCHN_MAX_PORTS (it is closed again).
 */
int evtchn_bind_virq(uint32_t virq, evtchn_handler_t h, void *data,
                     evtchn_port_t *port);

/*
 * evtchn_alloc_unbound: EVTCHNOP_alloc_unbound in this domain: a new port
 * that domain `remote` (DOMID_SELF: this one) may bind to with
 * bind_interdomain. h is installed for it and the port unmasked, so that
 * events arrive once the peer has bound and sends.
 *
 * Parameters: remote - the peer's domain id; h, data - the handler and
 * its argument; port - OUT (may be NULL).
 * Return values: 0; the hypercall's error (-XEN_ENOSPC: no free port);
 * -XEN_ENOSPC if the port is beyond EVTCHN_MAX_PORTS (it is closed again).
 */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *data,
                         evtchn_port_t *port);

/*
 * evtchn_bind_interdomain: EVTCHNOP_bind_interdomain to remote_port of
 * domain remote, which must be unbound and allocated for this domain.
 * h is installed for the new local port and the port unmasked. The
 * hypervisor sets a new interdomain port pending, so h runs once at once
 * (an event the peer sent before the bind is not lost).
 *
 * Return values: 0; -XEN_ESRCH (no such domain); -XEN_EINVAL (the remote
 * port is not unbound for this domain); -XEN_ENOSPC; as evtchn_bind_virq.
 */
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
                            evtchn_handler_t h, void *data,
                            evtchn_port_t *port);

/*
 * evtchn_bind_ipi: EVTCHNOP_bind_ipi on vcpu: a port that, when sent on,
 * becomes pending on that vCPU of this domain. h is installed and the
 * port unmasked.
 * Return values: 0; -XEN_ENOENT (no such vCPU); as evtchn_bind_virq.
 */
int evtchn_bind_ipi(uint32_t vcpu, evtchn_handler_t h, void *data,
                    evtchn_port_t *port);

/*
 * evtchn_send: EVTCHNOP_send: raise the peer's end of an interdomain port,
 * or an IPI port itself; an unbound port drops the event.
 * Return values: 0; -XEN_EINVAL for a port that is free, a VIRQ port or
 * out of range.
 */
long evtchn_send(evtchn_port_t port);

/*
 * evtchn_status: EVTCHNOP_status of this domain's port into *st
 * (st->status EVTCHNSTAT_*, st->vcpu, st->u as event_channel.h says).
 * Return values: 0; -XEN_EINVAL (port out of range).
 */
long evtchn_status(evtchn_port_t port, struct evtchn_status *st);

/*
 * evtchn_bind_vcpu: EVTCHNOP_bind_vcpu: notify vcpu for events on port.
 * Return values: 0; -XEN_ENOENT (no such vCPU); -XEN_EINVAL (IPI and
 * per-vCPU VIRQ ports cannot move; a free port).
 */
long evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);

/*
 * evtchn_reset: EVTCHNOP_reset of this domain: every port is closed (the
 * peers' ends become unbound), and every handler forgotten.
 * Return values: 0; the hypercall's error.
 */
long evtchn_reset(void);

/*
 * evtchn_set_handler: run h(port, frame, data) for events on port; NULL
 * removes it (events on the port are then counted as spurious).
 * Return values: 0; -XEN_EINVAL if port >= EVTCHN_MAX_PORTS.
 */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *data);

/* evtchn_unmask: EVTCHNOP_unmask (clears the mask bit; re-raises an event
 * that arrived while masked). */
long evtchn_unmask(evtchn_port_t port);

/* evtchn_mask: set the port's mask bit in shared_info. */
void evtchn_mask(evtchn_port_t port);

/*
 * evtchn_test_and_clear: atomically clear the port's pending bit in
 * shared_info and say whether it was set. For a port kept masked and
 * waited on with SCHEDOP_poll (the upcall handler never sees it): clear,
 * then look at what the port guards, then poll, and no event is lost.
 */
int evtchn_test_and_clear(evtchn_port_t port);

/* evtchn_close: EVTCHNOP_close, and forget the port's handler. */
long evtchn_close(evtchn_port_t port);

/*
 * evtchn_upcalls_mask: mask upcalls (evtchn_upcall_mask = 1), like cli.
 * Return values: the previous mask, for evtchn_upcalls_restore.
 */
int evtchn_upcalls_mask(void);

/*
 * evtchn_upcalls_unmask: unmask upcalls, like sti; if an event is already
 * pending, make a cheap hypercall so that the hypervisor delivers it on
 * the way back (as Xen guests do).
 */
void evtchn_upcalls_unmask(void);

/* evtchn_upcalls_restore: unmask if prev (from evtchn_upcalls_mask) is 0. */
void evtchn_upcalls_restore(int prev);

/* Counters, for tests and diagnostics. */
struct evtchn_stats {
    uint64_t upcalls;  /* event callbacks entered */
    uint64_t events;   /* ports dispatched */
    uint64_t spurious; /* pending ports without a handler */
};
extern struct evtchn_stats evtchn_stats;

/* evtchn_do_upcall: the upcall handler (trap_dispatch calls it). */
void evtchn_do_upcall(struct trap_frame *f);

#endif /* VENEER_EVTCHN_H */
