/* SPDX-License-Identifier: MIT */
/*
 * libvstore: the dom0 client library for vstored (and any xenstored that
 * speaks Xen's wire protocol on a local socket).
 *
 * Conventions:
 *  - Every call that can fail returns 0 or a negative errno: the errno
 *    the server named in its XS_ERROR reply (-ENOENT, -EACCES, -EAGAIN,
 *    ...), or a local one (-ECONNRESET if the daemon went away, -ENOMEM,
 *    -EPROTO for a reply that breaks the protocol). Out-parameters are
 *    set only on success; strings and arrays they return are malloc'd
 *    and the caller frees them with free().
 *  - tx is a transaction id from vstore_txn_start, or VSTORE_NO_TXN.
 *  - A handle is not thread-safe: use one per thread.
 *  - Calls are synchronous. Watch events that arrive while a call waits
 *    for its reply are queued in the handle; vstore_event_fd() is
 *    readable whenever an event is queued or may be on the socket, so it
 *    can sit in the caller's poll/epoll set.
 *
 * Socket path (the same rule as Xen's libxenstore, so one environment
 * serves both): $XENSTORED_PATH if set, else $XENSTORED_RUNDIR/socket,
 * else VSTORE_DEFAULT_SOCKET.
 */
#ifndef VSTORE_H
#define VSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where vstored listens when neither environment variable is set. Not
 * Xen's /var/run/xenstored/socket, so a real Xen install and Veneer can
 * share a host. */
#define VSTORE_DEFAULT_SOCKET "/run/veneer/xenstored/socket"

/* "No transaction". */
#define VSTORE_NO_TXN 0u

/* Access letters of a permission entry. */
#define VSTORE_PERM_NONE  0u
#define VSTORE_PERM_READ  1u
#define VSTORE_PERM_WRITE 2u
#define VSTORE_PERM_BOTH  3u

/* One permission entry; the first of a list names the owner, and its
 * access is the default for domains without an entry. */
struct vstore_perm {
    uint32_t domid;
    uint32_t access; /* VSTORE_PERM_* */
};

struct vstore;

/*
 * vstore_socket_path: the socket path by the rule above. Returns a
 * pointer into the environment or to a static string; never NULL.
 */
const char *vstore_socket_path(void);

/*
 * vstore_open: connects to the store.
 *
 * Parameters:
 *   path - socket path, or NULL for vstore_socket_path()
 *
 * Return values: a handle, or NULL with errno set (from socket/connect,
 * or ENOMEM).
 */
struct vstore *vstore_open(const char *path);

/* vstore_close: disconnects; open transactions are discarded and
 * watches dropped by the server. NULL is ignored. */
void vstore_close(struct vstore *h);

/*
 * vstore_read: the value at path.
 *
 * Parameters:
 *   value - receives the value with a NUL appended (values may hold NULs:
 *           use len)
 *   len   - receives its length without the NUL; may be NULL
 *
 * Return values: 0; -ENOENT; -EACCES; -EINVAL for a bad path; others as
 * above.
 */
int vstore_read(struct vstore *h, uint32_t tx, const char *path, char **value,
                size_t *len);

/* vstore_write: sets path to len bytes of value, creating it and any
 * missing parents. Return values: 0; -EACCES; -ENOSPC over a quota;
 * -EINVAL. */
int vstore_write(struct vstore *h, uint32_t tx, const char *path,
                 const void *value, size_t len);

/* vstore_mkdir: makes sure path exists (empty value if created). */
int vstore_mkdir(struct vstore *h, uint32_t tx, const char *path);

/* vstore_rm: removes path and everything below it. A missing path is not
 * an error; a missing parent is -ENOENT. */
int vstore_rm(struct vstore *h, uint32_t tx, const char *path);

/*
 * vstore_directory: the names of path's children, in creation order.
 * Long lists are fetched in parts (DIRECTORY_PART) transparently.
 *
 * Parameters:
 *   names - receives an array of *num pointers to names, in one
 *           allocation: free(names) frees all
 *   num   - receives the count
 *
 * Return values: 0; -ENOENT; -EACCES; -EAGAIN if the list kept changing
 * while it was fetched in parts.
 */
int vstore_directory(struct vstore *h, uint32_t tx, const char *path,
                     char ***names, unsigned *num);

/* vstore_get_perms: path's permission list (*perms malloc'd, *num
 * entries, at least 1). */
int vstore_get_perms(struct vstore *h, uint32_t tx, const char *path,
                     struct vstore_perm **perms, unsigned *num);

/* vstore_set_perms: replaces path's permission list (num >= 1). Only the
 * owner or dom0 may; only dom0 may change the owner (-EPERM). */
int vstore_set_perms(struct vstore *h, uint32_t tx, const char *path,
                     const struct vstore_perm *perms, unsigned num);

/*
 * vstore_watch: watch path (and everything below it) under token. The
 * store fires the watch once at once, then on every change; events are
 * read with vstore_read_event.
 *
 * Return values: 0; -EEXIST for a duplicate path and token; -E2BIG over
 * the watch quota.
 */
int vstore_watch(struct vstore *h, const char *path, const char *token);

/* vstore_unwatch: removes the watch (-ENOENT if there is none). Events
 * it queued before may still be read. */
int vstore_unwatch(struct vstore *h, const char *path, const char *token);

/* vstore_event_fd: a file descriptor that polls readable when
 * vstore_read_event may have an event. Owned by the handle. */
int vstore_event_fd(const struct vstore *h);

/*
 * vstore_read_event: the next watch event, without blocking.
 *
 * Parameters:
 *   path, token - receive malloc'd strings
 *
 * Return values: 0; -EAGAIN if none is available yet; -ECONNRESET.
 */
int vstore_read_event(struct vstore *h, char **path, char **token);

/* vstore_txn_start: opens a transaction; *tx receives its id.
 * Return values: 0; -ENOSPC over the transaction quota. */
int vstore_txn_start(struct vstore *h, uint32_t *tx);

/*
 * vstore_txn_end: commits (commit = true) or discards tx.
 *
 * Return values: 0; -EAGAIN if another change overlapped: redo the whole
 * transaction (reads included), not just the commit; -ENOENT for an
 * unknown tx.
 */
int vstore_txn_end(struct vstore *h, uint32_t tx, bool commit);

/* vstore_introduce / vstore_release / vstore_is_introduced: domain
 * management (dom0 only). is_introduced returns 1, 0 or -errno. */
int vstore_introduce(struct vstore *h, uint32_t domid, uint64_t gfn,
                     uint32_t evtchn);
int vstore_release(struct vstore *h, uint32_t domid);
int vstore_is_introduced(struct vstore *h, uint32_t domid);

/* vstore_get_domain_path: "/local/domain/<domid>", malloc'd in *path. */
int vstore_get_domain_path(struct vstore *h, uint32_t domid, char **path);

#endif /* VSTORE_H */
