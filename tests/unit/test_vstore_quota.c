// SPDX-License-Identifier: MIT
// vstored unit tests: quotas. Each limit answers with Xen's error, and a
// client that stops reading is throttled, then cut off, without holding
// up anyone else.
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_vstore.h"

static struct store *st;
static struct conn *c0;

static void setup_lim(const struct limits *lim)
{
    st = t_store(lim);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
}

static void teardown(void)
{
    store_destroy(st);
}

static struct limits small(void)
{
    struct limits l;

    limits_default(&l);
    l.nodes = 5;
    l.value_size = 16;
    l.watches = 3;
    l.txns = 2;
    l.txn_nodes = 8;
    l.output = 64 * 1024;
    return l;
}

TestSuite(quota, .fini = teardown);

Test(quota, nodes_per_domain)
{
    struct limits l = small();
    struct conn *c5;
    char path[32];
    int i;

    setup_lim(&l);
    c5 = t_conn(st, 5);
    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/5"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/5", "n5"), 0);
    for (i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "k%d", i);
        cr_assert_eq(t_write(c5, 0, path, "v"), 0);
    }
    cr_assert_eq(domain_nodes(st, 5), 5);
    cr_assert_eq(t_write(c5, 0, "k4", "v"), ENOSPC);
    cr_assert_eq(t_write(c5, 0, "k0", "changed"), 0); /* no new node */
    /* Inside a transaction the same limit holds, counting its creations. */
    cr_assert_eq(t_rm(c5, 0, "k3"), 0);
    uint32_t tx;
    cr_assert_eq(t_txn_start(c5, &tx), 0);
    cr_assert_eq(t_write(c5, tx, "t1", "v"), 0);
    cr_assert_eq(t_write(c5, tx, "t2", "v"), ENOSPC);
    cr_assert_eq(t_txn_end(c5, tx, false), 0);
    /* dom0 has no node quota. */
    for (i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "/dom0/%d", i);
        cr_assert_eq(t_write(c0, 0, path, "v"), 0);
    }
}

Test(quota, value_size)
{
    struct limits l = small();
    char big[64];

    setup_lim(&l);
    memset(big, 'v', sizeof(big));
    big[16] = '\0';
    cr_assert_eq(t_write(c0, 0, "/v", big), 0);
    big[16] = 'v';
    big[17] = '\0';
    cr_assert_eq(t_write(c0, 0, "/v", big), ENOSPC);
}

Test(quota, watches_per_connection)
{
    struct limits l = small();
    char path[32];

    setup_lim(&l);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "/w%d", i);
        cr_assert_eq(t_watch(c0, path, "t"), 0);
    }
    cr_assert_eq(t_watch(c0, "/w9", "t"), E2BIG);
    cr_assert_eq(t_unwatch(c0, "/w0", "t"), 0);
    cr_assert_eq(t_watch(c0, "/w9", "t"), 0);
}

Test(quota, transactions_per_connection)
{
    struct limits l = small();
    uint32_t a, b, c;

    setup_lim(&l);
    cr_assert_eq(t_txn_start(c0, &a), 0);
    cr_assert_eq(t_txn_start(c0, &b), 0);
    cr_assert_neq(a, b);
    cr_assert_eq(t_txn_start(c0, &c), ENOSPC);
    cr_assert_eq(t_txn_end(c0, a, false), 0);
    cr_assert_eq(t_txn_start(c0, &c), 0);
}

Test(quota, nodes_per_transaction)
{
    struct limits l = small();
    char path[32];
    uint32_t tx;
    int i, rc = 0;

    setup_lim(&l);
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    for (i = 0; i < 20 && rc == 0; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        rc = t_read(c0, tx, path, NULL);
        if (rc == ENOENT)
            rc = 0;
    }
    cr_assert_eq(rc, ENOSPC);
    cr_assert_leq(i, 9);
    cr_assert_eq(t_txn_end(c0, tx, false), 0);
}

/* A watcher that never reads: its queue grows by events only, and past
 * the output quota it is cut off; the writer is never held up. */
Test(quota, silent_watcher_is_cut_off)
{
    struct limits l = small();
    struct conn *w;
    char val[17];

    setup_lim(&l);
    w = t_conn(st, 0);
    memset(val, 'x', 16);
    val[16] = '\0';
    struct treply r;
    char req[] = "/busy\0tok";
    cr_assert_eq(t_req(w, XS_WATCH, 0, req, sizeof(req), &r), 0);
    for (int i = 0; i < 10000 && w->state == CONN_OK; i++)
        cr_assert_eq(t_write(c0, 0, "/busy/key", val), 0);
    cr_assert_eq(w->state, CONN_DEAD);
    cr_assert_leq(obuf_len(&w->out), l.output);
    cr_assert_eq(t_write(c0, 0, "/busy/key", val), 0);
}

/* Pipelined requests stop being served once replies back up past the
 * soft limit, and resume when the client drains them. */
Test(quota, backpressure_on_unread_replies)
{
    struct limits l;
    struct xsd_sockmsg hdr = {.type = XS_READ, .len = 5};
    char msg[sizeof(hdr) + 5];
    char big[XENSTORE_PAYLOAD_MAX + 1];
    size_t taken, total = 0;
    unsigned replies = 0;

    limits_default(&l);
    setup_lim(&l);
    /* The largest value that fits one payload with its path. */
    memset(big, 'b', XENSTORE_PAYLOAD_MAX - 5);
    big[XENSTORE_PAYLOAD_MAX - 5] = '\0';
    cr_assert_eq(t_write(c0, 0, "/big", big), 0);
    memcpy(msg, &hdr, sizeof(hdr));
    memcpy(msg + sizeof(hdr), "/big", 5);
    /* Offer 100 requests; the connection takes only what it can serve. */
    for (int i = 0; i < 100; i++) {
        taken = conn_input(c0, msg, sizeof(msg));
        total += taken;
        if (taken < sizeof(msg))
            break;
    }
    cr_assert_lt(total, 100 * sizeof(msg));
    cr_assert_leq(obuf_len(&c0->out), VS_OUTPUT_SOFT + VS_MSG_MAX + 16);
    cr_assert_not(conn_wants_input(c0));
    /* Drain: the transport consumes, then lets the connection go on. */
    while (obuf_len(&c0->out) > 0) {
        struct xsd_sockmsg h;

        memcpy(&h, obuf_data(&c0->out), sizeof(h));
        cr_assert_eq(h.type, XS_READ);
        obuf_consume(&c0->out, sizeof(h) + h.len);
        replies++;
        if (obuf_len(&c0->out) == 0)
            conn_process(c0);
    }
    cr_assert_eq(replies * sizeof(msg), total);
    cr_assert(conn_wants_input(c0));
}

/* Node counts reach every real domid, the highest included. */
Test(quota, counts_for_high_domids)
{
    char perms[32];

    setup_lim(NULL);
    cr_assert_eq(t_write(c0, 0, "/hi", "v"), 0);
    snprintf(perms, sizeof(perms), "n%u", VS_DOMID_MAX - 1);
    cr_assert_eq(t_set_perms(c0, 0, "/hi", perms), 0);
    cr_assert_eq(domain_nodes(st, VS_DOMID_MAX - 1), 1);
    cr_assert_eq(t_rm(c0, 0, "/hi"), 0);
    cr_assert_eq(domain_nodes(st, VS_DOMID_MAX - 1), 0);
}
