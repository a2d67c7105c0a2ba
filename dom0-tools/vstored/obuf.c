// SPDX-License-Identifier: MIT
// A connection's queue of outgoing bytes: one contiguous buffer, appended
// at the tail and sent from the head, so a flush is a single send().
#include "vstored.h"

#define OBUF_MIN_CAP 4096

/*
 * obuf_append: queues len bytes. Sent bytes at the front are reclaimed by
 * moving the rest down before the buffer grows.
 *
 * Return values: 0, or ENOMEM.
 */
int obuf_append(struct obuf *o, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    if (o->tail + len > o->cap && o->head > 0) {
        memmove(o->buf, o->buf + o->head, o->tail - o->head);
        o->tail -= o->head;
        o->head = 0;
    }
    if (o->tail + len > o->cap) {
        size_t cap = o->cap ? o->cap : OBUF_MIN_CAP;
        char *nb;

        while (cap < o->tail + len)
            cap *= 2;
        nb = realloc(o->buf, cap);
        if (nb == NULL)
            return ENOMEM;
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->tail, data, len);
    o->tail += len;
    return 0;
}

/* obuf_consume: drops len sent bytes from the head. */
void obuf_consume(struct obuf *o, size_t len)
{
    o->head += len;
    if (o->head == o->tail) {
        o->head = 0;
        o->tail = 0;
        /* A burst of events may have grown the buffer; give it back. */
        if (o->cap > 4 * OBUF_MIN_CAP) {
            free(o->buf);
            o->buf = NULL;
            o->cap = 0;
        }
    }
}

void obuf_free(struct obuf *o)
{
    free(o->buf);
    o->buf = NULL;
    o->head = 0;
    o->tail = 0;
    o->cap = 0;
}
