// SPDX-License-Identifier: MIT
// The requests that are not about one node: watches, transactions,
// domain management and CONTROL (XEN-ABI-FACTS §10.1, §10.4, §10.5).
#include <inttypes.h>
#include <stdio.h>

#include "vstored.h"

/* A strict unsigned decimal: digits only, at most max. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (s == NULL || *s == '\0')
        return EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return EINVAL;
    }
    *out = v;
    return 0;
}

/* The domid argument idx of a request. */
static int domid_arg(struct req *r, unsigned idx, uint32_t *domid)
{
    uint64_t v;
    int rc = parse_uint(msg_arg(r, idx), 0xFFFF, &v);

    if (rc == 0)
        *domid = (uint32_t)v;
    return rc;
}

/* WATCH path\0token\0[depth\0]: replies OK, then fires once at once. */
int op_watch(struct req *r)
{
    const char *wpath = msg_arg(r, 0), *token = msg_arg(r, 1);
    const char *dstr = msg_arg(r, 2);
    char path[PATH_BUF];
    size_t len, relskip;
    uint64_t depth;
    int rc;

    if (token == NULL)
        return EINVAL;
    rc = req_path(r, wpath, path, &len, &relskip);
    if (rc == 0 && dstr != NULL && *dstr != '\0')
        rc = parse_uint(dstr, INT32_MAX, &depth);
    else
        depth = (uint64_t)-1;
    if (rc == 0)
        rc = watch_add(r->conn, path, len, relskip, token,
                       depth == (uint64_t)-1 ? -1 : (int)depth);
    if (rc != 0)
        return rc;
    req_reply_str(r, "OK");
    conn_send(r->conn, XS_WATCH_EVENT, 0, 0, wpath, strlen(wpath) + 1, token,
              strlen(token) + 1);
    return 0;
}

int op_unwatch(struct req *r)
{
    const char *token = msg_arg(r, 1);
    char path[PATH_BUF];
    size_t len, relskip;
    int rc;

    if (token == NULL)
        return EINVAL;
    rc = req_path(r, msg_arg(r, 0), path, &len, &relskip);
    if (rc == 0)
        rc = watch_remove(r->conn, path, len, token);
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

int op_reset_watches(struct req *r)
{
    watch_remove_all(r->conn);
    txn_free_all(r->conn);
    req_reply_str(r, "OK");
    return 0;
}

/* TRANSACTION_START must not itself be inside a transaction (EBUSY). */
int op_txn_start(struct req *r)
{
    char out[16];
    uint32_t id;
    int rc;

    if (r->hdr.tx_id != 0)
        return EBUSY;
    rc = txn_start(r->conn, &id);
    if (rc != 0)
        return rc;
    snprintf(out, sizeof(out), "%u", id);
    req_reply_str(r, out);
    return 0;
}

/* TRANSACTION_END T\0 commits, F\0 discards; EAGAIN asks for a redo. */
int op_txn_end(struct req *r)
{
    const char *arg = msg_arg(r, 0);
    int rc;

    if (r->acc.tx == NULL)
        return ENOENT;
    if (arg == NULL || (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0))
        return EINVAL;
    rc = txn_end(r->conn, r->acc.tx, arg[0] == 'T');
    r->acc.tx = NULL;
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

/* INTRODUCE domid\0gfn\0evtchn\0: dom0 only. */
int op_introduce(struct req *r)
{
    uint64_t gfn, port;
    uint32_t domid;
    int rc;

    rc = domid_arg(r, 0, &domid);
    if (rc == 0)
        rc = parse_uint(msg_arg(r, 1), UINT64_MAX / 10, &gfn);
    if (rc == 0)
        rc = parse_uint(msg_arg(r, 2), UINT32_MAX, &port);
    if (rc == 0)
        rc = domain_introduce(r->conn->st, domid, gfn, (uint32_t)port);
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

int op_release(struct req *r)
{
    uint32_t domid;
    int rc = domid_arg(r, 0, &domid);

    if (rc == 0)
        rc = domain_release(r->conn->st, domid);
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

/* RESUME domid\0: nothing to re-arm here; answers for introduced domains. */
int op_resume(struct req *r)
{
    uint32_t domid;
    int rc = domid_arg(r, 0, &domid);

    if (rc == 0 && !domain_is_introduced(r->conn->st, domid))
        rc = ENOENT;
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

/* SET_TARGET domid\0tdomid\0: dom0 only. */
int op_set_target(struct req *r)
{
    uint32_t domid, target;
    int rc = domid_arg(r, 0, &domid);

    if (rc == 0)
        rc = domid_arg(r, 1, &target);
    if (rc == 0)
        rc = domain_set_target(r->conn->st, domid, target);
    if (rc == 0)
        req_reply_str(r, "OK");
    return rc;
}

int op_is_introduced(struct req *r)
{
    uint32_t domid;
    int rc = domid_arg(r, 0, &domid);

    if (rc == 0)
        req_reply_str(r, domain_is_introduced(r->conn->st, domid) ? "T" : "F");
    return rc;
}

int op_get_domain_path(struct req *r)
{
    char out[32];
    uint32_t domid;
    int rc = domid_arg(r, 0, &domid);

    if (rc != 0)
        return rc;
    snprintf(out, sizeof(out), "/local/domain/%u", domid);
    req_reply_str(r, out);
    return 0;
}

/* CONTROL quota: the limits in force, one "name value" per line. */
static void control_quota(struct req *r)
{
    const struct limits *l = &r->conn->st->lim;
    char out[VS_CONTROL_REPLY_MAX];

    snprintf(out, sizeof(out),
             "nodes %u\nvalue-size %u\nwatches %u\ntransactions %u\n"
             "transaction-nodes %u\noutput %zu\n",
             l->nodes, l->value_size, l->watches, l->txns, l->txn_nodes,
             l->output);
    req_reply_str(r, out);
}

/* CONTROL cmd\0[args\0]: print, quota and help; others are EINVAL. */
int op_control(struct req *r)
{
    const char *cmd = msg_arg(r, 0);
    const char *arg = msg_arg(r, 1);

    if (cmd == NULL)
        return EINVAL;
    if (strcmp(cmd, "print") == 0 && arg != NULL) {
        log_info("control print: %s", arg);
        req_reply_str(r, "OK");
    } else if (strcmp(cmd, "quota") == 0) {
        control_quota(r);
    } else if (strcmp(cmd, "help") == 0) {
        req_reply_str(r, "print <string>\nquota\nhelp\n");
    } else {
        return EINVAL;
    }
    return 0;
}
