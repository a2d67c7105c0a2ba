/* SPDX-License-Identifier: MIT */
/*
 * vCPU runstate accounting (Xen's vcpu_runstate_info): how long each vCPU
 * has been running and blocked, in system time, for
 * VCPUOP_get_runstate_info and for the copy a guest may register with
 * VCPUOP_register_runstate_memory_area, rewritten on every change of
 * state. With VMASST_TYPE_runstate_update_flag the copy carries
 * XEN_RUNSTATE_UPDATE in state_entry_time while it is being written.
 *
 * A vCPU's runstate is changed only by its own server thread.
 */
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "veneerd.h"

/* runstate_get - v's runstate now, the current state's time included. */
void runstate_get(struct vcpu *v, struct vcpu_runstate_info *rs)
{
    uint64_t now = time_now(v->dom);

    *rs = (struct vcpu_runstate_info){.state = (int)v->rs_state,
                                      .state_entry_time = v->rs_entry};
    for (unsigned int i = 0; i < 4; i++)
        rs->time[i] = v->rs_time[i];
    if (now > v->rs_entry)
        rs->time[v->rs_state] += now - v->rs_entry;
}

/*
 * Write v's runstate to its registered area, as Xen's update_runstate_area
 * does; a guest address that does not take the write is ignored.
 * Called with mm_lock held.
 */
static void runstate_publish_locked(struct vcpu *v)
{
    struct vcpu_runstate_info rs;
    uint64_t flagged;
    gva_t at = v->rs_area;
    bool flag = v->dom->vm_assist & (1ull << VMASST_TYPE_runstate_update_flag);

    runstate_get(v, &rs);
    if (flag) {
        flagged = rs.state_entry_time | XEN_RUNSTATE_UPDATE;
        gmem_copy_to(v,
                     at + offsetof(struct vcpu_runstate_info, state_entry_time),
                     &flagged, sizeof(flagged));
        __atomic_thread_fence(__ATOMIC_RELEASE);
    }
    gmem_copy_to(v, at, &rs, sizeof(rs));
}

/* runstate_change - v enters `state` (RUNSTATE_*) now. Called without
 * mm_lock. */
void runstate_change(struct vcpu *v, unsigned int state)
{
    uint64_t now = time_now(v->dom);

    if (now > v->rs_entry)
        v->rs_time[v->rs_state] += now - v->rs_entry;
    v->rs_entry = now;
    v->rs_state = state;
    if (!v->rs_area)
        return;
    pthread_mutex_lock(&v->dom->mm_lock);
    runstate_publish_locked(v);
    pthread_mutex_unlock(&v->dom->mm_lock);
}

/*
 * runstate_register - VCPUOP_register_runstate_memory_area: keep a copy of
 * v's runstate at guest virtual address `area` (0 stops it), written now
 * and on every change.
 * Return values: 0; -EFAULT if the area does not lie in the guest's range
 * (Xen's guest_handle_okay; whether it is mapped is not checked). Called
 * with mm_lock held.
 */
int runstate_register(struct vcpu *v, gva_t area)
{
    if (area >= VENEER_GUEST_VA_LIMIT ||
        VENEER_GUEST_VA_LIMIT - area < sizeof(struct vcpu_runstate_info))
        return -XEN_EFAULT;
    v->rs_area = area;
    if (area)
        runstate_publish_locked(v);
    return 0;
}
