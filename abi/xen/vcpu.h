/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op hypercall (24): bring vCPUs up and down, per-vCPU timers,
 * runstate and the location of vcpu_info (XEN-ABI-FACTS §7.2).
 *
 * vcpu_op(int cmd, unsigned vcpuid, void *arg)
 *
 * 1. vcpuid must name an existing vCPU of the caller (-XEN_ENOENT).
 * 2. Returns 0 or -XEN_E* unless a command says otherwise.
 */
#ifndef VENEER_ABI_XEN_VCPU_H
#define VENEER_ABI_XEN_VCPU_H

#include "xen.h"

/*
 * VCPUOP_initialise (arg struct vcpu_guest_context, arch-x86/xen.h): set
 * the initial state of a vCPU that has never run. Once per vCPU
 * (-XEN_EEXIST after).
 */
#define VCPUOP_initialise 0

/* VCPUOP_up (arg NULL): start an initialised vCPU (-XEN_EINVAL if not
 * initialised). */
#define VCPUOP_up 1

/* VCPUOP_down (arg NULL): stop a vCPU; if it was the last one up, the
 * domain powers off. */
#define VCPUOP_down 2

/* VCPUOP_is_up (arg NULL): returns 1 if the vCPU is up, else 0. */
#define VCPUOP_is_up 3

/* VCPUOP_get_runstate_info (arg struct vcpu_runstate_info, OUT). */
#define VCPUOP_get_runstate_info 4

/*
 * VCPUOP_register_runstate_memory_area (arg struct
 * vcpu_register_runstate_memory_area): the hypervisor keeps a copy of the
 * vCPU's struct vcpu_runstate_info at that guest virtual address, updated
 * on every state change while the vCPU's address space is loaded.
 */
#define VCPUOP_register_runstate_memory_area 5

/* VCPUOP_set_periodic_timer (arg struct vcpu_set_periodic_timer): raise
 * VIRQ_TIMER every period_ns; -XEN_EINVAL below
 * VCPU_PERIODIC_TIMER_MIN_NS. */
#define VCPUOP_set_periodic_timer 6

/* Shortest periodic timer period, 1 ms (ABI-visible; name ours). */
#define VCPU_PERIODIC_TIMER_MIN_NS 1000000

/* VCPUOP_stop_periodic_timer (arg NULL). */
#define VCPUOP_stop_periodic_timer 7

/*
 * VCPUOP_set_singleshot_timer (arg struct vcpu_set_singleshot_timer):
 * raise VIRQ_TIMER once when system time reaches timeout_abs_ns.
 * 1. Only for the calling vCPU (-XEN_EINVAL otherwise).
 * 2. A deadline already past fires at once.
 * 3. Replaces any earlier single-shot deadline of the vCPU.
 */
#define VCPUOP_set_singleshot_timer 8

/* VCPUOP_stop_singleshot_timer (arg NULL): calling vCPU only. */
#define VCPUOP_stop_singleshot_timer 9

/*
 * VCPUOP_register_vcpu_info (arg struct vcpu_register_vcpu_info): move the
 * vCPU's struct vcpu_info to byte `offset` of frame `mfn`.
 * 1. The 64 bytes must not cross a page (-XEN_EINVAL).
 * 2. Once per vCPU (-XEN_EBUSY after).
 * 3. The hypervisor copies the old contents there, then sets
 *    evtchn_pending_sel to all ones and evtchn_upcall_pending, so the
 *    guest sees one (possibly spurious) upcall, and refreshes the time.
 * 4. Needed for vCPUs >= XEN_LEGACY_MAX_VCPUS; allowed for any.
 */
#define VCPUOP_register_vcpu_info 10

/* VCPUOP_send_nmi (arg NULL): send a virtual NMI to the vCPU. */
#define VCPUOP_send_nmi 11

/* VCPUOP_get_physid (arg struct vcpu_get_physid): hardware domain only. */
#define VCPUOP_get_physid 12

/* VCPUOP_register_vcpu_time_memory_area (arg struct
 * vcpu_register_time_memory_area): a second copy of vcpu_time_info at a
 * guest virtual address. */
#define VCPUOP_register_vcpu_time_memory_area 13

/* VCPUOP_register_runstate_phys_area (arg struct vcpu_register_runstate_
 * memory_area, addr.p = guest physical address; ~0 unregisters). */
#define VCPUOP_register_runstate_phys_area 14

/* VCPUOP_register_vcpu_time_phys_area (arg struct vcpu_register_time_
 * memory_area, addr.p = guest physical address; ~0 unregisters). */
#define VCPUOP_register_vcpu_time_phys_area 15

/* vcpu_runstate_info.state values. */
#define RUNSTATE_running  0 /* running on a physical CPU */
#define RUNSTATE_runnable 1 /* ready, waiting for a CPU */
#define RUNSTATE_blocked  2 /* blocked (SCHEDOP_block/poll) */
#define RUNSTATE_offline  3 /* down or paused */

/* Set in state_entry_time while the hypervisor updates the area
 * (VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* vcpu_set_singleshot_timer.flags: historically "fail if already past";
 * defined but ignored. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

#ifndef __ASSEMBLY__

/*
 * struct vcpu_runstate_info (48 bytes). OUT [hypervisor]:
 *   state             RUNSTATE_*
 *   state_entry_time  system time (ns) the state was entered; bit 63 is
 *                     XEN_RUNSTATE_UPDATE while being updated
 *   time[4]           ns spent in each state so far
 */
struct vcpu_runstate_info {
    int32_t state;
    uint32_t _pad;
    uint64_t state_entry_time;
    uint64_t time[4];
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;

/* struct vcpu_register_runstate_memory_area (8 bytes). IN: addr.h, a
 * guest virtual address (or addr.p, a physical one, for the phys op). */
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area
    vcpu_register_runstate_memory_area_t;

/* struct vcpu_set_periodic_timer (8 bytes). IN: period_ns. */
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;

/*
 * struct vcpu_set_singleshot_timer (16 bytes).
 * IN: timeout_abs_ns  absolute system time (ns) of the deadline
 *     flags           VCPU_SSHOTTMR_* (ignored)
 */
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
    uint32_t _pad;
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;

/*
 * struct vcpu_register_vcpu_info (16 bytes).
 * IN: mfn     frame to hold the vcpu_info (GFN for translated guests)
 *     offset  byte offset in the frame; offset + 64 <= 4096
 *     rsvd    must be 0
 */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;

/* struct vcpu_get_physid (8 bytes). OUT: phys_id (APIC and ACPI ids). */
struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;

/* struct vcpu_register_time_memory_area (8 bytes). IN: addr.h (virtual)
 * or addr.p (physical, for the phys op). */
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;

_Static_assert(sizeof(struct vcpu_runstate_info) == 48,
               "vcpu_runstate_info size");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8,
               "runstate state_entry_time");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16,
               "runstate time");
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8,
               "register_runstate_memory_area size");
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8,
               "set_periodic_timer size");
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16,
               "set_singleshot_timer size");
_Static_assert(offsetof(struct vcpu_set_singleshot_timer, flags) == 8,
               "singleshot flags");
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16,
               "register_vcpu_info size");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8,
               "register_vcpu_info offset");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, rsvd) == 12,
               "register_vcpu_info rsvd");
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "get_physid size");
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8,
               "register_time_memory_area size");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_VCPU_H */
