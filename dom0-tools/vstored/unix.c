// SPDX-License-Identifier: MIT
// The local socket transport: dom0 tools (and Xen's xenstore-* through
// libxenstore) connect to a root-only unix stream socket and speak the
// wire protocol as the privileged domain 0. Non-blocking sockets; output
// is flushed once per loop batch, and a connection whose peer stops
// reading is throttled (EPOLLIN off) and eventually cut off by conn.c.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "vstored.h"

struct unix_conn {
    struct loop_src src; /* first: the loop hands back this pointer */
    struct unix_srv *srv;
    struct conn *c;
    struct unix_conn *pnext; /* pending-flush or graveyard list */
    bool pending;
};

struct unix_srv {
    struct loop_src src;
    struct store *st;
    struct loop *loop;
    char *path;
    unsigned nconns;
    struct unix_conn *pending;
    struct unix_conn *grave;
};

static void unix_kick(struct conn *c)
{
    struct unix_conn *u = c->priv;

    if (!u->pending && u->src.fd >= 0) {
        u->pending = true;
        u->pnext = u->srv->pending;
        u->srv->pending = u;
    }
}

static const struct conn_ops unix_conn_ops = {.kick = unix_kick};

/* Close at once; the memory waits in the graveyard until the batch is
 * over, since later events of the batch may still name it. */
static void unix_conn_close(struct unix_conn *u)
{
    struct unix_srv *s = u->srv;

    if (u->src.fd < 0)
        return;
    loop_del(s->loop, &u->src);
    close(u->src.fd);
    u->src.fd = -1;
    conn_destroy(u->c);
    u->c = NULL;
    s->nconns--;
    if (!u->pending) {
        u->pnext = s->grave;
        s->grave = u;
    }
    /* A pending one is moved to the graveyard by unix_after. */
}

/* EPOLLIN while the connection takes requests, EPOLLOUT while output
 * waits for the socket. */
static void unix_conn_arm(struct unix_conn *u)
{
    uint32_t ev = 0;

    if (conn_wants_input(u->c))
        ev |= EPOLLIN;
    if (obuf_len(&u->c->out) > 0)
        ev |= EPOLLOUT;
    if (loop_mod(u->srv->loop, &u->src, ev) != 0)
        unix_conn_close(u);
}

/* Send what is queued; serve requests held back by backpressure once
 * the queue drains. */
static void unix_conn_flush(struct unix_conn *u)
{
    struct conn *c = u->c;

    c->kicked = false;
    for (;;) {
        if (c->state == CONN_DEAD)
            goto close;
        while (obuf_len(&c->out) > 0) {
            ssize_t n = send(u->src.fd, obuf_data(&c->out), obuf_len(&c->out),
                             MSG_NOSIGNAL | MSG_DONTWAIT);

            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                break;
            if (n <= 0)
                goto close;
            obuf_consume(&c->out, (size_t)n);
        }
        if (c->state == CONN_DRAIN && obuf_len(&c->out) == 0)
            goto close;
        /* Backed-up requests: serve them now that there is room. */
        if (obuf_len(&c->out) == 0 && c->inlen >= sizeof(struct xsd_sockmsg) &&
            c->state == CONN_OK) {
            uint32_t before = c->inlen;

            conn_process(c);
            if (c->inlen != before && obuf_len(&c->out) > 0)
                continue;
        }
        break;
    }
    c->kicked = false;
    unix_conn_arm(u);
    return;
close:
    unix_conn_close(u);
}

static void unix_conn_read(struct unix_conn *u)
{
    struct conn *c = u->c;

    while (conn_wants_input(c)) {
        size_t room;
        char *p = conn_in_space(c, &room);
        ssize_t n = recv(u->src.fd, p, room, MSG_DONTWAIT);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            unix_conn_close(u); /* EOF or error: the client is gone */
            return;
        }
        conn_in_commit(c, (size_t)n);
        if ((size_t)n < room)
            return; /* drained; level-triggered epoll calls again if not */
    }
    /* Throttled or protocol error: let the flush re-arm or close. */
    unix_kick(c);
}

static void unix_conn_ready(struct loop_src *src, uint32_t events)
{
    struct unix_conn *u = (struct unix_conn *)src;

    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        unix_conn_read(u);
    if (u->src.fd >= 0 && (events & EPOLLOUT))
        unix_kick(u->c);
}

/* Only our own user (root) may connect: the socket's mode says so, and
 * the peer's credentials are checked too in case the mode was widened. */
static bool unix_peer_ok(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
        return false;
    return cred.uid == 0 || cred.uid == geteuid();
}

static void unix_accept_one(struct unix_srv *s, int fd)
{
    struct unix_conn *u = NULL;

    if (s->nconns >= VS_MAX_CONNS || !unix_peer_ok(fd)) {
        log_warnx("%s: connection refused (%u open, or foreign peer)", __func__,
                  s->nconns);
        goto fail;
    }
    u = calloc(1, sizeof(*u));
    if (u == NULL)
        goto fail;
    u->srv = s;
    u->src.fd = fd;
    u->src.ready = unix_conn_ready;
    u->c = conn_create(s->st, 0, &unix_conn_ops, u);
    if (u->c == NULL)
        goto fail;
    if (loop_add(s->loop, &u->src, EPOLLIN) != 0) {
        conn_destroy(u->c);
        goto fail;
    }
    s->nconns++;
    return;
fail:
    free(u);
    close(fd);
}

static void unix_listen_ready(struct loop_src *src, uint32_t events)
{
    struct unix_srv *s = (struct unix_srv *)src;

    (void)events;
    for (;;) {
        int fd = accept4(s->src.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR)
                log_warn("%s: accept", __func__);
            if (errno != EINTR)
                return;
            continue;
        }
        unix_accept_one(s, fd);
    }
}

/*
 * unix_after: once per loop batch, flush every connection that queued
 * output, then free connections closed during the batch.
 */
void unix_after(void *arg)
{
    struct unix_srv *s = arg;

    while (s->pending != NULL) {
        struct unix_conn *u = s->pending;

        s->pending = u->pnext;
        u->pending = false;
        if (u->src.fd >= 0) {
            unix_conn_flush(u); /* a close in here buries u itself */
        } else {
            /* Closed while pending: unix_conn_close left it to us. */
            u->pnext = s->grave;
            s->grave = u;
        }
    }
    while (s->grave != NULL) {
        struct unix_conn *u = s->grave;

        s->grave = u->pnext;
        free(u);
    }
}

/* mkdir -p for the socket's directory (0755: the socket itself is 0600). */
static int unix_mkdirs(const char *path)
{
    char buf[sizeof(((struct sockaddr_un *)0)->sun_path)];
    size_t len = strlen(path);

    if (len >= sizeof(buf))
        return ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    return 0;
}

/* A socket file left by a daemon that died is removed; a live one (or
 * anything that is not a socket) is left alone and we refuse to start. */
static int unix_clear_stale(const struct sockaddr_un *sa)
{
    struct stat stb;
    int fd, rc;

    if (lstat(sa->sun_path, &stb) != 0)
        return errno == ENOENT ? 0 : errno;
    if (!S_ISSOCK(stb.st_mode))
        return EEXIST;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    close(fd);
    if (rc == 0)
        return EADDRINUSE;
    return unlink(sa->sun_path) == 0 ? 0 : errno;
}

static int unix_bind(const char *path, int *out)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = -1, rc;
    mode_t old;

    rc = ENAMETOOLONG;
    if (strlen(path) >= sizeof(sa.sun_path))
        goto out;
    strcpy(sa.sun_path, path);
    rc = unix_mkdirs(path);
    if (rc == 0)
        rc = unix_clear_stale(&sa);
    if (rc != 0)
        goto out;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    rc = errno;
    if (fd < 0)
        goto out;
    /* Created 0600 from the start: no window where others could connect. */
    old = umask(0177);
    rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : errno;
    umask(old);
    if (rc == 0 && listen(fd, 128) != 0)
        rc = errno;
    if (rc != 0)
        goto out;
    *out = fd;
    fd = -1;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/*
 * unix_open: binds the socket at path (mode 0600, parents created) and
 * starts accepting on loop.
 *
 * Return values: the server, or NULL with errno set (EADDRINUSE: another
 * daemon answers there; EEXIST: path is not a socket).
 */
struct unix_srv *unix_open(struct store *st, struct loop *l, const char *path)
{
    struct unix_srv *s = calloc(1, sizeof(*s));
    int rc = ENOMEM;

    if (s == NULL)
        goto fail;
    s->src.fd = -1;
    s->path = strdup(path);
    if (s->path == NULL)
        goto fail;
    rc = unix_bind(path, &s->src.fd);
    if (rc != 0)
        goto fail;
    s->st = st;
    s->loop = l;
    s->src.ready = unix_listen_ready;
    rc = loop_add(l, &s->src, EPOLLIN);
    if (rc != 0)
        goto fail;
    return s;
fail:
    if (s != NULL && s->src.fd >= 0) {
        close(s->src.fd);
        unlink(s->path);
    }
    if (s != NULL)
        free(s->path);
    free(s);
    errno = rc;
    return NULL;
}

/* unix_close: closes every connection and the socket, and removes it. */
void unix_close(struct unix_srv *s)
{
    if (s == NULL)
        return;
    for (struct conn *c = s->st->conns, *next; c != NULL; c = next) {
        next = c->next;
        if (c->ops == &unix_conn_ops)
            unix_conn_close(c->priv);
    }
    unix_after(s);
    loop_del(s->loop, &s->src);
    close(s->src.fd);
    unlink(s->path);
    free(s->path);
    free(s);
}
