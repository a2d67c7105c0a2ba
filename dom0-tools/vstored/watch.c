// SPDX-License-Identifier: MIT
// Watches (XEN-ABI-FACTS §10.4). Watches sit in a hash table keyed by
// their absolute path, so a change at /a/b/c looks up "/", "/a", "/a/b"
// and "/a/b/c" instead of scanning every watch; only recursive removal,
// which must also reach watches below the removed node, scans.
#include <stdio.h>

#include "vstored.h"

/*
 * watch_add: registers a watch for c.
 *
 * Parameters:
 *   path, len - canonical path (absolute, or special "@...")
 *   relskip   - bytes to strip from event paths (the client's relative
 *               form), 0 if it gave an absolute path
 *   token     - the client's token, NUL-terminated
 *   depth     - levels below path that fire it, or -1 for all
 *
 * Return values: 0; EEXIST for a duplicate path and token; E2BIG over
 * the per-connection quota (as Xen answers); ENOMEM.
 */
int watch_add(struct conn *c, const char *path, size_t len, size_t relskip,
              const char *token, int depth)
{
    size_t tlen = strlen(token);
    struct watch *w;

    for (w = c->watches; w != NULL; w = w->cnext) {
        if (w->hn.klen == len && memcmp(w->path, path, len) == 0 &&
            strcmp(w->token, token) == 0)
            return EEXIST;
    }
    if (c->nwatches >= c->st->lim.watches)
        return E2BIG;
    w = calloc(1, sizeof(*w) + len + 1 + tlen + 1);
    if (w == NULL)
        return ENOMEM;
    memcpy(w->path, path, len);
    w->token = w->path + len + 1;
    memcpy(w->token, token, tlen + 1);
    w->hn.key = w->path;
    w->hn.klen = (uint32_t)len;
    w->hn.hash = htab_hash(path, len);
    w->relskip = (uint32_t)relskip;
    w->depth = depth;
    w->conn = c;
    htab_insert(&c->st->watches, &w->hn);
    w->cnext = c->watches;
    c->watches = w;
    c->nwatches++;
    return 0;
}

static void watch_free(struct store *st, struct watch *w)
{
    htab_remove(&st->watches, &w->hn);
    free(w);
}

/* watch_remove: drops c's watch on path with token.
 * Return values: 0, or ENOENT if there is none. */
int watch_remove(struct conn *c, const char *path, size_t len,
                 const char *token)
{
    for (struct watch **pp = &c->watches; *pp != NULL; pp = &(*pp)->cnext) {
        struct watch *w = *pp;

        if (w->hn.klen == len && memcmp(w->path, path, len) == 0 &&
            strcmp(w->token, token) == 0) {
            *pp = w->cnext;
            c->nwatches--;
            watch_free(c->st, w);
            return 0;
        }
    }
    return ENOENT;
}

void watch_remove_all(struct conn *c)
{
    while (c->watches != NULL) {
        struct watch *w = c->watches;

        c->watches = w->cnext;
        watch_free(c->st, w);
    }
    c->nwatches = 0;
}

/* Queue one event: the path in the client's own (relative or absolute)
 * form, then the token; req_id and tx_id are 0. */
static void watch_send(struct store *st, const struct watch *w,
                       const char *path, size_t len)
{
    size_t skip = w->relskip <= len ? w->relskip : 0;

    conn_send(w->conn, XS_WATCH_EVENT, 0, 0, path + skip, len - skip + 1,
              w->token, strlen(w->token) + 1);
    st->nwatch_events++;
}

static bool watch_may_see(const struct watch *w, const struct perm *p,
                          uint32_t np)
{
    return conn_may(w->conn, p, np, PERM_READ);
}

/* Watches on the prefix path[0..plen) whose depth reaches path. */
static void watch_fire_prefix(struct store *st, const char *path, size_t len,
                              size_t plen, uint32_t hash, const struct perm *p,
                              uint32_t np)
{
    struct hnode *h = htab_find(&st->watches, path, plen, hash);

    for (; h != NULL; h = htab_next(h)) {
        struct watch *w = container_of(h, struct watch, hn);

        if (w->depth >= 0 &&
            path_depth_below(path, len, plen) > (unsigned)w->depth)
            continue;
        if (watch_may_see(w, p, np))
            watch_send(st, w, path, len);
    }
}

/* Recursive removal: watches strictly below the removed node fire with
 * their own path. */
static void watch_fire_below(struct store *st, const char *path, size_t len,
                             const struct perm *p, uint32_t np)
{
    size_t pos;

    for (struct hnode *h = htab_first(&st->watches, &pos); h != NULL;
         h = htab_iter_next(&st->watches, h, &pos)) {
        struct watch *w = container_of(h, struct watch, hn);

        if (w->hn.klen > len && w->path[0] == '/' &&
            path_is_child(w->path, w->hn.klen, path, len) &&
            watch_may_see(w, p, np))
            watch_send(st, w, w->path, w->hn.klen);
    }
}

/*
 * watch_fire: path (absolute) changed; recurse: it was removed with its
 * subtree. Each watch fires at most once. p, np: the node's permissions
 * (before removal), which an unprivileged watcher must be able to read.
 */
void watch_fire(struct store *st, const char *path, size_t len, bool recurse,
                const struct perm *p, uint32_t np)
{
    uint32_t h = 2166136261u; /* htab_hash, computed one prefix at a time */

    if (st->watches.count == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        /* The prefix before each separator; for the root, "/" itself. */
        if (path[i] == '/' && i > 0)
            watch_fire_prefix(st, path, len, i, h, p, np);
        h ^= (uint8_t)path[i];
        h *= 16777619u;
        if (i == 0 && len > 1)
            watch_fire_prefix(st, path, len, 1, h, p, np);
    }
    watch_fire_prefix(st, path, len, len, h, p, np);
    if (recurse)
        watch_fire_below(st, path, len, p, np);
}

/* Which watches on a special key fire. */
enum depth_sel { DEPTH_NONE, DEPTH_SOME, DEPTH_ANY };

/* Watches on exactly key (klen bytes), firing with epath. */
static void watch_fire_key(struct store *st, const char *key, size_t klen,
                           const char *epath, size_t elen, enum depth_sel sel,
                           const struct perm *p, uint32_t np)
{
    struct hnode *h = htab_find(&st->watches, key, klen, htab_hash(key, klen));

    for (; h != NULL; h = htab_next(h)) {
        struct watch *w = container_of(h, struct watch, hn);

        if (sel != DEPTH_ANY && (sel == DEPTH_SOME) != (w->depth > 0))
            continue;
        if (watch_may_see(w, p, np))
            watch_send(st, w, epath, elen);
    }
}

/*
 * watch_fire_special: a store-made event, special = "@introduceDomain" or
 * "@releaseDomain", about domid. Watches on the bare name fire with it;
 * those with a depth of 1 or more, and watches on "<special>/<domid>",
 * fire with "<special>/<domid>". The special node's permissions decide
 * which unprivileged domains hear it.
 */
void watch_fire_special(struct store *st, const char *special, uint32_t domid)
{
    size_t slen = strlen(special);
    const struct node *sn = tree_lookup(st, special, slen);
    char sub[64];
    int n;

    if (sn == NULL || st->watches.count == 0)
        return;
    n = snprintf(sub, sizeof(sub), "%s/%u", special, domid);
    if (n < 0 || (size_t)n >= sizeof(sub))
        return;
    watch_fire_key(st, special, slen, special, slen, DEPTH_NONE, sn->perms,
                   sn->nperms);
    watch_fire_key(st, special, slen, sub, (size_t)n, DEPTH_SOME, sn->perms,
                   sn->nperms);
    watch_fire_key(st, sub, (size_t)n, sub, (size_t)n, DEPTH_ANY, sn->perms,
                   sn->nperms);
}
