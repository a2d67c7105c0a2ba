/* SPDX-License-Identifier: MIT */
/*
 * qemu_pvh: the smallest kernel QEMU can boot, the peer of `vn create` in
 * `make bench` (f). A 32-bit ELF with Xen's PVH entry note
 * (XEN_ELFNOTE_PHYS32_ENTRY = 18), which `qemu-system-x86_64 -M microvm
 * -kernel` enters in 32-bit protected mode, paging off, flat segments.
 * It writes one line to the first serial port (0x3f8; QEMU's UART needs
 * no set-up to transmit) and writes 0x2a to isa-debug-exit at 0xf4,
 * which ends QEMU with status (0x2a << 1) | 1 = 85.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define SERIAL_PORT              0x3f8
#define DEBUG_EXIT_PORT          0xf4
#define DEBUG_EXIT_VALUE         0x2a

    .section .note.Xen, "a", @note
    .balign 4
    .long 4                          /* name size: "Xen\0" */
    .long 4                          /* descriptor size */
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .long _start                     /* 32-bit physical entry point */

    .text
    .code32
    .globl _start
_start:
    mov $msg, %esi
    mov $SERIAL_PORT, %dx
1:  lodsb
    test %al, %al
    jz 2f
    out %al, %dx
    jmp 1b
2:  mov $DEBUG_EXIT_PORT, %dx
    mov $DEBUG_EXIT_VALUE, %eax
    out %eax, %dx
3:  hlt                              /* not reached: QEMU has exited */
    jmp 3b

    .section .rodata
msg:
    .asciz "qemu_pvh: hello\n"
