/* SPDX-License-Identifier: MIT */
/*
 * Xen's 64-bit PV hypercall page (XEN-ABI-FACTS §1.2): 128 stubs of 32
 * bytes, the rest int3. Stub n saves rcx and r11 (which `syscall`
 * clobbers), loads n into eax, traps, restores and returns; the iret stub
 * pushes rcx, r11 and rax and does not return.
 */
#include <string.h>

#include "veneerd.h"

#define HC_SLOT_SIZE 32
#define HC_SLOTS     128

void hypercall_page_fill(uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);
    for (unsigned int nr = 0; nr < HC_SLOTS; nr++) {
        uint8_t *p = page + nr * HC_SLOT_SIZE;

        if (nr == __HYPERVISOR_iret) {
            *p++ = 0x51;              /* push %rcx */
            *p++ = 0x41, *p++ = 0x53; /* push %r11 */
            *p++ = 0x50;              /* push %rax */
            *p++ = 0xb8;              /* mov $nr, %eax */
            memcpy(p, &nr, 4), p += 4;
            *p++ = 0x0f, *p++ = 0x05; /* syscall */
            continue;
        }
        *p++ = 0x51;              /* push %rcx */
        *p++ = 0x41, *p++ = 0x53; /* push %r11 */
        *p++ = 0xb8;              /* mov $nr, %eax */
        memcpy(p, &nr, 4), p += 4;
        *p++ = 0x0f, *p++ = 0x05; /* syscall */
        *p++ = 0x41, *p++ = 0x5b; /* pop %r11 */
        *p++ = 0x59;              /* pop %rcx */
        *p++ = 0xc3;              /* ret */
    }
}
