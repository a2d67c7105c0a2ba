/* SPDX-License-Identifier: MIT */
/*
 * Entry and exit code for exceptions and the event callback: from the
 * hypervisor's bounce frame to trap_dispatch(struct trap_frame *) and back
 * through the iret hypercall; plus the fault probes.
 *
 * On entry rsp points at the bounce frame: rcx, r11, [error code,] rip,
 * cs, rflags, rsp, ss (<veneer/traps.h>). Each stub reloads rcx and r11
 * from it, drops those two slots, makes sure an error-code slot exists,
 * and pushes the vector and a cr2 slot; trap_common pushes the general
 * registers, giving struct trap_frame with rsp pointing at it.
 *
 * Exit: the registers come back from the (possibly edited) frame, the
 * error-code slot becomes the iret flags word (0: not VGCF_in_syscall),
 * so the stack holds flags, rip, cs, rflags, rsp, ss, and the hypercall
 * page's iret slot pushes rcx, r11 and rax to complete struct
 * iret_context (XEN-ABI-FACTS §8.5). A guest without the page pushes them
 * itself and issues a raw syscall. The hypervisor restores everything,
 * the upcall mask included (from rflags.IF), so nothing here re-enables
 * events by hand.
 */
#include <xen/xen.h>
#include <xen/errno.h>

/* struct trap_frame offsets; traps.c checks them against the C layout. */
#define TF_VECTOR 128
#define TF_SIZE   184

/* An exception without an error code: push a 0 in its place. */
.macro trap_noerr name:req, vector:req
    .globl \name
    .type \name, @function
\name:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $16, %rsp
    pushq $0
    pushq $\vector
    pushq $0
    jmp trap_common
    .size \name, . - \name
.endm

/* An exception with an error code: it is already where it belongs. */
.macro trap_err name:req, vector:req
    .globl \name
    .type \name, @function
\name:
    movq (%rsp), %rcx
    movq 8(%rsp), %r11
    addq $16, %rsp
    pushq $\vector
    pushq $0
    jmp trap_common
    .size \name, . - \name
.endm

    .text
    trap_noerr trap_entry_divide_error, 0
    trap_noerr trap_entry_int3, 3
    trap_noerr trap_entry_invalid_op, 6
    trap_err trap_entry_gp_fault, 13
    trap_err trap_entry_page_fault, 14
    /* The event callback's frame is an exception frame without error
     * code (the hypervisor masked upcalls on the way in). */
    trap_noerr trap_entry_upcall, 256

    /* The failsafe callback's frame has ds, es, fs, gs below rcx. */
    .globl trap_entry_failsafe
    .type trap_entry_failsafe, @function
trap_entry_failsafe:
    movq 32(%rsp), %rcx
    movq 40(%rsp), %r11
    addq $48, %rsp
    pushq $0
    pushq $257
    pushq $0
    jmp trap_common
    .size trap_entry_failsafe, . - trap_entry_failsafe

    .type trap_common, @function
trap_common:
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %rax
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %rbx
    pushq %rbp
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    /* rbx (saved above, callee-saved in C) keeps the frame; the stack is
     * realigned for the C call, as the frame's own alignment depends on
     * whether the vector had an error code. */
    movq %rsp, %rdi
    movq %rsp, %rbx
    andq $-16, %rsp
    call trap_dispatch
    movq %rbx, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbp
    popq %rbx
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rax
    popq %rcx
    popq %rdx
    popq %rsi
    popq %rdi
    /* Drop cr2 and vector; the error-code slot becomes iret's flags. */
    addq $16, %rsp
    movq $0, (%rsp)
    jmp trap_iret
    .size trap_common, . - trap_common

/*
 * trap_iret: with flags, rip, cs, rflags, rsp, ss on the stack and the
 * general registers as they should be, return through the iret
 * hypercall. Flags are clobbered here, which does not matter: iret loads
 * rflags from the frame.
 */
    .globl trap_iret
    .type trap_iret, @function
trap_iret:
    cmpl $0, hypercall_raw_only(%rip)
    jne 1f
    jmp hypercall_page + __HYPERVISOR_iret * 32
1:  pushq %rcx
    pushq %r11
    pushq %rax
    movl $__HYPERVISOR_iret, %eax
    syscall
    /* iret does not return; if it does, fault loudly. */
    ud2
    .size trap_iret, . - trap_iret

/*
 * long trap_probe_read64(uint64_t va, uint64_t *out)
 * long trap_probe_write64(uint64_t va, uint64_t val)
 *
 * The access is the instruction at trap_probe_*_insn; trap_dispatch
 * sends a #PF or #GP there to trap_probe_fixup, which returns -EFAULT.
 */
    .globl trap_probe_read64
    .type trap_probe_read64, @function
trap_probe_read64:
    xorl %eax, %eax
    .globl trap_probe_read_insn
trap_probe_read_insn:
    movq (%rdi), %rdx
    movq %rdx, (%rsi)
    ret
    .size trap_probe_read64, . - trap_probe_read64

    .globl trap_probe_write64
    .type trap_probe_write64, @function
trap_probe_write64:
    xorl %eax, %eax
    .globl trap_probe_write_insn
trap_probe_write_insn:
    movq %rsi, (%rdi)
    ret
    .size trap_probe_write64, . - trap_probe_write64

    .globl trap_probe_fixup
    .type trap_probe_fixup, @function
trap_probe_fixup:
    movq $-XEN_EFAULT, %rax
    ret
    .size trap_probe_fixup, . - trap_probe_fixup

    /* No executable stack: the guest stack is data. */
    .section .note.GNU-stack, "", @progbits
