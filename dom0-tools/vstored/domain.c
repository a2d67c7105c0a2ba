// SPDX-License-Identifier: MIT
// Domains as the store sees them: who is introduced (and with which ring
// page and event channel), and how many nodes each owns for the quota.
#include "vstored.h"

/* The slot for domid's record, or NULL if its page does not exist and
 * create is false (or allocation fails). */
static struct domain **domain_slot(struct store *st, uint32_t domid,
                                   bool create)
{
    struct domain ***page = &st->dom_pages[domid / DOM_PAGE];

    if (*page == NULL && create)
        *page = calloc(DOM_PAGE, sizeof(**page));
    return *page != NULL ? &(*page)[domid % DOM_PAGE] : NULL;
}

/* The record for domid if there is one. */
static struct domain *domain_find(const struct store *st, uint32_t domid)
{
    struct domain **page;

    if (domid >= VS_DOMID_MAX)
        return NULL;
    page = st->dom_pages[domid / DOM_PAGE];
    return page != NULL ? page[domid % DOM_PAGE] : NULL;
}

/*
 * domain_get: the record for domid, created on first use.
 *
 * Return values: the record, or NULL for a reserved domid or on
 * allocation failure.
 */
struct domain *domain_get(struct store *st, uint32_t domid)
{
    struct domain **slot;

    if (domid >= VS_DOMID_MAX)
        return NULL;
    slot = domain_slot(st, domid, true);
    if (slot == NULL)
        return NULL;
    if (*slot == NULL) {
        *slot = calloc(1, sizeof(**slot));
        if (*slot == NULL)
            return NULL;
        (*slot)->domid = domid;
        (*slot)->target = VS_NO_TARGET;
    }
    return *slot;
}

/* A record that tracks nothing any more is freed, so a stream of short-
 * lived domids cannot pile records up. */
static void domain_put(struct store *st, struct domain *d)
{
    if (d->nnodes == 0 && !d->introduced) {
        *domain_slot(st, d->domid, false) = NULL;
        free(d);
    }
}

/* domain_count_node: an owner gained (+1) or lost (-1) a node. */
void domain_count_node(struct store *st, uint32_t owner, int delta)
{
    struct domain *d;

    if (owner >= VS_DOMID_MAX)
        return;
    if (delta < 0 && domain_find(st, owner) == NULL)
        return;
    d = domain_get(st, owner);
    if (d == NULL)
        return; /* only the quota count is lost; it errs generous */
    if (delta < 0 && d->nnodes < (unsigned)-delta)
        d->nnodes = 0;
    else
        d->nnodes += delta;
    domain_put(st, d);
}

unsigned domain_nodes(const struct store *st, uint32_t domid)
{
    const struct domain *d = domain_find(st, domid);

    return d != NULL ? d->nnodes : 0;
}

uint32_t domain_target(const struct store *st, uint32_t domid)
{
    const struct domain *d = domain_find(st, domid);

    return d != NULL ? d->target : VS_NO_TARGET;
}

/*
 * domain_set_target: domid acts for target from now on (a device-model
 * stub domain for its guest): full access to what target owns, and
 * target's permission entries count for domid too. Both must be
 * introduced; releasing either ends it.
 *
 * Return values: 0; EINVAL for dom0, a reserved domid or target == domid;
 * ENOENT if either is not introduced.
 */
int domain_set_target(struct store *st, uint32_t domid, uint32_t target)
{
    if (domid == 0 || target == 0 || domid == target || domid >= VS_DOMID_MAX ||
        target >= VS_DOMID_MAX)
        return EINVAL;
    if (!domain_is_introduced(st, domid) || !domain_is_introduced(st, target))
        return ENOENT;
    domain_find(st, domid)->target = target;
    return 0;
}

/* Domains acting for a released domain act for nobody any more. */
static void domain_clear_targets(struct store *st, uint32_t released)
{
    for (uint32_t p = 0; p < DOM_NPAGES; p++) {
        if (st->dom_pages[p] == NULL)
            continue;
        for (uint32_t i = 0; i < DOM_PAGE; i++) {
            struct domain *d = st->dom_pages[p][i];

            if (d != NULL && d->target == released)
                d->target = VS_NO_TARGET;
        }
    }
}

bool domain_is_introduced(const struct store *st, uint32_t domid)
{
    const struct domain *d = domain_find(st, domid);

    return d != NULL && d->introduced;
}

/*
 * domain_introduce: dom0 tells the store that domid exists and where its
 * ring is. The transport hook (guest.c) attaches the ring. The first
 * introduction fires @introduceDomain; a repeated one, as in xenstored,
 * attaches the ring afresh (a new event channel, the connection reset)
 * and fires nothing.
 *
 * Return values: 0; EINVAL for dom0 or a reserved domid; ENOMEM; or the
 * hook's error.
 */
int domain_introduce(struct store *st, uint32_t domid, uint64_t gfn,
                     uint32_t evtchn)
{
    struct domain *d;
    bool again;
    int rc;

    if (domid == 0 || domid >= VS_DOMID_MAX)
        return EINVAL;
    again = domain_is_introduced(st, domid);
    d = domain_get(st, domid);
    if (d == NULL)
        return ENOMEM;
    if (st->hooks.introduce != NULL) {
        rc = st->hooks.introduce(st->hooks.arg, domid, gfn, evtchn, again);
        if (rc != 0) {
            domain_put(st, d);
            return rc;
        }
    }
    d->introduced = true;
    d->gfn = gfn;
    d->evtchn = evtchn;
    if (!again)
        watch_fire_special(st, "@introduceDomain", domid);
    return 0;
}

/* Drop every permission entry (beyond the owner's) naming domid, so a
 * later domain given the same id inherits no access (Xen closes the same
 * hole, XSA-322, with per-node generations). */
static void domain_strip_perms(struct store *st, struct node *n, uint32_t domid)
{
    uint32_t keep = 1;

    for (uint32_t i = 1; i < n->nperms; i++) {
        if (n->perms[i].domid != domid)
            n->perms[keep++] = n->perms[i];
    }
    if (keep != n->nperms) {
        n->nperms = keep;
        n->gen = ++st->gen;
    }
}

/* Is n the top of a subtree owned by domid (its parent is not)? */
static bool domain_owns_top(struct store *st, const struct node *n,
                            uint32_t domid)
{
    const struct node *parent;

    if (node_owner(n) != domid || n->hn.klen <= 1 || n->path[0] != '/')
        return false;
    parent = tree_lookup(st, n->path, path_parent_len(n->path, n->hn.klen));
    return parent == NULL || node_owner(parent) != domid;
}

/*
 * What a released domain leaves: as xenstored does by default, the nodes
 * it owns are removed with their subtrees (watches fire as for RM); with
 * keep_orphans they pass to dom0 instead. Permission entries naming the
 * domain are dropped everywhere.
 */
static void domain_forget_nodes(struct store *st, uint32_t domid)
{
    struct access a = {.st = st};
    char **tops = NULL;
    size_t ntops = 0, pos;

    for (struct hnode *h = htab_first(&st->nodes, &pos); h != NULL;
         h = htab_iter_next(&st->nodes, h, &pos)) {
        struct node *n = container_of(h, struct node, hn);

        domain_strip_perms(st, n, domid);
        if (st->keep_orphans && node_owner(n) == domid) {
            n->perms[0].domid = 0;
            n->gen = ++st->gen;
            domain_count_node(st, domid, -1);
            domain_count_node(st, 0, 1);
        } else if (!st->keep_orphans && domain_owns_top(st, n, domid)) {
            char **t = realloc(tops, (ntops + 1) * sizeof(*tops));

            if (t == NULL)
                break; /* what is not removed stays owned: no harm */
            tops = t;
            tops[ntops] = strdup(n->path);
            if (tops[ntops] != NULL)
                ntops++;
        }
    }
    for (size_t i = 0; i < ntops; i++) {
        const struct node *n = tree_lookup(st, tops[i], strlen(tops[i]));
        struct perm saved[1];

        if (n != NULL) {
            saved[0] = n->perms[0];
            if (access_delete(&a, tops[i], strlen(tops[i])) == 0)
                watch_fire(st, tops[i], strlen(tops[i]), true, saved, 1);
        }
        free(tops[i]);
    }
    free(tops);
}

/*
 * domain_release: the domain is gone (or dom0 asks us to let it go). Its
 * nodes go (domain_forget_nodes), then @releaseDomain fires.
 *
 * Return values: 0; EINVAL for a reserved domid; ENOENT if not introduced.
 */
int domain_release(struct store *st, uint32_t domid)
{
    struct domain *d;

    if (domid == 0 || domid >= VS_DOMID_MAX)
        return EINVAL;
    if (!domain_is_introduced(st, domid))
        return ENOENT;
    d = domain_find(st, domid);
    if (st->hooks.release != NULL)
        st->hooks.release(st->hooks.arg, domid);
    d->introduced = false;
    d->target = VS_NO_TARGET;
    domain_put(st, d);
    domain_clear_targets(st, domid);
    domain_forget_nodes(st, domid);
    watch_fire_special(st, "@releaseDomain", domid);
    return 0;
}

void domain_free_all(struct store *st)
{
    for (uint32_t p = 0; p < DOM_NPAGES; p++) {
        if (st->dom_pages[p] == NULL)
            continue;
        for (uint32_t i = 0; i < DOM_PAGE; i++)
            free(st->dom_pages[p][i]);
        free(st->dom_pages[p]);
        st->dom_pages[p] = NULL;
    }
}
