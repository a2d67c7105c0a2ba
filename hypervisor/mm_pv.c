/* SPDX-License-Identifier: MIT */
/*
 * Xen's PV page-table rules (XEN-ABI-FACTS §8.4): every frame has one type
 * at a time and a count of references holding it; a frame becomes a page
 * table of level N only after every entry in it validates (recursively,
 * taking a type reference on each child); a frame mapped writable anywhere
 * has the writable type and so can never be a page table; pinning holds a
 * type reference. Entries name only frames the domain owns (grant
 * mappings, the one exception, are written by gnttab_map.c, never here).
 *
 * Called with the domain's lock held (hypercalls of one domain are
 * serialised on it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-x86/page.h>

#include "veneerd.h"

/* Flags an entry may carry, by level (1 = L1). Cache-control bits, PAT and
 * superpages are refused; Xen grants cache control only to privileged
 * domains and refuses PSE for PV. PTE_GNTTAB marks veneerd's own grant
 * mappings, as Xen's debug builds do, so a guest may not set it. */
#define L1_ALLOWED                                                             \
    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY |    \
     _PAGE_GLOBAL | _PAGE_AVAIL | _PAGE_NX | PTE_ADDR_MASK |                   \
     (0x7ff0000000000000ull & ~PTE_GNTTAB))
#define UPPER_ALLOWED                                                          \
    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY |    \
     _PAGE_AVAIL | _PAGE_NX | PTE_ADDR_MASK | 0x7ff0000000000000ull)

/* L4 slots from here up are never the guest's: 254-255 cover the domain
 * stub's region (VENEER_GUEST_VA_LIMIT and up), 256-511 the host kernel's
 * half. */
#define L4_FIRST_HOST_SLOT (VENEER_GUEST_VA_LIMIT >> 39)

unsigned int mm_level_of(const struct frame *f)
{
    switch (f->type) {
    case FRAME_L1:
        return 1;
    case FRAME_L2:
        return 2;
    case FRAME_L3:
        return 3;
    case FRAME_L4:
        return 4;
    default:
        return 0;
    }
}

static enum frame_type mm_type_of_level(unsigned int level)
{
    static const enum frame_type t[5] = {FRAME_NONE, FRAME_L1, FRAME_L2,
                                         FRAME_L3, FRAME_L4};
    return t[level];
}

/*
 * The shadow of a validated page table: veneerd's own copy of its entries,
 * taken once when the frame is validated and changed only by veneerd. Every
 * decision about a table (references, walks, realisation) reads the
 * shadow, never guest RAM: a guest that managed to write its table frame
 * (by skipping an unmap it was sent) changes only its own view of it.
 */
uint64_t mm_entry(const struct domain *d, uint64_t slot, unsigned int idx)
{
    const uint64_t *s = d->frames[slot].shadow;

    return s && idx < PT_ENTRIES ? s[idx] : 0;
}

/* Write entry idx of table `slot`: the shadow, and the guest's view. */
void mm_entry_set(struct domain *d, uint64_t slot, unsigned int idx,
                  uint64_t val)
{
    d->frames[slot].shadow[idx] = val;
    ((volatile uint64_t *)domain_slot_ptr(d, slot))[idx] = val;
}

/* Take the shadow: one copy of the guest's page, then only the copy. */
static int mm_shadow_take(struct domain *d, uint64_t slot)
{
    struct frame *f = &d->frames[slot];

    if (d->nr_shadows == d->shadows_cap) {
        uint64_t cap = d->shadows_cap ? d->shadows_cap * 2 : 64;
        uint64_t *list = realloc(d->shadows, cap * sizeof(*list));

        if (!list)
            return -ENOMEM;
        d->shadows = list;
        d->shadows_cap = cap;
    }
    f->shadow = malloc(PAGE_SIZE);
    if (!f->shadow)
        return -ENOMEM;
    memcpy(f->shadow, domain_slot_ptr(d, slot), PAGE_SIZE);
    f->shadow_idx = d->nr_shadows;
    d->shadows[d->nr_shadows++] = slot;
    return 0;
}

static void mm_shadow_drop(struct domain *d, uint64_t slot)
{
    struct frame *f = &d->frames[slot];
    uint64_t last = d->shadows[--d->nr_shadows];

    d->shadows[f->shadow_idx] = last;
    d->frames[last].shadow_idx = f->shadow_idx;
    free(f->shadow);
    f->shadow = NULL;
}

/* mm_release - free every shadow (the domain is going, or being reset). */
void mm_release(struct domain *d)
{
    while (d->nr_shadows)
        mm_shadow_drop(d, d->shadows[d->nr_shadows - 1]);
    free(d->shadows);
    d->shadows = NULL;
    d->shadows_cap = 0;
}

/* mm_tables - the slot of every validated table, in no order. */
uint64_t mm_tables(const struct domain *d, const uint64_t **slots)
{
    *slots = d->shadows;
    return d->nr_shadows;
}

/* Slot of the frame an entry names, if d owns it and it backs memory.
 * A frame that is not the domain's RAM would be I/O memory to Xen, which
 * a domU has no permission for: -EPERM. */
static int mm_entry_slot(struct domain *d, uint64_t pte, uint64_t *slot)
{
    if (!frames_slot(d, (pte & PTE_ADDR_MASK) >> PAGE_SHIFT, slot))
        return -EPERM;
    /* A frame given back (ballooned out) has no owner to Xen: busy. */
    if (!frames_is_ram(d, *slot) &&
        d->frames[*slot].type != FRAME_SHARED_INFO &&
        d->frames[*slot].type != FRAME_GRANT_TABLE)
        return -EBUSY;
    return 0;
}

static void mm_devalidate(struct domain *d, uint64_t slot, unsigned int level,
                          unsigned int upto)
{
    const uint64_t *t = d->frames[slot].shadow;

    for (unsigned int i = 0; t && i < upto; i++)
        mm_put_entry(d, level, t[i]);
}

/* Validate every entry of a table of `level`, taking the child refs. */
static int mm_validate(struct domain *d, uint64_t slot, unsigned int level)
{
    unsigned int n = level == 4 ? L4_FIRST_HOST_SLOT : PT_ENTRIES;
    const uint64_t *t;
    int rc;

    rc = mm_shadow_take(d, slot);
    if (rc < 0)
        return rc;
    t = d->frames[slot].shadow;
    for (unsigned int i = 0; i < n; i++) {
        rc = mm_get_entry(d, level, t[i]);
        if (rc < 0) {
            mm_devalidate(d, slot, level, i);
            mm_shadow_drop(d, slot);
            return rc;
        }
    }
    if (level == 4) {
        for (unsigned int i = n; i < PT_ENTRIES; i++)
            if (t[i] & _PAGE_PRESENT) {
                mm_devalidate(d, slot, level, n);
                mm_shadow_drop(d, slot);
                return -EINVAL;
            }
    }
    return 0;
}

/*
 * mm_get_type - take a reference holding frame `slot` at `type`.
 *
 * The first reference of a page-table type validates the frame's entries.
 * Return values: 0; -EINVAL if the frame has another type in use or does
 * not validate.
 */
int mm_get_type(struct domain *d, uint64_t slot, enum frame_type type)
{
    struct frame *f = &d->frames[slot];
    int rc;

    /* shared_info and grant-table frames: writable, never tables. */
    if (f->type == FRAME_SHARED_INFO || f->type == FRAME_GRANT_TABLE)
        return type == FRAME_WRITABLE ? 0 : -EINVAL;
    if (!frames_is_ram(d, slot))
        return -EINVAL;
    if (f->type_count > 0) {
        if (f->type != type)
            return -EINVAL;
        if (f->type_count == UINT32_MAX)
            return -EINVAL;
        f->type_count++;
        return 0;
    }
    if (type >= FRAME_L1 && type <= FRAME_L4) {
        /* Claim the type first so that a table naming itself fails. */
        f->type = type;
        f->type_count = 1;
        rc = mm_validate(d, slot, (unsigned int)(type - FRAME_L1 + 1));
        if (rc < 0) {
            f->type = FRAME_NONE;
            f->type_count = 0;
            return rc;
        }
        f->flags |= FRAME_VALIDATED;
        f->tree_links = 0;
        return 0;
    }
    f->type = type;
    f->type_count = 1;
    return 0;
}

/* mm_put_type - drop a type reference; the last one of a page table
 * releases the references its entries hold. */
void mm_put_type(struct domain *d, uint64_t slot)
{
    struct frame *f = &d->frames[slot];
    unsigned int level = mm_level_of(f);

    if (f->type == FRAME_SHARED_INFO || f->type == FRAME_GRANT_TABLE ||
        f->type_count == 0)
        return;
    if (--f->type_count > 0)
        return;
    if (level) {
        mm_devalidate(d, slot, level,
                      level == 4 ? L4_FIRST_HOST_SLOT : PT_ENTRIES);
        mm_shadow_drop(d, slot);
        f->flags &= ~FRAME_VALIDATED;
    }
    f->type = FRAME_NONE;
}

/*
 * mm_get_entry - check one entry of a level-`level` table and take the
 * references it needs: an L1 entry maps a frame of d (writable only if the
 * frame can take the writable type); an upper entry names a frame of d
 * that validates as the next level down.
 * Return values: 0; -EINVAL.
 */
int mm_get_entry(struct domain *d, unsigned int level, uint64_t pte)
{
    uint64_t slot;
    int rc;

    if (!(pte & _PAGE_PRESENT))
        return 0;
    if (pte & ~(level == 1 ? L1_ALLOWED : UPPER_ALLOWED))
        return -EINVAL;
    rc = mm_entry_slot(d, pte, &slot);
    if (rc < 0)
        return rc;
    if (level > 1)
        return mm_get_type(d, slot, mm_type_of_level(level - 1));
    if (pte & _PAGE_RW) {
        /* Xen: a frame that cannot become writable (a page table) is
         * busy, not invalid. */
        rc = mm_get_type(d, slot, FRAME_WRITABLE);
        if (rc < 0)
            return -EBUSY;
    }
    if (d->frames[slot].map_count == UINT32_MAX) {
        if (pte & _PAGE_RW)
            mm_put_type(d, slot);
        return -EBUSY;
    }
    d->frames[slot].map_count++;
    return 0;
}

/* mm_put_entry - release what mm_get_entry took for a valid entry. A
 * grant mapping's entry holds nothing here: its maptrack entry holds the
 * pins (gnttab_map.c). */
void mm_put_entry(struct domain *d, unsigned int level, uint64_t pte)
{
    uint64_t slot;

    if (!(pte & _PAGE_PRESENT) || (level == 1 && (pte & PTE_GNTTAB)) ||
        mm_entry_slot(d, pte, &slot) < 0)
        return;
    if (level == 1) {
        if (d->frames[slot].map_count)
            d->frames[slot].map_count--;
        if (pte & _PAGE_RW)
            mm_put_type(d, slot);
        return;
    }
    mm_put_type(d, slot);
}

/*
 * mm_update_entry - the checked write of one page-table entry: validate
 * the new value, write it, release the old one, and queue the host
 * mapping change. The frame must be a validated table of d.
 * Return values: 0; -EINVAL.
 */
int mm_update_entry(struct vcpu *v, uint64_t slot, unsigned int idx,
                    uint64_t val)
{
    struct domain *d = v->dom;
    struct frame *f = &d->frames[slot];
    unsigned int level = mm_level_of(f);
    uint64_t old;
    int rc;

    if (!level || f->type_count == 0 || !f->shadow || idx >= PT_ENTRIES)
        return -EINVAL;
    if (level == 4 && idx >= L4_FIRST_HOST_SLOT)
        return -EINVAL;
    old = f->shadow[idx];
    if (old == val)
        return 0;
    rc = mm_get_entry(d, level, val);
    if (rc < 0)
        return rc;
    mm_entry_set(d, slot, idx, val);
    mm_tree_entry_changed(v, slot, idx, old, val);
    mm_put_entry(d, level, old);
    return 0;
}

/*
 * mm_write_data - MMU_NORMAL_PT_UPDATE aimed at a frame that is not a page
 * table: Xen just writes it, if the frame can be writable.
 * Return values: 0; -EINVAL (not RAM of d); -EBUSY (typed otherwise).
 */
int mm_write_data(struct domain *d, uint64_t slot, unsigned int idx,
                  uint64_t val)
{
    int rc;

    if (idx >= PT_ENTRIES || !frames_is_ram(d, slot))
        return -EINVAL;
    rc = mm_get_type(d, slot, FRAME_WRITABLE);
    if (rc < 0)
        return -EBUSY;
    ((volatile uint64_t *)domain_slot_ptr(d, slot))[idx] = val;
    mm_put_type(d, slot);
    return 0;
}

/* mm_pin - pin a table at `type` (MMUEXT_PIN_Ln_TABLE). */
int mm_pin(struct domain *d, uint64_t slot, enum frame_type type)
{
    struct frame *f = &d->frames[slot];
    int rc;

    if (f->flags & FRAME_PINNED)
        return -EINVAL;
    rc = mm_get_type(d, slot, type);
    if (rc == 0)
        f->flags |= FRAME_PINNED;
    return rc;
}

/* mm_unpin - MMUEXT_UNPIN_TABLE: the table must be pinned. */
int mm_unpin(struct domain *d, uint64_t slot)
{
    struct frame *f = &d->frames[slot];

    if (!(f->flags & FRAME_PINNED) || !mm_level_of(f))
        return -EINVAL;
    f->flags &= ~FRAME_PINNED;
    mm_put_type(d, slot);
    return 0;
}

/* mm_new_baseptr - switch vCPU v to the L4 at slot (MMUEXT_NEW_BASEPTR). */
int mm_new_baseptr(struct vcpu *v, uint64_t slot)
{
    struct domain *d = v->dom;
    uint64_t old = 0;
    bool had_old = frames_slot(d, v->cr3, &old);
    int rc;

    rc = mm_get_type(d, slot, FRAME_L4);
    if (rc < 0)
        return rc;
    v->cr3 = frames_mfn(d, slot);
    if (had_old)
        mm_put_type(d, old);
    mm_realise_all(v);
    return 0;
}
