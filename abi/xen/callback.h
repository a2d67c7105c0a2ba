/* SPDX-License-Identifier: MIT */
/*
 * callback_op hypercall (30), PV only: where the hypervisor enters the
 * guest kernel for events, failsafe returns, syscalls and NMIs
 * (XEN-ABI-FACTS §7.8).
 *
 * callback_op(int cmd, void *arg)
 *
 * The older set_callbacks hypercall (4) takes (event, failsafe, syscall)
 * addresses directly and is equivalent to three CALLBACKOP_register calls
 * without CALLBACKF_mask_events (except the event callback, which always
 * masks).
 *
 * How each callback is entered (x86-64 PV): the hypervisor pushes a bounce
 * frame on the guest kernel stack (kernel_sp of stack_switch when coming
 * from user mode) holding, from the lowest address: rcx, r11, [error code
 * for exceptions that have one,] rip, cs, rflags, rsp, ss; then it jumps to
 * the address. The failsafe frame also carries ds, es, fs, gs below rcx.
 * The guest returns with the iret hypercall (arch-x86/xen-x86_64.h).
 */
#ifndef VENEER_ABI_XEN_CALLBACK_H
#define VENEER_ABI_XEN_CALLBACK_H

#include "xen.h"

/* Callback types (struct callback_register.type). */
#define CALLBACKTYPE_event               0 /* event upcall (evtchn) */
#define CALLBACKTYPE_failsafe            1 /* iret/segment reload failed */
#define CALLBACKTYPE_syscall             2 /* 64-bit user syscall */
#define CALLBACKTYPE_sysenter_deprecated 3 /* old number; do not use */
#define CALLBACKTYPE_nmi                 4 /* virtual NMI */
#define CALLBACKTYPE_sysenter            5 /* 32-bit user sysenter */
#define CALLBACKTYPE_syscall32           7 /* 32-bit user syscall */

/* struct callback_register.flags: mask events (evtchn_upcall_mask = 1)
 * when entering the callback. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

/*
 * CALLBACKOP_register (arg struct callback_register): set a callback.
 * 1. address must be a canonical guest address.
 * 2. An unknown type gives -XEN_ENOSYS (as Xen's pv/callback.c).
 */
#define CALLBACKOP_register 0

/* CALLBACKOP_unregister (arg struct callback_unregister): remove one;
 * only CALLBACKTYPE_nmi may be unregistered (-XEN_EINVAL otherwise). */
#define CALLBACKOP_unregister 1

#ifndef __ASSEMBLY__

/*
 * struct callback_register (16 bytes).
 * IN: type     CALLBACKTYPE_*
 *     flags    CALLBACKF_*
 *     address  entry point (RIP)
 */
struct callback_register {
    uint16_t type;
    uint16_t flags;
    uint32_t _pad;
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;

/* struct callback_unregister (4 bytes). IN: type. */
struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;

_Static_assert(sizeof(struct callback_register) == 16,
               "callback_register size");
_Static_assert(offsetof(struct callback_register, flags) == 2,
               "callback_register flags");
_Static_assert(offsetof(struct callback_register, address) == 8,
               "callback_register address");
_Static_assert(sizeof(struct callback_unregister) == 4,
               "callback_unregister size");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_CALLBACK_H */
