/* SPDX-License-Identifier: MIT */
/*
 * The guest's hypercall page: one 4 KiB, page-aligned page of text that the
 * domain builder fills with Xen's PV64 stubs (hypercall nr at
 * hypercall_page + nr * 32) because the XEN_ELFNOTE_HYPERCALL_PAGE note
 * names it.
 *
 * It ships filled with int3 (0xcc), as Xen fills it before writing the
 * stubs, so a call through a page the builder did not fill traps at once
 * instead of sliding into the next slot.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill 4096, 1, 0xcc
    .size hypercall_page, . - hypercall_page

    /* No executable stack: the guest stack is data. */
    .section .note.GNU-stack, "", @progbits
