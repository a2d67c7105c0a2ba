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

#endif /* VENEER_ABI_PLATFORM_H */
