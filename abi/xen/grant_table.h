/* SPDX-License-Identifier: MIT */
/*
 * Grant tables (hypercall 20): how a domain lets another domain map or
 * copy one of its pages (XEN-ABI-FACTS §5). Version 1 entries are the
 * Veneer default; version 2 layouts are defined for completeness.
 *
 * grant_table_op(unsigned cmd, void *uops, unsigned count)
 *
 * `uops` is an array of `count` structs of the command's type. Each
 * element's result goes in its own `status` field (GNTST_*); the call
 * itself returns 0, or -XEN_E* if the whole call failed (bad cmd, bad
 * array address).
 *
 * Roles: the *granter* [GST] writes entries in its own grant table; the
 * hypervisor [XEN] updates the in-use bits; the *grantee* names the entry
 * by (granter domid, grant ref) in map/copy requests.
 */
#ifndef VENEER_ABI_XEN_GRANT_TABLE_H
#define VENEER_ABI_XEN_GRANT_TABLE_H

#include "xen.h"

/*
 * Reserved grant references: 0..GNTTAB_NR_RESERVED_ENTRIES-1 are never
 * handed out by a guest's allocator. The toolstack fills two of them.
 */
#define GNTTAB_NR_RESERVED_ENTRIES 8 /* refs 0..7 are reserved */
#define GNTTAB_RESERVED_CONSOLE    0 /* console ring -> console backend */
#define GNTTAB_RESERVED_XENSTORE   1 /* store ring -> xenstore domain */

/*
 * grant_entry_v1.flags (GTF_*). Bits 1:0 are the entry type.
 */
#define GTF_invalid         (0U << 0) /* [GST] entry grants nothing */
#define GTF_permit_access   (1U << 0) /* [GST] domid may map/copy frame */
#define GTF_accept_transfer (2U << 0) /* [GST] domid may transfer a page in */
#define GTF_transitive      (3U << 0) /* [GST] v2 only: re-grant */
#define GTF_type_mask       (3U << 0) /* mask of the type bits */

/* permit_access subflags. */
#define _GTF_readonly  2
#define GTF_readonly   (1U << _GTF_readonly) /* [GST] grantee may only read */
#define _GTF_reading   3
#define GTF_reading    (1U << _GTF_reading) /* [XEN] mapped/copied for read */
#define _GTF_writing   4
#define GTF_writing    (1U << _GTF_writing) /* [XEN] mapped/copied for write */
#define _GTF_PWT       5
#define GTF_PWT        (1U << _GTF_PWT) /* [GST] x86 cache: write-through */
#define _GTF_PCD       6
#define GTF_PCD        (1U << _GTF_PCD) /* [GST] x86 cache: disable */
#define _GTF_PAT       7
#define GTF_PAT        (1U << _GTF_PAT) /* [GST] x86 cache: PAT bit */
#define GTF_CACHE_MASK (7U << _GTF_PWT) /* all cache-attribute bits */
#define _GTF_sub_page  8
#define GTF_sub_page   (1U << _GTF_sub_page) /* [GST] v2: copy-only range */

/* accept_transfer subflags. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed) /* [XEN] */
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed) /* [XEN] */

/*
 * Granter recipes, v1 ([GST] = the granting guest):
 *
 * Grant access:
 * 1. Write domid, then frame.
 * 2. Write barrier (wmb).
 * 3. Write flags = GTF_permit_access [| GTF_readonly].
 *
 * End access (the page may be reused only after this succeeds):
 * 1. old = flags.
 * 2. If old & (GTF_reading | GTF_writing), the grantee still has it
 *    mapped or a copy is in flight: fail or retry later.
 * 3. cmpxchg16(&flags, old, 0); if it fails, reload and go to 2.
 * 4. No barrier is needed before reusing the page: the reuse depends on
 *    the successful cmpxchg.
 *
 * Writable -> read-only: cmpxchg in GTF_readonly while GTF_writing is
 * clear. Read-only -> writable: an atomic bit clear is enough.
 *
 * [XEN] While any mapping or copy is active the hypervisor keeps
 * GTF_reading set (and GTF_writing for writable access), updating the
 * 32-bit (flags, domid) pair with cmpxchg. A map is allowed only if the
 * type is permit_access, domid equals the mapping domain, and the mapping
 * is read-only when GTF_readonly is set.
 */

/*
 * GNTTABOP_map_grant_ref (struct gnttab_map_grant_ref): map the granted
 * frame (dom, ref) into the caller.
 * 1. flags must contain GNTMAP_host_map (CPU mapping) and/or
 *    GNTMAP_device_map; GNTMAP_readonly for a read-only mapping (required
 *    if the entry has GTF_readonly).
 * 2. PV: host_addr is the virtual address to map at, or with
 *    GNTMAP_contains_pte the machine address of the PTE to write.
 * 3. On success: handle identifies the mapping for unmap; dev_bus_addr
 *    is the frame's bus address if GNTMAP_device_map was given.
 */
#define GNTTABOP_map_grant_ref 0

/* GNTTABOP_unmap_grant_ref (struct gnttab_unmap_grant_ref): undo a map;
 * host_addr and/or dev_bus_addr as mapped, plus the handle. */
#define GNTTABOP_unmap_grant_ref 1

/*
 * GNTTABOP_setup_table (struct gnttab_setup_table): grow dom's table to
 * nr_frames frames (at most query_size's max_nr_frames) and return their
 * frame numbers in frame_list, so the granter can map its own table.
 * count must be 1.
 */
#define GNTTABOP_setup_table 2

/* GNTTABOP_dump_table (struct gnttab_dump_table): debug dump to the
 * hypervisor console. */
#define GNTTABOP_dump_table 3

/* GNTTABOP_transfer (struct gnttab_transfer): give a page to another
 * domain into an accept_transfer entry; PV only. */
#define GNTTABOP_transfer 4

/*
 * GNTTABOP_copy (struct gnttab_copy): copy bytes between a granted page
 * and a page of the caller (or two granted pages) without mapping.
 * 1. An endpoint named by frame (flag bit clear) must be DOMID_SELF,
 *    else GNTST_permission_denied.
 * 2. offset + len must stay within one 4 KiB page on each side, else
 *    GNTST_bad_copy_arg.
 * 3. A gref destination needs write access (no GTF_readonly).
 */
#define GNTTABOP_copy 5

/* GNTTABOP_query_size (struct gnttab_query_size): current and maximum
 * number of table frames. */
#define GNTTABOP_query_size 6

/* GNTTABOP_unmap_and_replace (struct gnttab_unmap_and_replace): PV:
 * unmap and put another mapping in its place. */
#define GNTTABOP_unmap_and_replace 7

/* GNTTABOP_set_version (struct gnttab_set_version): switch to v1 or v2
 * while no grants are active; OUT: the version now in use. */
#define GNTTABOP_set_version 8

/* GNTTABOP_get_status_frames (struct gnttab_get_status_frames): v2
 * status frame numbers. */
#define GNTTABOP_get_status_frames 9

/* GNTTABOP_get_version (struct gnttab_get_version). */
#define GNTTABOP_get_version 10

/* GNTTABOP_swap_grant_ref (struct gnttab_swap_grant_ref): swap two of the
 * caller's entries. */
#define GNTTABOP_swap_grant_ref 11

/* GNTTABOP_cache_flush (struct gnttab_cache_flush): Arm only. */
#define GNTTABOP_cache_flush 12

/* gnttab_map_grant_ref.flags (GNTMAP_*). */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1 << _GNTMAP_device_map) /* bus address */
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1 << _GNTMAP_host_map) /* CPU mapping */
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1 << _GNTMAP_readonly) /* read-only */
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1 << _GNTMAP_application_map) /* PV: user */
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte) /* PV: PTE addr */
#define _GNTMAP_guest_avail0    16
/* Bits 16..31 go into the PTE's available bits (XENFEAT_gnttab_map_avail_
 * bits). */
#define GNTMAP_guest_avail0     (1U << _GNTMAP_guest_avail0)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* gnttab_copy.flags. */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref) /* source is a ref */
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref) /* dest is a ref */

/* gnttab_cache_flush.op. */
#define GNTTAB_CACHE_CLEAN       (1U << 0)
#define GNTTAB_CACHE_INVAL       (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

/* Per-element status codes (GNTST_*). */
#define GNTST_okay              (0)   /* normal return */
#define GNTST_general_error     (-1)  /* general undefined error */
#define GNTST_bad_domain        (-2)  /* unrecognised domain id */
#define GNTST_bad_gntref        (-3)  /* unrecognised or inappropriate ref */
#define GNTST_bad_handle        (-4)  /* unrecognised map handle */
#define GNTST_bad_virt_addr     (-5)  /* inappropriate virtual address */
#define GNTST_bad_dev_addr      (-6)  /* inappropriate device address */
#define GNTST_no_device_space   (-7)  /* out of space in I/O MMU */
#define GNTST_permission_denied (-8)  /* not enough privilege */
#define GNTST_bad_page          (-9)  /* specified page was invalid */
#define GNTST_bad_copy_arg      (-10) /* copy crosses a page boundary */
#define GNTST_address_too_big   (-11) /* transfer page address too large */
#define GNTST_eagain            (-12) /* try again (page paged out) */
#define GNTST_no_space          (-13) /* out of space (table full) */

#ifndef __ASSEMBLY__

/* A grant reference: index into the granter's table. */
typedef uint32_t grant_ref_t;
/* A handle naming one mapping made by map_grant_ref. */
typedef uint32_t grant_handle_t;
/* A v2 status word. */
typedef uint16_t grant_status_t;

/*
 * Message text for each GNTST_* code, indexed by -status, for logs.
 * Static data usable by guests and tools alike.
 */
static const char *const gnttabop_error_msgs[] __attribute__((unused)) = {
    "okay",
    "undefined error",
    "unrecognised domain id",
    "invalid grant reference",
    "invalid mapping handle",
    "invalid virtual address",
    "invalid device address",
    "no spare translation slot in the I/O MMU",
    "permission denied",
    "bad page",
    "copy arguments cross page boundary",
    "page address size too large",
    "operation not done; try again",
    "no space left in the grant table",
};

/*
 * struct grant_entry_v1 (8 bytes; 512 per 4 KiB frame). Shared between
 * the granter and the hypervisor.
 *   flags  [GST, XEN] GTF_*
 *   domid  [GST] the domain given access
 *   frame  [GST] the granted frame (or transfer slot); [XEN] after a
 *          completed transfer, the new frame
 */
struct grant_entry_v1 {
    uint16_t flags;
    domid_t domid;
    uint32_t frame;
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* struct grant_entry_header (4 bytes): first half of a v2 entry,
 * same as v1. */
struct grant_entry_header {
    uint16_t flags;
    domid_t domid;
};
typedef struct grant_entry_header grant_entry_header_t;

/*
 * union grant_entry_v2 (16 bytes). Variants after the common header:
 * full_page (frame), sub_page (page_off, length, frame; copy only),
 * transitive (trans_domid, gref: re-grant another domain's grant).
 */
union grant_entry_v2 {
    struct grant_entry_header hdr;
    struct {
        struct grant_entry_header hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        struct grant_entry_header hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        struct grant_entry_header hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;

/*
 * struct gnttab_map_grant_ref (32 bytes).
 * IN:  host_addr     where to map (see GNTTABOP_map_grant_ref)
 *      flags         GNTMAP_*
 *      ref           grant reference in dom's table
 *      dom           granting domain
 * OUT: status        GNTST_*
 *      handle        mapping handle for unmap
 *      dev_bus_addr  bus address (GNTMAP_device_map)
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t dom;
    int16_t status;
    grant_handle_t handle;
    uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;

/*
 * struct gnttab_unmap_grant_ref (24 bytes).
 * IN:  host_addr, dev_bus_addr  as mapped (0 to skip one)
 *      handle                   from map_grant_ref
 * OUT: status                   GNTST_*
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;

/*
 * struct gnttab_setup_table (24 bytes).
 * IN:  dom         DOMID_SELF unless privileged
 *      nr_frames   number of frames wanted
 * OUT: status      GNTST_*
 *      frame_list  handle to nr_frames xen_pfn_t, OUT: the frames
 */
struct gnttab_setup_table {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;
    int16_t status;
    uint16_t _pad1[3];
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;

/* struct gnttab_dump_table (4 bytes). IN: dom. OUT: status. */
struct gnttab_dump_table {
    domid_t dom;
    int16_t status;
};
typedef struct gnttab_dump_table gnttab_dump_table_t;

/*
 * struct gnttab_transfer (24 bytes), PV only.
 * IN:  mfn    the caller's frame to give away
 *      domid  receiving domain
 *      ref    its accept_transfer entry
 * OUT: status GNTST_*
 */
struct gnttab_transfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t _pad;
    grant_ref_t ref;
    int16_t status;
    uint16_t _pad1[3];
};
typedef struct gnttab_transfer gnttab_transfer_t;

/*
 * struct gnttab_copy (40 bytes).
 * IN:  source, dest  u.ref (grant, if GNTCOPY_*_gref) or u.gmfn (own
 *                    frame, domid must be DOMID_SELF); domid; offset
 *      len           bytes to copy
 *      flags         GNTCOPY_*
 * OUT: status        GNTST_*
 */
struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;
            xen_pfn_t gmfn;
        } u;
        domid_t domid;
        uint16_t offset;
        uint32_t _pad;
    } source, dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
    uint16_t _pad;
};
typedef struct gnttab_copy gnttab_copy_t;

/*
 * struct gnttab_query_size (16 bytes).
 * IN:  dom            DOMID_SELF unless privileged
 * OUT: nr_frames      current table frames
 *      max_nr_frames  the limit
 *      status         GNTST_*
 */
struct gnttab_query_size {
    domid_t dom;
    uint16_t _pad0;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
    uint16_t _pad1;
};
typedef struct gnttab_query_size gnttab_query_size_t;

/*
 * struct gnttab_unmap_and_replace (24 bytes), PV.
 * IN:  host_addr  mapping to remove; new_addr  mapping moved in its place
 *      handle     from map_grant_ref
 * OUT: status
 */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status;
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;

/* struct gnttab_set_version (4 bytes). IN: version (1 or 2). OUT: the
 * version in use. */
struct gnttab_set_version {
    uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;

/*
 * struct gnttab_get_status_frames (16 bytes), v2.
 * IN:  nr_frames, dom
 * OUT: status; frame_list handle to uint64_t, OUT: the frames
 */
struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;
    XEN_GUEST_HANDLE(uint64_t) frame_list;
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;

/* struct gnttab_get_version (8 bytes). IN: dom. OUT: version. */
struct gnttab_get_version {
    domid_t dom;
    uint16_t pad;
    uint32_t version;
};
typedef struct gnttab_get_version gnttab_get_version_t;

/* struct gnttab_swap_grant_ref (12 bytes). IN: ref_a, ref_b. OUT:
 * status. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;

/*
 * struct gnttab_cache_flush (16 bytes), Arm.
 * IN: a (dev_bus_addr, or ref with GNTTAB_CACHE_SOURCE_GREF), offset,
 *     length, op (GNTTAB_CACHE_*)
 */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 size");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "gnt v1 domid");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "gnt v1 frame");
_Static_assert(sizeof(struct grant_entry_header) == 4,
               "grant_entry_header size");
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2 size");
_Static_assert(offsetof(union grant_entry_v2, full_page.frame) == 8,
               "gnt v2 full_page.frame");
_Static_assert(offsetof(union grant_entry_v2, sub_page.page_off) == 4,
               "gnt v2 sub_page.page_off");
_Static_assert(offsetof(union grant_entry_v2, sub_page.length) == 6,
               "gnt v2 sub_page.length");
_Static_assert(offsetof(union grant_entry_v2, transitive.trans_domid) == 4,
               "gnt v2 transitive.trans_domid");
_Static_assert(offsetof(union grant_entry_v2, transitive.gref) == 8,
               "gnt v2 transitive.gref");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32,
               "gnttab_map_grant_ref size");
_Static_assert(offsetof(struct gnttab_map_grant_ref, flags) == 8, "map flags");
_Static_assert(offsetof(struct gnttab_map_grant_ref, ref) == 12, "map ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "map dom");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18,
               "map status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20,
               "map handle");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24,
               "map dev_bus_addr");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24,
               "gnttab_unmap_grant_ref size");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, handle) == 16,
               "unmap handle");
_Static_assert(offsetof(struct gnttab_unmap_grant_ref, status) == 20,
               "unmap status");
_Static_assert(sizeof(struct gnttab_setup_table) == 24,
               "gnttab_setup_table size");
_Static_assert(offsetof(struct gnttab_setup_table, nr_frames) == 4,
               "setup nr_frames");
_Static_assert(offsetof(struct gnttab_setup_table, status) == 8,
               "setup status");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16,
               "setup frame_list");
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "dump_table size");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer size");
_Static_assert(offsetof(struct gnttab_transfer, domid) == 8, "transfer domid");
_Static_assert(offsetof(struct gnttab_transfer, ref) == 12, "transfer ref");
_Static_assert(offsetof(struct gnttab_transfer, status) == 16,
               "transfer status");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy size");
_Static_assert(offsetof(struct gnttab_copy, source.domid) == 8,
               "copy source.domid");
_Static_assert(offsetof(struct gnttab_copy, source.offset) == 10,
               "copy source.offset");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "copy dest");
_Static_assert(offsetof(struct gnttab_copy, dest.domid) == 24,
               "copy dest.domid");
_Static_assert(offsetof(struct gnttab_copy, dest.offset) == 26,
               "copy dest.offset");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy len");
_Static_assert(offsetof(struct gnttab_copy, flags) == 34, "copy flags");
_Static_assert(offsetof(struct gnttab_copy, status) == 36, "copy status");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size size");
_Static_assert(offsetof(struct gnttab_query_size, nr_frames) == 4,
               "query nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, max_nr_frames) == 8,
               "query max_nr_frames");
_Static_assert(offsetof(struct gnttab_query_size, status) == 12,
               "query status");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24,
               "unmap_and_replace size");
_Static_assert(offsetof(struct gnttab_unmap_and_replace, status) == 20,
               "unmap_and_replace status");
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version size");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16,
               "get_status_frames size");
_Static_assert(offsetof(struct gnttab_get_status_frames, frame_list) == 8,
               "get_status_frames frame_list");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version size");
_Static_assert(offsetof(struct gnttab_get_version, version) == 4,
               "get_version version");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12,
               "swap_grant_ref size");
_Static_assert(offsetof(struct gnttab_swap_grant_ref, status) == 8,
               "swap status");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush size");
_Static_assert(offsetof(struct gnttab_cache_flush, op) == 12, "cache_flush op");
_Static_assert(sizeof(gnttabop_error_msgs) / sizeof(gnttabop_error_msgs[0]) ==
                   1 - GNTST_no_space,
               "one message per GNTST code");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_GRANT_TABLE_H */
