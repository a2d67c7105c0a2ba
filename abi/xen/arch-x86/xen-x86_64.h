/* SPDX-License-Identifier: MIT */
/*
 * x86-64 PV guest layout: flat segment selectors, the hypervisor-reserved
 * virtual range, the iret hypercall frame, saved user registers and the
 * per-vCPU arch area of vcpu_info.
 *
 * Every number here is a Xen ABI fact (shared/design/XEN-ABI-FACTS.md §8.5,
 * §8.6, §3.2); the text is Veneer's. Include <xen/xen.h> rather than this
 * file: it is pulled in through arch-x86/xen.h.
 *
 * Usable from C and from assembly (-D__ASSEMBLY__): only the constants are
 * visible to the assembler.
 */
#ifndef VENEER_ABI_XEN_ARCH_X86_XEN_X86_64_H
#define VENEER_ABI_XEN_ARCH_X86_XEN_X86_64_H

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#endif

/*
 * Flat selectors (XEN-ABI-FACTS §8.6).
 *
 * A 64-bit PV kernel runs in ring 3, so there is one set of selectors, in
 * GDT entries that Xen reserves (index 260..262, inside the reserved GDT
 * pages from FIRST_RESERVED_GDT_ENTRY up). The KERNEL and USER names alias
 * the RING3 ones. The builder enters the guest with CS = FLAT_KERNEL_CS and
 * SS = DS = FLAT_KERNEL_SS / FLAT_KERNEL_DS.
 */
#define FLAT_RING3_CS32 0xe023 /* 32-bit code, GDT index 260, RPL 3 */
#define FLAT_RING3_CS64 0xe033 /* 64-bit code, GDT index 262, RPL 3 */
#define FLAT_RING3_DS32 0xe02b /* 32-bit data, GDT index 261, RPL 3 */
#define FLAT_RING3_DS64 0x0000 /* 64-bit data: the null selector */
#define FLAT_RING3_SS32 0xe02b /* 32-bit stack: same as DS32 */
#define FLAT_RING3_SS64 0xe02b /* 64-bit stack: same as DS32 */

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64 /* kernel aliases (kernel = ring 3) */
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64 /* user aliases */
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * First GDT page Xen reserves for itself: guest GDT entries from
 * FIRST_RESERVED_GDT_ENTRY up cannot be set with set_gdt/update_descriptor.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/*
 * Hypervisor-reserved virtual range (XEN-ABI-FACTS §8.5). On Xen, L4 slots
 * 256..271 map Xen and a read-only M2P table at MACH2PHYS_VIRT_START.
 *
 * Veneer note: on Veneer's trap platform the upper half belongs to the host
 * kernel and guests live below VENEER_GUEST_VA_LIMIT (abi/veneer/platform.h);
 * these values are the Xen facts, kept so that guests can test against
 * them. Where (and whether) the M2P is visible is reported by
 * XENMEM_machphys_mapping, which guests should use instead of the constant.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#ifndef __ASSEMBLY__
#define HYPERVISOR_VIRT_START ((uint64_t)__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END   ((uint64_t)__HYPERVISOR_VIRT_END)
#define MACH2PHYS_VIRT_START  ((uint64_t)__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END    ((uint64_t)__MACH2PHYS_VIRT_END)
/* Number of 8-byte M2P entries in the reserved M2P range. */
#define MACH2PHYS_NR_ENTRIES ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)
#else
#define HYPERVISOR_VIRT_START __HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_END   __HYPERVISOR_VIRT_END
#define MACH2PHYS_VIRT_START  __MACH2PHYS_VIRT_START
#define MACH2PHYS_VIRT_END    __MACH2PHYS_VIRT_END
#endif

/*
 * set_segment_base(which, base) (hypercall 25): `which` values.
 */
#define SEGBASE_FS          0 /* set the FS base */
#define SEGBASE_GS_USER     1 /* set the user GS base (swapped in by swapgs) */
#define SEGBASE_GS_KERNEL   2 /* set the kernel GS base */
#define SEGBASE_GS_USER_SEL 3 /* load a user GS selector (base is the sel) */

/*
 * iret hypercall (23) flags word: bit 8 set means the guest is returning
 * from a syscall callback, so rcx and r11 in the frame are *not* restored
 * (Xen returns with sysret semantics).
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

#ifndef __ASSEMBLY__

/*
 * struct iret_context: the frame the iret hypercall pops (72 bytes).
 *
 * The guest builds it on its current stack, rax at the lowest address, and
 * jumps to the iret hypercall stub (the stub pushes rcx, r11 and rax itself
 * in the hypercall page; a guest without the page pushes them by hand).
 * Xen, or Veneer's stub, restores the full register state from it and
 * re-enables event delivery iff RFLAGS.IF is set in `rflags`.
 *
 * IN (written by the guest, read by the hypervisor):
 *   rax, r11, rcx  values to restore (rcx/r11 ignored if VGCF_in_syscall)
 *   flags          VGCF_in_syscall or 0
 *   rip, cs        return address and selector: RPL 0 (as in the frames
 *                  the hypervisor builds for kernel context) returns to the
 *                  kernel; RPL 3 switches to guest user mode, which needs
 *                  user page tables (without them the domain crashes)
 *   rflags         IF selects whether upcalls are unmasked on return
 *   rsp, ss        stack to return to
 */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * struct cpu_user_regs: saved general-purpose state of a vCPU (200 bytes).
 *
 * Used inside vcpu_guest_context (VCPUOP_initialise, domctl getvcpucontext).
 * error_code and entry_vector are hypervisor-private; cs carries
 * saved_upcall_mask next to it (the guest's upcall mask at the time of the
 * trap). Selector fields are 16 bits, each padded to 8 bytes.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;   /* hypervisor-private */
    uint32_t entry_vector; /* hypervisor-private */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t saved_upcall_mask; /* evtchn_upcall_mask when the frame was made */
    uint8_t _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;

/*
 * struct arch_vcpu_info: x86-64 part of vcpu_info (16 bytes, at offset 16
 * of vcpu_info).
 *
 * Written by the hypervisor:
 *   cr2  faulting linear address of the last #PF bounced to the guest
 * pad is reserved, zero.
 */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A callback address for set_callbacks / callback_op: a 64-bit RIP. */
typedef uint64_t xen_callback_t;

_Static_assert(sizeof(struct iret_context) == 72, "iret_context size");
_Static_assert(offsetof(struct iret_context, flags) == 24, "iret flags");
_Static_assert(offsetof(struct iret_context, ss) == 64, "iret ss");

_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs size");
_Static_assert(offsetof(struct cpu_user_regs, rax) == 80, "regs rax");
_Static_assert(offsetof(struct cpu_user_regs, rdi) == 112, "regs rdi");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120,
               "regs error_code");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "regs rip");
_Static_assert(offsetof(struct cpu_user_regs, cs) == 136, "regs cs");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140,
               "regs saved_upcall_mask");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "regs rflags");
_Static_assert(offsetof(struct cpu_user_regs, rsp) == 152, "regs rsp");
_Static_assert(offsetof(struct cpu_user_regs, ss) == 160, "regs ss");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "regs gs");

_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info size");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_ARCH_X86_XEN_X86_64_H */
