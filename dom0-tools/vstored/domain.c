// SPDX-License-Identifier: MIT
// Domains as the store sees them: who is introduced (and with which ring
// page and event channel), and how many nodes each owns for the quota.
#include "vstored.h"

/*
 * domain_get: the record for domid, created on first use.
 *
 * Return values: the record, or NULL for a reserved domid or on
 * allocation failure.
 */
struct domain *domain_get(struct store *st, uint32_t domid)
{
    struct domain *d;

    if (domid >= VS_DOMID_MAX)
        return NULL;
    d = st->domains[domid];
    if (d == NULL) {
        d = calloc(1, sizeof(*d));
        if (d == NULL)
            return NULL;
        d->domid = domid;
        st->domains[domid] = d;
    }
    return d;
}

/* A record that tracks nothing any more is freed, so a stream of short-
 * lived domids cannot pile records up. */
static void domain_put(struct store *st, struct domain *d)
{
    if (d->nnodes == 0 && !d->introduced) {
        st->domains[d->domid] = NULL;
        free(d);
    }
}

/* domain_count_node: an owner gained (+1) or lost (-1) a node. */
void domain_count_node(struct store *st, uint32_t owner, int delta)
{
    struct domain *d;

    if (owner >= VS_DOMID_MAX)
        return;
    if (delta < 0 && st->domains[owner] == NULL)
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
    if (domid >= VS_DOMID_MAX || st->domains[domid] == NULL)
        return 0;
    return st->domains[domid]->nnodes;
}

bool domain_is_introduced(const struct store *st, uint32_t domid)
{
    return domid < VS_DOMID_MAX && st->domains[domid] != NULL &&
           st->domains[domid]->introduced;
}

/*
 * domain_introduce: dom0 tells the store that domid exists and where its
 * ring is. Fires @introduceDomain. The transport hook (the guest ring,
 * once it exists) attaches the ring; without one the domain is only
 * recorded.
 *
 * Return values: 0; EINVAL for dom0 or a reserved domid; EEXIST if already
 * introduced; ENOMEM; or the hook's error.
 */
int domain_introduce(struct store *st, uint32_t domid, uint64_t gfn,
                     uint32_t evtchn)
{
    struct domain *d;
    int rc;

    if (domid == 0 || domid >= VS_DOMID_MAX)
        return EINVAL;
    if (domain_is_introduced(st, domid))
        return EEXIST;
    d = domain_get(st, domid);
    if (d == NULL)
        return ENOMEM;
    if (st->hooks.introduce != NULL) {
        rc = st->hooks.introduce(st->hooks.arg, domid, gfn, evtchn);
        if (rc != 0) {
            domain_put(st, d);
            return rc;
        }
    }
    d->introduced = true;
    d->gfn = gfn;
    d->evtchn = evtchn;
    watch_fire_special(st, "@introduceDomain", domid);
    return 0;
}

/*
 * domain_release: the domain is gone (or dom0 asks us to let it go).
 * Fires @releaseDomain. Its nodes stay: the toolstack removes
 * /local/domain/<domid> itself, as with Xen.
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
    d = st->domains[domid];
    if (st->hooks.release != NULL)
        st->hooks.release(st->hooks.arg, domid);
    d->introduced = false;
    domain_put(st, d);
    watch_fire_special(st, "@releaseDomain", domid);
    return 0;
}

void domain_free_all(struct store *st)
{
    for (uint32_t i = 0; i < VS_DOMID_MAX; i++) {
        free(st->domains[i]);
        st->domains[i] = NULL;
    }
}
