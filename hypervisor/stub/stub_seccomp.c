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
 *       munmap, mprotect without PROT_WRITE   only take access away (or
 *                         add exec, which guest RAM has anyway);
 *       futex(addr, FUTEX_WAIT|FUTEX_WAKE)  addr inside the mailbox file;
 *       close(fd) for fd >= STUB_FD_GRANT_BASE  only the file numbers of
 *                         grant-map ops, where veneerd installs a
 *                         granter's file for one approved mmap: closing
 *                         one only drops it; the RAM memfd and the
 *                         listener stay below, out of reach;
 *       mmap, mprotect with PROT_WRITE   may grant access: sent to veneerd
 *                         as a user notification, which decides;
 *     everything else fails with EPERM, x32 numbers included (they never
 *     equal a whitelisted number).
 */
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/mman.h>
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
     * BPF jumps go forward only, counted from the next instruction: T(i, l)
     * is the offset from instruction i to label l. The return blocks sit
     * at the end so every jump can reach them.
     */
    enum {
        L_FUTEX = 18,
        L_MPROTECT = 27,
        L_CLOSE = 29,
        L_ALLOW = 33,
        L_EPERM,
        L_NOTIFY
    };
#define T(i, l) ((l) - (i)-1)
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
        /* 10 */ JEQ(__NR_rt_sigreturn, T(10, L_ALLOW), 0),
        /* 11 */ JEQ(__NR_exit_group, T(11, L_ALLOW), 0),
        /* 12 */ JEQ(__NR_exit, T(12, L_ALLOW), 0),
        /* 13 */ JEQ(__NR_munmap, T(13, L_ALLOW), 0),
        /* 14 */ JEQ(__NR_mmap, T(14, L_NOTIFY), 0),
        /* 15 */ JEQ(__NR_mprotect, T(15, L_MPROTECT), 0),
        /* 16 */ JEQ(__NR_close, T(16, L_CLOSE), 0),
        /* 17 */ JEQ(__NR_futex, T(17, L_FUTEX), T(17, L_EPERM)),
        /* futex: addr inside the mailbox file, op FUTEX_WAIT or WAKE. */
        /* 18 */ LD_ABS(OFF_ARG_HI(0)),
        /* 19 */ JEQ((uint32_t)(mbox >> 32), 0, T(19, L_EPERM)),
        /* 20 */ LD_ABS(OFF_ARG_LO(0)),
        /* 21 */ JGE((uint32_t)mbox + mbox_len, T(21, L_EPERM), 0),
        /* 22 */ JGE((uint32_t)mbox, 0, T(22, L_EPERM)),
        /* 23 */ LD_ABS(OFF_ARG_HI(1)),
        /* 24 */ JEQ(0, 0, T(24, L_EPERM)),
        /* 25 */ LD_ABS(OFF_ARG_LO(1)),
        /* 26 */ JGE(FUTEX_WAKE + 1, T(26, L_EPERM), T(26, L_ALLOW)),
        /* mprotect: taking rights away is free; adding write is asked.
         * (The kernel refuses prot bits above the low word.) */
        /* 27 */ LD_ABS(OFF_ARG_LO(2)),
        /* 28 */
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_WRITE, T(28, L_NOTIFY),
                 T(28, L_ALLOW)),
        /* close: a grant op's file number (both halves checked: the
         * kernel truncates fd to 32 bits). */
        /* 29 */ LD_ABS(OFF_ARG_HI(0)),
        /* 30 */ JEQ(0, 0, T(30, L_EPERM)),
        /* 31 */ LD_ABS(OFF_ARG_LO(0)),
        /* 32 */ JGE(STUB_FD_GRANT_BASE, T(32, L_ALLOW), T(32, L_EPERM)),
        /* 33 */ RET(R_ALLOW),
        /* 34 */ RET(R_EPERM),
        /* 35 */ RET(R_NOTIFY),
    };
#undef T
    struct sock_fprog fprog = {
        .len = sizeof(prog) / sizeof(prog[0]),
        .filter = prog,
    };

    return stub_syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
                        SECCOMP_FILTER_FLAG_NEW_LISTENER, (long)&fprog, 0, 0,
                        0);
}
