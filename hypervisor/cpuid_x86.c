/* SPDX-License-Identifier: MIT */
/*
 * Xen's forced-emulation CPUID for PV guests: `ud2; .ascii "xen"; cpuid`
 * (bytes 0f 0b 78 65 6e 0f a2) raises #UD, and the hypervisor answers it
 * as the guest's CPUID, with Xen's leaves at 0x40000000 (XEN-ABI-FACTS
 * §1.3). A plain `cpuid` cannot be made to trap here and shows the host.
 *
 * Other leaves are the host's, as veneerd sees them, with the hypervisor
 * bit set; the host hypervisor's own leaves (0x40000000 up, outside Xen's
 * range) read as zero so that a guest scanning for Xen finds only Xen.
 */
#include <cpuid.h>
#include <string.h>

#include <xen/arch-x86/cpuid.h>

#include "veneerd.h"

/* The prefix and instruction, and its length. */
static const uint8_t cpuid_forced[] = {0x0f, 0x0b, 0x78, 0x65,
                                       0x6e, 0x0f, 0xa2};

#define CPUID_XEN_LAST       XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES)
#define CPUID_HV_RANGE_END   0x4fffffffu /* hypervisor leaves end here */
#define CPUID_1_ECX_HV       (1u << 31)  /* leaf 1: "running on a hypervisor" */
#define CPUID_MACHINE_ADDR_W 52          /* MFNs stay below 2^40 (frames.c) */

/* Leaf 0x80000007 EDX: invariant TSC; 0x80000001 EDX: rdtscp. */
#define CPUID_INVARIANT_TSC (1u << 8)
#define CPUID_RDTSCP        (1u << 27)

/* Base + 3, subleaf 0, EAX: what the host TSC offers (the guest reads it
 * natively, never emulated). */
static uint32_t cpuid_tsc_flags(void)
{
    uint32_t a, b, c, d, flags = 0;

    if (__get_cpuid(0x80000007, &a, &b, &c, &d) && (d & CPUID_INVARIANT_TSC))
        flags |= XEN_CPUID_HOST_TSC_RELIABLE;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (d & CPUID_RDTSCP))
        flags |= XEN_CPUID_RDTSCP_INSTR_AVAIL;
    return flags;
}

/* Xen's time leaf (base + 3) for this host's TSC. */
static void cpuid_time_leaf(uint32_t subleaf, struct cpuid_regs *r)
{
    const struct time_scale *ts = time_host_scale();

    switch (subleaf) {
    case 0: /* features, mode, guest TSC kHz, incarnation */
        r->eax = cpuid_tsc_flags();
        r->ebx = XEN_CPUID_TSC_MODE_DEFAULT;
        r->ecx = (uint32_t)time_tsc_khz();
        break;
    case 1: /* TSC offset (none: the guest reads the host TSC), scale */
        r->ecx = ts->mul;
        r->edx = (uint32_t)(int32_t)ts->shift;
        break;
    case 2: /* host TSC kHz */
        r->eax = (uint32_t)time_tsc_khz();
        break;
    }
}

/* Xen's leaves, relative to the base 0x40000000. */
static void cpuid_xen_leaf(uint32_t idx, uint32_t subleaf, struct cpuid_regs *r)
{
    switch (idx) {
    case 0:
        r->eax = CPUID_XEN_LAST;
        r->ebx = XEN_CPUID_SIGNATURE_EBX;
        r->ecx = XEN_CPUID_SIGNATURE_ECX;
        r->edx = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        r->eax = (VN_XEN_MAJOR << 16) | VN_XEN_MINOR;
        break;
    case 2: /* one hypercall page, MSR base; mmu_update keeps A/D */
        r->eax = 1;
        r->ebx = XEN_CPUID_FIRST_LEAF;
        r->ecx = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 3:
        cpuid_time_leaf(subleaf, r);
        break;
    case 5: /* PV parameters */
        if (subleaf == 0)
            r->ebx = CPUID_MACHINE_ADDR_W;
        break;
    default: /* 4 is HVM only */
        break;
    }
}

/*
 * cpuid_leaf - the guest's view of CPUID leaf/subleaf.
 * Parameters: out (OUT), all four registers.
 */
void cpuid_leaf(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
    memset(out, 0, sizeof(*out));
    if (leaf >= XEN_CPUID_FIRST_LEAF && leaf <= CPUID_XEN_LAST) {
        cpuid_xen_leaf(leaf - XEN_CPUID_FIRST_LEAF, subleaf, out);
        return;
    }
    if (leaf >= XEN_CPUID_FIRST_LEAF && leaf <= CPUID_HV_RANGE_END)
        return;
    __cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
    if (leaf == 1)
        out->ecx |= CPUID_1_ECX_HV;
}

/*
 * cpuid_emulate - if v stopped (#UD) on Xen's forced-emulation CPUID,
 * answer it: eax/ebx/ecx/edx from cpuid_leaf(eax, ecx), zero-extended,
 * and rip past the 7 bytes.
 * Return values: true if it was one (v->regs updated); false otherwise.
 * Called with mm_lock held (the bytes are read through the guest tables).
 */
bool cpuid_emulate(struct vcpu *v)
{
    uint8_t insn[sizeof(cpuid_forced)];
    struct cpuid_regs r;

    if (gmem_copy_from(v, insn, v->regs.rip, sizeof(insn)) ||
        memcmp(insn, cpuid_forced, sizeof(insn)) != 0)
        return false;
    cpuid_leaf((uint32_t)v->regs.rax, (uint32_t)v->regs.rcx, &r);
    v->regs.rax = r.eax;
    v->regs.rbx = r.ebx;
    v->regs.rcx = r.ecx;
    v->regs.rdx = r.edx;
    v->regs.rip += sizeof(cpuid_forced);
    v->regs_dirty = true;
    return true;
}
