/* SPDX-License-Identifier: MIT */
/*
 * Mapping the shared_info page; see <veneer/shinfo.h>.
 */
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>

struct shared_info *shinfo;

/* The page shared_info is mapped over; its own frame is given up. */
static uint8_t shinfo_page[XEN_PAGE_SIZE]
    __attribute__((aligned(XEN_PAGE_SIZE)));

int shinfo_map(void)
{
    uint64_t maddr = runtime_start_info->shared_info;
    long rc;

    if (shinfo)
        return 0;
    rc = mmu_map((uintptr_t)shinfo_page, maddr >> XEN_PAGE_SHIFT, MMU_PTE_RW);
    if (rc < 0)
        return (int)rc;
    shinfo = (struct shared_info *)shinfo_page;
    return 0;
}
