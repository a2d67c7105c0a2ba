/* SPDX-License-Identifier: MIT */
/*
 * The PV MMU hypercalls: mmu_update (1), update_va_mapping (14) and
 * mmuext_op (26), on top of mm_pv.c's rules. TLB flushes are accepted and
 * do nothing: the host mappings change before the hypercall returns, so
 * there is no stale translation to flush.
 */
#include <string.h>

#include <xen/arch-x86/page.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include "veneerd.h"

/*
 * Xen's get_pg_owner for foreigndom (bits 15:0) and the page-table owner
 * (bits 31:16, plus one): DOMID_SELF is the caller; the caller's own id
 * named explicitly, or a domain that does not exist, is -ESRCH; another
 * domain is -EPERM (Veneer has no privileged PV domains).
 */
static int mmu_owner_check(struct vcpu *v, domid_t dom)
{
    if (dom == DOMID_SELF)
        return 0;
    if (dom == v->dom->id || !domain_by_id(dom))
        return -XEN_ESRCH;
    return -XEN_EPERM;
}

static int mmu_check_foreigndom(struct vcpu *v, uint64_t fd)
{
    int rc = mmu_owner_check(v, (domid_t)(fd & 0xffff));

    if (rc == 0 && (fd >> 16) & 0xffff)
        rc = mmu_owner_check(v, (domid_t)(((fd >> 16) & 0xffff) - 1));
    if (rc == 0 && fd >> 32)
        rc = -XEN_EINVAL;
    return rc;
}

/* Xen's `done` is a 32-bit count; a bad pointer for it is ignored. */
static void mmu_write_done(struct vcpu *v, gva_t done_ptr, uint64_t done)
{
    uint32_t d32 = (uint32_t)done;

    if (done_ptr)
        (void)gmem_copy_to(v, done_ptr, &d32, sizeof(d32));
}

static int mmu_one_update(struct vcpu *v, const struct mmu_update *u)
{
    struct domain *d = v->dom;
    uint64_t slot;

    switch (u->ptr & 3) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
    case MMU_PT_UPDATE_NO_TRANSLATE:
        if (u->ptr & 4) /* entries are 8-byte aligned */
            return -XEN_EINVAL;
        if (!frames_slot(d, u->ptr >> PAGE_SHIFT, &slot))
            return -XEN_EINVAL;
        if (!mm_level_of(&d->frames[slot]))
            return mm_write_data(d, slot, (u->ptr & (PAGE_SIZE - 1)) >> 3,
                                 u->val);
        return mm_update_entry(v, slot, (u->ptr & (PAGE_SIZE - 1)) >> 3,
                               u->val);
    case MMU_MACHPHYS_UPDATE:
        if (!frames_slot(d, u->ptr >> PAGE_SHIFT, &slot) ||
            !frames_is_ram(d, slot))
            return -XEN_EINVAL;
        frames_set_pfn(d, slot, u->val);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

/* mmu_update(reqs, count, done, foreigndom) */
int64_t hc_mmu_update(struct vcpu *v, const uint64_t a[5])
{
    gva_t reqs = a[0], done_ptr = a[2];
    uint64_t count = a[1], done = 0;
    int64_t rc;

    rc = mmu_check_foreigndom(v, a[3]);
    for (; rc == 0 && done < count && !v->stop; done++) {
        struct mmu_update u;

        if (done > (UINT64_MAX - reqs) / sizeof(u) ||
            gmem_copy_from(v, &u, reqs + done * sizeof(u), sizeof(u))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mmu_one_update(v, &u);
        if (rc < 0)
            break;
    }
    mmu_write_done(v, done_ptr, done);
    return rc;
}

/* The L1 table and index mapping va in v's current tree. */
static int mmu_find_l1(struct vcpu *v, gva_t va, uint64_t *slot,
                       unsigned int *idx)
{
    struct domain *d = v->dom;
    uint64_t s;

    if (va >= VENEER_GUEST_VA_LIMIT || !frames_slot(d, v->cr3, &s))
        return -XEN_EINVAL;
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t pte = mm_entry(d, s, (va >> (12 + 9 * (level - 1))) & 511);

        if (!(pte & _PAGE_PRESENT) ||
            !frames_slot(d, (pte & PTE_ADDR_MASK) >> PAGE_SHIFT, &s))
            return -XEN_EINVAL;
    }
    if (mm_level_of(&d->frames[s]) != 1)
        return -XEN_EINVAL;
    *slot = s;
    *idx = (va >> PAGE_SHIFT) & 511;
    return 0;
}

/* Flush flags: the type in bits 0-1, then LOCAL (0), ALL (4) or a guest
 * pointer to a vCPU mask, read (and so checked) only when a flush is
 * asked for, as Xen does. */
static int mmu_check_flush(struct vcpu *v, uint64_t flags)
{
    uint64_t scope = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK, mask;

    if (!(flags & UVMF_FLUSHTYPE_MASK) || scope == UVMF_LOCAL ||
        scope == UVMF_ALL)
        return 0;
    return gmem_copy_from(v, &mask, scope, sizeof(mask)) ? -XEN_EFAULT : 0;
}

/* update_va_mapping(va, val, flags) */
int64_t hc_update_va_mapping(struct vcpu *v, const uint64_t a[5])
{
    uint64_t slot;
    unsigned int idx;
    int rc;

    rc = mmu_check_flush(v, a[2]);
    if (rc == 0)
        rc = mmu_find_l1(v, a[0], &slot, &idx);
    if (rc == 0)
        rc = mm_update_entry(v, slot, idx, a[1]);
    return rc;
}

static int mmuext_pin(struct vcpu *v, const struct mmuext_op *op,
                      enum frame_type type)
{
    uint64_t slot;

    if (!frames_slot(v->dom, op->arg1.mfn, &slot))
        return -XEN_EINVAL;
    return mm_pin(v->dom, slot, type);
}

/* LDT entries one SET_LDT may name (64 KiB of descriptors, Xen's limit). */
#define MMUEXT_LDT_MAX_ENTS 8192

/* CLEAR_PAGE / COPY_PAGE: the destination must be able to take the
 * writable type (not a page table), the source any frame of the domain. */
static int mmuext_page_op(struct vcpu *v, const struct mmuext_op *op)
{
    struct domain *d = v->dom;
    uint64_t dst, src = 0;
    int rc;

    if (!frames_slot(d, op->arg1.mfn, &dst) ||
        (op->cmd == MMUEXT_COPY_PAGE &&
         !frames_slot(d, op->arg2.src_mfn, &src)))
        return -XEN_EINVAL;
    if (op->cmd == MMUEXT_COPY_PAGE && !frames_is_ram(d, src))
        return -XEN_EINVAL;
    rc = mm_get_type(d, dst, FRAME_WRITABLE);
    if (rc < 0)
        return rc;
    if (op->cmd == MMUEXT_CLEAR_PAGE)
        memset(domain_slot_ptr(d, dst), 0, PAGE_SIZE);
    else
        memmove(domain_slot_ptr(d, dst), domain_slot_ptr(d, src), PAGE_SIZE);
    mm_put_type(d, dst);
    return 0;
}

static int mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    uint64_t slot, mask;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
        return mmuext_pin(v, op, FRAME_L1);
    case MMUEXT_PIN_L2_TABLE:
        return mmuext_pin(v, op, FRAME_L2);
    case MMUEXT_PIN_L3_TABLE:
        return mmuext_pin(v, op, FRAME_L3);
    case MMUEXT_PIN_L4_TABLE:
        return mmuext_pin(v, op, FRAME_L4);
    case MMUEXT_UNPIN_TABLE:
        if (!frames_slot(v->dom, op->arg1.mfn, &slot))
            return -XEN_EINVAL;
        return mm_unpin(v->dom, slot);
    case MMUEXT_NEW_BASEPTR:
        if (!frames_slot(v->dom, op->arg1.mfn, &slot))
            return -XEN_EINVAL;
        return mm_new_baseptr(v, slot);
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        /* Xen: an unreadable vCPU mask is -EINVAL here. */
        return gmem_copy_from(v, &mask, op->arg2.vcpumask, sizeof(mask))
                   ? -XEN_EINVAL
                   : 0;
    case MMUEXT_NEW_USER_BASEPTR:
        /* No separate user address space yet: only "none" is accepted. */
        return op->arg1.mfn == 0 ? 0 : -XEN_ENOSYS;
    case MMUEXT_SET_LDT:
        /* Xen's checks; a real LDT is not supported (-ENOSYS). */
        if ((op->arg1.linear_addr & (PAGE_SIZE - 1)) ||
            op->arg2.nr_ents > MMUEXT_LDT_MAX_ENTS)
            return -XEN_EINVAL;
        return op->arg2.nr_ents == 0 ? 0 : -XEN_ENOSYS;
    case MMUEXT_CLEAR_PAGE:
    case MMUEXT_COPY_PAGE:
        return mmuext_page_op(v, op);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        return -XEN_EACCES; /* needs cache-flush permission */
    default:
        return -XEN_ENOSYS;
    }
}

/* mmuext_op(ops, count, done, foreigndom) */
int64_t hc_mmuext_op(struct vcpu *v, const uint64_t a[5])
{
    gva_t ops = a[0], done_ptr = a[2];
    uint64_t count = a[1], done = 0;
    int64_t rc;

    rc = mmu_check_foreigndom(v, a[3]);
    for (; rc == 0 && done < count && !v->stop; done++) {
        struct mmuext_op op;

        if (done > (UINT64_MAX - ops) / sizeof(op) ||
            gmem_copy_from(v, &op, ops + done * sizeof(op), sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mmuext_one(v, &op);
        if (rc < 0)
            break;
    }
    mmu_write_done(v, done_ptr, done);
    return rc;
}
