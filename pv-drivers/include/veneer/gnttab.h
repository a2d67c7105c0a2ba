/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1 (XEN-ABI-FACTS §5): the guest's own table
 * (granting its pages to other domains and ending that), mapping and
 * unmapping other domains' grants, and grant copies.
 *
 * The table. gnttab_init asks for GNTTAB_RT_FRAMES frames
 * (GNTTABOP_setup_table hands back their MFNs, as Xen does for PV) and
 * maps them writable over page-aligned pages of the runtime's .bss, as
 * shinfo.h does for shared_info: those .bss frames are given up. Entries
 * 0..GNTTAB_NR_RESERVED_ENTRIES-1 are the toolstack's (0: the console
 * ring, 1: the store ring, both granted to domain 0 by the builder); the
 * allocator hands out the rest.
 *
 * The granter's protocol (§5.3), as gnttab_grant_access_ref and
 * gnttab_end_access_ref follow it:
 *  - grant: write domid and frame, a write barrier, then flags;
 *  - end: read flags; while GTF_reading or GTF_writing is set the grant
 *    is in use (a mapping, or a copy in flight) and cannot end: return
 *    -XEN_EBUSY; else cmpxchg the flags to 0, and reload and check again
 *    if the hypervisor changed them meanwhile. Only after that succeeds
 *    may the page be reused (no barrier needed: the reuse depends on the
 *    cmpxchg).
 *
 * Mapping another domain's grant (GNTMAP_host_map) replaces the L1 entry
 * at va, as on Xen: va must be covered by an L1 table, and whatever it
 * mapped is no longer mapped there (the frame stays the guest's). After
 * gnttab_unmap the entry is empty.
 *
 * Results: functions return the hypercall's own result (0, or a negative
 * Xen errno when the whole call failed) and, where an operation can be
 * refused per element, the GNTST_* code through `status`.
 *
 * Single-vCPU, no locking.
 */
#ifndef VENEER_GNTTAB_H
#define VENEER_GNTTAB_H

#include <stdint.h>
#include <xen/grant_table.h>

/* [POLICY] Table frames the runtime sets up and maps: 2048 entries. */
#define GNTTAB_RT_FRAMES  4
#define GNTTAB_RT_ENTRIES (GNTTAB_RT_FRAMES * 4096 / 8)

/* The table, mapped; NULL before gnttab_init. */
extern volatile struct grant_entry_v1 *gnttab_table;

/*
 * gnttab_init: GNTTABOP_setup_table for GNTTAB_RT_FRAMES frames and map
 * them (once; later calls return 0).
 * Return values: 0; the hypercall's error; -XEN_EINVAL if the table
 * could not be set up (its status is not GNTST_okay).
 */
int gnttab_init(void);

/*
 * gnttab_grant_access: take a free reference and grant machine frame mfn
 * to domain domid (read-only if readonly).
 * Parameters: ref - OUT: the reference.
 * Return values: 0; -XEN_ENOSPC when every reference is taken; -XEN_EINVAL
 * before gnttab_init.
 */
int gnttab_grant_access(domid_t domid, uint64_t mfn, int readonly,
                        grant_ref_t *ref);

/*
 * gnttab_grant_access_ref: grant mfn to domid at a reference the caller
 * chose (a reserved one, or one it manages itself); the entry must not be
 * in use.
 * Return values: 0; -XEN_EINVAL (ref out of the table, or no table).
 */
int gnttab_grant_access_ref(grant_ref_t ref, domid_t domid, uint64_t mfn,
                            int readonly);

/*
 * gnttab_end_access_ref: end the grant at ref, the safe way (above).
 * Return values: 0 (the page may be reused); -XEN_EBUSY while it is mapped
 * or being copied; -XEN_EINVAL (ref out of the table).
 */
int gnttab_end_access_ref(grant_ref_t ref);

/*
 * gnttab_end_access: gnttab_end_access_ref, and on success give the
 * reference back to the allocator.
 */
int gnttab_end_access(grant_ref_t ref);

/*
 * gnttab_map: map domain dom's grant ref at va (GNTMAP_host_map, plus
 * GNTMAP_readonly if readonly).
 * Parameters: handle - OUT: for gnttab_unmap; status - OUT: GNTST_*.
 * Return values: the hypercall's result.
 */
long gnttab_map(domid_t dom, grant_ref_t ref, uint64_t va, int readonly,
                grant_handle_t *handle, int16_t *status);

/*
 * gnttab_unmap: undo gnttab_map at va. Once it returns, the grant's
 * GTF_reading/GTF_writing are cleared (the hypervisor knows the page is
 * gone from this domain).
 * Parameters: status - OUT: GNTST_*.
 * Return values: the hypercall's result.
 */
long gnttab_unmap(uint64_t va, grant_handle_t handle, int16_t *status);

/*
 * gnttab_copy: GNTTABOP_copy of n segments; each one's status is in its
 * element.
 * Return values: the hypercall's result.
 */
long gnttab_copy(struct gnttab_copy *ops, unsigned int n);

#endif /* VENEER_GNTTAB_H */
