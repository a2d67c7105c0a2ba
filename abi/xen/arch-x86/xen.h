/* SPDX-License-Identifier: MIT */
/*
 * x86 architecture part of the Xen guest ABI: frame and word types, the
 * virtual IDT entry (trap_info), the arch areas of shared_info, and the
 * PV vCPU context used by VCPUOP_initialise.
 *
 * Veneer runs classic x86-64 PV guests only, so only the x86-64 layout is
 * defined; building for any other target is an error. Numbers come from
 * shared/design/XEN-ABI-FACTS.md (§3.3, §8) and Xen's public headers.
 *
 * Usable from C and from assembly (-D__ASSEMBLY__).
 */
#ifndef VENEER_ABI_XEN_ARCH_X86_XEN_H
#define VENEER_ABI_XEN_ARCH_X86_XEN_H

#ifndef __x86_64__
#error "Veneer's Xen ABI headers describe the x86-64 layout only"
#endif

#include "xen-x86_64.h"
#include "cpuid.h"

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#endif

/*
 * xen_mk_ulong(x): an unsigned long constant usable in C and in assembly
 * (the assembler does not accept the UL suffix).
 */
#ifdef __ASSEMBLY__
#define xen_mk_ulong(x) x
#else
#define xen_mk_ulong(x) x##UL
#endif

/* vcpu_info slots embedded in shared_info; vCPUs >= 32 must use
 * VCPUOP_register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS 32

/* The x86 layout has vcpu_info.evtchn_upcall_mask (PV event masking). */
#define XEN_HAVE_PV_UPCALL_MASK 1
/* PV guests enter at an ELF/ELF-note entry point with start_info in rsi. */
#define XEN_HAVE_PV_GUEST_ENTRY 1

/* x86 uses of the architecture-specific hypercall numbers (48..55). */
#define __HYPERVISOR_mca                __HYPERVISOR_arch_0 /* PV only */
#define __HYPERVISOR_paging_domctl_cont __HYPERVISOR_arch_1 /* tools */

/*
 * Forced-emulation prefix (XEN-ABI-FACTS §1.3): `ud2; .ascii "xen"`.
 * Placed before `cpuid`, it makes a PV guest's CPUID trap to the
 * hypervisor, which then reports the Xen leaves (arch-x86/cpuid.h).
 * XEN_EMULATE_PREFIX is a string for C inline assembly; in assembly files
 * write XEN_EMULATE_PREFIX_ASM followed by the instruction.
 */
#define XEN_EMULATE_PREFIX_ASM .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e;
#define XEN_EMULATE_PREFIX     ".byte 0x0f,0x0b,0x78,0x65,0x6e; "
#define XEN_CPUID              XEN_EMULATE_PREFIX "cpuid"

/*
 * trap_info.flags: bits 1:0 are the DPL a software `int n` needs to reach
 * this vector (0: nobody, 1 or 2: kernel only, 3: everyone; the 64-bit PV
 * kernel runs at CPL 3, so the hypervisor tracks "kernel mode" itself);
 * bit 2 set makes it an interrupt gate: event upcalls are masked
 * (evtchn_upcall_mask = 1) on entry.
 */
#define TI_GET_DPL(_ti)       ((_ti)->flags & 3)
#define TI_GET_IF(_ti)        ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))

/*
 * vcpu_guest_context.flags (VGCF_*).
 */
#define VGCF_I387_VALID                (1 << 0) /* fpu_ctxt holds state */
#define VGCF_IN_KERNEL                 (1 << 2) /* vCPU is in kernel mode */
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3 /* failsafe callback masks events */
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4 /* syscall callback masks events */
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5 /* vCPU is up (domctl view) */
#define VGCF_online                    (1 << _VGCF_online)

#ifndef __ASSEMBLY__

/* A guest frame number (PV: machine frame; the headers' "mfn"/"gmfn"). */
typedef uint64_t xen_pfn_t;
/* An unsigned long in the guest's native width: 8 bytes on x86-64. */
typedef uint64_t xen_ulong_t;

/* CR3 <-> frame number for MMUEXT_NEW_BASEPTR users (x86-64: plain shift). */
#define xen_pfn_to_cr3(pfn) ((uint64_t)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((uint64_t)(cr3) >> 12)

/*
 * struct trap_info: one virtual IDT entry, for set_trap_table (hypercall 0)
 * and vcpu_guest_context.trap_ctxt (16 bytes).
 *
 * set_trap_table(const struct trap_info *table): the guest passes an array
 * terminated by an entry whose address is 0. Each entry replaces the
 * handler for its vector; a NULL table clears the whole virtual IDT.
 *
 * IN (guest):
 *   vector   exception or interrupt vector, 0..255
 *   flags    DPL in bits 1:0, interrupt-gate bit 2 (TI_* macros)
 *   cs       code selector to enter with (RPL forced to 3 on x86-64 PV)
 *   address  handler RIP; must be a canonical guest address
 */
struct trap_info {
    uint8_t vector;
    uint8_t flags;
    uint16_t cs;
    uint32_t _pad;
    uint64_t address;
};
typedef struct trap_info trap_info_t;

/*
 * struct arch_shared_info: x86 tail of shared_info (48 bytes, at offset
 * 3088). Fields marked PV describe the guest's P2M to the toolstack (for
 * save/restore); the hypervisor never reads them.
 *
 * Written by the guest:
 *   max_pfn                      number of entries in the P2M list
 *   pfn_to_mfn_frame_list_list   frame of the top of the P2M frame tree
 *   p2m_cr3, p2m_vaddr           virtually mapped P2M (SIF_VIRT_P2M_4TOOLS)
 *   p2m_generation               bumped around every P2M change
 * Written by the hypervisor:
 *   nmi_reason                   why the last virtual NMI was sent
 */
struct arch_shared_info {
    uint64_t max_pfn;
    xen_pfn_t pfn_to_mfn_frame_list_list;
    uint64_t nmi_reason;
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;

/*
 * struct vcpu_guest_context: complete PV vCPU state (5168 bytes).
 *
 * VCPUOP_initialise(vcpuid, &ctx) sets a not-yet-initialised vCPU to this
 * state; VCPUOP_up then starts it. The hypervisor copies it in once and
 * validates every field, as for the corresponding hypercall.
 *
 * IN (guest or toolstack):
 *   fpu_ctxt                FXSAVE image, used iff VGCF_i387_valid
 *   flags                   VGCF_*
 *   user_regs               registers to start with
 *   trap_ctxt               virtual IDT, as set_trap_table
 *   ldt_base, ldt_ents      LDT (linear address, entries), as MMUEXT_SET_LDT
 *   gdt_frames, gdt_ents    GDT frames and entries, as set_gdt
 *   kernel_ss, kernel_sp    kernel stack for bounce frames, as stack_switch
 *   ctrlreg[8]              ctrlreg[3] = xen_pfn_to_cr3(top-level table);
 *                           the rest ignored except CR0.TS
 *   debugreg[8]             as set_debugreg
 *   event_callback_eip      as CALLBACKTYPE_event
 *   failsafe_callback_eip   as CALLBACKTYPE_failsafe
 *   syscall_callback_eip    as CALLBACKTYPE_syscall
 *   vm_assist               VMASST_* bitmap to enable
 *   fs_base, gs_base_kernel, gs_base_user   as set_segment_base
 */
struct vcpu_guest_context {
    struct {
        char x[512];
    } fpu_ctxt;
    uint64_t flags;
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;
    uint64_t gdt_frames[16], gdt_ents;
    uint64_t kernel_ss, kernel_sp;
    uint64_t ctrlreg[8];
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;

_Static_assert(sizeof(struct trap_info) == 16, "trap_info size");
_Static_assert(offsetof(struct trap_info, cs) == 2, "trap_info cs");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info address");

_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info size");
_Static_assert(offsetof(struct arch_shared_info, nmi_reason) == 16,
               "arch_shared_info nmi_reason");
_Static_assert(offsetof(struct arch_shared_info, p2m_generation) == 40,
               "arch_shared_info p2m_generation");

_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vgc size");
_Static_assert(offsetof(struct vcpu_guest_context, flags) == 512, "vgc flags");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520,
               "vgc user_regs");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720,
               "vgc trap_ctxt");
_Static_assert(offsetof(struct vcpu_guest_context, ldt_base) == 4816,
               "vgc ldt_base");
_Static_assert(offsetof(struct vcpu_guest_context, gdt_frames) == 4832,
               "vgc gdt_frames");
_Static_assert(offsetof(struct vcpu_guest_context, kernel_ss) == 4968,
               "vgc kernel_ss");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984,
               "vgc ctrlreg");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112,
               "vgc event_callback_eip");
_Static_assert(offsetof(struct vcpu_guest_context, vm_assist) == 5136,
               "vgc vm_assist");
_Static_assert(offsetof(struct vcpu_guest_context, gs_base_user) == 5160,
               "vgc gs_base_user");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_ARCH_X86_XEN_H */
