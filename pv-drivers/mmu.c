/* SPDX-License-Identifier: MIT */
/*
 * PV MMU helpers over mmu_update, update_va_mapping and mmuext_op; see
 * <veneer/mmu.h>.
 */
#include <xen/errno.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pagetable.h>
#include <veneer/string.h>

long mmu_map(uint64_t va, uint64_t mfn, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping(va, mmu_pte(mfn, flags), UVMF_INVLPG);
}

long mmu_unmap(uint64_t va)
{
    return HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
}

long mmu_set_entry(uint64_t table_mfn, unsigned int idx, uint64_t val)
{
    struct mmu_update u = {
        .ptr = (table_mfn << XEN_PAGE_SHIFT) + idx * sizeof(uint64_t) +
               MMU_NORMAL_PT_UPDATE,
        .val = val,
    };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

static long mmu_ext(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = mfn};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long mmu_pin(unsigned int level, uint64_t mfn)
{
    if (level < 1 || level > 4)
        return -XEN_EINVAL;
    return mmu_ext(MMUEXT_PIN_L1_TABLE + level - 1, mfn);
}

long mmu_unpin(uint64_t mfn)
{
    return mmu_ext(MMUEXT_UNPIN_TABLE, mfn);
}

long mmu_new_baseptr(uint64_t mfn)
{
    return mmu_ext(MMUEXT_NEW_BASEPTR, mfn);
}

long mmu_table_prepare(uint64_t pfn)
{
    memset((void *)(uintptr_t)pt_pfn_to_va(pfn), 0, XEN_PAGE_SIZE);
    /* The writable mapping must go before the frame can be a table. */
    return mmu_map(pt_pfn_to_va(pfn), pt_pfn_to_mfn(pfn), MMU_PTE_RO);
}

long mmu_table_release(uint64_t pfn)
{
    return mmu_map(pt_pfn_to_va(pfn), pt_pfn_to_mfn(pfn), MMU_PTE_RW);
}

static unsigned int mmu_index(uint64_t va, unsigned int level)
{
    return (va >> (XEN_PAGE_SHIFT + 9 * (level - 1))) & 511;
}

long mmu_table_link(uint64_t va, unsigned int level, uint64_t pfn)
{
    uint64_t mfn = pt_pfn_to_mfn(pfn), parent;
    struct pt_walk w;
    long rc;

    if (level < 1 || level > 3)
        return -XEN_EINVAL;
    rc = pt_walk(va, &w);
    if (rc == 0 || (rc == -XEN_ENOENT && w.level < (int)level + 1))
        return -XEN_EEXIST;
    if (rc != -XEN_ENOENT)
        return rc;
    if (w.level != (int)level + 1)
        return -XEN_ENOENT;
    parent = pt_walk_table_mfn(&w, level + 1);
    rc = mmu_table_prepare(pfn);
    if (rc == 0)
        rc = mmu_pin(level, mfn);
    if (rc == 0) {
        rc = mmu_set_entry(parent, mmu_index(va, level + 1),
                           mmu_pte(mfn, MMU_PDE));
        if (rc < 0)
            mmu_unpin(mfn);
    }
    if (rc < 0)
        mmu_table_release(pfn);
    return rc;
}

long mmu_table_unlink(uint64_t va, unsigned int level, uint64_t *pfn)
{
    uint64_t mfn, table_pfn;
    struct pt_walk w;
    long rc;

    if (level < 1 || level > 3)
        return -XEN_EINVAL;
    rc = pt_walk(va, &w);
    if (rc < 0 && !(rc == -XEN_ENOENT && w.level < (int)level + 1))
        return rc;
    mfn = pt_mfn_of(w.entry[level + 1]);
    if (pt_mfn_to_pfn(mfn, &table_pfn) < 0)
        return -XEN_ENOENT;
    rc = mmu_set_entry(pt_walk_table_mfn(&w, level + 1),
                       mmu_index(va, level + 1), 0);
    if (rc == 0)
        rc = mmu_unpin(mfn);
    if (rc == 0)
        rc = mmu_table_release(table_pfn);
    if (rc == 0 && pfn)
        *pfn = table_pfn;
    return rc;
}
