/* SPDX-License-Identifier: MIT */
/*
 * Time: system time from the pvclock in vcpu_info.time, the wallclock
 * from shared_info, the one-shot timer, and sleeping on it.
 *
 * pvclock (XEN-ABI-FACTS §3.1): read version (retry while odd), copy the
 * fields, re-read version (retry if it moved); then
 *   now = system_time + ((rdtsc - tsc_timestamp) << tsc_shift) * mul >> 32
 * with a negative shift meaning a right shift and a 96-bit product.
 * Wallclock (§3.3): wc_sec_hi:wc_sec + wc_nsec is UTC at system time 0,
 * under the same seqlock protocol (wc_version).
 *
 * The timer: set_timer_op(deadline) raises VIRQ_TIMER once system time
 * reaches the deadline (at once if it has passed); VCPUOP_set_singleshot_
 * timer does the same. time_sleep_ns arms it and blocks with
 * SCHEDOP_block, which atomically unmasks upcalls, until the deadline.
 *
 * Single-vCPU (vCPU 0's time info), no locking.
 */
#ifndef VENEER_TIME_H
#define VENEER_TIME_H

#include <stdint.h>

#define TIME_NS_PER_SEC 1000000000ULL

/*
 * time_init: evtchn_init (which maps shared_info), stop the periodic
 * timer Xen gives every PV vCPU (100 Hz, VCPUOP_stop_periodic_timer), and
 * bind VIRQ_TIMER to the runtime's counting handler, so that the timer
 * fires only as time_timer_set asks. Upcalls stay as they were;
 * time_sleep_ns opens them while it blocks. Idempotent.
 *
 * Return values: 0; the first failing step's error.
 */
int time_init(void);

/*
 * time_now_ns: system time in ns (since the domain started) from vCPU 0's
 * pvclock; shared_info must be mapped (shinfo_map or time_init).
 */
uint64_t time_now_ns(void);

/*
 * time_wallclock: current UTC = the shared_info wallclock + time_now_ns.
 *
 * Parameters: sec, nsec - OUT: seconds since the epoch and nanoseconds.
 */
void time_wallclock(uint64_t *sec, uint32_t *nsec);

/*
 * time_timer_set: one VIRQ_TIMER when system time reaches deadline_ns
 * (0 cancels): set_timer_op, or VCPUOP_set_singleshot_timer if
 * set_timer_op is missing.
 *
 * Return values: 0; the hypercall's error.
 */
int time_timer_set(uint64_t deadline_ns);

/*
 * time_sleep_until: block (SCHEDOP_block, upcalls open) until system time
 * reaches deadline_ns, re-arming the timer for it; returns with upcalls
 * masked or not as they were on entry. Needs time_init.
 *
 * Return values: 0; time_timer_set's or sched_op's error.
 */
int time_sleep_until(uint64_t deadline_ns);

/* time_sleep_ns: time_sleep_until(time_now_ns() + ns). */
int time_sleep_ns(uint64_t ns);

/* time_timer_events: VIRQ_TIMER events delivered since time_init. */
uint64_t time_timer_events(void);

/* time_timer_port: the event channel VIRQ_TIMER is bound to (0 before
 * time_init). */
uint32_t time_timer_port(void);

#endif /* VENEER_TIME_H */
