// SPDX-License-Identifier: MIT
// The live tree: a hash table from full path to node, the store that owns
// it, and the node-level edits (value, permissions, child names) that the
// access layer composes into requests.
#include "vstored.h"

void limits_default(struct limits *lim)
{
    lim->nodes = VS_QUOTA_NODES;
    lim->value_size = VS_QUOTA_VALUE_SIZE;
    lim->watches = VS_QUOTA_WATCHES;
    lim->txns = VS_QUOTA_TXNS;
    lim->txn_nodes = VS_QUOTA_TXN_NODES;
    lim->output = VS_QUOTA_OUTPUT;
}

/* node_new: an empty node owned by dom0 with no access for others. */
struct node *node_new(const char *path, size_t len)
{
    struct node *n = calloc(1, sizeof(*n) + len + 1);

    if (n == NULL)
        return NULL;
    n->perms = malloc(sizeof(*n->perms));
    if (n->perms == NULL) {
        free(n);
        return NULL;
    }
    n->perms[0].domid = 0;
    n->perms[0].access = PERM_NONE;
    n->nperms = 1;
    memcpy(n->path, path, len);
    n->path[len] = '\0';
    n->hn.key = n->path;
    n->hn.klen = (uint32_t)len;
    n->hn.hash = htab_hash(path, len);
    return n;
}

void node_free(struct node *n)
{
    if (n == NULL)
        return;
    free(n->value);
    free(n->children);
    free(n->perms);
    free(n);
}

/* node_dup: a deep copy, for a transaction's private version. */
struct node *node_dup(const struct node *n)
{
    struct node *d = node_new(n->path, n->hn.klen);

    if (d == NULL)
        return NULL;
    d->gen = n->gen;
    if (node_set_value(d, n->value, n->vlen) != 0 ||
        node_set_perms(d, n->perms, n->nperms) != 0)
        goto fail;
    if (n->clen > 0) {
        d->children = malloc(n->clen);
        if (d->children == NULL)
            goto fail;
        memcpy(d->children, n->children, n->clen);
        d->clen = n->clen;
        d->ccap = n->clen;
    }
    return d;
fail:
    node_free(d);
    return NULL;
}

/* node_set_value: replaces the value. Return values: 0, ENOMEM. */
int node_set_value(struct node *n, const char *data, size_t len)
{
    char *v = NULL;

    if (len > 0) {
        v = malloc(len);
        if (v == NULL)
            return ENOMEM;
        memcpy(v, data, len);
    }
    free(n->value);
    n->value = v;
    n->vlen = (uint32_t)len;
    return 0;
}

/* node_set_perms: replaces the permission list (np >= 1).
 * Return values: 0, ENOMEM. */
int node_set_perms(struct node *n, const struct perm *p, uint32_t np)
{
    struct perm *c = malloc(np * sizeof(*c));

    if (c == NULL)
        return ENOMEM;
    memcpy(c, p, np * sizeof(*c));
    free(n->perms);
    n->perms = c;
    n->nperms = np;
    return 0;
}

/* node_add_child: appends a leaf name. Return values: 0, ENOMEM. */
int node_add_child(struct node *n, const char *name, size_t len)
{
    if (n->clen + len + 1 > n->ccap) {
        uint32_t cap = n->ccap ? n->ccap : 64;
        char *c;

        while (cap < n->clen + len + 1)
            cap *= 2;
        c = realloc(n->children, cap);
        if (c == NULL)
            return ENOMEM;
        n->children = c;
        n->ccap = cap;
    }
    memcpy(n->children + n->clen, name, len);
    n->children[n->clen + len] = '\0';
    n->clen += (uint32_t)len + 1;
    return 0;
}

/* node_del_child: removes a leaf name if present, keeping the order. */
void node_del_child(struct node *n, const char *name, size_t len)
{
    uint32_t off = 0;

    while (off < n->clen) {
        size_t l = strlen(n->children + off);

        if (l == len && memcmp(n->children + off, name, len) == 0) {
            memmove(n->children + off, n->children + off + l + 1,
                    n->clen - off - l - 1);
            n->clen -= (uint32_t)l + 1;
            return;
        }
        off += (uint32_t)l + 1;
    }
}

struct node *tree_lookup(const struct store *st, const char *path, size_t len)
{
    struct hnode *h = htab_find(&st->nodes, path, len, htab_hash(path, len));

    return h ? container_of(h, struct node, hn) : NULL;
}

/* tree_insert / tree_remove: link a node into the live tree or take it
 * out, keeping the owners' node counts. */
void tree_insert(struct store *st, struct node *n)
{
    htab_insert(&st->nodes, &n->hn);
    domain_count_node(st, node_owner(n), 1);
}

void tree_remove(struct store *st, struct node *n)
{
    htab_remove(&st->nodes, &n->hn);
    domain_count_node(st, node_owner(n), -1);
}

/* What a fresh store holds: the root, /tool/xenstored (xenstored and
 * oxenstored both create it, so a fresh tree lists the same), and the two
 * special nodes whose permissions govern who may watch domain
 * introduction and release. All are dom0's with no access for others;
 * dom0 has no quota, so none is counted. */
static const char *const initial_paths[] = {
    "/", "/tool", "/tool/xenstored", "@introduceDomain", "@releaseDomain",
};

static int store_populate(struct store *st)
{
    for (size_t i = 0; i < sizeof(initial_paths) / sizeof(initial_paths[0]);
         i++) {
        const char *p = initial_paths[i];
        size_t len = strlen(p);
        struct node *n = node_new(p, len);
        struct node *parent;

        if (n == NULL)
            return ENOMEM;
        n->gen = ++st->gen;
        htab_insert(&st->nodes, &n->hn);
        if (p[0] != '/' || len == 1)
            continue;
        parent = tree_lookup(st, p, path_parent_len(p, len));
        if (parent == NULL ||
            node_add_child(parent, path_basename(p, len),
                           len - (size_t)(path_basename(p, len) - p)) != 0)
            return ENOMEM;
    }
    return 0;
}

/*
 * store_create: an empty store holding "/" (owned by dom0, no access for
 * others) and the special nodes.
 *
 * Return values: the store, or NULL on allocation failure.
 */
struct store *store_create(const struct limits *lim)
{
    struct store *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return NULL;
    st->lim = *lim;
    if (htab_init(&st->nodes) != 0 || htab_init(&st->watches) != 0 ||
        store_populate(st) != 0) {
        store_destroy(st);
        return NULL;
    }
    return st;
}

/* store_destroy: closes every connection and frees everything. */
void store_destroy(struct store *st)
{
    size_t pos;
    struct hnode *h;

    if (st == NULL)
        return;
    while (st->conns != NULL)
        conn_destroy(st->conns);
    if (st->nodes.slot != NULL) {
        h = htab_first(&st->nodes, &pos);
        while (h != NULL) {
            struct hnode *next = htab_iter_next(&st->nodes, h, &pos);

            node_free(container_of(h, struct node, hn));
            h = next;
        }
    }
    htab_destroy(&st->nodes);
    htab_destroy(&st->watches);
    domain_free_all(st);
    free(st);
}
