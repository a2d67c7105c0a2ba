// SPDX-License-Identifier: MIT
// Request dispatch: one table row per message type (handler, privilege,
// whether it runs inside a transaction), argument helpers shared by the
// handlers, and the error replies with Xen's errno names.
#include <stdio.h>

#include "vstored.h"

#define OP_PRIV 0x1u /* dom0 only */
#define OP_TXN  0x2u /* acts through the transaction named by tx_id */

struct op_desc {
    int (*fn)(struct req *r);
    unsigned flags;
};

static const struct op_desc op_table[XS_TYPE_COUNT] = {
    [XS_CONTROL] = {op_control, OP_PRIV},
    [XS_DIRECTORY] = {op_directory, OP_TXN},
    [XS_READ] = {op_read, OP_TXN},
    [XS_GET_PERMS] = {op_get_perms, OP_TXN},
    [XS_WATCH] = {op_watch, 0},
    [XS_UNWATCH] = {op_unwatch, 0},
    [XS_TRANSACTION_START] = {op_txn_start, 0},
    [XS_TRANSACTION_END] = {op_txn_end, OP_TXN},
    [XS_INTRODUCE] = {op_introduce, OP_PRIV},
    [XS_RELEASE] = {op_release, OP_PRIV},
    [XS_GET_DOMAIN_PATH] = {op_get_domain_path, 0},
    [XS_WRITE] = {op_write, OP_TXN},
    [XS_MKDIR] = {op_mkdir, OP_TXN},
    [XS_RM] = {op_rm, OP_TXN},
    [XS_SET_PERMS] = {op_set_perms, OP_TXN},
    [XS_IS_DOMAIN_INTRODUCED] = {op_is_introduced, 0},
    [XS_RESUME] = {op_resume, OP_PRIV},
    [XS_SET_TARGET] = {op_set_target, OP_PRIV},
    [XS_RESET_WATCHES] = {op_reset_watches, 0},
    [XS_DIRECTORY_PART] = {op_directory_part, OP_TXN},
};

/* Errors travel as Xen's names (xsd_errors in io/xs_wire.h), whose
 * numbers are Linux's, so the host errno indexes the table directly. */
_Static_assert(EINVAL == XEN_EINVAL && EAGAIN == XEN_EAGAIN &&
                   E2BIG == XEN_E2BIG && EISCONN == 106,
               "host errno values are Xen's");

/* dispatch_errname: the wire name of err; EINVAL for anything outside
 * Xen's table, as xenstored does. */
const char *dispatch_errname(int err)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++) {
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    }
    return "EINVAL";
}

/* msg_count_strings: how many NUL-terminated strings data holds. */
unsigned msg_count_strings(const char *data, size_t len)
{
    unsigned n = 0;
    const char *end = data + len;

    for (const char *p = data; p < end; p++) {
        p = memchr(p, '\0', (size_t)(end - p));
        if (p == NULL)
            break;
        n++;
    }
    return n;
}

/* msg_arg: the idx'th NUL-terminated string of the payload, or NULL if
 * there are fewer. */
const char *msg_arg(const struct req *r, unsigned idx)
{
    const char *p = r->data;
    const char *end = r->data + r->hdr.len;

    for (;;) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));

        if (nul == NULL)
            return NULL;
        if (idx-- == 0)
            return p;
        p = nul + 1;
    }
}

/* req_path: canonicalises a path argument (see path_canonical). */
int req_path(struct req *r, const char *arg, char *buf, size_t *len,
             size_t *relskip)
{
    if (arg == NULL)
        return EINVAL;
    return path_canonical(arg, r->conn->domid, buf, len, relskip);
}

void req_reply(struct req *r, const void *data, size_t len)
{
    conn_send(r->conn, r->hdr.type, r->hdr.req_id, r->hdr.tx_id, data, len,
              NULL, 0);
}

/* req_reply_str: a reply of one string with its NUL ("OK", an id...). */
void req_reply_str(struct req *r, const char *s)
{
    req_reply(r, s, strlen(s) + 1);
}

static void dispatch_error(struct conn *c, const struct xsd_sockmsg *hdr,
                           int err)
{
    const char *name = dispatch_errname(err);

    conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, name, strlen(name) + 1,
              NULL, 0);
}

/*
 * dispatch_message: serves one request whose payload (hdr->len bytes,
 * already bounded by the caller) is at data. Exactly one reply is queued:
 * the handler's, or an error. Unknown and server-only types get ENOSYS;
 * privileged types from a domU get EACCES; a tx_id naming no open
 * transaction of this connection gets ENOENT.
 */
void dispatch_message(struct conn *c, const struct xsd_sockmsg *hdr,
                      const char *data)
{
    struct req r = {.conn = c, .hdr = *hdr, .data = data};
    const struct op_desc *op = NULL;
    int rc;

    r.acc.st = c->st;
    r.acc.conn = c;
    if (hdr->type < XS_TYPE_COUNT)
        op = &op_table[hdr->type];
    rc = ENOSYS;
    if (op == NULL || op->fn == NULL)
        goto out;
    rc = EACCES;
    if ((op->flags & OP_PRIV) && !conn_privileged(c))
        goto out;
    if ((op->flags & OP_TXN) && hdr->tx_id != 0) {
        r.acc.tx = txn_lookup(c, hdr->tx_id);
        rc = ENOENT;
        if (r.acc.tx == NULL)
            goto out;
    }
    rc = op->fn(&r);
out:
    if (rc != 0)
        dispatch_error(c, hdr, rc);
}
