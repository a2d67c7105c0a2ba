/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1 (XEN-ABI-FACTS §5): each domain's table frames
 * and its RAM file as mappers hold it, the lock order between two domains,
 * and grant_table_op's dispatcher with the ops that read, grow or reorder
 * a table (setup_table, query_size, dump_table, get/set_version,
 * get_status_frames, swap_grant_ref). Mapping, copying and the
 * grant-entry protocol live in gnttab_map.c, gnttab_copy.c and
 * gnttab_pin.c.
 *
 * The table frames are RAM slots of the domain outside its P2M, like
 * shared_info (domain.c reserves VN_GNTTAB_MAX_FRAMES of them after the
 * shared_info slot), typed FRAME_GRANT_TABLE once the table grows over
 * them: the guest may map them writable, never as a page table, and
 * setup_table hands out their MFNs, as Xen does for PV guests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/errno.h>

#include "veneerd.h"

/* Sub-command bits above these are Xen's continuation argument: only
 * cache_flush (not on x86) may carry them (GNTTABOP_CMD_MASK). */
#define GNTTABOP_CMD_MASK 0xfffu

/* ---- the granter's RAM file ---- */

/* A reference to d's RAM file that outlives d: a duplicate of the memfd,
 * and the same file opened read-only for read-only grants (so that even
 * an approved mmap of it can never be writable). */
static struct gnttab_ram *gnttab_ram_new(struct domain *d)
{
    struct gnttab_ram *r = calloc(1, sizeof(*r));
    char path[64];

    if (!r)
        return NULL;
    r->domid = d->id;
    r->refs = 1;
    r->rw_fd = fcntl(d->ram_fd, F_DUPFD_CLOEXEC, 0);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", d->ram_fd);
    r->ro_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->rw_fd < 0 || r->ro_fd < 0) {
        log_warn("%s: dom%u: cannot reopen the RAM file", __func__, d->id);
        if (r->rw_fd >= 0)
            close(r->rw_fd);
        if (r->ro_fd >= 0)
            close(r->ro_fd);
        free(r);
        return NULL;
    }
    return r;
}

/* gnttab_ram_get - take a reference to r. Return values: r. */
struct gnttab_ram *gnttab_ram_get(struct gnttab_ram *r)
{
    __atomic_add_fetch(&r->refs, 1, __ATOMIC_ACQ_REL);
    return r;
}

/* gnttab_ram_put - drop a reference; the last one closes the files. */
void gnttab_ram_put(struct gnttab_ram *r)
{
    if (!r || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    close(r->rw_fd);
    close(r->ro_fd);
    free(r);
}

/* ---- lifecycle ---- */

/*
 * gnttab_domain_init - give a new domain its (empty) grant table; d's RAM
 * file must exist. The builder gives it its first frame (gnttab_build).
 * Return values: 0; -ENOMEM; -EMFILE if the file cannot be reopened.
 */
int gnttab_domain_init(struct domain *d)
{
    struct gnttab *gt = calloc(1, sizeof(*gt));

    if (!gt)
        return -ENOMEM;
    gt->ram = gnttab_ram_new(d);
    if (!gt->ram) {
        free(gt);
        return -EMFILE;
    }
    gt->maps_free = UINT32_MAX;
    gt->acks = UINT32_MAX;
    d->gt = gt;
    return 0;
}

/* Grow d's table to nr frames (never shrinks); mm_lock held. */
static int gnttab_grow(struct domain *d, uint32_t nr)
{
    struct gnttab *gt = d->gt;

    for (uint32_t i = gt->nr_frames; i < nr; i++) {
        gt->active[i] = calloc(PAGE_SIZE / sizeof(struct grant_entry_v1),
                               sizeof(struct gnttab_active));
        if (!gt->active[i])
            return -ENOMEM;
        d->frames[d->gnttab_slot + i].type = FRAME_GRANT_TABLE;
        gt->nr_frames = i + 1;
    }
    return 0;
}

/*
 * gnttab_build - the domain builder's part: the table's first frame, and
 * the two entries Xen's toolstack seeds (xc_dom_gnttab_seed): ref 0
 * (GNTTAB_RESERVED_CONSOLE) grants the console ring page and ref 1
 * (GNTTAB_RESERVED_XENSTORE) the store ring page, both to domain 0, where
 * the console backend and vstored live. d->console_mfn and d->store_mfn
 * must be set.
 * Return values: 0; -ENOMEM.
 */
int gnttab_build(struct domain *d)
{
    int rc;

    d->gt->dead = false;
    rc = gnttab_grow(d, VN_GNTTAB_INITIAL_FRAMES);
    if (rc < 0)
        return rc;
    gnttab_seed(d, GNTTAB_RESERVED_CONSOLE, 0, d->console_mfn);
    gnttab_seed(d, GNTTAB_RESERVED_XENSTORE, 0, d->store_mfn);
    return 0;
}

static void gnttab_free_frames(struct gnttab *gt)
{
    for (uint32_t i = 0; i < VN_GNTTAB_MAX_FRAMES; i++) {
        free(gt->active[i]);
        gt->active[i] = NULL;
    }
    gt->nr_frames = 0;
}

/*
 * gnttab_domain_reset - before a restart in place: release what d maps
 * (its process is gone) and empty its table, unless another domain or
 * dom0 still holds one of its grants: then d's memory must not be reused.
 * Return values: 0; -EBUSY.
 */
int gnttab_domain_reset(struct domain *d)
{
    int rc = 0;

    gnttab_domain_dead(d);
    pthread_mutex_lock(&d->mm_lock);
    if (gnttab_in_use(d))
        rc = -EBUSY;
    else
        gnttab_free_frames(d->gt);
    pthread_mutex_unlock(&d->mm_lock);
    return rc;
}

/* gnttab_domain_destroy - free d's table; d is unregistered and its
 * process gone. Grants others still map keep d's RAM file open. */
void gnttab_domain_destroy(struct domain *d)
{
    struct gnttab *gt = d->gt;

    if (!gt)
        return;
    gnttab_domain_dead(d);
    gnttab_free_frames(gt);
    gnttab_ram_put(gt->ram);
    free(gt->maps);
    free(gt);
    d->gt = NULL;
}

/* ---- lock order ---- */

/*
 * gnttab_lock_pair - hold rd's mm_lock as well as own's, which the caller
 * holds. Two domains' mm_locks are always taken in increasing id order,
 * so domains mapping each other's grants cannot deadlock: own's lock may
 * be dropped and taken again on the way, and callers read own's state
 * only after this returns.
 */
void gnttab_lock_pair(struct domain *own, struct domain *rd)
{
    if (rd == own)
        return;
    if (rd->id > own->id) {
        pthread_mutex_lock(&rd->mm_lock);
        return;
    }
    pthread_mutex_unlock(&own->mm_lock);
    pthread_mutex_lock(&rd->mm_lock);
    pthread_mutex_lock(&own->mm_lock);
}

/* gnttab_unlock_other - undo gnttab_lock_pair, keeping own's lock. */
void gnttab_unlock_other(struct domain *own, struct domain *rd)
{
    if (rd != own)
        pthread_mutex_unlock(&rd->mm_lock);
}

/*
 * gnttab_unpin_remote - drop pins inc of grant (dom, ref), if dom is still
 * the domain that granted it: the same RAM file (a domain id can come
 * back after the granter is gone, and then there is nothing to drop).
 * own, if not NULL, is the caller's domain, whose mm_lock it holds.
 */
void gnttab_unpin_remote(struct domain *own, domid_t dom, grant_ref_t ref,
                         uint32_t inc, const struct gnttab_ram *ram)
{
    struct domain *rd = domain_get(dom);

    if (rd && rd->gt && rd->gt->ram == ram && inc) {
        if (own)
            gnttab_lock_pair(own, rd);
        else
            pthread_mutex_lock(&rd->mm_lock);
        gnttab_unpin(rd, ref, inc);
        if (own)
            gnttab_unlock_other(own, rd);
        else
            pthread_mutex_unlock(&rd->mm_lock);
    }
    domain_put(rd);
}

/* ---- the ops that read or grow a table ---- */

/*
 * The domain an op names for its own table (Xen's
 * rcu_lock_domain_by_any_id and an XSM_TARGET check): the caller itself,
 * by DOMID_SELF or its id; another existing domain is refused, since no
 * Veneer domU is privileged.
 */
static int gnttab_self(struct vcpu *v, domid_t dom)
{
    struct domain *other;

    if (dom == DOMID_SELF || dom == v->dom->id)
        return GNTST_okay;
    other = domain_get(dom);
    domain_put(other);
    return other ? GNTST_permission_denied : GNTST_bad_domain;
}

/* Xen's guest_handle_okay: n elements of size from va lie in the guest's
 * range (whether mapped is found out element by element). */
static bool gnttab_array_ok(gva_t va, uint64_t n, uint64_t size)
{
    return va <= VENEER_GUEST_VA_LIMIT &&
           n <= (VENEER_GUEST_VA_LIMIT - va) / size;
}

/* GNTTABOP_setup_table: grow the caller's table, list its frames' MFNs. */
static int64_t gnttab_op_setup(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct domain *d = v->dom;
    struct gnttab_setup_table op;

    if (count != 1)
        return -XEN_EINVAL;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (!gnttab_array_ok(op.frame_list, op.nr_frames, sizeof(xen_pfn_t)))
        return -XEN_EFAULT;
    op.status = gnttab_self(v, op.dom);
    if (op.status == GNTST_okay && (op.nr_frames > VN_GNTTAB_MAX_FRAMES ||
                                    gnttab_grow(d, op.nr_frames) < 0))
        op.status = GNTST_general_error;
    for (uint32_t i = 0; op.status == GNTST_okay && i < op.nr_frames; i++) {
        xen_pfn_t mfn = frames_mfn(d, d->gnttab_slot + i);

        if (gmem_copy_to(v, op.frame_list + i * sizeof(mfn), &mfn, sizeof(mfn)))
            op.status = GNTST_bad_virt_addr;
    }
    if (gmem_copy_to(v, uop + offsetof(struct gnttab_setup_table, status),
                     &op.status, sizeof(op.status)))
        return -XEN_EFAULT;
    return 0;
}

/* GNTTABOP_query_size: frames in use and the limit. */
static int64_t gnttab_op_query(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct gnttab_query_size op;

    if (count != 1)
        return -XEN_EINVAL;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    op.status = gnttab_self(v, op.dom);
    if (op.status == GNTST_okay) {
        op.nr_frames = v->dom->gt->nr_frames;
        op.max_nr_frames = VN_GNTTAB_MAX_FRAMES;
    }
    return gmem_copy_to(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/*
 * GNTTABOP_dump_table: the caller's entries in use, to veneerd's log.
 * Xen removed this op in 3.0.2 (it now answers -ENOSYS); Veneer keeps
 * the original for guest developers: count 1, the caller's own table.
 */
static int64_t gnttab_op_dump(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct domain *d = v->dom;
    struct gnttab_dump_table op;

    if (count != 1)
        return -XEN_EINVAL;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    op.status = gnttab_self(v, op.dom);
    if (op.status == GNTST_okay) {
        log_info("dom%u: grant table: %u frames, %u maptrack entries in use",
                 d->id, d->gt->nr_frames, d->gt->maps_used);
        for (grant_ref_t ref = 0; ref < gnttab_nr_entries(d); ref++) {
            volatile struct grant_entry_v1 *e = gnttab_entry(d, ref);
            const struct gnttab_active *act =
                &d->gt->active[ref / 512][ref % 512];
            uint16_t flags = e->flags;

            if ((flags & GTF_type_mask) == GTF_invalid && !act->pin)
                continue;
            log_info("dom%u:  ref %u: flags %#x domid %u frame %#x pin %#x",
                     d->id, ref, flags, e->domid, e->frame, act->pin);
        }
    }
    return gmem_copy_to(v, uop + offsetof(struct gnttab_dump_table, status),
                        &op.status, sizeof(op.status))
               ? -XEN_EFAULT
               : 0;
}

/* GNTTABOP_set_version: only version 1 (Xen with gnttab max_ver=1:
 * version 2 is -ENOSYS, "as before set_version existed"). */
static int64_t gnttab_op_set_version(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct gnttab_set_version op;
    int64_t rc;

    (void)count;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (op.version == 1)
        rc = 0;
    else if (op.version == 2)
        rc = -XEN_ENOSYS;
    else
        rc = -XEN_EINVAL;
    op.version = 1;
    return gmem_copy_to(v, uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

/* GNTTABOP_get_version: 1 for the caller; another domain -EPERM, none
 * -ESRCH (Xen's answers to an unprivileged caller). */
static int64_t gnttab_op_get_version(struct vcpu *v, gva_t uop, uint32_t count)
{
    struct gnttab_get_version op;
    int st;

    (void)count;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    st = gnttab_self(v, op.dom);
    if (st == GNTST_bad_domain)
        return -XEN_ESRCH;
    if (st != GNTST_okay)
        return -XEN_EPERM;
    op.version = 1;
    return gmem_copy_to(v, uop + offsetof(struct gnttab_get_version, version),
                        &op.version, sizeof(op.version))
               ? -XEN_EFAULT
               : 0;
}

/* GNTTABOP_get_status_frames: a version 1 table has none, so any frame
 * asked for is GNTST_general_error, as on Xen. */
static int64_t gnttab_op_status_frames(struct vcpu *v, gva_t uop,
                                       uint32_t count)
{
    struct gnttab_get_status_frames op;

    if (count != 1)
        return -XEN_EINVAL;
    if (gmem_copy_from(v, &op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (!gnttab_array_ok(op.frame_list, op.nr_frames, sizeof(uint64_t)))
        return -XEN_EFAULT;
    op.status = gnttab_self(v, op.dom);
    if (op.status == GNTST_okay && op.nr_frames > 0)
        op.status = GNTST_general_error;
    return gmem_copy_to(v,
                        uop + offsetof(struct gnttab_get_status_frames, status),
                        &op.status, sizeof(op.status))
               ? -XEN_EFAULT
               : 0;
}

/* One swap: both refs in range, neither in use (GNTST_eagain). */
static int16_t gnttab_swap_one(struct domain *d, grant_ref_t a, grant_ref_t b)
{
    volatile struct grant_entry_v1 *ea, *eb;
    struct grant_entry_v1 t;

    if (a >= gnttab_nr_entries(d) || b >= gnttab_nr_entries(d))
        return GNTST_bad_gntref;
    if (a == b)
        return GNTST_okay;
    if (d->gt->active[a / 512][a % 512].pin ||
        d->gt->active[b / 512][b % 512].pin)
        return GNTST_eagain;
    ea = gnttab_entry(d, a);
    eb = gnttab_entry(d, b);
    t = (struct grant_entry_v1){ea->flags, ea->domid, ea->frame};
    ea->flags = eb->flags;
    ea->domid = eb->domid;
    ea->frame = eb->frame;
    eb->flags = t.flags;
    eb->domid = t.domid;
    eb->frame = t.frame;
    return GNTST_okay;
}

/* GNTTABOP_swap_grant_ref: swap pairs of the caller's entries. */
static int64_t gnttab_op_swap(struct vcpu *v, gva_t uop, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        gva_t at = uop + (uint64_t)i * sizeof(struct gnttab_swap_grant_ref);
        struct gnttab_swap_grant_ref op;

        if (gmem_copy_from(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = gnttab_swap_one(v->dom, op.ref_a, op.ref_b);
        if (gmem_copy_to(v, at + offsetof(struct gnttab_swap_grant_ref, status),
                         &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* ---- the dispatcher ---- */

typedef int64_t (*gnttab_op_fn)(struct vcpu *v, gva_t uop, uint32_t count);

/*
 * The ops, indexed by command, with the size of one element for the ops
 * that take arrays (checked whole first, as Xen's guest_handle_okay).
 * Unlisted commands (transfer, unmap_and_replace, cache_flush) are
 * -ENOSYS.
 */
static const struct {
    gnttab_op_fn fn;
    uint32_t elem; /* bytes per element of an array op, 0 otherwise */
} gnttab_ops[] = {
    [GNTTABOP_map_grant_ref] = {gnttab_op_map,
                                sizeof(struct gnttab_map_grant_ref)},
    [GNTTABOP_unmap_grant_ref] = {gnttab_op_unmap,
                                  sizeof(struct gnttab_unmap_grant_ref)},
    [GNTTABOP_setup_table] = {gnttab_op_setup, 0},
    [GNTTABOP_dump_table] = {gnttab_op_dump, 0},
    [GNTTABOP_copy] = {gnttab_op_copy, sizeof(struct gnttab_copy)},
    [GNTTABOP_query_size] = {gnttab_op_query, 0},
    [GNTTABOP_set_version] = {gnttab_op_set_version, 0},
    [GNTTABOP_get_status_frames] = {gnttab_op_status_frames, 0},
    [GNTTABOP_get_version] = {gnttab_op_get_version, 0},
    [GNTTABOP_swap_grant_ref] = {gnttab_op_swap,
                                 sizeof(struct gnttab_swap_grant_ref)},
};

/*
 * grant_table_op(cmd, uops, count): results go in each element's status;
 * the call returns 0, or -EINVAL (a count that is negative as an int,
 * argument bits in cmd), -EFAULT (the array is outside the guest, or an
 * element cannot be read or written back), -ENOSYS (unknown or
 * unsupported command).
 */
int64_t hc_grant_table_op(struct vcpu *v, const uint64_t a[5])
{
    uint32_t cmd = (uint32_t)a[0], count = (uint32_t)a[2];
    gva_t uop = a[1];

    if ((int32_t)count < 0)
        return -XEN_EINVAL;
    if ((cmd & ~GNTTABOP_CMD_MASK) &&
        (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
        return -XEN_EINVAL;
    cmd &= GNTTABOP_CMD_MASK;
    if (cmd >= sizeof(gnttab_ops) / sizeof(gnttab_ops[0]) ||
        !gnttab_ops[cmd].fn)
        return -XEN_ENOSYS;
    if (gnttab_ops[cmd].elem &&
        !gnttab_array_ok(uop, count, gnttab_ops[cmd].elem))
        return -XEN_EFAULT;
    return gnttab_ops[cmd].fn(v, uop, count);
}
