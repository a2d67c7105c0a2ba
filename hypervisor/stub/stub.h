/* SPDX-License-Identifier: MIT */
/*
 * Internal header of the domain stub: the small static program each domain
 * process runs. It maps guest RAM, locks itself down, starts the guest and
 * then only turns guest traps into mailbox requests for veneerd.
 *
 * The stub is guest-controlled: the guest can read and write its data and
 * jump anywhere in its code, so nothing here is trusted by veneerd and the
 * seccomp filter, not this code, is the security boundary.
 *
 * Freestanding: no libc; kernel UAPI headers only.
 */
#ifndef VENEER_STUB_H
#define VENEER_STUB_H

#include <stddef.h>
#include <stdint.h>
#include <asm/sigcontext.h>

#include "stub_abi.h"

/* Every stub symbol is local to the static image: no GOT indirection. */
#pragma GCC visibility push(hidden)

/* Kernel ABI structures the stub needs (x86-64 rt_sigaction / sigframe). */
struct stub_sigaction {
    void (*handler)(int, void *, void *);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

struct stub_siginfo {
    int32_t signo;
    int32_t err_no;
    int32_t code;
    int32_t pad;
    union {
        void *addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
        struct {
            void *call_addr;
            int32_t syscall;
            uint32_t arch;
        } sys; /* SIGSYS */
    } u;
};

struct stub_ucontext {
    unsigned long flags;
    struct stub_ucontext *link;
    struct {
        void *sp;
        int32_t flags;
        size_t size;
    } stack;
    struct sigcontext mcontext;
    uint64_t sigmask;
};

/* stub_entry.S */
long stub_gate(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
void stub_restorer(void);
uint64_t stub_probe_u32(uint64_t va);
extern const char stub_probe_insn[], stub_probe_fault[];
void stub_enter_guest(uint64_t rip, uint64_t rsp, uint64_t rsi)
    __attribute__((noreturn));

/* stub_sys.c: system calls, all through the single gate. */
long stub_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
                  long a6);
void stub_exit(int code) __attribute__((noreturn));
void stub_futex_wait(uint32_t *word, uint32_t val);
void stub_futex_wake(uint32_t *word);

/* stub_seccomp.c */
long stub_seccomp_install(void);

/* stub_trap.c */
int stub_trap_install(void);
struct stub_mailbox *stub_mailbox_of(unsigned int vcpu);

/* stub_evtchn.c */
int stub_evtchn_send(struct stub_mailbox *mb, struct sigcontext *c);

#pragma GCC visibility pop

#endif /* VENEER_STUB_H */
