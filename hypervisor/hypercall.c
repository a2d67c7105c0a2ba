/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch: one table indexed by hypercall number, and
 * multicall, which feeds each entry back through the same table.
 * Every handler is copy-in -> validate -> act -> copy-out and returns a
 * negative Xen errno on failure.
 */
#include <xen/errno.h>

#include "veneerd.h"

#define HYPERCALL_TABLE_SIZE 64

/*
 * Implemented hypercalls. Designated initializers: a duplicate entry is a
 * compile error (-Woverride-init, in -Wextra). Unlisted numbers are
 * -ENOSYS.
 */
static const struct {
    const char *name;
    hypercall_fn fn;
} hypercall_table[HYPERCALL_TABLE_SIZE] = {
    [__HYPERVISOR_mmu_update] = {"mmu_update", hc_mmu_update},
    [__HYPERVISOR_memory_op] = {"memory_op", hc_memory_op},
    [__HYPERVISOR_update_va_mapping] = {"update_va_mapping",
                                        hc_update_va_mapping},
    [__HYPERVISOR_mmuext_op] = {"mmuext_op", hc_mmuext_op},
    [__HYPERVISOR_multicall] = {"multicall", hc_multicall},
    [__HYPERVISOR_xen_version] = {"xen_version", hc_xen_version},
    [__HYPERVISOR_console_io] = {"console_io", hc_console_io},
    [__HYPERVISOR_vm_assist] = {"vm_assist", hc_vm_assist},
    [__HYPERVISOR_sched_op] = {"sched_op", hc_sched_op},
    [__HYPERVISOR_set_trap_table] = {"set_trap_table", hc_set_trap_table},
    [__HYPERVISOR_stack_switch] = {"stack_switch", hc_stack_switch},
    [__HYPERVISOR_set_callbacks] = {"set_callbacks", hc_set_callbacks},
    [__HYPERVISOR_fpu_taskswitch] = {"fpu_taskswitch", hc_fpu_taskswitch},
    [__HYPERVISOR_set_timer_op] = {"set_timer_op", hc_set_timer_op},
    [__HYPERVISOR_iret] = {"iret", hc_iret},
    [__HYPERVISOR_vcpu_op] = {"vcpu_op", hc_vcpu_op},
    [__HYPERVISOR_set_segment_base] = {"set_segment_base", hc_set_segment_base},
    [__HYPERVISOR_callback_op] = {"callback_op", hc_callback_op},
    [__HYPERVISOR_event_channel_op] = {"event_channel_op", hc_event_channel_op},
    [__HYPERVISOR_grant_table_op] = {"grant_table_op", hc_grant_table_op},
};

/*
 * hypercall_dispatch - run hypercall hc->nr for vCPU v.
 * Return values: the hypercall's result; -ENOSYS for an unknown number.
 */
int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *hc)
{
    if (hc->nr >= HYPERCALL_TABLE_SIZE || !hypercall_table[hc->nr].fn) {
        log_debug("dom%u: unknown hypercall %llu", v->dom->id,
                  (unsigned long long)hc->nr);
        return -XEN_ENOSYS;
    }
    v->nr_hypercalls++;
    return hypercall_table[hc->nr].fn(v, hc->a);
}

/*
 * multicall(entries, nr): run nr 64-byte multicall_entry records in order,
 * writing each result back. A nested multicall entry gets -EINVAL; a bad
 * entries pointer stops the batch with -EFAULT. Stops early if an entry
 * stopped the domain (shutdown) or was an iret (XSA-213).
 */
int64_t hc_multicall(struct vcpu *v, const uint64_t a[5])
{
    gva_t entries = a[0];
    uint64_t nr = a[1];

    /* v->stop: the domain is being torn down; a long batch must not hold
     * up whoever waits for this thread. */
    for (uint64_t i = 0; i < nr && !v->stop; i++) {
        struct multicall_entry e;
        struct hypercall_args hc;
        gva_t at = entries + i * sizeof(e);
        int64_t result;

        if (i > (UINT64_MAX - entries) / sizeof(e) ||
            gmem_copy_from(v, &e, at, sizeof(e)))
            return -XEN_EFAULT;
        hc.nr = e.op;
        for (unsigned int k = 0; k < 5; k++)
            hc.a[k] = e.args[k];
        if (e.op == __HYPERVISOR_multicall)
            result = -XEN_EINVAL;
        else
            result = hypercall_dispatch(v, &hc);
        /* An iret replaced the registers the batch was called with: the
         * batch ends there, as in Xen since XSA-213 (no result written). */
        if (e.op == __HYPERVISOR_iret)
            break;
        e.result = (uint64_t)result;
        if (gmem_copy_to(v, at + offsetof(struct multicall_entry, result),
                         &e.result, sizeof(e.result)))
            return -XEN_EFAULT;
        if (domain_is_stopping(v->dom))
            break;
    }
    return 0;
}
