/* SPDX-License-Identifier: MIT */
/*
 * The control protocol (abi/veneer/control.h): read one request from a
 * client of the control socket, check it, act through daemon.c, answer.
 * Clients are root, but a malformed message still gets an error, never a
 * crash: every length is checked against what the op expects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <xen/sched.h>

#include "daemon.h"

/* Read exactly len bytes (the socket has a receive timeout). */
static int control_read(int fd, void *buf, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = recv(fd, (char *)buf + off, len - off, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -EPROTO;
        off += (size_t)n;
    }
    return 0;
}

/* The header, and a passed fd if one came with it (else -1). */
static int control_read_hdr(int fd, struct vn_ctl_hdr *h, int *passed)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {h, sizeof(*h)};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *cm;
    ssize_t n;

    *passed = -1;
    n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    if (n <= 0)
        return -EPROTO;
    for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len == CMSG_LEN(sizeof(int)))
            memcpy(passed, CMSG_DATA(cm), sizeof(int));
    if ((size_t)n < sizeof(*h))
        return control_read(fd, (char *)h + n, sizeof(*h) - (size_t)n);
    return 0;
}

/*
 * control_reply_fds - send the reply to req: the header with status, the
 * payload, and nr_fds (at most CONTROL_MAX_FDS) descriptors as
 * SCM_RIGHTS. The descriptors stay open here.
 */
void control_reply_fds(int fd, const struct vn_ctl_hdr *req, int status,
                       const void *payload, size_t len, const int *fds,
                       unsigned int nr_fds)
{
    struct vn_ctl_hdr h = *req;
    char cbuf[CMSG_SPACE(CONTROL_MAX_FDS * sizeof(int))];
    struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)payload, len}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};

    h.status = status;
    h.len = (uint32_t)len;
    if (nr_fds > 0 && nr_fds <= CONTROL_MAX_FDS) {
        struct cmsghdr *cm;

        memset(cbuf, 0, sizeof(cbuf));
        msg.msg_control = cbuf;
        msg.msg_controllen = CMSG_SPACE(nr_fds * sizeof(int));
        cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(nr_fds * sizeof(int));
        memcpy(CMSG_DATA(cm), fds, nr_fds * sizeof(int));
    }
    if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0)
        log_debug("%s: client went away", __func__);
}

/* Send the reply header, payload, and optionally one fd. */
static void control_reply(int fd, const struct vn_ctl_hdr *req, int status,
                          const void *payload, size_t len, int pass_fd)
{
    control_reply_fds(fd, req, status, payload, len, &pass_fd,
                      pass_fd >= 0 ? 1 : 0);
}

/*
 * control_payload - copy a request's payload p (len bytes) into out, an
 * op's struct of size bytes, zero-filling what a shorter one lacks.
 * Return values: false if the payload is longer than the struct.
 */
bool control_payload(const void *p, uint32_t len, void *out, size_t size)
{
    if (len > size)
        return false;
    memset(out, 0, size);
    memcpy(out, p, len);
    return true;
}

static bool control_name_ok(const char *name)
{
    size_t n = strnlen(name, VN_NAME_MAX);

    if (n == 0 || n == VN_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (name[i] <= ' ' || name[i] > '~' || name[i] == '/')
            return false;
    return true;
}

static void control_create(int fd, const struct vn_ctl_hdr *h, const void *p,
                           int image_fd)
{
    struct vn_ctl_create c;
    struct managed *m = NULL;
    struct vn_dominfo info;
    char err[256] = "";
    int rc;

    if (!control_payload(p, h->len, &c, sizeof(c)) || image_fd < 0) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    c.name[VN_NAME_MAX - 1] = c.cmdline[VN_CMDLINE_MAX - 1] = '\0';
    if (!control_name_ok(c.name) || c.vcpus > 1 ||
        c.memory_mib < VN_MIN_MEMORY_MIB || c.memory_mib > VN_MAX_MEMORY_MIB ||
        c.on_poweroff > VN_ON_PRESERVE || c.on_reboot > VN_ON_PRESERVE ||
        c.on_crash > VN_ON_PRESERVE) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    rc = daemon_create(&c, image_fd, c.flags & VN_CREATE_PAUSED, &m, err,
                       sizeof(err));
    if (rc < 0) {
        control_reply(fd, h, rc, err, err[0] ? strlen(err) + 1 : 0, -1);
        return;
    }
    daemon_dominfo(m, &info);
    control_reply(fd, h, 0, &info, sizeof(info), -1);
}

static void control_list(int fd, const struct vn_ctl_hdr *h)
{
    static struct managed *all[VN_MAX_DOMAINS];
    struct vn_dominfo *infos;
    unsigned int n = daemon_list(all, VN_MAX_DOMAINS);

    _Static_assert(VN_MAX_DOMAINS * sizeof(*infos) <= VN_CTL_MAX_PAYLOAD,
                   "a LIST of every domain fits one reply");
    infos = calloc(n ? n : 1, sizeof(*infos));
    if (!infos) {
        control_reply(fd, h, -ENOMEM, NULL, 0, -1);
        return;
    }
    for (unsigned int i = 0; i < n; i++)
        daemon_dominfo(all[i], &infos[i]);
    control_reply(fd, h, 0, infos, n * sizeof(*infos), -1);
    free(infos);
}

/* Attach a console: a socketpair, one end to the domain, one to the
 * client. */
static int control_console(struct managed *m, int *client_end)
{
    int sv[2];
    int rc;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -errno;
    shutdown(sv[0], SHUT_RD);
    rc = console_attach(m->d, sv[0]);
    if (rc < 0) {
        close(sv[0]);
        close(sv[1]);
        return rc;
    }
    *client_end = sv[1];
    return 0;
}

/* Ops that name one domain, with an optional extra field. */
static void control_domain_op(int fd, const struct vn_ctl_hdr *h, const void *p)
{
    union {
        struct vn_ctl_dom dom;
        struct vn_ctl_shutdown sd;
        struct vn_ctl_memory mem;
    } u;
    struct managed *m;
    struct vn_dominfo info;
    int rc = 0, pass = -1;

    if (!control_payload(p, h->len, &u, sizeof(u))) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    m = daemon_find(&u.dom);
    if (!m) {
        control_reply(fd, h, -ENOENT, NULL, 0, -1);
        return;
    }
    switch (h->op) {
    case VN_CTL_DESTROY:
        daemon_destroy(m);
        break;
    case VN_CTL_PAUSE:
        platform_pause(m->d);
        break;
    case VN_CTL_UNPAUSE:
        platform_unpause(m->d);
        break;
    case VN_CTL_INFO:
        daemon_dominfo(m, &info);
        control_reply(fd, h, 0, &info, sizeof(info), -1);
        return;
    case VN_CTL_SHUTDOWN:
        if (u.sd.reason > SHUTDOWN_MAX)
            rc = -EINVAL;
        else
            domain_shutdown(m->d, u.sd.reason);
        break;
    case VN_CTL_SET_MAX_MEM:
        /* RAM slots are fixed at creation: the maximum can go down (even
         * below what the guest holds: it then cannot grow, as on Xen), or
         * back up to what the domain was created with. */
        if (u.mem.max_kib / 4 > m->d->shared_info_slot)
            rc = -EINVAL;
        else
            m->d->max_pages = u.mem.max_kib / 4;
        break;
    case VN_CTL_CONSOLE:
        rc = control_console(m, &pass);
        break;
    }
    control_reply(fd, h, rc, NULL, 0, pass);
    if (pass >= 0)
        close(pass);
}

/* ---- grants to dom0: the connection owns its mappings ---- */

/* VN_CTL_GNT_MAP: pin, then pass the granter's file. */
static void control_gnt_map(int fd, const struct vn_ctl_hdr *h, const void *p)
{
    struct vn_ctl_gnt_map req;
    struct vn_ctl_gnt_mapped rep = {0};
    int pass = -1;

    if (!control_payload(p, h->len, &req, sizeof(req)) ||
        (req.flags & ~VN_GNT_READONLY)) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    if (req.domid > UINT16_MAX)
        rep.status = GNTST_bad_domain;
    else
        rep.status = gnttab_dom0_map(fd, (domid_t)req.domid, req.ref,
                                     req.flags & VN_GNT_READONLY, &rep.handle,
                                     &rep.offset, &pass);
    /* veneerd's own descriptor: passed, never closed here. */
    control_reply(fd, h, 0, &rep, sizeof(rep),
                  rep.status == GNTST_okay ? pass : -1);
}

/* VN_CTL_GNT_UNMAP */
static void control_gnt_unmap(int fd, const struct vn_ctl_hdr *h, const void *p)
{
    struct vn_ctl_gnt_unmap req;
    struct vn_ctl_gnt_result rep = {0};

    if (!control_payload(p, h->len, &req, sizeof(req))) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    rep.status = gnttab_dom0_unmap(fd, req.handle);
    control_reply(fd, h, 0, &rep, sizeof(rep), -1);
}

/* VN_CTL_GNT_COPY: the request carries the bytes for the guest, the
 * reply the bytes from it. */
static void control_gnt_copy(int fd, const struct vn_ctl_hdr *h,
                             const uint8_t *p)
{
    struct vn_ctl_gnt_copy req;
    static struct {
        struct vn_ctl_gnt_result res;
        uint8_t data[PAGE_SIZE];
    } rep;
    bool to_guest;
    uint32_t back = 0;

    if (h->len < sizeof(req)) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    memcpy(&req, p, sizeof(req));
    to_guest = req.flags & VN_GNT_COPY_TO_GUEST;
    if ((req.flags & ~VN_GNT_COPY_TO_GUEST) || req.len > PAGE_SIZE ||
        h->len != sizeof(req) + (to_guest ? req.len : 0u)) {
        control_reply(fd, h, -EINVAL, NULL, 0, -1);
        return;
    }
    memset(&rep.res, 0, sizeof(rep.res));
    if (to_guest)
        memcpy(rep.data, p + sizeof(req), req.len);
    if (req.domid > UINT16_MAX)
        rep.res.status = GNTST_bad_domain;
    else
        rep.res.status =
            gnttab_dom0_copy((domid_t)req.domid, req.ref, req.offset, rep.data,
                             req.len, to_guest);
    if (rep.res.status == GNTST_okay && !to_guest)
        back = req.len;
    control_reply(fd, h, 0, &rep, sizeof(rep.res) + back, -1);
}

/*
 * control_serve - read and answer one request on fd. A protocol error is
 * answered with -EPROTO (when the header was readable) and the client is
 * then expected to go away.
 */
void control_serve(int fd)
{
    static uint8_t payload[VN_CTL_MAX_PAYLOAD];
    struct vn_ctl_hdr h;
    int passed = -1;

    memset(&h, 0, sizeof(h));
    if (control_read_hdr(fd, &h, &passed) < 0)
        goto out;
    if (h.magic != VN_CTL_MAGIC || h.version != VN_CTL_VERSION ||
        h.len > VN_CTL_MAX_PAYLOAD || control_read(fd, payload, h.len) < 0) {
        control_reply(fd, &h, -EPROTO, NULL, 0, -1);
        shutdown(fd, SHUT_RDWR);
        goto out;
    }
    switch (h.op) {
    case VN_CTL_CREATE:
        control_create(fd, &h, payload, passed);
        break;
    case VN_CTL_LIST:
        control_list(fd, &h);
        break;
    case VN_CTL_DESTROY:
    case VN_CTL_PAUSE:
    case VN_CTL_UNPAUSE:
    case VN_CTL_INFO:
    case VN_CTL_SHUTDOWN:
    case VN_CTL_SET_MAX_MEM:
    case VN_CTL_CONSOLE:
        control_domain_op(fd, &h, payload);
        break;
    case VN_CTL_GNT_MAP:
        control_gnt_map(fd, &h, payload);
        break;
    case VN_CTL_GNT_UNMAP:
        control_gnt_unmap(fd, &h, payload);
        break;
    case VN_CTL_GNT_COPY:
        control_gnt_copy(fd, &h, payload);
        break;
    case VN_CTL_EVTCHN_BIND_INTERDOMAIN:
    case VN_CTL_EVTCHN_ALLOC_UNBOUND:
    case VN_CTL_EVTCHN_BIND_VIRQ:
    case VN_CTL_EVTCHN_SEND:
    case VN_CTL_EVTCHN_CLOSE:
    case VN_CTL_EVTCHN_STATUS:
        control_evtchn(fd, &h, payload);
        break;
    default:
        control_reply(fd, &h, -EOPNOTSUPP, NULL, 0, -1);
    }
out:
    if (passed >= 0)
        close(passed);
}
