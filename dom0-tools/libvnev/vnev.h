/* SPDX-License-Identifier: MIT */
/*
 * libvnev: event channels for host processes (backends, vstored, tools):
 * dom0's end of a guest's event channel, over veneerd's control socket
 * (VN_CTL_EVTCHN_*, abi/veneer/control.h). What libxenevtchn is to a Xen
 * dom0, with one eventfd per port instead of one device for all.
 *
 * Use:
 *   struct vn_evtchn *h;
 *   uint32_t port;
 *   vn_evtchn_open(NULL, &h);                    // $VENEER_RUNDIR
 *   vn_evtchn_bind_interdomain(h, domid, gport, &port);
 *   poll vn_evtchn_fd(h, port) for POLLIN, then vn_evtchn_ack(h, port);
 *   vn_evtchn_notify(h, port);                   // the guest's port raised
 *   vn_evtchn_close(h);                          // every port closed
 *
 * Conventions:
 *  - Calls return 0 (or a count) or a negative errno, Xen's error codes
 *    for the event-channel semantics (-ESRCH, -EINVAL, -ENOSPC, ...).
 *  - Ports are dom0's port numbers. Each belongs to the handle that made
 *    it; veneerd closes them all when the handle's connection closes,
 *    even if the process dies, and a linked guest port then goes back to
 *    unbound, waiting for domain 0 again.
 *  - A handle is one connection; it is not thread-safe (one per thread,
 *    or a lock around it). Its eventfds may be polled from any thread.
 *  - Every descriptor is close-on-exec and non-blocking.
 *
 * Link: libvnev.a (no other library).
 */
#ifndef VNEV_H
#define VNEV_H

#include <stdint.h>

#include <veneer/control.h>

struct vn_evtchn;

/*
 * vn_evtchn_open: connect to veneerd's control socket.
 *
 * Parameters: rundir - the run directory (veneerd.sock in it), or NULL
 * for $VENEER_RUNDIR, else /run/veneer; h - OUT: the handle.
 * Return values: 0; -ENOENT / -ECONNREFUSED (no veneerd there); -EACCES
 * (not root); -ENAMETOOLONG; -ENOMEM.
 */
int vn_evtchn_open(const char *rundir, struct vn_evtchn **h);

/* vn_evtchn_close: close every port of h and h itself (NULL is
 * ignored). */
void vn_evtchn_close(struct vn_evtchn *h);

/*
 * vn_evtchn_bind_interdomain: connect a new dom0 port to port
 * remote_port of guest domid, which the guest made with
 * EVTCHNOP_alloc_unbound for domain 0. The new port is raised at once (its
 * fd is readable): an event the guest sent before is not lost.
 *
 * Return values: 0 and *port; -ESRCH (no such domain); -EINVAL
 * (remote_port out of range, not unbound, or not for domain 0); -ENOSPC
 * (dom0's ports are all taken); -ENFILE; -ECONNRESET (veneerd went away);
 * -EPROTO; -ENOMEM.
 */
int vn_evtchn_bind_interdomain(struct vn_evtchn *h, uint32_t domid,
                               uint32_t remote_port, uint32_t *port);

/*
 * vn_evtchn_alloc_unbound: a new dom0 port, unbound, that guest domid may
 * connect to with EVTCHNOP_bind_interdomain(0, *port) (tell it the port,
 * e.g. through the store).
 * Return values: 0 and *port; -EINVAL (domid above 0xffff); -ENOSPC;
 * as vn_evtchn_bind_interdomain.
 */
int vn_evtchn_alloc_unbound(struct vn_evtchn *h, uint32_t domid,
                            uint32_t *port);

/*
 * vn_evtchn_bind_virq: a dom0 port raised by global VIRQ virq:
 * VIRQ_DOM_EXC (xen/xen.h) is raised when a domain shuts down, crashes or
 * is destroyed. Once per handle and VIRQ.
 * Return values: 0 and *port; -EINVAL (a per-vCPU or unknown VIRQ);
 * -EEXIST; as vn_evtchn_bind_interdomain.
 */
int vn_evtchn_bind_virq(struct vn_evtchn *h, uint32_t virq, uint32_t *port);

/*
 * vn_evtchn_fd: the port's notification eventfd: readable (POLLIN) once
 * the port was raised, until vn_evtchn_ack.
 * Return values: the fd (owned by h); -EBADF (not one of h's ports).
 */
int vn_evtchn_fd(struct vn_evtchn *h, uint32_t port);

/*
 * vn_evtchn_ack: clear the port's notifications without waiting.
 * Return values: how many times it was raised since the last ack (raises
 * the guest made before veneerd noticed are one); 0 if none; -EBADF.
 */
int64_t vn_evtchn_ack(struct vn_evtchn *h, uint32_t port);

/*
 * vn_evtchn_wait: wait for the port to be raised, then ack it.
 * Parameters: timeout_ms - as poll(2): -1 for ever.
 * Return values: the count acked (> 0); 0 on timeout; -EBADF; -EINTR.
 */
int64_t vn_evtchn_wait(struct vn_evtchn *h, uint32_t port, int timeout_ms);

/*
 * vn_evtchn_notify: send on the port (EVTCHNOP_send) by writing its send
 * eventfd: no round trip to veneerd, which sends when it reads it
 * (several notifies before then are one event, as a pending port merges
 * them on Xen). An interdomain port raises the guest's port; on an
 * unbound one the event is dropped.
 * Return values: 0; -EBADF (not one of h's ports); -EAGAIN (the
 * eventfd's counter is full: veneerd is not reading).
 */
int vn_evtchn_notify(struct vn_evtchn *h, uint32_t port);

/*
 * vn_evtchn_send: send on the port with veneerd's answer (one round trip
 * on the control socket; vn_evtchn_notify is the fast way).
 * Return values: 0; -EINVAL (not h's port, or a VIRQ port); -ECONNRESET;
 * -EPROTO.
 */
int vn_evtchn_send(struct vn_evtchn *h, uint32_t port);

/*
 * vn_evtchn_status: EVTCHNOP_status of one of h's ports: unbound (and
 * for whom), interdomain (the guest and its port) or virq.
 * Return values: 0; -EINVAL (not h's port); -ECONNRESET; -EPROTO.
 */
int vn_evtchn_status(struct vn_evtchn *h, uint32_t port,
                     struct vn_ctl_evtchn_status *st);

/*
 * vn_evtchn_unbind: close the port (EVTCHNOP_close; a linked guest port
 * goes back to unbound) and its descriptors.
 * Return values: 0; -EINVAL (not h's port); -ECONNRESET; -EPROTO.
 */
int vn_evtchn_unbind(struct vn_evtchn *h, uint32_t port);

#endif /* VNEV_H */
