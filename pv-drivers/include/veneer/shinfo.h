/* SPDX-License-Identifier: MIT */
/*
 * The shared_info page: mapping it, and vCPU 0's vcpu_info in it.
 *
 * A PV guest is given shared_info by machine address
 * (start_info.shared_info); it is not in the P2M list, and the guest maps
 * it itself (XEN-ABI-FACTS §3.3). The runtime maps it writable over a
 * page-aligned page of its own .bss, as Mini-OS does, so the mapping
 * needs no new page table: the bootstrap tables map the image. The .bss
 * frame that was there is no longer mapped anywhere and is lost to the
 * guest.
 *
 * Single-vCPU, no locking.
 */
#ifndef VENEER_SHINFO_H
#define VENEER_SHINFO_H

#include <xen/xen.h>

/* The mapped page, or NULL before shinfo_map. */
extern struct shared_info *shinfo;

/* vCPU 0's vcpu_info: in shinfo, or where shinfo_register_vcpu_info put
 * it; NULL before shinfo_map. */
extern struct vcpu_info *shinfo_vcpu_info;

/*
 * shinfo_map: map start_info.shared_info at the runtime's page (once;
 * later calls return 0 at once).
 *
 * Return values: 0; update_va_mapping's error.
 */
int shinfo_map(void);

/* shinfo_vcpu: vCPU 0's vcpu_info; shinfo must be mapped. */
static inline struct vcpu_info *shinfo_vcpu(void)
{
    return shinfo_vcpu_info;
}

/*
 * shinfo_register_vcpu_info: move vCPU 0's vcpu_info to the 64 bytes at
 * va (VCPUOP_register_vcpu_info, XEN-ABI-FACTS §7.2) and use it from then
 * on. va must be mapped writable, 8-byte aligned and not cross a page;
 * the hypervisor copies the old contents there, then raises one spurious
 * upcall (every selector bit set). Allowed once. Call it with upcalls
 * masked, so that no upcall runs between the move and the switch.
 *
 * Return values: 0; -XEN_EFAULT if va is not mapped; the hypercall's
 * error (-XEN_EBUSY the second time, -XEN_ENXIO crossing a page).
 */
int shinfo_register_vcpu_info(uint64_t va);

#endif /* VENEER_SHINFO_H */
