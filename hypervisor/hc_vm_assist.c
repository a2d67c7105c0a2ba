/* SPDX-License-Identifier: MIT */
/*
 * vm_assist (hypercall 21): turn optional hypervisor assists on or off.
 * Veneer records the request for the types Xen offers a 64-bit PV guest.
 */
#include <xen/errno.h>
#include <xen/xen.h>

#include "veneerd.h"

/* Types a PV64 guest may set (Xen's VM_ASSIST_VALID for 64-bit PV). */
static bool vm_assist_valid(uint64_t type)
{
    switch (type) {
    case VMASST_TYPE_writable_pagetables:
    case VMASST_TYPE_pae_extended_cr3:
    case VMASST_TYPE_architectural_iopl:
    case VMASST_TYPE_runstate_update_flag:
    case VMASST_TYPE_m2p_strict:
        return true;
    default:
        return false;
    }
}

int64_t hc_vm_assist(struct vcpu *v, const uint64_t a[5])
{
    uint64_t cmd = a[0], type = a[1];

    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -XEN_ENOSYS;
    if (!vm_assist_valid(type))
        return -XEN_EINVAL;
    if (cmd == VMASST_CMD_enable)
        v->dom->vm_assist |= 1ull << type;
    else
        v->dom->vm_assist &= ~(1ull << type);
    return 0;
}
