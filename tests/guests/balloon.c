/* SPDX-License-Identifier: MIT */
/*
 * balloon: gives memory back and takes it again with memory_op
 * (XEN-ABI-FACTS §6: decrease_reservation takes MFNs from a PV guest;
 * populate_physmap and increase_reservation write the new MFNs into the
 * array), and proves the pages work again.
 *
 * 1. Maps every frame above the bootstrap region at its 1:1 address (new
 *    L1 tables from the region's padding, entries written in batches with
 *    mmu_update) and writes each one, so the host really backs them;
 *    prints "balloon: touched N pages" and waits ~0.5 s.
 * 2. Unmaps the upper half of them, gives those back with one
 *    decrease_reservation, marks them invalid in its P2M; checks
 *    current_reservation fell by as many, that a freed MFN can no longer
 *    be mapped and that a frame still mapped is not freed; prints
 *    "balloon: released N pages" and waits ~0.5 s.
 * 3. populate_physmap for the same pfns, P2M updated from the MFNs it
 *    wrote back, maps them, writes and reads every page (none may still
 *    hold the old contents) and checks the half it kept; one more page
 *    out and back in with increase_reservation; prints "balloon:
 *    repopulated N pages" and waits ~0.5 s, then "balloon: SUCCESS (...)".
 *
 * The integration script measures the domain process's memory at each
 * marker: it must fall after step 2 and rise again after step 3.
 */
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

#include "gtest.h"

#define MiB               (1024ULL * 1024)
#define L1_SPAN           (2 * MiB)
#define BALLOON_MAX       16384 /* [POLICY] pages this test handles */
#define BATCH             512   /* mmu_update requests per hypercall */
#define WAIT_NS           500000000ULL
#define WAIT_YIELDS       10000         /* without a pvclock: ~0.5 s here */
#define WAIT_TSC_CYCLES   2000000000ULL /* and at most ~1 s of TSC */
#define INVALID_P2M       (~0ULL)
#define PATTERN(pfn, gen) (0x5a5a000000000000ULL | ((gen) << 40) | (pfn))

static xen_pfn_t frames[BALLOON_MAX];
static struct mmu_update batch[BATCH];

static uint64_t *p2m(void)
{
    return (uint64_t *)(uintptr_t)runtime_start_info->mfn_list;
}

static volatile uint64_t *page(uint64_t pfn)
{
    return (volatile uint64_t *)(uintptr_t)pt_pfn_to_va(pfn);
}

static long reservation(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* About half a second, by pvclock if there is one, else by yielding (and
 * by the TSC, so that a slow host does not make it minutes). */
static void wait_a_little(void)
{
    int clock = shinfo_map() == 0 && shinfo_vcpu()->time.tsc_to_system_mul;
    uint64_t end = clock ? time_now_ns() + WAIT_NS : 0, tsc0 = rdtsc();

    console_flush();
    if (clock) {
        while (time_now_ns() < end)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        return;
    }
    for (unsigned int i = 0;
         i < WAIT_YIELDS && rdtsc() - tsc0 < WAIT_TSC_CYCLES; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* L1 tables for [first, last) pfns' 1:1 addresses, where missing. */
static int build_tables(uint64_t first, uint64_t last)
{
    for (uint64_t va = pt_pfn_to_va(first) & ~(L1_SPAN - 1);
         va < pt_pfn_to_va(last); va += L1_SPAN) {
        struct pt_walk w;
        uint64_t pfn;
        long rc;

        if (pt_walk(va, &w) == 0)
            continue;
        rc = pages_alloc(&pfn);
        if (rc == 0)
            rc = mmu_table_link(va, 1, pfn);
        if (rc < 0) {
            gtest_fail("L1 table for %#lx -> %ld", (unsigned long)va, rc);
            return -1;
        }
    }
    return 0;
}

/* Map (or with unmap, clear) pfns [first, last) at their 1:1 addresses
 * through the P2M, BATCH entries per mmu_update. */
static long map_range(uint64_t first, uint64_t last, int unmap)
{
    unsigned int n = 0, done = 0;
    long rc = 0;

    for (uint64_t pfn = first; pfn < last && rc == 0; pfn++) {
        struct pt_walk w;

        if (pt_walk(pt_pfn_to_va(pfn), &w) < 0)
            return -XEN_ENOENT;
        batch[n].ptr = (pt_walk_table_mfn(&w, 1) << XEN_PAGE_SHIFT) +
                       l1_table_offset(pt_pfn_to_va(pfn)) * 8 +
                       MMU_NORMAL_PT_UPDATE;
        batch[n].val = unmap ? 0 : mmu_pte(p2m()[pfn], MMU_PTE_RW);
        if (++n == BATCH || pfn + 1 == last) {
            rc = HYPERVISOR_mmu_update(batch, n, &done, DOMID_SELF);
            n = 0;
        }
    }
    return rc;
}

static int touch(uint64_t first, uint64_t last, uint64_t gen)
{
    for (uint64_t pfn = first; pfn < last; pfn++) {
        page(pfn)[0] = PATTERN(pfn, gen);
        page(pfn)[511] = ~PATTERN(pfn, gen);
    }
    return 0;
}

/* Pages of [first, last) holding generation gen's pattern. */
static uint64_t count_pattern(uint64_t first, uint64_t last, uint64_t gen)
{
    uint64_t n = 0;

    for (uint64_t pfn = first; pfn < last; pfn++)
        n += page(pfn)[0] == PATTERN(pfn, gen) &&
             page(pfn)[511] == ~PATTERN(pfn, gen);
    return n;
}

static long memop_frames(unsigned int cmd, unsigned long nr)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, frames);
    return HYPERVISOR_memory_op(cmd, &r);
}

static void release(uint64_t lo, uint64_t hi, long res0)
{
    uint64_t n = hi - lo;
    long rc;

    rc = map_range(lo, hi, 1);
    gtest_ok(rc == 0, "unmapped %lu pages (%ld)", (unsigned long)n, rc);
    for (uint64_t i = 0; i < n; i++)
        frames[i] = p2m()[lo + i];
    rc = memop_frames(XENMEM_decrease_reservation, n);
    gtest_ok(rc == (long)n, "decrease_reservation of %lu MFNs -> %ld",
             (unsigned long)n, rc);
    for (uint64_t i = 0; i < n; i++)
        p2m()[lo + i] = INVALID_P2M;
    gtest_ok(reservation() == res0 - (long)n,
             "current_reservation %ld (was %ld)", reservation(), res0);
    /* A freed frame belongs to nobody: Xen refuses it as it would any
     * frame without an owner. */
    gtest_refused(mmu_map(pt_pfn_to_va(lo), frames[0], MMU_PTE_RO), -XEN_EBUSY,
                  -XEN_EINVAL, "mapping a freed MFN");
}

/* A frame still mapped: Xen frees it once unmapped; Veneer keeps it. */
static void release_mapped(uint64_t pfn)
{
    long rc;

    frames[0] = p2m()[pfn];
    rc = memop_frames(XENMEM_decrease_reservation, 1);
    gtest_refused(rc, 1, 0, "decrease_reservation of a mapped frame");
    gtest_ok(count_pattern(pfn, pfn + 1, 1) == 1,
             "the mapped frame still holds its data");
}

static void repopulate(uint64_t lo, uint64_t hi)
{
    uint64_t n = hi - lo, stale = 0;
    long rc;

    for (uint64_t i = 0; i < n; i++)
        frames[i] = lo + i;
    rc = memop_frames(XENMEM_populate_physmap, n);
    gtest_ok(rc == (long)n, "populate_physmap of %lu pfns -> %ld",
             (unsigned long)n, rc);
    for (uint64_t i = 0; i < n; i++)
        p2m()[lo + i] = frames[i];
    rc = map_range(lo, hi, 0);
    gtest_ok(rc == 0, "new frames mapped (%ld)", rc);
    stale = count_pattern(lo, hi, 1);
    gtest_ok(stale == 0, "no new frame holds the old contents (%lu do)",
             (unsigned long)stale);
    touch(lo, hi, 2);
    gtest_ok(count_pattern(lo, hi, 2) == n,
             "all %lu new pages written and "
             "read back",
             (unsigned long)n);
}

/* One frame out, then back with increase_reservation. */
static void check_increase(uint64_t pfn)
{
    long rc;

    map_range(pfn, pfn + 1, 1);
    frames[0] = p2m()[pfn];
    rc = memop_frames(XENMEM_decrease_reservation, 1);
    frames[0] = 0;
    if (rc == 1)
        rc = memop_frames(XENMEM_increase_reservation, 1);
    gtest_ok(rc == 1 && frames[0] != 0, "increase_reservation -> %ld, MFN %#lx",
             rc, (unsigned long)frames[0]);
    p2m()[pfn] = frames[0];
    if (rc == 1)
        rc = map_range(pfn, pfn + 1, 0);
    touch(pfn, pfn + 1, 3);
    gtest_ok(rc == 0 && count_pattern(pfn, pfn + 1, 3) == 1,
             "its page mapped, written and read back");
    frames[0] = 0;
    rc = memop_frames(XENMEM_increase_reservation, 1);
    gtest_ok(rc == 0, "increase_reservation beyond the maximum -> %ld", rc);
}

int guest_main(struct start_info *si)
{
    uint64_t first = pages_region_pages(), last = si->nr_pages, mid;
    long res0;

    gtest_begin("balloon", si);
    if (last > first + 2 * BALLOON_MAX)
        last = first + 2 * BALLOON_MAX;
    if (last < first + 64) {
        printf("balloon: ABORT only %lu pages above the region; give it "
               "more memory\n",
               (unsigned long)(last - first));
        return 1;
    }
    mid = first + (last - first) / 2;
    res0 = reservation();
    printf("balloon: %lu pages, region %lu, testing pfns %lu..%lu, "
           "reservation %ld\n",
           (unsigned long)si->nr_pages, (unsigned long)first,
           (unsigned long)first, (unsigned long)last, res0);
    if (build_tables(first, last) < 0 ||
        !gtest_ok(map_range(first, last, 0) == 0, "frames above the region "
                                                  "mapped"))
        return gtest_end();
    touch(first, last, 1);
    gtest_ok(count_pattern(first, last, 1) == last - first, "%lu pages written",
             (unsigned long)(last - first));
    printf("balloon: touched %lu pages\n", (unsigned long)(last - first));
    wait_a_little();
    release_mapped(first);
    release(mid, last, res0);
    printf("balloon: released %lu pages\n", (unsigned long)(last - mid));
    wait_a_little();
    repopulate(mid, last);
    gtest_ok(count_pattern(first, mid, 1) == mid - first,
             "the %lu pages kept are intact", (unsigned long)(mid - first));
    gtest_ok(reservation() == res0, "current_reservation back to %ld",
             reservation());
    check_increase(last - 1);
    printf("balloon: repopulated %lu pages\n", (unsigned long)(last - mid));
    wait_a_little();
    return gtest_end();
}
