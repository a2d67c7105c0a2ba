/* SPDX-License-Identifier: MIT */
/*
 * System time: the host TSC, calibrated once, scaled to nanoseconds since
 * the domain started, and published to the guest as Xen's pvclock
 * (vcpu_info.time) and wallclock (shared_info wc_*), XEN-ABI-FACTS §3.1,
 * §3.3.
 *
 * A domain's clock is one linear function of the TSC for its whole life,
 * ns = scale(tsc - tsc_base), so veneerd's timers and the guest's own
 * pvclock reads agree to the nanosecond and never step. The pvclock record
 * is rewritten only to move its anchor (tsc_timestamp, system_time) forward
 * in steps where the scaling splits exactly, which keeps the guest's TSC
 * delta short, as Xen's periodic updates do, without changing a single
 * reading.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <x86intrin.h>

#include "veneerd.h"

static struct {
    pthread_once_t once;
    struct time_scale scale;
    uint64_t tsc_khz;
} host_time = {.once = PTHREAD_ONCE_INIT};

/*
 * time_scale_from_ratio - the pvclock scale for a TSC that counted
 * `cycles` in `ns` nanoseconds: shift chosen so that the shifted cycle
 * count lies in (ns, 2 ns], then mul = ns * 2^32 / shifted cycles, a
 * 32.32 fraction in [2^31, 2^32) (Xen's set_time_scale does the same from
 * ticks per second).
 *
 * Parameters: ts (OUT); ns, cycles: both nonzero, below 2^63.
 */
void time_scale_from_ratio(struct time_scale *ts, uint64_t ns, uint64_t cycles)
{
    unsigned __int128 n = ns, c = cycles;
    int shift = 0;

    while (c > 2 * n) {
        n <<= 1;
        shift--;
    }
    while (c <= n) {
        c <<= 1;
        shift++;
    }
    ts->mul = (uint32_t)((n << 32) / c);
    ts->shift = (int8_t)shift;
}

/*
 * time_scale_delta - nanoseconds in `delta` TSC cycles, computed exactly as
 * a guest reads pvclock: shift, then a 96-bit product with mul, >> 32.
 */
uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts)
{
    if (ts->shift < 0)
        delta >>= -ts->shift;
    else
        delta <<= ts->shift;
    return (uint64_t)(((unsigned __int128)delta * ts->mul) >> 32);
}

/* One (TSC, CLOCK_MONOTONIC_RAW) pair, the TSC taken in the middle of the
 * tightest of a few bracketing attempts. */
static void time_sample(uint64_t *tsc, uint64_t *ns)
{
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < 8; i++) {
        struct timespec ts;
        unsigned int aux;
        uint64_t a = __rdtscp(&aux);
        clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
        uint64_t b = __rdtscp(&aux);

        if (b - a < best) {
            best = b - a;
            *tsc = a + (b - a) / 2;
            *ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
        }
    }
}

/* Measure the TSC against the host's raw monotonic clock, once. */
static void time_calibrate(void)
{
    uint64_t t0, n0, t1, n1;

    time_sample(&t0, &n0);
    do
        time_sample(&t1, &n1);
    while (n1 - n0 < VN_TSC_CALIBRATE_NS);
    time_scale_from_ratio(&host_time.scale, n1 - n0, t1 - t0);
    host_time.tsc_khz = (t1 - t0) * 1000000ull / (n1 - n0);
    log_debug("%s: TSC %llu kHz, mul %#x shift %d", __func__,
              (unsigned long long)host_time.tsc_khz, host_time.scale.mul,
              host_time.scale.shift);
}

/* The host TSC's scale (calibrating on first use). */
const struct time_scale *time_host_scale(void)
{
    pthread_once(&host_time.once, time_calibrate);
    return &host_time.scale;
}

/* The host TSC frequency in kHz (calibrating on first use). */
uint64_t time_tsc_khz(void)
{
    pthread_once(&host_time.once, time_calibrate);
    return host_time.tsc_khz;
}

/*
 * time_now - d's system time: nanoseconds since time_domain_start, the
 * value the guest's pvclock reads at this instant.
 */
uint64_t time_now(const struct domain *d)
{
    uint64_t tsc = __rdtsc();

    if (tsc < d->tsc_base)
        return 0;
    return time_scale_delta(tsc - d->tsc_base, time_host_scale());
}

/*
 * time_ns_until - how long until d's system time reaches deadline.
 * Return values: the nanoseconds left, 0 if it has passed, UINT64_MAX for
 * deadline UINT64_MAX (none).
 */
uint64_t time_ns_until(const struct domain *d, uint64_t deadline)
{
    uint64_t now;

    if (deadline == UINT64_MAX)
        return UINT64_MAX;
    now = time_now(d);
    return deadline > now ? deadline - now : 0;
}

/* Xen's seqlock writer: odd while the fields change (XEN-ABI-FACTS §3.1). */
static uint32_t time_write_begin(uint32_t *version)
{
    uint32_t v = (__atomic_load_n(version, __ATOMIC_RELAXED) + 1) | 1;

    __atomic_store_n(version, v, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    return v;
}

static void time_write_end(uint32_t *version, uint32_t v)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(version, v + 1, __ATOMIC_RELAXED);
}

/*
 * The pvclock anchor for TSC value tsc: the last point at or before it
 * whose distance from tsc_base is a multiple of 2^(32 - shift) cycles.
 * There the scaled delta is a whole multiple of 2^32 before the final
 * shift, so system_time + scale(tsc - anchor) == scale(tsc - tsc_base)
 * exactly: re-anchoring never moves the clock.
 */
static uint64_t time_anchor(const struct domain *d, uint64_t tsc)
{
    unsigned int step_bits = 32 - time_host_scale()->shift;

    if (tsc < d->tsc_base)
        return d->tsc_base;
    return d->tsc_base + (((tsc - d->tsc_base) >> step_bits) << step_bits);
}

/*
 * time_vcpu_update - (re)write v's pvclock record with the current anchor,
 * as Xen does when a vCPU is scheduled in; unless force, only if the
 * anchor moved. Called by the vCPU's own server thread.
 */
void time_vcpu_update(struct vcpu *v, bool force)
{
    struct vcpu_time_info *t = &upcall_vcpu_info(v)->time;
    const struct time_scale *ts = time_host_scale();
    uint64_t anchor = time_anchor(v->dom, __rdtsc());
    uint32_t ver;

    if (!force &&
        __atomic_load_n(&t->tsc_timestamp, __ATOMIC_RELAXED) == anchor)
        return;
    ver = time_write_begin(&t->version);
    t->tsc_timestamp = anchor;
    t->system_time = time_scale_delta(anchor - v->dom->tsc_base, ts);
    t->tsc_to_system_mul = ts->mul;
    t->tsc_shift = ts->shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    time_write_end(&t->version, ver);
}

/* shared_info wallclock: UTC at system time 0, under wc_version. */
static void time_write_wallclock(struct domain *d)
{
    struct shared_info *s = upcall_shared_info(d);
    struct timespec real;
    uint64_t now, wc;
    uint32_t ver;

    now = time_now(d);
    clock_gettime(CLOCK_REALTIME, &real);
    wc = (uint64_t)real.tv_sec * 1000000000ull + (uint64_t)real.tv_nsec - now;
    ver = time_write_begin(&s->wc_version);
    s->wc_sec = (uint32_t)(wc / 1000000000ull);
    s->wc_sec_hi = (uint32_t)((wc / 1000000000ull) >> 32);
    s->wc_nsec = (uint32_t)(wc % 1000000000ull);
    time_write_end(&s->wc_version, ver);
}

/*
 * time_domain_start - start d's system time at 0 now; publish the pvclock
 * of every vCPU and the wallclock. Called once, before the guest runs.
 */
void time_domain_start(struct domain *d)
{
    time_host_scale();
    d->tsc_base = __rdtsc();
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        time_vcpu_update(&d->vcpus[i], true);
    time_write_wallclock(d);
}
