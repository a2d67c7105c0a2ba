/* SPDX-License-Identifier: MIT */
/*
 * Guest traps in the stub: SIGSYS (a hypercall, or a refused system-call
 * entry), the fault signals and the kick signal. Each becomes a request in
 * the vCPU's mailbox; veneerd's answer is applied to the signal frame, and returning
 * from the handler resumes the guest.
 */
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/mman.h>
#include <linux/signal.h>

#include "stub.h"

#define SA_SIGINFO_    0x00000004ul
#define SA_ONSTACK_    0x08000000ul
#define SA_RESTORER_   0x04000000ul
#define SS_AUTODISARM_ (1u << 31)

/* Spin this many pause loops (~35 ns each here, so ~70 us) for veneerd's
 * answer before sleeping: long enough for any hypercall served on another
 * CPU, short enough that a stub sharing veneerd's CPU gives it up soon
 * (20000 cost ~0.7 ms per call in that case, measured). */
#define STUB_SPIN_LOOPS 2000u

/* Signal stacks, one per vCPU, in the stub's data area. */
static uint8_t stub_sigstacks[1][STUB_SIGSTACK_SIZE]
    __attribute__((aligned(4096)));

struct stub_mailbox *stub_mailbox_of(unsigned int vcpu)
{
    return (struct stub_mailbox *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                              STUB_MBOX_VCPU_OFFSET(vcpu));
}

/* The vCPU a handler runs for, from the signal stack it runs on. */
static unsigned int stub_current_vcpu(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t base = (uintptr_t)stub_sigstacks;

    if (sp < base)
        return 0;
    return (unsigned int)((sp - base) / STUB_SIGSTACK_SIZE);
}

static void stub_save_regs(struct stub_regs *r, const struct sigcontext *c)
{
    r->rax = c->rax;
    r->rbx = c->rbx;
    r->rcx = c->rcx;
    r->rdx = c->rdx;
    r->rsi = c->rsi;
    r->rdi = c->rdi;
    r->rbp = c->rbp;
    r->rsp = c->rsp;
    r->r8 = c->r8;
    r->r9 = c->r9;
    r->r10 = c->r10;
    r->r11 = c->r11;
    r->r12 = c->r12;
    r->r13 = c->r13;
    r->r14 = c->r14;
    r->r15 = c->r15;
    r->rip = c->rip;
    r->rflags = c->eflags;
    r->fs_base = 0;
    r->gs_base = 0;
}

/* Post the request in mb and wait for veneerd's answer (see stub_abi.h). */
static void stub_call_veneerd(struct stub_mailbox *mb)
{
    uint32_t seen = __atomic_load_n(&mb->rsp_seq, __ATOMIC_ACQUIRE);
    uint32_t req = __atomic_load_n(&mb->req_seq, __ATOMIC_RELAXED);

    __atomic_store_n(&mb->req_seq, req + 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&mb->veneerd_sleeping, __ATOMIC_SEQ_CST))
        stub_futex_wake(&mb->req_seq);

    for (uint32_t i = 0; i < STUB_SPIN_LOOPS; i++) {
        if (__atomic_load_n(&mb->rsp_seq, __ATOMIC_ACQUIRE) != seen)
            return;
        if (__atomic_load_n(&mb->veneerd_waiting, __ATOMIC_RELAXED))
            break; /* an event, not veneerd, ends this wait: sleep */
        __builtin_ia32_pause();
    }
    for (;;) {
        __atomic_store_n(&mb->stub_sleeping, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&mb->rsp_seq, __ATOMIC_SEQ_CST) != seen)
            break;
        stub_futex_wait(&mb->rsp_seq, seen);
    }
    __atomic_store_n(&mb->stub_sleeping, 0, __ATOMIC_RELAXED);
}

/* Park this vCPU: veneerd is stopping the domain and will kill us. */
static void stub_halt(struct stub_mailbox *mb) __attribute__((noreturn));
static void stub_halt(struct stub_mailbox *mb)
{
    for (;;) {
        uint32_t seen = __atomic_load_n(&mb->rsp_seq, __ATOMIC_ACQUIRE);
        stub_futex_wait(&mb->rsp_seq, seen);
    }
}

/*
 * Run one chunk of mapping ops; 0, or the failing index + 1. A grant map
 * closes its file number after the mmap, whatever came of it: veneerd put
 * the granter's file there only for this call (stub_abi.h).
 */
static uint32_t stub_run_ops(struct stub_mailbox *mb, unsigned int vcpu,
                             int32_t *err)
{
    const struct stub_op *ops =
        (const struct stub_op *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                            STUB_MBOX_OPS_OFFSET(vcpu));
    uint32_t n = mb->nr_ops;

    if (n > STUB_MAX_OPS)
        n = STUB_MAX_OPS;
    for (uint32_t i = 0; i < n; i++) {
        struct stub_op op = ops[i];
        long prot = 0, fd = STUB_FD_RAM, rc, rc_close;

        if (op.kind == STUB_OP_UNMAP) {
            rc = stub_syscall(__NR_munmap, (long)op.va, (long)op.len, 0, 0, 0,
                              0);
        } else {
            prot |= op.prot & STUB_PROT_READ ? PROT_READ : 0;
            prot |= op.prot & STUB_PROT_WRITE ? PROT_WRITE : 0;
            prot |= op.prot & STUB_PROT_EXEC ? PROT_EXEC : 0;
            if (op.kind == STUB_OP_MAP_GRANT)
                fd = op.fd;
            rc = stub_syscall(__NR_mmap, (long)op.va, (long)op.len, prot,
                              MAP_SHARED | MAP_FIXED, fd, (long)op.offset);
            if (op.kind == STUB_OP_MAP_GRANT) {
                rc_close = stub_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
                if (!(rc < 0 && rc > -4096) && rc_close < 0)
                    rc = rc_close;
            }
        }
        if (rc < 0 && rc > -4096) {
            *err = (int32_t)rc;
            return i + 1;
        }
    }
    return 0;
}

/* STUB_ACT_SET_REGS: the guest resumes with veneerd's register set. The
 * kernel's sigreturn keeps cs/ss and sanitises rflags. */
static void stub_load_regs(struct sigcontext *c, const struct stub_mailbox *mb)
{
    const struct stub_regs *r = &mb->out;

    c->rax = r->rax;
    c->rbx = r->rbx;
    c->rcx = r->rcx;
    c->rdx = r->rdx;
    c->rsi = r->rsi;
    c->rdi = r->rdi;
    c->rbp = r->rbp;
    c->rsp = r->rsp;
    c->r8 = r->r8;
    c->r9 = r->r9;
    c->r10 = r->r10;
    c->r11 = r->r11;
    c->r12 = r->r12;
    c->r13 = r->r13;
    c->r14 = r->r14;
    c->r15 = r->r15;
    c->rip = r->rip;
    c->eflags = r->rflags;
    /* Segment bases are thread state that sigreturn leaves alone: set
     * them here (FSGSBASE; the guest could do the same itself). */
    if (mb->out_flags & STUB_OUT_FS_BASE)
        __asm__ volatile("wrfsbase %0" : : "r"(r->fs_base));
    if (mb->out_flags & STUB_OUT_GS_BASE)
        __asm__ volatile("wrgsbase %0" : : "r"(r->gs_base));
}

/*
 * Apply veneerd's answer: run the mapping ops it sent (asking for more
 * while it has them), then hand the guest its result.
 */
static void stub_apply(struct stub_mailbox *mb, unsigned int vcpu,
                       struct sigcontext *c)
{
    uint32_t action;

    for (;;) {
        uint32_t failed;
        int32_t err = 0;

        action = __atomic_load_n(&mb->action, __ATOMIC_ACQUIRE);
        if (action != STUB_ACT_RETURN && action != STUB_ACT_RESUME &&
            action != STUB_ACT_SET_REGS)
            stub_halt(mb);
        failed = stub_run_ops(mb, vcpu, &err);
        if (failed) {
            mb->kind = STUB_REQ_OPS_FAILED;
            mb->op_failed = failed - 1;
            mb->op_errno = err;
        } else if (mb->ops_more) {
            mb->kind = STUB_REQ_MORE_OPS;
        } else {
            break;
        }
        stub_call_veneerd(mb);
    }
    if (action == STUB_ACT_RETURN)
        c->rax = (uint64_t)mb->ret;
    else if (action == STUB_ACT_SET_REGS)
        stub_load_regs(c, mb);
}

static void stub_on_sigsys(int sig, void *info, void *ctx)
{
    struct stub_siginfo *si = info;
    struct stub_ucontext *uc = ctx;
    unsigned int vcpu = stub_current_vcpu();
    struct stub_mailbox *mb = stub_mailbox_of(vcpu);

    (void)sig;
    /* EVTCHNOP_send on a port veneerd marked: posted, no round trip. */
    if (si->u.sys.arch == AUDIT_ARCH_X86_64 &&
        stub_evtchn_send(mb, &uc->mcontext))
        return;
    stub_save_regs(&mb->regs, &uc->mcontext);
    if (si->u.sys.arch != AUDIT_ARCH_X86_64) {
        mb->kind = STUB_REQ_BADCALL;
        mb->arch = si->u.sys.arch;
    } else {
        mb->kind = STUB_REQ_HYPERCALL;
    }
    stub_call_veneerd(mb);
    stub_apply(mb, vcpu, &uc->mcontext);
}

static void stub_on_fault(int sig, void *info, void *ctx)
{
    struct stub_siginfo *si = info;
    struct stub_ucontext *uc = ctx;
    unsigned int vcpu = stub_current_vcpu();
    struct stub_mailbox *mb = stub_mailbox_of(vcpu);

    /* The stub's own probe of a guest argument faulted: not the guest's
     * fault; the probe returns ~0 instead. */
    if (uc->mcontext.rip == (uint64_t)(uintptr_t)stub_probe_insn) {
        uc->mcontext.rip = (uint64_t)(uintptr_t)stub_probe_fault;
        return;
    }
    stub_save_regs(&mb->regs, &uc->mcontext);
    mb->kind = STUB_REQ_FAULT;
    mb->signo = (uint32_t)sig;
    mb->si_code = si->code;
    mb->addr = (uint64_t)(uintptr_t)si->u.addr;
    /* The sigcontext's trap fields are only fresh for SIGSEGV. */
    mb->trapno = sig == SIGSEGV ? uc->mcontext.trapno : ~0ull;
    mb->err = sig == SIGSEGV ? uc->mcontext.err : 0;
    stub_call_veneerd(mb);
    stub_apply(mb, vcpu, &uc->mcontext);
}

/* The kick signal interrupts the guest and posts a request: the guest's
 * registers go to veneerd, which delivers a pending event or resumes. */
static void stub_on_kick(int sig, void *info, void *ctx)
{
    struct stub_ucontext *uc = ctx;
    unsigned int vcpu = stub_current_vcpu();
    struct stub_mailbox *mb = stub_mailbox_of(vcpu);

    (void)sig;
    (void)info;
    stub_save_regs(&mb->regs, &uc->mcontext);
    mb->kind = STUB_REQ_KICK;
    stub_call_veneerd(mb);
    stub_apply(mb, vcpu, &uc->mcontext);
}

/* Every handler runs with the kick blocked: a request in flight owns the
 * mailbox until it is answered (stub_abi.h, STUB_SIG_KICK). */
static int stub_handle(int sig, void (*fn)(int, void *, void *))
{
    struct stub_sigaction sa = {
        .handler = fn,
        .flags = SA_SIGINFO_ | SA_ONSTACK_ | SA_RESTORER_,
        .restorer = stub_restorer,
        .mask = 1ull << (STUB_SIG_KICK - 1),
    };

    return (int)stub_syscall(__NR_rt_sigaction, sig, (long)&sa, 0,
                             sizeof(sa.mask), 0, 0);
}

/* Install the signal stack and handlers for vCPU 0. */
int stub_trap_install(void)
{
    static const int faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
    struct {
        void *sp;
        int32_t flags;
        size_t size;
    } ss = {stub_sigstacks[0], 0, STUB_SIGSTACK_SIZE};
    long rc;

    rc = stub_syscall(__NR_sigaltstack, (long)&ss, 0, 0, 0, 0, 0);
    if (rc < 0)
        return (int)rc;
    rc = stub_handle(SIGSYS, stub_on_sigsys);
    for (unsigned int i = 0; rc == 0 && i < sizeof(faults) / sizeof(*faults);
         i++)
        rc = stub_handle(faults[i], stub_on_fault);
    if (rc == 0)
        rc = stub_handle(STUB_SIG_KICK, stub_on_kick);
    return (int)rc;
}
