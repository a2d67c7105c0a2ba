/* SPDX-License-Identifier: MIT */
/*
 * pvclock, wallclock, the one-shot timer and sleeping; see
 * <veneer/time.h>.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

static uint64_t time_timer_count;
static evtchn_port_t time_port;
static int time_ready;

static inline uint64_t time_rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* (delta << shift) * mul >> 32, the product taken to 96 bits. */
static uint64_t time_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t time_now_ns(void)
{
    const volatile struct vcpu_time_info *t = &shinfo_vcpu()->time;
    uint32_t version;
    uint64_t tsc_timestamp, system_time, tsc;
    uint32_t mul;
    int8_t shift;

    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        tsc_timestamp = t->tsc_timestamp;
        system_time = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = time_rdtsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);
    /* A TSC read just before a concurrent update may precede the new
     * tsc_timestamp; never go negative. */
    if (tsc < tsc_timestamp)
        return system_time;
    return system_time + time_scale(tsc - tsc_timestamp, mul, shift);
}

void time_wallclock(uint64_t *sec, uint32_t *nsec)
{
    const volatile struct shared_info *s = shinfo;
    uint32_t version, wc_nsec;
    uint64_t wc_sec, now;

    do {
        version = s->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        wc_sec = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
        wc_nsec = s->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != s->wc_version);
    now = time_now_ns() + wc_nsec;
    *sec = wc_sec + now / TIME_NS_PER_SEC;
    *nsec = (uint32_t)(now % TIME_NS_PER_SEC);
}

int time_timer_set(uint64_t deadline_ns)
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = deadline_ns};
    long rc;

    rc = HYPERVISOR_set_timer_op(deadline_ns);
    if (rc != -XEN_ENOSYS)
        return (int)rc;
    if (deadline_ns == 0)
        return (int)HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    return (int)HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

static void time_timer_event(evtchn_port_t port, struct trap_frame *f,
                             void *data)
{
    (void)port;
    (void)f;
    (void)data;
    time_timer_count++;
}

int time_init(void)
{
    int rc;

    if (time_ready)
        return 0;
    rc = evtchn_init();
    /* Xen starts every PV vCPU with a 100 Hz periodic timer on
     * VIRQ_TIMER; stop it, as Linux does, so that the timer fires only
     * when asked. A hypervisor without it has nothing to stop. */
    if (rc == 0) {
        rc = (int)HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
        if (rc == -XEN_ENOSYS)
            rc = 0;
    }
    if (rc == 0)
        rc = evtchn_bind_virq(VIRQ_TIMER, time_timer_event, NULL, &time_port);
    if (rc == 0)
        time_ready = 1;
    return rc;
}

int time_sleep_until(uint64_t deadline_ns)
{
    int prev = evtchn_upcalls_mask();
    int rc = 0;

    /* Mask, check, block: SCHEDOP_block unmasks and re-checks for
     * pending events atomically, so the timer cannot fire unseen between
     * the check and the block. Any other event just goes round again. */
    while (rc == 0 && time_now_ns() < deadline_ns) {
        rc = time_timer_set(deadline_ns);
        if (rc == 0)
            rc = (int)HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        evtchn_upcalls_mask();
    }
    evtchn_upcalls_restore(prev);
    return rc;
}

int time_sleep_ns(uint64_t ns)
{
    return time_sleep_until(time_now_ns() + ns);
}

uint64_t time_timer_events(void)
{
    return __atomic_load_n(&time_timer_count, __ATOMIC_RELAXED);
}

uint32_t time_timer_port(void)
{
    return time_port;
}
