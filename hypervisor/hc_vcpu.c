/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op (hypercall 24): vCPU state queries, runstate, the per-vCPU
 * timers and VCPUOP_register_vcpu_info (XEN-ABI-FACTS §7.2). Domains have one vCPU
 * for now, always initialised and up.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "veneerd.h"

/* VCPUOP_down: taking the last vCPU down powers the domain off (Xen). */
static int64_t vcpu_op_down(struct vcpu *target)
{
    log_info("dom%u: last vCPU down: poweroff", target->dom->id);
    domain_shutdown(target->dom, SHUTDOWN_poweroff);
    return 0;
}

static int64_t vcpu_op_runstate(struct vcpu *cur, struct vcpu *target,
                                gva_t arg)
{
    struct vcpu_runstate_info rs;

    runstate_get(target, &rs);
    return gmem_copy_to(cur, arg, &rs, sizeof(rs)) ? -XEN_EFAULT : 0;
}

static int64_t vcpu_op_runstate_area(struct vcpu *cur, struct vcpu *target,
                                     gva_t arg)
{
    struct vcpu_register_runstate_memory_area r;

    if (gmem_copy_from(cur, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    return runstate_register(target, r.addr.h);
}

static int64_t vcpu_op_periodic(struct vcpu *cur, struct vcpu *target,
                                gva_t arg)
{
    struct vcpu_set_periodic_timer p;

    if (gmem_copy_from(cur, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.period_ns < VCPU_PERIODIC_TIMER_MIN_NS ||
        p.period_ns > VN_TIMER_PERIOD_MAX_NS)
        return -XEN_EINVAL;
    timer_set_periodic(target, p.period_ns);
    return 0;
}

/* Only for the calling vCPU; a deadline already passed fires at once. */
static int64_t vcpu_op_singleshot(struct vcpu *cur, struct vcpu *target,
                                  gva_t arg)
{
    struct vcpu_set_singleshot_timer t;

    if (target != cur)
        return -XEN_EINVAL;
    if (gmem_copy_from(cur, &t, arg, sizeof(t)))
        return -XEN_EFAULT;
    timer_set_singleshot(cur, t.timeout_abs_ns);
    return 0;
}

static int64_t vcpu_op_vcpu_info(struct vcpu *cur, struct vcpu *target,
                                 gva_t arg)
{
    struct vcpu_register_vcpu_info r;

    if (gmem_copy_from(cur, &r, arg, sizeof(r)))
        return -XEN_EFAULT;
    if (target != cur) /* Xen: only the caller, or a vCPU that is down */
        return -XEN_EINVAL;
    return upcall_register_vcpu_info(cur, r.mfn, r.offset);
}

/*
 * vcpu_op(cmd, vcpuid, arg) (hypercall 24). cmd and vcpuid are 32-bit ints,
 * as Xen takes them.
 * Return values: per op; -ENOENT for a vcpuid the domain lacks; -EEXIST
 * for initialise (every vCPU is); -EINVAL for get_physid (hardware domain
 * only); -ENOSYS for ops not implemented (the time memory area, the
 * physical-address areas, send_nmi).
 */
int64_t hc_vcpu_op(struct vcpu *v, const uint64_t a[5])
{
    int cmd = (int)a[0], id = (int)a[1];
    struct vcpu *target;

    if (id < 0 || (unsigned int)id >= v->dom->nr_vcpus)
        return -XEN_ENOENT;
    target = &v->dom->vcpus[id];
    switch (cmd) {
    case VCPUOP_initialise:
        return -XEN_EEXIST;
    case VCPUOP_up:
        return 0;
    case VCPUOP_down:
        return vcpu_op_down(target);
    case VCPUOP_is_up:
        return 1;
    case VCPUOP_get_runstate_info:
        return vcpu_op_runstate(v, target, a[2]);
    case VCPUOP_register_runstate_memory_area:
        return vcpu_op_runstate_area(v, target, a[2]);
    case VCPUOP_set_periodic_timer:
        return vcpu_op_periodic(v, target, a[2]);
    case VCPUOP_stop_periodic_timer:
        timer_set_periodic(target, 0);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return vcpu_op_singleshot(v, target, a[2]);
    case VCPUOP_stop_singleshot_timer:
        if (target != v)
            return -XEN_EINVAL;
        timer_stop_singleshot(v);
        return 0;
    case VCPUOP_register_vcpu_info:
        return vcpu_op_vcpu_info(v, target, a[2]);
    case VCPUOP_get_physid:
        return -XEN_EINVAL;
    default:
        return -XEN_ENOSYS;
    }
}
