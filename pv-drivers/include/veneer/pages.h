/* SPDX-License-Identifier: MIT */
/*
 * The guest's spare pages: where the builder's 1:1 bootstrap region ends,
 * and a bump allocator over the free padding at its end.
 *
 * The bootstrap region (XEN-ABI-FACTS §3.4a) maps pseudo-physical frames
 * 0 .. region_pages - 1 read-write at va = VIRT_BASE + pfn * 4096, except
 * the page-table frames (read-only). After the bootstrap stack page comes
 * at least 512 KiB of mapped padding that nothing uses: pages_alloc hands
 * those pages out, one at a time, never to be freed. Frames above the
 * region are in the P2M list but not mapped; a guest that wants them maps
 * them itself (<veneer/mmu.h>).
 *
 * Single-vCPU, no locking.
 */
#ifndef VENEER_PAGES_H
#define VENEER_PAGES_H

#include <stdint.h>

/*
 * pages_region_end: the first virtual address after the bootstrap region
 * (computed once, at the first call, by walking the bootstrap tables;
 * later changes to those mappings do not move it).
 */
uint64_t pages_region_end(void);

/* pages_region_pages: frames in the bootstrap region (its 1:1 part). */
uint64_t pages_region_pages(void);

/*
 * pages_alloc: take one unused padding page of the bootstrap region.
 *
 * Parameters: pfn - OUT: its pseudo-physical frame; it is mapped
 * read-write at pt_pfn_to_va(*pfn), with unspecified contents.
 * Return values: 0; -XEN_ENOMEM when the padding is used up.
 */
int pages_alloc(uint64_t *pfn);

/* pages_free_count: padding pages pages_alloc can still hand out. */
uint64_t pages_free_count(void);

#endif /* VENEER_PAGES_H */
