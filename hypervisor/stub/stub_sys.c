/* SPDX-License-Identifier: MIT */
/*
 * The stub's system-call helpers. Every call goes through stub_syscall and
 * so through the single gate instruction that the seccomp filter knows.
 */
#include <asm/unistd.h>
#include <linux/futex.h>

#include "stub.h"

void stub_exit(int code)
{
    for (;;)
        stub_syscall(__NR_exit_group, code, 0, 0, 0, 0, 0);
}

/* Shared (not PRIVATE) futexes: veneerd waits on the same words. */
void stub_futex_wait(uint32_t *word, uint32_t val)
{
    stub_syscall(__NR_futex, (long)word, FUTEX_WAIT, val, 0, 0, 0);
}

void stub_futex_wake(uint32_t *word)
{
    stub_syscall(__NR_futex, (long)word, FUTEX_WAKE, 1, 0, 0, 0);
}
