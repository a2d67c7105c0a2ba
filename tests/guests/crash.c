/* SPDX-License-Identifier: MIT */
/*
 * crash: a guest that faults on purpose. Linked at 0x400000; writes to
 * CRASH_ADDR, far above its bootstrap region and never mapped, with no
 * trap table registered, so the hypervisor must crash the domain and
 * print a register dump.
 *
 * t_crash.sh expects "crash: faulting now", a non-zero exit (1, crash),
 * and "rip" plus the faulting address in veneerd's output. If the write
 * does not fault, the guest says so and powers off (exit 0), which fails
 * the test.
 */
#include <stdint.h>
#include <veneer/console.h>
#include <veneer/runtime.h>

/* Unmapped, canonical, below VENEER_GUEST_VA_LIMIT, and easy to grep for
 * in a register dump. */
#define CRASH_ADDR 0x000000badc0de000ULL

int guest_main(struct start_info *si)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)CRASH_ADDR;

    (void)si;
    printf("crash: faulting now (write to %#llx)\n", CRASH_ADDR);
    console_flush();
    *p = 0x4352415348ULL;
    printf("crash: ERROR the write to %#llx did not fault\n", CRASH_ADDR);
    return 0;
}
