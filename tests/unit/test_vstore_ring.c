// SPDX-License-Identifier: MIT
// vstored unit tests: the xenstore ring page (ring.c) against a fake page
// played by the test as a guest: requests and replies through the two
// 1 KiB streams, messages split across the wrap (of the ring and of the
// 32-bit indices) and across several services, bad producer and consumer
// indices, scribbled server indices, oversized payloads, backpressure and
// the output quota, reconnection, and the permissions of the domain the
// ring belongs to.
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_vstore.h"

#define DOMID 5

static struct store *st;
static struct conn *c0;
static struct ring r;
static union {
    struct xenstore_domain_interface intf;
    char bytes[4096];
} page __attribute__((aligned(4096)));
static struct xenstore_domain_interface *intf = &page.intf;
static unsigned kicks;

static void t_kick(struct conn *c)
{
    (void)c;
    kicks++;
}

static const struct conn_ops t_ops = {.kick = t_kick};

static void open_ring(XENSTORE_RING_IDX start)
{
    memset(&page, 0, sizeof(page));
    intf->req_cons = intf->req_prod = start;
    intf->rsp_cons = intf->rsp_prod = start;
    cr_assert_eq(ring_open(&r, st, DOMID, &page, &t_ops, NULL), 0);
}

static void setup_lim(const struct limits *l)
{
    st = t_store(l);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
    /* The domain's home, as the toolstack makes it. */
    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/5"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/5", "n5"), 0);
    cr_assert_eq(t_write(c0, 0, "/secret", "dom0's"), 0);
    kicks = 0;
    open_ring(0);
}

static void setup(void)
{
    setup_lim(NULL);
}

static void teardown(void)
{
    ring_close(&r);
    store_destroy(st);
}

TestSuite(ring, .init = setup, .fini = teardown);

/* ---- the guest's side ---- */

/* Append up to len bytes to the req stream (as much as fits). */
static size_t g_put(const void *data, size_t len)
{
    uint32_t space = XENSTORE_RING_SIZE - (intf->req_prod - intf->req_cons);
    size_t n = len < space ? len : space;

    for (size_t i = 0; i < n; i++)
        intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] =
            ((const char *)data)[i];
    intf->req_prod += (uint32_t)n;
    return n;
}

/* Take up to len bytes from the rsp stream. */
static size_t g_get(void *buf, size_t len)
{
    uint32_t avail = intf->rsp_prod - intf->rsp_cons;
    size_t n = len < avail ? len : avail;

    for (size_t i = 0; i < n; i++)
        ((char *)buf)[i] = intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons + i)];
    intf->rsp_cons += (uint32_t)n;
    return n;
}

/* A message: header + payload, into buf; returns its length. */
static size_t g_msg(char *buf, uint32_t type, uint32_t id, const void *p,
                    uint32_t len)
{
    struct xsd_sockmsg h = {.type = type, .req_id = id, .len = len};

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    return sizeof(h) + len;
}

/* Send a whole message, pumping while the ring is full. */
static void g_send(uint32_t type, uint32_t id, const void *p, uint32_t len)
{
    static char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    size_t n = g_msg(msg, type, id, p, len), off = 0;

    while (off < n) {
        off += g_put(msg + off, n - off);
        ring_pump(&r);
    }
}

/* Receive one whole message from rsp; false if there is none yet. */
static bool g_recv(struct xsd_sockmsg *h, char *payload)
{
    uint32_t avail = intf->rsp_prod - intf->rsp_cons;

    if (avail < sizeof(*h))
        return false;
    for (size_t i = 0; i < sizeof(*h); i++)
        ((char *)h)[i] = intf->rsp[MASK_XENSTORE_IDX(intf->rsp_cons + i)];
    if (avail < sizeof(*h) + h->len)
        return false;
    g_get(h, sizeof(*h));
    g_get(payload, h->len);
    payload[h->len] = '\0';
    return true;
}

/* ---- requests and replies ---- */

Test(ring, read_and_write_through_the_ring)
{
    struct xsd_sockmsg h;
    char p[XENSTORE_PAYLOAD_MAX + 1];
    unsigned res;

    cr_assert_eq(intf->server_features, VS_RING_FEATURES);
    g_put(p, g_msg(p, XS_WRITE, 1, "data/a\0hello", 12));
    res = ring_pump(&r);
    cr_assert(res & RING_NOTIFY);
    cr_assert_gt(kicks, 0, "the transport heard of the reply");
    cr_assert_eq(intf->req_cons, intf->req_prod, "every byte taken");
    cr_assert(g_recv(&h, p));
    cr_assert_eq(h.type, XS_WRITE);
    cr_assert_eq(h.req_id, 1);
    cr_assert_str_eq(p, "OK");
    g_send(XS_READ, 2, "/local/domain/5/data/a", 23);
    cr_assert(g_recv(&h, p));
    cr_assert_eq(h.req_id, 2);
    cr_assert_str_eq(p, "hello");
    cr_assert_eq(ring_pump(&r), 0, "nothing to do: no notification");
}

Test(ring, the_connection_is_the_domains)
{
    struct xsd_sockmsg h;
    char p[XENSTORE_PAYLOAD_MAX + 1];

    g_send(XS_READ, 1, "/secret", 8);
    cr_assert(g_recv(&h, p));
    cr_assert_eq(h.type, XS_ERROR);
    cr_assert_str_eq(p, "EACCES");
    g_send(XS_WRITE, 2, "/local/domain/0/x\0v", 19);
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "EACCES");
    g_send(XS_INTRODUCE, 3, "6\0001\0001", 6);
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "EACCES", "privileged");
    g_send(XS_GET_DOMAIN_PATH, 4, "5", 2);
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "/local/domain/5");
}

/* Indices near the top of the u32 range and at ring offset 1020: every
 * message straddles both wraps. */
Test(ring, split_across_both_wraps)
{
    struct xsd_sockmsg h;
    char p[XENSTORE_PAYLOAD_MAX + 1];
    char path[32];

    ring_close(&r);
    open_ring(0xfffffffcu);
    for (int i = 0; i < 50; i++) {
        snprintf(path, sizeof(path), "data/k%d", i);
        g_send(XS_MKDIR, (uint32_t)i + 1, path, (uint32_t)strlen(path) + 1);
        cr_assert(g_recv(&h, p), "reply %d", i);
        cr_assert_eq(h.req_id, (uint32_t)i + 1);
        cr_assert_str_eq(p, "OK");
    }
    cr_assert_lt(intf->req_prod, 0x1000u, "the index wrapped");
    cr_assert_eq(t_read(c0, 0, "/local/domain/5/data/k49", NULL), 0);
}

/* A 4 KiB value takes five turns of the 1 KiB req stream; the reply to a
 * 4 KiB read takes five of rsp. */
Test(ring, messages_larger_than_the_ring)
{
    static char val[XENSTORE_PAYLOAD_MAX], req[XENSTORE_PAYLOAD_MAX];
    char p[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;
    size_t got = 0, n;

    memset(val, 'v', sizeof(val));
    memcpy(req, "data/big", 9);
    memcpy(req + 9, val, sizeof(req) - 9);
    g_send(XS_WRITE, 1, req, sizeof(req));
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "OK");
    g_send(XS_READ, 2, "data/big", 9);
    /* The reply comes a ring at a time, as the guest makes room. */
    while (got < sizeof(h) + sizeof(val) - 9) {
        n = g_get(p, sizeof(p));
        cr_assert(n > 0 || (ring_pump(&r) & RING_NOTIFY), "stuck at %zu", got);
        got += n;
    }
    cr_assert_eq(got, sizeof(h) + sizeof(val) - 9);
}

/* ---- hostile indices ---- */

Test(ring, producer_more_than_a_ring_ahead_breaks_it)
{
    intf->req_prod = intf->req_cons + XENSTORE_RING_SIZE + 1;
    cr_assert_eq(ring_pump(&r), RING_NOTIFY | RING_BROKE);
    cr_assert_eq(intf->error, XENSTORE_ERROR_RINGIDX);
    cr_assert_null(r.conn);
    /* Ignored until the guest reconnects, whatever it does. */
    intf->req_prod = intf->req_cons + 4;
    cr_assert_eq(ring_pump(&r), 0);
    cr_assert_eq(intf->req_cons, 0);
}

Test(ring, producer_behind_the_consumer_breaks_it)
{
    char p[64];

    g_send(XS_MKDIR, 1, "data", 5);
    cr_assert_gt(intf->req_cons, 0);
    g_get(p, sizeof(p));
    intf->req_prod = intf->req_cons - 1; /* wraps to almost 2^32 ahead */
    cr_assert(ring_pump(&r) & RING_BROKE);
    cr_assert_eq(intf->error, XENSTORE_ERROR_RINGIDX);
}

Test(ring, a_full_ring_is_not_an_error)
{
    char fill[XENSTORE_RING_SIZE];

    /* A header claiming a 1008-byte payload: exactly one ring's worth,
     * and the message is not complete yet. */
    struct xsd_sockmsg h = {.type = XS_WRITE, .req_id = 1, .len = 1500};

    memcpy(fill, &h, sizeof(h));
    memset(fill + sizeof(h), 'x', sizeof(fill) - sizeof(h));
    cr_assert_eq(g_put(fill, sizeof(fill)), XENSTORE_RING_SIZE);
    cr_assert_eq(intf->req_prod - intf->req_cons, XENSTORE_RING_SIZE);
    cr_assert(!(ring_pump(&r) & RING_BROKE));
    cr_assert_eq(intf->req_cons, intf->req_prod, "taken into the buffer");
}

Test(ring, consumer_outside_the_reply_stream_breaks_it)
{
    g_send(XS_MKDIR, 1, "data", 5);
    cr_assert_gt(intf->rsp_prod, 0);
    intf->rsp_cons = intf->rsp_prod + 1; /* consumed more than was made */
    g_send(XS_MKDIR, 2, "data", 5);
    cr_assert_null(r.conn);
    cr_assert_eq(intf->error, XENSTORE_ERROR_RINGIDX);
}

Test(ring, scribbled_server_indices_are_ignored_and_rewritten)
{
    struct xsd_sockmsg h;
    char p[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t cons = intf->req_cons, prod = intf->rsp_prod;

    intf->req_cons = 12345;
    intf->rsp_prod = 999;
    intf->req_prod = cons; /* the guest's own index stays sane */
    intf->rsp_cons = prod;
    intf->req_cons = cons; /* so that g_put sees the real room */
    g_put(p, g_msg(p, XS_MKDIR, 1, "data", 5));
    intf->req_cons = 12345;
    ring_pump(&r);
    cr_assert_eq(intf->req_cons, intf->req_prod, "rewritten from ours");
    cr_assert_eq(intf->rsp_prod, prod + sizeof(h) + 3, "ours, not 999");
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "OK");
    cr_assert_eq(intf->error, 0);
}

/* ---- payload limit, backpressure, quota, budget ---- */

Test(ring, oversized_payload_gets_e2big_then_proto)
{
    struct xsd_sockmsg h = {.type = XS_READ, .req_id = 9, .len = 4097};
    char p[XENSTORE_PAYLOAD_MAX + 1];
    unsigned res;

    g_put(&h, sizeof(h));
    res = ring_pump(&r);
    cr_assert(res & RING_BROKE);
    cr_assert_eq(intf->error, XENSTORE_ERROR_PROTO);
    cr_assert(g_recv(&h, p), "the E2BIG reply went out first");
    cr_assert_eq(h.type, XS_ERROR);
    cr_assert_eq(h.req_id, 9);
    cr_assert_str_eq(p, "E2BIG");
}

/* A guest that never reads its replies fills rsp, then the server's
 * queue to VS_OUTPUT_SOFT; then its requests wait in req. Reading lets
 * them through again. */
Test(ring, a_guest_that_does_not_read_is_throttled)
{
    char msg[64], p[XENSTORE_PAYLOAD_MAX + 1];
    size_t n = g_msg(msg, XS_GET_DOMAIN_PATH, 1, "5", 2);
    unsigned sent = 0, replies = 0;
    struct xsd_sockmsg h;

    for (int i = 0; i < 20000; i++) {
        if (g_put(msg, n) < n)
            break;
        sent++;
        ring_pump(&r);
    }
    cr_assert_lt(sent, 20000u, "requests stopped being taken");
    cr_assert_eq(intf->rsp_prod - intf->rsp_cons, XENSTORE_RING_SIZE);
    cr_assert_geq(obuf_len(&r.conn->out), VS_OUTPUT_SOFT);
    cr_assert_not_null(r.conn, "throttled, not cut off");
    while (replies < sent) {
        if (g_recv(&h, p))
            replies++;
        else
            cr_assert(ring_pump(&r) & RING_NOTIFY, "stuck at %u", replies);
    }
    cr_assert_eq(intf->req_cons, intf->req_prod, "every request served");
}

Test(ring, watch_events_past_the_output_quota_cut_it_off)
{
    struct limits l;
    char path[48];

    teardown();
    limits_default(&l);
    l.output = 2 * VS_MSG_MAX;
    setup_lim(&l);
    g_send(XS_WATCH, 1, "data\0t", 7);
    for (int i = 0; i < 400 && r.conn != NULL; i++) {
        snprintf(path, sizeof(path), "/local/domain/5/data/%d", i);
        cr_assert_eq(t_write(c0, 0, path, "x"), 0);
        ring_pump(&r);
    }
    cr_assert_null(r.conn, "cut off");
    cr_assert_eq(intf->error, XENSTORE_ERROR_PROTO);
}

/* ---- reconnect and reset ---- */

Test(ring, reconnect_starts_over)
{
    struct xsd_sockmsg h;
    char p[XENSTORE_PAYLOAD_MAX + 1];

    g_send(XS_WATCH, 1, "data\0t", 7);
    cr_assert(g_recv(&h, p));
    intf->req_prod = intf->req_cons + 5000; /* break it */
    cr_assert(ring_pump(&r) & RING_BROKE);
    intf->connection = XENSTORE_RECONNECT;
    cr_assert(ring_pump(&r) & RING_NOTIFY);
    cr_assert_eq(intf->connection, XENSTORE_CONNECTED);
    cr_assert_eq(intf->error, 0);
    cr_assert_eq(
        intf->req_prod | intf->req_cons | intf->rsp_prod | intf->rsp_cons, 0);
    cr_assert_not_null(r.conn);
    /* The old watch went with the old connection. */
    cr_assert_eq(t_write(c0, 0, "/local/domain/5/data/x", "1"), 0);
    ring_pump(&r);
    cr_assert(!g_recv(&h, p), "no event for a dropped watch");
    g_send(XS_GET_DOMAIN_PATH, 2, "5", 2);
    cr_assert(g_recv(&h, p));
    cr_assert_str_eq(p, "/local/domain/5");
}

Test(ring, reset_drops_transactions_and_queued_bytes)
{
    char msg[64] = {0};

    g_send(XS_TRANSACTION_START, 1, "", 1);
    cr_assert_eq(r.conn->ntxns, 1);
    g_put(msg, 7); /* part of a header */
    ring_pump(&r);
    cr_assert_eq(ring_reset(&r), 0);
    cr_assert_eq(r.conn->ntxns, 0);
    cr_assert_eq(r.conn->inlen, 0);
    cr_assert_eq(intf->req_prod, 0);
}

/* A guest that died with half a request in the ring leaves the store
 * serving everyone else. */
Test(ring, half_a_request_then_the_domain_goes)
{
    struct xsd_sockmsg h = {.type = XS_READ, .req_id = 1, .len = 20};

    g_put(&h, 10);
    cr_assert_eq(ring_pump(&r) & RING_BROKE, 0);
    ring_close(&r);
    cr_assert_eq(t_write(c0, 0, "/after", "1"), 0);
    open_ring(0);
}
