/* SPDX-License-Identifier: MIT */
/*
 * ptloop: the page-table update bench guest. Builds an L1 for a 2 MiB
 * window just above the bootstrap region, then times, with the TSC:
 *
 *  - mmu_update batches of k = 1, 64 and 512 MMU_NORMAL_PT_UPDATE
 *    requests that map fresh frames (frames above the bootstrap region,
 *    mapped nowhere else) writable into that L1, and the batches that
 *    clear the same entries again. With order=contig, entry i maps frame
 *    base + i in ascending order, so veneerd coalesces a batch into one
 *    host mmap (one munmap); with order=desc the requests run from the
 *    last entry down, so nothing coalesces: one host op per entry.
 *  - update_va_mapping (UVMF_INVLPG), one page at a time, mapping then
 *    unmapping.
 *  - the null hypercall xen_version(XENVER_version), for the fixed part:
 *    one just before every timed map batch and update_va_mapping map, so
 *    that it sees the same conditions.
 *
 * Every call's result is checked, and one mapping is checked for real
 * first (a word written through one window address is read back through
 * another that maps the same frame).
 *
 * Command line: "r1=N r64=N r512=N uvm=N" (repetitions of each).
 * Output, one line per figure (bguest.h), times in TSC ticks:
 *   "ptloop: op=map|unmap k=K order=contig|desc ticks n=.. p50=.. ..."
 *   "ptloop: op=uvm_map|uvm_unmap|null k=1 order=- ticks n=.. ..."
 * then "ptloop: ovh=TICKS contig=C" (the median empty bracket, and how
 * many of the 511 frame pairs are machine-contiguous) and poweroff.
 */
#include <xen/errno.h>
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>

#include "bguest.h"
#include "tsc.h"

#define MiB          (1024ull * 1024)
#define PT_BATCH_MAX 512u
#define PT_WARMUP    2u
#define PT_OVH_RUNS  10000u
#define PT_MAGIC     0x70746c6f6f702121ull

enum pt_order { PT_CONTIG, PT_DESC };

/* The window, its L1 and the fresh frames (pfn base .. base + 511). */
static struct {
    uint64_t window;
    uint64_t l1_mfn;
    uint64_t base;
} pt;

/* Large: in .bss rather than on the runtime stack. */
static struct mmu_update pt_map_req[PT_BATCH_MAX], pt_unmap_req[PT_BATCH_MAX];
static struct hist pt_h_map, pt_h_unmap, pt_h_empty, pt_h_null;

static uint64_t pt_alloc(void)
{
    uint64_t pfn;

    if (pages_alloc(&pfn) < 0)
        panic("ptloop: out of padding pages");
    return pfn;
}

/* The window's L1 (and L2 if the bootstrap L2 does not cover it). */
static void pt_setup(const struct start_info *si)
{
    uint64_t l1 = pt_alloc();
    long rc;

    pt.window = (pages_region_end() + 2 * MiB - 1) & ~(2 * MiB - 1);
    rc = mmu_table_link(pt.window, 1, l1);
    if (rc == -XEN_ENOENT) {
        rc = mmu_table_link(pt.window, 2, pt_alloc());
        if (rc == 0)
            rc = mmu_table_link(pt.window, 1, l1);
    }
    if (rc != 0)
        panic("ptloop: linking the window's L1 failed: %ld", rc);
    pt.l1_mfn = pt_pfn_to_mfn(l1);
    pt.base = pages_region_pages();
    if (pt.base + PT_BATCH_MAX > si->nr_pages)
        panic("ptloop: %lu pages, need %lu", (unsigned long)si->nr_pages,
              (unsigned long)(pt.base + PT_BATCH_MAX));
}

static long pt_update(const struct mmu_update *req, unsigned int k)
{
    unsigned int done = 0;
    long rc = HYPERVISOR_mmu_update(req, k, &done, DOMID_SELF);

    if (rc != 0 || done != k)
        panic("ptloop: mmu_update of %u entries: rc %ld, done %u", k, rc, done);
    return rc;
}

/* Requests for k entries in order: map (fresh frames) and clear. */
static void pt_fill(unsigned int k, enum pt_order order)
{
    for (unsigned int i = 0; i < k; i++) {
        unsigned int e = order == PT_CONTIG ? i : k - 1 - i;
        uint64_t ptr = (pt.l1_mfn << XEN_PAGE_SHIFT) + e * sizeof(uint64_t) +
                       MMU_NORMAL_PT_UPDATE;

        pt_map_req[i].ptr = ptr;
        pt_map_req[i].val = mmu_pte(pt_pfn_to_mfn(pt.base + e), MMU_PTE_RW);
        pt_unmap_req[i].ptr = ptr;
        pt_unmap_req[i].val = 0;
    }
}

/* A word written through one mapping of a frame is read back through
 * another: the batches below make real host mappings. */
static void pt_check(void)
{
    volatile uint64_t *a = (volatile uint64_t *)(uintptr_t)pt.window;
    volatile uint64_t *b =
        (volatile uint64_t *)(uintptr_t)(pt.window + XEN_PAGE_SIZE);
    struct mmu_update u[2] = {
        {(pt.l1_mfn << XEN_PAGE_SHIFT),
         mmu_pte(pt_pfn_to_mfn(pt.base), MMU_PTE_RW)},
        {(pt.l1_mfn << XEN_PAGE_SHIFT) + sizeof(uint64_t),
         mmu_pte(pt_pfn_to_mfn(pt.base), MMU_PTE_RO)},
    };

    pt_update(u, 2);
    *a = PT_MAGIC;
    if (*b != PT_MAGIC)
        panic("ptloop: a frame mapped twice reads %#llx, not %#llx",
              (unsigned long long)*b, PT_MAGIC);
    u[0].val = u[1].val = 0;
    pt_update(u, 2);
}

static void pt_print(const char *op, unsigned int k, const char *order,
                     const struct hist *h)
{
    char head[96];

    snprintf(head, sizeof(head), "ptloop: op=%s k=%u order=%s ticks", op, k,
             order);
    bguest_print_hist(head, h);
}

/* One timed null hypercall, made just before each timed map or batch:
 * the fixed part, under the same conditions (CPU placement of veneerd's
 * thread and the vCPU's) as the call it precedes. */
static void pt_null(void)
{
    uint64_t t0 = tsc_read();
    long rc = HYPERVISOR_xen_version(XENVER_version, 0);
    uint64_t t1 = tsc_read();

    if (rc < 0)
        panic("ptloop: xen_version -> %ld", rc);
    hist_add(&pt_h_null, t1 - t0);
}

/* reps timed map and unmap batches of k entries. */
static void pt_batches(unsigned int k, enum pt_order order, uint64_t reps)
{
    pt_fill(k, order);
    hist_init(&pt_h_map);
    hist_init(&pt_h_unmap);
    for (uint64_t r = 0; r < PT_WARMUP + reps; r++) {
        uint64_t t0, t1;

        if (r >= PT_WARMUP)
            pt_null();
        t0 = tsc_read();
        pt_update(pt_map_req, k);
        t1 = tsc_read();
        if (r >= PT_WARMUP)
            hist_add(&pt_h_map, t1 - t0);
        t0 = tsc_read();
        pt_update(pt_unmap_req, k);
        t1 = tsc_read();
        if (r >= PT_WARMUP)
            hist_add(&pt_h_unmap, t1 - t0);
    }
    pt_print("map", k, order == PT_CONTIG ? "contig" : "desc", &pt_h_map);
    pt_print("unmap", k, order == PT_CONTIG ? "contig" : "desc", &pt_h_unmap);
}

/* update_va_mapping, one page at a time, over the window's 512 pages. */
static void pt_uvm(uint64_t reps)
{
    hist_init(&pt_h_map);
    hist_init(&pt_h_unmap);
    for (uint64_t r = 0; r < PT_WARMUP + reps; r++) {
        uint64_t i = r % PT_BATCH_MAX;
        uint64_t va = pt.window + i * XEN_PAGE_SIZE;
        uint64_t t0, t1;
        long rc;

        if (r >= PT_WARMUP)
            pt_null();
        t0 = tsc_read();
        rc = mmu_map(va, pt_pfn_to_mfn(pt.base + i), MMU_PTE_RW);
        t1 = tsc_read();

        if (rc != 0)
            panic("ptloop: update_va_mapping(%#lx) -> %ld", (unsigned long)va,
                  rc);
        if (r >= PT_WARMUP)
            hist_add(&pt_h_map, t1 - t0);
        t0 = tsc_read();
        rc = mmu_unmap(va);
        t1 = tsc_read();
        if (rc != 0)
            panic("ptloop: unmapping %#lx -> %ld", (unsigned long)va, rc);
        if (r >= PT_WARMUP)
            hist_add(&pt_h_unmap, t1 - t0);
    }
    pt_print("uvm_map", 1, "-", &pt_h_map);
    pt_print("uvm_unmap", 1, "-", &pt_h_unmap);
}

int guest_main(struct start_info *si)
{
    char cmdline[MAX_GUEST_CMDLINE];
    unsigned int contig = 0;

    bguest_cmdline(si, cmdline, sizeof(cmdline));
    pt_setup(si);
    pt_check();
    for (unsigned int i = 0; i + 1 < PT_BATCH_MAX; i++)
        contig +=
            pt_pfn_to_mfn(pt.base + i + 1) == pt_pfn_to_mfn(pt.base + i) + 1;
    hist_init(&pt_h_empty);
    for (unsigned int i = 0; i < PT_OVH_RUNS; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1 = tsc_read();

        hist_add(&pt_h_empty, t1 - t0);
    }
    hist_init(&pt_h_null);
    pt_uvm(bguest_number(cmdline, "uvm", 1000));
    pt_batches(1, PT_CONTIG, bguest_number(cmdline, "r1", 1000));
    pt_batches(64, PT_CONTIG, bguest_number(cmdline, "r64", 200));
    pt_batches(64, PT_DESC, bguest_number(cmdline, "r64", 200));
    pt_batches(512, PT_CONTIG, bguest_number(cmdline, "r512", 40));
    pt_batches(512, PT_DESC, bguest_number(cmdline, "r512", 40));
    pt_print("null", 1, "-", &pt_h_null);
    printf("ptloop: ovh=%llu contig=%u\n",
           (unsigned long long)hist_percentile(&pt_h_empty, 500), contig);
    return 0;
}
