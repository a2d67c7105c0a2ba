// SPDX-License-Identifier: MIT
// libFuzzer harness for vstored's message handling: the input is a
// script of byte chunks fed to two connections (dom0 and domain 5) of a
// fresh store with small quotas, interleaved with draining and
// reconnecting, so framing, every request handler, transactions,
// watches and quota paths all see hostile bytes. ASan checks memory,
// and store_destroy at the end must leave nothing behind.
#include <stdint.h>
#include <stdio.h>

#include "vstored.h"

#define FUZZ_DOMU 5

static struct conn *fuzz_conn(struct store *st, int which)
{
    return conn_create(st, which ? FUZZ_DOMU : 0, NULL, NULL);
}

/* Give domain 5 a home it owns, so its requests get past permissions. */
static void fuzz_home(struct conn *c0)
{
    static const char msg[] = "/local/domain/5\0n5";
    struct xsd_sockmsg h = {.type = XS_MKDIR, .len = 16};
    char buf[64];

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), msg, 16);
    conn_input(c0, buf, sizeof(h) + 16);
    h.type = XS_SET_PERMS;
    h.len = sizeof(msg);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), msg, sizeof(msg));
    conn_input(c0, buf, sizeof(h) + sizeof(msg));
    obuf_consume(&c0->out, obuf_len(&c0->out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    struct limits lim;
    struct store *st;
    struct conn *c[2];
    size_t i = 0;

    if (!quiet) {
        log_init(LOG_TO_FILE, "/dev/null", 0);
        quiet = true;
    }
    limits_default(&lim);
    lim.nodes = 64;
    lim.watches = 8;
    lim.txns = 4;
    lim.txn_nodes = 64;
    lim.output = 32 * 1024;
    st = store_create(&lim);
    if (st == NULL)
        return 0;
    c[0] = fuzz_conn(st, 0);
    c[1] = fuzz_conn(st, 1);
    fuzz_home(c[0]);
    /* Each step: selector byte, length byte, then that many bytes. */
    while (i + 2 <= size) {
        uint8_t sel = data[i], len = data[i + 1];
        struct conn *t = c[sel & 1];
        size_t n = size - i - 2 < len ? size - i - 2 : len;

        i += 2;
        conn_input(t, data + i, n);
        i += n;
        if (sel & 2) /* the peer reads its replies and events */
            obuf_consume(&t->out, obuf_len(&t->out));
        if (sel & 4)
            conn_process(t);
        if (t->state != CONN_OK || (sel & 0x80)) {
            conn_destroy(t);
            c[sel & 1] = fuzz_conn(st, sel & 1);
        }
    }
    store_destroy(st);
    return 0;
}
