/* SPDX-License-Identifier: MIT */
/*
 * Guest faults: the host signal the stub caught becomes the x86 exception
 * the guest would have taken on Xen, bounced to the handler in its virtual
 * IDT (set_trap_table) with Xen's frame and, where the vector has one, its
 * error code (Xen's pv_inject_event). No handler, or a frame that cannot
 * be written, crashes the domain with a register dump.
 *
 * The host's page-fault error code describes the host's page tables, so
 * the guest's is rebuilt from its own: present as its walk says, write and
 * instruction-fetch as the access was, user clear (the guest kernel took
 * it; Veneer has no guest user mode yet). cr2 goes to vcpu_info.arch.cr2.
 *
 * Signal to vector: SIGSEGV is #PF (trapno 14) or #GP; SIGILL is #UD
 * (unless it is Xen's forced-emulation CPUID); SIGFPE is #DE, #MF or #XM;
 * SIGTRAP is #BP (int3) or #DB; SIGBUS from an alignment check is #AC.
 * A #GP from a native iretq to Xen's flat selectors is completed instead
 * (emul_x86.c).
 * An `int $n` the host refused (#GP with the IDT bit) reaches vector n if
 * the guest's gate allows kernel callers, as Xen does.
 */
#include <signal.h>
#include <stdio.h>

#include "veneerd.h"

/* x86 exception vectors (SDM vol. 3, 6.3.1). */
#define X86_EXC_DE 0
#define X86_EXC_DB 1
#define X86_EXC_BP 3
#define X86_EXC_UD 6
#define X86_EXC_GP 13
#define X86_EXC_PF 14
#define X86_EXC_MF 16
#define X86_EXC_AC 17
#define X86_EXC_XM 19

/* Page-fault error code bits (SDM vol. 3, 4.7). */
#define PFEC_PRESENT 0x01u
#define PFEC_WRITE   0x02u
#define PFEC_USER    0x04u
#define PFEC_INSN    0x10u

/* #GP error code: bit 1 says it names an IDT entry, bit 0 an external
 * event; an `int $n` through a gate of too low a DPL gives (n << 3) | 2. */
#define XEC_EXT 0x1u
#define XEC_IDT 0x2u

/* The exception a fault stands for. */
struct trap_event {
    unsigned int vector;
    bool has_err;
    uint32_t err;
    bool soft; /* an `int $n`: no error code, rip past the instruction */
};

/*
 * trap_pf_error_code - the page-fault error code the guest sees.
 * Parameters: host_err, the host's code (its write and instruction-fetch
 * bits describe the access); guest_present, whether the guest's own walk
 * found a present translation.
 */
uint32_t trap_pf_error_code(uint64_t host_err, bool guest_present)
{
    uint32_t err = (uint32_t)host_err & (PFEC_WRITE | PFEC_INSN);

    if (guest_present)
        err |= PFEC_PRESENT;
    return err;
}

static const char *trap_name(unsigned int vector)
{
    static const char *const names[] = {
        [X86_EXC_DE] = "#DE", [X86_EXC_DB] = "#DB", [X86_EXC_BP] = "#BP",
        [X86_EXC_UD] = "#UD", [X86_EXC_GP] = "#GP", [X86_EXC_PF] = "#PF",
        [X86_EXC_MF] = "#MF", [X86_EXC_AC] = "#AC", [X86_EXC_XM] = "#XM",
    };

    if (vector < sizeof(names) / sizeof(*names) && names[vector])
        return names[vector];
    return "int";
}

static int trap_sigfpe_vector(const struct stub_mailbox *req)
{
    if (req->trapno == X86_EXC_DE || req->trapno == X86_EXC_MF ||
        req->trapno == X86_EXC_XM)
        return (int)req->trapno;
    return req->si_code == FPE_INTDIV ? X86_EXC_DE : X86_EXC_XM;
}

/* The exception behind the host fault in req; -1 if none maps. */
static int trap_event_of(const struct stub_mailbox *req, struct trap_event *ev)
{
    *ev = (struct trap_event){0};
    switch (req->signo) {
    case SIGSEGV:
        ev->vector = req->trapno == X86_EXC_PF ? X86_EXC_PF : X86_EXC_GP;
        ev->has_err = true;
        ev->err = (uint32_t)req->err;
        return 0;
    case SIGILL:
        ev->vector = X86_EXC_UD;
        return 0;
    case SIGFPE:
        ev->vector = (unsigned int)trap_sigfpe_vector(req);
        return 0;
    case SIGTRAP:
        ev->vector = req->si_code == SI_KERNEL ? X86_EXC_BP : X86_EXC_DB;
        return 0;
    case SIGBUS:
        if (req->si_code != BUS_ADRALN)
            return -1;
        ev->vector = X86_EXC_AC;
        ev->has_err = true;
        return 0;
    default:
        return -1;
    }
}

static const struct trap_info *trap_gate(const struct vcpu *v,
                                         unsigned int vector)
{
    if (!v->pv.traps || !v->pv.traps[vector].address)
        return NULL;
    return &v->pv.traps[vector];
}

/* A refused `int $n` becomes vector n if its gate admits the guest kernel
 * (DPL >= 1, Xen's permit_softint in kernel mode). */
static void trap_softint(const struct vcpu *v, struct trap_event *ev)
{
    unsigned int n = ev->err >> 3;
    const struct trap_info *ti;

    if (ev->vector != X86_EXC_GP || (ev->err & (XEC_IDT | XEC_EXT)) != XEC_IDT)
        return;
    ti = trap_gate(v, n & 0xff);
    if (!ti || TI_GET_DPL(ti) < 1)
        return;
    *ev = (struct trap_event){.vector = n & 0xff, .soft = true};
}

static void trap_crash(struct vcpu *v, const struct stub_mailbox *req,
                       const char *why)
{
    crash_dump(v->dom, req);
    domain_crash(v->dom, why);
}

/*
 * A guest #PF: rebuild the error code, publish cr2. Returns -1 if the
 * guest's tables allow the access after all: the host mapping disagrees
 * with them, a veneerd bug that no guest handler could repair.
 */
static int trap_page_fault(struct vcpu *v, const struct stub_mailbox *req,
                           struct trap_event *ev)
{
    uint64_t slot;
    uint32_t prot, need;
    bool present = pt_lookup(v->dom, v->cr3, req->addr, &slot, &prot) == 0;

    ev->err = trap_pf_error_code(req->err, present);
    need = ev->err & PFEC_WRITE  ? STUB_PROT_WRITE
           : ev->err & PFEC_INSN ? STUB_PROT_EXEC
                                 : STUB_PROT_READ;
    if (present && (prot & need))
        return -1;
    __atomic_store_n(&upcall_vcpu_info(v)->arch.cr2, req->addr,
                     __ATOMIC_SEQ_CST);
    return 0;
}

/* Bounce ev to its gate; crash if there is none or no room for it. */
static void trap_bounce(struct vcpu *v, const struct stub_mailbox *req,
                        const struct trap_event *ev)
{
    const struct trap_info *ti = trap_gate(v, ev->vector);
    unsigned int flags = 0;
    char why[160];

    if (!ti) {
        snprintf(why, sizeof(why),
                 "unhandled fault: no handler for vector %u (%s) in the trap "
                 "table",
                 ev->vector, trap_name(ev->vector));
        trap_crash(v, req, why);
        return;
    }
    if (ev->has_err)
        flags |= BOUNCE_ERRCODE;
    if (TI_GET_IF(ti))
        flags |= BOUNCE_INTERRUPT;
    if (ev->soft)
        v->regs.rip += 2; /* past `int $n` (cd ib) */
    if (bounce_push(v, ti->address, flags, ev->err) < 0) {
        snprintf(why, sizeof(why),
                 "fault while writing the %s exception frame below rsp %#llx",
                 trap_name(ev->vector), (unsigned long long)v->regs.rsp);
        trap_crash(v, req, why);
    }
}

/*
 * trap_fault - handle the guest fault in req (veneerd's copy; v->regs
 * already holds its registers): emulate it, bounce it to the guest's
 * handler, or crash the domain. Called with mm_lock held.
 */
void trap_fault(struct vcpu *v, const struct stub_mailbox *req)
{
    struct trap_event ev;

    if (req->regs.rip >= VENEER_STUB_BASE && req->regs.rip < VENEER_STUB_END) {
        /* The guest jumped into the stub, or broke it: no guest state. */
        trap_crash(v, req, "unhandled fault in the domain stub's code");
        return;
    }
    if (req->signo == SIGILL && cpuid_emulate(v))
        return;
    if (req->signo == SIGSEGV && req->trapno == X86_EXC_GP && emul_iretq(v))
        return;
    if (trap_event_of(req, &ev) < 0) {
        trap_crash(v, req, "unhandled fault");
        return;
    }
    if (ev.vector == X86_EXC_PF && trap_page_fault(v, req, &ev) < 0) {
        trap_crash(v, req,
                   "page fault on an access the guest's page tables allow "
                   "(host mapping out of step: a veneerd bug)");
        return;
    }
    trap_softint(v, &ev);
    trap_bounce(v, req, &ev);
}
