/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for system time (time.c) and the per-vCPU timers (timer.c):
 * the pvclock scale, the guest's reading formula against veneerd's clock
 * across re-anchoring, the wallclock, and when timers fire.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include <xen/event_channel.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

#define NS_PER_S 1000000000ull

/* What a guest computes from a pvclock record (XEN-ABI-FACTS §3.1). */
static uint64_t guest_read(const struct vcpu_time_info *t, uint64_t tsc)
{
    struct time_scale ts = {t->tsc_to_system_mul, t->tsc_shift};

    return t->system_time + time_scale_delta(tsc - t->tsc_timestamp, &ts);
}

static void check_frequency(uint64_t hz)
{
    struct time_scale ts;
    uint64_t ns;

    time_scale_from_ratio(&ts, NS_PER_S, hz);
    cr_assert_geq(ts.mul, 1u << 31, "%llu Hz: mul %#x not normalised",
                  (unsigned long long)hz, ts.mul);
    ns = time_scale_delta(hz, &ts);
    /* mul is truncated (under 2^-31 slow) and a negative shift drops
     * low cycle bits: a nanosecond or two per second at most. */
    cr_assert(ns >= NS_PER_S - 2 && ns <= NS_PER_S,
              "%llu Hz: one second of cycles reads %llu ns",
              (unsigned long long)hz, (unsigned long long)ns);
    ns = time_scale_delta(hz * 3600, &ts);
    cr_assert(ns >= 3600 * NS_PER_S - 2000 && ns <= 3600 * NS_PER_S,
              "%llu Hz: one hour reads %llu ns", (unsigned long long)hz,
              (unsigned long long)ns);
}

Test(time_scale, one_second_of_cycles_is_one_second)
{
    static const uint64_t hz[] = {
        1000000000ull,  2249998022ull, 3700000000ull, 100000000ull,
        19999999999ull, 1000000001ull, 999999999ull,  32768ull,
    };

    for (unsigned int i = 0; i < sizeof(hz) / sizeof(*hz); i++)
        check_frequency(hz[i]);
}

Test(time_scale, shift_follows_xen)
{
    struct time_scale ts;

    /* 2.25 GHz: halve once to land in (1, 2] GHz. */
    time_scale_from_ratio(&ts, NS_PER_S, 2250000000ull);
    cr_assert_eq(ts.shift, -1);
    cr_assert_eq(ts.mul, (uint32_t)((NS_PER_S << 32) / 1125000000ull));
    /* 100 MHz: double four times to 1.6 GHz. */
    time_scale_from_ratio(&ts, NS_PER_S, 100000000ull);
    cr_assert_eq(ts.shift, 4);
    /* Exactly 1 GHz is not above 1 GHz: doubled, mul = 2^31. */
    time_scale_from_ratio(&ts, NS_PER_S, NS_PER_S);
    cr_assert_eq(ts.shift, 1);
    cr_assert_eq(ts.mul, 1u << 31);
}

Test(time_scale, ratio_form_matches_hz_form)
{
    struct time_scale a, b;

    /* 2 ms of a 2.249998022 GHz TSC. */
    time_scale_from_ratio(&a, 2000000, 4499996);
    time_scale_from_ratio(&b, NS_PER_S, 2249998000ull);
    cr_assert_eq(a.shift, b.shift);
    cr_assert_lt(a.mul > b.mul ? a.mul - b.mul : b.mul - a.mul, 16);
}

Test(time_scale, host_calibration_is_sane)
{
    const struct time_scale *ts = time_host_scale();
    uint64_t khz = time_tsc_khz();

    cr_assert_gt(khz, 100000);    /* > 100 MHz */
    cr_assert_lt(khz, 100000000); /* < 100 GHz */
    cr_assert_geq(ts->mul, 1u << 31);
}

static struct fixture f;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    d = fixture_domain(&f, 0x400000ull, 1024, "");
    v = &d->vcpus[0];
}

static void teardown(void)
{
    domain_destroy(d);
    d = NULL;
}

TestSuite(pvclock, .init = setup, .fini = teardown);

Test(pvclock, guest_reading_equals_veneerd_clock_after_reanchor)
{
    const struct time_scale *ts = time_host_scale();
    struct vcpu_time_info *t = &upcall_vcpu_info(v)->time;
    uint64_t back;

    time_domain_start(d);
    cr_assert_eq(t->version % 2, 0);
    cr_assert_eq(t->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
    /* Pretend the domain started long ago (half the host's uptime, many
     * anchor steps): the anchor moves on. */
    back = d->tsc_base / 2;
    cr_assert_gt(back, 4ull << (32 - ts->shift));
    d->tsc_base -= back;
    time_vcpu_update(v, true);
    cr_assert_eq(t->version % 2, 0);
    cr_assert_gt(t->tsc_timestamp, d->tsc_base);
    cr_assert_lt(__rdtsc() - t->tsc_timestamp, 1ull << (33 - ts->shift));
    for (uint64_t k = 0; k < 1000000; k += 997) {
        uint64_t tsc = t->tsc_timestamp + k * 7919;

        cr_assert_eq(guest_read(t, tsc),
                     time_scale_delta(tsc - d->tsc_base, ts),
                     "reading differs %llu cycles past the anchor",
                     (unsigned long long)(k * 7919));
    }
}

Test(pvclock, update_without_force_keeps_the_version_until_the_anchor_moves)
{
    struct vcpu_time_info *t = &upcall_vcpu_info(v)->time;
    uint32_t ver;

    time_domain_start(d);
    ver = t->version;
    time_vcpu_update(v, false);
    cr_assert_eq(t->version, ver);
    time_vcpu_update(v, true);
    cr_assert_eq(t->version, ver + 2);
}

Test(pvclock, wallclock_is_utc_at_system_time_zero)
{
    struct shared_info *s = upcall_shared_info(d);
    struct timespec real;
    uint64_t wc, now_sys, now_real;
    int64_t diff;

    time_domain_start(d);
    cr_assert_eq(s->wc_version % 2, 0);
    now_sys = time_now(d);
    clock_gettime(CLOCK_REALTIME, &real);
    now_real = (uint64_t)real.tv_sec * NS_PER_S + (uint64_t)real.tv_nsec;
    wc = (((uint64_t)s->wc_sec_hi << 32) | s->wc_sec) * NS_PER_S + s->wc_nsec;
    cr_assert_lt(s->wc_nsec, NS_PER_S);
    diff = (int64_t)(now_real - (wc + now_sys));
    cr_assert_lt(llabs(diff), 1000000, "off by %lld ns", (long long)diff);
}

/* Bind VIRQ_TIMER for v through the hypercall, as a guest would. */
static uint32_t bind_timer(void)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    gva_t arg = d->stack_top - 64;
    uint64_t a[5] = {EVTCHNOP_bind_virq, arg};

    cr_assert_eq(gmem_copy_to(v, arg, &b, sizeof(b)), 0);
    cr_assert_eq(hc_event_channel_op(v, a), 0);
    cr_assert_eq(gmem_copy_from(v, &b, arg, sizeof(b)), 0);
    return b.port;
}

TestSuite(timer, .init = setup, .fini = teardown);

Test(timer, singleshot_fires_once_when_due)
{
    struct shared_info *s = upcall_shared_info(d);
    uint32_t port;
    uint64_t a[5] = {0};

    time_domain_start(d);
    timer_set_periodic(v, 0);
    port = bind_timer();
    cr_assert_eq(port, 1);
    a[0] = time_now(d) + 3600 * NS_PER_S;
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    cr_assert_eq(timer_next(v), a[0]);
    timer_run(v);
    cr_assert(!evtchn_2l_is_pending(s, port), "fired an hour early");
    a[0] = time_now(d) > 10 ? time_now(d) - 10 : 1; /* already passed */
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    timer_run(v);
    cr_assert(evtchn_2l_is_pending(s, port));
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_upcall_pending, 1);
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_pending_sel, 1);
    cr_assert_eq(timer_next(v), UINT64_MAX, "a singleshot fires once");
}

Test(timer, zero_cancels_and_huge_deadlines_fall_back)
{
    uint64_t a[5] = {0};
    uint64_t now;

    time_domain_start(d);
    a[0] = time_now(d) + NS_PER_S;
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    a[0] = 0;
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    cr_assert(!v->timer_armed);
    now = time_now(d);
    a[0] = now + (1ull << 51); /* beyond 2^50 ns ahead */
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    cr_assert(v->timer_armed);
    cr_assert_leq(v->timer_deadline, time_now(d) + VN_TIMER_HUGE_FALLBACK_NS);
    cr_assert_geq(v->timer_deadline, now + VN_TIMER_HUGE_FALLBACK_NS);
    a[0] = (uint64_t)-5; /* negative */
    cr_assert_eq(hc_set_timer_op(v, a), 0);
    cr_assert_leq(v->timer_deadline, time_now(d) + VN_TIMER_HUGE_FALLBACK_NS);
}

Test(timer, default_period_is_xens_100hz_and_counts_only_when_bound)
{
    time_domain_start(d);
    cr_assert_eq(v->periodic_period, VN_PV_DEFAULT_PERIOD_NS);
    cr_assert_eq(timer_next(v), UINT64_MAX, "unbound VIRQ_TIMER: no wakes");
    bind_timer();
    cr_assert_eq(timer_next(v), VN_PV_DEFAULT_PERIOD_NS);
    timer_set_periodic(v, 0);
    cr_assert_eq(timer_next(v), UINT64_MAX);
}
