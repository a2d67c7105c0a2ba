/* SPDX-License-Identifier: MIT */
/*
 * console_io (hypercall 18): the hypervisor debug console. Unlike a
 * release Xen, Veneer lets a domU write to it: under `veneerd run` it is
 * the guest developer's console. Reads return nothing (no input yet).
 */
#include <xen/errno.h>
#include <xen/xen.h>

#include "veneerd.h"

#define CONSOLE_CHUNK 1024

static int64_t console_io_write(struct vcpu *v, uint64_t count, gva_t buf)
{
    char chunk[CONSOLE_CHUNK];

    /* Xen's count is 32 bits; a larger one is a bad argument here rather
     * than silently truncated. */
    if (count > CONSOLE_IO_MAX)
        return -XEN_EINVAL;
    while (count) {
        size_t n = count < sizeof(chunk) ? count : sizeof(chunk);

        if (gmem_copy_from(v, chunk, buf, n))
            return -XEN_EFAULT;
        console_write(v->dom, chunk, n);
        buf += n;
        count -= n;
    }
    return 0;
}

int64_t hc_console_io(struct vcpu *v, const uint64_t a[5])
{
    switch (a[0]) {
    case CONSOLEIO_write:
        return console_io_write(v, a[1], a[2]);
    case CONSOLEIO_read:
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
