/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the PV page-table rules (mm_pv.c), their realisation as
 * host mapping ops (mm_realise.c) and ballooning (mm_balloon.c), on a
 * domain built by the real builder (no domain process is started).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <xen/arch-x86/page.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

#define BASE      0x400000ull
#define MEM_PAGES 2048 /* 8 MiB: frames above the 4 MiB region are free */

static struct fixture f;
static struct domain *d;
static struct vcpu *v;

static const uint64_t PTE_RW =
    _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
static const uint64_t PTE_RO = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

static void setup(void)
{
    d = fixture_domain(&f, BASE, MEM_PAGES, "");
    v = &d->vcpus[0];
}

static void teardown(void)
{
    domain_destroy(d);
}

TestSuite(mm, .init = setup, .fini = teardown);

static uint64_t slot_of_va(gva_t va)
{
    return (va - BASE) / PAGE_SIZE; /* the bootstrap region is 1:1 */
}

static uint64_t mfn_of_slot(uint64_t slot)
{
    return d->mfn_base + slot;
}

/* The L1 slot and index mapping va in the bootstrap tables. */
static void l1_of(gva_t va, uint64_t *slot, unsigned int *idx)
{
    uint64_t s = slot_of_va(d->pt_base);

    for (unsigned int level = 4; level > 1; level--) {
        uint64_t *t = (uint64_t *)domain_slot_ptr(d, s);
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        cr_assert(e & _PAGE_PRESENT);
        s = ((e & PTE_ADDR_MASK) >> 12) - d->mfn_base;
    }
    *slot = s;
    *idx = (va >> 12) & 511;
}

/* A free frame above the bootstrap region, zeroed. */
static uint64_t free_slot(unsigned int n)
{
    uint64_t s = (d->virt_end - BASE) / PAGE_SIZE + n;

    cr_assert_lt(s, MEM_PAGES);
    memset(domain_slot_ptr(d, s), 0, PAGE_SIZE);
    return s;
}

Test(mm, bootstrap_types_and_counts)
{
    uint64_t l4 = slot_of_va(d->pt_base), l1;
    unsigned int idx;

    cr_assert_eq(d->frames[l4].type, FRAME_L4);
    cr_assert_eq(d->frames[l4].type_count, 2, "pin + base pointer");
    cr_assert(d->frames[l4].flags & FRAME_PINNED);
    l1_of(BASE, &l1, &idx);
    cr_assert_eq(d->frames[l1].type, FRAME_L1);
    cr_assert_eq(d->frames[slot_of_va(BASE)].type, FRAME_WRITABLE);
    cr_assert_eq(d->frames[slot_of_va(BASE)].map_count, 1);
    cr_assert_eq(d->frames[slot_of_va(d->pt_base)].map_count, 1);
    cr_assert_eq(v->nr_ops, 0);
}

Test(mm, page_table_never_writable)
{
    uint64_t l1;
    unsigned int idx;
    uint64_t l4_mfn = mfn_of_slot(slot_of_va(d->pt_base));

    l1_of(BASE, &l1, &idx);
    /* Map the L4 writable at BASE: refused, entry unchanged. */
    uint64_t before = ((uint64_t *)domain_slot_ptr(d, l1))[idx];
    cr_assert_eq(mm_update_entry(v, l1, idx, (l4_mfn << 12) | PTE_RW), -EBUSY);
    cr_assert_eq(((uint64_t *)domain_slot_ptr(d, l1))[idx], before);
    /* Read-only is fine, and becomes one read-only map op. */
    cr_assert_eq(mm_update_entry(v, l1, idx, (l4_mfn << 12) | PTE_RO), 0);
    cr_assert_eq(v->nr_ops, 2);
    cr_assert_eq(v->ops[0].kind, STUB_OP_UNMAP);
    cr_assert_eq(v->ops[1].kind, STUB_OP_MAP);
    cr_assert_eq(v->ops[1].va, BASE);
    cr_assert_eq(v->ops[1].prot, STUB_PROT_READ | STUB_PROT_EXEC);
    cr_assert_eq(v->ops[1].offset, slot_of_va(d->pt_base) * PAGE_SIZE);
    /* The old frame lost its writable reference. */
    cr_assert_eq(d->frames[slot_of_va(BASE)].type_count, 0);
}

Test(mm, foreign_and_bogus_frames_refused)
{
    uint64_t l1;
    unsigned int idx;

    l1_of(BASE, &l1, &idx);
    cr_assert_eq(mm_update_entry(v, l1, idx, (0ull << 12) | PTE_RW), -EPERM);
    cr_assert_eq(mm_update_entry(v, l1, idx,
                                 ((d->mfn_base + d->nr_slots) << 12) | PTE_RW),
                 -EPERM);
    cr_assert_eq(
        mm_update_entry(v, l1, idx, ((d->mfn_base - 1) << 12) | PTE_RW),
        -EPERM);
    /* Cache-control and PAT bits are not for domUs. */
    cr_assert_eq(
        mm_update_entry(v, l1, idx,
                        (mfn_of_slot(free_slot(0)) << 12) | PTE_RW | _PAGE_PCD),
        -EINVAL);
}

Test(mm, pin_rules)
{
    uint64_t s = free_slot(0), l1;
    unsigned int idx;

    cr_assert_eq(mm_unpin(d, s), -EINVAL, "not pinned");
    cr_assert_eq(mm_pin(d, s, FRAME_L1), 0);
    cr_assert_eq(mm_pin(d, s, FRAME_L1), -EINVAL, "pinned twice");
    cr_assert_eq(mm_pin(d, s, FRAME_L2), -EINVAL);
    /* A pinned table cannot be mapped writable (busy, as Xen says)... */
    l1_of(BASE, &l1, &idx);
    cr_assert_eq(mm_update_entry(v, l1, idx, (mfn_of_slot(s) << 12) | PTE_RW),
                 -EBUSY);
    cr_assert_eq(mm_unpin(d, s), 0);
    /* ...and a writably mapped frame cannot be pinned. */
    cr_assert_eq(mm_update_entry(v, l1, idx, (mfn_of_slot(s) << 12) | PTE_RW),
                 0);
    cr_assert_eq(mm_pin(d, s, FRAME_L1), -EINVAL);
}

Test(mm, tables_must_validate)
{
    uint64_t s = free_slot(0), t = free_slot(1);
    uint64_t *e = (uint64_t *)domain_slot_ptr(d, s);

    /* An L2 naming a frame mapped writable cannot be an L1 parent. */
    e[0] = (mfn_of_slot(slot_of_va(BASE)) << 12) | _PAGE_PRESENT | _PAGE_RW;
    cr_assert_eq(mm_pin(d, s, FRAME_L2), -EINVAL);
    cr_assert_eq(d->frames[s].type_count, 0, "failed pin leaves no ref");
    /* PSE at L2 is refused for PV. */
    e[0] = (mfn_of_slot(t) << 12) | _PAGE_PRESENT | _PAGE_PSE;
    cr_assert_eq(mm_pin(d, s, FRAME_L2), -EINVAL);
    /* A table naming itself cannot validate (no linear tables). */
    e[0] = (mfn_of_slot(s) << 12) | _PAGE_PRESENT;
    cr_assert_eq(mm_pin(d, s, FRAME_L2), -EINVAL);
    /* An L4 with an entry in the host half is refused. */
    memset(e, 0, PAGE_SIZE);
    e[300] = (mfn_of_slot(t) << 12) | _PAGE_PRESENT;
    cr_assert_eq(mm_pin(d, s, FRAME_L4), -EINVAL);
    cr_assert_eq(mm_new_baseptr(v, s), -EINVAL);
    cr_assert_eq(v->cr3, mfn_of_slot(slot_of_va(d->pt_base)));
}

Test(mm, upper_slots_of_l4_refused)
{
    uint64_t l4 = slot_of_va(d->pt_base);

    cr_assert_eq(mm_update_entry(v, l4, 256, 0), -EINVAL);
    cr_assert_eq(mm_update_entry(v, l4, 511, 0), -EINVAL);
}

Test(mm, new_table_linked_and_used)
{
    uint64_t l1 = free_slot(0), data = free_slot(1), l2;
    unsigned int idx;
    uint64_t l2e, *t;
    gva_t va;

    /* The L2 covering the region; link the new L1 at the next 2 MiB. */
    l1_of(BASE, &l2, &idx);
    t = (uint64_t *)domain_slot_ptr(d, slot_of_va(d->pt_base));
    t = (uint64_t *)domain_slot_ptr(d, ((t[0] & PTE_ADDR_MASK) >> 12) -
                                           d->mfn_base); /* L3 */
    t = (uint64_t *)domain_slot_ptr(d, ((t[0] & PTE_ADDR_MASK) >> 12) -
                                           d->mfn_base); /* L2 */
    l2 = (uint64_t)((uint8_t *)t - d->ram) / PAGE_SIZE;
    idx = (unsigned int)(d->virt_end >> 21);
    cr_assert_eq(t[idx], 0);
    cr_assert_eq(mm_pin(d, l1, FRAME_L1), 0);
    l2e = (mfn_of_slot(l1) << 12) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;
    cr_assert_eq(mm_update_entry(v, l2, idx, l2e), 0);
    cr_assert_eq(d->frames[l1].type_count, 2, "pin + link");
    cr_assert_eq(d->frames[l1].tree_links, 1);
    cr_assert_eq(d->frames[l1].va_base, d->virt_end);
    mm_ops_reset(v);
    /* Eight pages mapped through it coalesce into one op. */
    for (unsigned int i = 0; i < 8; i++)
        cr_assert_eq(
            mm_update_entry(v, l1, i, (mfn_of_slot(data + i) << 12) | PTE_RW),
            0);
    cr_assert_eq(v->nr_ops, 1);
    cr_assert_eq(v->ops[0].kind, STUB_OP_MAP);
    cr_assert_eq(v->ops[0].va, d->virt_end);
    cr_assert_eq(v->ops[0].len, 8 * PAGE_SIZE);
    cr_assert_eq(v->ops[0].offset, data * PAGE_SIZE);
    va = d->virt_end;
    cr_assert_eq(gmem_copy_to(v, va + 4, "x", 1), 0);
    /* Unlinking takes the whole span away. */
    mm_ops_reset(v);
    cr_assert_eq(mm_update_entry(v, l2, idx, 0), 0);
    cr_assert_eq(v->nr_ops, 1);
    cr_assert_eq(v->ops[0].kind, STUB_OP_UNMAP);
    cr_assert_eq(v->ops[0].len, 2u << 20);
    cr_assert_eq(d->frames[l1].tree_links, 0);
    cr_assert_eq(gmem_copy_to(v, va + 4, "x", 1), -EFAULT);
    cr_assert_eq(mm_unpin(d, l1), 0);
    cr_assert_eq(d->frames[data].type_count, 0, "refs released");
}

Test(mm, aliased_table_forces_full_realisation)
{
    uint64_t l4 = slot_of_va(d->pt_base);
    uint64_t *t = (uint64_t *)domain_slot_ptr(d, l4);
    unsigned int used = (unsigned int)(BASE >> 39);

    /* Link the same L3 a second time: an alias. */
    cr_assert_eq(mm_update_entry(v, l4, used + 1, t[used]), 0);
    cr_assert(d->realise_full);
    mm_realise_all(v);
    cr_assert_eq(v->ops[0].kind, STUB_OP_UNMAP);
    cr_assert_eq(v->ops[0].va, 0);
    cr_assert_geq(v->nr_ops, 5, "both aliases are mapped");
}

/* Run a balloon op with `n` frames listed at a scratch page of the image. */
static int64_t balloon(unsigned int op, const uint64_t *frames, unsigned int n,
                       uint64_t *out)
{
    gva_t list = BASE + 0x2000, arg = BASE + 0x2800;
    struct xen_memory_reservation r = {
        .extent_start = list, .nr_extents = n, .domid = DOMID_SELF};
    int64_t rc;

    cr_assert_eq(gmem_copy_to(v, list, frames, n * 8), 0);
    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    rc = balloon_op(v, op, 0, arg);
    if (out)
        cr_assert_eq(gmem_copy_from(v, out, list, n * 8), 0);
    return rc;
}

Test(mm, balloon_frees_only_unused_frames_and_gives_them_back)
{
    uint64_t frames[4] = {mfn_of_slot(free_slot(0)), mfn_of_slot(free_slot(1)),
                          mfn_of_slot(slot_of_va(d->pt_base)),
                          mfn_of_slot(free_slot(2))};
    uint64_t got[2], pfns[2] = {free_slot(0), free_slot(1)};
    uint64_t before = d->nr_pages;

    /* Two free frames go; the pinned L4 stops the batch. */
    cr_assert_eq(balloon(XENMEM_decrease_reservation, frames, 4, NULL), 2);
    cr_assert_eq(d->nr_pages, before - 2);
    cr_assert_not(frames_is_ram(d, free_slot(0)));
    /* The limit holds: nothing beyond max_pages. */
    cr_assert_eq(balloon(XENMEM_populate_physmap, pfns, 2, got), 2);
    cr_assert_eq(d->nr_pages, before);
    cr_assert_eq(frames_pfn(d, got[0] - d->mfn_base), pfns[0]);
    cr_assert_eq(balloon(XENMEM_populate_physmap, pfns, 1, NULL), 0,
                 "max_pages reached");
    /* Bad lists fault; bad domains are refused. */
    struct xen_memory_reservation r = {
        .extent_start = 0x10, .nr_extents = 1, .domid = DOMID_SELF};
    cr_assert_eq(gmem_copy_to(v, BASE + 0x2800, &r, sizeof(r)), 0);
    cr_assert_eq(balloon_op(v, XENMEM_decrease_reservation, 0, BASE + 0x2800),
                 -XEN_EFAULT);
    r.domid = 77;
    cr_assert_eq(gmem_copy_to(v, BASE + 0x2800, &r, sizeof(r)), 0);
    cr_assert_eq(balloon_op(v, XENMEM_decrease_reservation, 0, BASE + 0x2800),
                 -XEN_ESRCH);
}

Test(mm, scribbled_table_frames_change_nothing_veneerd_believes)
{
    uint64_t l1, slot, good;
    unsigned int idx;
    uint32_t prot;
    uint64_t *guest_view;

    /* A guest that kept a writable mapping of its L1 (by skipping an
     * unmap) writes a forged entry into the frame itself. */
    l1_of(BASE, &l1, &idx);
    guest_view = (uint64_t *)domain_slot_ptr(d, l1);
    good = guest_view[idx];
    guest_view[idx] = ((d->mfn_base + d->nr_slots + 99) << 12) | PTE_RW;
    /* Walks, realisation and updates still see the validated entry. */
    cr_assert_eq(pt_lookup(d, v->cr3, BASE, &slot, &prot), 0);
    cr_assert_eq(slot, slot_of_va(BASE));
    cr_assert_eq(mm_entry(d, l1, idx), good);
    mm_realise_all(v);
    for (size_t i = 0; i < v->nr_ops; i++)
        cr_assert_lt(v->ops[i].offset, d->nr_slots * PAGE_SIZE);
    /* An update rewrites both the shadow and the guest's view. */
    cr_assert_eq(mm_update_entry(v, l1, idx, 0), 0);
    cr_assert_eq(guest_view[idx], 0);
    cr_assert_eq(d->frames[slot_of_va(BASE)].type_count, 0,
                 "the validated entry's reference went, not the forged one");
}

Test(mm, aliased_tree_walk_is_bounded)
{
    uint64_t l1 = free_slot(0), l2 = free_slot(1), l3 = free_slot(2);
    uint64_t l4 = slot_of_va(d->pt_base);
    uint64_t *t2 = (uint64_t *)domain_slot_ptr(d, l2);
    uint64_t *t3 = (uint64_t *)domain_slot_ptr(d, l3);
    const uint64_t up = _PAGE_PRESENT | _PAGE_USER;

    /* 512 x 512 aliases of one L1 under one L3: 2^18 tables to visit. */
    for (unsigned int i = 0; i < 512; i++) {
        t2[i] = (mfn_of_slot(l1) << 12) | up;
        t3[i] = (mfn_of_slot(l2) << 12) | up;
    }
    cr_assert_eq(mm_pin(d, l3, FRAME_L3), 0);
    cr_assert_eq(mm_update_entry(v, l4, 100, (mfn_of_slot(l3) << 12) | up), 0);
    cr_assert(d->realise_full, "aliases found while linking");
    mm_realise_all(v);
    cr_assert(d->realise_overflow, "the walk stopped at its budget");
}
