/* SPDX-License-Identifier: MIT */
/*
 * libvnctl: the dom0 client of veneerd's control socket
 * (abi/veneer/control.h), shared by libvn, libvnev and libvngnt: connect
 * to RUNDIR/veneerd.sock, then one synchronous request/reply exchange at
 * a time, descriptors passed by SCM_RIGHTS with the first byte of a
 * header. Internal to those libraries (not installed): each of their
 * archives carries this object, so their users link them as before.
 * veneerd's side is hypervisor/control.c.
 *
 * A connection is not thread-safe; its owner serialises calls.
 */
#ifndef VNCTL_H
#define VNCTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <veneer/control.h>

/* Where veneerd runs when $VENEER_RUNDIR is not set, and its socket there
 * (libvn.h publishes the same as VN_RUNDIR_DEFAULT, VN_CTL_SOCKET_NAME). */
#define VNCTL_RUNDIR_DEFAULT "/run/veneer"
#define VNCTL_SOCKET_NAME    "veneerd.sock"

/* Parts a request's payload may come in (libvngnt: a struct, then the
 * bytes to copy). */
#define VNCTL_REQ_PARTS 2

/* Descriptors kept from one reply; more are closed. [POLICY] No reply
 * carries more than two (an event channel's notify and send eventfds). */
#define VNCTL_RECV_FDS 2

/* The most negative status a reply may carry (Linux's MAX_ERRNO); any
 * other value is out of protocol. */
#define VNCTL_ERRNO_MAX 4095

/* One connection to veneerd. */
struct vnctl {
    int fd;       /* the control socket; -1 once closed or broken */
    uint32_t seq; /* next request's seq */
};

/*
 * One exchange: its request and, filled in by vnctl_call, its reply.
 * IN:  op; req, the payload in parts (unused parts zero); send_fd, sent
 *      by SCM_RIGHTS, or -1; reply, a buffer of replymax bytes, or NULL
 *      to have the payload malloc'd; replymax, the longest payload
 *      accepted.
 * OUT: replylen; reply, if it was NULL: the malloc'd payload, the
 *      caller's to free, with one NUL byte past its end (NULL if empty);
 *      recv_fd, the reply's descriptors (close-on-exec) in the order they
 *      came, -1 where none did.
 */
struct vnctl_call {
    uint16_t op; /* enum vn_ctl_op */
    struct iovec req[VNCTL_REQ_PARTS];
    int send_fd;
    void *reply;
    size_t replymax;
    size_t replylen;
    int recv_fd[VNCTL_RECV_FDS];
};

/* vnctl_rundir_default: $VENEER_RUNDIR if set and not empty, else
 * VNCTL_RUNDIR_DEFAULT. */
const char *vnctl_rundir_default(void);

/*
 * vnctl_open: connects c to veneerd's control socket.
 *
 * Parameters:
 *   c         - OUT: the connection (its first request has seq 1)
 *   rundir    - the run directory, or NULL for vnctl_rundir_default()
 *   timeout_s - how long one send or receive may block
 *
 * Return values: 0; -ENAMETOOLONG (the socket path does not fit a
 * sockaddr_un); -ENOENT or -ECONNREFUSED if veneerd is not running there;
 * -EACCES for a caller that is not root; socket(2)'s -errno. On failure
 * c->fd is -1.
 */
int vnctl_open(struct vnctl *c, const char *rundir, int timeout_s);

/* vnctl_close: closes c's socket (veneerd then drops whatever the
 * connection held); a closed connection is fine. */
void vnctl_close(struct vnctl *c);

/*
 * vnctl_call: sends one request and reads its reply. The reply must echo
 * the request's magic, version, op and seq, carry at most replymax bytes
 * and a status of 0 or a -errno; anything else, or a broken stream,
 * closes the connection for good (it is out of step), as does a status of
 * -EPROTO (veneerd hangs up after it).
 *
 * Return values: the reply's status (0 or veneerd's -errno; replylen,
 * reply and recv_fd are set either way, and the caller closes the
 * descriptors); or a local -errno, with no descriptor kept and nothing
 * allocated: -ECONNRESET (the connection is closed or veneerd went
 * away), -ETIMEDOUT, -EPROTO, -ENOMEM (those three close it),
 * -EMSGSIZE (a request payload over VN_CTL_MAX_PAYLOAD; nothing sent).
 */
int vnctl_call(struct vnctl *c, struct vnctl_call *call);

#endif /* VNCTL_H */
