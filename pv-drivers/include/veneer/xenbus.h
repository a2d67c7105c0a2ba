/* SPDX-License-Identifier: MIT */
/*
 * xenbus: the guest's xenstore client, over the ring page and event
 * channel the domain builder hands over (start_info.store_mfn and
 * store_evtchn; XEN-ABI-FACTS §10). The store (vstored) binds the port
 * when the toolstack introduces the domain, so the guest only sends on
 * it.
 *
 * Model: synchronous, one request in flight, single vCPU. Every call
 * writes its request into the req stream (waiting for room), signals the
 * port, and waits for the reply with the same req_id; watch events that
 * arrive meanwhile are queued (XENBUS_MAX_EVENTS) for xenbus_wait_event.
 * Waiting is SCHEDOP_poll on the store port, which xenbus keeps masked,
 * so it works with upcalls masked or open and never depends on the
 * upcall handler; a call never waits longer than XENBUS_TIMEOUT_NS.
 * Do not call xenbus from an event handler.
 *
 * Ring recipe (io/xs_wire.h): write the bytes, release barrier, advance
 * req_prod, signal; read rsp_prod, acquire barrier, copy the bytes out
 * (never parsed in place), full barrier, advance rsp_cons, signal. The
 * server's indices are checked before use: a server more than a ring
 * ahead, or a reply longer than XENSTORE_PAYLOAD_MAX, is a broken
 * connection (-XEN_EIO from then on, until xenbus_reconnect).
 *
 * Paths: absolute ("/local/domain/5/data/x") or relative to the domain's
 * home, /local/domain/<domid> ("data/x"). Errors: 0 or a negative Xen
 * errno: the store's errno names mapped back (-XEN_ENOENT, -XEN_EACCES,
 * -XEN_EAGAIN, ...), or -XEN_ETIMEDOUT, -XEN_E2BIG (a request over
 * XENSTORE_PAYLOAD_MAX, or a reply larger than the caller's buffer),
 * -XEN_EIO (a broken ring), -XEN_ENODEV (no store: store_evtchn is 0).
 */
#ifndef VENEER_XENBUS_H
#define VENEER_XENBUS_H

#include <stddef.h>
#include <stdint.h>
#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>

/* [POLICY] Longest wait for one reply, or for room in the ring (ns). */
#define XENBUS_TIMEOUT_NS 10000000000ULL

/* [POLICY] Watch events queued for xenbus_wait_event; one more is
 * dropped (and counted in xenbus_stats.events_dropped). */
#define XENBUS_MAX_EVENTS 16

/* [POLICY] Bytes of one queued event: path, NUL, token, NUL. A longer
 * event is dropped and counted. */
#define XENBUS_EVENT_MAX 512

/* A transaction id; XENBUS_NO_TXN acts outside any transaction. */
typedef uint32_t xenbus_txn_t;
#define XENBUS_NO_TXN 0u

/*
 * xenbus_init: find the ring page (start_info.store_mfn, mapped
 * read-write in the bootstrap region at its pfn's address), map
 * shared_info if needed, and mask the store port (waits poll it).
 * Idempotent.
 *
 * Return values: 0; -XEN_ENODEV if the builder gave no store channel;
 * -XEN_EFAULT if store_mfn is not in the P2M list.
 */
int xenbus_init(void);

/*
 * xenbus_read: XS_READ of path into buf, NUL-terminated.
 *
 * Parameters: size - buf's size (the value may be up to size - 1 bytes);
 * len - OUT (may be NULL): the value's length.
 * Return values: 0; -XEN_ENOENT; -XEN_EACCES; -XEN_E2BIG if the value
 * does not fit (buf then holds its first size - 1 bytes); as above.
 */
int xenbus_read(xenbus_txn_t tx, const char *path, char *buf, size_t size,
                size_t *len);

/* xenbus_read_ulong: xenbus_read of a decimal number. -XEN_EINVAL if
 * the value is not one. */
int xenbus_read_ulong(xenbus_txn_t tx, const char *path, unsigned long *val);

/*
 * xenbus_write: XS_WRITE of the string value (without its NUL) to path;
 * missing parents are created. xenbus_write_bytes writes len raw bytes.
 * Return values: 0; -XEN_EACCES; -XEN_ENOSPC (node or value quota);
 * as above.
 */
int xenbus_write(xenbus_txn_t tx, const char *path, const char *value);
int xenbus_write_bytes(xenbus_txn_t tx, const char *path, const void *value,
                       size_t len);

/* xenbus_printf: write the formatted value to dir/node (dir may be ""
 * for node alone). -XEN_E2BIG if the path or the value is too long. */
int xenbus_printf(xenbus_txn_t tx, const char *dir, const char *node,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* xenbus_mkdir: XS_MKDIR (an empty node, parents created). */
int xenbus_mkdir(xenbus_txn_t tx, const char *path);

/* xenbus_rm: XS_RM, recursive; a missing node is fine, a missing
 * parent -XEN_ENOENT. */
int xenbus_rm(xenbus_txn_t tx, const char *path);

/*
 * xenbus_directory: XS_DIRECTORY: the children's names into buf, each
 * followed by a NUL, in creation order.
 * Parameters: count - OUT (may be NULL): how many.
 * Return values: 0; -XEN_E2BIG if they do not fit in size; as above.
 */
int xenbus_directory(xenbus_txn_t tx, const char *path, char *buf, size_t size,
                     unsigned *count);

/*
 * xenbus_set_perms: XS_SET_PERMS: n entries such as "n5" (owner 5, no
 * access for others) then "r0" (domain 0 may read). Only the owner may.
 * xenbus_get_perms puts them into buf, each followed by a NUL.
 */
int xenbus_set_perms(xenbus_txn_t tx, const char *path,
                     const char *const *perms, unsigned n);
int xenbus_get_perms(xenbus_txn_t tx, const char *path, char *buf, size_t size);

/*
 * xenbus_watch: XS_WATCH of path (and everything below it) with token.
 * The store fires it once at once, then on every change; the events
 * queue until xenbus_wait_event takes them. xenbus_unwatch: XS_UNWATCH
 * (events already queued stay).
 * Return values: 0; -XEN_EEXIST (same path and token twice); -XEN_E2BIG
 * (watch quota); -XEN_ENOENT (unwatch of no such watch); as above.
 */
int xenbus_watch(const char *path, const char *token);
int xenbus_unwatch(const char *path, const char *token);

/*
 * xenbus_wait_event: take the oldest queued watch event, waiting for one
 * until system time deadline_ns (0: XENBUS_TIMEOUT_NS from now).
 * Parameters: path, token - OUT: the node that changed (relative if the
 * watch was) and the watch's token, NUL-terminated, truncated to their
 * sizes.
 * Return values: 0; -XEN_ETIMEDOUT; -XEN_EIO.
 */
int xenbus_wait_event(char *path, size_t psize, char *token, size_t tsize,
                      uint64_t deadline_ns);

/* xenbus_txn_start: XS_TRANSACTION_START. -XEN_ENOSPC past the store's
 * transaction quota. */
int xenbus_txn_start(xenbus_txn_t *tx);

/* xenbus_txn_end: XS_TRANSACTION_END, committing unless abort.
 * -XEN_EAGAIN: another change came in between; redo the whole
 * transaction (read, decide, write), not just the end. */
int xenbus_txn_end(xenbus_txn_t tx, int abort);

/*
 * xenbus_transaction: run body(tx, arg) in a transaction and commit it,
 * redoing the whole while the store answers -XEN_EAGAIN (at most tries
 * times). A body that fails aborts the transaction (a body's own
 * -XEN_EAGAIN also redoes it).
 * Return values: 0; body's error; -XEN_EAGAIN after tries attempts; as
 * above.
 */
int xenbus_transaction(int (*body)(xenbus_txn_t tx, void *arg), void *arg,
                       unsigned tries);

/* xenbus_domid: this domain's id, from the store's "domid" key (which
 * the toolstack writes at /local/domain/<domid>/domid). */
int xenbus_domid(uint32_t *domid);

/*
 * The XenBus state machine (io/xenbus.h, XEN-ABI-FACTS §10.7): a device
 * end publishes its state as a decimal in <dir>/state.
 *
 * xenbus_switch_state: write st to dir/state.
 * xenbus_read_state: read dir/state; a missing or malformed node is
 *   XenbusStateUnknown (0 returned).
 * xenbus_wait_state: wait until dir/state is one of the states in mask
 *   (bit 1 << state), watching it; *st gets the state found.
 *   -XEN_ETIMEDOUT past deadline_ns (0: XENBUS_TIMEOUT_NS from now).
 *   Events of other watches stay queued.
 */
int xenbus_switch_state(xenbus_txn_t tx, const char *dir, enum xenbus_state st);
int xenbus_read_state(xenbus_txn_t tx, const char *dir, enum xenbus_state *st);
int xenbus_wait_state(const char *dir, uint32_t mask, enum xenbus_state *st,
                      uint64_t deadline_ns);

/* xenbus_state_bit: the mask bit of a state, for xenbus_wait_state. */
static inline uint32_t xenbus_state_bit(enum xenbus_state st)
{
    return 1u << st;
}

/*
 * xenbus_reconnect: ask the store to start over (only if it advertises
 * XENSTORE_SERVER_FEATURE_RECONNECTION): set connection to
 * XENSTORE_RECONNECT, signal, and wait until the store sets it back to
 * XENSTORE_CONNECTED. Every watch and transaction is gone afterwards;
 * queued events are dropped.
 * Return values: 0; -XEN_EOPNOTSUPP; -XEN_ETIMEDOUT.
 */
int xenbus_reconnect(void);

/* The ring page and the store's port, for tests (NULL / 0 before
 * xenbus_init). */
struct xenstore_domain_interface *xenbus_ring(void);
uint32_t xenbus_port(void);

/* Counters, for tests and diagnostics. */
struct xenbus_stats {
    uint64_t requests;       /* requests sent */
    uint64_t events;         /* watch events received */
    uint64_t events_dropped; /* ... and dropped (queue full or too long) */
    uint64_t stale_replies;  /* replies to requests that timed out */
};
extern struct xenbus_stats xenbus_stats;

#endif /* VENEER_XENBUS_H */
