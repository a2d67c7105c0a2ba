/* SPDX-License-Identifier: MIT */
/*
 * Where a vCPU is, and how an event reaches it: Xen's vcpu_kick.
 *
 * A vCPU is RUNNING guest code, IN_HV while its server thread serves a
 * request, or BLOCKED while that thread sleeps in SCHEDOP_block/poll.
 * An event for it (vcpu_kick) then costs, respectively: one kick signal
 * to its thread, coalesced until the stub has answered it (kick_sent);
 * nothing, since the server checks for deliverable events before every
 * return to the guest; or a futex wake of the sleeping server thread.
 *
 * Race-freedom: the event's bits are set before vcpu_kick takes run_lock,
 * and the server changes run_state under run_lock before it looks at the
 * bits, so either the kicker sees the new state or the server sees the
 * bits. A sleeper compares wake_seq, which every kick advances, against
 * the value it read when it began to block.
 */
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <xen/vcpu.h>

#include "veneerd.h"

/* vcpu_init - a new vCPU: running (once started), with Xen's PV defaults. */
void vcpu_init(struct vcpu *v)
{
    pthread_mutex_init(&v->run_lock, NULL);
    vcpu_reset(v);
}

/*
 * vcpu_reset - back to the state of a new vCPU (a restart in place): no
 * callbacks, traps, timers but Xen's 100 Hz tick, VIRQ bindings or
 * registered vcpu_info. Its process and server thread must be gone.
 */
void vcpu_reset(struct vcpu *v)
{
    free(v->pv.traps);
    memset(&v->pv, 0, sizeof(v->pv));
    v->regs_dirty = false;
    v->out_flags = 0;
    v->vinfo = NULL;
    v->vinfo_registered = false;
    v->run_state = VCPU_RUNNING;
    v->kick_sent = false;
    v->block_kind = VCPU_BLOCK_NONE;
    v->poll_port = 0;
    v->poll_timeout = 0;
    v->timer_armed = false;
    v->periodic_period = VN_PV_DEFAULT_PERIOD_NS;
    v->periodic_last = 0;
    memset(v->virq_to_evtchn, 0, sizeof(v->virq_to_evtchn));
    v->rs_state = RUNSTATE_running;
    v->rs_entry = 0;
    v->rs_area = 0;
    memset(v->rs_time, 0, sizeof(v->rs_time));
}

/* vcpu_release - free what vcpu_init and the hypercalls allocated. */
void vcpu_release(struct vcpu *v)
{
    free(v->pv.traps);
    v->pv.traps = NULL;
    pthread_mutex_destroy(&v->run_lock);
}

/*
 * vcpu_enter - the server thread takes a request for v: v is in the
 * hypervisor until vcpu_resume. regs (if not NULL) are the guest's
 * registers from the request; kicked says the request answers a kick.
 */
void vcpu_enter(struct vcpu *v, const struct stub_regs *regs, bool kicked)
{
    pthread_mutex_lock(&v->run_lock);
    v->run_state = VCPU_IN_HV;
    if (kicked)
        v->kick_sent = false;
    pthread_mutex_unlock(&v->run_lock);
    if (regs) {
        v->regs = *regs;
        v->regs_dirty = false;
        v->out_flags = 0;
    }
}

/* vcpu_resume - v is about to run guest code again. Check for deliverable
 * events only after this (see the file comment). */
void vcpu_resume(struct vcpu *v)
{
    pthread_mutex_lock(&v->run_lock);
    v->run_state = VCPU_RUNNING;
    pthread_mutex_unlock(&v->run_lock);
}

static void vcpu_futex_wake(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

/* Advance wake_seq; wake the server thread if it sleeps on it. Called
 * with run_lock held. */
static void vcpu_wake_locked(struct vcpu *v)
{
    __atomic_add_fetch(&v->wake_seq, 1, __ATOMIC_SEQ_CST);
    if (v->run_state == VCPU_BLOCKED)
        vcpu_futex_wake(&v->wake_seq);
}

/* vcpu_unblock - end v's SCHEDOP_block/poll, if it is in one (Xen's
 * vcpu_unblock); also used to stop a server thread. */
void vcpu_unblock(struct vcpu *v)
{
    pthread_mutex_lock(&v->run_lock);
    vcpu_wake_locked(v);
    pthread_mutex_unlock(&v->run_lock);
}

/*
 * vcpu_kick - an event became pending for v (Xen's vcpu_kick): unblock it,
 * or if it is running guest code, interrupt it with one kick signal.
 */
void vcpu_kick(struct vcpu *v)
{
    bool signal = false;

    pthread_mutex_lock(&v->run_lock);
    vcpu_wake_locked(v);
    if (v->run_state == VCPU_RUNNING && !v->kick_sent) {
        v->kick_sent = true;
        signal = true;
    }
    pthread_mutex_unlock(&v->run_lock);
    if (signal) {
        v->nr_kicks++;
        platform_kick(v);
    }
}

/*
 * vcpu_wake_pollers - port went pending: wake each vCPU polling it, or
 * polling a set of ports (Xen's evtchn_check_pollers).
 */
void vcpu_wake_pollers(struct domain *d, uint32_t port)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];

        pthread_mutex_lock(&v->run_lock);
        if (v->block_kind == VCPU_BLOCK_POLL &&
            (v->poll_port <= 0 || v->poll_port == (int64_t)port))
            vcpu_wake_locked(v);
        pthread_mutex_unlock(&v->run_lock);
    }
}

/* The earliest moment v's server thread must look at v again: its timers,
 * and a poll's timeout. UINT64_MAX for none. */
uint64_t vcpu_next_deadline(const struct vcpu *v)
{
    uint64_t next = timer_next(v);

    if (v->block_kind == VCPU_BLOCK_POLL && v->poll_timeout &&
        v->poll_timeout < next)
        next = v->poll_timeout;
    return next;
}

static void vcpu_futex_wait(uint32_t *word, uint32_t val, uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000ull),
                          (long)(ns % 1000000000ull)};

    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val,
            ns == UINT64_MAX ? NULL : &ts, NULL, 0);
}

/* Has v's block ended: woken, stopping, or a poll timed out? */
static bool vcpu_wait_over(struct vcpu *v)
{
    if (__atomic_load_n(&v->wake_seq, __ATOMIC_SEQ_CST) != v->block_seq)
        return true;
    if (v->stop || domain_is_stopping(v->dom))
        return true;
    return v->block_kind == VCPU_BLOCK_POLL && v->poll_timeout &&
           time_now(v->dom) >= v->poll_timeout;
}

/*
 * vcpu_wait - sleep, using no CPU, until v's pending SCHEDOP_block/poll
 * ends: an event woke it (vcpu_kick, vcpu_wake_pollers), its poll timed
 * out, or the domain is stopping. Runs v's timers meanwhile (they may be
 * what wakes it). Called by v's server thread, without mm_lock.
 */
void vcpu_wait(struct vcpu *v)
{
    runstate_change(v, RUNSTATE_blocked);
    for (;;) {
        uint32_t seq = v->block_seq;

        timer_run(v);
        pthread_mutex_lock(&v->run_lock);
        if (!vcpu_wait_over(v))
            v->run_state = VCPU_BLOCKED;
        pthread_mutex_unlock(&v->run_lock);
        if (v->run_state != VCPU_BLOCKED)
            break;
        vcpu_futex_wait(&v->wake_seq, seq,
                        time_ns_until(v->dom, vcpu_next_deadline(v)));
        pthread_mutex_lock(&v->run_lock);
        v->run_state = VCPU_IN_HV;
        pthread_mutex_unlock(&v->run_lock);
    }
    pthread_mutex_lock(&v->run_lock);
    v->block_kind = VCPU_BLOCK_NONE;
    v->poll_port = 0;
    pthread_mutex_unlock(&v->run_lock);
    runstate_change(v, RUNSTATE_running);
    time_vcpu_update(v, false);
}
