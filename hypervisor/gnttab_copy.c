/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy: veneerd copies bytes between two pages, each named
 * either by grant (GNTCOPY_source_gref / GNTCOPY_dest_gref: another
 * domain's grant to the caller, or the caller's own) or by one of the
 * caller's own frames (domid DOMID_SELF). Each element is checked and
 * done on its own: both ends are pinned (GTF_reading for the source,
 * GTF_writing and the writable type for the destination) for the length
 * of the copy, so a granter can see the copy in its entry and cannot end
 * access under it, and unpinned at once.
 *
 * Checks, in Xen's order: a zero length succeeds without any; a frame end
 * not DOMID_SELF is GNTST_permission_denied, an unknown domain
 * GNTST_bad_domain; then the source's pin (gnttab_pin's answers, or
 * GNTST_bad_page for a frame that is not the caller's RAM), the
 * destination's (GNTST_general_error too if it cannot be writable: a page
 * table); then offset + len past either page is GNTST_bad_copy_arg.
 *
 * Locks: the caller's mm_lock (held by the hypercall) and each granter's,
 * all in domain-id order.
 */
#include <string.h>

#include <xen/errno.h>

#include "veneerd.h"

/* One end of a copy. */
struct gnttab_copy_end {
    struct domain *d; /* whose page, kept across the batch */
    bool held;        /* d was taken with domain_get */
    domid_t domid;    /* as the op named it, to reuse d for the next op */
    bool gref;        /* named by grant (else by the caller's frame) */
    uint64_t slot;    /* the page, once claimed */
    uint32_t pins;    /* GNTPIN_* held on a grant, 0 for a frame */
    bool typed;       /* a frame destination holds the writable type */
};

static void gnttab_copy_put(struct gnttab_copy_end *e)
{
    if (e->held)
        domain_put(e->d);
    e->d = NULL;
    e->held = false;
}

/* The domain an end names (Xen's gnttab_copy_lock_domain), kept in e
 * while the batch names the same one. */
static int16_t gnttab_copy_domain(struct vcpu *v, domid_t domid, bool gref,
                                  struct gnttab_copy_end *e)
{
    if (!gref && domid != DOMID_SELF)
        return GNTST_permission_denied;
    if (e->d && e->domid == domid)
        return GNTST_okay;
    gnttab_copy_put(e);
    e->held = domid != DOMID_SELF && domid != v->dom->id;
    e->d = e->held ? domain_get(domid) : v->dom;
    e->domid = domid;
    return e->d ? GNTST_okay : GNTST_bad_domain;
}

/* Take the caller's and both ends' mm_locks in domain-id order; the
 * caller's is held on entry and on return. */
static void gnttab_copy_lock(struct domain *own, struct domain *a,
                             struct domain *b)
{
    struct domain *set[3] = {own, a, b}, *t;
    unsigned int n = 3;

    if (b == a || b == own)
        n--;
    if (a == own) {
        set[1] = set[2];
        n--;
    }
    if (n == 1)
        return;
    if (n == 2) {
        gnttab_lock_pair(own, set[1]);
        return;
    }
    for (unsigned int i = 0; i < 2; i++)
        for (unsigned int j = 0; j + 1 < 3 - i; j++)
            if (set[j]->id > set[j + 1]->id) {
                t = set[j];
                set[j] = set[j + 1];
                set[j + 1] = t;
            }
    pthread_mutex_unlock(&own->mm_lock);
    for (unsigned int i = 0; i < 3; i++)
        pthread_mutex_lock(&set[i]->mm_lock);
}

static void gnttab_copy_unlock(struct domain *own, struct domain *a,
                               struct domain *b)
{
    if (a != own)
        pthread_mutex_unlock(&a->mm_lock);
    if (b != own && b != a)
        pthread_mutex_unlock(&b->mm_lock);
}

/* Pin or type one end (Xen's gnttab_copy_claim_buf); locks held. */
static int16_t gnttab_copy_claim(struct vcpu *v,
                                 const struct gnttab_copy_ptr *p, bool writable,
                                 struct gnttab_copy_end *e)
{
    struct domain *d = e->d;

    int16_t st;

    if (e->gref) {
        e->pins = writable ? GNTPIN_HSTW : GNTPIN_HSTR;
        st = (int16_t)gnttab_pin(d, p->u.ref, v->dom->id, e->pins, false,
                                 &e->slot);
        if (st != GNTST_okay)
            e->pins = 0;
        return st;
    }
    if (!frames_slot(d, p->u.gmfn, &e->slot) || !frames_is_ram(d, e->slot))
        return GNTST_bad_page;
    if (writable) {
        if (mm_get_type(d, e->slot, FRAME_WRITABLE) < 0)
            return GNTST_general_error;
        e->typed = true;
    }
    return GNTST_okay;
}

static void gnttab_copy_release(const struct gnttab_copy_ptr *p,
                                struct gnttab_copy_end *e)
{
    if (e->pins)
        gnttab_unpin(e->d, p->u.ref, e->pins);
    if (e->typed)
        mm_put_type(e->d, e->slot);
    e->pins = 0;
    e->typed = false;
}

/* Claim both ends, check the bounds, copy; locks held. */
static int16_t gnttab_copy_locked(struct vcpu *v, const struct gnttab_copy *op,
                                  struct gnttab_copy_end *src,
                                  struct gnttab_copy_end *dst)
{
    int16_t st;

    st = gnttab_copy_claim(v, &op->source, false, src);
    if (st == GNTST_okay)
        st = gnttab_copy_claim(v, &op->dest, true, dst);
    if (st == GNTST_okay &&
        ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
         (uint32_t)op->dest.offset + op->len > PAGE_SIZE))
        st = GNTST_bad_copy_arg;
    if (st == GNTST_okay)
        memmove(domain_slot_ptr(dst->d, dst->slot) + op->dest.offset,
                domain_slot_ptr(src->d, src->slot) + op->source.offset,
                op->len);
    gnttab_copy_release(&op->dest, dst);
    gnttab_copy_release(&op->source, src);
    return st;
}

static int16_t gnttab_copy_one(struct vcpu *v, const struct gnttab_copy *op,
                               struct gnttab_copy_end *src,
                               struct gnttab_copy_end *dst)
{
    int16_t st;

    if (op->len == 0)
        return GNTST_okay;
    src->gref = op->flags & GNTCOPY_source_gref;
    dst->gref = op->flags & GNTCOPY_dest_gref;
    st = gnttab_copy_domain(v, op->source.domid, src->gref, src);
    if (st == GNTST_okay)
        st = gnttab_copy_domain(v, op->dest.domid, dst->gref, dst);
    if (st != GNTST_okay)
        return st;
    gnttab_copy_lock(v->dom, src->d, dst->d);
    st = gnttab_copy_locked(v, op, src, dst);
    gnttab_copy_unlock(v->dom, src->d, dst->d);
    return st;
}

/*
 * gnttab_op_copy - GNTTABOP_copy over count elements at uop.
 * Return values: 0 (each element's status says how it went); -EFAULT if
 * an element cannot be read or its status written (the ones before it are
 * done).
 */
int64_t gnttab_op_copy(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct gnttab_copy_end src = {0}, dst = {0};
    int64_t rc = 0;

    for (uint32_t i = 0; i < count; i++) {
        gva_t at = uop + (uint64_t)i * sizeof(struct gnttab_copy);
        struct gnttab_copy op;

        if (gmem_copy_from(v, &op, at, sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        op.status = gnttab_copy_one(v, &op, &src, &dst);
        if (gmem_copy_to(v, at + offsetof(struct gnttab_copy, status),
                         &op.status, sizeof(op.status))) {
            rc = -XEN_EFAULT;
            break;
        }
    }
    gnttab_copy_put(&src);
    gnttab_copy_put(&dst);
    return rc;
}
