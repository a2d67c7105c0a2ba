// SPDX-License-Identifier: MIT
// libvngnt: mapping, unmapping and copying pages guests granted to dom0;
// see vngnt.h.
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/grant_table.h>

#include "vngnt_int.h"

#define VNGNT_PAGE 4096u

int vngnt_open(const char *rundir, struct vngnt **out)
{
    struct vngnt *h = calloc(1, sizeof(*h));
    int rc;

    if (!h)
        return -ENOMEM;
    rc = vnctl_open(&h->ctl, rundir, VNGNT_TIMEOUT_S);
    if (rc < 0) {
        free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void vngnt_close(struct vngnt *h)
{
    if (!h)
        return;
    while (h->nr_pages)
        if (vngnt_unmap(h, h->pages[h->nr_pages - 1].addr) != 0 &&
            h->nr_pages) {
            /* veneerd is gone: the page still goes. */
            munmap(h->pages[h->nr_pages - 1].addr, VNGNT_PAGE);
            h->nr_pages--;
        }
    vnctl_close(&h->ctl);
    free(h->pages);
    free(h);
}

int vngnt_status(const struct vngnt *h)
{
    return h->status;
}

/*
 * vngnt_call: send op with req (+ extra), read the reply's payload into
 * reply (at most replymax bytes; *replylen how many came) and its
 * descriptor into *fd (-1 if none; fd may be NULL). A broken or
 * out-of-step stream closes the connection for good.
 * Return values: the reply's status (0 or veneerd's -errno); a local
 * -errno (-EPROTO for a reply out of step, -ECONNRESET once broken).
 */
static int vngnt_call(struct vngnt *h, uint16_t op, const void *req,
                      size_t reqlen, const void *extra, size_t extralen,
                      void *reply, size_t replymax, size_t *replylen, int *fd)
{
    struct vnctl_call call = {
        .op = op,
        .req = {{.iov_base = (void *)req, .iov_len = reqlen},
                {.iov_base = (void *)extra, .iov_len = extralen}},
        .send_fd = -1,
        .reply = reply,
        .replymax = replymax,
    };
    int rc = vnctl_call(&h->ctl, &call);

    /* A mapping's reply carries exactly one descriptor: with a second,
     * none is taken (vngnt_map then fails with -EPROTO). Other replies
     * carry none; any that came are closed. */
    if (fd && call.recv_fd[1] < 0) {
        *fd = call.recv_fd[0];
        call.recv_fd[0] = -1;
    } else if (fd) {
        *fd = -1;
    }
    for (int i = 0; i < VNCTL_RECV_FDS; i++)
        if (call.recv_fd[i] >= 0)
            close(call.recv_fd[i]);
    *replylen = call.replylen;
    return rc;
}

/* A refused grant's errno (vngnt.h). */
static int vngnt_errno(int status)
{
    switch (status) {
    case GNTST_okay:
        return 0;
    case GNTST_general_error:
        return -EINVAL;
    case GNTST_bad_domain:
        return -ESRCH;
    case GNTST_bad_gntref:
        return -ENOENT;
    case GNTST_bad_handle:
        return -EBADF;
    case GNTST_permission_denied:
        return -EPERM;
    case GNTST_bad_page:
        return -EFAULT;
    case GNTST_bad_copy_arg:
        return -ERANGE;
    case GNTST_no_space:
        return -ENOSPC;
    case GNTST_eagain:
        return -EAGAIN;
    default:
        return -EIO;
    }
}

static int vngnt_track(struct vngnt *h, void *addr, uint32_t handle)
{
    if (h->nr_pages == h->cap_pages) {
        size_t cap = h->cap_pages ? 2 * h->cap_pages : 16;
        struct vngnt_page *p = realloc(h->pages, cap * sizeof(*p));

        if (!p)
            return -ENOMEM;
        h->pages = p;
        h->cap_pages = cap;
    }
    h->pages[h->nr_pages++] = (struct vngnt_page){addr, handle};
    return 0;
}

/* Tell veneerd a mapping is gone. */
static int vngnt_release(struct vngnt *h, uint32_t handle)
{
    struct vn_ctl_gnt_unmap req = {.handle = handle};
    struct vn_ctl_gnt_result rep = {0};
    size_t got;
    int rc;

    rc = vngnt_call(h, VN_CTL_GNT_UNMAP, &req, sizeof(req), NULL, 0, &rep,
                    sizeof(rep), &got, NULL);
    if (rc == 0 && got != sizeof(rep))
        rc = -EPROTO;
    if (rc == 0) {
        h->status = rep.status;
        rc = vngnt_errno(rep.status);
    }
    return rc;
}

int vngnt_map(struct vngnt *h, uint32_t domid, uint32_t ref, unsigned int flags,
              void **addr)
{
    struct vn_ctl_gnt_map req = {.domid = domid, .ref = ref};
    struct vn_ctl_gnt_mapped rep = {0};
    int prot = PROT_READ, fd = -1, rc;
    size_t got;
    void *p;

    if (flags & ~VNGNT_READONLY)
        return -EINVAL;
    if (flags & VNGNT_READONLY)
        req.flags = VN_GNT_READONLY;
    else
        prot |= PROT_WRITE;
    rc = vngnt_call(h, VN_CTL_GNT_MAP, &req, sizeof(req), NULL, 0, &rep,
                    sizeof(rep), &got, &fd);
    if (rc == 0 && got != sizeof(rep))
        rc = -EPROTO;
    if (rc == 0) {
        h->status = rep.status;
        rc = vngnt_errno(rep.status);
    }
    if (rc == 0 && fd < 0)
        rc = -EPROTO;
    if (rc != 0) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    /* Exactly the granted page; the file goes at once. */
    p = mmap(NULL, VNGNT_PAGE, prot, MAP_SHARED, fd, (off_t)rep.offset);
    rc = p == MAP_FAILED ? -errno : 0;
    close(fd);
    if (rc == 0) {
        rc = vngnt_track(h, p, rep.handle);
        if (rc != 0)
            munmap(p, VNGNT_PAGE);
    }
    if (rc != 0) {
        vngnt_release(h, rep.handle);
        return rc;
    }
    *addr = p;
    return 0;
}

int vngnt_unmap(struct vngnt *h, void *addr)
{
    uint32_t handle;
    size_t i;

    for (i = 0; i < h->nr_pages && h->pages[i].addr != addr; i++)
        ;
    if (i == h->nr_pages)
        return -EINVAL;
    handle = h->pages[i].handle;
    h->pages[i] = h->pages[--h->nr_pages];
    /* First the mapping goes, then veneerd hears of it. */
    munmap(addr, VNGNT_PAGE);
    return vngnt_release(h, handle);
}

static int vngnt_copy(struct vngnt *h, uint32_t domid, uint32_t ref,
                      uint16_t offset, void *buf, uint16_t len, bool to_guest)
{
    struct vn_ctl_gnt_copy req = {
        .domid = domid,
        .ref = ref,
        .offset = offset,
        .len = len,
        .flags = to_guest ? VN_GNT_COPY_TO_GUEST : 0,
    };
    struct {
        struct vn_ctl_gnt_result res;
        uint8_t data[VNGNT_PAGE];
    } rep;
    size_t got;
    int rc;

    if (len > VNGNT_PAGE)
        return -EINVAL;
    rc =
        vngnt_call(h, VN_CTL_GNT_COPY, &req, sizeof(req), to_guest ? buf : NULL,
                   to_guest ? len : 0, &rep, sizeof(rep), &got, NULL);
    if (rc == 0 && got < sizeof(rep.res))
        rc = -EPROTO;
    if (rc == 0) {
        h->status = rep.res.status;
        rc = vngnt_errno(rep.res.status);
    }
    if (rc == 0 && !to_guest) {
        if (got != sizeof(rep.res) + len)
            return -EPROTO;
        memcpy(buf, rep.data, len);
    }
    return rc;
}

int vngnt_copy_from(struct vngnt *h, uint32_t domid, uint32_t ref,
                    uint16_t offset, void *buf, uint16_t len)
{
    return vngnt_copy(h, domid, ref, offset, buf, len, false);
}

int vngnt_copy_to(struct vngnt *h, uint32_t domid, uint32_t ref,
                  uint16_t offset, const void *buf, uint16_t len)
{
    return vngnt_copy(h, domid, ref, offset, (void *)buf, len, true);
}
