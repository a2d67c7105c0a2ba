/* SPDX-License-Identifier: MIT */
/*
 * libvnev: dom0's event channels for host processes; see vnev.h. One
 * control connection per handle, one request at a time; the handle keeps
 * each of its ports' two eventfds.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "vnev.h"

#define VNEV_RUNDIR_DEFAULT "/run/veneer"
#define VNEV_SOCKET_NAME    "veneerd.sock"
#define VNEV_TIMEOUT_S      10 /* [POLICY] longest wait for a reply */

struct vnev_port {
    uint32_t port;
    int notify_fd, send_fd;
};

struct vn_evtchn {
    int fd;
    uint32_t seq;
    struct vnev_port *ports;
    size_t nr, cap;
};

static int vnev_connect(const char *rundir)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {.tv_sec = VNEV_TIMEOUT_S};
    int fd, rc;

    if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", rundir,
                         VNEV_SOCKET_NAME) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

int vn_evtchn_open(const char *rundir, struct vn_evtchn **out)
{
    struct vn_evtchn *h;
    int fd;

    if (!rundir)
        rundir = getenv("VENEER_RUNDIR");
    if (!rundir || !*rundir)
        rundir = VNEV_RUNDIR_DEFAULT;
    h = calloc(1, sizeof(*h));
    if (!h)
        return -ENOMEM;
    fd = vnev_connect(rundir);
    if (fd < 0) {
        free(h);
        return fd;
    }
    h->fd = fd;
    h->seq = 1;
    *out = h;
    return 0;
}

void vn_evtchn_close(struct vn_evtchn *h)
{
    if (!h)
        return;
    /* veneerd closes the ports when the connection goes. */
    for (size_t i = 0; i < h->nr; i++) {
        close(h->ports[i].notify_fd);
        close(h->ports[i].send_fd);
    }
    if (h->fd >= 0)
        close(h->fd);
    free(h->ports);
    free(h);
}

/* Read exactly len bytes (the socket has a receive timeout). */
static int vnev_read(int fd, void *buf, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = recv(fd, (char *)buf + off, len - off, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? -ECONNRESET : -errno;
        off += (size_t)n;
    }
    return 0;
}

/* Receive a reply header and the descriptors that came with it. */
static int vnev_recv_hdr(int fd, struct vn_ctl_hdr *hdr, int fds[2])
{
    char cbuf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {hdr, sizeof(*hdr)};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *cm;
    ssize_t n;

    do
        n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return n == 0 ? -ECONNRESET : -errno;
    for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        size_t nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        for (size_t i = 0; i < nfds; i++) {
            int got;
            memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (i < 2 && fds[i] < 0)
                fds[i] = got;
            else
                close(got);
        }
    }
    if ((size_t)n < sizeof(*hdr))
        return vnev_read(fd, (char *)hdr + n, sizeof(*hdr) - (size_t)n);
    return 0;
}

/*
 * One request (op, req) and its reply: status, up to len bytes of
 * payload in rep, and up to two descriptors in fds (-1 if none came).
 */
static int vnev_call(struct vn_evtchn *h, uint16_t op, const void *req,
                     size_t req_len, void *rep, size_t rep_len, int fds[2])
{
    struct vn_ctl_hdr hdr = {.magic = VN_CTL_MAGIC,
                             .version = VN_CTL_VERSION,
                             .op = op,
                             .seq = h->seq++,
                             .len = (uint32_t)req_len};
    struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {(void *)req, req_len}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
    uint8_t extra[256];
    int rc;

    fds[0] = fds[1] = -1;
    if (h->fd < 0)
        return -ECONNRESET;
    if (sendmsg(h->fd, &msg, MSG_NOSIGNAL) != (ssize_t)(sizeof(hdr) + req_len))
        return errno == EPIPE ? -ECONNRESET : -errno;
    rc = vnev_recv_hdr(h->fd, &hdr, fds);
    if (rc == 0 && (hdr.magic != VN_CTL_MAGIC || hdr.op != op ||
                    hdr.len > rep_len + sizeof(extra)))
        rc = -EPROTO;
    if (rc == 0 && hdr.len)
        rc = vnev_read(h->fd, hdr.len <= rep_len ? rep : extra, hdr.len);
    if (rc == 0 && hdr.status == 0 && hdr.len < rep_len)
        rc = -EPROTO;
    if (rc < 0) {
        close(h->fd); /* out of step with veneerd: give up the connection */
        h->fd = -1;
    } else {
        rc = hdr.status;
    }
    for (int i = 0; i < 2 && rc < 0; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
    return rc;
}

static struct vnev_port *vnev_find(struct vn_evtchn *h, uint32_t port)
{
    for (size_t i = 0; i < h->nr; i++)
        if (h->ports[i].port == port)
            return &h->ports[i];
    return NULL;
}

/* One of the binds: the new port and its descriptors. */
static int vnev_bind(struct vn_evtchn *h, uint16_t op, uint32_t domid,
                     uint32_t remote_port, uint32_t *port)
{
    struct vn_ctl_evtchn req = {.domid = domid, .remote_port = remote_port};
    struct vn_ctl_evtchn rep;
    int fds[2], rc;

    if (h->nr == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 8;
        struct vnev_port *p = realloc(h->ports, cap * sizeof(*p));
        if (!p)
            return -ENOMEM;
        h->ports = p;
        h->cap = cap;
    }
    rc = vnev_call(h, op, &req, sizeof(req), &rep, sizeof(rep), fds);
    if (rc == 0 && (fds[0] < 0 || fds[1] < 0)) {
        rc = -EPROTO;
        if (fds[0] >= 0)
            close(fds[0]);
        if (fds[1] >= 0)
            close(fds[1]);
    }
    if (rc < 0)
        return rc;
    h->ports[h->nr++] = (struct vnev_port){rep.port, fds[0], fds[1]};
    *port = rep.port;
    return 0;
}

int vn_evtchn_bind_interdomain(struct vn_evtchn *h, uint32_t domid,
                               uint32_t remote_port, uint32_t *port)
{
    return vnev_bind(h, VN_CTL_EVTCHN_BIND_INTERDOMAIN, domid, remote_port,
                     port);
}

int vn_evtchn_alloc_unbound(struct vn_evtchn *h, uint32_t domid, uint32_t *port)
{
    return vnev_bind(h, VN_CTL_EVTCHN_ALLOC_UNBOUND, domid, 0, port);
}

int vn_evtchn_bind_virq(struct vn_evtchn *h, uint32_t virq, uint32_t *port)
{
    return vnev_bind(h, VN_CTL_EVTCHN_BIND_VIRQ, 0, virq, port);
}

int vn_evtchn_fd(struct vn_evtchn *h, uint32_t port)
{
    struct vnev_port *p = vnev_find(h, port);

    return p ? p->notify_fd : -EBADF;
}

int64_t vn_evtchn_ack(struct vn_evtchn *h, uint32_t port)
{
    struct vnev_port *p = vnev_find(h, port);
    uint64_t count;

    if (!p)
        return -EBADF;
    if (read(p->notify_fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
        return errno == EAGAIN ? 0 : -errno;
    return count > INT64_MAX ? INT64_MAX : (int64_t)count;
}

int64_t vn_evtchn_wait(struct vn_evtchn *h, uint32_t port, int timeout_ms)
{
    struct vnev_port *p = vnev_find(h, port);
    struct pollfd pfd;
    int n;

    if (!p)
        return -EBADF;
    pfd = (struct pollfd){p->notify_fd, POLLIN, 0};
    n = poll(&pfd, 1, timeout_ms);
    if (n < 0)
        return -errno;
    return n == 0 ? 0 : vn_evtchn_ack(h, port);
}

int vn_evtchn_notify(struct vn_evtchn *h, uint32_t port)
{
    struct vnev_port *p = vnev_find(h, port);
    uint64_t one = 1;

    if (!p)
        return -EBADF;
    if (write(p->send_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
        return -errno;
    return 0;
}

int vn_evtchn_send(struct vn_evtchn *h, uint32_t port)
{
    struct vn_ctl_evtchn req = {.port = port};
    int fds[2];

    return vnev_call(h, VN_CTL_EVTCHN_SEND, &req, sizeof(req), NULL, 0, fds);
}

int vn_evtchn_status(struct vn_evtchn *h, uint32_t port,
                     struct vn_ctl_evtchn_status *st)
{
    struct vn_ctl_evtchn req = {.port = port};
    int fds[2];

    return vnev_call(h, VN_CTL_EVTCHN_STATUS, &req, sizeof(req), st,
                     sizeof(*st), fds);
}

int vn_evtchn_unbind(struct vn_evtchn *h, uint32_t port)
{
    struct vn_ctl_evtchn req = {.port = port};
    struct vnev_port *p = vnev_find(h, port);
    int fds[2];
    int rc = vnev_call(h, VN_CTL_EVTCHN_CLOSE, &req, sizeof(req), NULL, 0, fds);

    if (rc == 0 && p) {
        close(p->notify_fd);
        close(p->send_fd);
        *p = h->ports[--h->nr];
    }
    return rc;
}
