/* SPDX-License-Identifier: MIT */
/*
 * sched_op hypercall (29): yield, block, poll, shut down
 * (XEN-ABI-FACTS §7.1).
 *
 * sched_op(int cmd, void *arg)
 *
 * Returns 0 on success or -XEN_E* unless a command says otherwise.
 */
#ifndef VENEER_ABI_XEN_SCHED_H
#define VENEER_ABI_XEN_SCHED_H

#include "xen.h"

/*
 * SCHEDOP_yield (arg NULL): give up the physical CPU; the vCPU stays
 * runnable.
 */
#define SCHEDOP_yield 0

/*
 * SCHEDOP_block (arg NULL): sleep until an event is deliverable to this
 * vCPU.
 * 1. PV: if upcalls are masked, the call atomically unmasks them
 *    (evtchn_upcall_mask = 0) and checks evtchn_upcall_pending, so an event
 *    that arrived just before the call is not lost. The guest's usual idle
 *    loop is therefore: mask; check for work; SCHEDOP_block.
 * 2. A timer set with set_timer_op or VCPUOP_set_singleshot_timer wakes it
 *    through VIRQ_TIMER.
 */
#define SCHEDOP_block 1

/*
 * SCHEDOP_shutdown (arg struct sched_shutdown): stop the whole domain with
 * the given SHUTDOWN_* reason. Does not return, except for
 * SHUTDOWN_suspend: then rdx must hold the start_info MFN, and the call
 * returns 1 if the suspend was cancelled (or only checkpointed) and 0 when
 * resuming in a new domain.
 */
#define SCHEDOP_shutdown 2

/*
 * SCHEDOP_poll (arg struct sched_poll): block until one of the listed
 * ports is pending, an event is deliverable, or the timeout passes; then
 * return 0.
 * 1. At most SCHED_POLL_MAX_PORTS ports (-XEN_EINVAL beyond); each must
 *    be below the domain's port limit (-XEN_EINVAL otherwise).
 * 2. Polling never changes evtchn_upcall_mask. Guests poll with upcalls
 *    masked; with them unmasked, any deliverable event also ends the poll.
 */
#define SCHEDOP_poll 3

/* SCHEDOP_remote_shutdown (arg struct sched_remote_shutdown): shut down
 * another domain; privileged. */
#define SCHEDOP_remote_shutdown 4

/* SCHEDOP_shutdown_code (arg struct sched_shutdown): record the reason to
 * report at the next shutdown without shutting down now. */
#define SCHEDOP_shutdown_code 5

/*
 * SCHEDOP_watchdog (arg struct sched_watchdog): id 0 creates a watchdog
 * with the given timeout and returns its id (> 0); id != 0 with timeout 0
 * destroys it; id != 0 with timeout != 0 pokes (restarts) it. On expiry
 * the domain shuts down with SHUTDOWN_watchdog.
 */
#define SCHEDOP_watchdog 6

/* SCHEDOP_pin_override (arg struct sched_pin_override): hardware domain
 * only. */
#define SCHEDOP_pin_override 7

/*
 * Shutdown reasons (struct sched_shutdown.reason), reported to the
 * toolstack.
 */
#define SHUTDOWN_poweroff   0 /* domain exited normally: clean up and kill */
#define SHUTDOWN_reboot     1 /* clean up, kill, and restart */
#define SHUTDOWN_suspend    2 /* clean up, save suspend info, kill */
#define SHUTDOWN_crash      3 /* tell controller we crashed */
#define SHUTDOWN_watchdog   4 /* restart because the watchdog expired */
#define SHUTDOWN_soft_reset 5 /* domain asked for a soft reset */
#define SHUTDOWN_MAX        5 /* highest valid reason */

/* Most ports one SCHEDOP_poll may list (ABI-visible; name ours). */
#define SCHED_POLL_MAX_PORTS 128

#ifndef __ASSEMBLY__

/* struct sched_shutdown (4 bytes). IN: reason  SHUTDOWN_*. */
struct sched_shutdown {
    uint32_t reason;
};
typedef struct sched_shutdown sched_shutdown_t;

/*
 * struct sched_poll (24 bytes).
 * IN: ports     handle to an array of evtchn_port_t (uint32_t)
 *     nr_ports  number of ports, at most SCHED_POLL_MAX_PORTS
 *     timeout   absolute system time in ns (vcpu_time_info clock);
 *               0 means no timeout
 */
struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint32_t _pad;
    uint64_t timeout;
};
typedef struct sched_poll sched_poll_t;

/* struct sched_remote_shutdown (8 bytes). IN: domain_id, reason. */
struct sched_remote_shutdown {
    domid_t domain_id;
    uint16_t _pad;
    uint32_t reason;
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;

/* struct sched_watchdog (8 bytes). IN: id, timeout (seconds). */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;
};
typedef struct sched_watchdog sched_watchdog_t;

/* struct sched_pin_override (4 bytes). IN: pcpu, or -1 to end. */
struct sched_pin_override {
    int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;

_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown size");
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll size");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8,
               "sched_poll nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16,
               "sched_poll timeout");
_Static_assert(sizeof(struct sched_remote_shutdown) == 8,
               "sched_remote_shutdown size");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4,
               "sched_remote_shutdown reason");
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog size");
_Static_assert(offsetof(struct sched_watchdog, timeout) == 4,
               "sched_watchdog timeout");
_Static_assert(sizeof(struct sched_pin_override) == 4,
               "sched_pin_override size");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_SCHED_H */
