/* SPDX-License-Identifier: MIT */
/*
 * Software walk of the guest's page tables and P2M reverse lookup; see
 * <veneer/pagetable.h>.
 */
#include <xen/errno.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>

int pt_mfn_to_pfn(uint64_t mfn, uint64_t *pfn)
{
    const struct start_info *si = runtime_start_info;
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)si->mfn_list;
    uint64_t pt_pfn = (si->pt_base - runtime_virt_base()) >> XEN_PAGE_SHIFT;

    /* Walks look up table frames over and over: try the bootstrap
     * page-table frames first, then the whole list. */
    for (uint64_t i = pt_pfn; i < pt_pfn + si->nr_pt_frames; i++) {
        if (i < si->nr_pages && p2m[i] == mfn) {
            *pfn = i;
            return 0;
        }
    }
    for (uint64_t i = 0; i < si->nr_pages; i++) {
        if (p2m[i] == mfn) {
            *pfn = i;
            return 0;
        }
    }
    return -XEN_ENOENT;
}

/* Is [va, va + 4096) one of the bootstrap page-table frames? */
static int pt_is_boot_table(uint64_t va)
{
    const struct start_info *si = runtime_start_info;
    uint64_t end = si->pt_base + si->nr_pt_frames * XEN_PAGE_SIZE;

    return va >= si->pt_base && va < end && (va & (XEN_PAGE_SIZE - 1)) == 0;
}

static unsigned int pt_index(uint64_t va, int level)
{
    return (va >> (XEN_PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static int pt_walk_tables(uint64_t va, struct pt_walk *w, int boot_only);

/*
 * May the walk read the table at va? Bootstrap tables always; with
 * boot_only clear, also any page of the 1:1 region that is mapped there
 * (checked through the bootstrap tables, which map the whole region).
 */
static int pt_table_readable(uint64_t va, int boot_only)
{
    struct pt_walk inner;

    if (pt_is_boot_table(va))
        return 1;
    if (boot_only || (va & (XEN_PAGE_SIZE - 1)) != 0 ||
        va < runtime_virt_base() || va >= pages_region_end())
        return 0;
    return pt_walk_tables(va, &inner, 1) == 0 &&
           (inner.entry[1] & _PAGE_PRESENT);
}

static int pt_walk_tables(uint64_t va, struct pt_walk *w, int boot_only)
{
    uint64_t table = runtime_start_info->pt_base;

    for (int level = 4; level >= 1; level--) {
        const volatile uint64_t *t;
        uint64_t pfn;

        if (!pt_table_readable(table, boot_only))
            return -XEN_EFAULT;
        t = (const volatile uint64_t *)(uintptr_t)table;
        w->level = level;
        w->table_va[level] = table;
        w->entry[level] = t[pt_index(va, level)];
        if (level == 1)
            break;
        if (!(w->entry[level] & _PAGE_PRESENT))
            return -XEN_ENOENT;
        if (pt_mfn_to_pfn(pt_mfn_of(w->entry[level]), &pfn) != 0)
            return -XEN_EFAULT;
        table = pt_pfn_to_va(pfn);
    }
    return 0;
}

int pt_walk(uint64_t va, struct pt_walk *w)
{
    return pt_walk_tables(va, w, 0);
}

int pt_walk_boot(uint64_t va, struct pt_walk *w)
{
    return pt_walk_tables(va, w, 1);
}
