// SPDX-License-Identifier: MIT
// libFuzzer harness for the xenstore ring page (ring.c): the input is a
// script of guest actions on a page served as domain 5's ring: bytes
// into the request stream, any value in the indices the guest owns and
// in those it must not touch, reads of the reply stream, reconnect
// requests, and dom0 writes that fire the guest's watches; the ring is
// pumped after each. ASan and UBSan check that nothing a guest writes
// makes the server touch memory outside the page or its own buffers,
// and store_destroy at the end must leave nothing behind.
#include <stdint.h>
#include <stdio.h>

#include "vstored.h"

#define FUZZ_DOMU 5

static union {
    struct xenstore_domain_interface intf;
    char bytes[4096];
} page __attribute__((aligned(4096)));

static uint32_t fuzz_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* dom0 makes the domain's home and writes below it (fires watches). */
static void fuzz_dom0_write(struct conn *c0, uint8_t k)
{
    char buf[96];
    struct xsd_sockmsg h = {.type = XS_WRITE};
    int n = snprintf(buf + sizeof(h), sizeof(buf) - sizeof(h),
                     "/local/domain/5/data/%u%cv", k, 0);

    h.len = (uint32_t)n;
    memcpy(buf, &h, sizeof(h));
    conn_input(c0, buf, sizeof(h) + (size_t)n);
    obuf_consume(&c0->out, obuf_len(&c0->out));
}

static void fuzz_home(struct conn *c0)
{
    static const char msg[] = "/local/domain/5\0n5";
    struct xsd_sockmsg h = {.type = XS_SET_PERMS, .len = sizeof(msg)};
    char buf[64];

    fuzz_dom0_write(c0, 0);
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), msg, sizeof(msg));
    conn_input(c0, buf, sizeof(h) + sizeof(msg));
    obuf_consume(&c0->out, obuf_len(&c0->out));
}

/* One guest action; returns the input bytes it used. */
static size_t fuzz_step(struct ring *r, struct conn *c0, const uint8_t *d,
                        size_t left)
{
    struct xenstore_domain_interface *intf = &page.intf;
    uint8_t op = d[0];
    size_t n = left - 1 < 4 ? 0 : 4;

    switch (op & 7) {
    case 0: /* bytes into req at the guest's producer */
        n = left - 1 < (size_t)(op >> 3) ? left - 1 : (size_t)(op >> 3);
        for (size_t i = 0; i < n; i++)
            intf->req[MASK_XENSTORE_IDX(intf->req_prod + i)] = (char)d[1 + i];
        intf->req_prod += (uint32_t)n;
        return 1 + n;
    case 1: /* any producer */
        if (n)
            intf->req_prod = fuzz_u32(d + 1);
        return 1 + n;
    case 2: /* any consumer of replies */
        if (n)
            intf->rsp_cons = fuzz_u32(d + 1);
        return 1 + n;
    case 3: /* read replies as a well-behaved guest would */
        if (intf->rsp_prod - intf->rsp_cons <= XENSTORE_RING_SIZE)
            intf->rsp_cons = intf->rsp_prod;
        return 1;
    case 4: /* scribble what the server owns */
        if (n) {
            intf->req_cons = fuzz_u32(d + 1);
            intf->rsp_prod = fuzz_u32(d + 1) ^ 0x5a5a;
            intf->error = d[1];
            intf->server_features = 0;
        }
        return 1 + n;
    case 5:
        intf->connection = XENSTORE_RECONNECT;
        return 1;
    case 6:
        fuzz_dom0_write(c0, op >> 3);
        return 1;
    default: /* a repeated INTRODUCE */
        ring_reset(r);
        return 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    struct limits lim;
    struct store *st;
    struct conn *c0;
    struct ring r;
    size_t i = 0;

    if (!quiet) {
        log_init(LOG_TO_FILE, "/dev/null", 0);
        quiet = true;
    }
    limits_default(&lim);
    lim.nodes = 64;
    lim.watches = 8;
    lim.txns = 4;
    lim.output = 16 * 1024;
    st = store_create(&lim);
    if (st == NULL)
        return 0;
    c0 = conn_create(st, 0, NULL, NULL);
    fuzz_home(c0);
    memset(&page, 0, sizeof(page));
    if (ring_open(&r, st, FUZZ_DOMU, &page, NULL, NULL) == 0) {
        while (i < size) {
            i += fuzz_step(&r, c0, data + i, size - i);
            ring_pump(&r);
        }
        ring_close(&r);
    }
    store_destroy(st);
    return 0;
}
