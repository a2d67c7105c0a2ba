/* SPDX-License-Identifier: MIT */
/*
 * Xen's x86-64 PV bounce frame: how the hypervisor enters a guest kernel's
 * exception handler or event callback (Xen's pv_create_exception_frame /
 * create_bounce_frame). From the guest stack pointer, aligned down to 16
 * bytes, the frame takes, from the lowest address:
 *
 *     rcx, r11, [error code,] rip, cs | saved_upcall_mask << 32,
 *     rflags, rsp, ss
 *
 * written below rsp (no red zone is skipped: PV kernels are built without
 * one). The kernel-mode cs has its RPL cleared, which tells the guest (and
 * iret) that it interrupted kernel context; rflags.IF carries the inverse
 * of the upcall mask at the time. The guest resumes at the entry point on
 * the new stack pointer with rflags' TF, NT, RF, VM and AC cleared, and,
 * for an interrupt gate or the event callback, with upcalls masked.
 *
 * Veneer has no guest user mode yet, so every frame is a kernel-context
 * frame on the current stack (stack_switch's kernel stack is for bounces
 * from user mode).
 */
#include <errno.h>

#include "veneerd.h"

/*
 * bounce_build - compute the frame for entering `entry` from the register
 * state r and update r to the entry state. Pure: writes nothing else.
 *
 * Parameters: r (IN/OUT) the interrupted registers, then the entry state;
 * saved_mask, the evtchn_upcall_mask before the bounce; flags BOUNCE_*;
 * err, the error code (with BOUNCE_ERRCODE); f (OUT) the frame and where
 * it goes.
 * Return values: 0; -EFAULT if the frame would wrap below address 0.
 */
int bounce_build(struct stub_regs *r, uint8_t saved_mask, gva_t entry,
                 unsigned int flags, uint32_t err, struct bounce_frame *f)
{
    uint64_t sp = r->rsp & ~0xfull;
    uint64_t rflags = r->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
    unsigned int n = 0;

    if (!saved_mask)
        rflags |= X86_EFLAGS_IF;
    f->w[n++] = r->rcx;
    f->w[n++] = r->r11;
    if (flags & BOUNCE_ERRCODE)
        f->w[n++] = err;
    f->w[n++] = r->rip;
    f->w[n++] = (FLAT_KERNEL_CS & ~3ull) | ((uint64_t)saved_mask << 32);
    f->w[n++] = rflags;
    f->w[n++] = r->rsp;
    f->w[n++] = FLAT_KERNEL_SS;
    if (sp < n * sizeof(uint64_t))
        return -EFAULT;
    f->nr_words = n;
    f->va = sp - n * sizeof(uint64_t);
    r->rip = entry;
    r->rsp = f->va;
    r->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                   X86_EFLAGS_VM | X86_EFLAGS_AC);
    return 0;
}

/*
 * bounce_push - bounce v (its registers in v->regs) into the guest at
 * `entry`: write the frame through the guest's own page tables, mask
 * upcalls if BOUNCE_INTERRUPT, and leave the entry state in v->regs for
 * the stub to load.
 *
 * Return values: 0; -EFAULT if the frame cannot be written (v->regs and
 * the mask are then unchanged: the caller crashes the domain).
 * Called with mm_lock held.
 */
int bounce_push(struct vcpu *v, gva_t entry, unsigned int flags, uint32_t err)
{
    struct vcpu_info *vi = upcall_vcpu_info(v);
    struct stub_regs r = v->regs;
    struct bounce_frame f;
    uint8_t saved;

    saved = __atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_ACQUIRE);
    if (bounce_build(&r, saved, entry, flags, err, &f) < 0)
        return -EFAULT;
    if (gmem_copy_to(v, f.va, f.w, f.nr_words * sizeof(uint64_t)) < 0)
        return -EFAULT;
    if (flags & BOUNCE_INTERRUPT)
        __atomic_store_n(&vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
    v->regs = r;
    v->regs_dirty = true;
    return 0;
}
