// SPDX-License-Identifier: MIT
// The xenstore ring page (struct xenstore_domain_interface, XEN-ABI-FACTS
// §10.2): moving a domain connection's bytes between the guest's two
// 1 KiB streams and the store core. No mapping, no event channel: the
// transport (guest.c) maps the page, signals the guest when ring_pump
// says so, and calls ring_pump when the guest signals; unit tests drive
// it with a page of their own.
//
// The page is guest-writable. The guest owns req_prod and rsp_cons; the
// indices the server owns (req_cons, rsp_prod) are kept here and only
// ever written to the page, never read back, so a guest scribbling them
// changes nothing of ours. Every index the guest writes is checked
// against ours before any byte moves: a producer more than a ring ahead
// of our consumer (or "behind" it, which wraps to the same), or a
// consumer outside the bytes we produced, breaks the connection with
// XENSTORE_ERROR_RINGIDX. A payload over XENSTORE_PAYLOAD_MAX (conn.c
// answers E2BIG) breaks it with XENSTORE_ERROR_PROTO after the reply. A
// broken connection is dropped (its watches and transactions with it) and
// nothing more is read until the guest asks to reconnect.
#include "vstored.h"

/* Bytes available to read (req) or free to write (rsp); -1 for indices
 * that cannot be (more than one ring apart). */
static int64_t ring_span(XENSTORE_RING_IDX prod, XENSTORE_RING_IDX cons)
{
    XENSTORE_RING_IDX used = prod - cons;

    return used > XENSTORE_RING_SIZE ? -1 : (int64_t)used;
}

/*
 * Copy up to len request bytes out of the ring. Consumer recipe of
 * io/xs_wire.h: read the producer, then (acquire: an rmb) the bytes,
 * never parsed in place; then (release: the mb before the index) publish
 * the consumer. Returns the count, or -1 for a bad producer index.
 */
static int64_t ring_read(struct ring *r, char *buf, size_t len)
{
    struct xenstore_domain_interface *intf = r->intf;
    XENSTORE_RING_IDX prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
    int64_t avail = ring_span(prod, r->req_cons);
    uint32_t off = MASK_XENSTORE_IDX(r->req_cons), first;
    size_t n;

    if (avail < 0)
        return -1;
    n = len < (size_t)avail ? len : (size_t)avail;
    first = XENSTORE_RING_SIZE - off;
    if (first > n)
        first = (uint32_t)n;
    memcpy(buf, intf->req + off, first);
    memcpy(buf + first, intf->req, n - first);
    r->req_cons += (XENSTORE_RING_IDX)n;
    __atomic_store_n(&intf->req_cons, r->req_cons, __ATOMIC_RELEASE);
    /* Before the producer is read again: a guest that signals only when
     * it finds us caught up (Linux) stores its producer, then reads our
     * consumer; with a full barrier on each side, one of us sees the
     * other's store, so a request is never left unread and unsignalled. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (int64_t)n;
}

/*
 * Copy up to len reply bytes into the ring. Producer recipe: read the
 * guest's consumer (acquire: our writes to the space it freed come after
 * its reads of it), write the bytes, then (release: a wmb) the producer.
 * Returns the count, or -1 for a bad consumer index.
 */
static int64_t ring_write(struct ring *r, const char *data, size_t len)
{
    struct xenstore_domain_interface *intf = r->intf;
    XENSTORE_RING_IDX cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
    int64_t used = ring_span(r->rsp_prod, cons);
    uint32_t off = MASK_XENSTORE_IDX(r->rsp_prod), first;
    size_t n, space;

    if (used < 0)
        return -1;
    space = XENSTORE_RING_SIZE - (size_t)used;
    n = len < space ? len : space;
    first = XENSTORE_RING_SIZE - off;
    if (first > n)
        first = (uint32_t)n;
    memcpy(intf->rsp + off, data, first);
    memcpy(intf->rsp, data + first, n - first);
    r->rsp_prod += (XENSTORE_RING_IDX)n;
    __atomic_store_n(&intf->rsp_prod, r->rsp_prod, __ATOMIC_RELEASE);
    return (int64_t)n;
}

/* Drop the connection: the guest sees why in the page's error field. */
static void ring_break(struct ring *r, uint32_t error, const char *why)
{
    log_warnx("%s: domain %u ring connection dropped: %s", __func__, r->domid,
              why);
    __atomic_store_n(&r->intf->error, error, __ATOMIC_RELEASE);
    conn_destroy(r->conn);
    r->conn = NULL;
}

static int ring_new_conn(struct ring *r)
{
    r->conn = conn_create(r->st, r->domid, r->ops, r->priv);
    return r->conn != NULL ? 0 : ENOMEM;
}

/*
 * ring_open: serve domid's ring page at page. The server's indices are
 * taken from the page as they are (a fresh page holds zeroes; a guest
 * that started before us keeps its requests); features are advertised
 * and the error field cleared.
 *
 * Parameters: ops, priv - for the connection (kick: output is waiting,
 * call ring_pump soon).
 * Return values: 0; ENOMEM.
 */
int ring_open(struct ring *r, struct store *st, uint32_t domid, void *page,
              const struct conn_ops *ops, void *priv)
{
    struct xenstore_domain_interface *intf = page;

    memset(r, 0, sizeof(*r));
    r->intf = intf;
    r->st = st;
    r->domid = domid;
    r->ops = ops;
    r->priv = priv;
    r->req_cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
    r->rsp_prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
    __atomic_store_n(&intf->error, XENSTORE_ERROR_NONE, __ATOMIC_RELAXED);
    __atomic_fetch_or(&intf->server_features, VS_RING_FEATURES,
                      __ATOMIC_RELEASE);
    return ring_new_conn(r);
}

/* ring_close: drop the connection; the page is the caller's to unmap. */
void ring_close(struct ring *r)
{
    conn_destroy(r->conn);
    r->conn = NULL;
    r->intf = NULL;
}

/*
 * ring_reset: start over, as xenstored does on a repeated INTRODUCE and
 * on the guest's reconnect request: the connection's watches,
 * transactions and queued bytes go, all four indices and the error field
 * are zeroed, and connection is set back to XENSTORE_CONNECTED.
 *
 * Return values: 0; ENOMEM (the ring then stays without a connection).
 */
int ring_reset(struct ring *r)
{
    struct xenstore_domain_interface *intf = r->intf;

    conn_destroy(r->conn);
    r->conn = NULL;
    r->req_cons = r->rsp_prod = 0;
    __atomic_store_n(&intf->req_cons, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&intf->req_prod, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&intf->rsp_cons, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&intf->rsp_prod, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&intf->error, XENSTORE_ERROR_NONE, __ATOMIC_RELAXED);
    __atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
    return ring_new_conn(r);
}

/* Queued output into the rsp stream; *moved grows by what went. */
static int ring_flush(struct ring *r, size_t *moved)
{
    struct conn *c = r->conn;

    c->kicked = false;
    while (obuf_len(&c->out) > 0) {
        int64_t n = ring_write(r, obuf_data(&c->out), obuf_len(&c->out));

        if (n < 0)
            return XENSTORE_ERROR_RINGIDX;
        if (n == 0)
            break;
        obuf_consume(&c->out, (size_t)n);
        *moved += (size_t)n;
    }
    if (c->state == CONN_DRAIN && obuf_len(&c->out) == 0)
        return XENSTORE_ERROR_PROTO;
    /* Requests held back while replies waited: serve them now. */
    if (c->state == CONN_OK && obuf_len(&c->out) == 0 &&
        c->inlen >= sizeof(struct xsd_sockmsg))
        conn_process(c);
    return 0;
}

/* The req stream into the connection, which serves what is complete. */
static int ring_fill(struct ring *r, size_t *moved)
{
    struct conn *c = r->conn;

    while (conn_wants_input(c)) {
        size_t room;
        char *p = conn_in_space(c, &room);
        int64_t n = ring_read(r, p, room);

        if (n < 0)
            return XENSTORE_ERROR_RINGIDX;
        if (n == 0)
            break;
        conn_in_commit(c, (size_t)n);
        *moved += (size_t)n;
    }
    return 0;
}

/*
 * ring_pump: one turn of service: a reconnect request first; then, up to
 * VS_RING_PUMP_ROUNDS times, queued replies and events out and requests
 * in (each served as soon as it is whole), until nothing moves.
 *
 * Return values: RING_* bits: RING_NOTIFY - an index or the connection
 * state changed, signal the guest; RING_AGAIN - the budget ran out with
 * work left, pump again soon (after other clients); RING_BROKE - the
 * connection was dropped now.
 */
unsigned ring_pump(struct ring *r)
{
    unsigned res = 0;
    int err = 0;

    if (__atomic_load_n(&r->intf->connection, __ATOMIC_ACQUIRE) ==
        XENSTORE_RECONNECT) {
        log_info("%s: domain %u asked to reconnect", __func__, r->domid);
        ring_reset(r);
        res |= RING_NOTIFY;
    }
    if (r->conn == NULL)
        return res;
    for (unsigned round = 0; round < VS_RING_PUMP_ROUNDS; round++) {
        size_t moved = 0;

        err = ring_flush(r, &moved);
        if (err == 0 && r->conn->state == CONN_OK)
            err = ring_fill(r, &moved);
        if (err == 0 && r->conn->state == CONN_DEAD)
            err = XENSTORE_ERROR_PROTO; /* cut off by the output quota */
        if (err != 0) {
            ring_break(r, (uint32_t)err,
                       err == XENSTORE_ERROR_RINGIDX
                           ? "bad ring index"
                           : "protocol violation or output quota");
            return res | RING_NOTIFY | RING_BROKE;
        }
        if (moved == 0)
            return res;
        res |= RING_NOTIFY;
    }
    return res | RING_AGAIN;
}
