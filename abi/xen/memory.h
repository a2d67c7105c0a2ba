/* SPDX-License-Identifier: MIT */
/*
 * memory_op hypercall (12): reservation (balloon), the domain's memory
 * map, physmap changes and the M2P location (XEN-ABI-FACTS §6).
 *
 * memory_op(unsigned cmd, void *arg)
 *
 * 1. The op is cmd & MEMOP_CMD_MASK. The hypervisor keeps a continuation's
 *    start extent in cmd >> MEMOP_EXTENT_SHIFT; guests pass 0 there.
 * 2. A `domid` field must be DOMID_SELF unless the caller is privileged
 *    over the target (-XEN_EPERM otherwise).
 * 3. Frame numbers are machine frames for a PV guest (Veneer: MFNs in
 *    veneerd's global frame space) and GFNs for a translated guest.
 */
#ifndef VENEER_ABI_XEN_MEMORY_H
#define VENEER_ABI_XEN_MEMORY_H

#include "xen.h"

#define MEMOP_EXTENT_SHIFT 6 /* continuation extent lives above the op */
#define MEMOP_CMD_MASK     ((1 << MEMOP_EXTENT_SHIFT) - 1) /* op bits */

/*
 * XENMEM_increase_reservation (arg struct xen_memory_reservation): allocate
 * nr_extents extents of 2^extent_order frames. PV: the frames of each new
 * extent are written to extent_start[i]. Returns the number of extents
 * allocated (may be fewer than asked).
 */
#define XENMEM_increase_reservation 0

/*
 * XENMEM_decrease_reservation (arg struct xen_memory_reservation): give
 * back the extents whose first frames are listed in extent_start (balloon
 * inflate). Returns the number of extents freed.
 */
#define XENMEM_decrease_reservation 1

/* XENMEM_maximum_ram_page (arg NULL): returns the highest machine frame of
 * RAM; never fails. */
#define XENMEM_maximum_ram_page 2

/* XENMEM_current_reservation (arg struct xen_memory_domain): returns the
 * number of pages the domain has now. */
#define XENMEM_current_reservation 3

/* XENMEM_maximum_reservation (arg struct xen_memory_domain): returns the
 * domain's page limit. */
#define XENMEM_maximum_reservation 4

/* XENMEM_machphys_mfn_list (arg struct xen_machphys_mfn_list): PV; the
 * frames that hold the M2P table. */
#define XENMEM_machphys_mfn_list 5

/*
 * XENMEM_populate_physmap (arg struct xen_memory_reservation): allocate
 * frames at the frame numbers listed in extent_start (translated guests;
 * for PV it acts like increase_reservation). Returns the extents done.
 */
#define XENMEM_populate_physmap 6

/* XENMEM_add_to_physmap (arg struct xen_add_to_physmap): map a special
 * page (shared_info, a grant frame, ...) at a GFN; translated guests. */
#define XENMEM_add_to_physmap 7

/*
 * XENMEM_memory_map (arg struct xen_memory_map): the domain's E820 map as
 * the toolstack set it. IN nr_entries = capacity of buffer; OUT
 * nr_entries = entries written. Entries are struct e820entry (20 bytes,
 * packed). Returns 0 or -XEN_E*.
 */
#define XENMEM_memory_map 9

/* XENMEM_machine_memory_map (arg struct xen_memory_map): the host's E820
 * map; privileged. */
#define XENMEM_machine_memory_map 10

/* XENMEM_exchange (arg struct xen_memory_exchange): swap frames for frames
 * of another order or address width; PV only. */
#define XENMEM_exchange 11

/*
 * XENMEM_machphys_mapping (arg struct xen_machphys_mapping, OUT): where
 * the read-only M2P table is mapped in the guest's address space
 * (v_start..v_end) and the highest MFN it covers. Translated guests get
 * -XEN_ENOSYS.
 */
#define XENMEM_machphys_mapping 12

/* XENMEM_set_memory_map (arg struct xen_foreign_memory_map): toolstack
 * sets a domain's E820 map. */
#define XENMEM_set_memory_map 13

/* XENMEM_maximum_gpfn (arg struct xen_memory_domain): returns the highest
 * frame number in use in the domain's physmap. */
#define XENMEM_maximum_gpfn 14

/* XENMEM_remove_from_physmap (arg struct xen_remove_from_physmap): unmap
 * whatever is at a GFN; translated guests. */
#define XENMEM_remove_from_physmap 15

#define XENMEM_set_pod_target             16 /* toolstack: PoD */
#define XENMEM_get_pod_target             17 /* toolstack: PoD */
#define XENMEM_get_sharing_freed_pages    18 /* page sharing stats */
#define XENMEM_get_sharing_shared_pages   19 /* page sharing stats */
#define XENMEM_paging_op                  20 /* toolstack: paging */
#define XENMEM_access_op                  21 /* toolstack: mem_access */
#define XENMEM_sharing_op                 22 /* toolstack: sharing */
#define XENMEM_add_to_physmap_batch       23 /* batched add_to_physmap */
#define XENMEM_claim_pages                24 /* toolstack: claim */
#define XENMEM_machphys_compat_mfn_list   25 /* PV: compat M2P frames */
#define XENMEM_get_vnumainfo              26 /* vNUMA topology */
#define XENMEM_reserved_device_memory_map 27 /* toolstack: RMRR */
#define XENMEM_acquire_resource           28 /* toolstack: map resources */

/*
 * xen_memory_reservation.mem_flags (XENMEMF_*).
 */
#define XENMEMF_address_bits(x)     (x) /* bits 7:0: max address width */
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8) /* NUMA node + 1 */
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16) /* PoD (toolstack) */
#define XENMEMF_exact_node_request  (1 << 17) /* node is a requirement */
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18) /* node is a virtual node */

/*
 * xen_add_to_physmap.space (XENMAPSPACE_*).
 */
#define XENMAPSPACE_shared_info  0 /* idx must be 0 */
#define XENMAPSPACE_grant_table  1 /* idx = grant frame (| status flag) */
#define XENMAPSPACE_gmfn         2 /* move own frame idx to gpfn */
#define XENMAPSPACE_gmfn_range   3 /* as gmfn, `size` frames */
#define XENMAPSPACE_gmfn_foreign 4 /* foreign frame; batch only */
#define XENMAPSPACE_dev_mmio     5 /* Arm only */

/* Ored into idx with XENMAPSPACE_grant_table: map a v2 status frame. */
#define XENMAPIDX_grant_table_status 0x80000000U

/* E820 region types, as in struct e820entry.type. */
#define E820_RAM      1 /* usable RAM */
#define E820_RESERVED 2 /* reserved */
#define E820_ACPI     3 /* ACPI reclaimable */
#define E820_NVS      4 /* ACPI NVS */
#define E820_UNUSABLE 5 /* bad memory */
#define E820_DISABLED 6 /* disabled */
#define E820_PMEM     7 /* persistent memory */

#ifndef __ASSEMBLY__

/*
 * struct xen_memory_reservation (32 bytes).
 * IN:     extent_start  handle to an array of nr_extents xen_pfn_t
 *                       (IN for decrease/populate; OUT for increase, PV)
 *         nr_extents    number of extents
 *         extent_order  each extent is 2^extent_order frames
 *         mem_flags     XENMEMF_*
 *         domid         DOMID_SELF unless privileged
 */
struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t domid;
    uint16_t _pad[3];
};
typedef struct xen_memory_reservation xen_memory_reservation_t;

/*
 * struct xen_memory_exchange (72 bytes), PV only.
 * IN:  in            frames to give up (as for decrease_reservation)
 *      out           frames wanted (extent_start OUT)
 * OUT: nr_exchanged  input extents exchanged so far; on failure the
 *                    caller may retry from there
 */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;

/* struct xen_memory_domain (2 bytes). IN: domid. */
struct xen_memory_domain {
    domid_t domid;
};
typedef struct xen_memory_domain xen_memory_domain_t;

/*
 * struct xen_machphys_mfn_list (16 bytes).
 * IN:  max_extents   capacity of extent_start
 *      extent_start  handle to xen_pfn_t array, OUT: M2P frames
 * Returns the number of entries written in max_extents (OUT).
 */
struct xen_machphys_mfn_list {
    uint32_t max_extents;
    uint32_t _pad;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;

/*
 * struct xen_machphys_mapping (24 bytes).
 * OUT: v_start, v_end  virtual range of the read-only M2P table
 *      max_mfn         highest MFN the table covers
 */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;

/*
 * struct xen_add_to_physmap (24 bytes).
 * IN: domid  DOMID_SELF unless privileged
 *     size   number of frames (XENMAPSPACE_gmfn_range only)
 *     space  XENMAPSPACE_*
 *     idx    index within the space
 *     gpfn   destination GFN
 */
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;
    uint32_t space;
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;

/*
 * struct xen_add_to_physmap_batch (32 bytes).
 * IN:  domid, space, size   as xen_add_to_physmap (space is 16 bits here)
 *      u.foreign_domid      owner of the frames for gmfn_foreign
 *      idxs                 handle to `size` xen_ulong_t indices
 *      gpfns                handle to `size` xen_pfn_t destinations
 * OUT: errs                 handle to `size` int results (0 or -XEN_E*)
 */
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    union {
        domid_t foreign_domid;
        uint16_t res0;
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;

/* struct xen_remove_from_physmap (16 bytes). IN: domid, gpfn. */
struct xen_remove_from_physmap {
    domid_t domid;
    uint16_t _pad[3];
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;

/*
 * struct xen_memory_map (16 bytes).
 * IN:  nr_entries  capacity of buffer, in entries
 * OUT: nr_entries  entries written
 *      buffer      handle to an array of struct e820entry
 */
struct xen_memory_map {
    uint32_t nr_entries;
    uint32_t _pad;
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;

/* struct xen_foreign_memory_map (24 bytes): set_memory_map's argument.
 * IN: domid, map. */
struct xen_foreign_memory_map {
    domid_t domid;
    uint16_t _pad[3];
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;

/*
 * struct e820entry (20 bytes, packed): one region of a memory map.
 * addr  start address; size  length in bytes; type  E820_*.
 */
struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

_Static_assert(sizeof(struct xen_memory_reservation) == 32,
               "xen_memory_reservation size");
_Static_assert(offsetof(struct xen_memory_reservation, nr_extents) == 8,
               "reservation nr_extents");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16,
               "reservation extent_order");
_Static_assert(offsetof(struct xen_memory_reservation, mem_flags) == 20,
               "reservation mem_flags");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24,
               "reservation domid");
_Static_assert(sizeof(struct xen_memory_exchange) == 72,
               "xen_memory_exchange size");
_Static_assert(offsetof(struct xen_memory_exchange, nr_exchanged) == 64,
               "exchange nr_exchanged");
_Static_assert(sizeof(struct xen_memory_domain) == 2, "memory_domain size");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 16,
               "machphys_mfn_list size");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24,
               "machphys_mapping size");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap size");
_Static_assert(offsetof(struct xen_add_to_physmap, size) == 2,
               "add_to_physmap size field");
_Static_assert(offsetof(struct xen_add_to_physmap, space) == 4,
               "add_to_physmap space");
_Static_assert(offsetof(struct xen_add_to_physmap, idx) == 8,
               "add_to_physmap idx");
_Static_assert(offsetof(struct xen_add_to_physmap, gpfn) == 16,
               "add_to_physmap gpfn");
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32,
               "add_to_physmap_batch size");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, u) == 6,
               "batch foreign_domid");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8,
               "batch idxs");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, gpfns) == 16,
               "batch gpfns");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, errs) == 24,
               "batch errs");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16,
               "remove_from_physmap size");
_Static_assert(offsetof(struct xen_remove_from_physmap, gpfn) == 8,
               "remove_from_physmap gpfn");
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map size");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8,
               "memory_map buffer");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24,
               "foreign_memory_map size");
_Static_assert(sizeof(struct e820entry) == 20, "e820entry size");
_Static_assert(offsetof(struct e820entry, type) == 16, "e820entry type");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_MEMORY_H */
