// SPDX-License-Identifier: MIT
// The node requests: READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART,
// GET_PERMS and SET_PERMS (XEN-ABI-FACTS §10.1, §10.3).
#include <inttypes.h>
#include <stdio.h>

#include "vstored.h"

/* The single path argument of a request: exactly one NUL-terminated
 * string, naming a real (not special) node. */
static int node_arg(struct req *r, char *buf, size_t *len)
{
    size_t relskip;
    int rc;

    if (r->hdr.len == 0 || r->data[r->hdr.len - 1] != '\0' ||
        msg_count_strings(r->data, r->hdr.len) != 1)
        return EINVAL;
    rc = req_path(r, r->data, buf, len, &relskip);
    if (rc == 0 && path_is_special(buf))
        rc = EINVAL;
    return rc;
}

static bool may(const struct req *r, const struct node *n, unsigned want)
{
    return conn_may(r->conn, n->perms, n->nperms, want);
}

/* A readable node at path: ENOENT if absent, EACCES if not ours to see. */
static int get_readable(struct req *r, const char *path, size_t len,
                        const struct node **out)
{
    int rc = access_get(&r->acc, path, len, out);

    if (rc != 0)
        return rc;
    if (*out == NULL)
        return ENOENT;
    return may(r, *out, PERM_READ) ? 0 : EACCES;
}

int op_read(struct req *r)
{
    char path[PATH_BUF];
    const struct node *n;
    size_t len;
    int rc;

    rc = node_arg(r, path, &len);
    if (rc == 0)
        rc = get_readable(r, path, len, &n);
    if (rc == 0)
        req_reply(r, n->value, n->vlen);
    return rc;
}

/*
 * Creates path and any missing ancestors (Xen's implicit parents), after
 * checking write access on the nearest existing ancestor.
 */
static int create_path(struct req *r, const char *path, size_t len,
                       struct node **out)
{
    const struct node *anc = NULL;
    size_t alen = len;
    int rc;

    while (anc == NULL) {
        alen = path_parent_len(path, alen);
        rc = access_get(&r->acc, path, alen, &anc);
        if (rc != 0)
            return rc;
    }
    if (!may(r, anc, PERM_WRITE))
        return EACCES;
    /* Create each missing level, top down. */
    while (alen < len) {
        size_t next = alen + (alen > 1);

        while (next < len && path[next] != '/')
            next++;
        rc = access_create(&r->acc, path, next, out);
        if (rc != 0)
            return rc;
        alen = next;
    }
    return 0;
}

/* Finds path writable, creating it (and its parents) if absent.
 * created tells which. */
static int get_writable(struct req *r, const char *path, size_t len,
                        struct node **out, bool *created)
{
    const struct node *n;
    int rc = access_get(&r->acc, path, len, &n);

    if (rc != 0)
        return rc;
    *created = n == NULL;
    if (n == NULL)
        return create_path(r, path, len, out);
    if (!may(r, n, PERM_WRITE))
        return EACCES;
    return access_modify(&r->acc, path, len, out);
}

int op_write(struct req *r)
{
    const char *nul = memchr(r->data, '\0', r->hdr.len);
    char path[PATH_BUF];
    size_t len, vlen, relskip;
    struct node *n;
    bool created;
    int rc;

    if (nul == NULL)
        return EINVAL;
    vlen = r->hdr.len - (size_t)(nul + 1 - r->data);
    rc = req_path(r, r->data, path, &len, &relskip);
    if (rc != 0 || path_is_special(path))
        return EINVAL;
    if (vlen > r->conn->st->lim.value_size)
        return ENOSPC;
    rc = get_writable(r, path, len, &n, &created);
    if (rc == 0)
        rc = node_set_value(n, nul + 1, vlen);
    if (rc != 0)
        return rc;
    access_changed(&r->acc, path, len, false, n->perms, n->nperms);
    req_reply_str(r, "OK");
    return 0;
}

int op_mkdir(struct req *r)
{
    char path[PATH_BUF];
    struct node *n;
    bool created;
    size_t len;
    int rc;

    rc = node_arg(r, path, &len);
    if (rc == 0)
        rc = get_writable(r, path, len, &n, &created);
    if (rc != 0)
        return rc;
    if (created)
        access_changed(&r->acc, path, len, false, n->perms, n->nperms);
    req_reply_str(r, "OK");
    return 0;
}

/* RM removes the subtree; a missing node is fine if its parent exists. */
int op_rm(struct req *r)
{
    char path[PATH_BUF];
    const struct node *n;
    struct perm *saved = NULL;
    uint32_t nsaved;
    size_t len;
    int rc;

    rc = node_arg(r, path, &len);
    if (rc != 0)
        goto out;
    rc = EINVAL;
    if (len == 1)
        goto out; /* the root stays */
    rc = access_get(&r->acc, path, len, &n);
    if (rc != 0)
        goto out;
    if (n == NULL) {
        rc = access_get(&r->acc, path, path_parent_len(path, len), &n);
        if (rc == 0)
            rc = n == NULL ? ENOENT : 0;
        if (rc == 0)
            req_reply_str(r, "OK");
        goto out;
    }
    rc = EACCES;
    if (!may(r, n, PERM_WRITE))
        goto out;
    /* Watchers are judged by the permissions the node had. */
    rc = ENOMEM;
    nsaved = n->nperms;
    saved = malloc(nsaved * sizeof(*saved));
    if (saved == NULL)
        goto out;
    memcpy(saved, n->perms, nsaved * sizeof(*saved));
    rc = access_delete(&r->acc, path, len);
    if (rc != 0)
        goto out;
    access_changed(&r->acc, path, len, true, saved, nsaved);
    req_reply_str(r, "OK");
out:
    free(saved);
    return rc;
}

int op_directory(struct req *r)
{
    char path[PATH_BUF];
    const struct node *n;
    size_t len;
    int rc;

    rc = node_arg(r, path, &len);
    if (rc == 0)
        rc = get_readable(r, path, len, &n);
    if (rc == 0 && n->clen > XENSTORE_PAYLOAD_MAX)
        rc = E2BIG; /* the client falls back to DIRECTORY_PART */
    if (rc == 0)
        req_reply(r, n->children, n->clen);
    return rc;
}

/*
 * DIRECTORY_PART path\0offset\0: the node's generation, then as many
 * whole child names from byte offset of the list as fit; an extra NUL
 * (an empty name) marks the end of the list.
 */
int op_directory_part(struct req *r)
{
    char path[PATH_BUF], *out = NULL;
    const char *offs = msg_arg(r, 1);
    const struct node *n;
    size_t len, relskip, used, glen;
    unsigned long off;
    char *end;
    int rc;

    rc = EINVAL;
    if (offs == NULL || msg_count_strings(r->data, r->hdr.len) != 2)
        goto out;
    off = strtoul(offs, &end, 10);
    if (*offs == '\0' || *end != '\0')
        goto out;
    rc = req_path(r, r->data, path, &len, &relskip);
    if (rc == 0 && path_is_special(path))
        rc = EINVAL;
    if (rc == 0)
        rc = get_readable(r, path, len, &n);
    if (rc != 0)
        goto out;
    rc = ENOMEM;
    out = malloc(XENSTORE_PAYLOAD_MAX);
    if (out == NULL)
        goto out;
    glen = (size_t)snprintf(out, 24, "%" PRIu64, n->gen) + 1;
    used = glen;
    while (off < n->clen) {
        size_t l = strlen(n->children + off) + 1;

        if (used + l + 1 > XENSTORE_PAYLOAD_MAX)
            break;
        memcpy(out + used, n->children + off, l);
        used += l;
        off += l;
    }
    if (off >= n->clen)
        out[used++] = '\0';
    req_reply(r, out, used);
    rc = 0;
out:
    free(out);
    return rc;
}

/* The path argument of GET_PERMS / SET_PERMS, where special nodes count. */
static int perms_path(struct req *r, char *buf, size_t *len)
{
    size_t relskip;

    return req_path(r, msg_arg(r, 0), buf, len, &relskip);
}

int op_get_perms(struct req *r)
{
    char path[PATH_BUF], out[XENSTORE_PAYLOAD_MAX];
    const struct node *n;
    size_t len, olen;
    int rc;

    rc = EINVAL;
    if (msg_count_strings(r->data, r->hdr.len) != 1 ||
        r->data[r->hdr.len - 1] != '\0')
        return rc;
    rc = perms_path(r, path, &len);
    if (rc == 0)
        rc = get_readable(r, path, len, &n);
    if (rc != 0)
        return rc;
    olen = perms_format(n->perms, n->nperms, out, sizeof(out));
    if (olen == 0)
        return E2BIG;
    req_reply(r, out, olen);
    return 0;
}

/*
 * SET_PERMS path\0perm\0...: only the owner (or dom0, or a domain
 * targeting the owner) may, and only dom0 may give the node to another
 * owner.
 */
int op_set_perms(struct req *r)
{
    const char *list = msg_arg(r, 1);
    char path[PATH_BUF];
    struct perm *p = NULL;
    const struct node *cur;
    struct node *n;
    uint32_t np;
    size_t len;
    int rc;

    rc = EINVAL;
    if (list == NULL || r->data[r->hdr.len - 1] != '\0')
        goto out;
    rc = perms_path(r, path, &len);
    if (rc == 0)
        rc = perms_parse(list, r->hdr.len - (size_t)(list - r->data), &p, &np);
    if (rc == 0)
        rc = access_get(&r->acc, path, len, &cur);
    if (rc == 0 && cur == NULL)
        rc = ENOENT;
    if (rc != 0)
        goto out;
    rc = EACCES;
    if (!conn_owns(r->conn, node_owner(cur)))
        goto out;
    rc = EPERM;
    if (!conn_privileged(r->conn) && p[0].domid != node_owner(cur))
        goto out;
    rc = access_modify(&r->acc, path, len, &n);
    if (rc == 0)
        rc = access_set_perms(&r->acc, n, p, np);
    if (rc != 0)
        goto out;
    if (!path_is_special(path))
        access_changed(&r->acc, path, len, false, n->perms, n->nperms);
    req_reply_str(r, "OK");
out:
    free(p);
    return rc;
}
