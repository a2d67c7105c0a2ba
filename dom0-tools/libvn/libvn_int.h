/* SPDX-License-Identifier: MIT */
/*
 * libvn's internal header: the handle, the control-socket exchange
 * (ctl.c) and the store steps of building and tearing down a domain
 * (store.c). libvn's code needs nothing else besides libvn.h.
 */
#ifndef LIBVN_INT_H
#define LIBVN_INT_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libvn.h"
#include "vnctl.h"
#include "vstore.h"

/* Seconds a control request may take before the client gives up (a
 * CREATE of a large domain populates its memory). [POLICY] */
#define VN_CTL_TIMEOUT_S 60

/* Largest reply payload the client accepts. The ABI caps payloads at
 * VN_CTL_MAX_PAYLOAD, but a LIST of VN_MAX_DOMAINS domains would not fit
 * in it; accept more rather than fail. [POLICY] */
#define VN_CTL_REPLY_LIMIT (16u << 20)

/* Store transaction retries on EAGAIN before giving up. [POLICY] */
#define VN_STORE_TXN_RETRIES 16

struct vn {
    struct vnctl ctl; /* the control connection (vnctl.h) */
    char rundir[PATH_MAX];
    struct vstore *store; /* opened on first use */
    char errmsg[512];
};

/* A control exchange: its request and, filled in, its reply. */
struct vn_call {
    uint16_t op;
    const void *req; /* payload sent */
    size_t reqlen;
    int send_fd; /* sent by SCM_RIGHTS, or -1 */
    void *reply; /* malloc'd reply payload (NULL if none) */
    size_t replylen;
    int recv_fd; /* descriptor that came with the reply, or -1 */
};

/*
 * vn_ctl_call: sends one request and reads its reply.
 *
 * Return values: the reply's status (0 or -errno from veneerd; reply
 * and recv_fd are set either way: free and close them); or a local
 * -ECONNRESET, -ETIMEDOUT, -EPROTO (the connection is then unusable),
 * -EMSGSIZE or -ENOMEM.
 */
int vn_ctl_call(struct vn *h, struct vn_call *c);

/* vn_call_done: frees a call's reply and closes its descriptor. */
void vn_call_done(struct vn_call *c);

/* vn_set_errmsg: sets the handle's one-line message. */
void vn_set_errmsg(struct vn *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* vn_dom_op: an operation whose request is a struct vn_ctl_dom and whose
 * reply carries nothing (or, with info, a struct vn_dominfo). */
int vn_dom_op(struct vn *h, uint16_t op, const char *dom,
              struct vn_dominfo *info);

/* vn_dominfo_fix: NUL-terminates the name veneerd sent. */
void vn_dominfo_fix(struct vn_dominfo *d);

/*
 * vn_store: the handle's vstored connection, opened on first use at
 * RUNDIR/xenstored/socket.
 *
 * Return values: 0 and *s; -ENOTCONN if vstored is not running; -errno.
 */
int vn_store(struct vn *h, struct vstore **s);

/* vn_store_setup: writes the standard entries of a new domain (one
 * transaction) and introduces it to vstored. */
int vn_store_setup(struct vn *h, const struct vn_config *cfg,
                   const struct vn_dominfo *info);

/* vn_store_teardown: removes a domain's entries and releases it from
 * vstored; a store that is not running, or entries already gone, are
 * fine. */
void vn_store_teardown(struct vn *h, uint32_t domid);

/* vn_store_sweep: removes the entries of domains veneerd no longer has
 * (it destroys domains by their on_* actions without telling the store),
 * as xl's domain-death handling would have. Best effort. */
void vn_store_sweep(struct vn *h);

#endif /* LIBVN_INT_H */
