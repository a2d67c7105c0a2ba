/* SPDX-License-Identifier: MIT */
/*
 * The one checked gate between guest addresses and host pointers
 * (STYLE rule 6). A hypercall argument is a guest virtual address; it is
 * translated page by page through the vCPU's current page tables, each page
 * must be present (and writable, for a copy out), and the copy stops with
 * -EFAULT at the first page that is not. Nothing else in veneerd turns a
 * guest address into a pointer.
 */
#include <errno.h>
#include <string.h>

#include "veneerd.h"

/* Host pointer to the bytes at va, valid up to the end of va's page. */
static int gmem_page(struct vcpu *v, gva_t va, bool write, uint8_t **p)
{
    uint64_t slot;
    uint32_t prot;

    if (pt_lookup(v->dom, v->cr3, va, &slot, &prot))
        return -EFAULT;
    if (write && !(prot & STUB_PROT_WRITE))
        return -EFAULT;
    *p = domain_slot_ptr(v->dom, slot) + (va & (PAGE_SIZE - 1));
    return 0;
}

/* Copy len bytes between guest va and host buf, in either direction. */
static int gmem_copy(struct vcpu *v, gva_t va, uint8_t *buf, size_t len,
                     bool to_guest)
{
    if (len == 0)
        return 0;
    if (va >= VENEER_GUEST_VA_LIMIT || len > VENEER_GUEST_VA_LIMIT - va)
        return -EFAULT;
    while (len) {
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        uint8_t *p;

        if (chunk > len)
            chunk = len;
        if (gmem_page(v, va, to_guest, &p))
            return -EFAULT;
        if (to_guest)
            memcpy(p, buf, chunk);
        else
            memcpy(buf, p, chunk);
        va += chunk;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

/*
 * gmem_copy_from - copy len bytes from guest virtual address src.
 * Return values: 0; -EFAULT if any byte is not mapped readable. On
 * -EFAULT, dst may hold a partial copy.
 */
int gmem_copy_from(struct vcpu *v, void *dst, gva_t src, size_t len)
{
    return gmem_copy(v, src, dst, len, false);
}

/*
 * gmem_copy_to - copy len bytes to guest virtual address dst.
 * Return values: 0; -EFAULT if any byte is not mapped writable. On
 * -EFAULT, the bytes before the bad page have been written.
 */
int gmem_copy_to(struct vcpu *v, gva_t dst, const void *src, size_t len)
{
    return gmem_copy(v, dst, (uint8_t *)src, len, true);
}
