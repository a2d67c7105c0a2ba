/* SPDX-License-Identifier: MIT */
/*
 * Xen's CPUID leaves (XEN-ABI-FACTS §1.3): how a guest finds the hypervisor
 * and what each leaf reports.
 *
 * Discovery: scan bases 0x40000000..0x4000FF00 in steps of 0x100 and take
 * the first whose EBX:ECX:EDX signature is "XenVMMXenVMM" and whose EAX
 * (highest leaf) is at least base + 2. A PV guest must put
 * XEN_EMULATE_PREFIX (arch-x86/xen.h) before `cpuid` to see these leaves:
 * plain `cpuid` runs natively and reports the host CPU. Leaves not listed
 * return all zero.
 *
 * Usable from C and from assembly.
 */
#ifndef VENEER_ABI_XEN_ARCH_X86_CPUID_H
#define VENEER_ABI_XEN_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF 0x40000000 /* usual base; +0x100 with Viridian */
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/*
 * Leaf base+0. EAX: highest Xen leaf (base + XEN_CPUID_MAX_NUM_LEAVES by
 * default; a toolstack may clamp it to base+2..base+5).
 * EBX, ECX, EDX: the signature "XenV" "MMXe" "nVMM".
 */
#define XEN_CPUID_SIGNATURE_EBX  0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX  0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX  0x4d4d566e /* "nVMM" */
#define XEN_CPUID_MAX_NUM_LEAVES 5 /* default highest leaf, relative to base */

/*
 * Leaf base+1. EAX: Xen version, major in bits 31:16, minor in 15:0.
 * EBX..EDX: 0.
 */

/*
 * Leaf base+2. EAX: number of hypercall pages (always 1). EBX: MSR index to
 * which an HVM/PVH guest writes the page's address (normally 0x40000000).
 * ECX: feature bits below. EDX: 0.
 */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
/* MMU_PT_UPDATE_PRESERVE_AD is supported (PV guests only). */
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD                              \
    (1u << _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD)

/*
 * Leaf base+3, time. Subleaf 0: EAX flags below, EBX tsc_mode, ECX guest
 * TSC kHz, EDX incarnation (migration count). Subleaf 1: EAX/EBX TSC
 * offset low/high, ECX tsc_to_system_mul, EDX tsc_shift. Subleaf 2: EAX
 * host TSC kHz.
 */
#define XEN_CPUID_TSC_EMULATED       (1u << 0) /* rdtsc is emulated */
#define XEN_CPUID_HOST_TSC_RELIABLE  (1u << 1) /* host TSC is invariant */
#define XEN_CPUID_RDTSCP_INSTR_AVAIL (1u << 2) /* rdtscp available */

#define XEN_CPUID_TSC_MODE_DEFAULT        0 /* emulate only if needed */
#define XEN_CPUID_TSC_MODE_ALWAYS_EMULATE 1 /* always trap and emulate */
#define XEN_CPUID_TSC_MODE_NEVER_EMULATE  2 /* always native */
#define XEN_CPUID_TSC_MODE_PVRDTSCP       3 /* legacy PV rdtscp mode */

/*
 * Leaf base+4 (HVM guests only), subleaf 0: EAX flags below; EBX vCPU id
 * (if XEN_HVM_CPUID_VCPU_ID_PRESENT); ECX domain id (if
 * XEN_HVM_CPUID_DOMID_PRESENT).
 */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0) /* APIC regs virtualized */
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1) /* x2APIC virtualized */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2) /* foreign maps in IOMMU */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3) /* EBX holds the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4) /* ECX holds the domid */
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5) /* 15-bit MSI dest id */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6) /* per-vCPU upcall vector */

/*
 * Leaf base+5 (PV guests only), subleaf 0: EBX bits 7:0 hold the maximum
 * machine address width in bits.
 */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

#endif /* VENEER_ABI_XEN_ARCH_X86_CPUID_H */
