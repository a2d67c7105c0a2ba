/* SPDX-License-Identifier: MIT */
/*
 * The per-vCPU timers: singleshot (set_timer_op, VCPUOP_set_singleshot_
 * timer) and periodic (VCPUOP_set_periodic_timer; 100 Hz from the start,
 * as Xen gives every PV vCPU), both raising VIRQ_TIMER.
 *
 * A vCPU's timers belong to its server thread: only that thread's
 * hypercalls set them and only it runs them (timer_run, from its wait for
 * the next request or inside SCHEDOP_block/poll), so they need no lock.
 * A deadline is an absolute system time (time.c); one that has passed
 * fires at the next timer_run, which happens before the hypercall that set
 * it returns.
 */
#include <xen/errno.h>

#include "veneerd.h"

/* Raise VIRQ_TIMER on v (dropped if the guest has not bound it). */
static void timer_send(struct vcpu *v)
{
    evtchn_send_virq(v, VIRQ_TIMER);
}

/* timer_set_singleshot - arm v's one-shot timer for system time deadline. */
void timer_set_singleshot(struct vcpu *v, uint64_t deadline)
{
    v->timer_deadline = deadline;
    v->timer_armed = true;
}

/* timer_stop_singleshot - disarm v's one-shot timer (it may not fire). */
void timer_stop_singleshot(struct vcpu *v)
{
    v->timer_armed = false;
}

/*
 * timer_set_periodic - tick every period_ns from the last tick (0 stops).
 * Like Xen's vcpu_set_periodic_timer, a tick that is already due (a period
 * has passed since the last one) fires at the next timer_run.
 */
void timer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    v->periodic_period = period_ns;
}

/*
 * timer_next - the earliest armed deadline of v's timers. A periodic tick
 * while VIRQ_TIMER is unbound would be dropped, so it does not count:
 * an idle guest that never bound the VIRQ costs no wake-ups.
 * Return values: a system time; UINT64_MAX if none is armed.
 */
uint64_t timer_next(const struct vcpu *v)
{
    uint64_t next = UINT64_MAX;

    if (v->timer_armed)
        next = v->timer_deadline;
    if (v->periodic_period &&
        __atomic_load_n(&v->virq_to_evtchn[VIRQ_TIMER], __ATOMIC_RELAXED)) {
        uint64_t tick = v->periodic_last + v->periodic_period;

        if (tick < v->periodic_last) /* overflow: never */
            tick = UINT64_MAX;
        if (tick < next)
            next = tick;
    }
    return next;
}

/*
 * timer_run - fire whichever of v's timers are due. The periodic timer
 * counts its next period from the moment it fired, as Xen's does; while
 * VIRQ_TIMER is unbound its ticks would be dropped, so it is not even
 * looked at (after a bind, the first tick comes at once).
 */
void timer_run(struct vcpu *v)
{
    uint64_t now;

    if (!v->timer_armed && timer_next(v) == UINT64_MAX)
        return;
    now = time_now(v->dom);
    if (v->timer_armed && now >= v->timer_deadline) {
        v->timer_armed = false;
        timer_send(v);
    }
    if (v->periodic_period && now - v->periodic_last >= v->periodic_period) {
        v->periodic_last = now;
        timer_send(v);
    }
}

/*
 * set_timer_op(timeout) (hypercall 15): arm the singleshot timer for
 * absolute system time `timeout`; 0 cancels it. A negative deadline or one
 * more than 2^50 ns ahead fires in VN_TIMER_HUGE_FALLBACK_NS instead, as
 * on Xen (its Linux jiffies-wrap workaround).
 * Return values: 0.
 */
int64_t hc_set_timer_op(struct vcpu *v, const uint64_t a[5])
{
    int64_t timeout = (int64_t)a[0];
    uint64_t now;
    int64_t offset;

    if (timeout == 0) {
        timer_stop_singleshot(v);
        return 0;
    }
    now = time_now(v->dom);
    offset = timeout - (int64_t)now;
    if (timeout < 0 || (offset > 0 && (offset >> 50) != 0))
        timer_set_singleshot(v, now + VN_TIMER_HUGE_FALLBACK_NS);
    else
        timer_set_singleshot(v, (uint64_t)timeout);
    return 0;
}
