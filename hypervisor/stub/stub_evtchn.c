/* SPDX-License-Identifier: MIT */
/*
 * The stub's asynchronous EVTCHNOP_send (protocol: stub_abi.h). A send on
 * a port veneerd marked sendable is posted in the vCPU's send ring and
 * the guest resumes at once with 0; veneerd drains the ring. Anything
 * else goes the ordinary hypercall way, so its error is veneerd's.
 *
 * Nothing here widens what the guest can do: it could write the ring and
 * issue the futex wake itself (FUTEX_WAKE on a mailbox word is already on
 * the gate's whitelist), and veneerd checks every posted port.
 */
#include "stub.h"

/* The two numbers the fast path answers (xen/xen.h, event_channel.h;
 * the stub builds without the guest ABI headers). */
#define STUB_HC_EVENT_CHANNEL_OP 32u
#define STUB_EVTCHNOP_SEND       4u

static const struct stub_evtchn_page *stub_evtchn_page(void)
{
    return (
        const struct stub_evtchn_page *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                                    STUB_MBOX_EVTCHN_OFFSET);
}

/* The guest's struct evtchn_send at va: its port, or -1 if va is not a
 * readable guest address (veneerd then answers -EFAULT). */
static int64_t stub_evtchn_port(uint64_t va)
{
    uint64_t word;

    if (va > VENEER_GUEST_VA_LIMIT - sizeof(uint32_t))
        return -1;
    word = stub_probe_u32(va);
    return word >> 32 ? -1 : (int64_t)word;
}

/*
 * stub_evtchn_send - if the trapped call c is EVTCHNOP_send on a port
 * marked sendable and mb's ring has room, post it, wake veneerd if it
 * sleeps, and make the call return 0.
 * Return values: 1 if posted (the guest resumes from c as it is); 0 if
 * the call must go to veneerd as usual.
 */
int stub_evtchn_send(struct stub_mailbox *mb, struct sigcontext *c)
{
    struct stub_send_ring *ring =
        (struct stub_send_ring *)((uint8_t *)mb + STUB_SEND_RING_OFFSET);
    const struct stub_evtchn_page *page = stub_evtchn_page();
    uint32_t prod;
    int64_t port;

    /* event_channel_op's cmd is an int, as veneerd reads it. */
    if (c->rax != STUB_HC_EVENT_CHANNEL_OP ||
        (uint32_t)c->rdi != STUB_EVTCHNOP_SEND)
        return 0;
    port = stub_evtchn_port(c->rsi);
    if (port < 0 || port >= STUB_EVTCHN_PORTS ||
        !(__atomic_load_n(&page->sendable[port / 64], __ATOMIC_ACQUIRE) &
          (1ull << (port % 64))))
        return 0;
    prod = __atomic_load_n(&ring->prod, __ATOMIC_RELAXED);
    if (prod - __atomic_load_n(&ring->cons, __ATOMIC_ACQUIRE) >=
        STUB_SEND_RING_SIZE)
        return 0; /* full: the hypercall drains it first */
    ring->port[prod & (STUB_SEND_RING_SIZE - 1)] = (uint32_t)port;
    /* Post, then look at veneerd's sleeping flag (the Dekker pattern of
     * stub_abi.h's hand-off: no wake-up is lost). */
    __atomic_store_n(&ring->prod, prod + 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&mb->veneerd_sleeping, __ATOMIC_SEQ_CST))
        stub_futex_wake(&mb->req_seq);
    c->rax = 0;
    return 1;
}
