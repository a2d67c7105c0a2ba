/* SPDX-License-Identifier: MIT */
/*
 * The register dump printed when a domain crashes on a fault, in the
 * spirit of Xen's "Domain crashed" output: why, where, and every register.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "veneerd.h"

static const char *crash_signal_name(uint32_t signo)
{
    switch (signo) {
    case SIGSEGV:
        return "page fault or protection fault (SIGSEGV)";
    case SIGBUS:
        return "bus error (SIGBUS)";
    case SIGILL:
        return "invalid opcode (SIGILL)";
    case SIGFPE:
        return "divide error (SIGFPE)";
    case SIGTRAP:
        return "breakpoint (SIGTRAP)";
    default:
        return "unknown fault";
    }
}

/* Print the request's registers; req is veneerd's own copy. */
void crash_dump(struct domain *d, const struct stub_mailbox *req)
{
    fprintf(stderr,
            "veneerd: domain %u (%s) crashed: %s at rip %016llx, address "
            "%016llx\n",
            d->id, d->name, crash_signal_name(req->signo),
            (unsigned long long)req->regs.rip, (unsigned long long)req->addr);
    if (req->trapno != ~0ull)
        fprintf(stderr, "  trap %llu  error code %016llx  cr2 %016llx\n",
                (unsigned long long)req->trapno, (unsigned long long)req->err,
                (unsigned long long)req->addr);
    crash_dump_regs(d, NULL, &req->regs);
}

/* Print a register set, after a headline saying why if `why` is set. */
void crash_dump_regs(struct domain *d, const char *why,
                     const struct stub_regs *r)
{
    if (why)
        fprintf(stderr, "veneerd: domain %u (%s) crashed: %s\n", d->id, d->name,
                why);
    fprintf(stderr,
            "  rip %016llx  rsp %016llx  rflags %016llx\n"
            "  rax %016llx  rbx %016llx  rcx %016llx\n"
            "  rdx %016llx  rsi %016llx  rdi %016llx\n"
            "  rbp %016llx  r8  %016llx  r9  %016llx\n"
            "  r10 %016llx  r11 %016llx  r12 %016llx\n"
            "  r13 %016llx  r14 %016llx  r15 %016llx\n",
            (unsigned long long)r->rip, (unsigned long long)r->rsp,
            (unsigned long long)r->rflags, (unsigned long long)r->rax,
            (unsigned long long)r->rbx, (unsigned long long)r->rcx,
            (unsigned long long)r->rdx, (unsigned long long)r->rsi,
            (unsigned long long)r->rdi, (unsigned long long)r->rbp,
            (unsigned long long)r->r8, (unsigned long long)r->r9,
            (unsigned long long)r->r10, (unsigned long long)r->r11,
            (unsigned long long)r->r12, (unsigned long long)r->r13,
            (unsigned long long)r->r14, (unsigned long long)r->r15);
    fflush(stderr);
}
