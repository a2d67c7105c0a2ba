/* SPDX-License-Identifier: MIT */
/*
 * Read-only inspection of the guest's page tables: P2M lookups and a
 * software walk from start_info.pt_base down to the L1 entry of a virtual
 * address.
 *
 * A PV guest sees its page-table frames mapped read-only inside the 1:1
 * bootstrap region (va = VIRT_BASE + pfn * 4096, XEN-ABI-FACTS §3.4a), so
 * it can read them there; it cannot read cr3, so the walk starts from
 * pt_base. The walk follows a table only where it can read it: the
 * bootstrap table frames, and (pt_walk) any other frame of the 1:1 region
 * that is still mapped at its 1:1 address, which is where <veneer/mmu.h>
 * builds new tables. It never touches memory that is not mapped.
 */
#ifndef VENEER_PAGETABLE_H
#define VENEER_PAGETABLE_H

#include <stdint.h>
#include <xen/arch-x86/page.h>
#include <veneer/runtime.h>

/* Marks an unused P2M entry (Xen's INVALID_P2M_ENTRY). */
#define PT_INVALID_MFN (~0ULL)

/* The result of pt_walk; index n describes level n (4 = L4 .. 1 = L1). */
struct pt_walk {
    uint64_t table_va[5]; /* VA of the level-n table that was read */
    uint64_t entry[5];    /* the level-n entry for the address */
    int level;            /* lowest level read (1 when the walk completed) */
};

/* pt_mfn_of: the machine frame a page-table entry points at. */
static inline uint64_t pt_mfn_of(uint64_t entry)
{
    return (entry & PTE_ADDR_MASK) >> XEN_PAGE_SHIFT;
}

/* pt_pfn_to_va: where pseudo-physical frame pfn sits in the 1:1 region. */
static inline uint64_t pt_pfn_to_va(uint64_t pfn)
{
    return runtime_virt_base() + (pfn << XEN_PAGE_SHIFT);
}

/*
 * pt_mfn_to_pfn: find mfn in the P2M list (a linear search; the runtime
 * keeps no M2P of its own).
 *
 * Parameters: mfn - machine frame; pfn - OUT: its pseudo-physical frame.
 * Return values: 0 on success; -XEN_ENOENT if mfn is not in the P2M list.
 */
int pt_mfn_to_pfn(uint64_t mfn, uint64_t *pfn);

/* pt_pfn_to_mfn: the machine frame behind pfn, from the P2M list. */
static inline uint64_t pt_pfn_to_mfn(uint64_t pfn)
{
    return ((const uint64_t *)(uintptr_t)runtime_start_info->mfn_list)[pfn];
}

/*
 * pt_walk: walk the page tables from pt_base to the L1 entry for va.
 *
 * Parameters: va - virtual address; w - OUT: each level's table and entry.
 * Return values: 0 if every level down to L1 is present (w->entry[1] is
 * the PTE, which may itself be non-present); -XEN_ENOENT if an upper-level
 * entry is not present (w->level is that level); -XEN_EFAULT if a table
 * is neither a bootstrap table frame nor mapped at its 1:1 address in the
 * bootstrap region, and so was not read.
 */
int pt_walk(uint64_t va, struct pt_walk *w);

/*
 * pt_walk_boot: pt_walk through the bootstrap table frames only (what the
 * builder set up, whatever the guest changed since).
 *
 * Return values: as pt_walk.
 */
int pt_walk_boot(uint64_t va, struct pt_walk *w);

/*
 * pt_walk_table_mfn: machine frame of the level-`level` table a walk read
 * (level 4 is the bootstrap L4 at pt_base).
 */
static inline uint64_t pt_walk_table_mfn(const struct pt_walk *w, int level)
{
    if (level == 4)
        return pt_pfn_to_mfn(
            (runtime_start_info->pt_base - runtime_virt_base()) >>
            XEN_PAGE_SHIFT);
    return pt_mfn_of(w->entry[level + 1]);
}

#endif /* VENEER_PAGETABLE_H */
