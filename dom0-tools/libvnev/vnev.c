/* SPDX-License-Identifier: MIT */
/*
 * libvnev: dom0's event channels for host processes; see vnev.h. One
 * control connection per handle, one request at a time; the handle keeps
 * each of its ports' two eventfds.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnctl.h"
#include "vnev.h"

#define VNEV_TIMEOUT_S 10 /* [POLICY] longest wait for a reply */

/* Reply bytes accepted past the struct a call expects, and ignored: a
 * newer veneerd may append fields (control.h versioning). [POLICY] */
#define VNEV_REPLY_SLACK 256

_Static_assert(VNCTL_RECV_FDS >= 2, "a bind's reply carries two eventfds");

struct vnev_port {
    uint32_t port;
    int notify_fd, send_fd;
};

struct vn_evtchn {
    struct vnctl ctl;
    struct vnev_port *ports;
    size_t nr, cap;
};

int vn_evtchn_open(const char *rundir, struct vn_evtchn **out)
{
    struct vn_evtchn *h;
    int rc;

    if (rundir && !*rundir)
        rundir = VNCTL_RUNDIR_DEFAULT; /* "" was always the default */
    h = calloc(1, sizeof(*h));
    if (!h)
        return -ENOMEM;
    rc = vnctl_open(&h->ctl, rundir, VNEV_TIMEOUT_S);
    if (rc < 0) {
        free(h);
        return rc;
    }
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
    vnctl_close(&h->ctl);
    free(h->ports);
    free(h);
}

/*
 * One request (op, req) and its reply: status, the first rep_len bytes
 * of its payload in rep (a successful reply has at least that many), and
 * up to two descriptors in fds (-1 if none came; closed on failure).
 */
static int vnev_call(struct vn_evtchn *h, uint16_t op, const void *req,
                     size_t req_len, void *rep, size_t rep_len, int fds[2])
{
    struct vnctl_call call = {
        .op = op,
        .req = {{.iov_base = (void *)req, .iov_len = req_len}},
        .send_fd = -1,
        .replymax = rep_len + VNEV_REPLY_SLACK,
    };
    int rc = vnctl_call(&h->ctl, &call);

    if (rc == 0 && call.replylen < rep_len) {
        rc = -EPROTO;
        vnctl_close(&h->ctl); /* out of step with veneerd: give up */
    }
    if (rc == 0 && rep_len > 0)
        memcpy(rep, call.reply, rep_len);
    free(call.reply);
    for (int i = 0; i < 2; i++) {
        fds[i] = call.recv_fd[i];
        if (rc < 0 && fds[i] >= 0)
            close(fds[i]);
        if (rc < 0)
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
