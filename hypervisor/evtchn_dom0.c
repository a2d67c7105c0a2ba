/* SPDX-License-Identifier: MIT */
/*
 * dom0's event channels. dom0 is the host's privileged side: domain id 0,
 * with no process and no shared_info. Its ports sit in a table like any
 * domain's (evtchn_link.c links and unlinks them the same way, so a
 * guest's alloc_unbound for remote domain 0, or its bind_interdomain to a
 * dom0 port, works as on Xen), and each one a host process binds over the
 * control socket (control_evtchn.c) has two eventfds that veneerd makes
 * and hands over:
 *
 *   notify_fd  veneerd adds 1 when the port is raised: the guest sent on
 *              its end, the bind itself (Xen sets a new interdomain port
 *              pending), or a VIRQ fired. The process reads or polls it.
 *   send_fd    the process adds to it to send on the port; veneerd's
 *              daemon loop reads it and sends (evtchn_dom0_service).
 *
 * Both are non-blocking, and the process must keep them so and never
 * read send_fd: dom0 processes are root, trusted not to stall veneerd.
 *
 * Each port belongs to the control connection (owner, its fd) that bound
 * it; only that connection may send on, query or close it, and closing
 * the connection closes them all.
 *
 * Threads: bind, close, release and service run on the daemon's loop
 * thread, the only one that closes these fds. Guests' server threads
 * write notify_fd holding their own table's lock, which a close of the
 * linked dom0 port needs too, so the fd is open while they write it.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <xen/errno.h>
#include <xen/event_channel.h>

#include "veneerd.h"

static struct {
    pthread_once_t once;
    bool ready;
    struct evtchn_table tab;
    int epfd; /* every bound port's send_fd */
} dom0 = {.once = PTHREAD_ONCE_INIT, .epfd = -1};

static void evtchn_dom0_init(void)
{
    if (evtchn_table_init(&dom0.tab, 0, NULL, VN_EVTCHN_DOM0_MAX_PORTS) < 0)
        return;
    dom0.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (dom0.epfd < 0) {
        log_warn("%s: epoll_create1", __func__);
        return;
    }
    evtchn_link_register(&dom0.tab);
    __atomic_store_n(&dom0.ready, true, __ATOMIC_RELEASE);
}

/*
 * evtchn_dom0_table - dom0's port table, made on first use (every guest's
 * evtchn_domain_init asks, so dom0 exists as a peer whenever a guest does).
 * Return values: the table; NULL if it could not be made (no memory).
 */
struct evtchn_table *evtchn_dom0_table(void)
{
    pthread_once(&dom0.once, evtchn_dom0_init);
    return __atomic_load_n(&dom0.ready, __ATOMIC_ACQUIRE) ? &dom0.tab : NULL;
}

static void evtchn_dom0_kick(int fd)
{
    uint64_t one = 1;

    if (write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
        log_debug("%s: eventfd write: %d", __func__, errno);
}

/*
 * evtchn_dom0_notify - dom0's port was raised: tell its process. Called
 * with the lock of dom0's table or of the linked sender's (see the file
 * comment).
 */
void evtchn_dom0_notify(uint32_t port)
{
    const struct evtchn *chn = &dom0.tab.ports[port];

    if (chn->owner > 0)
        evtchn_dom0_kick(chn->notify_fd);
}

/*
 * evtchn_dom0_virq - raise global VIRQ virq (VIRQ_DOM_EXC: a domain shut
 * down, crashed or was destroyed) on every dom0 port bound to it.
 */
void evtchn_dom0_virq(unsigned int virq)
{
    if (!__atomic_load_n(&dom0.ready, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&dom0.tab.lock);
    for (uint32_t p = 1; p < dom0.tab.nr_ports; p++)
        if (dom0.tab.ports[p].state == ECS_VIRQ &&
            dom0.tab.ports[p].virq == virq)
            evtchn_notify(&dom0.tab, p);
    pthread_mutex_unlock(&dom0.tab.lock);
}

/* Two fresh eventfds and the owner, for a port about to be made. */
static int evtchn_dom0_mkfds(int owner, struct evtchn *tmpl)
{
    if (owner <= 0 || !evtchn_dom0_table())
        return -XEN_EINVAL;
    tmpl->owner = owner;
    tmpl->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    tmpl->send_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (tmpl->notify_fd >= 0 && tmpl->send_fd >= 0)
        return 0;
    if (tmpl->notify_fd >= 0)
        close(tmpl->notify_fd);
    if (tmpl->send_fd >= 0)
        close(tmpl->send_fd);
    return -XEN_ENFILE;
}

/* The port was made (rc) or not: watch its send_fd, or drop the fds. */
static int evtchn_dom0_made(int64_t rc, const struct evtchn *tmpl,
                            uint32_t *port, int fds[2])
{
    struct epoll_event ev = {.events = EPOLLIN};

    if (rc > 0) {
        ev.data.u64 = (uint64_t)rc | (uint64_t)(uint32_t)tmpl->send_fd << 32;
        if (epoll_ctl(dom0.epfd, EPOLL_CTL_ADD, tmpl->send_fd, &ev) < 0) {
            log_warn("%s: epoll_ctl", __func__);
            evtchn_close_port(&dom0.tab, (uint32_t)rc);
            rc = -XEN_ENOMEM;
        }
    }
    if (rc < 0) {
        close(tmpl->notify_fd);
        close(tmpl->send_fd);
        return (int)rc;
    }
    *port = (uint32_t)rc;
    fds[0] = tmpl->notify_fd;
    fds[1] = tmpl->send_fd;
    return 0;
}

/*
 * evtchn_dom0_alloc_unbound - a new dom0 port, owned by owner, that guest
 * `remote` may bind to with EVTCHNOP_bind_interdomain.
 *
 * Parameters: owner - the control connection (> 0); port, fds - OUT: the
 * port and its notify and send eventfds (veneerd keeps its copies; the
 * caller passes these on and closes them).
 * Return values: 0; -ENOSPC (VN_EVTCHN_DOM0_MAX_PORTS taken); -ENFILE
 * (no eventfd); -EINVAL (bad owner).
 */
int evtchn_dom0_alloc_unbound(int owner, domid_t remote, uint32_t *port,
                              int fds[2])
{
    struct evtchn tmpl;
    int rc = evtchn_dom0_mkfds(owner, &tmpl);

    if (rc < 0)
        return rc;
    return evtchn_dom0_made(evtchn_alloc_unbound_port(&dom0.tab, remote, &tmpl),
                            &tmpl, port, fds);
}

/*
 * evtchn_dom0_bind_interdomain - connect a new dom0 port, owned by owner,
 * to guest remote's unbound port remote_port (which the guest allocated
 * for domain 0). As in Xen the new port is raised at once: notify_fd
 * starts at 1.
 * Return values: 0; -ESRCH (no such domain); -EINVAL (remote_port out of
 * range, not unbound, or not for dom0; bad owner); -ENOSPC; -ENFILE.
 */
int evtchn_dom0_bind_interdomain(int owner, domid_t remote,
                                 uint32_t remote_port, uint32_t *port,
                                 int fds[2])
{
    struct evtchn tmpl;
    int rc = evtchn_dom0_mkfds(owner, &tmpl);

    if (rc < 0)
        return rc;
    return evtchn_dom0_made(
        evtchn_bind_interdomain_port(&dom0.tab, remote, remote_port, &tmpl),
        &tmpl, port, fds);
}

/* Is virq bound by owner already? Called with dom0's lock held. */
static bool evtchn_dom0_has_virq(int owner, uint32_t virq)
{
    for (uint32_t p = 1; p < dom0.tab.nr_ports; p++)
        if (dom0.tab.ports[p].state == ECS_VIRQ &&
            dom0.tab.ports[p].virq == virq && dom0.tab.ports[p].owner == owner)
            return true;
    return false;
}

/*
 * evtchn_dom0_bind_virq - a dom0 port raised by global VIRQ virq (only
 * VIRQ_DOM_EXC fires: a domain shut down, crashed or was destroyed). Each
 * connection may bind a VIRQ once; several connections may bind the same
 * one (Xen's dom0 is one kernel that binds it once).
 * Return values: 0; -EINVAL (virq out of range or per-vCPU); -EEXIST;
 * -ENOSPC; -ENFILE.
 */
int evtchn_dom0_bind_virq(int owner, uint32_t virq, uint32_t *port, int fds[2])
{
    struct evtchn tmpl;
    int64_t rc;

    if (virq >= NR_VIRQS || virq == VIRQ_TIMER || virq == VIRQ_DEBUG ||
        virq == VIRQ_XENOPROF || virq == VIRQ_XENPMU)
        return -XEN_EINVAL;
    rc = evtchn_dom0_mkfds(owner, &tmpl);
    if (rc < 0)
        return (int)rc;
    pthread_mutex_lock(&dom0.tab.lock);
    rc = evtchn_dom0_has_virq(owner, virq) ? -XEN_EEXIST
                                           : evtchn_get_free_port(&dom0.tab);
    if (rc > 0) {
        tmpl.state = ECS_VIRQ;
        tmpl.virq = virq;
        evtchn_port_set(&dom0.tab, (uint32_t)rc, &tmpl);
    }
    pthread_mutex_unlock(&dom0.tab.lock);
    return evtchn_dom0_made(rc, &tmpl, port, fds);
}

/* Is port one of owner's? Called with dom0's lock held. */
static bool evtchn_dom0_owns(int owner, uint32_t port)
{
    return owner > 0 && port < dom0.tab.nr_ports &&
           dom0.tab.ports[port].state != ECS_FREE &&
           dom0.tab.ports[port].owner == owner;
}

/*
 * evtchn_dom0_close - close one of owner's ports (EVTCHNOP_close: a
 * linked guest port goes back to unbound) and veneerd's copies of its fds.
 * Return values: 0; -EINVAL if port is not one of owner's.
 */
int evtchn_dom0_close(int owner, uint32_t port)
{
    int notify_fd, send_fd;

    if (!evtchn_dom0_table())
        return -XEN_EINVAL;
    pthread_mutex_lock(&dom0.tab.lock);
    if (!evtchn_dom0_owns(owner, port)) {
        pthread_mutex_unlock(&dom0.tab.lock);
        return -XEN_EINVAL;
    }
    notify_fd = dom0.tab.ports[port].notify_fd;
    send_fd = dom0.tab.ports[port].send_fd;
    epoll_ctl(dom0.epfd, EPOLL_CTL_DEL, send_fd, NULL);
    pthread_mutex_unlock(&dom0.tab.lock);
    /* Once closed, no sender can reach the fds any more. */
    evtchn_close_port(&dom0.tab, port);
    close(notify_fd);
    close(send_fd);
    return 0;
}

/*
 * evtchn_dom0_send - EVTCHNOP_send on one of owner's ports.
 * Return values: 0; -EINVAL if port is not one of owner's, or a VIRQ port.
 */
int evtchn_dom0_send(int owner, uint32_t port)
{
    bool mine;

    if (!evtchn_dom0_table())
        return -XEN_EINVAL;
    pthread_mutex_lock(&dom0.tab.lock);
    mine = evtchn_dom0_owns(owner, port);
    pthread_mutex_unlock(&dom0.tab.lock);
    return mine ? (int)evtchn_send_port(&dom0.tab, port) : -XEN_EINVAL;
}

/*
 * evtchn_dom0_status - a copy of one of owner's ports.
 * Return values: 0; -EINVAL if port is not one of owner's.
 */
int evtchn_dom0_status(int owner, uint32_t port, struct evtchn *out)
{
    int rc = -XEN_EINVAL;

    if (!evtchn_dom0_table())
        return rc;
    pthread_mutex_lock(&dom0.tab.lock);
    if (evtchn_dom0_owns(owner, port)) {
        *out = dom0.tab.ports[port];
        rc = 0;
    }
    pthread_mutex_unlock(&dom0.tab.lock);
    return rc;
}

/* evtchn_dom0_release - owner's connection closed: close all its ports. */
void evtchn_dom0_release(int owner)
{
    if (owner <= 0 || !__atomic_load_n(&dom0.ready, __ATOMIC_ACQUIRE))
        return;
    for (uint32_t p = 1; p < dom0.tab.nr_ports; p++)
        if (__atomic_load_n(&dom0.tab.ports[p].owner, __ATOMIC_RELAXED) ==
            owner)
            evtchn_dom0_close(owner, p);
}

/* evtchn_dom0_pollfd - an fd (epoll) readable when a process has sent on
 * one of dom0's ports: the daemon loop watches it. -1 if none. */
int evtchn_dom0_pollfd(void)
{
    return evtchn_dom0_table() ? dom0.epfd : -1;
}

/* A process wrote port's send_fd (fd, when it was watched): send once for
 * however many writes it made. */
static void evtchn_dom0_sent(uint32_t port, int fd)
{
    uint64_t count;
    bool live;

    pthread_mutex_lock(&dom0.tab.lock);
    live = port < dom0.tab.nr_ports && dom0.tab.ports[port].owner > 0 &&
           dom0.tab.ports[port].state != ECS_FREE &&
           dom0.tab.ports[port].send_fd == fd;
    pthread_mutex_unlock(&dom0.tab.lock);
    /* Only this thread closes send fds, so fd is still the port's. */
    if (live && read(fd, &count, sizeof(count)) == (ssize_t)sizeof(count))
        evtchn_send_port(&dom0.tab, port);
}

/*
 * evtchn_dom0_service - send for every dom0 port whose process wrote its
 * send_fd; never waits. Called by the daemon loop when evtchn_dom0_pollfd
 * is readable.
 */
void evtchn_dom0_service(void)
{
    struct epoll_event ev[64];
    int n;

    if (!evtchn_dom0_table())
        return;
    n = epoll_wait(dom0.epfd, ev, 64, 0);
    for (int i = 0; i < n; i++)
        evtchn_dom0_sent((uint32_t)ev[i].data.u64, (int)(ev[i].data.u64 >> 32));
}
