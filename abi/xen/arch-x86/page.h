/* SPDX-License-Identifier: MIT */
/*
 * x86-64 page-table constants a PV guest needs to build the page tables it
 * hands to mmu_update / mmuext_op.
 *
 * These are architecture facts (Intel SDM Vol. 3A §4.5, 4-level paging)
 * plus the PV restrictions of XEN-ABI-FACTS §8.4. Xen's public headers do
 * not carry them (guests take them from their own arch code); the names
 * follow the common _PAGE_* / L<n>_PAGETABLE_* convention used by Xen and
 * Mini-OS so that ported code reads the same.
 *
 * Usable from C and from assembly.
 */
#ifndef VENEER_ABI_XEN_ARCH_X86_PAGE_H
#define VENEER_ABI_XEN_ARCH_X86_PAGE_H

/* xen_mk_ullong(x): a 64-bit constant usable in C and in assembly. */
#ifndef xen_mk_ullong
#ifdef __ASSEMBLY__
#define xen_mk_ullong(x) x
#else
#define xen_mk_ullong(x) x##ULL
#endif
#endif

/* Page size: the only one a PV guest may map (no superpages, §8.4). */
#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1 << XEN_PAGE_SHIFT)
#define XEN_PAGE_MASK  (~(XEN_PAGE_SIZE - 1))

/* Bit position of each level's index in a virtual address. */
#define L1_PAGETABLE_SHIFT 12
#define L2_PAGETABLE_SHIFT 21
#define L3_PAGETABLE_SHIFT 30
#define L4_PAGETABLE_SHIFT 39

/* Entries per page-table page, at every level. */
#define L1_PAGETABLE_ENTRIES 512
#define L2_PAGETABLE_ENTRIES 512
#define L3_PAGETABLE_ENTRIES 512
#define L4_PAGETABLE_ENTRIES 512

/* Index of va in the level-n table (n = 1..4). */
#define l1_table_offset(va) (((va) >> L1_PAGETABLE_SHIFT) & 511)
#define l2_table_offset(va) (((va) >> L2_PAGETABLE_SHIFT) & 511)
#define l3_table_offset(va) (((va) >> L3_PAGETABLE_SHIFT) & 511)
#define l4_table_offset(va) (((va) >> L4_PAGETABLE_SHIFT) & 511)

/*
 * L4 slots Xen owns in every 64-bit top-level table (§8.4): a guest cannot
 * write them; the hypervisor fills them when it validates an L4.
 */
#define ROOT_PAGETABLE_FIRST_XEN_SLOT 256
#define ROOT_PAGETABLE_LAST_XEN_SLOT  271

/*
 * PTE flag bits. A PV guest may set PRESENT, RW, USER, ACCESSED, DIRTY,
 * the AVAIL bits and NX at every level; GLOBAL and (with cache-control
 * permission) PWT/PCD/PAT in L1 entries only. PSE in an L2/L3 entry is
 * refused for ordinary PV guests.
 */
#define _PAGE_PRESENT  0x001 /* entry is valid */
#define _PAGE_RW       0x002 /* writable (never for page-table frames) */
#define _PAGE_USER     0x004 /* user-accessible; PV kernels need it too */
#define _PAGE_PWT      0x008 /* write-through */
#define _PAGE_PCD      0x010 /* cache disable */
#define _PAGE_ACCESSED 0x020 /* set by the CPU on access */
#define _PAGE_DIRTY    0x040 /* set by the CPU on write (L1 only) */
#define _PAGE_PAT      0x080 /* L1: PAT index bit */
#define _PAGE_PSE      0x080 /* L2/L3: superpage (refused for PV) */
#define _PAGE_GLOBAL   0x100 /* L1: global TLB entry */
#define _PAGE_AVAIL0   0x200 /* software bit 9 */
#define _PAGE_AVAIL1   0x400 /* software bit 10 */
#define _PAGE_AVAIL2   0x800 /* software bit 11 */
#define _PAGE_AVAIL    0xe00 /* all three low software bits */
/* Xen marks its grant mappings with PTE bit 62 (bit 22 of its internal
 * flag encoding, hence the value); debug builds refuse it from guests. */
#define _PAGE_GNTTAB 0x400000
#define _PAGE_NX     (xen_mk_ullong(1) << 63) /* no-execute */

/* Physical-address field of a PTE (bits 51:12). */
#define PTE_ADDR_MASK xen_mk_ullong(0x000ffffffffff000)

#endif /* VENEER_ABI_XEN_ARCH_X86_PAGE_H */
