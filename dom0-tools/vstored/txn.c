// SPDX-License-Identifier: MIT
// Optimistic transactions (XEN-ABI-FACTS §10.5). A transaction records,
// per node it touches, the generation it first saw (0: absent) and keeps
// private copies of what it writes. Commit succeeds only if every touched
// node still has the generation seen, so only transactions that really
// overlap conflict; then the copies replace the live nodes and the
// recorded watch events fire.
#include "vstored.h"

static void txn_free(struct txn *t)
{
    struct tent *e = t->ents;
    struct change *ch = t->changes;

    while (e != NULL) {
        struct tent *next = e->next;

        node_free(e->node);
        free(e);
        e = next;
    }
    while (ch != NULL) {
        struct change *next = ch->next;

        free(ch->perms);
        free(ch);
        ch = next;
    }
    htab_destroy(&t->etab);
    free(t);
}

/*
 * txn_start: opens a transaction on c.
 *
 * Parameters:
 *   id - receives its id: non-zero, unique among c's open transactions
 *
 * Return values: 0; ENOSPC over the per-connection quota; ENOMEM.
 */
int txn_start(struct conn *c, uint32_t *id)
{
    struct txn *t;

    if (c->ntxns >= c->st->lim.txns)
        return ENOSPC;
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return ENOMEM;
    if (htab_init(&t->etab) != 0) {
        free(t);
        return ENOMEM;
    }
    /* Skip 0 (no transaction) and ids still open after a wrap. */
    do {
        t->id = ++c->next_txid;
    } while (t->id == 0 || txn_lookup(c, t->id) != NULL);
    t->conn = c;
    t->ctail = &t->changes;
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    *id = t->id;
    return 0;
}

struct txn *txn_lookup(struct conn *c, uint32_t id)
{
    for (struct txn *t = c->txns; t != NULL; t = t->next) {
        if (t->id == id)
            return t;
    }
    return NULL;
}

/*
 * txn_entry: the transaction's record for path, created (remembering the
 * live node's generation) on first touch.
 *
 * Return values: the record; NULL with *err = ENOSPC over the
 * transaction-size quota, or ENOMEM.
 */
struct tent *txn_entry(struct txn *t, const char *path, size_t len, int *err)
{
    uint32_t hash = htab_hash(path, len);
    struct hnode *h = htab_find(&t->etab, path, len, hash);
    const struct node *live;
    struct tent *e;

    if (h != NULL)
        return container_of(h, struct tent, hn);
    *err = ENOSPC;
    if (t->nents >= t->conn->st->lim.txn_nodes)
        return NULL;
    *err = ENOMEM;
    e = calloc(1, sizeof(*e) + len + 1);
    if (e == NULL)
        return NULL;
    memcpy(e->path, path, len);
    e->hn.key = e->path;
    e->hn.klen = (uint32_t)len;
    e->hn.hash = hash;
    live = tree_lookup(t->conn->st, path, len);
    e->base_gen = live ? live->gen : 0;
    e->state = TENT_READ;
    htab_insert(&t->etab, &e->hn);
    e->next = t->ents;
    t->ents = e;
    t->nents++;
    return e;
}

/* txn_record_change: a watch event to fire on commit.
 * Return values: 0, ENOMEM. */
int txn_record_change(struct txn *t, const char *path, size_t len, bool recurse,
                      const struct perm *p, uint32_t np)
{
    struct change *ch = calloc(1, sizeof(*ch) + len + 1);

    if (ch == NULL)
        return ENOMEM;
    ch->perms = malloc(np * sizeof(*p));
    if (ch->perms == NULL) {
        free(ch);
        return ENOMEM;
    }
    memcpy(ch->perms, p, np * sizeof(*p));
    ch->nperms = np;
    ch->recurse = recurse;
    memcpy(ch->path, path, len);
    ch->plen = (uint32_t)len;
    *t->ctail = ch;
    t->ctail = &ch->next;
    return 0;
}

/* Has any node the transaction touched changed since it first looked? */
static bool txn_conflicts(const struct txn *t)
{
    for (const struct tent *e = t->ents; e != NULL; e = e->next) {
        const struct node *live = tree_lookup(t->conn->st, e->path, e->hn.klen);

        if ((live ? live->gen : 0) != e->base_gen)
            return true;
    }
    return false;
}

/* Install the private copies and tombstones in the live tree. Every
 * copy carries its full child list, so the order does not matter. */
static void txn_apply(struct txn *t)
{
    struct store *st = t->conn->st;

    for (struct tent *e = t->ents; e != NULL; e = e->next) {
        struct node *live;

        if (e->state == TENT_READ)
            continue;
        live = tree_lookup(st, e->path, e->hn.klen);
        if (live != NULL) {
            tree_remove(st, live);
            node_free(live);
        }
        if (e->state == TENT_WRITTEN) {
            e->node->gen = ++st->gen;
            tree_insert(st, e->node);
            e->node = NULL;
        }
    }
}

/*
 * txn_end: commits (commit = true) or discards t and frees it.
 *
 * Return values: 0; EAGAIN if another change overlapped (the client must
 * redo the whole transaction); the error of a request that failed
 * part-way and left the transaction inconsistent.
 */
int txn_end(struct conn *c, struct txn *t, bool commit)
{
    struct txn **pp = &c->txns;
    int rc = 0;

    while (*pp != t)
        pp = &(*pp)->next;
    *pp = t->next;
    c->ntxns--;
    if (commit && t->error != 0)
        rc = t->error;
    else if (commit && txn_conflicts(t))
        rc = EAGAIN;
    else if (commit) {
        txn_apply(t);
        for (struct change *ch = t->changes; ch != NULL; ch = ch->next)
            watch_fire(c->st, ch->path, ch->plen, ch->recurse, ch->perms,
                       ch->nperms);
    }
    txn_free(t);
    return rc;
}

/* txn_free_all: discards every open transaction of c. */
void txn_free_all(struct conn *c)
{
    while (c->txns != NULL) {
        struct txn *t = c->txns;

        c->txns = t->next;
        txn_free(t);
    }
    c->ntxns = 0;
}
