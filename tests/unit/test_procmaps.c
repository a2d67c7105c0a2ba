/* SPDX-License-Identifier: MIT */
/* Unit tests for procmaps.c: the kernel's word on what a process maps. */
#include <criterion/criterion.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../hypervisor/veneerd.h"

Test(procmaps, sees_a_mapped_page_and_its_removal)
{
    struct domain d = {.pid = getpid(), .maps_fd = -1};
    int fd = memfd_create("procmaps-test", MFD_CLOEXEC);
    uint8_t *p;

    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, 8 * 4096), 0);
    cr_assert_eq(procmaps_open(&d), 0);
    cr_assert_eq(procmaps_maps_page(&d, fd, 2 * 4096), 0, "nothing mapped");
    p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 2 * 4096);
    cr_assert_neq(p, MAP_FAILED);
    cr_assert_eq(procmaps_maps_page(&d, fd, 2 * 4096), 1);
    cr_assert_eq(procmaps_maps_page(&d, fd, 3 * 4096), 1);
    cr_assert_eq(procmaps_maps_page(&d, fd, 4 * 4096), 0, "past the end");
    cr_assert_eq(procmaps_maps_page(&d, fd, 1 * 4096), 0, "before it");
    cr_assert_eq(munmap(p, 4096), 0);
    cr_assert_eq(procmaps_maps_page(&d, fd, 2 * 4096), 0, "unmapped");
    cr_assert_eq(procmaps_maps_page(&d, fd, 3 * 4096), 1, "still mapped");
    munmap(p + 4096, 4096);
    procmaps_close(&d);
    close(fd);
}
