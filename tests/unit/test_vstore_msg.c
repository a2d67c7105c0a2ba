// SPDX-License-Identifier: MIT
// vstored unit tests: message framing and malformed input. Every bad
// request gets an XS_ERROR reply with Xen's errno name; only a payload
// over XENSTORE_PAYLOAD_MAX ends the connection (after the reply).
#include <criterion/criterion.h>

#include "test_vstore.h"

static struct store *st;
static struct conn *c0;

static void setup(void)
{
    st = t_store(NULL);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
}

static void teardown(void)
{
    store_destroy(st);
}

TestSuite(msg, .init = setup, .fini = teardown);

/* Reads one message from c's queue. */
static bool next_msg(struct conn *c, struct xsd_sockmsg *h, char *payload)
{
    if (obuf_len(&c->out) < sizeof(*h))
        return false;
    memcpy(h, obuf_data(&c->out), sizeof(*h));
    memcpy(payload, obuf_data(&c->out) + sizeof(*h), h->len);
    payload[h->len] = '\0';
    obuf_consume(&c->out, sizeof(*h) + h->len);
    return true;
}

Test(msg, oversized_payload_gets_e2big_then_close)
{
    struct xsd_sockmsg h = {.type = XS_READ, .req_id = 9, .len = 4097};
    char p[XENSTORE_PAYLOAD_MAX + 1];

    conn_input(c0, &h, sizeof(h));
    cr_assert(next_msg(c0, &h, p));
    cr_assert_eq(h.type, XS_ERROR);
    cr_assert_eq(h.req_id, 9);
    cr_assert_str_eq(p, "E2BIG");
    cr_assert_eq(h.len, 6); /* the name and its NUL */
    cr_assert_eq(c0->state, CONN_DRAIN);
    /* Nothing more is served. */
    h.len = 2;
    conn_input(c0, &h, sizeof(h));
    conn_input(c0, "/", 2);
    cr_assert_not(next_msg(c0, &h, p));
}

Test(msg, max_payload_is_accepted)
{
    static char buf[XENSTORE_PAYLOAD_MAX];

    memset(buf, 'a', sizeof(buf));
    memcpy(buf, "/m", 3);
    cr_assert_eq(t_req(c0, XS_WRITE, 0, buf, sizeof(buf), NULL), 0);
    cr_assert_eq(c0->state, CONN_OK);
}

Test(msg, unknown_and_server_only_types)
{
    cr_assert_eq(t_req(c0, XS_TYPE_COUNT, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, 20, 0, "", 1, NULL), ENOSYS); /* RESTRICT */
    cr_assert_eq(t_req(c0, XS_WATCH_EVENT, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, XS_ERROR, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, XS_INVALID, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, 0xdeadbeef, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, XS_GET_FEATURE, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(t_req(c0, XS_GET_QUOTA, 0, "", 1, NULL), ENOSYS);
    cr_assert_eq(c0->state, CONN_OK);
}

Test(msg, malformed_arguments_are_einval)
{
    cr_assert_eq(t_req(c0, XS_READ, 0, "/a", 2, NULL), EINVAL); /* no NUL */
    cr_assert_eq(t_req(c0, XS_READ, 0, "", 0, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_READ, 0, "/a\0/b", 6, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_WRITE, 0, "/a", 2, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_WATCH, 0, "/a", 3, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_UNWATCH, 0, "/a", 3, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_SET_PERMS, 0, "/", 2, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_DIRECTORY_PART, 0, "/\0x", 4, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_INTRODUCE, 0,
                       "5\0"
                       "1",
                       4, NULL),
                 EINVAL);
    cr_assert_eq(t_req(c0, XS_GET_DOMAIN_PATH, 0, "", 0, NULL), EINVAL);
    cr_assert_eq(t_req(c0, XS_CONTROL, 0, "bogus", 6, NULL), EINVAL);
    cr_assert_eq(c0->state, CONN_OK);
}

Test(msg, privileged_types_refused_to_domus)
{
    struct conn *c5 = t_conn(st, 5);

    cr_assert_eq(t_req(c5, XS_CONTROL, 0, "help", 5, NULL), EACCES);
    cr_assert_eq(t_req(c5, XS_RESUME, 0, "1", 2, NULL), EACCES);
}

Test(msg, reply_echoes_ids_and_type)
{
    struct xsd_sockmsg h = {
        .type = XS_GET_DOMAIN_PATH, .req_id = 0x12345678, .len = 2};
    char p[XENSTORE_PAYLOAD_MAX + 1];

    conn_input(c0, &h, sizeof(h));
    conn_input(c0, "3", 2);
    cr_assert(next_msg(c0, &h, p));
    cr_assert_eq(h.type, XS_GET_DOMAIN_PATH);
    cr_assert_eq(h.req_id, 0x12345678);
    cr_assert_eq(h.tx_id, 0);
    cr_assert_eq(h.len, 16);
    cr_assert_str_eq(p, "/local/domain/3");
}

Test(msg, byte_at_a_time_and_pipelined)
{
    char stream[256];
    struct xsd_sockmsg h = {.type = XS_WRITE, .req_id = 1, .len = 5};
    char p[XENSTORE_PAYLOAD_MAX + 1];
    size_t n = 0;

    memcpy(stream + n, &h, sizeof(h));
    n += sizeof(h);
    memcpy(stream + n, "/k\0v1", 5);
    n += 5;
    h = (struct xsd_sockmsg){.type = XS_READ, .req_id = 2, .len = 3};
    memcpy(stream + n, &h, sizeof(h));
    n += sizeof(h);
    memcpy(stream + n, "/k", 3);
    n += 3;
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(conn_input(c0, stream + i, 1), 1);
    cr_assert(next_msg(c0, &h, p));
    cr_assert_eq(h.req_id, 1);
    cr_assert_str_eq(p, "OK");
    cr_assert(next_msg(c0, &h, p));
    cr_assert_eq(h.req_id, 2);
    cr_assert_str_eq(p, "v1");
    /* The same two requests in one chunk. */
    cr_assert_eq(conn_input(c0, stream, n), n);
    cr_assert(next_msg(c0, &h, p));
    cr_assert(next_msg(c0, &h, p));
    cr_assert_str_eq(p, "v1");
    cr_assert_not(next_msg(c0, &h, p));
}

Test(msg, control_commands)
{
    struct treply r;

    cr_assert_eq(t_req(c0, XS_CONTROL, 0, "help", 5, &r), 0);
    cr_assert(strstr(r.data, "quota") != NULL);
    cr_assert_eq(t_req(c0, XS_CONTROL, 0, "quota", 6, &r), 0);
    cr_assert(strstr(r.data, "nodes 1000\n") != NULL);
    cr_assert_eq(t_req(c0, XS_CONTROL, 0, "print\0hi", 9, &r), 0);
}

Test(msg, error_names_are_xens)
{
    cr_assert_str_eq(dispatch_errname(ENOENT), "ENOENT");
    cr_assert_str_eq(dispatch_errname(EAGAIN), "EAGAIN");
    cr_assert_str_eq(dispatch_errname(EPERM), "EPERM");
    cr_assert_str_eq(dispatch_errname(ETIMEDOUT), "EINVAL");
}
