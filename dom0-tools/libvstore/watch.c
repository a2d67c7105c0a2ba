// SPDX-License-Identifier: MIT
// libvstore's watches: registration and the event queue behind
// vstore_event_fd.
#include "libvstore.h"

static int vs_watch_req(struct vstore *h, uint32_t type, const char *path,
                        const char *token)
{
    struct iovec iov[2] = {
        {.iov_base = (void *)path, .iov_len = strlen(path) + 1},
        {.iov_base = (void *)token, .iov_len = strlen(token) + 1},
    };

    return vs_talk(h, type, 0, iov, 2, NULL, NULL);
}

int vstore_watch(struct vstore *h, const char *path, const char *token)
{
    return vs_watch_req(h, XS_WATCH, path, token);
}

int vstore_unwatch(struct vstore *h, const char *path, const char *token)
{
    return vs_watch_req(h, XS_UNWATCH, path, token);
}

int vstore_event_fd(const struct vstore *h)
{
    return h->epfd;
}

int vstore_read_event(struct vstore *h, char **path, char **token)
{
    struct vs_event *e;
    size_t plen;
    int rc = 0;

    if (h->ev_head == NULL)
        rc = vs_pump(h);
    e = h->ev_head;
    if (e == NULL)
        return rc != 0 ? rc : -EAGAIN;
    plen = strnlen(e->data, e->len);
    if (plen >= e->len) {
        rc = -EPROTO; /* no token: the server broke the protocol */
    } else {
        *path = strdup(e->data);
        *token = strndup(e->data + plen + 1, e->len - plen - 1);
        if (*path == NULL || *token == NULL) {
            free(*path);
            free(*token);
            return -ENOMEM; /* the event stays queued */
        }
    }
    h->ev_head = e->next;
    if (h->ev_head == NULL)
        h->ev_tail = &h->ev_head;
    free(e);
    vs_events_changed(h);
    return rc;
}
