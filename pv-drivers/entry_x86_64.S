/* SPDX-License-Identifier: MIT */
/*
 * PV64 entry point of a Veneer guest: from the builder's start-of-day state
 * to runtime_start() on the runtime's own stack.
 *
 * Entry state (XEN-ABI-FACTS §3.4): rip = the ENTRY note (= e_entry),
 * rsi = virtual address of start_info, rsp = top of the one-page bootstrap
 * stack the builder placed after the page tables. Every other register is
 * unspecified, so nothing else is read here.
 */
#include <veneer/runtime.h>

    .section .text.entry, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* The ABI wants DF clear at every call; the entry state does not
     * promise it. */
    cld
    /* Keep the builder's stack pointer: the layout test checks where the
     * bootstrap stack sits relative to the page tables. */
    movq %rsp, runtime_boot_sp(%rip)
    /* One page of bootstrap stack is too small for a C runtime, and it
     * is pseudo-physical memory the guest may want back; move off it. */
    leaq runtime_stack_top(%rip), %rsp
    xorl %ebp, %ebp
    movq %rsi, %rdi
    call runtime_start
    /* runtime_start does not return; if it ever does, fault loudly. */
    ud2
    .size _start, . - _start

    .section .bss.runtime_stack, "aw", @nobits
    .balign 16
    .globl runtime_stack
runtime_stack:
    .skip RUNTIME_STACK_SIZE
    .globl runtime_stack_top
runtime_stack_top:

    /* No executable stack: the guest stack is data. */
    .section .note.GNU-stack, "", @progbits
