/* SPDX-License-Identifier: MIT */
/*
 * map_grant_ref and unmap_grant_ref for PV mappers, and the maptrack that
 * records what a domain mapped.
 *
 * Page tables. As on Xen, a host mapping (GNTMAP_host_map) is an L1 entry
 * of the mapper: at host_addr in its current tables, or, with
 * GNTMAP_contains_pte, the entry whose machine address host_addr is. The
 * entry names the granter's frame, usually a *foreign* MFN, which no guest
 * update may ever write (mm_pv.c refuses foreign frames), and carries
 * PTE_GNTTAB (Xen's _PAGE_GNTTAB), which no guest entry may carry:
 * veneerd writes it here, and only with a maptrack entry for that frame.
 * So the validated-tables invariant holds with one extension: an L1 entry
 * marked PTE_GNTTAB is valid exactly when the mapper's maptrack holds a
 * live host mapping of its frame, and mm_realise.c realises it as a
 * STUB_OP_MAP_GRANT of that granter's page (gnttab_map_source), whether
 * the frame is foreign or the mapper's own (a self-grant). mm_pv.c takes
 * no reference for such an entry and drops none when it goes: the
 * maptrack's pins hold them. A guest that overwrites the entry itself, or
 * drops the L1 table holding it, loses the host mapping with the entry
 * (realisation follows the tables) but keeps the maptrack entry and its
 * pins; unmap_grant_ref of it then fails (the entry no longer matches),
 * as on Xen, and the pins go when the domain dies. A foreign entry is
 * never read through gmem.c: a hypercall argument in a page granted by
 * another domain is -EFAULT.
 *
 * Unmapping. unmap_grant_ref clears the entry and queues the host unmap,
 * but the pins (GTF_reading/GTF_writing in the granter's entry) must not
 * go before the mapping has: the stub is asked to acknowledge the ops
 * (vcpu.ops_ack), and only its STUB_REQ_MORE_OPS, posted after it ran
 * every op, drops them (gnttab_ops_acked); the guest sees the hypercall
 * return only then, as on Xen, which drops the pins after its TLB flush.
 * The acknowledgement itself proves nothing (the guest can write the
 * mailbox and post it without running the ops), so before the pins drop
 * veneerd asks the kernel whether the pages are still mapped (procmaps.c)
 * and crashes a domain that kept one. If the process dies
 * first, its death removed every mapping (the kernel tears the address
 * space down before the parent can reap it), and gnttab_domain_dead
 * drops the pins then.
 *
 * Locking: the mapper's mm_lock guards its maptrack; the granter's, its
 * entries' pins; gnttab_lock_pair takes both in domain-id order.
 */
#include <stdlib.h>
#include <string.h>

#include <xen/arch-x86/page.h>
#include <xen/errno.h>

#include "veneerd.h"

#define GNTTAB_NO_MAP UINT32_MAX

/* GNTMAP flags a maptrack entry keeps. */
#define GNTTAB_MAP_KEEP                                                        \
    (GNTMAP_device_map | GNTMAP_host_map | GNTMAP_readonly |                   \
     GNTMAP_contains_pte)

/* ---- the maptrack ---- */

/* A free entry, growing the table (doubling, up to the limit). */
static int gnttab_maps_alloc(struct gnttab *gt, uint32_t *h)
{
    if (gt->maps_free == GNTTAB_NO_MAP) {
        uint32_t cap = gt->maps_cap ? gt->maps_cap * 2 : 64;
        struct gnttab_map *maps;

        if (gt->maps_cap >= VN_GNTTAB_MAX_MAPTRACK)
            return -1;
        if (cap > VN_GNTTAB_MAX_MAPTRACK)
            cap = VN_GNTTAB_MAX_MAPTRACK;
        maps = realloc(gt->maps, cap * sizeof(*maps));
        if (!maps)
            return -1;
        memset(maps + gt->maps_cap, 0, (cap - gt->maps_cap) * sizeof(*maps));
        for (uint32_t i = cap; i-- > gt->maps_cap;) {
            maps[i].next = gt->maps_free;
            gt->maps_free = i;
        }
        gt->maps = maps;
        gt->maps_cap = cap;
    }
    *h = gt->maps_free;
    gt->maps_free = gt->maps[*h].next;
    gt->maps_used++;
    return 0;
}

static void gnttab_maps_free(struct gnttab *gt, uint32_t h)
{
    gt->maps[h] = (struct gnttab_map){.next = gt->maps_free};
    gt->maps_free = h;
    gt->maps_used--;
}

/* The pins a mapping with these GNTMAP flags holds. */
static uint32_t gnttab_pins_of(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t inc = 0;

    if (flags & GNTMAP_device_map)
        inc += ro ? GNTPIN_DEVR : GNTPIN_DEVW;
    if (flags & GNTMAP_host_map)
        inc += ro ? GNTPIN_HSTR : GNTPIN_HSTW;
    return inc;
}

/* ---- the mapper's L1 entry ---- */

/*
 * Where a host mapping's L1 entry is: with GNTMAP_contains_pte, the
 * 8-byte-aligned machine address addr in a validated L1 of d; otherwise
 * the entry mapping va addr in v's current tables (Xen's map_guest_l1e),
 * whose levels above must all be present.
 */
static int gnttab_pte_locate(struct vcpu *v, uint64_t addr, uint32_t flags,
                             uint64_t *slot, unsigned int *idx)
{
    struct domain *d = v->dom;
    uint64_t s;

    if (flags & GNTMAP_contains_pte) {
        if ((addr & 7) || !frames_slot(d, addr >> PAGE_SHIFT, &s))
            return -1;
        *idx = (unsigned int)((addr & (PAGE_SIZE - 1)) >> 3);
    } else {
        if (addr >= VENEER_GUEST_VA_LIMIT || !frames_slot(d, v->cr3, &s))
            return -1;
        for (unsigned int level = 4; level > 1; level--) {
            uint64_t pte =
                mm_entry(d, s, (addr >> (12 + 9 * (level - 1))) & 511);

            if (!(pte & _PAGE_PRESENT) ||
                !frames_slot(d, (pte & PTE_ADDR_MASK) >> PAGE_SHIFT, &s))
                return -1;
        }
        *idx = (unsigned int)((addr >> PAGE_SHIFT) & 511);
    }
    if (mm_level_of(&d->frames[s]) != 1)
        return -1;
    *slot = s;
    return 0;
}

/* Xen's grant PTE for a 64-bit PV guest: present, accessed, dirty, user
 * (the PV kernel runs at CPL 3), never executable, marked as a grant
 * mapping (_PAGE_GNTTAB, as Xen's debug builds do: a guest cannot write
 * such an entry, and mm_pv.c takes and drops nothing for one); writable
 * unless read-only; GNTMAP's guest_avail bits in the available bits. */
static uint64_t gnttab_pte(mfn_t mfn, uint32_t flags)
{
    uint64_t pte = (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED |
                   _PAGE_DIRTY | _PAGE_USER | _PAGE_NX | PTE_GNTTAB;

    if (!(flags & GNTMAP_readonly))
        pte |= _PAGE_RW;
    pte |= (uint64_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9;
    return pte;
}

/* Write entry idx of L1 `slot` and queue its realisation. */
static void gnttab_pte_write(struct vcpu *v, uint64_t slot, unsigned int idx,
                             uint64_t val)
{
    uint64_t old = mm_entry(v->dom, slot, idx);

    mm_entry_set(v->dom, slot, idx, val);
    mm_tree_entry_changed(v, slot, idx, old, val);
    /* A guest entry it replaced loses its references; a foreign one has
     * none (its maptrack entry is left as the guest left it). */
    mm_put_entry(v->dom, 1, old);
}

/*
 * gnttab_map_source - the granter page behind a foreign L1 entry of d:
 * the RAM file of a live host mapping of that frame and the page's
 * offset in it (mm_realise.c; d's mm_lock held).
 * Return values: true, or false if no mapping of d names that frame.
 */
bool gnttab_map_source(struct domain *d, uint64_t pte, struct gnttab_ram **ram,
                       uint64_t *offset)
{
    mfn_t mfn = (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
    struct gnttab *gt = d->gt;

    for (uint32_t h = 0; gt && h < gt->maps_cap; h++) {
        const struct gnttab_map *m = &gt->maps[h];

        if (m->state == GNTTAB_MAP_LIVE && (m->flags & GNTMAP_host_map) &&
            m->mfn == mfn) {
            *ram = m->ram;
            *offset = m->offset;
            return true;
        }
    }
    return false;
}

/* ---- map_grant_ref ---- */

/* One map, both domains' locks held. */
static int16_t gnttab_map_locked(struct vcpu *v, struct domain *rd,
                                 struct gnttab_map_grant_ref *op, uint32_t inc)
{
    struct gnttab *gt = v->dom->gt;
    struct gnttab_map *m;
    uint64_t slot, l1;
    unsigned int idx;
    uint32_t h;
    int16_t st;

    if (gt->dead)
        return GNTST_general_error;
    if (gnttab_maps_alloc(gt, &h) < 0)
        return GNTST_no_space;
    st = (int16_t)gnttab_pin(rd, op->ref, v->dom->id, inc, true, &slot);
    if (st != GNTST_okay) {
        gnttab_maps_free(gt, h);
        return st;
    }
    m = &gt->maps[h];
    *m = (struct gnttab_map){
        .state = GNTTAB_MAP_LIVE,
        .flags = op->flags & GNTTAB_MAP_KEEP,
        .ref = op->ref,
        .dom = rd->id,
        .mfn = frames_mfn(rd, slot),
        .offset = slot * PAGE_SIZE,
        .host_addr = op->host_addr,
        .ram = gnttab_ram_get(rd->gt->ram),
        .next = GNTTAB_NO_MAP,
    };
    if (op->flags & GNTMAP_host_map) {
        if (gnttab_pte_locate(v, op->host_addr, op->flags, &l1, &idx) < 0) {
            gnttab_ram_put(m->ram);
            gnttab_maps_free(gt, h);
            gnttab_unpin(rd, op->ref, inc);
            return GNTST_general_error;
        }
        /* The maptrack entry is live first: realising the entry looks
         * the frame up there. */
        gnttab_pte_write(v, l1, idx, gnttab_pte(m->mfn, op->flags));
    }
    op->handle = h;
    op->dev_bus_addr = frames_mfn(rd, slot) << PAGE_SHIFT;
    return GNTST_okay;
}

/*
 * One GNTTABOP_map_grant_ref element, in Xen's order of checks: no
 * host_map or device_map flag is GNTST_bad_gntref; an unknown domain
 * (DOMID_SELF included) GNTST_bad_domain; a full maptrack GNTST_no_space;
 * then gnttab_pin's answers; no L1 entry at host_addr
 * GNTST_general_error.
 */
static int16_t gnttab_map_one(struct vcpu *v, struct gnttab_map_grant_ref *op)
{
    struct domain *d = v->dom, *rd;
    uint32_t inc = gnttab_pins_of(op->flags);
    int16_t st;

    if (!inc)
        return GNTST_bad_gntref;
    rd = domain_get(op->dom);
    if (!rd)
        return GNTST_bad_domain;
    gnttab_lock_pair(d, rd);
    st = gnttab_map_locked(v, rd, op, inc);
    gnttab_unlock_other(d, rd);
    domain_put(rd);
    return st;
}

/*
 * gnttab_op_map - GNTTABOP_map_grant_ref over count elements at uop.
 * Return values: 0 (each element's status says how it went); -EFAULT if
 * an element cannot be read or written back (the ones before it are done).
 */
int64_t gnttab_op_map(struct vcpu *v, gva_t uop, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        gva_t at = uop + (uint64_t)i * sizeof(struct gnttab_map_grant_ref);
        struct gnttab_map_grant_ref op;

        if (gmem_copy_from(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = gnttab_map_one(v, &op);
        if (gmem_copy_to(v, at, &op, sizeof(op)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* ---- unmap_grant_ref ---- */

/* Put mapping h on the list the stub's acknowledgement completes. */
static void gnttab_ack_later(struct vcpu *v, uint32_t h, uint32_t pins)
{
    struct gnttab *gt = v->dom->gt;
    struct gnttab_map *m = &gt->maps[h];

    m->pend += pins;
    if (!m->listed) {
        m->listed = true;
        m->next = gt->acks;
        gt->acks = h;
    }
    v->ops_ack = true;
}

/* Clear the host mapping's L1 entry, if it still maps the granted frame
 * as mapped (Xen's replace_grant_pv_mapping check). */
static int16_t gnttab_unmap_host(struct vcpu *v, const struct gnttab_map *m,
                                 uint64_t host_addr)
{
    uint64_t want = gnttab_pte(m->mfn, m->flags), slot, pte;
    unsigned int idx;

    if (gnttab_pte_locate(v, host_addr, m->flags, &slot, &idx) < 0)
        return GNTST_general_error;
    pte = mm_entry(v->dom, slot, idx);
    if (((pte & PTE_ADDR_MASK) >> PAGE_SHIFT) != m->mfn ||
        ((pte ^ want) & (_PAGE_PRESENT | _PAGE_RW | PTE_GNTTAB)))
        return GNTST_general_error;
    gnttab_pte_write(v, slot, idx, 0);
    return GNTST_okay;
}

/*
 * One GNTTABOP_unmap_grant_ref element: an unknown or free handle is
 * GNTST_bad_handle; a dev_bus_addr that is not the mapping's
 * GNTST_bad_dev_addr; a host_addr whose entry no longer maps the frame
 * GNTST_general_error. A zero host_addr or dev_bus_addr leaves that part
 * mapped (Xen). The pins go at the stub's acknowledgement.
 */
static int16_t gnttab_unmap_one(struct vcpu *v,
                                const struct gnttab_unmap_grant_ref *op)
{
    struct gnttab *gt = v->dom->gt;
    struct gnttab_map *m;
    uint32_t pins = 0;
    int16_t st;

    if (op->handle >= gt->maps_cap ||
        gt->maps[op->handle].state != GNTTAB_MAP_LIVE ||
        !(gt->maps[op->handle].flags & (GNTMAP_host_map | GNTMAP_device_map)))
        return GNTST_bad_handle;
    m = &gt->maps[op->handle];
    if (op->dev_bus_addr && (m->flags & GNTMAP_device_map) &&
        op->dev_bus_addr != m->mfn << PAGE_SHIFT)
        return GNTST_bad_dev_addr;
    if (op->host_addr && (m->flags & GNTMAP_host_map)) {
        st = gnttab_unmap_host(v, m, op->host_addr);
        if (st != GNTST_okay)
            return st;
        pins |= gnttab_pins_of(m->flags & (GNTMAP_host_map | GNTMAP_readonly));
        m->flags &= ~(uint32_t)GNTMAP_host_map;
    }
    if (op->dev_bus_addr && (m->flags & GNTMAP_device_map)) {
        pins |=
            gnttab_pins_of(m->flags & (GNTMAP_device_map | GNTMAP_readonly));
        m->flags &= ~(uint32_t)GNTMAP_device_map;
    }
    if (pins)
        gnttab_ack_later(v, op->handle, pins);
    return GNTST_okay;
}

/*
 * gnttab_op_unmap - GNTTABOP_unmap_grant_ref over count elements at uop.
 * Return values: 0; -EFAULT as gnttab_op_map.
 */
int64_t gnttab_op_unmap(struct vcpu *v, gva_t uop, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        gva_t at = uop + (uint64_t)i * sizeof(struct gnttab_unmap_grant_ref);
        struct gnttab_unmap_grant_ref op;

        if (gmem_copy_from(v, &op, at, sizeof(op)))
            return -XEN_EFAULT;
        op.status = gnttab_unmap_one(v, &op);
        if (gmem_copy_to(v,
                         at + offsetof(struct gnttab_unmap_grant_ref, status),
                         &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}

/*
 * gnttab_ops_acked - the stub ran every op sent so far (STUB_REQ_MORE_OPS
 * after an unmap asked for it): the unmapped pages are gone from the
 * domain process, so their pins go now, and fully unmapped entries are
 * freed. v's domain's mm_lock held.
 */
/* Another live host mapping of the same granted page in d's maptrack
 * (besides entry `self`)? Then that page may stay mapped. */
static bool gnttab_page_mapped_elsewhere(const struct gnttab *gt, uint32_t self,
                                         const struct gnttab_map *m)
{
    for (uint32_t h = 0; h < gt->maps_cap; h++) {
        const struct gnttab_map *o = &gt->maps[h];

        if (h != self && o->state == GNTTAB_MAP_LIVE &&
            (o->flags & GNTMAP_host_map) && o->ram == m->ram &&
            o->offset == m->offset)
            return true;
    }
    return false;
}

/*
 * The acknowledgement came through the mailbox, which the guest can write:
 * ask the kernel whether the pages really left the process before any pin
 * drops. A page still mapped (and not by another live mapping) means the
 * guest skipped its unmap: it keeps every pin until its process is gone
 * (gnttab_domain_dead), and the domain is crashed.
 */
static bool gnttab_unmaps_verified(struct domain *d, struct gnttab *gt)
{
    for (uint32_t h = gt->acks; h != GNTTAB_NO_MAP; h = gt->maps[h].next) {
        const struct gnttab_map *m = &gt->maps[h];
        int rc;

        /* A self-grant's page is the domain's own RAM, mapped anyway. */
        if (m->dom == d->id || gnttab_page_mapped_elsewhere(gt, h, m))
            continue;
        rc = procmaps_maps_page(d, m->ram->rw_fd, m->offset);
        if (rc != 0) {
            log_warnx("dom%u: grant page of dom%u still mapped after its "
                      "unmap (%d)",
                      d->id, m->dom, rc);
            return false;
        }
    }
    return true;
}

void gnttab_ops_acked(struct vcpu *v)
{
    struct domain *d = v->dom;
    struct gnttab *gt = d->gt;

    v->ops_ack = false;
    if (!gnttab_unmaps_verified(d, gt)) {
        gt->acks = GNTTAB_NO_MAP; /* the pins wait for the process's end */
        domain_crash(d, "kept a grant mapping it had unmapped");
        return;
    }
    while (gt->acks != GNTTAB_NO_MAP) {
        uint32_t h = gt->acks;
        struct gnttab_map *m = &gt->maps[h];
        uint32_t pins = m->pend;
        grant_ref_t ref = m->ref;
        domid_t dom = m->dom;
        struct gnttab_ram *ram = gnttab_ram_get(m->ram);

        /* Take the work out of the entry before the locks may drop. */
        gt->acks = m->next;
        m->next = GNTTAB_NO_MAP;
        m->listed = false;
        m->pend = 0;
        if (!(m->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
            gnttab_ram_put(m->ram);
            gnttab_maps_free(gt, h);
        }
        gnttab_unpin_remote(d, dom, ref, pins, ram);
        gnttab_ram_put(ram);
    }
}

/* ---- the mapper's death ---- */

struct gnttab_release {
    domid_t dom;
    grant_ref_t ref;
    uint32_t pins;
    struct gnttab_ram *ram;
};

/*
 * gnttab_domain_dead - d's process is gone, and with it every host
 * mapping it had: drop every pin its maptrack holds, so that the granters
 * get their pages back (invariant 4), and take no new mappings until the
 * domain is built again. Idempotent; takes no lock of the caller's.
 */
void gnttab_domain_dead(struct domain *d)
{
    struct gnttab *gt = d->gt;
    struct gnttab_release *rel = NULL;
    uint32_t n = 0;

    if (!gt)
        return;
    pthread_mutex_lock(&d->mm_lock);
    gt->dead = true;
    for (unsigned int i = 0; i < STUB_MAX_VCPUS; i++)
        d->vcpus[i].ops_ack = false; /* nothing left to acknowledge */
    if (gt->maps_used)
        rel = calloc(gt->maps_used, sizeof(*rel));
    for (uint32_t h = 0; rel && h < gt->maps_cap; h++) {
        struct gnttab_map *m = &gt->maps[h];

        if (m->state != GNTTAB_MAP_LIVE)
            continue;
        rel[n++] = (struct gnttab_release){
            m->dom, m->ref, m->pend + gnttab_pins_of(m->flags), m->ram};
        gnttab_maps_free(gt, h);
    }
    gt->acks = GNTTAB_NO_MAP;
    if (gt->maps_used)
        log_warnx("%s: dom%u: out of memory: %u grant mappings stay pinned",
                  __func__, d->id, gt->maps_used);
    pthread_mutex_unlock(&d->mm_lock);
    for (uint32_t i = 0; i < n; i++) {
        gnttab_unpin_remote(NULL, rel[i].dom, rel[i].ref, rel[i].pins,
                            rel[i].ram);
        gnttab_ram_put(rel[i].ram);
    }
    free(rel);
}
