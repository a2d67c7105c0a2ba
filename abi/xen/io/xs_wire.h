/* SPDX-License-Identifier: MIT */
/*
 * XenStore wire protocol: the message header and types, the error names,
 * and the shared ring page between a guest and the store server
 * (XEN-ABI-FACTS §10).
 *
 * The same byte stream runs over the guest's ring page and over the dom0
 * Unix socket: a 16-byte struct xsd_sockmsg, then `len` payload bytes.
 * Strings in a payload are NUL-terminated, except the value of XS_WRITE
 * and the reply to XS_READ, which are raw bytes.
 *
 * Rules:
 * 1. len <= XENSTORE_PAYLOAD_MAX; a longer payload is a protocol violation
 *    and the server drops the connection (ring: error = XENSTORE_ERROR_PROTO).
 * 2. Absolute paths are at most XENSTORE_ABS_PATH_MAX bytes, relative ones
 *    XENSTORE_REL_PATH_MAX; longer ones get an error reply, nothing worse.
 *    Characters: ASCII letters, digits and "-/_@"; no "//", no trailing
 *    "/" except for the root. A relative path from domain D means
 *    /local/domain/D/<path>.
 * 3. A reply carries the request's type, req_id and tx_id, except that an
 *    error reply has type XS_ERROR and an errno *name* ("ENOENT\0") as its
 *    payload (xsd_errors below). Replies may come out of order: match by
 *    req_id. XS_WATCH_EVENT messages (req_id 0, tx_id 0) may arrive at
 *    any time.
 * 4. An unsupported type gets the error "ENOSYS".
 */
#ifndef VENEER_ABI_XEN_IO_XS_WIRE_H
#define VENEER_ABI_XEN_IO_XS_WIRE_H

#include "../errno.h"

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * Message types. Request payload -> reply payload ("\0" marks a NUL):
 *
 *  0 CONTROL       cmd\0[args\0]                -> optional text
 *  1 DIRECTORY     path\0                       -> child\0 child\0 ...
 *  2 READ          path\0                       -> value (raw)
 *  3 GET_PERMS     path\0                       -> perm\0 perm\0 ...
 *  4 WATCH         path\0token\0[depth\0]       -> OK\0
 *  5 UNWATCH       path\0token\0                -> OK\0
 *  6 TRANSACTION_START  \0 (tx_id 0)            -> decimal tx id\0
 *  7 TRANSACTION_END    T\0 commit | F\0 abort  -> OK\0, or error EAGAIN:
 *                       redo the whole transaction
 *  8 INTRODUCE     domid\0gfn\0evtchn\0         -> OK\0 (dom0 only)
 *  9 RELEASE       domid\0                      -> OK\0 (dom0 only)
 * 10 GET_DOMAIN_PATH  domid\0                   -> /local/domain/<id>\0
 * 11 WRITE         path\0value (raw)            -> OK\0; makes parents
 * 12 MKDIR         path\0                       -> OK\0
 * 13 RM            path\0                       -> OK\0; recursive; missing
 *                                                  node ok, missing parent
 *                                                  is ENOENT
 * 14 SET_PERMS     path\0perm\0perm\0...        -> OK\0
 * 15 WATCH_EVENT   (server only)                   path\0token\0
 * 16 ERROR         (server only)                   errno name\0
 * 17 IS_DOMAIN_INTRODUCED  domid\0              -> T\0 or F\0
 * 18 RESUME        domid\0                      -> OK\0 (dom0 only)
 * 19 SET_TARGET    domid\0tdomid\0              -> OK\0 (dom0 only)
 * 20 (RESTRICT, removed; invalid)
 * 21 RESET_WATCHES \0                           -> OK\0; drops the caller's
 *                                                  watches and transactions
 * 22 DIRECTORY_PART  path\0offset\0             -> generation\0 names...
 * 23 GET_FEATURE   [domid\0]                    -> decimal value\0
 * 24 SET_FEATURE   domid\0value\0               -> OK\0
 * 25 GET_QUOTA     [[domid\0]quota\0]           -> value\0
 * 26 SET_QUOTA     [domid\0]quota\0value\0      -> OK\0
 * 22..26 are optional for a server.
 *
 * Permissions: each perm string is a letter and a decimal domid: n none,
 * r read, w write, b both. The first names the owner (full access) and its
 * letter is the default for every domain without an entry of its own.
 */
enum xsd_sockmsg_type {
    XS_CONTROL,
#define XS_DEBUG XS_CONTROL /* old name of XS_CONTROL */
    XS_DIRECTORY,
    XS_READ,
    XS_GET_PERMS,
    XS_WATCH,
    XS_UNWATCH,
    XS_TRANSACTION_START,
    XS_TRANSACTION_END,
    XS_INTRODUCE,
    XS_RELEASE,
    XS_GET_DOMAIN_PATH,
    XS_WRITE,
    XS_MKDIR,
    XS_RM,
    XS_SET_PERMS,
    XS_WATCH_EVENT,
    XS_ERROR,
    XS_IS_DOMAIN_INTRODUCED,
    XS_RESUME,
    XS_SET_TARGET,
    /* 20 was XS_RESTRICT, removed */
    XS_RESET_WATCHES = XS_SET_TARGET + 2,
    XS_DIRECTORY_PART,
    XS_GET_FEATURE,
    XS_SET_FEATURE,
    XS_GET_QUOTA,
    XS_SET_QUOTA,
    XS_TYPE_COUNT, /* number of type values, removed ones included */

    XS_INVALID = 0xffff /* guaranteed never to be a valid type */
};

/* Order of the strings in an XS_WATCH_EVENT payload. */
enum xs_watch_type {
    XS_WATCH_PATH = 0, /* first string: the path that changed */
    XS_WATCH_TOKEN     /* second string: the token given to XS_WATCH */
};

/*
 * Error names a server may send in an XS_ERROR reply, with the Xen errno
 * value each stands for (errno.h). Errors travel as the name, never the
 * number. The table is data any guest or tool can use to map between the
 * two.
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};

#define XSD_ERROR(x)                                                           \
    {                                                                          \
        XEN_##x, #x                                                            \
    }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    XSD_ERROR(EINVAL), XSD_ERROR(EACCES),  XSD_ERROR(EEXIST),
    XSD_ERROR(EISDIR), XSD_ERROR(ENOENT),  XSD_ERROR(ENOMEM),
    XSD_ERROR(ENOSPC), XSD_ERROR(EIO),     XSD_ERROR(ENOTEMPTY),
    XSD_ERROR(ENOSYS), XSD_ERROR(EROFS),   XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN), XSD_ERROR(EISCONN), XSD_ERROR(E2BIG),
    XSD_ERROR(EPERM),
};
#undef XSD_ERROR

/* Number of entries in xsd_errors. */
#define XSD_ERRORS_COUNT (sizeof(xsd_errors) / sizeof(xsd_errors[0]))

/*
 * struct xsd_sockmsg: message header (16 bytes), followed by len bytes.
 *   type    enum xsd_sockmsg_type
 *   req_id  chosen by the client; echoed in the reply
 *   tx_id   transaction id, 0 outside a transaction
 *   len     payload bytes, <= XENSTORE_PAYLOAD_MAX
 */
struct xsd_sockmsg {
    uint32_t type;
    uint32_t req_id;
    uint32_t tx_id;
    uint32_t len;
};

#endif /* !__ASSEMBLY__ */

/* Bytes in each direction of the ring page's byte streams. */
#define XENSTORE_RING_SIZE 1024

/* Position of stream byte idx in its ring array. */
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

/* Largest payload allowed after a header; violating it kills the
 * connection. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longest absolute and relative paths; longer ones get an error reply. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* xenstore_domain_interface.server_features bits [server]. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* connection field works */
#define XENSTORE_SERVER_FEATURE_ERROR        2 /* error field present */
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH   4 /* XS_WATCH takes a depth */
#define XENSTORE_SERVER_FEATURE_DOMID_ANY    8 /* DOMID_ANY in perms */

/* xenstore_domain_interface.connection values. */
#define XENSTORE_CONNECTED 0 /* steady state; only the server sets it */
#define XENSTORE_RECONNECT 1 /* guest asked to reconnect; only guest sets */

/* xenstore_domain_interface.error values [server]. */
#define XENSTORE_ERROR_NONE    0 /* no error */
#define XENSTORE_ERROR_COMM    1 /* event channel communication failed */
#define XENSTORE_ERROR_RINGIDX 2 /* an index was out of range */
#define XENSTORE_ERROR_PROTO   3 /* protocol violation (payload too long) */

#ifndef __ASSEMBLY__

/* A free-running byte offset into one of the ring's streams. */
typedef uint32_t XENSTORE_RING_IDX;

/*
 * struct xenstore_domain_interface: the xenstore ring page (2080 bytes
 * used of 4 KiB). A PV guest finds it at start_info.store_mfn, with event
 * channel start_info.store_evtchn (already bound by the server).
 *
 *   req[]            [guest]  request stream, guest -> server
 *   rsp[]            [server] reply and watch-event stream
 *   req_cons         [server] bytes of req consumed
 *   req_prod         [guest]  bytes of req produced
 *   rsp_cons         [guest]  bytes of rsp consumed
 *   rsp_prod         [server] bytes of rsp produced
 *   server_features  [server] XENSTORE_SERVER_FEATURE_*; bits never clear
 *   connection       XENSTORE_CONNECTED / XENSTORE_RECONNECT
 *   error            [server] XENSTORE_ERROR_*
 *   evtchn_port      [builder] port for dom0less domains; use iff nonzero
 *
 * Indices are free-running u32 and need not start at 0; byte x of a
 * stream is at MASK_XENSTORE_IDX(x). Producer recipe:
 * 1. Free space = XENSTORE_RING_SIZE - (prod - cons); read cons, then rmb
 *    (mb on weakly ordered CPUs) before writing data.
 * 2. Copy the bytes to ring[MASK_XENSTORE_IDX(prod + i)].
 * 3. wmb: the data must be visible before the index.
 * 4. prod += n; then signal the event channel (every update).
 * Consumer recipe: read prod; rmb; copy bytes out (never parse in place:
 * the peer can change them); mb; cons += n; signal.
 *
 * Reconnect (only if XENSTORE_SERVER_FEATURE_RECONNECTION): the guest sets
 * connection = XENSTORE_RECONNECT and signals; the server drops all queued
 * data, requests, watches and transactions, resets the indices, sets
 * connection = XENSTORE_CONNECTED and signals.
 */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;
    uint32_t connection;
    uint32_t error;
    uint32_t evtchn_port;
};

_Static_assert(sizeof(struct xsd_sockmsg) == 16, "xsd_sockmsg size");
_Static_assert(offsetof(struct xsd_sockmsg, req_id) == 4, "xsd req_id");
_Static_assert(offsetof(struct xsd_sockmsg, tx_id) == 8, "xsd tx_id");
_Static_assert(offsetof(struct xsd_sockmsg, len) == 12, "xsd len");
_Static_assert(XS_TYPE_COUNT == 27, "XS_TYPE_COUNT");
_Static_assert(sizeof(struct xenstore_domain_interface) == 2080,
               "xenstore_domain_interface size");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp) == 1024,
               "xs rsp");
_Static_assert(offsetof(struct xenstore_domain_interface, req_cons) == 2048,
               "xs req_cons");
_Static_assert(offsetof(struct xenstore_domain_interface, req_prod) == 2052,
               "xs req_prod");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp_cons) == 2056,
               "xs rsp_cons");
_Static_assert(offsetof(struct xenstore_domain_interface, rsp_prod) == 2060,
               "xs rsp_prod");
_Static_assert(offsetof(struct xenstore_domain_interface, server_features) ==
                   2064,
               "xs server_features");
_Static_assert(offsetof(struct xenstore_domain_interface, connection) == 2068,
               "xs connection");
_Static_assert(offsetof(struct xenstore_domain_interface, error) == 2072,
               "xs error");
_Static_assert(offsetof(struct xenstore_domain_interface, evtchn_port) == 2076,
               "xs evtchn_port");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_IO_XS_WIRE_H */
