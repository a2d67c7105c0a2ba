// SPDX-License-Identifier: MIT
// Node access for one request: straight on the live tree, or through the
// request's transaction, whose private copies and read generations
// txn.c keeps. Every request handler goes through here, so transactional
// and direct requests share one implementation.
#include "vstored.h"

/*
 * access_get: the node at path as this request sees it.
 *
 * Parameters:
 *   out - receives the node, or NULL if there is none; read-only
 *
 * Return values: 0; ENOSPC if the transaction touched too many nodes.
 */
int access_get(struct access *a, const char *path, size_t len,
               const struct node **out)
{
    struct tent *t;
    int rc;

    if (a->tx == NULL) {
        *out = tree_lookup(a->st, path, len);
        return 0;
    }
    t = txn_entry(a->tx, path, len, &rc);
    if (t == NULL)
        return rc;
    if (t->state == TENT_READ)
        *out = tree_lookup(a->st, path, len);
    else
        *out = t->node; /* NULL once deleted */
    return 0;
}

/*
 * access_modify: the node at path, writable. On the live tree the change
 * takes a new generation at once; in a transaction the node is copied on
 * first write.
 *
 * Return values: 0; ENOENT if there is no such node; ENOSPC; ENOMEM.
 */
int access_modify(struct access *a, const char *path, size_t len,
                  struct node **out)
{
    struct node *n;
    struct tent *t;
    int rc;

    if (a->tx == NULL) {
        n = tree_lookup(a->st, path, len);
        if (n == NULL)
            return ENOENT;
        n->gen = ++a->st->gen;
        *out = n;
        return 0;
    }
    t = txn_entry(a->tx, path, len, &rc);
    if (t == NULL)
        return rc;
    if (t->state == TENT_READ) {
        n = tree_lookup(a->st, path, len);
        if (n == NULL)
            return ENOENT;
        t->node = node_dup(n);
        if (t->node == NULL)
            return ENOMEM;
        t->state = TENT_WRITTEN;
    }
    if (t->node == NULL)
        return ENOENT;
    *out = t->node;
    return 0;
}

/* Nodes the requester's domain may still create: dom0 has no node quota
 * (as in Xen); a transaction counts what it has created so far. */
static bool access_quota_ok(const struct access *a)
{
    unsigned used;

    if (conn_privileged(a->conn))
        return true;
    used = domain_nodes(a->st, a->conn->domid);
    if (a->tx != NULL)
        used += a->tx->own_nodes;
    return used < a->st->lim.nodes;
}

/* Insert a new node into the request's view. */
static int access_insert(struct access *a, struct node *n)
{
    struct tent *t;
    int rc;

    if (a->tx == NULL) {
        n->gen = ++a->st->gen;
        tree_insert(a->st, n);
        return 0;
    }
    t = txn_entry(a->tx, n->path, n->hn.klen, &rc);
    if (t == NULL)
        return rc;
    node_free(t->node);
    t->node = n;
    t->state = TENT_WRITTEN;
    if (node_owner(n) == a->conn->domid)
        a->tx->own_nodes++;
    return 0;
}

/*
 * access_create: a new empty node at path, whose parent must exist and
 * which must not. It inherits the parent's permissions; when an
 * unprivileged domain creates it, that domain becomes the owner (Xen's
 * rule, so a guest owns what it writes under a directory dom0 lent it).
 *
 * Return values: 0; ENOENT without a parent; ENOSPC over the node quota
 * or the transaction's size; ENOMEM.
 */
int access_create(struct access *a, const char *path, size_t len,
                  struct node **out)
{
    size_t plen = path_parent_len(path, len);
    const char *name = path_basename(path, len);
    struct node *parent = NULL;
    struct node *n = NULL;
    int rc;

    rc = ENOSPC;
    if (!access_quota_ok(a))
        goto out;
    rc = access_modify(a, path, plen, &parent);
    if (rc != 0)
        goto out;
    rc = ENOMEM;
    n = node_new(path, len);
    if (n == NULL)
        goto out;
    rc = node_set_perms(n, parent->perms, parent->nperms);
    if (rc != 0)
        goto out;
    if (!conn_privileged(a->conn))
        n->perms[0].domid = a->conn->domid;
    rc = node_add_child(parent, name, len - (size_t)(name - path));
    if (rc != 0)
        goto out;
    rc = access_insert(a, n);
    if (rc != 0) {
        node_del_child(parent, name, len - (size_t)(name - path));
        goto out;
    }
    *out = n;
    n = NULL;
out:
    node_free(n);
    return rc;
}

/* Remove one node (its children are already gone) from the view. */
static int access_drop(struct access *a, const char *path, size_t len)
{
    struct node *n;
    struct tent *t;
    int rc;

    if (a->tx == NULL) {
        n = tree_lookup(a->st, path, len);
        if (n != NULL) {
            tree_remove(a->st, n);
            node_free(n);
        }
        return 0;
    }
    t = txn_entry(a->tx, path, len, &rc);
    if (t == NULL)
        return rc;
    n = t->state == TENT_READ ? tree_lookup(a->st, path, len) : t->node;
    if (n != NULL && node_owner(n) == a->conn->domid)
        a->tx->own_nodes--;
    node_free(t->node);
    t->node = NULL;
    t->state = TENT_DELETED;
    return 0;
}

/* Depth-first removal of buf (len bytes, in a PATH_BUF buffer) and all
 * below it. A node's child list is read before the node goes, and no
 * child edits its parent's list, so the iteration stays valid. */
static int access_delete_tree(struct access *a, char *buf, size_t len)
{
    const struct node *n;
    uint32_t off = 0;
    int rc;

    rc = access_get(a, buf, len, &n);
    if (rc != 0 || n == NULL)
        return rc;
    while (off < n->clen) {
        const char *name = n->children + off;
        size_t nl = strlen(name);
        size_t sep = len > 1; /* no second '/' after the root */

        off += (uint32_t)nl + 1;
        if (len + sep + nl >= PATH_BUF)
            continue; /* cannot exist: longer than any valid path */
        buf[len] = '/';
        memcpy(buf + len + sep, name, nl);
        buf[len + sep + nl] = '\0';
        rc = access_delete_tree(a, buf, len + sep + nl);
        buf[len] = '\0';
        if (rc != 0)
            return rc;
    }
    return access_drop(a, buf, len);
}

/*
 * access_delete: removes path (not the root) and everything below it, and
 * its name from its parent.
 *
 * Return values: 0; ENOENT without a parent; ENOSPC; ENOMEM. A failure
 * part-way through a transaction poisons it (txn.c).
 */
int access_delete(struct access *a, const char *path, size_t len)
{
    size_t plen = path_parent_len(path, len);
    const char *name = path_basename(path, len);
    struct node *parent;
    char buf[PATH_BUF];
    int rc;

    rc = access_modify(a, path, plen, &parent);
    if (rc != 0)
        return rc;
    memcpy(buf, path, len);
    buf[len] = '\0';
    rc = access_delete_tree(a, buf, len);
    if (rc != 0) {
        if (a->tx != NULL)
            a->tx->error = rc;
        return rc;
    }
    node_del_child(parent, name, len - (size_t)(name - path));
    return 0;
}

/*
 * access_set_perms: replaces a writable node's permissions, moving its
 * count to the new owner.
 *
 * Return values: 0, ENOMEM.
 */
int access_set_perms(struct access *a, struct node *n, const struct perm *p,
                     uint32_t np)
{
    uint32_t old = node_owner(n);
    int rc = node_set_perms(n, p, np);

    if (rc != 0 || old == p[0].domid)
        return rc;
    if (a->tx == NULL) {
        domain_count_node(a->st, old, -1);
        domain_count_node(a->st, p[0].domid, 1);
    } else {
        a->tx->own_nodes -= old == a->conn->domid;
        a->tx->own_nodes += p[0].domid == a->conn->domid;
    }
    return 0;
}

/*
 * access_changed: a request changed path (recurse: removed it with its
 * subtree); p, np are the permissions watchers must pass to hear of it.
 * Direct changes fire watches at once, transactional ones on commit.
 */
void access_changed(struct access *a, const char *path, size_t len,
                    bool recurse, const struct perm *p, uint32_t np)
{
    if (a->tx == NULL) {
        watch_fire(a->st, path, len, recurse, p, np);
        return;
    }
    if (txn_record_change(a->tx, path, len, recurse, p, np) != 0)
        a->tx->error = ENOMEM;
}
