/* SPDX-License-Identifier: MIT */
/*
 * The grant-entry protocol (XEN-ABI-FACTS §5.2, §5.3): pinning a granter's
 * entry for a mapping or a copy, and unpinning it.
 *
 * The entry lives in the granter's memory, which the granter writes
 * whenever it likes, so veneerd reads each field once and changes the
 * (flags, domid) pair only with a 32-bit cmpxchg, as Xen does: the first
 * pin checks that the entry is GTF_permit_access for the pinning domain
 * and sets GTF_reading (and GTF_writing for writable access) in the same
 * atomic step, so a granter that ends access at that moment either wins
 * (and the pin fails) or sees the flags and knows the grant is in use.
 * The granter's end-of-access is the mirror image (cmpxchg of the flags
 * to 0 only while neither bit is set), so once a pin succeeded the
 * granter cannot take the page back until the last unpin clears the bits.
 *
 * veneerd's own view of an entry in use is its active entry (pin counts,
 * the pinning domain, the frame found at the first pin): after the first
 * pin the guest-writable entry is no longer trusted for anything.
 *
 * A writable pin also holds the writable type on the frame, so a granted
 * page cannot become a page table of the granter while another domain can
 * write it; every pin counts in the frame's map_count, so the granter
 * cannot balloon the page out from under its mapper.
 *
 * Called with the granter's mm_lock held.
 */
#include <xen/arch-x86/page.h>

#include "veneerd.h"

#define GNTTAB_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/* gnttab_nr_entries - entries in d's table (all frames, reserved ones
 * included). */
uint32_t gnttab_nr_entries(const struct domain *d)
{
    return d->gt ? d->gt->nr_frames * (uint32_t)GNTTAB_PER_FRAME : 0;
}

/* gnttab_entry - d's entry ref, in d's memory; ref must be in range. */
volatile struct grant_entry_v1 *gnttab_entry(struct domain *d, grant_ref_t ref)
{
    volatile struct grant_entry_v1 *frame =
        (volatile struct grant_entry_v1 *)domain_slot_ptr(
            d, d->gnttab_slot + ref / GNTTAB_PER_FRAME);

    return frame + ref % GNTTAB_PER_FRAME;
}

static struct gnttab_active *gnttab_active_of(struct domain *d, grant_ref_t ref)
{
    return &d->gt->active[ref / GNTTAB_PER_FRAME][ref % GNTTAB_PER_FRAME];
}

/* The (flags, domid) pair as one word: flags in the low half. */
static volatile uint32_t *gnttab_combo(volatile struct grant_entry_v1 *e)
{
    return (volatile uint32_t *)&e->flags;
}

/*
 * Set GTF_reading (and GTF_writing) in entry e for domain ld. Unless the
 * entry is pinned already, it must be GTF_permit_access (with no
 * GTF_sub_page for a mapping: Xen's mapflag) and name ld; a writable pin
 * needs GTF_readonly clear. A granter racing the cmpxchg more than
 * VN_GNTTAB_CMPXCHG_RETRIES times makes the entry unstable.
 */
static int gnttab_set_status(volatile struct grant_entry_v1 *e,
                             const struct gnttab_active *act, domid_t ld,
                             bool readonly, bool map)
{
    uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);
    uint32_t old = __atomic_load_n(gnttab_combo(e), __ATOMIC_ACQUIRE);

    for (unsigned int failed = 0;;) {
        uint16_t flags = (uint16_t)old;
        domid_t domid = (domid_t)(old >> 16);
        uint32_t new = old | GTF_reading;

        if (!act->pin && ((flags & mask) != GTF_permit_access || domid != ld))
            return GNTST_general_error;
        if (!readonly) {
            if (flags & GTF_readonly)
                return GNTST_general_error;
            new |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(gnttab_combo(e), &old, new, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
            return GNTST_okay;
        if (++failed == VN_GNTTAB_CMPXCHG_RETRIES)
            return GNTST_general_error;
    }
}

/* Clear the flags the remaining pins no longer need (Xen's
 * reduce_status_for_pin): GTF_reading with the last pin, GTF_writing
 * with the last writable one. An atomic AND: the granter may be writing
 * the other bits. */
static void gnttab_reduce_status(volatile struct grant_entry_v1 *e,
                                 const struct gnttab_active *act, bool readonly)
{
    uint16_t clear = act->pin ? 0 : GTF_reading;

    if (!readonly && !(act->pin & GNTPIN_WRITERS_MASK))
        clear |= GTF_writing;
    if (clear)
        __atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

/* Counters an increment touches, and how many of them are writable. */
static unsigned int gnttab_counters(uint32_t inc, unsigned int *writable)
{
    unsigned int n = 0;

    for (unsigned int shift = 0; shift < 32; shift += 8)
        if ((inc >> shift) & 0xff)
            n++;
    *writable = !!(inc & GNTPIN_HSTW) + !!(inc & GNTPIN_DEVW);
    return n;
}

/* The frame entry e names, if it is RAM of rd (Xen's get_paged_frame:
 * anything else is GNTST_bad_page). */
static int gnttab_frame(struct domain *rd, volatile struct grant_entry_v1 *e,
                        uint64_t *slot)
{
    uint32_t frame = e->frame; /* read once */

    if (!frames_slot(rd, frame, slot) || !frames_is_ram(rd, *slot))
        return GNTST_bad_page;
    return GNTST_okay;
}

/*
 * gnttab_pin - pin rd's entry ref for domain ld (Xen's pin half of
 * map_grant_ref and acquire_grant_for_copy).
 *
 * Parameters: rd, ref - the grant; ld - the domain using it (0 for dom0's
 * host processes); inc - the GNTPIN_* counters to add (one unit each,
 * writable ones for writable access); map - a mapping (GTF_sub_page is
 * refused) rather than a copy; slot - OUT: the granted frame's RAM slot.
 * Return values: GNTST_okay; GNTST_bad_gntref (ref out of range);
 * GNTST_general_error (pinned by another domain, a counter full, the
 * entry not a grant to ld, read-only, unstable, or the frame cannot be
 * writable: a page table); GNTST_bad_page (the frame is not rd's RAM).
 */
int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, uint32_t inc,
               bool map, uint64_t *slot)
{
    bool readonly = !(inc & GNTPIN_WRITERS_MASK);
    volatile struct grant_entry_v1 *e;
    struct gnttab_active *act;
    unsigned int n, writable, got = 0;
    int rc;

    if (ref >= gnttab_nr_entries(rd))
        return GNTST_bad_gntref;
    e = gnttab_entry(rd, ref);
    act = gnttab_active_of(rd, ref);
    n = gnttab_counters(inc, &writable);
    /* The top bit of a counter set: one more pin could overflow it. */
    if (act->pin && (act->domid != ld || (act->pin & (inc << 7))))
        return GNTST_general_error;
    if (!act->pin || (!readonly && !(act->pin & GNTPIN_WRITERS_MASK))) {
        rc = gnttab_set_status(e, act, ld, readonly, map);
        if (rc != GNTST_okay)
            return rc;
        if (!act->pin) {
            rc = gnttab_frame(rd, e, &act->slot);
            if (rc != GNTST_okay) {
                gnttab_reduce_status(e, act, readonly);
                return rc;
            }
            act->domid = ld;
        }
    }
    /* A page granted under many refs: its count must not wrap. */
    if (rd->frames[act->slot].map_count > UINT32_MAX - n) {
        gnttab_reduce_status(e, act, readonly);
        return GNTST_general_error;
    }
    for (; got < writable; got++)
        if (mm_get_type(rd, act->slot, FRAME_WRITABLE) < 0)
            break;
    if (got < writable) {
        while (got--)
            mm_put_type(rd, act->slot);
        gnttab_reduce_status(e, act, readonly);
        return GNTST_general_error;
    }
    act->pin += inc;
    rd->frames[act->slot].map_count += n;
    *slot = act->slot;
    return GNTST_okay;
}

/*
 * gnttab_unpin - drop what gnttab_pin(rd, ref, ..., inc, ...) took; the
 * last pin clears GTF_reading, the last writable one GTF_writing. A pin
 * that is not there is a veneerd bug: logged and ignored.
 */
void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t inc)
{
    struct gnttab_active *act;
    unsigned int n, writable;

    if (ref >= gnttab_nr_entries(rd)) {
        log_warnx("%s: dom%u: ref %u out of range (a veneerd bug)", __func__,
                  rd->id, ref);
        return;
    }
    act = gnttab_active_of(rd, ref);
    n = gnttab_counters(inc, &writable);
    for (unsigned int shift = 0; shift < 32; shift += 8)
        if (((act->pin >> shift) & 0xff) < ((inc >> shift) & 0xff)) {
            log_warnx("%s: dom%u: ref %u: pin %#x has no %#x (a veneerd bug)",
                      __func__, rd->id, ref, act->pin, inc);
            return;
        }
    act->pin -= inc;
    while (writable--)
        mm_put_type(rd, act->slot);
    rd->frames[act->slot].map_count -= n;
    gnttab_reduce_status(gnttab_entry(rd, ref), act,
                         !(inc & GNTPIN_WRITERS_MASK));
}

/* gnttab_in_use - does anyone (another domain, dom0, d itself) hold a
 * pin on one of d's grants? */
bool gnttab_in_use(const struct domain *d)
{
    for (uint32_t f = 0; d->gt && f < d->gt->nr_frames; f++)
        for (uint32_t i = 0; i < GNTTAB_PER_FRAME; i++)
            if (d->gt->active[f][i].pin)
                return true;
    return false;
}

/*
 * gnttab_seed - write entry ref as a granter would (§5.3): domid and
 * frame, a write barrier, then GTF_permit_access. For the toolstack's
 * reserved entries; ref must be in range, mfn one of d's frames.
 */
void gnttab_seed(struct domain *d, grant_ref_t ref, domid_t domid, mfn_t mfn)
{
    volatile struct grant_entry_v1 *e;

    if (ref >= gnttab_nr_entries(d) || mfn > UINT32_MAX)
        return;
    e = gnttab_entry(d, ref);
    e->domid = domid;
    e->frame = (uint32_t)mfn;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->flags = GTF_permit_access;
}
