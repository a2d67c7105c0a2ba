/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for event channels across domains: interdomain channels
 * between two built domains (evtchn_link.c), dom0's ports and their
 * eventfds (evtchn_dom0.c), and the asynchronous sends' bitmap and ring
 * (evtchn_fast.c), each against Xen's rules and error codes.
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

#define NOBODY 0x7001 /* a domain id nobody has */

static struct fixture fa, fb;
static struct domain *a, *b;

static void setup(void)
{
    a = fixture_domain(&fa, 0x400000ull, 1024, "");
    b = fixture_domain(&fb, 0x400000ull, 1024, "");
    time_domain_start(a);
    time_domain_start(b);
}

static void teardown(void)
{
    domain_destroy(a);
    domain_destroy(b);
    a = b = NULL;
}

TestSuite(evtchn_link, .init = setup, .fini = teardown);

/* Run event_channel_op cmd for d's vCPU 0 with arg (len bytes), and read
 * the argument back into arg. */
static int64_t op(struct domain *d, int cmd, void *arg, size_t len)
{
    struct vcpu *v = &d->vcpus[0];
    gva_t at = d->stack_top - 512;
    uint64_t args[5] = {(uint64_t)cmd, at};
    int64_t rc;

    cr_assert_eq(gmem_copy_to(v, at, arg, len), 0);
    rc = hc_event_channel_op(v, args);
    cr_assert_eq(gmem_copy_from(v, arg, at, len), 0);
    return rc;
}

static int64_t alloc_unbound(struct domain *d, domid_t dom, domid_t remote,
                             uint32_t *port)
{
    struct evtchn_alloc_unbound u = {.dom = dom, .remote_dom = remote};
    int64_t rc = op(d, EVTCHNOP_alloc_unbound, &u, sizeof(u));

    *port = u.port;
    return rc;
}

static int64_t bind(struct domain *d, domid_t remote, uint32_t rport,
                    uint32_t *port)
{
    struct evtchn_bind_interdomain bi = {.remote_dom = remote,
                                         .remote_port = rport};
    int64_t rc = op(d, EVTCHNOP_bind_interdomain, &bi, sizeof(bi));

    *port = bi.local_port;
    return rc;
}

static int64_t send(struct domain *d, uint32_t port)
{
    struct evtchn_send s = {.port = port};

    return op(d, EVTCHNOP_send, &s, sizeof(s));
}

static int64_t status(struct domain *d, domid_t dom, uint32_t port,
                      struct evtchn_status *s)
{
    *s = (struct evtchn_status){.dom = dom, .port = port};
    return op(d, EVTCHNOP_status, s, sizeof(*s));
}

static int64_t close_port(struct domain *d, uint32_t port)
{
    struct evtchn_close c = {.port = port};

    return op(d, EVTCHNOP_close, &c, sizeof(c));
}

static bool pending(struct domain *d, uint32_t port)
{
    return evtchn_port_pending(d, port);
}

static void unpend(struct domain *d, uint32_t port)
{
    evtchn_2l_clear_pending(upcall_shared_info(d), port);
}

/* a makes port pa unbound for b; b binds to it as pb. */
static void connect(uint32_t *pa, uint32_t *pb)
{
    cr_assert_eq(alloc_unbound(a, DOMID_SELF, b->id, pa), 0);
    cr_assert_eq(bind(b, a->id, *pa, pb), 0);
}

Test(evtchn_link, bind_sends_both_ways_and_raises_the_new_port)
{
    struct evtchn_status s;
    uint32_t pa, pb;

    connect(&pa, &pb);
    cr_assert_eq(pa, 1, "lowest free port");
    cr_assert_eq(pb, 1);
    cr_assert(pending(b, pb), "bind raises the new local port (Xen)");
    cr_assert(!pending(a, pa));
    unpend(b, pb);
    cr_assert_eq(send(a, pa), 0);
    cr_assert(pending(b, pb) && !pending(a, pa), "a's send raises b's end");
    cr_assert_eq(send(b, pb), 0);
    cr_assert(pending(a, pa), "b's send raises a's end");
    cr_assert_eq(status(a, DOMID_SELF, pa, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_interdomain);
    cr_assert_eq(s.u.interdomain.dom, b->id);
    cr_assert_eq(s.u.interdomain.port, pb);
    cr_assert_eq(status(b, b->id, pb, &s), 0, "own id works as DOMID_SELF");
    cr_assert_eq(s.u.interdomain.dom, a->id);
}

Test(evtchn_link, close_makes_the_peer_unbound_for_the_closer)
{
    struct evtchn_status s;
    uint32_t pa, pb, again;

    connect(&pa, &pb);
    cr_assert_eq(close_port(b, pb), 0);
    cr_assert_eq(status(a, DOMID_SELF, pa, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_unbound);
    cr_assert_eq(s.u.unbound.dom, b->id, "waits for the closer again");
    cr_assert_eq(send(a, pa), 0, "unbound: the event is dropped");
    cr_assert_eq(status(b, DOMID_SELF, pb, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_closed);
    cr_assert_eq(send(b, pb), -XEN_EINVAL, "a closed port");
    cr_assert_eq(bind(b, a->id, pa, &again), 0, "and can bind again");
    cr_assert_eq(close_port(a, pa), 0);
    cr_assert_eq(status(b, DOMID_SELF, again, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_unbound);
    cr_assert_eq(s.u.unbound.dom, a->id);
}

Test(evtchn_link, bind_interdomain_errors_as_xen)
{
    struct evtchn_bind_virq bv = {.virq = VIRQ_DEBUG};
    uint32_t pa, foreign, p;

    cr_assert_eq(alloc_unbound(a, DOMID_SELF, NOBODY, &foreign), 0);
    cr_assert_eq(op(a, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
    cr_assert_eq(bind(b, NOBODY, 1, &p), -XEN_ESRCH);
    cr_assert_eq(bind(b, a->id, foreign, &p), -XEN_EINVAL, "not for b");
    cr_assert_eq(bind(b, a->id, bv.port, &p), -XEN_EINVAL, "a VIRQ port");
    cr_assert_eq(bind(b, a->id, 0, &p), -XEN_EINVAL, "port 0");
    cr_assert_eq(bind(b, a->id, VN_EVTCHN_MAX_PORTS, &p), -XEN_EINVAL);
    cr_assert_eq(bind(b, a->id, 0xffffffffu, &p), -XEN_EINVAL);
    cr_assert_eq(alloc_unbound(a, DOMID_SELF, b->id, &pa), 0);
    cr_assert_eq(bind(b, a->id, pa, &p), 0);
    cr_assert_eq(bind(b, a->id, pa, &p), -XEN_EINVAL, "bound already");
}

Test(evtchn_link, foreign_domains_are_refused)
{
    struct evtchn_reset r = {.dom = 0};
    struct evtchn_status s;
    uint32_t p;

    cr_assert_eq(alloc_unbound(a, b->id, a->id, &p), -XEN_EPERM);
    cr_assert_eq(alloc_unbound(a, 0, a->id, &p), -XEN_EPERM, "dom0 exists");
    cr_assert_eq(alloc_unbound(a, NOBODY, a->id, &p), -XEN_ESRCH);
    cr_assert_eq(alloc_unbound(a, a->id, a->id, &p), 0, "own id");
    cr_assert_eq(status(a, b->id, 1, &s), -XEN_EPERM);
    cr_assert_eq(status(a, b->id, VN_EVTCHN_MAX_PORTS, &s), -XEN_EINVAL,
                 "Xen checks the port before the permission");
    cr_assert_eq(status(a, NOBODY, 1, &s), -XEN_ESRCH);
    cr_assert_eq(op(a, EVTCHNOP_reset, &r, sizeof(r)), -XEN_EPERM);
    r.dom = NOBODY;
    cr_assert_eq(op(a, EVTCHNOP_reset, &r, sizeof(r)), -XEN_ESRCH);
}

Test(evtchn_link, loopback_ipi_and_bind_vcpu)
{
    struct evtchn_bind_ipi ipi = {.vcpu = 0};
    struct evtchn_bind_vcpu bv = {.port = 0, .vcpu = 0};
    uint32_t l1, l2;

    cr_assert_eq(alloc_unbound(a, DOMID_SELF, DOMID_SELF, &l1), 0);
    cr_assert_eq(bind(a, DOMID_SELF, l1, &l2), 0);
    unpend(a, l2);
    cr_assert_eq(send(a, l2), 0);
    cr_assert(pending(a, l1) && !pending(a, l2));
    cr_assert_eq(op(a, EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), 0);
    cr_assert_eq(send(a, ipi.port), 0);
    cr_assert(pending(a, ipi.port), "an IPI raises its own port");
    bv.port = ipi.port;
    cr_assert_eq(op(a, EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -XEN_EINVAL,
                 "IPI ports stay");
    bv.port = l1;
    cr_assert_eq(op(a, EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
    bv.vcpu = 1;
    cr_assert_eq(op(a, EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -XEN_ENOENT);
    ipi.vcpu = 1;
    cr_assert_eq(op(a, EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), -XEN_ENOENT);
}

Test(evtchn_link, the_port_limit_is_enospc)
{
    uint32_t p = 0, n = 0;
    int64_t rc;

    while ((rc = alloc_unbound(a, DOMID_SELF, b->id, &p)) == 0)
        n++;
    cr_assert_eq(rc, -XEN_ENOSPC);
    cr_assert_eq(n, VN_EVTCHN_MAX_PORTS - 1, "every port but 0");
    cr_assert_eq(close_port(a, 7), 0);
    cr_assert_eq(alloc_unbound(a, DOMID_SELF, b->id, &p), 0);
    cr_assert_eq(p, 7, "a closed port is reused");
}

Test(evtchn_link, reset_closes_every_port_and_unbinds_peers)
{
    struct evtchn_reset r = {.dom = DOMID_SELF};
    struct evtchn_status s;
    uint32_t pa, pb;

    connect(&pa, &pb);
    cr_assert_eq(op(b, EVTCHNOP_reset, &r, sizeof(r)), 0);
    cr_assert_eq(status(b, DOMID_SELF, pb, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_closed);
    cr_assert_eq(status(a, DOMID_SELF, pa, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_unbound);
}

Test(evtchn_link, a_destroyed_peer_leaves_an_unbound_port)
{
    struct evtchn_status s;
    uint32_t pa, pb, p;
    domid_t gone = b->id;

    connect(&pa, &pb);
    domain_destroy(b);
    b = NULL;
    cr_assert_eq(status(a, DOMID_SELF, pa, &s), 0);
    cr_assert_eq(s.status, EVTCHNSTAT_unbound);
    cr_assert_eq(s.u.unbound.dom, gone);
    cr_assert_eq(send(a, pa), 0);
    cr_assert_eq(bind(a, gone, 1, &p), -XEN_ESRCH);
}

/* ---- dom0 ---- */

static uint64_t efd_read(int fd)
{
    uint64_t v = 0;

    if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
        return 0;
    return v;
}

Test(evtchn_link, dom0_alloc_unbound_and_guest_binds)
{
    struct evtchn chn;
    uint32_t p0, pg;
    int fds[2];

    cr_assert_eq(evtchn_dom0_alloc_unbound(5, a->id, &p0, fds), 0);
    cr_assert_eq(bind(a, 0, p0, &pg), 0, "the guest binds to dom0's port");
    cr_assert_eq(efd_read(fds[0]), 0, "dom0's end is not raised by a bind");
    unpend(a, pg);
    cr_assert_eq(send(a, pg), 0);
    cr_assert_eq(efd_read(fds[0]), 1, "the guest's send reaches the eventfd");
    cr_assert_eq(evtchn_dom0_send(5, p0), 0);
    cr_assert(pending(a, pg), "dom0's send raises the guest's port");
    cr_assert_eq(evtchn_dom0_send(6, p0), -XEN_EINVAL, "another owner's port");
    cr_assert_eq(evtchn_dom0_close(6, p0), -XEN_EINVAL);
    cr_assert_eq(evtchn_dom0_status(5, p0, &chn), 0);
    cr_assert_eq(chn.state, ECS_INTERDOMAIN);
    cr_assert_eq(chn.remote_dom, a->id);
    evtchn_dom0_release(5);
    cr_assert_eq(evtchn_dom0_status(5, p0, &chn), -XEN_EINVAL, "released");
    cr_assert_eq(send(a, pg), 0, "the guest's end is unbound: dropped");
}

Test(evtchn_link, dom0_binds_to_a_guest_port_and_sends_by_eventfd)
{
    uint32_t pg, p0, other;
    uint64_t two = 2;
    int fds[2];

    cr_assert_eq(alloc_unbound(a, DOMID_SELF, 0, &pg), 0);
    cr_assert_eq(evtchn_dom0_bind_interdomain(7, a->id, pg, &p0, fds), 0);
    cr_assert_eq(efd_read(fds[0]), 1, "raised at bind");
    cr_assert_eq(evtchn_dom0_bind_interdomain(7, a->id, pg, &other, fds),
                 -XEN_EINVAL, "bound already");
    cr_assert_eq(evtchn_dom0_bind_interdomain(7, NOBODY, 1, &other, fds),
                 -XEN_ESRCH);
    cr_assert_eq(write(fds[1], &two, sizeof(two)), (ssize_t)sizeof(two));
    cr_assert(!pending(a, pg));
    evtchn_dom0_service();
    cr_assert(pending(a, pg), "a write of the send eventfd is a send");
    evtchn_dom0_release(7);
}

Test(evtchn_link, dom0_virq_dom_exc)
{
    uint32_t p, q;
    int fds[2], other[2];

    cr_assert_eq(evtchn_dom0_bind_virq(9, VIRQ_TIMER, &p, fds), -XEN_EINVAL);
    cr_assert_eq(evtchn_dom0_bind_virq(9, NR_VIRQS, &p, fds), -XEN_EINVAL);
    cr_assert_eq(evtchn_dom0_bind_virq(9, VIRQ_DOM_EXC, &p, fds), 0);
    cr_assert_eq(evtchn_dom0_bind_virq(9, VIRQ_DOM_EXC, &q, other),
                 -XEN_EEXIST);
    cr_assert_eq(evtchn_dom0_send(9, p), -XEN_EINVAL, "a VIRQ port");
    domain_shutdown(b, SHUTDOWN_poweroff);
    cr_assert_eq(efd_read(fds[0]), 1, "a domain shut down");
    evtchn_dom0_release(9);
}

/* ---- the stub's asynchronous sends ---- */

Test(evtchn_link, fast_bitmap_follows_the_port_states)
{
    static uint64_t map[STUB_EVTCHN_PORTS / 64];
    struct evtchn_bind_virq bv = {.virq = VIRQ_DEBUG};
    uint32_t pa, pb;

    memset(map, 0xff, sizeof(map));
    evtchn_fast_attach(a, map);
    cr_assert_eq(map[0], 0, "nothing sendable yet");
    connect(&pa, &pb);
    cr_assert(map[0] & (1ull << pa), "interdomain");
    cr_assert_eq(op(a, EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
    cr_assert(!(map[0] & (1ull << bv.port)), "a VIRQ port");
    cr_assert_eq(close_port(b, pb), 0);
    cr_assert(map[0] & (1ull << pa), "unbound: a send is 0 too");
    cr_assert_eq(close_port(a, pa), 0);
    cr_assert(!(map[0] & (1ull << pa)), "free");
    evtchn_fast_detach(a);
}

Test(evtchn_link, fast_drain_rechecks_every_posted_port)
{
    static uint8_t page[STUB_PAGE_SIZE];
    struct stub_send_ring *ring =
        (struct stub_send_ring *)(page + STUB_SEND_RING_OFFSET);
    struct vcpu *v = &a->vcpus[0];
    struct stub_mailbox *saved = v->mbox;
    uint32_t pa, pb;

    connect(&pa, &pb);
    unpend(b, pb);
    v->mbox = (struct stub_mailbox *)page;
    v->send_cons = 0;
    ring->port[0] = pa;
    ring->port[1] = 999;         /* free: dropped */
    ring->port[2] = 0xfffffff0u; /* out of range: dropped */
    ring->prod = 3;
    cr_assert(evtchn_fast_pending(v));
    evtchn_fast_drain(v);
    cr_assert(pending(b, pb), "the posted send went out");
    cr_assert_eq(ring->cons, 3);
    cr_assert(!evtchn_fast_pending(v));
    /* A scribbled producer index: at most a ring's worth per drain. */
    ring->prod = 3 + 100000;
    evtchn_fast_drain(v);
    cr_assert_eq(v->send_cons, 3 + 100000);
    v->mbox = saved;
}
