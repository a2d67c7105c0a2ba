/* SPDX-License-Identifier: MIT */
/*
 * evchan: event channels between two guests (XEN-ABI-FACTS §4), booted
 * as two domains of one `veneerd run`:
 *
 *   pong peer=<ping's id> rounds=N
 *   ping peer=<pong's id> rounds=N [wait=block|poll] [maxports=M]
 *
 * pong makes its ports in a fixed order, so that ping knows them (ports 1
 * and 2 are the store and console channels the builder makes, as on Xen):
 * EV_PORT_TIMER VIRQ_TIMER (time_init), EV_PORT_NOBODY unbound for a
 * domain that does not exist, EV_PORT_DEBUG VIRQ_DEBUG, EV_PORT_CHAN
 * unbound for ping: the channel. Its handler answers every event on the
 * channel at once, until ping closes its end, which makes the channel
 * unbound again (waiting for ping), as on Xen.
 *
 * ping binds to the channel (retrying until pong has made it), then
 * checks Xen's error codes for wrong, foreign and out-of-range ports and
 * domains, a bad argument pointer (also on the stub's asynchronous send
 * path), the status op, an IPI, a loopback channel, bind_vcpu and the
 * per-domain port limit (maxports, veneerd's VN_EVTCHN_MAX_PORTS, when
 * given), and the cost of one send to the sender ("evchan: send ... us:",
 * on a port unbound for nobody; back to back, and after an idle pause). Then N round trips: send, wait for the
 * answer (wait=block:
 * SCHEDOP_block and the upcall handler; wait=poll: SCHEDOP_poll on the
 * port with upcalls masked); none may be lost. It reports their latency
 * ("evchan: rtt min/median/p99/max ... us") and closes its end.
 *
 * Output: gtest lines, then "evchan: SUCCESS (...)" and poweroff, or
 * "evchan: ABORT ..." and crash.
 */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/platform.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

#include "gtest.h"

#define EV_PORT_TIMER  3
#define EV_PORT_NOBODY 4
#define EV_PORT_DEBUG  5
#define EV_PORT_CHAN   6
#define EV_NOBODY      0x7001 /* a domain id nobody has */
#define EV_BEYOND      5000   /* a port beyond any table */

#define MS              1000000ull
#define US              1000ull
#define EV_WAIT_NS      (10000 * MS) /* for the peer to appear or go */
#define EV_ROUND_NS     (1000 * MS)  /* for one answer */
#define EV_TICK_NS      (10 * MS)    /* watchdog timer period */
#define EV_MAX_ROUNDS   100000
#define EV_SEND_SAMPLES 5000

static domid_t peer;
static unsigned long rounds;
static volatile uint64_t chan_events, ipi_events, loop_events[2];
static uint64_t rtt[EV_MAX_ROUNDS];

static long op(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

static int port_pending(evtchn_port_t p)
{
    return !!(
        __atomic_load_n(&shinfo->evtchn_pending[p / 64], __ATOMIC_SEQ_CST) &
        (1ull << (p % 64)));
}

static void port_clear(evtchn_port_t p)
{
    __atomic_fetch_and(&shinfo->evtchn_pending[p / 64], ~(1ull << (p % 64)),
                       __ATOMIC_SEQ_CST);
}

static void on_chan_pong(evtchn_port_t port, struct trap_frame *f, void *data)
{
    (void)f;
    (void)data;
    chan_events++;
    evtchn_send(port);
}

static void on_count(evtchn_port_t port, struct trap_frame *f, void *data)
{
    (void)port;
    (void)f;
    (*(volatile uint64_t *)data)++;
}

/* Keep a timer armed EV_TICK_NS ahead, re-armed only once it fired, so
 * that every SCHEDOP_block ends in time without a timer hypercall per
 * wait (which would be measured with the round trips). */
static void watchdog(void)
{
    static uint64_t armed_at = ~0ull;

    if (time_timer_events() != armed_at) {
        armed_at = time_timer_events();
        time_timer_set(time_now_ns() + EV_TICK_NS);
    }
}

/* Block (upcalls open while blocked) until *counter moves or the
 * deadline passes. */
static int wait_for(volatile uint64_t *counter, uint64_t from,
                    uint64_t deadline)
{
    int prev = evtchn_upcalls_mask();

    while (*counter == from && time_now_ns() < deadline) {
        watchdog();
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        evtchn_upcalls_mask();
    }
    evtchn_upcalls_restore(prev);
    return *counter != from;
}

static long status_of(domid_t dom, evtchn_port_t port, struct evtchn_status *s)
{
    *s = (struct evtchn_status){.dom = dom, .port = port};
    return op(EVTCHNOP_status, s);
}

/* ---- pong ---- */

/* The channel is unbound, waiting for ping again: ping closed its end. */
static int chan_unbound(void)
{
    struct evtchn_status s;

    return evtchn_status(EV_PORT_CHAN, &s) == 0 &&
           s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == peer;
}

static int pong(void)
{
    evtchn_port_t p[3] = {0, 0, 0};
    struct evtchn_status s;
    uint64_t deadline, once = 0, ticks = ~0ull;
    int bound = 0;
    long rc;

    /* Each call before the check that prints its result: C leaves the
     * order of a call's arguments open. */
    rc = evtchn_alloc_unbound(EV_NOBODY, on_count, &once, &p[0]);
    gtest_ok(rc == 0 && p[0] == EV_PORT_NOBODY,
             "alloc_unbound for a domain that does not exist: port %u", p[0]);
    rc = evtchn_bind_virq(VIRQ_DEBUG, on_count, &once, &p[1]);
    gtest_ok(rc == 0 && p[1] == EV_PORT_DEBUG, "bind_virq(VIRQ_DEBUG): port %u",
             p[1]);
    rc = evtchn_alloc_unbound(peer, on_chan_pong, NULL, &p[2]);
    gtest_ok(rc == 0 && p[2] == EV_PORT_CHAN,
             "alloc_unbound for dom%u: port %u", peer, p[2]);
    /* ping may have bound already. */
    rc = evtchn_status(EV_PORT_CHAN, &s);
    gtest_ok(rc == 0 && s.vcpu == 0 &&
                 ((s.status == EVTCHNSTAT_unbound && s.u.unbound.dom == peer) ||
                  (s.status == EVTCHNSTAT_interdomain &&
                   s.u.interdomain.dom == peer)),
             "status: unbound for dom%u, or bound by it (%ld: status %u)", peer,
             rc, s.status);
    gtest_ok(evtchn_send(EV_PORT_NOBODY) == 0,
             "send on an unbound port: 0 (dropped)");
    /* Serve (the handler answers) until ping has bound and closed its
     * end again; look at the channel only on the watchdog's ticks. */
    deadline = time_now_ns() + EV_WAIT_NS + rounds * 10 * MS;
    evtchn_upcalls_mask();
    while (time_now_ns() < deadline) {
        if (time_timer_events() != ticks) {
            ticks = time_timer_events();
            if (!bound && evtchn_status(EV_PORT_CHAN, &s) == 0 &&
                s.status == EVTCHNSTAT_interdomain)
                bound = 1;
            if (bound && chan_unbound())
                break;
        }
        watchdog();
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
        evtchn_upcalls_mask();
    }
    evtchn_upcalls_unmask();
    gtest_ok(bound && chan_unbound(),
             "ping bound, then closed: the channel is unbound for dom%u again",
             peer);
    gtest_ok(chan_events == rounds, "%lu events answered, %lu sent",
             (unsigned long)chan_events, rounds);
    gtest_ok(evtchn_send(EV_PORT_CHAN) == 0, "send after the peer closed: 0");
    gtest_ok(evtchn_close(EV_PORT_CHAN) == 0, "close the channel");
    gtest_refused(evtchn_close(EV_PORT_CHAN), -XEN_EINVAL, GTEST_AS_XEN,
                  "close it again");
    gtest_ok(once == 0, "no event on the other ports (%lu)",
             (unsigned long)once);
    return gtest_end();
}

/* ---- ping: the checks ---- */

static long bind_to(domid_t dom, evtchn_port_t port)
{
    struct evtchn_bind_interdomain b = {.remote_dom = dom, .remote_port = port};
    long rc = op(EVTCHNOP_bind_interdomain, &b);

    if (rc == 0) /* not expected: undo */
        evtchn_close(b.local_port);
    return rc;
}

static long alloc_in(domid_t dom)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = DOMID_SELF};

    return op(EVTCHNOP_alloc_unbound, &a);
}

static void check_foreign(evtchn_port_t chan)
{
    struct evtchn_status s;
    struct evtchn_reset r = {.dom = peer};

    gtest_refused(bind_to(peer, EV_PORT_TIMER), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to the peer's VIRQ port");
    gtest_refused(bind_to(peer, EV_PORT_NOBODY), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to a peer port unbound for another domain");
    gtest_refused(bind_to(peer, EV_PORT_CHAN), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to the channel a second time");
    gtest_refused(bind_to(peer, 0), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to the peer's port 0");
    gtest_refused(bind_to(peer, EV_BEYOND), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to a peer port out of range");
    gtest_refused(bind_to(peer, 0xffffffffu), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind to peer port 0xffffffff");
    gtest_refused(bind_to(EV_NOBODY, EV_PORT_CHAN), -XEN_ESRCH, GTEST_AS_XEN,
                  "bind to a domain that does not exist");
    gtest_refused(bind_to(DOMID_IO, 1), -XEN_ESRCH, GTEST_AS_XEN,
                  "bind to DOMID_IO");
    gtest_refused(alloc_in(peer), -XEN_EPERM, GTEST_AS_XEN,
                  "alloc_unbound in the peer");
    gtest_refused(alloc_in(0), -XEN_EPERM, GTEST_AS_XEN,
                  "alloc_unbound in dom0");
    gtest_refused(alloc_in(EV_NOBODY), -XEN_ESRCH, GTEST_AS_XEN,
                  "alloc_unbound in a domain that does not exist");
    gtest_refused(status_of(peer, EV_PORT_CHAN, &s), -XEN_EPERM, GTEST_AS_XEN,
                  "status of the peer's port");
    gtest_refused(status_of(peer, EV_BEYOND, &s), -XEN_EINVAL, GTEST_AS_XEN,
                  "status of a peer port out of range");
    gtest_refused(status_of(EV_NOBODY, 1, &s), -XEN_ESRCH, GTEST_AS_XEN,
                  "status in a domain that does not exist");
    gtest_refused(op(EVTCHNOP_reset, &r), -XEN_EPERM, GTEST_AS_XEN,
                  "reset of the peer");
    r.dom = EV_NOBODY;
    gtest_refused(op(EVTCHNOP_reset, &r), -XEN_ESRCH, GTEST_AS_XEN,
                  "reset of a domain that does not exist");
    long rc = evtchn_status(chan, &s);

    gtest_ok(rc == 0 && s.status == EVTCHNSTAT_interdomain &&
                 s.u.interdomain.dom == peer &&
                 s.u.interdomain.port == EV_PORT_CHAN,
             "status: interdomain to dom%u port %u", s.u.interdomain.dom,
             s.u.interdomain.port);
}

static void check_local(evtchn_port_t chan)
{
    struct evtchn_bind_virq bv = {.virq = NR_VIRQS};
    struct evtchn_bind_ipi bi = {.vcpu = 1};
    struct evtchn_status s;

    gtest_refused(evtchn_send(EV_BEYOND), -XEN_EINVAL, GTEST_AS_XEN,
                  "send on a port out of range");
    gtest_refused(evtchn_send(0), -XEN_EINVAL, GTEST_AS_XEN, "send on port 0");
    gtest_refused(evtchn_send(chan + 100), -XEN_EINVAL, GTEST_AS_XEN,
                  "send on a free port");
    gtest_refused(evtchn_send(time_timer_port()), -XEN_EINVAL, GTEST_AS_XEN,
                  "send on a VIRQ port");
    gtest_refused(evtchn_close(0), -XEN_EINVAL, GTEST_AS_XEN, "close port 0");
    gtest_refused(evtchn_close(chan + 100), -XEN_EINVAL, GTEST_AS_XEN,
                  "close a free port");
    gtest_refused(evtchn_close(EV_BEYOND), -XEN_EINVAL, GTEST_AS_XEN,
                  "close a port out of range");
    gtest_refused(evtchn_unmask(EV_BEYOND), -XEN_EINVAL, GTEST_AS_XEN,
                  "unmask a port out of range");
    gtest_refused(evtchn_status(EV_BEYOND, &s), -XEN_EINVAL, GTEST_AS_XEN,
                  "status of a port out of range");
    gtest_refused(op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind_virq(NR_VIRQS)");
    bv = (struct evtchn_bind_virq){.virq = VIRQ_CONSOLE, .vcpu = 1};
    gtest_refused(op(EVTCHNOP_bind_virq, &bv), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind_virq(VIRQ_CONSOLE) on vCPU 1: global VIRQs on 0");
    bv = (struct evtchn_bind_virq){.virq = VIRQ_DEBUG, .vcpu = 1};
    gtest_refused(op(EVTCHNOP_bind_virq, &bv), -XEN_ENOENT, GTEST_AS_XEN,
                  "bind_virq on a vCPU that does not exist");
    bv = (struct evtchn_bind_virq){.virq = VIRQ_TIMER, .vcpu = 0};
    gtest_refused(op(EVTCHNOP_bind_virq, &bv), -XEN_EEXIST, GTEST_AS_XEN,
                  "bind_virq(VIRQ_TIMER) twice");
    gtest_refused(op(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT, GTEST_AS_XEN,
                  "bind_ipi on a vCPU that does not exist");
    gtest_refused(evtchn_bind_vcpu(chan, 1), -XEN_ENOENT, GTEST_AS_XEN,
                  "bind_vcpu to a vCPU that does not exist");
    gtest_refused(evtchn_bind_vcpu(time_timer_port(), 0), -XEN_EINVAL,
                  GTEST_AS_XEN, "bind_vcpu of a per-vCPU VIRQ port");
    gtest_refused(evtchn_bind_vcpu(chan + 100, 0), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind_vcpu of a free port");
    gtest_ok(evtchn_bind_vcpu(chan, 0) == 0, "bind_vcpu of the channel");
    gtest_ok(evtchn_status(time_timer_port(), &s) == 0 &&
                 s.status == EVTCHNSTAT_virq && s.u.virq == VIRQ_TIMER,
             "status: VIRQ_TIMER");
    gtest_ok(evtchn_status(chan + 100, &s) == 0 &&
                 s.status == EVTCHNSTAT_closed,
             "status of a free port: closed");
    gtest_refused(op(99, &s), -XEN_ENOSYS, GTEST_AS_XEN, "unknown op 99");
    gtest_refused(op(EVTCHNOP_init_control, &s), -XEN_ENOSYS, GTEST_AS_XEN,
                  "FIFO init_control: 2-level only");
}

/* A bad argument pointer is -EFAULT, also for a send the stub would post
 * without a round trip. */
static void check_fault(evtchn_port_t chan)
{
    static const uint64_t bad[] = {0x600000000000ull, VENEER_STUB_MAILBOX,
                                   VENEER_GUEST_VA_LIMIT - 2};

    (void)chan;
    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        void *p = (void *)(uintptr_t)bad[i];
        gtest_refused(op(EVTCHNOP_send, p), -XEN_EFAULT, GTEST_AS_XEN,
                      "send with its argument at %#lx", (unsigned long)bad[i]);
        gtest_refused(op(EVTCHNOP_status, p), -XEN_EFAULT, GTEST_AS_XEN,
                      "status with its argument at %#lx",
                      (unsigned long)bad[i]);
    }
}

static void check_ipi(void)
{
    evtchn_port_t ipi = 0;
    struct evtchn_status s;
    long rc = evtchn_bind_ipi(0, on_count, (void *)&ipi_events, &ipi);

    gtest_ok(rc == 0, "bind_ipi(vCPU 0): port %u", ipi);
    gtest_ok(evtchn_send(ipi) == 0 &&
                 wait_for(&ipi_events, 0, time_now_ns() + EV_ROUND_NS),
             "an IPI to ourselves arrives (%lu)", (unsigned long)ipi_events);
    gtest_ok(evtchn_status(ipi, &s) == 0 && s.status == EVTCHNSTAT_ipi &&
                 s.vcpu == 0,
             "status: IPI on vCPU 0");
    gtest_refused(evtchn_bind_vcpu(ipi, 0), -XEN_EINVAL, GTEST_AS_XEN,
                  "bind_vcpu of an IPI port");
    gtest_ok(evtchn_close(ipi) == 0, "close the IPI port");
}

static void check_loopback(void)
{
    evtchn_port_t a = 0, b = 0;
    struct evtchn_status s = {.status = EVTCHNSTAT_closed};
    domid_t self;

    long rc;

    rc =
        evtchn_alloc_unbound(DOMID_SELF, on_count, (void *)&loop_events[0], &a);
    rc = rc ? rc : evtchn_status(a, &s);
    gtest_ok(rc == 0 && s.status == EVTCHNSTAT_unbound,
             "loopback: alloc_unbound(DOMID_SELF): port %u, for dom%u", a,
             s.u.unbound.dom);
    self = s.u.unbound.dom;
    rc = evtchn_bind_interdomain(DOMID_SELF, a, on_count,
                                 (void *)&loop_events[1], &b);
    gtest_ok(rc == 0 &&
                 wait_for(&loop_events[1], 0, time_now_ns() + EV_ROUND_NS),
             "loopback: bind_interdomain(DOMID_SELF, %u): port %u, raised "
             "at bind",
             a, b);
    gtest_ok(evtchn_send(b) == 0 &&
                 wait_for(&loop_events[0], 0, time_now_ns() + EV_ROUND_NS),
             "loopback: send on %u raises %u", b, a);
    gtest_ok(evtchn_send(a) == 0 &&
                 wait_for(&loop_events[1], 1, time_now_ns() + EV_ROUND_NS),
             "loopback: send on %u raises %u", a, b);
    rc = evtchn_close(a);
    rc = rc ? rc : evtchn_status(b, &s);
    gtest_ok(rc == 0 && s.status == EVTCHNSTAT_unbound &&
                 s.u.unbound.dom == self,
             "loopback: closing %u leaves %u unbound for dom%u", a, b,
             s.u.unbound.dom);
    gtest_ok(evtchn_close(b) == 0, "loopback: close %u", b);
}

/* Allocate until the table is full: -ENOSPC at the limit. */
static void check_limit(void)
{
    static evtchn_port_t got[4096];
    unsigned long want = gtest_value("maxports", 0);
    unsigned int n = 0, used = 0;
    struct evtchn_status s;
    long rc = 0;

    while (n < 4096) {
        struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
                                         .remote_dom = DOMID_SELF};
        rc = op(EVTCHNOP_alloc_unbound, &a);
        if (rc < 0)
            break;
        got[n++] = a.port;
    }
    for (evtchn_port_t p = 1; p < 4096; p++)
        if (evtchn_status(p, &s) == 0 && s.status != EVTCHNSTAT_closed)
            used++;
    gtest_refused(rc, -XEN_ENOSPC, GTEST_AS_XEN,
                  "alloc_unbound past the limit (%u ports in use, %u made)",
                  used, n);
    if (want)
        gtest_ok(used == want - 1,
                 "the limit: %u ports besides port 0, as "
                 "configured (%lu)",
                 used, want - 1);
    for (unsigned int i = 0; i < n; i++)
        evtchn_close(got[i]);
}

/* ---- ping: the round trips ---- */

static void sort(uint64_t *a, unsigned long n)
{
    /* Shell sort: n is up to EV_MAX_ROUNDS. */
    for (unsigned long gap = n / 2; gap; gap /= 2)
        for (unsigned long i = gap; i < n; i++)
            for (unsigned long j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
                uint64_t t = a[j];
                a[j] = a[j - gap];
                a[j - gap] = t;
            }
}

static void print_us(const char *label, uint64_t ns)
{
    printf(" %s %lu.%lu", label, (unsigned long)(ns / US),
           (unsigned long)(ns % US / 100));
}

/* One round trip, waiting in SCHEDOP_poll (upcalls masked). */
static int round_poll(evtchn_port_t chan)
{
    struct sched_poll p = {.nr_ports = 1};
    uint64_t deadline = time_now_ns() + EV_ROUND_NS;

    set_xen_guest_handle(p.ports, &chan);
    p.timeout = deadline;
    if (evtchn_send(chan) != 0)
        return 0;
    while (!port_pending(chan) && time_now_ns() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    if (!port_pending(chan))
        return 0;
    port_clear(chan);
    chan_events++;
    return 1;
}

/* One round trip, waiting in SCHEDOP_block for the upcall. */
static int round_block(evtchn_port_t chan)
{
    uint64_t from = chan_events;

    if (evtchn_send(chan) != 0)
        return 0;
    return wait_for(&chan_events, from, time_now_ns() + EV_ROUND_NS);
}

static void ping_pong(evtchn_port_t chan)
{
    int poll = gtest_arg("wait=poll");
    int prev = evtchn_upcalls_mask();
    unsigned long done = 0;
    uint64_t t0, total;

    port_clear(chan); /* the bind raised it */
    if (!poll)
        evtchn_upcalls_restore(prev);
    chan_events = 0;
    t0 = time_now_ns();
    for (; done < rounds; done++) {
        uint64_t t = time_now_ns();
        if (!(poll ? round_poll(chan) : round_block(chan)))
            break;
        rtt[done] = time_now_ns() - t;
    }
    total = time_now_ns() - t0;
    evtchn_upcalls_restore(prev);
    gtest_ok(done == rounds && chan_events == rounds,
             "%lu round trips (%s), every answer received (%lu)", done,
             poll ? "SCHEDOP_poll" : "SCHEDOP_block + upcall",
             (unsigned long)chan_events);
    if (!done)
        return;
    printf("evchan: %lu round trips in %lu ms, %lu per second\n", done,
           (unsigned long)(total / MS),
           (unsigned long)(done * 1000000000ull / (total ? total : 1)));
    sort(rtt, done);
    printf("evchan: rtt %s us:", poll ? "poll" : "block");
    print_us("min", rtt[0]);
    print_us("median", rtt[done / 2]);
    print_us("p99", rtt[done * 99 / 100]);
    print_us("max", rtt[done - 1]);
    printf("\n");
}

/* The cost of one EVTCHNOP_send to the sender: on a port unbound for
 * nobody, so that it raises nothing (the stub's asynchronous path, unless
 * veneerd runs with VENEER_EVTCHN_SEND=sync). */
static void send_cost(const char *what, unsigned int n, uint64_t gap_ns)
{
    static uint64_t t[EV_SEND_SAMPLES];
    evtchn_port_t port = 0;
    uint64_t once = 0;
    long rc = evtchn_alloc_unbound(EV_NOBODY, on_count, &once, &port);

    for (unsigned int i = 0; rc == 0 && i < n; i++) {
        uint64_t t0 = time_now_ns();
        rc = evtchn_send(port);
        t[i] = time_now_ns() - t0;
        while (time_now_ns() < t0 + gap_ns)
            ;
    }
    gtest_ok(rc == 0 && evtchn_close(port) == 0,
             "%u sends on an unbound port (%s)", n, what);
    if (rc)
        return;
    sort(t, n);
    printf("evchan: send %s us:", what);
    print_us("min", t[0]);
    print_us("median", t[n / 2]);
    print_us("p99", t[n * 99 / 100]);
    print_us("max", t[n - 1]);
    printf("\n");
}

static int ping(void)
{
    uint64_t deadline = time_now_ns() + EV_WAIT_NS;
    evtchn_port_t chan = 0;
    long rc;

    do {
        rc = evtchn_bind_interdomain(peer, EV_PORT_CHAN, on_count,
                                     (void *)&chan_events, &chan);
        if (rc == -XEN_EINVAL)
            time_sleep_ns(MS); /* pong has not made it yet */
    } while (rc == -XEN_EINVAL && time_now_ns() < deadline);
    if (!gtest_ok(rc == 0, "bind to dom%u port %u: port %u (%ld)", peer,
                  EV_PORT_CHAN, chan, rc))
        return gtest_end();
    check_foreign(chan);
    check_local(chan);
    check_fault(chan);
    check_ipi();
    check_loopback();
    check_limit();
    send_cost("back-to-back", EV_SEND_SAMPLES, 0);
    /* After a pause veneerd's server thread sleeps: a hypercall then
     * costs a futex wake, a posted send does not. */
    send_cost("after 300 us idle", EV_SEND_SAMPLES / 5, 300 * US);
    ping_pong(chan);
    gtest_ok(evtchn_close(chan) == 0, "close our end");
    return gtest_end();
}

int guest_main(struct start_info *si)
{
    gtest_begin("evchan", si);
    peer = (domid_t)gtest_value("peer", 0);
    rounds = gtest_value("rounds", 10000);
    if (rounds > EV_MAX_ROUNDS)
        rounds = EV_MAX_ROUNDS;
    if (!gtest_ok(time_init() == 0 && time_timer_port() == EV_PORT_TIMER,
                  "time_init: VIRQ_TIMER on port %u", time_timer_port()))
        return gtest_end();
    if (gtest_arg("pong"))
        return pong();
    if (gtest_arg("ping"))
        return ping();
    gtest_fail("say ping or pong on the command line");
    return gtest_end();
}
