/* SPDX-License-Identifier: MIT */
/*
 * libvngnt: grant access for dom0's host processes (backends, vstored).
 * A guest grants a page to domain 0 (grant entry domid 0); a host process
 * maps or copies exactly that page through veneerd's control socket
 * (abi/veneer/control.h, VN_CTL_GNT_*), and nothing else: veneerd checks
 * the grant entry as Xen does (XEN-ABI-FACTS §5) and keeps GTF_reading
 * (and GTF_writing for a writable mapping) set in it while the page is
 * mapped, so the guest cannot end access meanwhile.
 *
 * A mapping is the granted page of the guest's memory file, which
 * veneerd passes for one mmap; the library maps that one page and closes
 * the file at once. Call vngnt_unmap when done: it unmaps first, then
 * tells veneerd, which only then clears the bits. Closing the handle
 * (or the process dying) closes its connection, and veneerd drops
 * whatever it still held.
 *
 * Errors: functions return 0 or a negative errno. A grant that veneerd
 * refused maps to an errno (GNTST_general_error -EINVAL, bad_domain
 * -ESRCH, bad_gntref -ENOENT, bad_handle -EBADF, permission_denied
 * -EPERM, bad_page -EFAULT, bad_copy_arg -ERANGE, no_space -ENOSPC,
 * eagain -EAGAIN, anything else -EIO), and vngnt_status gives Xen's
 * GNTST_* code itself. A handle serves one thread at a time.
 *
 * Link $(LIBVNGNT); include this header only.
 */
#ifndef VNGNT_H
#define VNGNT_H

#include <stdint.h>

struct vngnt;

/* vngnt_map flags. */
#define VNGNT_READONLY 0x1u /* map read-only (a GTF_readonly grant needs it) */

/*
 * vngnt_open: connect to veneerd's control socket in rundir (NULL:
 * $VENEER_RUNDIR, else /run/veneer). Root only, as the socket is.
 * Return values: 0 and *out; -ENAMETOOLONG, -ENOMEM, or connect's -errno.
 */
int vngnt_open(const char *rundir, struct vngnt **out);

/* vngnt_close: unmap every page still mapped through h, then close its
 * connection (veneerd drops the pins). NULL is fine. */
void vngnt_close(struct vngnt *h);

/*
 * vngnt_map: map the page domain domid granted to dom0 as ref.
 * Parameters: flags - VNGNT_READONLY; addr - OUT: the page (4096 bytes,
 * shared with the guest).
 * Return values: 0; a refused grant's errno (see above); -EIO, -ETIMEDOUT,
 * -ECONNRESET when veneerd cannot be reached; mmap's -errno.
 */
int vngnt_map(struct vngnt *h, uint32_t domid, uint32_t ref, unsigned int flags,
              void **addr);

/*
 * vngnt_unmap: unmap a page vngnt_map returned, then release the grant.
 * Return values: 0; -EINVAL if addr is not one of h's mappings; transport
 * errors as vngnt_map.
 */
int vngnt_unmap(struct vngnt *h, void *addr);

/*
 * vngnt_copy_from / vngnt_copy_to: copy len bytes between buf and offset
 * in the granted page (offset + len at most 4096), done by veneerd with
 * the grant pinned for just the copy (writable, to write the page).
 * Return values: as vngnt_map; -EINVAL for a length over 4096.
 */
int vngnt_copy_from(struct vngnt *h, uint32_t domid, uint32_t ref,
                    uint16_t offset, void *buf, uint16_t len);
int vngnt_copy_to(struct vngnt *h, uint32_t domid, uint32_t ref,
                  uint16_t offset, const void *buf, uint16_t len);

/* vngnt_status: the GNTST_* code of h's last grant request (0 if it was
 * not refused). */
int vngnt_status(const struct vngnt *h);

#endif /* VNGNT_H */
