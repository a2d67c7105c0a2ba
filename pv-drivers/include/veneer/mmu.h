/* SPDX-License-Identifier: MIT */
/*
 * Page-table changes through the PV MMU hypercalls (XEN-ABI-FACTS §8):
 * map, remap and unmap one page (update_va_mapping), write any entry
 * (mmu_update), pin, unpin and switch tables (mmuext_op), and build a new
 * table and link it into the tree.
 *
 * The rules these follow are Xen's (§8.4): a guest never writes its page
 * tables directly, a frame used as a table is never mapped writable, and
 * a new table is filled while it is still an ordinary page, then made
 * read-only everywhere, then pinned (validated), then linked. New tables
 * are made from frames of the 1:1 bootstrap region (<veneer/pages.h>) and
 * stay mapped read-only at their 1:1 address, so pt_walk can read them.
 *
 * Every function returns 0 or a negative Xen errno (the hypercall's, or
 * the helper's own where it says so). Single-vCPU, no locking.
 */
#ifndef VENEER_MMU_H
#define VENEER_MMU_H

#include <stdint.h>
#include <xen/arch-x86/page.h>

/* Leaf entry flags: a writable and a read-only page (as the builder's). */
#define MMU_PTE_RW                                                             \
    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)
#define MMU_PTE_RO (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
/* Upper-level entry flags: the leaves decide the rights. */
#define MMU_PDE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)

/* mmu_pte: the entry naming machine frame mfn with flags. */
static inline uint64_t mmu_pte(uint64_t mfn, uint64_t flags)
{
    return (mfn << XEN_PAGE_SHIFT) | flags;
}

/*
 * mmu_map: make va map machine frame mfn with flags (update_va_mapping
 * with UVMF_INVLPG). The L1 table covering va must exist.
 */
long mmu_map(uint64_t va, uint64_t mfn, uint64_t flags);

/* mmu_unmap: clear the L1 entry of va (update_va_mapping to 0). */
long mmu_unmap(uint64_t va);

/*
 * mmu_set_entry: one checked write (MMU_NORMAL_PT_UPDATE) of val into
 * entry idx (0..511) of the page table in machine frame table_mfn.
 */
long mmu_set_entry(uint64_t table_mfn, unsigned int idx, uint64_t val);

/* mmu_pin: MMUEXT_PIN_L<level>_TABLE of mfn (level 1..4). */
long mmu_pin(unsigned int level, uint64_t mfn);

/* mmu_unpin: MMUEXT_UNPIN_TABLE of mfn. */
long mmu_unpin(uint64_t mfn);

/* mmu_new_baseptr: MMUEXT_NEW_BASEPTR: make the L4 in mfn the base. */
long mmu_new_baseptr(uint64_t mfn);

/*
 * mmu_table_prepare: turn pseudo-physical frame pfn into an empty table
 * frame: zero it through its 1:1 mapping, then remap that page read-only.
 * It is not pinned or linked yet.
 */
long mmu_table_prepare(uint64_t pfn);

/*
 * mmu_table_release: map frame pfn read-write at its 1:1 address again,
 * once it is no longer a table (unlinked and unpinned).
 */
long mmu_table_release(uint64_t pfn);

/*
 * mmu_table_link: give va a new, empty level-`level` table (1..3) made
 * from frame pfn (a 1:1 region page, e.g. from pages_alloc): prepare it,
 * pin it, and install it in the entry of the level + 1 table that covers
 * va. Undone again if a step fails.
 *
 * Return values: 0; -XEN_EEXIST if va already has a level-`level` table;
 * -XEN_ENOENT if it has no level + 1 table; -XEN_EINVAL for a bad level;
 * -XEN_EFAULT if the tables above cannot be read (pt_walk); else the
 * failing hypercall's error.
 */
long mmu_table_link(uint64_t va, unsigned int level, uint64_t pfn);

/*
 * mmu_table_unlink: undo mmu_table_link: clear the parent entry, unpin the
 * table and map its frame read-write again. Every entry in the table
 * should be cleared first; the hypervisor drops what they referenced.
 *
 * Parameters: va, level - as for mmu_table_link; pfn - OUT (may be NULL):
 * the table's pseudo-physical frame.
 * Return values: 0; -XEN_ENOENT if there is no such table; -XEN_EFAULT
 * if the tables cannot be read; else the failing hypercall's error.
 */
long mmu_table_unlink(uint64_t va, unsigned int level, uint64_t *pfn);

#endif /* VENEER_MMU_H */
