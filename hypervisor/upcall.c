/* SPDX-License-Identifier: MIT */
/*
 * Event upcalls: where each vCPU's vcpu_info lives, when an event is
 * deliverable (evtchn_upcall_pending set, evtchn_upcall_mask clear), and
 * the delivery itself, Xen's test_all_events on the way back to the guest:
 * a bounce frame on the guest's current stack, upcalls masked, the guest
 * resumed at its event callback. VCPUOP_register_vcpu_info moves a
 * vcpu_info, with Xen's one spurious upcall.
 */
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>

#include "veneerd.h"

/* The domain's shared_info page (veneerd's mapping of its RAM slot). */
struct shared_info *upcall_shared_info(struct domain *d)
{
    return (struct shared_info *)domain_slot_ptr(d, d->shared_info_slot);
}

/*
 * upcall_vcpu_info - v's vcpu_info: shared_info.vcpu_info[id] until the
 * guest registers another place. Any thread may ask; the pointer only ever
 * changes once, from the default to a registered slot.
 */
struct vcpu_info *upcall_vcpu_info(struct vcpu *v)
{
    struct vcpu_info *vi = __atomic_load_n(&v->vinfo, __ATOMIC_ACQUIRE);

    return vi ? vi : &upcall_shared_info(v->dom)->vcpu_info[v->id];
}

/* Xen's vcpu_mark_events_pending: set upcall_pending; kick on 0 -> 1. */
void upcall_mark_pending(struct vcpu *v)
{
    if (evtchn_2l_mark_events_pending(upcall_vcpu_info(v)))
        vcpu_kick(v);
}

/* Xen's local_events_need_delivery for a PV vCPU. */
bool upcall_deliverable(struct vcpu *v)
{
    struct vcpu_info *vi = upcall_vcpu_info(v);

    return __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_ACQUIRE);
}

static void upcall_crash(struct vcpu *v, const char *what)
{
    char why[160];

    snprintf(why, sizeof(why), "%s (rip %#llx, rsp %#llx)", what,
             (unsigned long long)v->regs.rip, (unsigned long long)v->regs.rsp);
    domain_crash(v->dom, why);
    crash_dump_regs(v->dom, NULL, &v->regs);
}

/*
 * upcall_on_resume - before v returns to its guest: if an event is
 * deliverable, bounce to the event callback (upcalls masked). With no
 * callback registered, or a stack the frame cannot be written to, the
 * domain crashes, as on Xen. A kick that interrupted the stub rather than
 * the guest delivers nothing: the event stays pending for the next entry.
 * Called with mm_lock held (the frame goes through the guest's tables).
 */
void upcall_on_resume(struct vcpu *v)
{
    if (!upcall_deliverable(v) || v->regs.rip >= VENEER_GUEST_VA_LIMIT)
        return;
    if (!v->pv.event_callback) {
        upcall_crash(v, "event upcall with no event callback registered");
        return;
    }
    if (bounce_push(v, v->pv.event_callback, BOUNCE_INTERRUPT, 0) < 0) {
        upcall_crash(v, "cannot write the event upcall frame");
        return;
    }
    v->nr_upcalls++;
}

/* The RAM slot behind machine frame mfn, if it is ordinary domain RAM. */
static int upcall_ram_slot(struct domain *d, uint64_t mfn, uint64_t *slot)
{
    if (!frames_slot(d, mfn, slot) || !frames_is_ram(d, *slot))
        return -XEN_EINVAL;
    return 0;
}

/*
 * upcall_register_vcpu_info - VCPUOP_register_vcpu_info for v (the caller):
 * move its vcpu_info to byte `offset` of frame `mfn`, keeping a writable
 * type reference on the frame so it can never become a page table. Xen's
 * rules: the old contents are copied there, then evtchn_pending_sel is set
 * to all ones and an upcall marked pending (one spurious upcall, so no
 * event is lost), and the time info is refreshed.
 *
 * Return values: 0; -EINVAL for an offset of a page or more, a frame that
 * is not the domain's RAM; -EBUSY if already registered; -ENXIO for an
 * area that is misaligned or crosses the page; -EACCES if the frame is a
 * page table. Called with mm_lock held.
 */
int upcall_register_vcpu_info(struct vcpu *v, uint64_t mfn, uint32_t offset)
{
    struct domain *d = v->dom;
    struct vcpu_info *old = upcall_vcpu_info(v), *vi;
    uint64_t slot;

    if (offset >= PAGE_SIZE || mfn >= (1ull << (64 - PAGE_SHIFT)))
        return -XEN_EINVAL;
    if (v->vinfo_registered)
        return -XEN_EBUSY;
    if (offset + sizeof(*vi) > PAGE_SIZE || offset % sizeof(uint64_t))
        return -XEN_ENXIO;
    if (upcall_ram_slot(d, mfn, &slot))
        return -XEN_EINVAL;
    if (mm_get_type(d, slot, FRAME_WRITABLE) < 0)
        return -XEN_EACCES;
    vi = (struct vcpu_info *)(domain_slot_ptr(d, slot) + offset);
    memmove(vi, old, sizeof(*vi));
    v->vinfo_registered = true;
    __atomic_store_n(&v->vinfo, vi, __ATOMIC_RELEASE);
    __atomic_store_n(&vi->evtchn_pending_sel, ~0ull, __ATOMIC_SEQ_CST);
    upcall_mark_pending(v);
    time_vcpu_update(v, true);
    return 0;
}
