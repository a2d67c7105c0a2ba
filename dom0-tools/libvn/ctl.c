// SPDX-License-Identifier: MIT
// The control socket (abi/veneer/control.h): connecting to veneerd and
// one synchronous request/reply exchange at a time, descriptors passed
// by SCM_RIGHTS on the first byte of a header.
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "libvn_int.h"

const char *vn_rundir_default(void)
{
    const char *env = getenv("VENEER_RUNDIR");

    return env != NULL && *env != '\0' ? env : VN_RUNDIR_DEFAULT;
}

void vn_set_errmsg(struct vn *h, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
    va_end(ap);
}

const char *vn_errmsg(const struct vn *h)
{
    return h->errmsg;
}

const char *vn_handle_rundir(const struct vn *h)
{
    return h->rundir;
}

static int ctl_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = VN_CTL_TIMEOUT_S};
    int fd, rc;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
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

int vn_open(const char *rundir, struct vn **out)
{
    char path[PATH_MAX];
    struct vn *h;
    int fd;

    if (rundir == NULL)
        rundir = vn_rundir_default();
    if (strlen(rundir) >= sizeof(h->rundir) ||
        snprintf(path, sizeof(path), "%s/%s", rundir, VN_CTL_SOCKET_NAME) >=
            (int)sizeof(path))
        return -ENAMETOOLONG;
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return -ENOMEM;
    fd = ctl_connect(path);
    if (fd < 0) {
        free(h);
        return fd;
    }
    h->fd = fd;
    h->seq = 1;
    strcpy(h->rundir, rundir);
    *out = h;
    return 0;
}

void vn_close(struct vn *h)
{
    if (h == NULL)
        return;
    if (h->fd >= 0)
        close(h->fd);
    vstore_close(h->store);
    free(h);
}

static int ctl_broken(struct vn *h, int rc)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
    return rc;
}

static int errno_of_io(void)
{
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return -ETIMEDOUT;
    return errno == EPIPE ? -ECONNRESET : -errno;
}

static int ctl_send(struct vn *h, const struct vn_ctl_hdr *hdr,
                    const struct vn_call *c)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct iovec iov[2] = {
        {.iov_base = (void *)hdr, .iov_len = sizeof(*hdr)},
        {.iov_base = (void *)c->req, .iov_len = c->reqlen},
    };
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = c->reqlen ? 2 : 1};
    size_t left = sizeof(*hdr) + c->reqlen;

    if (c->send_fd >= 0) {
        struct cmsghdr *cm;

        memset(&ctl, 0, sizeof(ctl));
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof(ctl.buf);
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &c->send_fd, sizeof(int));
    }
    while (left > 0) {
        ssize_t n = sendmsg(h->fd, &msg, MSG_NOSIGNAL);

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

/* Takes the descriptors a message carried: keeps the first, closes any
 * others. */
static void take_fds(struct msghdr *msg, int *fd)
{
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm != NULL;
         cm = CMSG_NXTHDR(msg, cm)) {
        size_t n;

        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int got;

            memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (*fd < 0)
                *fd = got;
            else
                close(got);
        }
    }
}

static int ctl_recv_exact(struct vn *h, void *buf, size_t len, int *fd)
{
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } ctl;
    size_t got = 0;

    while (got < len) {
        struct iovec iov = {.iov_base = (char *)buf + got,
                            .iov_len = len - got};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        ssize_t n;

        if (fd != NULL) {
            msg.msg_control = ctl.buf;
            msg.msg_controllen = sizeof(ctl.buf);
        }
        n = recvmsg(h->fd, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno_of_io() : -ECONNRESET;
        if (fd != NULL)
            take_fds(&msg, fd);
        got += (size_t)n;
    }
    return 0;
}

/* Reads the reply to req; 0 with *status set, or a local -errno. */
static int ctl_recv(struct vn *h, const struct vn_ctl_hdr *req,
                    struct vn_call *c, int *status)
{
    struct vn_ctl_hdr rep;
    int rc;

    rc = ctl_recv_exact(h, &rep, sizeof(rep), &c->recv_fd);
    if (rc != 0)
        return rc;
    if (rep.magic != VN_CTL_MAGIC || rep.version != VN_CTL_VERSION ||
        rep.op != req->op || rep.seq != req->seq)
        return -EPROTO;
    if (rep.len > VN_CTL_REPLY_LIMIT)
        return -EPROTO;
    if (rep.len > 0) {
        c->reply = malloc(rep.len + 1);
        if (c->reply == NULL)
            return -ENOMEM; /* unread bytes: the stream is lost */
        rc = ctl_recv_exact(h, c->reply, rep.len, NULL);
        if (rc != 0)
            return rc;
        ((char *)c->reply)[rep.len] = '\0'; /* for text replies */
    }
    c->replylen = rep.len;
    if (rep.status > 0 || rep.status < -4095)
        return -EPROTO;
    *status = rep.status;
    return 0;
}

int vn_ctl_call(struct vn *h, struct vn_call *c)
{
    struct vn_ctl_hdr hdr = {
        .magic = VN_CTL_MAGIC,
        .version = VN_CTL_VERSION,
        .op = c->op,
        .seq = h->seq++,
        .len = (uint32_t)c->reqlen,
    };
    int rc, status = 0;

    c->reply = NULL;
    c->replylen = 0;
    c->recv_fd = -1;
    if (h->fd < 0)
        return -ECONNRESET;
    if (c->reqlen > VN_CTL_MAX_PAYLOAD)
        return -EMSGSIZE;
    rc = ctl_send(h, &hdr, c);
    if (rc == 0)
        rc = ctl_recv(h, &hdr, c, &status);
    if (rc != 0)
        return ctl_broken(h, rc); /* the stream is out of step now */
    if (status == -EPROTO)
        ctl_broken(h, 0); /* veneerd closes the connection after it */
    return status;
}

void vn_call_done(struct vn_call *c)
{
    free(c->reply);
    c->reply = NULL;
    if (c->recv_fd >= 0)
        close(c->recv_fd);
    c->recv_fd = -1;
}
