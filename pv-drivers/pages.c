/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap region's extent and a bump allocator over its padding;
 * see <veneer/pages.h>.
 */
#include <xen/errno.h>
#include <veneer/pagetable.h>
#include <veneer/pages.h>

static uint64_t region_end; /* 0 until computed */
static uint64_t next_pfn;   /* next padding page to hand out */

/* The region is mapped without holes, so its end is the first page whose
 * L1 entry is not present, walking up from VIRT_BASE. */
static void pages_find_region(void)
{
    uint64_t va = runtime_virt_base();
    struct pt_walk w;

    while (pt_walk_boot(va, &w) == 0 && (w.entry[1] & _PAGE_PRESENT))
        va += XEN_PAGE_SIZE;
    region_end = va;
    /* The padding starts after the bootstrap stack page, whose top is the
     * rsp the builder entered with. */
    next_pfn = ((runtime_boot_sp + XEN_PAGE_SIZE - 1) - runtime_virt_base()) >>
               XEN_PAGE_SHIFT;
}

uint64_t pages_region_end(void)
{
    if (region_end == 0)
        pages_find_region();
    return region_end;
}

uint64_t pages_region_pages(void)
{
    return (pages_region_end() - runtime_virt_base()) >> XEN_PAGE_SHIFT;
}

int pages_alloc(uint64_t *pfn)
{
    uint64_t total = pages_region_pages(); /* sets next_pfn the first time */

    if (next_pfn >= total)
        return -XEN_ENOMEM;
    *pfn = next_pfn++;
    return 0;
}

uint64_t pages_free_count(void)
{
    uint64_t total = pages_region_pages();

    return next_pfn < total ? total - next_pfn : 0;
}
