/* SPDX-License-Identifier: MIT */
/*
 * libvstore's internal header: the handle and the request/reply core
 * (conn.c) that ops.c and watch.c build on.
 */
#ifndef LIBVSTORE_H
#define LIBVSTORE_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "xen/io/xs_wire.h"
#include "vstore.h"

/* A queued watch event: path\0token\0 as the wire had it. */
struct vs_event {
    struct vs_event *next;
    uint32_t len;
    char data[];
};

struct vstore {
    int fd;   /* the socket */
    int evfd; /* eventfd: non-zero while events are queued */
    int epfd; /* what vstore_event_fd hands out: fd + evfd */
    uint32_t next_req;
    int dead; /* the error that broke the connection, or 0 */
    struct vs_event *ev_head;
    struct vs_event **ev_tail;
    size_t inlen;
    char in[2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)];
};

int vs_talk(struct vstore *h, uint32_t type, uint32_t tx,
            const struct iovec *iov, int niov, char **reply, uint32_t *rlen);
int vs_talk_str(struct vstore *h, uint32_t type, uint32_t tx, const char *arg,
                char **reply, uint32_t *rlen);
int vs_talk_ok(struct vstore *h, uint32_t type, uint32_t tx, const char *arg);
int vs_pump(struct vstore *h);
void vs_events_changed(struct vstore *h);

#endif /* LIBVSTORE_H */
