/* SPDX-License-Identifier: MIT */
/*
 * Instructions a PV guest may run natively on Xen that the host refuses:
 * emulated from the #GP they raise here, before the fault is bounced.
 *
 * iretq to Xen's flat ring-3 selectors. On Xen a 64-bit PV kernel returns
 * from a kernel-context bounce frame with a native iretq, after setting
 * RPL 3 in its cs and ss (Mini-OS's HYPERVISOR_IRET fast path): the
 * selectors FLAT_KERNEL_CS (0xe033) and FLAT_KERNEL_SS (0xe02b) are GDT
 * entries Xen reserves. The host's GDT has no such entries, so the iretq
 * raises #GP with the selector as error code; it is finished here exactly
 * as the CPU would: rip, rflags and rsp from the frame (IF and IOPL stay
 * as they are, as for any iretq at CPL 3 with IOPL 0), the event mask
 * untouched. A guest that used the host's own selectors never faults.
 */
#include "veneerd.h"

static const uint8_t emul_iretq_insn[] = {0x48, 0xcf}; /* REX.W iret */

/* Flags an iretq at CPL 3, IOPL 0 cannot change. */
#define EMUL_IRET_KEEP (X86_EFLAGS_IF | X86_EFLAGS_IOPL | X86_EFLAGS_VM)

/*
 * emul_iretq - if v faulted on `iretq` to Xen's flat kernel selectors,
 * complete it.
 * Return values: true if emulated (v->regs updated); false if the
 * instruction or its frame is anything else (the #GP stands).
 * Called with mm_lock held (code and frame are read through the guest's
 * tables).
 */
bool emul_iretq(struct vcpu *v)
{
    uint8_t insn[sizeof(emul_iretq_insn)];
    uint64_t f[5]; /* rip, cs, rflags, rsp, ss */

    if (gmem_copy_from(v, insn, v->regs.rip, sizeof(insn)) ||
        insn[0] != emul_iretq_insn[0] || insn[1] != emul_iretq_insn[1])
        return false;
    if (gmem_copy_from(v, f, v->regs.rsp, sizeof(f)))
        return false;
    if ((f[1] & 0xffff) != FLAT_KERNEL_CS64 ||
        (f[4] & 0xffff) != FLAT_KERNEL_SS64)
        return false;
    v->regs.rip = f[0];
    v->regs.rflags =
        (f[2] & ~EMUL_IRET_KEEP) | (v->regs.rflags & EMUL_IRET_KEEP);
    v->regs.rsp = f[3];
    v->regs_dirty = true;
    return true;
}
