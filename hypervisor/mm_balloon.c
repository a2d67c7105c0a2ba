/* SPDX-License-Identifier: MIT */
/*
 * Ballooning: memory_op increase_reservation, decrease_reservation and
 * populate_physmap for PV guests. Freeing a frame punches its page out of
 * the RAM memfd, so the host memory really goes back; taking frames
 * allocates slots that were punched (or never used), up to max_pages.
 *
 * PV guests name frames to free by MFN and get MFNs back for new ones
 * (XEN-ABI-FACTS §6). One deliberate difference from Xen: a frame that is
 * still mapped, typed or pinned is not freed (Xen frees it once the last
 * reference goes); the call stops there and returns the extents done.
 */
#include <errno.h>
#include <fcntl.h>

#include <xen/errno.h>
#include <xen/memory.h>

#include "veneerd.h"

/* Largest extent a domU may ask for (Xen's default domU max order). */
#define BALLOON_MAX_ORDER 9

static bool balloon_can_free(const struct domain *d, uint64_t slot)
{
    const struct frame *f = &d->frames[slot];

    return frames_is_ram(d, slot) && f->type_count == 0 && f->map_count == 0 &&
           !(f->flags & FRAME_PINNED);
}

/* Free the 2^order frames from mfn; all or nothing. */
static int balloon_free_extent(struct domain *d, mfn_t mfn, unsigned int order)
{
    uint64_t n = 1ull << order, slot;

    if (!frames_slot(d, mfn, &slot) || slot + n > d->nr_slots ||
        (mfn & (n - 1)))
        return -XEN_EINVAL;
    for (uint64_t i = 0; i < n; i++)
        if (!balloon_can_free(d, slot + i))
            return -XEN_EBUSY;
    if (fallocate(d->ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  (off_t)(slot * PAGE_SIZE), (off_t)(n * PAGE_SIZE)) < 0) {
        log_warn("dom%u: punching out %llu frames", d->id,
                 (unsigned long long)n);
        return -XEN_ENOMEM;
    }
    if (slot < d->balloon_hint)
        d->balloon_hint = slot;
    for (uint64_t i = 0; i < n; i++) {
        d->frames[slot + i].flags |= FRAME_FREE;
        frames_set_pfn(d, slot + i, INVALID_PFN);
        d->frames[slot + i].type = FRAME_NONE;
    }
    d->nr_pages -= n;
    return 0;
}

/* Find 2^order free, naturally aligned slots; INVALID_MFN if none. */
static mfn_t balloon_alloc_extent(struct domain *d, unsigned int order)
{
    uint64_t n = 1ull << order;

    if (d->nr_pages + n > d->max_pages)
        return INVALID_MFN;
    /* Start where the last search ended (frames free below it were
     * taken); once past the end, look from the start again. */
    if (d->balloon_hint + n > d->shared_info_slot)
        d->balloon_hint = 0;
    for (uint64_t s = d->balloon_hint & ~(n - 1); s + n <= d->shared_info_slot;
         s += n) {
        uint64_t i;

        for (i = 0; i < n; i++)
            if (frames_is_ram(d, s + i))
                break;
        if (i < n)
            continue;
        for (i = 0; i < n; i++) {
            d->frames[s + i].flags = 0; /* in use again */
            frames_set_pfn(d, s + i, INVALID_PFN);
        }
        d->nr_pages += n;
        d->balloon_hint = s + n;
        return frames_mfn(d, s);
    }
    return INVALID_MFN;
}

/* memory_op(XENMEM_{increase,decrease}_reservation, XENMEM_populate_physmap) */
int64_t balloon_op(struct vcpu *v, unsigned int op, uint64_t start, gva_t arg)
{
    struct domain *d = v->dom;
    struct xen_memory_reservation r;
    uint64_t i;

    if (gmem_copy_from(v, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (r.domid != DOMID_SELF && r.domid != d->id)
        return domain_by_id(r.domid) ? -XEN_EPERM : -XEN_ESRCH;
    if (r.extent_order > BALLOON_MAX_ORDER || start > r.nr_extents)
        return -XEN_EINVAL;
    for (i = start; i < r.nr_extents && !v->stop; i++) {
        gva_t at = r.extent_start + i * sizeof(xen_pfn_t);
        xen_pfn_t frame;
        mfn_t mfn;

        if (i > (UINT64_MAX - r.extent_start) / sizeof(frame) ||
            gmem_copy_from(v, &frame, at, sizeof(frame)))
            return i == start ? -XEN_EFAULT : (int64_t)i;
        if (op == XENMEM_decrease_reservation) {
            if (balloon_free_extent(d, frame, r.extent_order) < 0)
                break;
            continue;
        }
        mfn = balloon_alloc_extent(d, r.extent_order);
        if (mfn == INVALID_MFN)
            break;
        if (op == XENMEM_populate_physmap)
            for (uint64_t k = 0; k < (1ull << r.extent_order); k++)
                frames_set_pfn(d, mfn - d->mfn_base + k, frame + k);
        /* PV: the guest learns its new frames' MFNs in place. */
        if (gmem_copy_to(v, at, &mfn, sizeof(mfn))) {
            balloon_free_extent(d, mfn, r.extent_order);
            return i == start ? -XEN_EFAULT : (int64_t)i;
        }
    }
    return (int64_t)i;
}
