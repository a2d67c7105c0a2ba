// SPDX-License-Identifier: MIT
// Intrusive hash table keyed by byte strings: nodes, watches and
// transaction entries each embed a struct hnode.
#include "vstored.h"

#define HTAB_MIN_SLOTS 64

/*
 * htab_hash: FNV-1a over the key. Paths share long prefixes, which FNV
 * mixes well enough for a chained table that grows at load 1.
 */
uint32_t htab_hash(const char *key, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (uint8_t)key[i];
        h *= 16777619u;
    }
    return h;
}

/*
 * htab_init: an empty table.
 *
 * Return values: 0, or ENOMEM.
 */
int htab_init(struct htab *t)
{
    t->slot = calloc(HTAB_MIN_SLOTS, sizeof(*t->slot));
    if (t->slot == NULL)
        return ENOMEM;
    t->mask = HTAB_MIN_SLOTS - 1;
    t->count = 0;
    return 0;
}

/* htab_destroy: frees the slots; the entries belong to the caller. */
void htab_destroy(struct htab *t)
{
    free(t->slot);
    t->slot = NULL;
    t->count = 0;
}

static void htab_grow(struct htab *t)
{
    size_t nslots = (t->mask + 1) * 2;
    struct hnode **slot = calloc(nslots, sizeof(*slot));

    /* Failing to grow only makes chains longer; lookups stay correct. */
    if (slot == NULL)
        return;
    for (size_t i = 0; i <= t->mask; i++) {
        struct hnode *n = t->slot[i];

        while (n != NULL) {
            struct hnode *next = n->next;

            n->next = slot[n->hash & (nslots - 1)];
            slot[n->hash & (nslots - 1)] = n;
            n = next;
        }
    }
    free(t->slot);
    t->slot = slot;
    t->mask = nslots - 1;
}

/*
 * htab_insert: adds n, whose key, klen and hash the caller has set.
 * Duplicate keys are allowed (watches on one path); lookups return the
 * most recently inserted first.
 */
void htab_insert(struct htab *t, struct hnode *n)
{
    if (t->count > t->mask)
        htab_grow(t);
    n->next = t->slot[n->hash & t->mask];
    t->slot[n->hash & t->mask] = n;
    t->count++;
}

/* htab_remove: unlinks n, which must be in t. */
void htab_remove(struct htab *t, struct hnode *n)
{
    struct hnode **pp = &t->slot[n->hash & t->mask];

    while (*pp != n)
        pp = &(*pp)->next;
    *pp = n->next;
    n->next = NULL;
    t->count--;
}

/*
 * htab_find: the first entry with this key, or NULL; htab_next continues
 * to the following entry with the same key.
 */
struct hnode *htab_find(const struct htab *t, const char *key, size_t klen,
                        uint32_t hash)
{
    struct hnode *n = t->slot[hash & t->mask];

    for (; n != NULL; n = n->next) {
        if (n->hash == hash && n->klen == klen &&
            memcmp(n->key, key, klen) == 0)
            return n;
    }
    return NULL;
}

struct hnode *htab_next(const struct hnode *prev)
{
    struct hnode *n = prev->next;

    for (; n != NULL; n = n->next) {
        if (n->hash == prev->hash && n->klen == prev->klen &&
            memcmp(n->key, prev->key, prev->klen) == 0)
            return n;
    }
    return NULL;
}

/*
 * htab_first / htab_iter_next: visit every entry (order unspecified). The
 * current entry may be removed before moving on if the caller fetched the
 * next one first.
 */
struct hnode *htab_first(const struct htab *t, size_t *pos)
{
    for (*pos = 0; *pos <= t->mask; (*pos)++) {
        if (t->slot[*pos] != NULL)
            return t->slot[*pos];
    }
    return NULL;
}

struct hnode *htab_iter_next(const struct htab *t, const struct hnode *n,
                             size_t *pos)
{
    if (n->next != NULL)
        return n->next;
    for ((*pos)++; *pos <= t->mask; (*pos)++) {
        if (t->slot[*pos] != NULL)
            return t->slot[*pos];
    }
    return NULL;
}
