/* SPDX-License-Identifier: MIT */
/*
 * What the kernel says a domain process maps. Where veneerd must KNOW a
 * mapping is gone (a grant unmapped before the granter's pins drop), it
 * asks the kernel, never the stub: the guest can write the mailbox and
 * forge any acknowledgement. PROCMAP_QUERY (Linux 6.11) walks the
 * process's mappings through /proc/PID/maps without parsing text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "veneerd.h"

/* The uapi of linux/fs.h (6.11+), which Debian 12's headers predate. */
struct vn_procmap_query {
    uint64_t size;
    uint64_t query_flags;
    uint64_t query_addr;
    uint64_t vma_start;
    uint64_t vma_end;
    uint64_t vma_flags;
    uint64_t vma_page_size;
    uint64_t vma_offset;
    uint64_t inode;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint32_t vma_name_size;
    uint32_t build_id_size;
    uint64_t vma_name_addr;
    uint64_t build_id_addr;
};
_Static_assert(sizeof(struct vn_procmap_query) == 104, "procmap_query size");

#define VN_PROCMAP_QUERY              0xc0686611ul /* _IOWR('f', 17, procmap_query) */
#define VN_QUERY_COVERING_OR_NEXT_VMA 0x10
#define VN_QUERY_FILE_BACKED_VMA      0x20

/* Open /proc/PID/maps of d's process (kept open for its life). */
int procmaps_open(struct domain *d)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/maps", d->pid);
    d->maps_fd = open(path, O_RDONLY | O_CLOEXEC);
    return d->maps_fd < 0 ? -errno : 0;
}

void procmaps_close(struct domain *d)
{
    if (d->maps_fd >= 0)
        close(d->maps_fd);
    d->maps_fd = -1;
}

/*
 * procmaps_maps_page - does d's process map page `offset` of the file
 * `fd` refers to, anywhere?
 * Return values: 1 yes; 0 no (or the process is gone, or never was: no
 * mappings); -errno if the kernel cannot be asked (the caller must then
 * assume yes).
 */
int procmaps_maps_page(struct domain *d, int fd, uint64_t offset)
{
    struct vn_procmap_query q;
    struct stat st;
    uint64_t addr = 0;

    if (d->maps_fd < 0 && d->pid <= 0)
        return 0; /* no process: nothing is mapped anywhere */
    if (d->maps_fd < 0 || fstat(fd, &st) < 0)
        return -EBADF;
    for (;;) {
        memset(&q, 0, sizeof(q));
        q.size = sizeof(q);
        q.query_flags =
            VN_QUERY_COVERING_OR_NEXT_VMA | VN_QUERY_FILE_BACKED_VMA;
        q.query_addr = addr;
        if (ioctl(d->maps_fd, VN_PROCMAP_QUERY, &q) < 0) {
            if (errno == ENOENT || errno == ESRCH)
                return 0; /* past the last mapping, or no process */
            return -errno;
        }
        if (q.inode == st.st_ino && offset >= q.vma_offset &&
            offset - q.vma_offset < q.vma_end - q.vma_start)
            return 1;
        if (q.vma_end <= addr)
            return -EIO; /* the kernel went backwards: do not loop */
        addr = q.vma_end;
    }
}
