/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the vstored unit tests: a store and connections with no
 * transport, and request wrappers that feed bytes in and parse the
 * replies (and watch events) out of the connection's output queue.
 */
#ifndef TEST_VSTORE_H
#define TEST_VSTORE_H

#include "vstored.h"

/* Payload of the last reply, NUL-terminated for convenience. */
struct treply {
    uint32_t type;
    uint32_t len;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

struct store *t_store(const struct limits *lim);
struct conn *t_conn(struct store *st, uint32_t domid);

/* Sends type/tx with payload data[0..len) and returns 0 for a reply of
 * the same type (copied to *r if r != NULL) or the errno an XS_ERROR
 * reply names. Watch events queued meanwhile are kept for t_event. */
int t_req(struct conn *c, uint32_t type, uint32_t tx, const void *data,
          size_t len, struct treply *r);

int t_write(struct conn *c, uint32_t tx, const char *path, const char *val);
int t_read(struct conn *c, uint32_t tx, const char *path, char *out);
int t_mkdir(struct conn *c, uint32_t tx, const char *path);
int t_rm(struct conn *c, uint32_t tx, const char *path);
/* Children as one "a,b,c" string. */
int t_dir(struct conn *c, uint32_t tx, const char *path, char *out);
/* Perms as one "b0,r5" string; set takes the same form. */
int t_get_perms(struct conn *c, uint32_t tx, const char *path, char *out);
int t_set_perms(struct conn *c, uint32_t tx, const char *path,
                const char *perms);
int t_watch(struct conn *c, const char *path, const char *token);
int t_unwatch(struct conn *c, const char *path, const char *token);
int t_txn_start(struct conn *c, uint32_t *tx);
int t_txn_end(struct conn *c, uint32_t tx, bool commit);
int t_domid_op(struct conn *c, uint32_t type, const char *args,
               struct treply *r);

/* Next watch event for c as "path token", or false if none. */
bool t_event(struct conn *c, char *out);
/* Number of queued watch events for c (after parsing its output). */
unsigned t_nevents(struct conn *c);

#endif /* TEST_VSTORE_H */
