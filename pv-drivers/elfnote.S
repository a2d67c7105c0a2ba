/* SPDX-License-Identifier: MIT */
/*
 * The Xen ELF notes that tell a PV domain builder how to load the guest
 * (XEN-ABI-FACTS §3.7): owner "Xen", in an allocated SHT_NOTE section
 * .note.Xen that guest.ld places first in the image and covers with a
 * PT_NOTE segment.
 *
 * VIRT_BASE = PADDR_OFFSET = GUEST_BASE (the link base, from the linker's
 * --defsym) so that the image starts at pseudo-physical frame 0 and
 * va = GUEST_BASE + pfn * 4096. Numeric descriptors are 8 bytes.
 *
 * Built twice: elfnote.o (in libpvfront.a) and elfnote_nopage.o, without
 * the HYPERCALL_PAGE note (-DRUNTIME_NO_HYPERCALL_PAGE); a guest linking
 * the latter gets no hypercall page and the runtime then uses raw syscall.
 */
#include <xen/elfnote.h>

/* xen_note TYPE, DESC...: one note; DESC is the directive that emits the
 * descriptor. Entries are 4-byte aligned, as libelf walks them. */
.macro xen_note type:req, desc:vararg
    .balign 4
    .long 2f - 1f
    .long 4f - 3f
    .long \type
1:  .asciz XEN_ELFNOTE_OWNER
2:  .balign 4
3:  \desc
4:  .balign 4
.endm

    .section .note.Xen, "a", @note
    .balign 4
    .globl xen_elfnotes
xen_elfnotes:
    xen_note XEN_ELFNOTE_GUEST_OS, .asciz "Veneer"
    xen_note XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1"
    xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_LOADER, .asciz "generic"
    xen_note XEN_ELFNOTE_VIRT_BASE, .quad GUEST_BASE
    xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad GUEST_BASE
    xen_note XEN_ELFNOTE_ENTRY, .quad _start
#ifndef RUNTIME_NO_HYPERCALL_PAGE
    /* Left out of elfnote_nopage.o, for guests that show they work with
     * raw syscall hypercalls alone. */
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
#endif

    /* No executable stack: the guest stack is data. */
    .section .note.GNU-stack, "", @progbits
