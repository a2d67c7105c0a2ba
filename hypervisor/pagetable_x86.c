/* SPDX-License-Identifier: MIT */
/*
 * Reading a domain's x86-64 page tables: single-address lookups (for
 * gmem.c) and a whole-tree walk that yields the host mappings the tables
 * mean, coalesced into ranges (for realising them in the domain process).
 *
 * Page-table frames live in guest RAM. veneerd validated every entry it let
 * in, but it still reads each entry once and re-checks that the frame it
 * names belongs to the domain before following it.
 */
#include <errno.h>

#include <xen/arch-x86/page.h>

#include "veneerd.h"

/* Read entry idx of page-table frame mfn; -EFAULT unless it is a
 * validated table of d. Only its shadow is read, never what the guest may
 * have written in the frame itself (mm_pv.c). */
static int pt_read(struct domain *d, mfn_t mfn, unsigned int idx, uint64_t *val)
{
    uint64_t slot;

    if (!frames_slot(d, mfn, &slot) || !d->frames[slot].shadow)
        return -EFAULT;
    *val = mm_entry(d, slot, idx);
    return 0;
}

/* pt_rights - the STUB_PROT_* rights one entry grants (RW, NX). */
uint32_t pt_rights(uint64_t pte)
{
    uint32_t prot = STUB_PROT_READ;

    if (pte & _PAGE_RW)
        prot |= STUB_PROT_WRITE;
    if (!(pte & _PAGE_NX))
        prot |= STUB_PROT_EXEC;
    return prot;
}

/*
 * pt_lookup - translate one guest virtual address through the tables at l4.
 *
 * Parameters: d, l4 (the base pointer), va; slot and prot (OUT): the RAM
 * slot backing va's page and the effective STUB_PROT_* rights.
 * Return values: 0; -EFAULT if va is outside the guest range or not mapped
 * by a present chain of entries naming d's own frames.
 */
int pt_lookup(struct domain *d, mfn_t l4, gva_t va, uint64_t *slot,
              uint32_t *prot)
{
    static const unsigned int shift[4] = {39, 30, 21, 12};
    mfn_t mfn = l4;
    uint32_t rights = STUB_PROT_READ | STUB_PROT_WRITE | STUB_PROT_EXEC;

    if (va >= VENEER_GUEST_VA_LIMIT)
        return -EFAULT;
    for (unsigned int level = 0; level < 4; level++) {
        uint64_t pte;
        if (pt_read(d, mfn, (va >> shift[level]) & 511, &pte))
            return -EFAULT;
        if (!(pte & _PAGE_PRESENT))
            return -EFAULT;
        /* PV guests may not use superpages (XEN-ABI-FACTS §8.4). */
        if (level < 3 && (pte & _PAGE_PSE))
            return -EFAULT;
        rights &= pt_rights(pte);
        mfn = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    if (mfn < d->mfn_base || mfn - d->mfn_base >= d->nr_slots)
        return -EFAULT;
    *slot = mfn - d->mfn_base;
    *prot = rights;
    return 0;
}

/* A run of pages being coalesced into one host mapping. */
struct pt_run {
    gva_t va;
    uint64_t slot;
    uint64_t len;
    uint32_t prot;
    int (*fn)(void *arg, gva_t va, uint64_t slot, uint64_t len, uint32_t prot);
    void *arg;
};

static int pt_run_flush(struct pt_run *r)
{
    int rc = 0;

    if (r->len)
        rc = r->fn(r->arg, r->va, r->slot, r->len, r->prot);
    r->len = 0;
    return rc;
}

static int pt_run_add(struct pt_run *r, gva_t va, uint64_t slot, uint32_t prot)
{
    if (r->len && r->va + r->len == va &&
        r->slot + r->len / PAGE_SIZE == slot && r->prot == prot) {
        r->len += PAGE_SIZE;
        return 0;
    }
    if (pt_run_flush(r))
        return -1;
    r->va = va;
    r->slot = slot;
    r->len = PAGE_SIZE;
    r->prot = prot;
    return 0;
}

static int pt_walk(struct domain *d, struct pt_run *r, mfn_t mfn,
                   unsigned int level, gva_t base, uint32_t rights)
{
    static const unsigned int shift[4] = {39, 30, 21, 12};
    unsigned int limit = level == 0 ? 256 : 512; /* lower half only */
    int rc;

    for (unsigned int i = 0; i < limit; i++) {
        gva_t va = base + ((gva_t)i << shift[level]);
        uint64_t pte;
        mfn_t next;

        if (va >= VENEER_GUEST_VA_LIMIT)
            break;
        if (pt_read(d, mfn, i, &pte))
            return -EFAULT;
        if (!(pte & _PAGE_PRESENT))
            continue;
        if (level < 3 && (pte & _PAGE_PSE))
            return -EFAULT;
        next = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
        if (next < d->mfn_base || next - d->mfn_base >= d->nr_slots)
            return -EFAULT;
        if (level == 3) {
            if (pt_run_add(r, va, next - d->mfn_base, rights & pt_rights(pte)))
                return -EIO;
            continue;
        }
        rc = pt_walk(d, r, next, level + 1, va, rights & pt_rights(pte));
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * pt_for_each_mapping - call fn for each maximal range of the guest's
 * lower-half mappings under l4 that is contiguous in both virtual
 * addresses and RAM slots and has one set of rights.
 *
 * Return values: 0; -EFAULT for a malformed tree; -EIO if fn failed.
 */
int pt_for_each_mapping(struct domain *d, mfn_t l4,
                        int (*fn)(void *arg, gva_t va, uint64_t slot,
                                  uint64_t len, uint32_t prot),
                        void *arg)
{
    struct pt_run r = {.fn = fn, .arg = arg};
    uint32_t all = STUB_PROT_READ | STUB_PROT_WRITE | STUB_PROT_EXEC;
    int rc;

    rc = pt_walk(d, &r, l4, 0, 0, all);
    if (rc == 0 && pt_run_flush(&r))
        rc = -EIO;
    return rc;
}
