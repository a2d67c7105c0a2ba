/* SPDX-License-Identifier: MIT */
/*
 * ELF notes a PV guest kernel carries to tell the domain builder how to
 * load it (XEN-ABI-FACTS §3.7).
 *
 * Format: notes live in a PT_NOTE segment (or, failing that, SHT_NOTE
 * sections) with owner name "Xen" (XEN_ELFNOTE_OWNER, 4 bytes with NUL).
 * Numeric descriptors are 4 or 8 bytes, little-endian; string descriptors
 * are NUL-terminated. Example, in a guest's assembly:
 *
 *     .pushsection .note.Xen, "a", @note
 *     .balign 4
 *     .long 4, 8, XEN_ELFNOTE_ENTRY     namesz, descsz, type
 *     .asciz "Xen"
 *     .balign 4
 *     .quad _start
 *     .balign 4
 *     .popsection
 *
 * Usable from C and from assembly.
 */
#ifndef VENEER_ABI_XEN_ELFNOTE_H
#define VENEER_ABI_XEN_ELFNOTE_H

/* Note owner name (name ours; the value is Xen's). */
#define XEN_ELFNOTE_OWNER "Xen"

/* String "NAME=VALUE" (legacy __xen_guest style information). */
#define XEN_ELFNOTE_INFO 0
/* Virtual address of the PV entry point (default: ELF e_entry). */
#define XEN_ELFNOTE_ENTRY 1
/* Virtual address of a page the builder fills with hypercall stubs. */
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
/* Virtual address where the 1:1 pseudo-physical region starts. */
#define XEN_ELFNOTE_VIRT_BASE 3
/* Offset subtracted from ELF addresses to get pseudo-physical ones. */
#define XEN_ELFNOTE_PADDR_OFFSET 4
/* String: required ABI version, "xen-3.0". */
#define XEN_ELFNOTE_XEN_VERSION 5
/* String: guest OS name, e.g. "Mini-OS". */
#define XEN_ELFNOTE_GUEST_OS 6
/* String: guest OS version. */
#define XEN_ELFNOTE_GUEST_VERSION 7
/* String: loader, "generic". */
#define XEN_ELFNOTE_LOADER 8
/* String: PAE mode (x86-32 only; ignored for x86-64). */
#define XEN_ELFNOTE_PAE_MODE 9
/* String: XENFEAT names joined by '|'; a leading '!' marks one required. */
#define XEN_ELFNOTE_FEATURES 10
/* String: "yes" to load the symbol table after the image. */
#define XEN_ELFNOTE_BSD_SYMTAB 11
/* Lowest virtual address the hypervisor may use (x86-32). */
#define XEN_ELFNOTE_HV_START_LOW 12
/* Mask and value identifying valid L1 PTE frames. */
#define XEN_ELFNOTE_L1_MFN_VALID 13
/* Numeric: nonzero if the guest handles a cancelled suspend. */
#define XEN_ELFNOTE_SUSPEND_CANCEL 14
/* Virtual address at which to map the P2M list (instead of the region). */
#define XEN_ELFNOTE_INIT_P2M 15
/* Numeric: nonzero if the guest accepts mod_start as a PFN. */
#define XEN_ELFNOTE_MOD_START_PFN 16
/* Numeric bitmap of XENFEAT bits the kernel supports. */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
/* PVH 32-bit physical entry point (not used by Veneer's PV loader). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
/* PVH: kernel is relocatable (alignment, min, max as u32s). */
#define XEN_ELFNOTE_PHYS32_RELOC 19

/* Highest note number defined. */
#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_RELOC

/* Notes written into crash dumps and core files; not for guests. */
#define XEN_ELFNOTE_CRASH_INFO              0x1000001
#define XEN_ELFNOTE_CRASH_REGS              0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* VENEER_ABI_XEN_ELFNOTE_H */
