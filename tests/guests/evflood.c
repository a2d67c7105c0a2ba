/* SPDX-License-Identifier: MIT */
/*
 * evflood: a guest flooding event-channel operations must not starve
 * another. Booted as two domains of one `veneerd run`:
 *
 *   victim peer=<attacker's id> [phase_ms=100] [min_pct=P] [masked]
 *   attacker peer=<victim's id> [phase_ms=100]
 *
 * The victim makes port 4 unbound for the attacker (1 and 2 are the
 * builder's store and console channels, 3 is VIRQ_TIMER) and port 5
 * unbound for nobody; the attacker binds to port 4 and waits
 * for the victim's "go". Then, for each kind of flood, FL_REPEAT times: a
 * window of phase_ms in which the attacker sleeps, then one in which it
 * floods. The victim measures its own progress (units of pure computation
 * per ms of pvclock time) in every window; the flood windows' total
 * against the idle ones' (which sit right beside them, so that a drift in
 * the host's load cancels out) is its share under that flood. Floods:
 *
 *   send   EVTCHNOP_send on the channel as fast as it can: every send
 *          raises the victim's port (the stub's asynchronous path);
 *   bad    EVTCHNOP_send on ports it does not have (hypercalls that fail
 *          with -EINVAL);
 *   bind   EVTCHNOP_bind_interdomain to the victim's port 3, which is not
 *          for it (-EINVAL, through the link lock and the victim's table
 *          lock).
 *
 * The victim's channel is unmasked with a handler (each event an upcall)
 * unless "masked" is given. It prints "evflood: progress <flood> <pct>%
 * of idle (<events> events)" per flood and fails one below min_pct.
 *
 * Then the attacker scribbles over what the stub's asynchronous sends
 * use (hypervisor/stub_abi.h; the guest can write its stub's pages): every
 * port marked sendable, a send posted on every port number, its ring
 * filled with garbage and its producer index thrown far ahead. veneerd
 * must survive, answer the attacker's next hypercall, and raise nothing
 * the attacker is not bound to: the victim's port 3 must stay idle.
 *
 * Output: gtest lines, then "evflood: SUCCESS" / "evflood: ABORT".
 */
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

#include "../../hypervisor/stub_abi.h"
#include "gtest.h"

#define FL_PORT_CHAN   4
#define FL_PORT_NOBODY 5
#define FL_NOBODY      0x7001
#define FL_FLOODS      3
#define FL_REPEAT      3 /* idle and flood windows per kind of flood */
#define MS             1000000ull
#define FL_WAIT_NS     (10000 * MS)
#define FL_MARGIN_NS   (20 * MS)  /* skipped at each end of a phase */
#define FL_SCRIBBLE_NS (500 * MS) /* the attacker's scribbling, at most */
/* xen_version(XENVER_version) from veneerd: Xen 4.19 (hc_version.c). */
#define FL_XEN_VERSION ((4l << 16) | 19)

static const char *const flood_name[FL_FLOODS] = {"send", "bad", "bind"};

static domid_t peer;
static uint64_t phase_ns;
static volatile uint64_t events, nobody_events;

static void on_event(evtchn_port_t port, struct trap_frame *f, void *data)
{
    (void)port;
    (void)f;
    (void)data;
    events++;
}

static void on_nobody(evtchn_port_t port, struct trap_frame *f, void *data)
{
    (void)port;
    (void)f;
    (void)data;
    nobody_events++;
}

/* Compute until t1 (system time, ns); the units done. */
static uint64_t work_until(uint64_t t1)
{
    uint64_t units = 0, x = 88172645463325252ull;

    while (time_now_ns() < t1) {
        for (int i = 0; i < 256; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        units++;
    }
    __asm__ volatile("" : : "r"(x));
    return units;
}

/* Window w of the schedule after "go" at start: its units of work in the
 * middle (the margins absorb the two domains' different clocks). */
static uint64_t measure_window(uint64_t start, unsigned int w)
{
    uint64_t from = start + w * phase_ns;
    uint64_t units;

    while (time_now_ns() < from + FL_MARGIN_NS)
        ;
    units = work_until(from + phase_ns - FL_MARGIN_NS);
    while (time_now_ns() < from + phase_ns)
        ;
    return units;
}

static int victim(void)
{
    unsigned long min_pct = gtest_value("min_pct", 0);
    uint64_t deadline = time_now_ns() + FL_WAIT_NS, start;
    struct evtchn_status s = {0};
    evtchn_port_t chan = 0, nobody = 0;
    int rc;

    /* Each call before the check that prints its result. */
    rc = evtchn_alloc_unbound(peer, on_event, NULL, &chan);
    gtest_ok(rc == 0 && chan == FL_PORT_CHAN, "the channel for dom%u: port %u",
             peer, chan);
    rc = evtchn_alloc_unbound(FL_NOBODY, on_nobody, NULL, &nobody);
    gtest_ok(rc == 0 && nobody == FL_PORT_NOBODY, "a port for nobody: port %u",
             nobody);
    /* The attacker binds, then says "ready"; the victim answers "go". */
    while (events == 0 && time_now_ns() < deadline)
        time_sleep_ns(MS);
    rc = evtchn_status(chan, &s);
    if (!gtest_ok(events && rc == 0 && s.status == EVTCHNSTAT_interdomain,
                  "the attacker bound and is ready"))
        return gtest_end();
    if (gtest_arg("masked"))
        evtchn_mask(chan);
    evtchn_upcalls_unmask();
    events = 0;
    evtchn_send(chan); /* go */
    start = time_now_ns();
    for (unsigned int f = 0; f < FL_FLOODS; f++) {
        uint64_t idle = 0, busy = 0, e0 = events, pct;
        for (unsigned int r = 0; r < FL_REPEAT; r++) {
            unsigned int w = 2 * (f * FL_REPEAT + r);
            idle += measure_window(start, w);
            busy += measure_window(start, w + 1);
        }
        pct = busy * 100 / (idle ? idle : 1);
        printf("evflood: progress %s %lu%% of idle (%lu / %lu units, %lu "
               "events)\n",
               flood_name[f], (unsigned long)pct, (unsigned long)busy,
               (unsigned long)idle, (unsigned long)(events - e0));
        if (min_pct)
            gtest_ok(pct >= min_pct,
                     "%s flood: the victim keeps %lu%% >= "
                     "%lu%% of its progress",
                     flood_name[f], (unsigned long)pct, min_pct);
    }
    /* The attacker scribbles now; give it time, then look at port 3. */
    time_sleep_ns(FL_SCRIBBLE_NS);
    rc = evtchn_status(nobody, &s);
    gtest_ok(rc == 0 && s.status == EVTCHNSTAT_unbound &&
                 s.u.unbound.dom == FL_NOBODY && nobody_events == 0 &&
                 !(shinfo->evtchn_pending[0] & (1ull << nobody)),
             "the attacker's scribbled sends never raised port %u (%lu "
             "events)",
             nobody, (unsigned long)nobody_events);
    return gtest_end();
}

static long attack(unsigned int phase, evtchn_port_t chan, uint64_t *ops)
{
    struct evtchn_bind_interdomain b = {.remote_dom = peer,
                                        .remote_port = FL_PORT_NOBODY};
    long rc;

    (*ops)++;
    switch (phase) {
    case 0:
        return evtchn_send(chan) == 0 ? 0 : -1;
    case 1:
        rc = evtchn_send(chan + 100 + (uint32_t)(*ops % 500));
        return rc == -XEN_EINVAL ? 0 : rc;
    default:
        rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
        return rc == -XEN_EINVAL ? 0 : rc;
    }
}

/* Scribble over the stub's send ring and sendable bitmap (stub_abi.h),
 * then check that veneerd still answers. */
static void scribble(evtchn_port_t chan)
{
    struct stub_send_ring *ring =
        (struct stub_send_ring *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                             STUB_MBOX_VCPU_OFFSET(0) +
                                             STUB_SEND_RING_OFFSET);
    struct stub_evtchn_page *page =
        (struct stub_evtchn_page *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                               STUB_MBOX_EVTCHN_OFFSET);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    long rc = 0, v;

    for (unsigned int i = 0; i < STUB_EVTCHN_PORTS / 64; i++)
        page->sendable[i] = ~0ull;
    /* Posted (0: the stub believes the bitmap), or a hypercall when the
     * ring is full (-EINVAL for a port we do not have): both only ever
     * about our own ports. */
    for (evtchn_port_t p = 0; p < STUB_EVTCHN_PORTS && rc == 0; p++)
        if (p != chan) {
            v = evtchn_send(p);
            rc = v == 0 || v == -XEN_EINVAL ? 0 : v;
        }
    gtest_ok(rc == 0,
             "sends on every port with a scribbled bitmap: 0 or -EINVAL "
             "(%ld)",
             rc);
    rc = 0;
    for (unsigned int round = 0; round < 64; round++) {
        for (unsigned int i = 0; i < STUB_SEND_RING_SIZE; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ring->port[i] = (uint32_t)x;
        }
        ring->prod += (uint32_t)(x >> 40) + STUB_SEND_RING_SIZE;
        ring->cons = (uint32_t)x;
        v = HYPERVISOR_xen_version(XENVER_version, NULL);
        if (v != FL_XEN_VERSION)
            rc = v;
    }
    gtest_ok(rc == 0, "a scribbled send ring: veneerd still answers (%ld)", rc);
}

static int attacker(void)
{
    uint64_t deadline = time_now_ns() + FL_WAIT_NS, start;
    evtchn_port_t chan = 0;
    long rc;

    do {
        rc = evtchn_bind_interdomain(peer, FL_PORT_CHAN, on_event, NULL, &chan);
        if (rc == -XEN_EINVAL)
            time_sleep_ns(MS);
    } while (rc == -XEN_EINVAL && time_now_ns() < deadline);
    if (!gtest_ok(rc == 0, "bound to the victim's channel: port %u", chan))
        return gtest_end();
    /* The bind raised our port (upcalls are still masked): clear that
     * first, so that the victim's "go" cannot merge with it. */
    __atomic_fetch_and(&shinfo->evtchn_pending[chan / 64],
                       ~(1ull << (chan % 64)), __ATOMIC_SEQ_CST);
    events = 0;
    evtchn_send(chan); /* ready */
    while (events == 0 && time_now_ns() < deadline)
        time_sleep_ns(MS);
    if (!gtest_ok(events != 0, "go"))
        return gtest_end();
    start = time_now_ns();
    for (unsigned int f = 0; f < FL_FLOODS; f++) {
        uint64_t ops = 0;
        rc = 0;
        for (unsigned int r = 0; r < FL_REPEAT; r++) {
            uint64_t w = 2 * (f * FL_REPEAT + r);
            time_sleep_until(start + (w + 1) * phase_ns); /* idle window */
            while (rc == 0 && time_now_ns() < start + (w + 2) * phase_ns)
                rc = attack(f, chan, &ops);
        }
        gtest_ok(rc == 0, "%s flood: %lu operations in %u x %lu ms",
                 flood_name[f], (unsigned long)ops, FL_REPEAT,
                 (unsigned long)(phase_ns / MS));
    }
    scribble(chan);
    return gtest_end();
}

int guest_main(struct start_info *si)
{
    gtest_begin("evflood", si);
    peer = (domid_t)gtest_value("peer", 0);
    phase_ns = gtest_value("phase_ms", 100) * MS;
    if (!gtest_ok(time_init() == 0, "time_init"))
        return gtest_end();
    if (gtest_arg("victim"))
        return victim();
    if (gtest_arg("attacker"))
        return attacker();
    gtest_fail("say victim or attacker on the command line");
    return gtest_end();
}
