/* SPDX-License-Identifier: MIT */
/*
 * uplib: the few event-channel pieces the upcall_probe and idle_block
 * guests need, self-contained (raw hypercalls, our own entry code), so
 * that they test veneerd's side of upcalls, timers and blocking against
 * Xen's ABI without depending on the guest runtime's own event code.
 */
#ifndef VENEER_TEST_UPLIB_H
#define VENEER_TEST_UPLIB_H

#include <stdint.h>
#include <xen/xen.h>

/* The vcpu_info in use (shared_info's, or a registered one). */
extern volatile struct vcpu_info *up_vi;
extern volatile struct shared_info *up_si;

/* Counters the upcall handler keeps. */
struct up_stats {
    uint64_t upcalls;       /* entries into the event callback */
    uint64_t timer_events;  /* times the VIRQ_TIMER port was found pending */
    uint64_t last_entry_ns; /* pvclock time at the last entry */
    uint64_t last_sel;      /* the selector the last upcall took */
};
extern volatile struct up_stats up_stats;

/* A raw hypercall through the hypercall page (nr < 128). */
long up_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                  unsigned long a3);

/*
 * up_init: map shared_info (update_va_mapping into the bootstrap region's
 * padding), register the event callback, bind VIRQ_TIMER on vCPU 0.
 * Returns 0, or prints why and returns -1.
 */
int up_init(struct start_info *si);

/* The VIRQ_TIMER port up_init bound. */
extern uint32_t up_timer_port;

/* pvclock system time in ns, read as a guest must (96-bit product). */
uint64_t up_now(void);

/* Wallclock: UTC seconds and ns now (wc + system time). */
void up_wallclock(uint64_t *sec, uint32_t *nsec);

/* Mask / unmask upcalls; unmasking forces delivery of a pending one. */
void up_mask(void);
void up_unmask(void);

/* A guest address's machine frame, through the P2M list. */
uint64_t up_mfn_of(struct start_info *si, const void *p);

#endif
