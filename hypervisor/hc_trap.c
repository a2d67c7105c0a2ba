/* SPDX-License-Identifier: MIT */
/*
 * The PV CPU-state hypercalls whose effect stays inside the vCPU:
 * set_trap_table (0), stack_switch (3), fpu_taskswitch (5) and
 * set_segment_base (25).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include <xen/errno.h>

#include "veneerd.h"

#define TRAP_VECTORS 256 /* x86 IDT entries; trap_info.vector is a u8 */

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1ul << 1) /* Linux: user wr{fs,gs}base allowed */
#endif

/*
 * set_trap_table(table) (hypercall 0): install each trap_info of the
 * array, which ends at an entry whose address is 0, into v's virtual IDT;
 * a NULL table clears it. The code selector gets RPL 3 (Xen's
 * fixup_guest_code_selector for a 64-bit PV kernel).
 * Return values: 0; -EFAULT if an entry cannot be read (the entries before
 * it stay installed, as on Xen); -EINVAL for a non-canonical handler;
 * -ENOMEM.
 */
int64_t hc_set_trap_table(struct vcpu *v, const uint64_t a[5])
{
    gva_t at = a[0];
    struct trap_info ti;

    if (at == 0) {
        if (v->pv.traps)
            memset(v->pv.traps, 0, TRAP_VECTORS * sizeof(*v->pv.traps));
        return 0;
    }
    if (!v->pv.traps) {
        v->pv.traps = calloc(TRAP_VECTORS, sizeof(*v->pv.traps));
        if (!v->pv.traps)
            return -XEN_ENOMEM;
    }
    for (;; at += sizeof(ti)) {
        if (gmem_copy_from(v, &ti, at, sizeof(ti)))
            return -XEN_EFAULT;
        if (ti.address == 0)
            return 0;
        if (!x86_is_canonical(ti.address))
            return -XEN_EINVAL;
        ti.cs |= 3;
        v->pv.traps[ti.vector] = ti;
    }
}

/*
 * stack_switch(ss, sp) (hypercall 3): the kernel stack Xen switches to when
 * a bounce arrives from guest user mode. Recorded; Veneer has no guest
 * user mode yet, so every bounce uses the current stack.
 * Return values: 0.
 */
int64_t hc_stack_switch(struct vcpu *v, const uint64_t a[5])
{
    v->pv.kernel_ss = a[0] | 3;
    v->pv.kernel_sp = a[1];
    return 0;
}

/*
 * fpu_taskswitch(set) (hypercall 5): set or clear the virtual CR0.TS.
 * Recorded only: a host process cannot make the FPU trap, so Veneer never
 * raises #NM; guests must save FPU state eagerly.
 * Return values: 0.
 */
int64_t hc_fpu_taskswitch(struct vcpu *v, const uint64_t a[5])
{
    v->pv.cr0_ts = (int)a[0] != 0;
    return 0;
}

/* Ask the stub to load a segment base with the registers it resumes. */
static int64_t segbase_load(struct vcpu *v, uint32_t which, uint64_t base)
{
    if (!(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE)) {
        log_warnx("dom%u: set_segment_base needs FSGSBASE on the host",
                  v->dom->id);
        return -XEN_ENOSYS;
    }
    if (which == STUB_OUT_FS_BASE)
        v->regs.fs_base = base;
    else
        v->regs.gs_base = base;
    v->out_flags |= which;
    v->regs_dirty = true;
    return 0;
}

/*
 * set_segment_base(which, base) (hypercall 25): FS base, kernel GS base
 * (the active one: the guest kernel runs with it) or the user GS base
 * (swapped in on a return to user mode, which Veneer does not have yet, so
 * only recorded). The stub loads FS/GS bases with wrfsbase/wrgsbase, which
 * the host lets any process use (FSGSBASE): no system call is needed.
 * Return values: 0; -EINVAL for a non-canonical base or an unknown
 * `which`; -ENOSYS for SEGBASE_GS_USER_SEL (no guest descriptor tables
 * yet) or a host without FSGSBASE.
 */
int64_t hc_set_segment_base(struct vcpu *v, const uint64_t a[5])
{
    uint32_t which = (uint32_t)a[0];
    uint64_t base = a[1];

    switch (which) {
    case SEGBASE_FS:
    case SEGBASE_GS_KERNEL:
    case SEGBASE_GS_USER:
        if (!x86_is_canonical(base))
            return -XEN_EINVAL;
        break;
    case SEGBASE_GS_USER_SEL:
        return -XEN_ENOSYS;
    default:
        return -XEN_EINVAL;
    }
    if (which == SEGBASE_GS_USER) {
        v->pv.gs_base_user = base;
        return 0;
    }
    return segbase_load(
        v, which == SEGBASE_FS ? STUB_OUT_FS_BASE : STUB_OUT_GS_BASE, base);
}
