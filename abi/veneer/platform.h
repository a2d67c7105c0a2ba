/* SPDX-License-Identifier: MIT */
/*
 * Veneer's guest-visible address-space layout on the trap platform.
 *
 * A Veneer guest kernel runs at CPL 3 inside a host process, so the host
 * kernel owns the upper half of the address space and Veneer's domain stub
 * owns a fixed region at the top of the lower half. Everything below
 * VENEER_GUEST_VA_LIMIT belongs to the guest, virtual address 0 included.
 *
 * Freestanding: usable by guests, veneerd and dom0 tools alike.
 */
#ifndef VENEER_ABI_PLATFORM_H
#define VENEER_ABI_PLATFORM_H

/*
 * First virtual address the guest may not map: the domain stub region
 * [VENEER_STUB_BASE, VENEER_STUB_END) holds the stub's code, data, stacks
 * and mailbox pages. ABI-visible: a guest linked or mapping at or above it
 * is refused.
 */
#define VENEER_GUEST_VA_LIMIT 0x00007f0000000000ULL

/* Start of the domain stub region (equal to the guest limit). */
#define VENEER_STUB_BASE 0x00007f0000000000ULL

/* End of the stub region: the top of the x86-64 lower half. */
#define VENEER_STUB_END 0x0000800000000000ULL

/*
 * Where the stub's parts sit inside its region. None of this is secret (the
 * guest can read its whole address space); it is fixed so that seccomp
 * filters and tests can name it.
 *
 * VENEER_STUB_TEXT: the stub's code, read+execute. It holds exactly one
 *   system-call instruction, the "gate" (bytes 0f 05 c3: syscall; ret);
 *   the seccomp filter lets only calls made from the gate through, and only
 *   a short, argument-checked whitelist of them. The first 64 KiB from here
 *   are mapped readable.
 * VENEER_STUB_DATA: the stub's data, bss and stacks, read+write.
 * VENEER_STUB_MAILBOX: the pages shared with veneerd (one per vCPU), through
 *   which hypercalls are forwarded. veneerd treats their contents as
 *   hostile.
 */
#define VENEER_STUB_TEXT    VENEER_STUB_BASE
#define VENEER_STUB_DATA    (VENEER_STUB_BASE + 0x200000ULL)
#define VENEER_STUB_MAILBOX (VENEER_STUB_BASE + 0x100000000ULL)

#endif /* VENEER_ABI_PLATFORM_H */
