/* SPDX-License-Identifier: MIT */
/*
 * Entering and leaving the guest kernel's callbacks: set_callbacks (4),
 * callback_op (30) and iret (23), with Xen's x86-64 semantics
 * (XEN-ABI-FACTS §7.8, §8.5).
 */
#include <stdio.h>

#include <xen/callback.h>
#include <xen/errno.h>

#include "veneerd.h"

/* Record one callback (Xen's register_guest_callback, x86-64). */
static int64_t callback_register(struct vcpu *v,
                                 const struct callback_register *r)
{
    bool mask = r->flags & CALLBACKF_mask_events;

    if (!x86_is_canonical(r->address))
        return -XEN_EINVAL;
    switch (r->type) {
    case CALLBACKTYPE_event:
        v->pv.event_callback = r->address; /* always entered masked */
        return 0;
    case CALLBACKTYPE_failsafe:
        v->pv.failsafe_callback = r->address;
        v->pv.vgc_flags =
            mask ? v->pv.vgc_flags | VGCF_failsafe_disables_events
                 : v->pv.vgc_flags & ~VGCF_failsafe_disables_events;
        return 0;
    case CALLBACKTYPE_syscall:
        v->pv.syscall_callback = r->address;
        v->pv.vgc_flags = mask
                              ? v->pv.vgc_flags | VGCF_syscall_disables_events
                              : v->pv.vgc_flags & ~VGCF_syscall_disables_events;
        return 0;
    case CALLBACKTYPE_nmi:
        v->pv.nmi_callback = r->address;
        return 0;
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return 0; /* 32-bit user entries: no such user mode here */
    default:
        return -XEN_ENOSYS;
    }
}

/* Xen's unregister_guest_callback: only the NMI callback may go. */
static int64_t callback_unregister(struct vcpu *v,
                                   const struct callback_unregister *u)
{
    switch (u->type) {
    case CALLBACKTYPE_event:
    case CALLBACKTYPE_failsafe:
    case CALLBACKTYPE_syscall:
    case CALLBACKTYPE_syscall32:
    case CALLBACKTYPE_sysenter:
        return -XEN_EINVAL;
    case CALLBACKTYPE_nmi:
        v->pv.nmi_callback = 0;
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/*
 * set_callbacks(event, failsafe, syscall) (hypercall 4): three
 * CALLBACKOP_register calls without flags; like Xen it ignores their
 * results (a non-canonical address just leaves that callback as it was).
 * Return values: 0.
 */
int64_t hc_set_callbacks(struct vcpu *v, const uint64_t a[5])
{
    static const uint16_t types[3] = {CALLBACKTYPE_event, CALLBACKTYPE_failsafe,
                                      CALLBACKTYPE_syscall};

    for (unsigned int i = 0; i < 3; i++) {
        struct callback_register r = {.type = types[i], .address = a[i]};
        callback_register(v, &r);
    }
    return 0;
}

/*
 * callback_op(cmd, arg) (hypercall 30).
 * Return values: 0; -EFAULT for an unreadable argument; -EINVAL for a
 * non-canonical address or a callback that cannot be unregistered;
 * -ENOSYS for an unknown command or type.
 */
int64_t hc_callback_op(struct vcpu *v, const uint64_t a[5])
{
    struct callback_register r;
    struct callback_unregister u;

    switch ((int)a[0]) {
    case CALLBACKOP_register:
        if (gmem_copy_from(v, &r, a[1], sizeof(r)))
            return -XEN_EFAULT;
        return callback_register(v, &r);
    case CALLBACKOP_unregister:
        if (gmem_copy_from(v, &u, a[1], sizeof(u)))
            return -XEN_EFAULT;
        return callback_unregister(v, &u);
    default:
        return -XEN_ENOSYS;
    }
}

static void iret_crash(struct vcpu *v, const char *what)
{
    char why[160];

    snprintf(why, sizeof(why), "iret: %s (rsp %#llx)", what,
             (unsigned long long)v->regs.rsp);
    domain_crash(v->dom, why);
    crash_dump_regs(v->dom, NULL, &v->regs);
}

/*
 * iret() (hypercall 23): return from a bounce frame. The guest jumped to
 * the iret slot of its hypercall page, which pushed rcx, r11 and rax on top
 * of the flags word it pushed itself, so rsp points at a struct
 * iret_context. Restore rip, rsp and rflags (IOPL and VM cleared, IF set),
 * and rcx/r11 unless VGCF_in_syscall; the upcall mask becomes the frame's
 * !rflags.IF. A frame whose cs has RPL 3 returns to guest user mode, which
 * needs user page tables: Veneer has none yet, so, as Xen does without
 * them, the domain crashes; so it does if the frame cannot be read.
 * Return values: the frame's rax (it becomes the guest's rax).
 */
int64_t hc_iret(struct vcpu *v, const uint64_t a[5])
{
    struct iret_context ic;
    struct vcpu_info *vi = upcall_vcpu_info(v);

    (void)a;
    if (gmem_copy_from(v, &ic, v->regs.rsp, sizeof(ic))) {
        iret_crash(v, "cannot read the iret frame");
        return 0;
    }
    if ((ic.cs & 3) == 3) {
        iret_crash(v, "return to guest user mode (cs RPL 3), which has no "
                      "user page tables");
        return 0;
    }
    v->regs.rip = ic.rip;
    v->regs.rsp = ic.rsp;
    v->regs.rflags =
        (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    if (!(ic.flags & VGCF_in_syscall)) {
        v->regs.rcx = ic.rcx;
        v->regs.r11 = ic.r11;
    }
    __atomic_store_n(&vi->evtchn_upcall_mask, !(ic.rflags & X86_EFLAGS_IF),
                     __ATOMIC_SEQ_CST);
    v->regs_dirty = true;
    return (int64_t)ic.rax;
}
