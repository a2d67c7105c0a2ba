/* SPDX-License-Identifier: MIT */
/*
 * vstored_bench: shared pieces of the store benchmark (the raw wire
 * client and the echo peer).
 */
#ifndef VSTORED_BENCH_H
#define VSTORED_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "xen/io/xs_wire.h"

/* One reply read back by vsb_rpc. */
struct vsb_msg {
    struct xsd_sockmsg hdr;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

int vsb_connect(const char *path);
int vsb_send(int fd, uint32_t type, uint32_t tx, const void *a, size_t alen,
             const void *b, size_t blen);
int vsb_recv(int fd, struct vsb_msg *m);
int vsb_rpc(int fd, uint32_t type, uint32_t tx, const void *a, size_t alen,
            const void *b, size_t blen, struct vsb_msg *m);
pid_t vsb_echo_start(const char *path);
double vsb_now(void);

#endif /* VSTORED_BENCH_H */
