// SPDX-License-Identifier: MIT
// The guest-ring transport: each introduced domain's xenstore ring page,
// mapped and signalled through veneerd's control socket, served by ring.c
// as a connection of that domain (its permissions, its quotas).
//
//   INTRODUCE domid gfn port  map grant ref 1 (GNTTAB_RESERVED_XENSTORE,
//                             which the builder grants to domain 0, as
//                             Xen's xenstored maps it; the gfn is not
//                             used) with libvngnt, bind dom0's end of the
//                             guest's unbound port with libvnev; a
//                             repeated INTRODUCE binds the new port and
//                             resets the connection, as in xenstored
//   the port's eventfd        pump the ring (once per loop batch)
//   output queued (kick)      pump the ring
//   RELEASE                   unmap the page, close dom0's port
//   VIRQ_DOM_EXC              each ring whose port is no longer linked to
//                             its guest (the domain was destroyed, or is
//                             restarting and waits for its pages) is
//                             detached and @releaseDomain fires; the
//                             domain stays introduced, so that a repeated
//                             INTRODUCE attaches the new guest's ring
//
// The calls to veneerd are synchronous (a round trip on its control
// socket, bounded by the libraries' timeouts). veneerd never waits for
// vstored from its event loop (its store messages go from a thread of
// their own), so they cannot deadlock. No guest is ever waited for: a
// ring is served from what is in it when its port fires, within
// VS_RING_PUMP_ROUNDS per batch, and a guest that stops reading has its
// output queued up to its quota like any client.
//
// Without a veneerd to reach (no control socket), INTRODUCE records the
// domain without a ring, as vstored did before this transport (the store
// can run alone, for tools and tests).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "vngnt.h"
#include "vnev.h"
#include "vstored.h"

struct guest {
    struct loop_src src; /* first: dom0's port eventfd; -1 while detached */
    struct guest_srv *srv;
    uint32_t domid;
    uint32_t gport; /* the guest's store port, from INTRODUCE */
    uint32_t port;  /* dom0's end */
    void *page;     /* the mapped ring page */
    bool attached;
    bool pending; /* on srv->pending */
    struct ring ring;
    struct guest *pnext; /* pending list */
    struct guest *next;  /* srv->guests, then the graveyard */
};

struct guest_srv {
    struct loop_src wake; /* eventfd: rings have work left */
    struct loop_src virq; /* VIRQ_DOM_EXC's eventfd, or -1 */
    struct store *st;
    struct loop *loop;
    char *rundir; /* veneerd's run directory */
    struct vngnt *gnt;
    struct vn_evtchn *ev;
    uint32_t virq_port;
    unsigned nguests; /* records, attached or not */
    struct guest *guests;
    struct guest *pending;
    struct guest *grave; /* freed after the loop batch */
};

static void guest_queue(struct guest *g)
{
    if (g->pending || !g->attached)
        return;
    g->pending = true;
    g->pnext = g->srv->pending;
    g->srv->pending = g;
}

static void guest_kick(struct conn *c)
{
    guest_queue(c->priv);
}

static const struct conn_ops guest_conn_ops = {.kick = guest_kick};

static struct guest *guest_find(struct guest_srv *srv, uint32_t domid)
{
    for (struct guest *g = srv->guests; g != NULL; g = g->next)
        if (g->domid == domid)
            return g;
    return NULL;
}

/* Errors after which a connection to veneerd is gone for good. */
static bool guest_broken(int rc)
{
    return rc == -ECONNRESET || rc == -EPROTO || rc == -ETIMEDOUT ||
           rc == -EPIPE || rc == -ENOTCONN;
}

/* Take g off the pending list (before it is freed or detached). */
static void guest_unqueue(struct guest *g)
{
    struct guest **pp = &g->srv->pending;

    while (*pp != NULL && *pp != g)
        pp = &(*pp)->pnext;
    if (*pp == g)
        *pp = g->pnext;
    g->pending = false;
}

/*
 * Stop serving g: its connection goes (watches, transactions), then its
 * event channel and page. With tell, veneerd is told (the port closed,
 * the grant released); without, the handles are broken and closing them
 * does it. The record stays.
 */
static void guest_handles_drop(struct guest_srv *srv);

static void guest_detach(struct guest *g, bool tell)
{
    struct guest_srv *srv = g->srv;
    int rc = 0, rc2 = 0;

    if (!g->attached)
        return;
    g->attached = false;
    guest_unqueue(g);
    loop_del(srv->loop, &g->src);
    g->src.fd = -1;
    ring_close(&g->ring);
    if (tell) {
        rc = vn_evtchn_unbind(srv->ev, g->port);
        if (rc != 0)
            log_warnx("%s: domain %u: closing port %u: %s", __func__, g->domid,
                      g->port, strerror(-rc));
        rc2 = vngnt_unmap(srv->gnt, g->page);
        if (rc2 != 0)
            log_warnx("%s: domain %u: releasing the ring page: %s", __func__,
                      g->domid, strerror(-rc2));
    }
    g->page = NULL;
    g->port = 0;
    if (guest_broken(rc) || guest_broken(rc2))
        guest_handles_drop(srv);
}

/* Forget g; its memory waits in the graveyard until the batch is over,
 * since later events of the batch may still name it. */
static void guest_forget(struct guest *g, bool tell)
{
    struct guest_srv *srv = g->srv;
    struct guest **pp = &srv->guests;

    guest_detach(g, tell);
    while (*pp != g)
        pp = &(*pp)->next;
    *pp = g->next;
    srv->nguests--;
    g->next = srv->grave;
    srv->grave = g;
}

/* veneerd went away: every ring goes (its pins and ports went with the
 * connections), and the handles are opened again at the next need. */
static void guest_handles_drop(struct guest_srv *srv)
{
    log_warnx("%s: lost the connection to veneerd: every ring detached",
              __func__);
    for (struct guest *g = srv->guests; g != NULL; g = g->next)
        guest_detach(g, false);
    if (srv->virq.fd >= 0)
        loop_del(srv->loop, &srv->virq);
    srv->virq.fd = -1;
    vn_evtchn_close(srv->ev);
    srv->ev = NULL;
    vngnt_close(srv->gnt);
    srv->gnt = NULL;
}

static void guest_virq_ready(struct loop_src *src, uint32_t events);

/* The connections to veneerd, and VIRQ_DOM_EXC, on first need.
 * Return values: 0; the libraries' -errno. */
static int guest_handles(struct guest_srv *srv)
{
    int rc = 0;

    if (srv->gnt == NULL)
        rc = vngnt_open(srv->rundir, &srv->gnt);
    if (rc == 0 && srv->ev == NULL)
        rc = vn_evtchn_open(srv->rundir, &srv->ev);
    if (rc == 0 && srv->virq.fd < 0) {
        rc = vn_evtchn_bind_virq(srv->ev, VIRQ_DOM_EXC, &srv->virq_port);
        if (rc == 0) {
            srv->virq.fd = vn_evtchn_fd(srv->ev, srv->virq_port);
            srv->virq.ready = guest_virq_ready;
            rc = -loop_add(srv->loop, &srv->virq, EPOLLIN);
            if (rc != 0)
                srv->virq.fd = -1;
        }
    }
    if (guest_broken(rc))
        guest_handles_drop(srv);
    return rc;
}

static void guest_ready(struct loop_src *src, uint32_t events)
{
    struct guest *g = (struct guest *)src;

    (void)events;
    vn_evtchn_ack(g->srv->ev, g->port);
    guest_queue(g);
}

/* Map g's page, bind dom0's end of gport, and serve the ring.
 * Return values: 0; an errno for the INTRODUCE reply. */
static int guest_attach(struct guest *g, uint32_t gport)
{
    struct guest_srv *srv = g->srv;
    void *page = NULL;
    uint32_t port = 0;
    int rc;

    rc = vngnt_map(srv->gnt, g->domid, GNTTAB_RESERVED_XENSTORE, 0, &page);
    if (rc != 0)
        goto fail;
    rc = vn_evtchn_bind_interdomain(srv->ev, g->domid, gport, &port);
    if (rc != 0)
        goto fail;
    g->src.fd = vn_evtchn_fd(srv->ev, port);
    g->src.ready = guest_ready;
    rc = -loop_add(srv->loop, &g->src, EPOLLIN);
    if (rc == 0)
        rc = -ring_open(&g->ring, srv->st, g->domid, page, &guest_conn_ops, g);
    if (rc != 0)
        goto fail;
    g->page = page;
    g->port = port;
    g->gport = gport;
    g->attached = true;
    guest_queue(g); /* the bind raised the port anyway */
    log_info("%s: domain %u: ring attached, port %u (guest's %u)", __func__,
             g->domid, port, gport);
    return 0;
fail:
    log_warnx("%s: domain %u: cannot attach its ring: %s", __func__, g->domid,
              strerror(-rc));
    if (g->src.fd >= 0)
        loop_del(srv->loop, &g->src);
    g->src.fd = -1;
    if (port != 0)
        vn_evtchn_unbind(srv->ev, port);
    if (page != NULL)
        vngnt_unmap(srv->gnt, page);
    if (guest_broken(rc))
        guest_handles_drop(srv);
    return rc == -ENOSPC || rc == -ENOMEM ? -rc
           : rc == -ESRCH                 ? ENOENT
                                          : EINVAL;
}

/* A repeated INTRODUCE of an attached ring: dom0's end moves to the new
 * port and the connection starts over (xenstored's domain_conn_reset). */
static int guest_rebind(struct guest *g, uint32_t gport)
{
    struct guest_srv *srv = g->srv;
    uint32_t port;
    int rc = vn_evtchn_bind_interdomain(srv->ev, g->domid, gport, &port);

    if (rc != 0) {
        if (guest_broken(rc))
            guest_handles_drop(srv);
        return rc == -ESRCH ? ENOENT : EINVAL;
    }
    loop_del(srv->loop, &g->src);
    vn_evtchn_unbind(srv->ev, g->port);
    g->port = port;
    g->gport = gport;
    g->src.fd = vn_evtchn_fd(srv->ev, port);
    if (loop_add(srv->loop, &g->src, EPOLLIN) != 0 ||
        ring_reset(&g->ring) != 0) {
        guest_detach(g, true);
        return ENOMEM;
    }
    guest_queue(g);
    return 0;
}

/* store_hooks.introduce. */
static int guest_introduce(void *arg, uint32_t domid, uint64_t gfn,
                           uint32_t evtchn, bool again)
{
    struct guest_srv *srv = arg;
    struct guest *g = guest_find(srv, domid);
    bool fresh = false;
    int rc;

    (void)gfn; /* the ring is grant ref 1, as xenstored maps it */
    (void)again;
    if (evtchn == 0)
        return EINVAL; /* xenstored: "port <= 0" */
    rc = guest_handles(srv);
    if (rc == -ENOENT || rc == -ECONNREFUSED) {
        log_warnx("%s: domain %u introduced without a ring: no veneerd in %s",
                  __func__, domid,
                  srv->rundir ? srv->rundir : "$VENEER_RUNDIR");
        return 0;
    }
    if (rc != 0)
        return EIO;
    if (g == NULL) {
        if (srv->nguests >= VS_MAX_RINGS)
            return ENOSPC;
        g = calloc(1, sizeof(*g));
        if (g == NULL)
            return ENOMEM;
        g->srv = srv;
        g->domid = domid;
        g->src.fd = -1;
        g->next = srv->guests;
        srv->guests = g;
        srv->nguests++;
        fresh = true;
    }
    rc = g->attached ? guest_rebind(g, evtchn) : guest_attach(g, evtchn);
    if (rc != 0 && fresh)
        guest_forget(g, false);
    return rc;
}

/* store_hooks.release: the store forgets the domain. */
static void guest_release(void *arg, uint32_t domid)
{
    struct guest_srv *srv = arg;
    struct guest *g = guest_find(srv, domid);

    if (g == NULL)
        return;
    log_info("%s: domain %u released: ring detached", __func__, domid);
    guest_forget(g, srv->ev != NULL);
}

/*
 * VIRQ_DOM_EXC: a domain shut down, crashed or was destroyed. As
 * xenstored scans every domain, look at each ring's port: one that is no
 * longer linked to its guest (veneerd closes a domain's ports when it
 * destroys it or before it restarts it) loses its ring, which also lets a
 * restart in place go ahead.
 */
static void guest_virq_ready(struct loop_src *src, uint32_t events)
{
    struct guest_srv *srv = container_of(src, struct guest_srv, virq);

    (void)events;
    vn_evtchn_ack(srv->ev, srv->virq_port);
    for (struct guest *g = srv->guests; g != NULL && srv->ev != NULL;
         g = g->next) {
        struct vn_ctl_evtchn_status s;
        int rc;

        if (!g->attached)
            continue;
        rc = vn_evtchn_status(srv->ev, g->port, &s);
        if (guest_broken(rc)) {
            guest_handles_drop(srv);
            return;
        }
        if (rc == 0 && s.status == EVTCHNSTAT_interdomain &&
            s.domid == g->domid && s.remote_port == g->gport)
            continue;
        log_info("%s: domain %u: its store channel closed: ring detached",
                 __func__, g->domid);
        guest_detach(g, true);
        watch_fire_special(srv->st, "@releaseDomain", g->domid);
    }
}

static void guest_wake_ready(struct loop_src *src, uint32_t events)
{
    uint64_t n;

    (void)events;
    if (read(src->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        log_warn("%s: read", __func__);
}

/* One service of g's ring: pump, signal the guest if anything moved,
 * and come back next batch if the budget ran out. */
static void guest_service(struct guest *g)
{
    struct guest_srv *srv = g->srv;
    unsigned res = ring_pump(&g->ring);
    uint64_t one = 1;

    if (res & RING_NOTIFY)
        vn_evtchn_notify(srv->ev, g->port);
    if (res & RING_AGAIN) {
        guest_queue(g);
        if (write(srv->wake.fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
            log_warn("%s: wake", __func__);
    }
}

/*
 * guest_after: once per loop batch, serve every ring that was signalled
 * or has output queued; rings that come back (budget spent) wait for the
 * next batch. Then free what was forgotten during the batch.
 */
void guest_after(void *arg)
{
    struct guest_srv *srv = arg;
    struct guest *list = srv->pending;

    srv->pending = NULL;
    while (list != NULL) {
        struct guest *g = list;

        list = g->pnext;
        g->pending = false;
        if (g->attached)
            guest_service(g);
    }
    while (srv->grave != NULL) {
        struct guest *g = srv->grave;

        srv->grave = g->next;
        free(g);
    }
}

/*
 * guest_open: the guest-ring transport for st on loop; rundir is
 * veneerd's run directory (NULL: $VENEER_RUNDIR, else /run/veneer).
 * veneerd is reached only when a domain is introduced.
 *
 * Return values: the transport, or NULL with errno set.
 */
struct guest_srv *guest_open(struct store *st, struct loop *l,
                             const char *rundir)
{
    struct guest_srv *srv = calloc(1, sizeof(*srv));
    int rc = ENOMEM;

    if (srv == NULL)
        goto fail;
    srv->virq.fd = -1;
    srv->wake.fd = -1;
    if (rundir != NULL && (srv->rundir = strdup(rundir)) == NULL)
        goto fail;
    srv->wake.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    rc = errno;
    if (srv->wake.fd < 0)
        goto fail;
    srv->wake.ready = guest_wake_ready;
    rc = loop_add(l, &srv->wake, EPOLLIN);
    if (rc != 0)
        goto fail;
    srv->st = st;
    srv->loop = l;
    st->hooks.introduce = guest_introduce;
    st->hooks.release = guest_release;
    st->hooks.arg = srv;
    return srv;
fail:
    if (srv != NULL && srv->wake.fd >= 0)
        close(srv->wake.fd);
    if (srv != NULL)
        free(srv->rundir);
    free(srv);
    errno = rc;
    return NULL;
}

/* guest_close: detach every ring (telling veneerd), close the handles. */
void guest_close(struct guest_srv *srv)
{
    if (srv == NULL)
        return;
    while (srv->guests != NULL)
        guest_forget(srv->guests, srv->ev != NULL);
    if (srv->virq.fd >= 0)
        loop_del(srv->loop, &srv->virq);
    vn_evtchn_close(srv->ev);
    vngnt_close(srv->gnt);
    guest_after(srv);
    loop_del(srv->loop, &srv->wake);
    close(srv->wake.fd);
    srv->st->hooks = (struct store_hooks){0};
    free(srv->rundir);
    free(srv);
}
