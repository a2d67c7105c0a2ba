// SPDX-License-Identifier: MIT
// The dom0 client of veneerd's control socket (see vnctl.h): connecting,
// and one synchronous request/reply exchange at a time.
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "vnctl.h"

/* Descriptors one receive can take in before the kernel drops the rest
 * (those past VNCTL_RECV_FDS are closed here). */
#define VNCTL_CMSG_FDS 4

const char *vnctl_rundir_default(void)
{
    const char *env = getenv("VENEER_RUNDIR");

    return env != NULL && *env != '\0' ? env : VNCTL_RUNDIR_DEFAULT;
}

int vnctl_open(struct vnctl *c, const char *rundir, int timeout_s)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = timeout_s};
    int fd = -1, rc = 0;

    c->fd = -1;
    c->seq = 1;
    if (rundir == NULL)
        rundir = vnctl_rundir_default();
    if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", rundir,
                         VNCTL_SOCKET_NAME) >= sizeof(sa.sun_path))
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
    c->fd = fd;
    return 0;
}

void vnctl_close(struct vnctl *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* A failed send or receive as the caller sees it: the socket timeouts
 * are -ETIMEDOUT, a peer gone -ECONNRESET. */
static int errno_of_io(void)
{
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return -ETIMEDOUT;
    return errno == EPIPE ? -ECONNRESET : -errno;
}

/* Sends the header and the payload's parts, all of them, the descriptor
 * (if any) with the first byte. */
static int vnctl_send(int sock, const struct vn_ctl_hdr *hdr,
                      const struct vnctl_call *call)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov[1 + VNCTL_REQ_PARTS] = {
        {.iov_base = (void *)hdr, .iov_len = sizeof(*hdr)},
    };
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 1};
    size_t left = sizeof(*hdr) + hdr->len;

    for (size_t i = 0; i < VNCTL_REQ_PARTS; i++)
        if (call->req[i].iov_len > 0)
            iov[msg.msg_iovlen++] = call->req[i];
    if (call->send_fd >= 0) {
        struct cmsghdr *cm;

        memset(&ctl, 0, sizeof(ctl));
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof(ctl.buf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &call->send_fd, sizeof(int));
    }
    while (left > 0) {
        ssize_t n = sendmsg(sock, &msg, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno_of_io() : -ECONNRESET;
        left -= (size_t)n;
        msg.msg_control = NULL; /* the descriptor went with byte one */
        msg.msg_controllen = 0;
        while (n > 0 && msg.msg_iovlen > 0) {
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

/* Takes the descriptors a message carried into the free slots of fds (in
 * order); closes those that find none. */
static void take_fds(struct msghdr *msg, int fds[VNCTL_RECV_FDS])
{
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm != NULL;
         cm = CMSG_NXTHDR(msg, cm)) {
        size_t n;

        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            size_t slot = 0;
            int got;

            memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            while (slot < VNCTL_RECV_FDS && fds[slot] >= 0)
                slot++;
            if (slot < VNCTL_RECV_FDS)
                fds[slot] = got;
            else
                close(got);
        }
    }
}

/* Reads exactly len bytes; with fds, takes the descriptors that come
 * with them (only a header's bytes carry any). */
static int recv_exact(int sock, void *buf, size_t len, int fds[VNCTL_RECV_FDS])
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(VNCTL_CMSG_FDS * sizeof(int))];
    } ctl;
    size_t got = 0;

    while (got < len) {
        struct iovec iov = {.iov_base = (char *)buf + got,
                            .iov_len = len - got};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n;

        if (fds != NULL) {
            msg.msg_control = ctl.buf;
            msg.msg_controllen = sizeof(ctl.buf);
        }
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno_of_io() : -ECONNRESET;
        if (fds != NULL)
            take_fds(&msg, fds);
        got += (size_t)n;
    }
    return 0;
}

/* Reads the reply to req into call; 0 with *status set, or a local
 * -errno. */
static int vnctl_recv(int sock, const struct vn_ctl_hdr *req,
                      struct vnctl_call *call, int *status)
{
    struct vn_ctl_hdr rep;
    int rc;

    rc = recv_exact(sock, &rep, sizeof(rep), call->recv_fd);
    if (rc != 0)
        return rc;
    if (rep.magic != VN_CTL_MAGIC || rep.version != VN_CTL_VERSION ||
        rep.op != req->op || rep.seq != req->seq)
        return -EPROTO;
    if (rep.len > call->replymax)
        return -EPROTO;
    if (rep.len > 0 && call->reply == NULL) {
        call->reply = malloc((size_t)rep.len + 1);
        if (call->reply == NULL)
            return -ENOMEM; /* unread bytes: the stream is lost */
        ((char *)call->reply)[rep.len] = '\0'; /* for text replies */
    }
    if (rep.len > 0) {
        rc = recv_exact(sock, call->reply, rep.len, NULL);
        if (rc != 0)
            return rc;
    }
    call->replylen = rep.len;
    if (rep.status > 0 || rep.status < -VNCTL_ERRNO_MAX)
        return -EPROTO;
    *status = rep.status;
    return 0;
}

/* Gives back what a failed exchange received: its descriptors and, if
 * vnctl_call allocated it, its payload. */
static void vnctl_call_drop(struct vnctl_call *call, bool allocated)
{
    if (allocated) {
        free(call->reply);
        call->reply = NULL;
    }
    call->replylen = 0;
    for (size_t i = 0; i < VNCTL_RECV_FDS; i++) {
        if (call->recv_fd[i] >= 0)
            close(call->recv_fd[i]);
        call->recv_fd[i] = -1;
    }
}

int vnctl_call(struct vnctl *c, struct vnctl_call *call)
{
    struct vn_ctl_hdr hdr = {
        .magic = VN_CTL_MAGIC,
        .version = VN_CTL_VERSION,
        .op = call->op,
        .seq = c->seq++,
    };
    bool allocate = call->reply == NULL;
    size_t reqlen = 0;
    int rc, status = 0;

    call->replylen = 0;
    for (size_t i = 0; i < VNCTL_RECV_FDS; i++)
        call->recv_fd[i] = -1;
    if (c->fd < 0)
        return -ECONNRESET;
    for (size_t i = 0; i < VNCTL_REQ_PARTS; i++)
        reqlen += call->req[i].iov_len;
    if (reqlen > VN_CTL_MAX_PAYLOAD)
        return -EMSGSIZE;
    hdr.len = (uint32_t)reqlen;
    rc = vnctl_send(c->fd, &hdr, call);
    if (rc == 0)
        rc = vnctl_recv(c->fd, &hdr, call, &status);
    if (rc != 0) {
        vnctl_call_drop(call, allocate);
        vnctl_close(c); /* the stream is out of step now */
        return rc;
    }
    if (status == -EPROTO)
        vnctl_close(c); /* veneerd closes the connection after it */
    return status;
}
