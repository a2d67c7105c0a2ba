/* SPDX-License-Identifier: MIT */
/*
 * Host peer loops of benchmark (b) that need no seccomp filter: a plain
 * system call (getppid) and the spinning mailbox hand-off alone. Each call
 * is bracketed by tsc_read, as in the hcloop guest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tsc.h"
#include "vnbench.h"

/* Words in struct stub_regs (hypervisor/stub_abi.h): what the stub posts. */
#define LOOPS_NREGS 20u

/* Untimed round trips first, so the server thread is up and spinning. */
#define LOOPS_WARMUP 1000u

/* A raw system call, as the guest's raw hypercall form issues it. */
static inline long loops_syscall0(long nr)
{
    long ret;

    asm volatile("syscall" : "=a"(ret) : "0"(nr) : "rcx", "r11", "memory");
    return ret;
}

/*
 * loops_getppid - n getppid() calls, each timed.
 * Parameters: n - calls; r - OUT: per-call ticks.
 */
void loops_getppid(unsigned long n, struct loop_result *r)
{
    long want = getppid();
    uint64_t start;

    hist_init(&r->calls);
    r->ovh = clock_bracket_ticks();
    start = tsc_read();
    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0 = tsc_read();
        long got = loops_syscall0(SYS_getppid);
        uint64_t t1 = tsc_read();

        if (got != want) {
            snprintf(r->note, sizeof(r->note), "getppid returned %ld", got);
            return;
        }
        hist_add(&r->calls, t1 - t0);
    }
    r->loop = tsc_read() - start;
    r->ok = 1;
}

/*
 * loops_handoff - n round trips through the spinning mailbox model with a
 * stub-sized register block.
 * Parameters: n - calls; r - OUT: per-call ticks, or a note why not run.
 */
void loops_handoff(unsigned long n, struct loop_result *r)
{
    uint64_t regs[LOOPS_NREGS] = {0};
    struct handoff *h;
    uint64_t start;

    hist_init(&r->calls);
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        snprintf(r->note, sizeof(r->note), "needs 2 CPUs");
        return;
    }
    h = handoff_start();
    if (!h) {
        snprintf(r->note, sizeof(r->note), "no thread: %s", strerror(errno));
        return;
    }
    r->ovh = clock_bracket_ticks();
    for (unsigned int i = 0; i < LOOPS_WARMUP; i++)
        handoff_call(h, regs, LOOPS_NREGS);
    start = tsc_read();
    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0, t1;

        regs[0] = i;
        t0 = tsc_read();
        handoff_call(h, regs, LOOPS_NREGS);
        t1 = tsc_read();
        hist_add(&r->calls, t1 - t0);
    }
    r->loop = tsc_read() - start;
    r->ok = 1;
    handoff_stop(h);
}
