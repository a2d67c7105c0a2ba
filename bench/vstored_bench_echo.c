// SPDX-License-Identifier: MIT
// The benchmark's peer: a trivial server on the same kind of socket with
// the same framing and loop shape as vstored (epoll, non-blocking,
// per-connection buffers) that sends every request straight back. It is
// the floor a store on this transport can reach.
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vstored_bench.h"

#define ECHO_BUF (4 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

struct echo_conn {
    int fd;
    size_t len;
    char buf[ECHO_BUF];
};

/* Echo every complete message; blocking sends are fine for a peer whose
 * clients always read their replies. */
static int echo_serve_conn(struct echo_conn *c)
{
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
    size_t off = 0;

    if (n <= 0)
        return -1;
    c->len += (size_t)n;
    while (c->len - off >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg h;

        memcpy(&h, c->buf + off, sizeof(h));
        if (h.len > XENSTORE_PAYLOAD_MAX)
            return -1;
        if (c->len - off < sizeof(h) + h.len)
            break;
        if (send(c->fd, c->buf + off, sizeof(h) + h.len, MSG_NOSIGNAL) < 0)
            return -1;
        off += sizeof(h) + h.len;
    }
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
    return 0;
}

static void echo_run(int lfd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, evs[32];
    int ep = epoll_create1(0);

    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 32, -1);

        for (int i = 0; i < n; i++) {
            struct echo_conn *c = evs[i].data.ptr;

            if (c == NULL) {
                int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

                if (fd < 0 || (c = calloc(1, sizeof(*c))) == NULL) {
                    if (fd >= 0)
                        close(fd);
                    continue;
                }
                c->fd = fd;
                ev.data.ptr = c;
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
            } else if (echo_serve_conn(c) != 0) {
                close(c->fd);
                free(c);
            }
        }
    }
}

/* vsb_echo_start: forks the echo server on path; returns its pid, or -1. */
pid_t vsb_echo_start(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;
    pid_t pid;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    strcpy(sa.sun_path, path);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 64) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        echo_run(fd);
        _exit(0);
    }
    close(fd);
    return pid;
}
