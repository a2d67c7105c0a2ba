// SPDX-License-Identifier: MIT
// One client connection, whatever carries its bytes: framing of incoming
// requests, the outgoing queue with its backpressure and cut-off, and the
// connection's share of watches and transactions. Transports (unix.c now,
// the guest ring later) move bytes in with conn_input and out from
// c->out, and hear about new output through conn_ops.kick.
#include "vstored.h"

/*
 * conn_create: a connection for domid (0: the privileged local socket).
 *
 * Return values: the connection, or NULL on allocation failure.
 */
struct conn *conn_create(struct store *st, uint32_t domid,
                         const struct conn_ops *ops, void *priv)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->st = st;
    c->domid = domid;
    c->ops = ops;
    c->priv = priv;
    c->next = st->conns;
    if (st->conns != NULL)
        st->conns->prev = c;
    st->conns = c;
    return c;
}

/* conn_destroy: drops c's watches and open transactions and frees it. */
void conn_destroy(struct conn *c)
{
    if (c == NULL)
        return;
    watch_remove_all(c);
    txn_free_all(c);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        c->st->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    obuf_free(&c->out);
    free(c);
}

/* conn_kill: cut c off; the transport closes it without flushing. */
void conn_kill(struct conn *c, const char *why)
{
    if (c->state != CONN_DEAD)
        log_warnx("%s: domain %u connection cut off: %s", __func__, c->domid,
                  why);
    c->state = CONN_DEAD;
    c->inlen = 0;
    if (c->ops != NULL && c->ops->kick != NULL && !c->kicked) {
        c->kicked = true;
        c->ops->kick(c);
    }
}

/*
 * conn_send: queues one message, header plus the two payload pieces a and
 * b (either may be empty). A peer whose queue would pass the output quota
 * is cut off instead: it has stopped reading, and we never grow for it.
 */
void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
               const void *a, size_t alen, const void *b, size_t blen)
{
    struct xsd_sockmsg hdr = {.type = type,
                              .req_id = req_id,
                              .tx_id = tx_id,
                              .len = (uint32_t)(alen + blen)};

    if (c->state == CONN_DEAD)
        return;
    if (obuf_len(&c->out) + sizeof(hdr) + alen + blen > c->st->lim.output) {
        conn_kill(c, "output queue over quota");
        return;
    }
    if (obuf_append(&c->out, &hdr, sizeof(hdr)) != 0 ||
        obuf_append(&c->out, a, alen) != 0 ||
        obuf_append(&c->out, b, blen) != 0) {
        conn_kill(c, "out of memory");
        return;
    }
    if (c->ops != NULL && c->ops->kick != NULL && !c->kicked) {
        c->kicked = true;
        c->ops->kick(c);
    }
}

/* Requests are served only while few replies wait: a client that does
 * not read gets no more served. */
static bool conn_can_serve(const struct conn *c)
{
    return c->state == CONN_OK && obuf_len(&c->out) < VS_OUTPUT_SOFT;
}

/* conn_wants_input: should the transport read more for c now? */
bool conn_wants_input(const struct conn *c)
{
    return conn_can_serve(c) && c->inlen < sizeof(c->in);
}

/*
 * conn_process: serves the complete requests buffered in c->in, until
 * none is left or the output backs up. A payload longer than the
 * protocol allows is answered with E2BIG and the connection closed after
 * the reply (Xen kills such a connection outright).
 */
void conn_process(struct conn *c)
{
    uint32_t off = 0;

    while (conn_can_serve(c) && c->inlen - off >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg hdr;

        memcpy(&hdr, c->in + off, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX) {
            static const char e2big[] = "E2BIG";

            conn_send(c, XS_ERROR, hdr.req_id, hdr.tx_id, e2big, sizeof(e2big),
                      NULL, 0);
            log_warnx("%s: domain %u sent a %u-byte payload", __func__,
                      c->domid, hdr.len);
            if (c->state == CONN_OK)
                c->state = CONN_DRAIN;
            off = c->inlen;
            break;
        }
        if (c->inlen - off < sizeof(hdr) + hdr.len)
            break;
        dispatch_message(c, &hdr, c->in + off + sizeof(hdr));
        off += (uint32_t)sizeof(hdr) + hdr.len;
    }
    if (c->state != CONN_OK)
        off = c->inlen;
    if (off > 0) {
        memmove(c->in, c->in + off, c->inlen - off);
        c->inlen -= off;
    }
}

/*
 * conn_input: buffers up to len bytes of request stream and serves what
 * is complete.
 *
 * Return values: how many bytes were taken; fewer than len when the
 * buffer is full or the connection is throttled, and the caller should
 * offer the rest later (a ring leaves them in the ring).
 */
size_t conn_input(struct conn *c, const void *data, size_t len)
{
    size_t taken = 0;

    while (taken < len && conn_wants_input(c)) {
        size_t room = sizeof(c->in) - c->inlen;
        size_t n = len - taken < room ? len - taken : room;

        memcpy(c->in + c->inlen, (const char *)data + taken, n);
        c->inlen += (uint32_t)n;
        taken += n;
        conn_process(c);
    }
    if (c->state != CONN_OK)
        return len; /* the rest is dropped with the connection */
    return taken;
}

/* conn_in_space / conn_in_commit: a transport reads straight into the
 * free end of c's input buffer, then commits what it read, which serves
 * the complete requests. */
char *conn_in_space(struct conn *c, size_t *room)
{
    *room = sizeof(c->in) - c->inlen;
    return c->in + c->inlen;
}

void conn_in_commit(struct conn *c, size_t n)
{
    c->inlen += (uint32_t)n;
    conn_process(c);
}
