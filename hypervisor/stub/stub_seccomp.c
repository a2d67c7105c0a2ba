/* SPDX-License-Identifier: MIT */
/*
 * The domain process's seccomp filter: the security boundary between a
 * guest and the host.
 *
 * Policy, in order:
 *  1. A call whose architecture is not x86-64 (int 0x80, sysenter from
 *     compat mode) traps to the stub, which crashes the domain.
 *  2. A call made anywhere but the gate (instruction pointer != gate + 2)
 *     is a hypercall: SECCOMP_RET_TRAP raises SIGSYS in the stub.
 *  3. A call from the gate is checked against the whitelist. The guest can
 *     jump to the gate with any registers, so the whitelist is what a guest
 *     could do on the host, and each entry checks its arguments on both
 *     32-bit halves:
 *       rt_sigreturn, exit, exit_group   only affect this process;
 *       futex(addr, FUTEX_WAIT|FUTEX_WAKE)  addr inside the mailbox file;
 *       mmap, mprotect    may grant access: sent to veneerd as a user
 *                         notification, which decides;
 *     everything else fails with EPERM, x32 numbers included (they never
 *     equal a whitelisted number).
 */
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>

#include "stub.h"

#define LD_ABS(off)  BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))
#define RET(v)       BPF_STMT(BPF_RET | BPF_K, (v))

#define OFF_NR        0
#define OFF_ARCH      4
#define OFF_IP_LO     8
#define OFF_IP_HI     12
#define OFF_ARG_LO(n) (16 + 8 * (n))
#define OFF_ARG_HI(n) (20 + 8 * (n))

#define R_TRAP   SECCOMP_RET_TRAP
#define R_ALLOW  SECCOMP_RET_ALLOW
#define R_NOTIFY SECCOMP_RET_USER_NOTIF
#define R_EPERM  (SECCOMP_RET_ERRNO | 1u)

long stub_seccomp_install(void)
{
    const uint64_t gate_ret = (uint64_t)(uintptr_t)stub_gate + 2;
    const uint64_t mbox = VENEER_STUB_MAILBOX;
    const uint32_t mbox_len = (uint32_t)STUB_MBOX_FILE_SIZE;

    /*
     * Jump offsets are relative to the next instruction; the labels in
     * the comments name the targets. Keep the three return blocks at the
     * end, so each jump counts forward to them.
     */
    struct sock_filter prog[] = {
        /* 0 */ LD_ABS(OFF_ARCH),
        /* 1 */ JEQ(AUDIT_ARCH_X86_64, 1, 0),
        /* 2 */ RET(R_TRAP),
        /* 3 */ LD_ABS(OFF_IP_HI),
        /* 4 */ JEQ((uint32_t)(gate_ret >> 32), 1, 0),
        /* 5 */ RET(R_TRAP),
        /* 6 */ LD_ABS(OFF_IP_LO),
        /* 7 */ JEQ((uint32_t)gate_ret, 1, 0),
        /* 8 */ RET(R_TRAP),
        /* From the gate: the whitelist. */
        /* 9 */ LD_ABS(OFF_NR),
        /* 10 */ JEQ(__NR_rt_sigreturn, 8, 0), /* -> 19 allow */
        /* 11 */ JEQ(__NR_exit_group, 7, 0),   /* -> 19 allow */
        /* 12 */ JEQ(__NR_exit, 6, 0),         /* -> 19 allow */
        /* 13 */ JEQ(__NR_mmap, 7, 0),         /* -> 21 notify */
        /* 14 */ JEQ(__NR_mprotect, 6, 0),     /* -> 21 notify */
        /* 15 */ JEQ(__NR_futex, 1, 0),        /* -> 17 futex */
        /* 16 */ RET(R_EPERM),
        /* futex: addr inside the mailbox, op WAIT or WAKE. */
        /* 17 */ LD_ABS(OFF_ARG_HI(0)),
        /* 18 */ JEQ((uint32_t)(mbox >> 32), 3, 1), /* -> 22, 20 */
        /* 19 */ RET(R_ALLOW),
        /* 20 */ RET(R_EPERM),
        /* 21 */ RET(R_NOTIFY),
        /* 22 */ LD_ABS(OFF_ARG_LO(0)),
        /* 23 */ JGE((uint32_t)mbox + mbox_len, 5, 0), /* -> 29 eperm */
        /* 24 */ JGE((uint32_t)mbox, 0, 4),            /* -> 29 eperm */
        /* 25 */ LD_ABS(OFF_ARG_HI(1)),
        /* 26 */ JEQ(0, 0, 2), /* -> 29 eperm */
        /* 27 */ LD_ABS(OFF_ARG_LO(1)),
        /* 28 */ JGE(FUTEX_WAKE + 1, 0, 1), /* -> 30 allow */
        /* 29 */ RET(R_EPERM),
        /* 30 */ RET(R_ALLOW),
    };
    struct sock_fprog fprog = {
        .len = sizeof(prog) / sizeof(prog[0]),
        .filter = prog,
    };

    return stub_syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
                        SECCOMP_FILTER_FLAG_NEW_LISTENER, (long)&fprog, 0, 0,
                        0);
}
