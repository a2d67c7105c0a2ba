// SPDX-License-Identifier: MIT
// libvstore's connection: socket set-up, one synchronous request/reply
// exchange at a time, and the sorting of watch events (which may arrive
// between any two messages) into the handle's queue.
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libvstore.h"

_Static_assert(EINVAL == XEN_EINVAL && EAGAIN == XEN_EAGAIN &&
                   EISCONN == XEN_EISCONN,
               "host errno values are Xen's");

static int vs_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

struct vstore *vstore_open(const char *path)
{
    struct epoll_event ev = {.events = EPOLLIN};
    struct vstore *h = calloc(1, sizeof(*h));
    int err = ENOMEM;

    if (h == NULL)
        goto fail;
    h->fd = h->evfd = h->epfd = -1;
    h->ev_tail = &h->ev_head;
    h->next_req = 1;
    h->fd = vs_connect(path != NULL ? path : vstore_socket_path());
    h->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    h->epfd = epoll_create1(EPOLL_CLOEXEC);
    err = errno;
    if (h->fd < 0 || h->evfd < 0 || h->epfd < 0)
        goto fail;
    if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->fd, &ev) != 0 ||
        epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->evfd, &ev) != 0) {
        err = errno;
        goto fail;
    }
    return h;
fail:
    vstore_close(h);
    errno = err;
    return NULL;
}

void vstore_close(struct vstore *h)
{
    if (h == NULL)
        return;
    while (h->ev_head != NULL) {
        struct vs_event *e = h->ev_head;

        h->ev_head = e->next;
        free(e);
    }
    if (h->fd >= 0)
        close(h->fd);
    if (h->evfd >= 0)
        close(h->evfd);
    if (h->epfd >= 0)
        close(h->epfd);
    free(h);
}

/* Keep the event fd readable exactly while events are queued. */
void vs_events_changed(struct vstore *h)
{
    uint64_t v;

    if (h->ev_head != NULL) {
        v = 1;
        if (write(h->evfd, &v, sizeof(v)) != sizeof(v))
            return; /* counter already high: still readable */
    } else if (read(h->evfd, &v, sizeof(v)) != sizeof(v)) {
        return; /* already zero */
    }
}

static int vs_fail(struct vstore *h, int err)
{
    if (h->dead == 0)
        h->dead = err;
    return -h->dead;
}

/* The wire's error name as a negative errno. */
static int vs_errno(const char *name, uint32_t len)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++) {
        const char *s = xsd_errors[i].errstring;

        if (strnlen(name, len) == strlen(s) && memcmp(name, s, strlen(s)) == 0)
            return -xsd_errors[i].errnum;
    }
    return -EIO;
}

/*
 * Take one complete message out of h->in, if there is one: events go to
 * the queue; a reply is returned through hdr/payload (malloc'd).
 * Returns 1 for a reply, 0 for an event or nothing, -errno on a broken
 * stream.
 */
static int vs_take(struct vstore *h, struct xsd_sockmsg *hdr, char **payload)
{
    size_t total;
    char *p;

    if (h->inlen < sizeof(*hdr))
        return 0;
    memcpy(hdr, h->in, sizeof(*hdr));
    if (hdr->len > XENSTORE_PAYLOAD_MAX)
        return vs_fail(h, EPROTO);
    total = sizeof(*hdr) + hdr->len;
    if (h->inlen < total)
        return 0;
    if (hdr->type == XS_WATCH_EVENT) {
        struct vs_event *e = malloc(sizeof(*e) + hdr->len + 1);

        if (e == NULL)
            return vs_fail(h, ENOMEM);
        memcpy(e->data, h->in + sizeof(*hdr), hdr->len);
        e->data[hdr->len] = '\0';
        e->len = hdr->len;
        e->next = NULL;
        *h->ev_tail = e;
        h->ev_tail = &e->next;
        p = NULL;
    } else {
        p = malloc(hdr->len + 1);
        if (p == NULL)
            return vs_fail(h, ENOMEM);
        memcpy(p, h->in + sizeof(*hdr), hdr->len);
        p[hdr->len] = '\0';
    }
    memmove(h->in, h->in + total, h->inlen - total);
    h->inlen -= total;
    if (p == NULL) {
        vs_events_changed(h);
        return 2; /* an event: look again */
    }
    *payload = p;
    return 1;
}

/* Queue the complete events already buffered behind a reply, so none
 * waits unseen while the socket itself has nothing more to read. */
static int vs_take_events(struct vstore *h)
{
    struct xsd_sockmsg hdr;
    char *p;
    int rc;

    while ((rc = vs_take(h, &hdr, &p)) > 0) {
        if (rc == 1)
            free(p); /* a reply nobody waits for */
    }
    return rc;
}

/* Read more of the stream; flags MSG_DONTWAIT for a poll. */
static int vs_fill(struct vstore *h, int flags)
{
    ssize_t n;

    do {
        n = recv(h->fd, h->in + h->inlen, sizeof(h->in) - h->inlen, flags);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return -EAGAIN;
    if (n <= 0)
        return vs_fail(h, n == 0 ? ECONNRESET : errno);
    h->inlen += (size_t)n;
    return 0;
}

/*
 * vs_pump: reads whatever the socket has without blocking and queues the
 * events in it. Return values: 0, or -errno if the connection broke.
 */
int vs_pump(struct vstore *h)
{
    struct xsd_sockmsg hdr;
    char *p;
    int rc;

    if (h->dead)
        return -h->dead;
    for (;;) {
        rc = vs_take(h, &hdr, &p);
        if (rc == 1) {
            free(p); /* a reply nobody waits for: drop it */
            continue;
        }
        if (rc == 2)
            continue;
        if (rc < 0)
            return rc;
        rc = vs_fill(h, MSG_DONTWAIT);
        if (rc == -EAGAIN)
            return 0;
        if (rc < 0)
            return rc;
    }
}

/*
 * Read until the reply to hdr->req_id arrives (events met on the way are
 * queued, stale replies dropped); *hdr becomes the reply's header and *p
 * its payload. Return values: 0, or -errno if the connection broke.
 */
static int vs_wait_reply(struct vstore *h, struct xsd_sockmsg *hdr, char **p)
{
    for (;;) {
        struct xsd_sockmsg r;
        int rc = vs_take(h, &r, p);

        if (rc == 2)
            continue;
        if (rc < 0)
            return rc;
        if (rc == 1 && r.req_id == hdr->req_id) {
            *hdr = r;
            rc = vs_take_events(h);
            if (rc < 0) {
                free(*p);
                *p = NULL;
            }
            return rc < 0 ? rc : 0;
        }
        if (rc == 1) {
            free(*p); /* a stale reply */
            *p = NULL;
            continue;
        }
        rc = vs_fill(h, 0);
        if (rc < 0)
            return rc;
    }
}

static int vs_send(struct vstore *h, const struct iovec *iov, int niov)
{
    struct iovec v[8];
    struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)niov};

    if (niov > 8)
        return -EINVAL;
    memcpy(v, iov, (size_t)niov * sizeof(*v));
    while (m.msg_iovlen > 0) {
        ssize_t n = sendmsg(h->fd, &m, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return vs_fail(h, errno);
        while (m.msg_iovlen > 0 && (size_t)n >= m.msg_iov->iov_len) {
            n -= (ssize_t)m.msg_iov->iov_len;
            m.msg_iov++;
            m.msg_iovlen--;
        }
        if (m.msg_iovlen > 0) {
            m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + n;
            m.msg_iov->iov_len -= (size_t)n;
        }
    }
    return 0;
}

/*
 * vs_talk: sends one request (payload = the iov pieces) and waits for its
 * reply, queueing watch events met on the way.
 *
 * Parameters:
 *   reply, rlen - receive the reply payload (malloc'd, NUL appended) and
 *                 its length; reply may be NULL to discard it
 *
 * Return values: 0; the server's error as -errno; -E2BIG for a request
 * over the payload limit; -ECONNRESET and others if the connection broke.
 */
int vs_talk(struct vstore *h, uint32_t type, uint32_t tx,
            const struct iovec *iov, int niov, char **reply, uint32_t *rlen)
{
    struct xsd_sockmsg hdr = {.type = type, .tx_id = tx};
    struct iovec v[8];
    char *p = NULL;
    int rc;

    if (h->dead)
        return -h->dead;
    if (niov > 7)
        return -EINVAL;
    for (int i = 0; i < niov; i++)
        hdr.len += (uint32_t)iov[i].iov_len;
    if (hdr.len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG; /* the server would drop us */
    hdr.req_id = h->next_req++;
    v[0] = (struct iovec){.iov_base = &hdr, .iov_len = sizeof(hdr)};
    memcpy(&v[1], iov, (size_t)niov * sizeof(*v));
    rc = vs_send(h, v, niov + 1);
    if (rc == 0)
        rc = vs_wait_reply(h, &hdr, &p);
    if (rc == 0 && hdr.type == XS_ERROR)
        rc = vs_errno(p, hdr.len);
    else if (rc == 0 && hdr.type != type)
        rc = vs_fail(h, EPROTO);
    if (rc == 0 && rlen != NULL)
        *rlen = hdr.len;
    if (rc == 0 && reply != NULL) {
        *reply = p;
        p = NULL;
    }
    free(p);
    return rc;
}

/* vs_talk_str: a request whose payload is one string with its NUL. */
int vs_talk_str(struct vstore *h, uint32_t type, uint32_t tx, const char *arg,
                char **reply, uint32_t *rlen)
{
    struct iovec iov = {.iov_base = (void *)arg, .iov_len = strlen(arg) + 1};

    return vs_talk(h, type, tx, &iov, 1, reply, rlen);
}

/* vs_talk_ok: the same, for requests that answer "OK". */
int vs_talk_ok(struct vstore *h, uint32_t type, uint32_t tx, const char *arg)
{
    return vs_talk_str(h, type, tx, arg, NULL, NULL);
}
