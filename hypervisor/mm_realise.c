/* SPDX-License-Identifier: MIT */
/*
 * Keeping the domain process's host mappings equal to the validated
 * meaning of the guest's current page tables.
 *
 * Each page-table frame in the current tree records where it sits (the
 * first virtual address its entries cover, and the rights of the path down
 * to it). A changed entry then names the virtual range it governs: an L1
 * entry one page, an upper entry a whole span. The change becomes ops for
 * the stub (map, unmap), coalesced with the previous op where they touch.
 * A table linked twice (an alias) loses the incremental view: the whole
 * address space is realised again from the tree.
 *
 * An L1 entry marked PTE_GNTTAB is a grant mapping (gnttab_map.c), of
 * another domain's frame or the domain's own: it becomes a
 * STUB_OP_MAP_GRANT of the granter's page, whose RAM file the queued op
 * holds a reference to until it is sent.
 *
 * Called with the domain's lock held.
 */
#include <errno.h>
#include <stdlib.h>

#include <xen/arch-x86/page.h>

#include "veneerd.h"

static const unsigned int mm_shift[5] = {0, 12, 21, 30, 39};

/* mm_ops_reset - forget the queued ops (dropping the references grant
 * ops still hold). */
void mm_ops_reset(struct vcpu *v)
{
    for (size_t i = 0; v->op_ram && i < v->nr_ops; i++) {
        gnttab_ram_put(v->op_ram[i]);
        v->op_ram[i] = NULL;
    }
    v->nr_ops = 0;
    v->ops_sent = 0;
}

/* Room for one more op (and its op_ram slot). */
static int mm_ops_room(struct vcpu *v)
{
    size_t cap = v->ops_cap ? v->ops_cap * 2 : 64;
    struct stub_op *ops;
    struct gnttab_ram **ram;

    if (v->nr_ops < v->ops_cap)
        return 0;
    if (cap > VN_MAX_PENDING_OPS)
        return -ENOMEM;
    ops = realloc(v->ops, cap * sizeof(*ops));
    if (!ops)
        return -ENOMEM;
    v->ops = ops;
    ram = realloc(v->op_ram, cap * sizeof(*ram));
    if (!ram)
        return -ENOMEM;
    for (size_t i = v->ops_cap; i < cap; i++)
        ram[i] = NULL;
    v->op_ram = ram;
    v->ops_cap = cap;
    return 0;
}

/*
 * mm_ops_add - queue a host mapping op, merging it into the previous one
 * when it continues it. Return values: 0; -ENOMEM past VN_MAX_PENDING_OPS
 * (the caller then realises everything instead).
 */
int mm_ops_add(struct vcpu *v, uint32_t kind, gva_t va, uint64_t len,
               uint64_t offset, uint32_t prot)
{
    struct stub_op *last = v->nr_ops ? &v->ops[v->nr_ops - 1] : NULL;

    if (last && last->kind == kind && last->va + last->len == va &&
        (kind == STUB_OP_UNMAP ||
         (last->prot == prot && last->offset + last->len == offset))) {
        last->len += len;
        return 0;
    }
    if (mm_ops_room(v) < 0)
        return -ENOMEM;
    v->ops[v->nr_ops++] = (struct stub_op){.va = va,
                                           .len = len,
                                           .offset = offset,
                                           .prot = prot,
                                           .kind = (uint16_t)kind};
    return 0;
}

/*
 * mm_ops_add_grant - queue the mapping of one granted page: offset in the
 * granter's RAM file `ram`, at va with prot. It continues the previous op
 * if that maps the next-lower page of the same file with the same rights.
 * Return values: 0; -ENOMEM as mm_ops_add.
 */
int mm_ops_add_grant(struct vcpu *v, gva_t va, uint64_t offset, uint32_t prot,
                     struct gnttab_ram *ram)
{
    struct stub_op *last = v->nr_ops ? &v->ops[v->nr_ops - 1] : NULL;

    if (last && last->kind == STUB_OP_MAP_GRANT &&
        v->op_ram[v->nr_ops - 1] == ram && last->va + last->len == va &&
        last->offset + last->len == offset && last->prot == prot) {
        last->len += PAGE_SIZE;
        return 0;
    }
    if (mm_ops_room(v) < 0)
        return -ENOMEM;
    v->op_ram[v->nr_ops] = gnttab_ram_get(ram);
    v->ops[v->nr_ops++] = (struct stub_op){.va = va,
                                           .len = PAGE_SIZE,
                                           .offset = offset,
                                           .prot = prot,
                                           .kind = STUB_OP_MAP_GRANT};
    return 0;
}

static void mm_queue(struct vcpu *v, uint32_t kind, gva_t va, uint64_t len,
                     uint64_t offset, uint32_t prot)
{
    if (v->dom->realise_full && !v->dom->realise_walking)
        return;
    if (va >= VENEER_GUEST_VA_LIMIT)
        return;
    if (len > VENEER_GUEST_VA_LIMIT - va)
        len = VENEER_GUEST_VA_LIMIT - va;
    if (mm_ops_add(v, kind, va, len, offset, prot) < 0) {
        v->dom->realise_full = true;
        v->dom->realise_overflow = v->dom->realise_walking;
    }
}

/* Queue the host mapping of a foreign L1 entry: the granted page of the
 * mapping that wrote it (nothing if there is none: never mapped). */
static void mm_queue_grant(struct vcpu *v, gva_t va, uint64_t pte,
                           uint32_t prot)
{
    struct gnttab_ram *ram;
    uint64_t offset;

    if (v->dom->realise_full && !v->dom->realise_walking)
        return;
    if (va >= VENEER_GUEST_VA_LIMIT ||
        !gnttab_map_source(v->dom, pte, &ram, &offset))
        return;
    if (mm_ops_add_grant(v, va, offset, prot, ram) < 0) {
        v->dom->realise_full = true;
        v->dom->realise_overflow = v->dom->realise_walking;
    }
}

/*
 * Link (add = true) or unlink the subtree under table `slot` of `level`
 * at `base` with path rights `prot`; when linking with `emit`, queue a map
 * op for every present L1 entry.
 */
static void mm_tree_walk(struct vcpu *v, uint64_t slot, unsigned int level,
                         gva_t base, uint32_t prot, bool add, bool emit)
{
    struct domain *d = v->dom;
    struct frame *f = &d->frames[slot];
    const uint64_t *t = f->shadow;

    if (!t)
        return; /* not a validated table: nothing of it is realised */
    /* Aliased tables make the tree's meaning grow exponentially with its
     * size: a walk may visit VN_MAX_WALK_ENTRIES entries, no more. */
    if (d->walk_budget < PT_ENTRIES) {
        d->realise_full = true;
        d->realise_overflow = true;
        return;
    }
    d->walk_budget -= PT_ENTRIES;
    if (add) {
        if (++f->tree_links > 1)
            d->realise_full = true;
        f->va_base = base;
        f->tree_prot = prot;
    } else if (f->tree_links) {
        /* An aliased table losing one link keeps whichever place it was
         * given last, which may be the one going away: recompute. */
        if (f->tree_links > 1)
            d->realise_full = true;
        f->tree_links--;
    }
    for (unsigned int i = 0; i < (level == 4 ? 256u : PT_ENTRIES); i++) {
        gva_t va = base + ((gva_t)i << mm_shift[level]);
        uint64_t pte = t[i], child;

        if (!(pte & _PAGE_PRESENT) || va >= VENEER_GUEST_VA_LIMIT)
            continue;
        if (level == 1 && (pte & PTE_GNTTAB)) {
            if (add && emit) /* a grant mapping, maybe of a foreign page */
                mm_queue_grant(v, va, pte, prot & pt_rights(pte));
            continue;
        }
        if (!frames_slot(d, (pte & PTE_ADDR_MASK) >> PAGE_SHIFT, &child))
            continue; /* validated tables name only d's frames */
        if (level > 1)
            mm_tree_walk(v, child, level - 1, va, prot & pt_rights(pte), add,
                         emit);
        else if (add && emit)
            mm_queue(v, STUB_OP_MAP, va, PAGE_SIZE, child * PAGE_SIZE,
                     prot & pt_rights(pte));
    }
}

/*
 * mm_tree_entry_changed - entry idx of table `slot` went from old to val
 * (both validated). If the table sits once in the current tree, queue the
 * host changes for the range the entry governs.
 */
void mm_tree_entry_changed(struct vcpu *v, uint64_t slot, unsigned int idx,
                           uint64_t old, uint64_t val)
{
    struct domain *d = v->dom;
    struct frame *f = &d->frames[slot];
    unsigned int level = mm_level_of(f);
    gva_t va = f->va_base + ((gva_t)idx << mm_shift[level]);
    uint64_t span = 1ull << mm_shift[level], child;
    uint32_t prot = f->tree_prot & pt_rights(val);

    if (f->tree_links == 0)
        return; /* not part of what the vCPU sees */
    d->walk_budget = VN_MAX_WALK_ENTRIES;
    if (f->tree_links > 1 || d->realise_full) {
        d->realise_full = true;
        return;
    }
    if (level > 1 && (old & _PAGE_PRESENT) &&
        frames_slot(d, (old & PTE_ADDR_MASK) >> PAGE_SHIFT, &child))
        mm_tree_walk(v, child, level - 1, va, 0, false, false);
    if (old & _PAGE_PRESENT)
        mm_queue(v, STUB_OP_UNMAP, va, span, 0, 0);
    if (!(val & _PAGE_PRESENT))
        return;
    if (level == 1 && (val & PTE_GNTTAB)) {
        mm_queue_grant(v, va, val, prot); /* a grant mapping */
        return;
    }
    if (!frames_slot(d, (val & PTE_ADDR_MASK) >> PAGE_SHIFT, &child))
        return;
    if (level > 1)
        mm_tree_walk(v, child, level - 1, va, prot, true, true);
    else
        mm_queue(v, STUB_OP_MAP, va, PAGE_SIZE, child * PAGE_SIZE, prot);
}

/*
 * mm_realise_all - forget the incremental view: recompute every table's
 * place from the current base pointer and queue ops that unmap the whole
 * guest range and map the tree's meaning again.
 */
void mm_realise_all(struct vcpu *v)
{
    struct domain *d = v->dom;
    const uint64_t *tables;
    uint64_t n = mm_tables(d, &tables);
    uint64_t root;

    /* Only tables are ever linked: reset theirs, and touch nothing else of
     * the frame table (its untouched pages cost nothing). */
    for (uint64_t i = 0; i < n; i++)
        d->frames[tables[i]].tree_links = 0;
    mm_ops_reset(v);
    d->realise_full = false;
    d->realise_overflow = false;
    d->realise_walking = true;
    d->walk_budget = VN_MAX_WALK_ENTRIES;
    mm_queue(v, STUB_OP_UNMAP, 0, VENEER_GUEST_VA_LIMIT, 0, 0);
    if (frames_slot(d, v->cr3, &root))
        mm_tree_walk(v, root, 4, 0,
                     STUB_PROT_READ | STUB_PROT_WRITE | STUB_PROT_EXEC, true,
                     true);
    d->realise_walking = false;
    /* An alias found now is harmless: the ops came from one full walk;
     * but aliased tables keep tree_links > 1, so later changes to them
     * come back here. */
    d->realise_full = false;
}
