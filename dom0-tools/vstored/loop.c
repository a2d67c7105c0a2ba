// SPDX-License-Identifier: MIT
// The daemon's single-threaded epoll loop: level-triggered sources, and
// an "after" hook that runs once per batch so output queued while serving
// the batch goes out in one send() per connection.
#include <sys/epoll.h>
#include <unistd.h>

#include "vstored.h"

#define LOOP_BATCH 64

/* loop_init: Return values: 0, or errno from epoll_create1. */
int loop_init(struct loop *l)
{
    memset(l, 0, sizeof(*l));
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    return l->epfd < 0 ? errno : 0;
}

void loop_fini(struct loop *l)
{
    if (l->epfd >= 0)
        close(l->epfd);
    l->epfd = -1;
}

static int loop_ctl(struct loop *l, int op, struct loop_src *s, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = s};

    if (epoll_ctl(l->epfd, op, s->fd, &ev) != 0)
        return errno;
    s->events = events;
    return 0;
}

/* loop_add / loop_mod: watch s->fd for events (EPOLLIN, EPOLLOUT).
 * Return values: 0, or errno from epoll_ctl. */
int loop_add(struct loop *l, struct loop_src *s, uint32_t events)
{
    return loop_ctl(l, EPOLL_CTL_ADD, s, events);
}

int loop_mod(struct loop *l, struct loop_src *s, uint32_t events)
{
    if (s->events == events)
        return 0;
    return loop_ctl(l, EPOLL_CTL_MOD, s, events);
}

void loop_del(struct loop *l, struct loop_src *s)
{
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, s->fd, NULL);
}

/*
 * loop_run: serves events until loop.stop is set.
 *
 * Return values: 0, or errno if epoll_wait fails.
 */
int loop_run(struct loop *l)
{
    struct epoll_event ev[LOOP_BATCH];

    while (!l->stop) {
        int n = epoll_wait(l->epfd, ev, LOOP_BATCH, -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        for (int i = 0; i < n; i++) {
            struct loop_src *s = ev[i].data.ptr;

            /* A source closed earlier in this batch has fd -1. */
            if (s->fd >= 0)
                s->ready(s, ev[i].events);
        }
        if (l->after != NULL)
            l->after(l->after_arg);
    }
    return 0;
}
