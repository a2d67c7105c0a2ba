/* SPDX-License-Identifier: MIT */
/*
 * XENFEAT_* bits: optional hypervisor behaviours a guest can query with
 * XENVER_get_features (version.h) and demand with XEN_ELFNOTE_FEATURES
 * (elfnote.h). Feature n is bit n % 32 of submap n / 32 (XEN-ABI-FACTS
 * §7.3).
 *
 * Usable from C and from assembly.
 */
#ifndef VENEER_ABI_XEN_FEATURES_H
#define VENEER_ABI_XEN_FEATURES_H

/* Guest may write its L1 page tables directly (trapped and validated). */
#define XENFEAT_writable_page_tables 0
/* Guest may write GDT/LDT pages directly. */
#define XENFEAT_writable_descriptor_tables 1
/* Hypervisor translates guest frames (HVM/PVH); frame fields are GFNs. */
#define XENFEAT_auto_translated_physmap 2
/* Guest kernel runs in ring 0 (not PV). */
#define XENFEAT_supervisor_mode_kernel 3
/* x86-32 PAE page directories may live above 4 GiB. */
#define XENFEAT_pae_pgdir_above_4gb 4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad 5
/* Highmem assists (x86-32). */
#define XENFEAT_highmem_assist 6
/* GNTMAP_guest_avail bits are honoured by map_grant_ref. */
#define XENFEAT_gnttab_map_avail_bits 7
/* HVM_PARAM_CALLBACK_IRQ accepts a vector (HVM/PVH). */
#define XENFEAT_hvm_callback_vector 8
/* pvclock is safe to use in an HVM guest. */
#define XENFEAT_hvm_safe_pvclock 9
/* PIRQs are delivered as event channels in an HVM guest. */
#define XENFEAT_hvm_pirqs 10
/* The domain is dom0. */
#define XENFEAT_dom0 11
/* Grant maps are identity-mapped (Arm). */
#define XENFEAT_grant_map_identity 12
/* XENMEMF_vnode is understood by memory_op. */
#define XENFEAT_memory_op_vnode_supported 13
/* Arm SMCCC is available. */
#define XENFEAT_ARM_SMCCC_supported 14
/* Linux may place the RSDP anywhere. */
#define XENFEAT_linux_rsdp_unrestricted 15
/* Domain memory is not 1:1 with machine memory. */
#define XENFEAT_not_direct_mapped 16
/* Domain memory is 1:1 with machine memory. */
#define XENFEAT_direct_mapped 17
/* VCPUOP_register_runstate_phys_area is available. */
#define XENFEAT_runstate_phys_area 18
/* VCPUOP_register_vcpu_time_phys_area is available. */
#define XENFEAT_vcpu_time_phys_area 19
/* Device models see all MSI-X table writes. */
#define XENFEAT_dm_msix_all_writes 20

/* Number of 32-bit submaps XENVER_get_features reports. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* VENEER_ABI_XEN_FEATURES_H */
