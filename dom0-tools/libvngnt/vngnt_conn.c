// SPDX-License-Identifier: MIT
// libvngnt's transport: one synchronous request/reply on veneerd's
// control socket (abi/veneer/control.h), a descriptor taken from the
// reply's first byte.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "vngnt_int.h"

/* vngnt_connect: the control socket of rundir, with timeouts; an fd or
 * -errno. */
int vngnt_connect(const char *rundir)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = VNGNT_TIMEOUT_S};
    const char *env = getenv("VENEER_RUNDIR");
    int fd, rc;

    if (!rundir)
        rundir = env && *env ? env : "/run/veneer";
    if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/veneerd.sock", rundir) >=
        (int)sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

static int vngnt_io_errno(ssize_t n)
{
    if (n == 0)
        return -ECONNRESET;
    return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
}

/* Read exactly len bytes; the first read may carry a descriptor. */
static int vngnt_recv(int sock, void *buf, size_t len, int *fd)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } cm;
    size_t got = 0;

    while (got < len) {
        struct iovec iov = {(char *)buf + got, len - got};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n;

        if (fd) {
            msg.msg_control = cm.buf;
            msg.msg_controllen = sizeof(cm.buf);
        }
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return vngnt_io_errno(n);
        for (struct cmsghdr *c = fd ? CMSG_FIRSTHDR(&msg) : NULL; c;
             c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                c->cmsg_len == CMSG_LEN(sizeof(int)) && *fd < 0)
                memcpy(fd, CMSG_DATA(c), sizeof(int));
        fd = NULL;
        got += (size_t)n;
    }
    return 0;
}

/* Send the whole header and payload (two parts). */
static int vngnt_send(int sock, const struct vn_ctl_hdr *h, const void *req,
                      size_t reqlen, const void *extra, size_t extralen)
{
    struct iovec iov[3] = {{(void *)h, sizeof(*h)},
                           {(void *)req, reqlen},
                           {(void *)extra, extralen}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 3};
    size_t left = sizeof(*h) + reqlen + extralen;

    while (left > 0) {
        ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return vngnt_io_errno(n);
        left -= (size_t)n;
        while (n > 0) {
            size_t take = (size_t)n < msg.msg_iov->iov_len
                              ? (size_t)n
                              : msg.msg_iov->iov_len;
            msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + take;
            msg.msg_iov->iov_len -= take;
            n -= (ssize_t)take;
            if (msg.msg_iov->iov_len == 0) {
                msg.msg_iov++;
                msg.msg_iovlen--;
            }
        }
    }
    return 0;
}

/*
 * vngnt_call: send op with req (+ extra), read the reply's payload into
 * reply (at most replymax bytes; *replylen how many came) and its
 * descriptor into *fd (-1 if none; fd may be NULL). A broken or
 * out-of-step stream closes the connection for good.
 * Return values: the reply's status (0 or veneerd's -errno); a local
 * -errno (-EPROTO for a reply out of step, -ECONNRESET once broken).
 */
int vngnt_call(struct vngnt *h, uint16_t op, const void *req, size_t reqlen,
               const void *extra, size_t extralen, void *reply, size_t replymax,
               size_t *replylen, int *fd)
{
    struct vn_ctl_hdr hdr =
                          {
                              .magic = VN_CTL_MAGIC,
                              .version = VN_CTL_VERSION,
                              .op = op,
                              .seq = h->seq++,
                              .len = (uint32_t)(reqlen + extralen),
                          },
                      rep;
    int rc;

    if (fd)
        *fd = -1;
    *replylen = 0;
    if (h->fd < 0)
        return -ECONNRESET;
    rc = vngnt_send(h->fd, &hdr, req, reqlen, extra, extralen);
    if (rc == 0)
        rc = vngnt_recv(h->fd, &rep, sizeof(rep), fd);
    if (rc == 0 && (rep.magic != VN_CTL_MAGIC || rep.op != op ||
                    rep.seq != hdr.seq || rep.len > replymax))
        rc = -EPROTO;
    if (rc == 0 && rep.len)
        rc = vngnt_recv(h->fd, reply, rep.len, NULL);
    if (rc != 0) {
        if (fd && *fd >= 0)
            close(*fd);
        if (fd)
            *fd = -1;
        close(h->fd);
        h->fd = -1;
        return rc;
    }
    *replylen = rep.len;
    return rep.status;
}
