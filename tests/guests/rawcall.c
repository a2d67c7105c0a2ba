/* SPDX-License-Identifier: MIT */
/*
 * rawcall: a guest without a hypercall page. It is linked with the notes
 * object that leaves out XEN_ELFNOTE_HYPERCALL_PAGE, so the builder must
 * not write the page, and every hypercall (console output and shutdown
 * included) goes by raw `syscall`, as modern Linux PV kernels do.
 *
 * Prints "rawcall: SUCCESS" and powers off, or "rawcall: ABORT <what>"
 * and crashes.
 */
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>

int guest_main(struct start_info *si)
{
    long version;

    (void)si;
    /* Before any output: if the page were in use, printing would not
     * prove anything about raw calls. */
    if (!hypercall_raw_only) {
        printf("rawcall: ABORT the builder wrote the hypercall page\n");
        return 1;
    }
    for (unsigned int i = 0; i < sizeof(hypercall_page); i++) {
        if ((unsigned char)hypercall_page[i] != 0xcc) {
            printf("rawcall: ABORT hypercall page byte %u changed\n", i);
            return 1;
        }
    }
    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    printf("rawcall: xen_version -> %#lx\n", version);
    if (version <= 0) {
        printf("rawcall: ABORT xen_version failed\n");
        return 1;
    }
    printf("rawcall: SUCCESS\n");
    return 0;
}
