/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and the event upcall: the guest's virtual IDT
 * (set_trap_table), its entry code, C handlers per vector, and the return
 * through the iret hypercall.
 *
 * How a 64-bit PV kernel is entered (XEN-ABI-FACTS §7.8, §8.5): the
 * hypervisor pushes a bounce frame on the current stack (16-byte aligned
 * below the interrupted rsp), from the lowest address:
 *
 *   rcx, r11, [error code,] rip, cs, rflags, rsp, ss
 *
 * cs holds the saved upcall mask in bits 32-39 and, for an interrupted
 * kernel, RPL 0 (Xen clears it to say "kernel context"); rflags.IF is the
 * inverse of the saved mask. rcx and r11 are on the frame because the
 * hypervisor clobbered them. For #PF the faulting address is in
 * vcpu_info.arch.cr2 and the error code has the user bit clear for a
 * fault in kernel mode.
 *
 * The entry stubs (trap_entry_x86_64.S) turn that into a struct
 * trap_frame on the same stack, call trap_dispatch, and return with the
 * iret hypercall (struct iret_context: the guest leaves flags, rip, cs,
 * rflags, rsp, ss on the stack and the hypercall page's iret slot pushes
 * rcx, r11, rax), which restores the upcall mask from rflags.IF.
 */
#ifndef VENEER_TRAPS_H
#define VENEER_TRAPS_H

#include <stdint.h>

/* Exception vectors the runtime registers (Intel SDM Vol. 3A §6.15). */
#define TRAP_DIVIDE_ERROR 0  /* #DE: div by zero or overflow, a fault */
#define TRAP_INT3         3  /* #BP: int3, a trap (rip after it) */
#define TRAP_INVALID_OP   6  /* #UD: ud2 and friends, a fault */
#define TRAP_GP_FAULT     13 /* #GP: error code, a fault */
#define TRAP_PAGE_FAULT   14 /* #PF: error code and cr2, a fault */
#define TRAP_NR_VECTORS   32 /* handlers are per exception vector */

/* trap_frame.vector values for the two callbacks that are not vectors. */
#define TRAP_VECTOR_UPCALL   256 /* the event callback */
#define TRAP_VECTOR_FAILSAFE 257 /* the failsafe callback */

/* #PF error code bits (SDM Vol. 3A §4.7). */
#define TRAP_PF_PRESENT 0x01 /* the page was present: a rights violation */
#define TRAP_PF_WRITE   0x02 /* the access was a write */
#define TRAP_PF_USER    0x04 /* the access came from user mode */
#define TRAP_PF_RSVD    0x08 /* a reserved bit was set in an entry */
#define TRAP_PF_INSTR   0x10 /* the access was an instruction fetch */

/*
 * struct trap_frame: the interrupted state, as the entry stubs save it
 * (lowest address first). Handlers may change any field; the stubs
 * restore the registers from it and iret to rip/cs/rflags/rsp/ss.
 *
 *   r15 .. rdi   general registers at the trap (rcx/r11 from the bounce
 *                frame, so they are the interrupted values too)
 *   cr2          #PF: the faulting address (vcpu_info.arch.cr2, read on
 *                entry); 0 otherwise
 *   vector       exception vector, or TRAP_VECTOR_UPCALL / _FAILSAFE
 *   error_code   as bounced; 0 for vectors without one
 *   rip .. ss    the bounce frame's return state; cs bits 32-39 hold the
 *                saved upcall mask
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
    uint64_t cr2;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * A handler for one vector. Return 0 if the trap was dealt with (the
 * guest resumes at frame->rip, which the handler may have moved); any
 * other value makes the runtime dump the frame and panic.
 */
typedef int (*trap_handler_t)(struct trap_frame *f);

/*
 * trap_init: map shared_info (for cr2, <veneer/shinfo.h>) and register
 * the runtime's virtual IDT: vectors 0, 3, 6, 13 and 14, each entering
 * the runtime's stub; #PF through an interrupt gate (upcalls masked on
 * entry, so that no upcall can overwrite cr2 before it is read), int3
 * with DPL 3. Unhandled traps panic with a register dump. Idempotent.
 *
 * Return values: 0; set_trap_table's or shinfo_map's error (-XEN_ENOSYS
 * on a hypervisor without trap bouncing).
 */
int trap_init(void);

/*
 * trap_set_handler: call h for traps at vector (< TRAP_NR_VECTORS); NULL
 * restores the default (panic).
 * Return values: 0; -XEN_EINVAL for a vector out of range.
 */
int trap_set_handler(unsigned int vector, trap_handler_t h);

/*
 * trap_set_upcall: the function the event callback runs (evtchn.c sets
 * it); with none set, an upcall just returns.
 */
void trap_set_upcall(void (*fn)(struct trap_frame *f));

/*
 * trap_dump: print the frame (vector, error code, cr2, every register,
 * saved upcall mask) on the console.
 */
void trap_dump(const struct trap_frame *f);

/*
 * Probes: one memory access that may fault. With trap_init done, a #PF
 * or #GP at the access is caught: the probe returns -XEN_EFAULT and
 * trap_probe_last describes the fault. Without trap_init a fault is
 * fatal as always.
 *
 * trap_probe_read64: *out = *(uint64_t *)va. Return values: 0,
 * -XEN_EFAULT.
 * trap_probe_write64: *(uint64_t *)va = val. Return values: 0,
 * -XEN_EFAULT.
 */
long trap_probe_read64(uint64_t va, uint64_t *out);
long trap_probe_write64(uint64_t va, uint64_t val);

/* The last fault a probe caught. */
struct trap_probe_fault {
    uint64_t count;      /* faults caught so far */
    uint64_t vector;     /* TRAP_PAGE_FAULT or TRAP_GP_FAULT */
    uint64_t error_code; /* as bounced */
    uint64_t cr2;        /* #PF: faulting address */
};
extern struct trap_probe_fault trap_probe_last;

/*
 * Entry points (trap_entry_x86_64.S), for set_trap_table and callbacks.
 * Hidden: their addresses are then taken RIP-relative, never through a
 * GOT entry that a static link above 2 GiB could not relax.
 */
#define TRAP_ASM_SYMBOL __attribute__((visibility("hidden")))
TRAP_ASM_SYMBOL void trap_entry_divide_error(void);
TRAP_ASM_SYMBOL void trap_entry_int3(void);
TRAP_ASM_SYMBOL void trap_entry_invalid_op(void);
TRAP_ASM_SYMBOL void trap_entry_gp_fault(void);
TRAP_ASM_SYMBOL void trap_entry_page_fault(void);
TRAP_ASM_SYMBOL void trap_entry_upcall(void);
TRAP_ASM_SYMBOL void trap_entry_failsafe(void);

/* trap_dispatch: the C side of every entry stub. */
void trap_dispatch(struct trap_frame *f);

#endif /* VENEER_TRAPS_H */
