/* SPDX-License-Identifier: MIT */
/*
 * mmu: drives the PV MMU hypercalls (mmu_update, update_va_mapping,
 * mmuext_op) the way a PV kernel does and checks what the guest sees,
 * then tries every illegal update of XEN-ABI-FACTS §8.4 and expects Xen's
 * refusal. Linked at 2 GiB (a 1 GiB boundary), so that the bootstrap L2
 * covers the next MiBs and the next GiB needs a new L2.
 *
 * Positive checks: a new L1 built, pinned and linked into the bootstrap
 * L2; a frame written through one VA and read through its 1:1 alias;
 * remapping to another frame; read-only mappings; unmapping (touching
 * the page then faults: checked with a fault probe when the hypervisor
 * bounces traps, skipped otherwise); a new L2 + L1 linked into the
 * bootstrap L3 and taken down again; unpin/re-pin of a linked table; a
 * second L4 pinned, loaded with NEW_BASEPTR and switched back from; the
 * 32-bit done counts.
 *
 * Refusals (Xen's error; see gtest.h for NOTE and strict-xen): writable
 * mappings of the L4 and of a bootstrap L1; a frame the domain does not
 * own (max MFN + 1000); cache-attribute bits in an L1 entry; a writable
 * page linked as a table; PSE in an L2 entry; L4 slots 256 and 271 (Xen's)
 * and 272, 511 (the host kernel's half on Veneer); NEW_BASEPTR to a
 * writable page and to a foreign frame; unpinning tables that are not
 * pinned; pinning a page mapped writable; pinning a pinned table; freeing
 * a pinned table with decrease_reservation (skipped without ballooning).
 *
 * Output: gtest lines, then "mmu: SUCCESS (...)" and poweroff, or
 * "mmu: ABORT ..." and crash.
 */
#include <xen/errno.h>
#include <xen/memory.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>
#include <veneer/traps.h>

#include "gtest.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

/* Veneer's errors where it is known to differ from Xen (docs and
 * hypervisor/mm_*.c); GTEST_AS_XEN where it means to match. */
#define VENEER_PT_WRITABLE_RC  (-XEN_EINVAL) /* Xen: -EBUSY */
#define VENEER_FOREIGN_MFN_RC  (-XEN_EINVAL) /* Xen: -EPERM */
#define VENEER_FREE_PINNED_RC  0             /* Xen: 1, freed when unpinned */
#define VENEER_HOST_L4_SLOT_RC (-XEN_EINVAL) /* Xen: 0, slots 272+ are guest */

/* Frames the test works with: data pages A and B, table frames. */
static struct {
    uint64_t a, b;    /* pfns of two data pages */
    uint64_t t1;      /* pfn of the new L1 under the bootstrap L2 */
    uint64_t window;  /* VA the new L1 covers (2 MiB aligned) */
    uint64_t max_mfn; /* highest MFN in the P2M and shared_info */
    int traps;        /* fault probes work */
    uint64_t l4_mfn;  /* the bootstrap L4 */
} t;

static uint64_t va_of(uint64_t pfn)
{
    return pt_pfn_to_va(pfn);
}

static volatile uint64_t *word(uint64_t va)
{
    return (volatile uint64_t *)(uintptr_t)va;
}

static uint64_t alloc_page(void)
{
    uint64_t pfn = 0;

    if (pages_alloc(&pfn) < 0)
        panic("mmu: out of padding pages");
    return pfn;
}

static void setup(const struct start_info *si)
{
    uint64_t sinfo_mfn = si->shared_info >> XEN_PAGE_SHIFT;
    int rc;

    t.a = alloc_page();
    t.b = alloc_page();
    t.t1 = alloc_page();
    *word(va_of(t.a)) = 0xaaaa000000000001ULL;
    *word(va_of(t.b)) = 0xbbbb000000000002ULL;
    t.window = (pages_region_end() + 2 * MiB - 1) & ~(2 * MiB - 1);
    t.l4_mfn =
        pt_pfn_to_mfn((si->pt_base - runtime_virt_base()) >> XEN_PAGE_SHIFT);
    t.max_mfn = sinfo_mfn;
    for (uint64_t i = 0; i < si->nr_pages; i++)
        if (pt_pfn_to_mfn(i) > t.max_mfn)
            t.max_mfn = pt_pfn_to_mfn(i);
    rc = trap_init();
    t.traps = rc == 0;
    printf("mmu: region ends %#lx, window %#lx, max mfn %#lx, traps %d\n",
           (unsigned long)pages_region_end(), (unsigned long)t.window,
           (unsigned long)t.max_mfn, rc);
    if (!t.traps)
        gtest_skip("fault checks: set_trap_table -> %d, no trap bouncing", rc);
}

/* Touching va must fault with this #PF error code (needs trap bouncing). */
static void expect_fault(uint64_t va, int write, uint64_t err, const char *what)
{
    uint64_t v = 0, before = trap_probe_last.count;
    long rc;

    if (!t.traps) {
        gtest_skip("%s faults (no trap bouncing)", what);
        return;
    }
    rc = write ? trap_probe_write64(va, 0x5a5a) : trap_probe_read64(va, &v);
    gtest_ok(rc == -XEN_EFAULT && trap_probe_last.count == before + 1 &&
                 trap_probe_last.vector == TRAP_PAGE_FAULT &&
                 trap_probe_last.cr2 == va && trap_probe_last.error_code == err,
             "%s faults: rc %ld, cr2 %#lx, error code %#lx (want %#lx)", what,
             rc, (unsigned long)trap_probe_last.cr2,
             (unsigned long)trap_probe_last.error_code, (unsigned long)err);
}

/* A new L1 under the bootstrap L2; alias, remap, read-only, unmap. */
static void check_new_l1(void)
{
    uint64_t w = t.window, amfn = pt_pfn_to_mfn(t.a);
    uint64_t bmfn = pt_pfn_to_mfn(t.b);
    struct pt_walk pw;
    long rc;

    rc = mmu_table_link(w, 1, t.t1);
    if (!gtest_ok(rc == 0, "new L1 built, pinned, linked -> %ld", rc))
        panic("mmu: cannot go on without the new L1");
    gtest_ok(pt_walk(w, &pw) == 0 && pw.entry[1] == 0 &&
                 pt_mfn_of(pw.entry[2]) == pt_pfn_to_mfn(t.t1),
             "walk reaches the new L1");
    rc = mmu_map(w, amfn, MMU_PTE_RW);
    gtest_ok(rc == 0 && *word(w) == 0xaaaa000000000001ULL,
             "frame A mapped at the window reads A (%ld)", rc);
    *word(w) = 0xaaaa0000000000a1ULL;
    gtest_ok(*word(va_of(t.a)) == 0xaaaa0000000000a1ULL,
             "write via the window, read via A's 1:1 alias");
    rc = mmu_map(w + XEN_PAGE_SIZE, bmfn, MMU_PTE_RO);
    gtest_ok(rc == 0 && *word(w + XEN_PAGE_SIZE) == 0xbbbb000000000002ULL,
             "frame B mapped read-only reads B (%ld)", rc);
    expect_fault(w + XEN_PAGE_SIZE, 1, TRAP_PF_PRESENT | TRAP_PF_WRITE,
                 "write to the read-only mapping");
    rc = mmu_map(w, bmfn, MMU_PTE_RW);
    gtest_ok(rc == 0 && *word(w) == 0xbbbb000000000002ULL,
             "window remapped to frame B reads B (%ld)", rc);
    rc = mmu_map(w, amfn, MMU_PTE_RW);
    gtest_ok(rc == 0 && *word(w) == 0xaaaa0000000000a1ULL,
             "window remapped back to A (%ld)", rc);
    rc = mmu_unmap(w + XEN_PAGE_SIZE);
    gtest_ok(rc == 0, "unmap -> %ld", rc);
    expect_fault(w + XEN_PAGE_SIZE, 0, 0, "read of the unmapped page");
    expect_fault(w + XEN_PAGE_SIZE, 1, TRAP_PF_WRITE,
                 "write to the unmapped page");
}

/* A new L2 and L1 under the bootstrap L3, used, then taken down. */
static void check_new_l2(void)
{
    uint64_t w2 = runtime_virt_base() + GiB, l2 = alloc_page();
    uint64_t l1 = alloc_page(), got1 = 0, got2 = 0;
    long rc;

    rc = mmu_table_link(w2, 2, l2);
    gtest_ok(rc == 0, "new L2 linked into the bootstrap L3 -> %ld", rc);
    rc = mmu_table_link(w2, 1, l1);
    gtest_ok(rc == 0, "new L1 linked into the new L2 -> %ld", rc);
    rc = mmu_map(w2, pt_pfn_to_mfn(t.a), MMU_PTE_RO);
    gtest_ok(rc == 0 && *word(w2) == 0xaaaa0000000000a1ULL,
             "frame A read through the new L2 and L1 (%ld)", rc);
    rc = mmu_table_link(w2, 1, alloc_page());
    gtest_ok(rc == -XEN_EEXIST, "a second L1 for the same range -> %ld", rc);
    rc = mmu_unmap(w2);
    if (rc == 0)
        rc = mmu_table_unlink(w2, 1, &got1);
    if (rc == 0)
        rc = mmu_table_unlink(w2, 2, &got2);
    gtest_ok(rc == 0 && got1 == l1 && got2 == l2,
             "L1 and L2 unlinked and unpinned -> %ld", rc);
    /* Plain pages again: writable through their 1:1 addresses. */
    *word(va_of(l1)) = 1;
    *word(va_of(l2)) = 2;
    gtest_ok(*word(va_of(l1)) == 1 && *word(va_of(l2)) == 2,
             "their frames are writable pages again");
}

/* Unpin a linked table (still in use), pin it again. */
static void check_pins(void)
{
    uint64_t mfn = pt_pfn_to_mfn(t.t1);
    long rc;

    rc = mmu_unpin(mfn);
    gtest_ok(rc == 0 && *word(t.window) == 0xaaaa0000000000a1ULL,
             "linked L1 unpinned, still in use (%ld)", rc);
    rc = mmu_pin(1, mfn);
    gtest_ok(rc == 0, "L1 pinned again -> %ld", rc);
}

/* A second L4 (a copy of the guest half), pinned, loaded, left again. */
static void check_new_baseptr(const struct start_info *si)
{
    uint64_t pfn = alloc_page(), mfn = pt_pfn_to_mfn(pfn);
    const volatile uint64_t *l4 = word(si->pt_base);
    volatile uint64_t *copy = word(va_of(pfn));
    long rc;

    for (unsigned int i = 0; i < L4_PAGETABLE_ENTRIES; i++)
        copy[i] = i < ROOT_PAGETABLE_FIRST_XEN_SLOT ? l4[i] : 0;
    rc = mmu_map(va_of(pfn), mfn, MMU_PTE_RO);
    if (rc == 0)
        rc = mmu_pin(4, mfn);
    gtest_ok(rc == 0, "copy of the L4 made read-only and pinned -> %ld", rc);
    rc = mmu_new_baseptr(mfn);
    gtest_ok(rc == 0 && *word(t.window) == 0xaaaa0000000000a1ULL &&
                 *word(va_of(t.b)) == 0xbbbb000000000002ULL,
             "NEW_BASEPTR to the copy; memory still there (%ld)", rc);
    rc = mmu_new_baseptr(t.l4_mfn);
    gtest_ok(rc == 0, "NEW_BASEPTR back to the bootstrap L4 -> %ld", rc);
    rc = mmu_unpin(mfn);
    if (rc == 0)
        rc = mmu_table_release(pfn);
    gtest_ok(rc == 0, "copy unpinned and writable again -> %ld", rc);
}

/* done is an unsigned int: exactly 4 bytes written. */
static void check_done_counts(void)
{
    struct {
        uint32_t done;
        uint32_t canary;
    } d = {0, 0xc0ffee};
    struct mmu_update u = {
        .ptr = (pt_pfn_to_mfn(t.t1) << XEN_PAGE_SHIFT) + 8 * 3,
        .val = mmu_pte(pt_pfn_to_mfn(t.b), MMU_PTE_RO),
    };
    struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};
    long rc;

    /* Veneer writes done as 8 bytes, clobbering the next word. */
    rc = HYPERVISOR_mmu_update(&u, 1, &d.done, DOMID_SELF);
    gtest_xen(rc == 0 && d.done == 1 && d.canary == 0xc0ffee,
              rc == 0 && d.done == 1 && d.canary == 0,
              "mmu_update done = %u, 32 bits (next word %#x) (%ld)", d.done,
              d.canary, rc);
    d.done = 0;
    d.canary = 0xc0ffee;
    rc = HYPERVISOR_mmuext_op(&op, 1, &d.done, DOMID_SELF);
    gtest_xen(rc == 0 && d.done == 1 && d.canary == 0xc0ffee,
              rc == 0 && d.done == 1 && d.canary == 0,
              "mmuext_op done = %u, 32 bits (next word %#x) (%ld)", d.done,
              d.canary, rc);
}

static void refuse_writable_tables(const struct start_info *si)
{
    uint64_t last_l1 = si->pt_base + (si->nr_pt_frames - 1) * XEN_PAGE_SIZE;
    uint64_t l1_mfn =
        pt_pfn_to_mfn((last_l1 - runtime_virt_base()) >> XEN_PAGE_SHIFT);
    uint64_t w = t.window + 2 * XEN_PAGE_SIZE;

    gtest_refused(mmu_map(w, t.l4_mfn, MMU_PTE_RW), -XEN_EBUSY,
                  VENEER_PT_WRITABLE_RC, "writable mapping of the L4");
    gtest_refused(mmu_map(si->pt_base, t.l4_mfn, MMU_PTE_RW), -XEN_EBUSY,
                  VENEER_PT_WRITABLE_RC, "L4 remapped writable in place");
    gtest_refused(mmu_map(w, l1_mfn, MMU_PTE_RW), -XEN_EBUSY,
                  VENEER_PT_WRITABLE_RC, "writable mapping of a bootstrap L1");
    gtest_refused(mmu_map(w, pt_pfn_to_mfn(t.t1), MMU_PTE_RW), -XEN_EBUSY,
                  VENEER_PT_WRITABLE_RC, "writable mapping of the new L1");
    gtest_ok(mmu_map(w, t.l4_mfn, MMU_PTE_RO) == 0 && mmu_unmap(w) == 0,
             "read-only mapping of the L4 is fine");
}

static void refuse_bad_entries(void)
{
    uint64_t w = t.window + 2 * XEN_PAGE_SIZE, amfn = pt_pfn_to_mfn(t.a);
    uint64_t foreign = t.max_mfn + 1000;
    struct pt_walk pw;
    uint64_t l2_mfn;
    unsigned int free_l2;

    gtest_refused(mmu_map(w, foreign, MMU_PTE_RO), -XEN_EPERM,
                  VENEER_FOREIGN_MFN_RC, "mapping of MFN %#lx (max + 1000)",
                  (unsigned long)foreign);
    gtest_refused(
        mmu_set_entry(pt_pfn_to_mfn(t.t1), 5, mmu_pte(foreign, MMU_PTE_RW)),
        -XEN_EPERM, VENEER_FOREIGN_MFN_RC,
        "mmu_update of an L1 entry naming MFN max + 1000");
    gtest_refused(mmu_map(w, amfn, MMU_PTE_RW | _PAGE_PCD | _PAGE_PWT),
                  -XEN_EINVAL, GTEST_AS_XEN, "L1 entry with PCD|PWT");
    gtest_refused(mmu_map(w, amfn, MMU_PTE_RW | _PAGE_PAT), -XEN_EINVAL,
                  GTEST_AS_XEN, "L1 entry with PAT");
    /* An L2 slot above the window, free in the bootstrap L2. */
    pt_walk(t.window, &pw);
    l2_mfn = pt_walk_table_mfn(&pw, 2);
    free_l2 = l2_table_offset(t.window) + 8;
    gtest_refused(mmu_set_entry(l2_mfn, free_l2, mmu_pte(amfn, MMU_PDE)),
                  -XEN_EINVAL, GTEST_AS_XEN,
                  "L2 entry naming a writable page as an L1");
    gtest_refused(mmu_set_entry(l2_mfn, free_l2,
                                mmu_pte(amfn & ~511ULL, MMU_PDE | _PAGE_PSE)),
                  -XEN_EINVAL, GTEST_AS_XEN, "L2 entry with PSE (2 MiB page)");
    gtest_refused(
        mmu_set_entry(l2_mfn, free_l2,
                      mmu_pte(pt_pfn_to_mfn(t.t1), MMU_PDE | _PAGE_GLOBAL)),
        -XEN_EINVAL, GTEST_AS_XEN, "L2 entry with GLOBAL");
}

static void refuse_l4_slots(const struct start_info *si)
{
    const volatile uint64_t *l4 = word(si->pt_base);
    uint64_t l3 = l4[l4_table_offset(runtime_virt_base())];
    static const unsigned int xen_slots[] = {256, 271};
    static const unsigned int host_slots[] = {272, 511};

    for (unsigned int i = 0; i < 2; i++)
        gtest_refused(mmu_set_entry(t.l4_mfn, xen_slots[i], l3), -XEN_EINVAL,
                      GTEST_AS_XEN, "L4 slot %u (Xen's)", xen_slots[i]);
    /* Xen gives slots 272..511 to the guest; on Veneer the host kernel
     * owns the whole upper half, so these must be refused, and Xen's
     * answer (success) is not what this test wants even in strict mode. */
    for (unsigned int i = 0; i < 2; i++) {
        long rc = mmu_set_entry(t.l4_mfn, host_slots[i], l3);

        gtest_ok(rc < 0, "L4 slot %u (upper half) refused -> %ld",
                 host_slots[i], rc);
        if (rc == 0)
            mmu_set_entry(t.l4_mfn, host_slots[i], 0);
    }
}

static void refuse_bad_mmuext(void)
{
    uint64_t amfn = pt_pfn_to_mfn(t.a), foreign = t.max_mfn + 1000;
    struct pt_walk pw;
    uint64_t l3_mfn;

    pt_walk(t.window, &pw);
    l3_mfn = pt_walk_table_mfn(&pw, 3);
    gtest_refused(mmu_new_baseptr(amfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "NEW_BASEPTR to a writable data page");
    gtest_refused(mmu_new_baseptr(foreign), -XEN_EINVAL, GTEST_AS_XEN,
                  "NEW_BASEPTR to MFN max + 1000");
    gtest_refused(mmu_unpin(amfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "UNPIN of a page that is no table");
    gtest_refused(mmu_unpin(l3_mfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "UNPIN of the bootstrap L3 (in use, not pinned)");
    gtest_refused(mmu_pin(1, amfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "PIN_L1 of a page mapped writable");
    gtest_refused(mmu_pin(4, t.l4_mfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "PIN_L4 of the pinned bootstrap L4");
    gtest_refused(mmu_pin(2, l3_mfn), -XEN_EINVAL, GTEST_AS_XEN,
                  "PIN_L2 of the bootstrap L3 (wrong level)");
    gtest_refused(mmu_unpin(foreign), -XEN_EINVAL, GTEST_AS_XEN,
                  "UNPIN of MFN max + 1000");
}

/* A pinned, linked table given back with decrease_reservation. */
static void check_free_pinned(void)
{
    xen_pfn_t frame = pt_pfn_to_mfn(t.t1);
    struct xen_memory_reservation r = {
        .nr_extents = 1,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };
    uint64_t before = *word(va_of(t.t1));
    long rc;

    set_xen_guest_handle(r.extent_start, &frame);
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    if (rc == -XEN_ENOSYS) {
        gtest_skip("freeing a pinned table: no ballooning (-38)");
        return;
    }
    /* Xen removes it from the P2M and frees it when the last reference
     * (pin, link) goes; Veneer refuses to free it at all. Either way the
     * table must stay intact and in use now. */
    gtest_refused(rc, 1, VENEER_FREE_PINNED_RC,
                  "decrease_reservation of a pinned, linked L1");
    gtest_ok(*word(va_of(t.t1)) == before &&
                 *word(t.window) == 0xaaaa0000000000a1ULL,
             "the table is intact and still maps the window");
}

int guest_main(struct start_info *si)
{
    gtest_begin("mmu", si);
    setup(si);
    check_new_l1();
    check_new_l2();
    check_pins();
    check_new_baseptr(si);
    check_done_counts();
    refuse_writable_tables(si);
    refuse_bad_entries();
    refuse_l4_slots(si);
    refuse_bad_mmuext();
    check_free_pinned();
    return gtest_end();
}
