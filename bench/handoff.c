/* SPDX-License-Identifier: MIT */
/*
 * The spinning mailbox model: what the stub -> veneerd hand-off would cost
 * with nothing but the hand-off itself. A server thread spins on a request
 * sequence word; a caller copies a register block into the shared page,
 * bumps the word and spins on the response word. The layout (sequence
 * words, then registers, then the answer, all in one page) and the copy
 * the server makes of the request follow hypervisor/stub_abi.h; the
 * futex fallback does not exist here, since neither side ever sleeps.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vnbench.h"

#define HANDOFF_MAX_REGS 32u

struct handoff {
    /* The "mailbox page". */
    struct {
        uint32_t req_seq;
        uint32_t rsp_seq;
        uint32_t stop;
        uint32_t nregs;
        uint64_t regs[HANDOFF_MAX_REGS];
        int64_t ret;
    } mb __attribute__((aligned(4096)));
    pthread_t server;
};

static void *handoff_serve(void *arg)
{
    struct handoff *h = arg;
    uint32_t last = 0;

    for (;;) {
        uint32_t seq = __atomic_load_n(&h->mb.req_seq, __ATOMIC_ACQUIRE);
        uint64_t copy[HANDOFF_MAX_REGS];
        uint32_t nregs;

        if (seq == last) {
            if (__atomic_load_n(&h->mb.stop, __ATOMIC_RELAXED))
                return NULL;
            __builtin_ia32_pause();
            continue;
        }
        last = seq;
        /* As veneerd does: one copy of the shared page, then only it. */
        nregs = h->mb.nregs;
        if (nregs > HANDOFF_MAX_REGS)
            nregs = HANDOFF_MAX_REGS;
        memcpy(copy, h->mb.regs, nregs * sizeof(*copy));
        h->mb.ret = nregs ? (int64_t)copy[0] : 0;
        __atomic_add_fetch(&h->mb.rsp_seq, 1, __ATOMIC_SEQ_CST);
    }
}

/*
 * handoff_start - a mailbox and its spinning server thread.
 * Return values: the mailbox; NULL (errno set) if it could not be made.
 */
struct handoff *handoff_start(void)
{
    struct handoff *h = aligned_alloc(4096, sizeof(*h));
    int rc;

    if (!h)
        return NULL;
    memset(h, 0, sizeof(*h));
    rc = pthread_create(&h->server, NULL, handoff_serve, h);
    if (rc != 0) {
        free(h);
        return NULL;
    }
    return h;
}

/*
 * handoff_call - post regs[0..nregs) and spin for the answer.
 * Async-signal-safe: the trap model calls it from a SIGSYS handler.
 * Return values: the server's answer (regs[0]).
 */
int64_t handoff_call(struct handoff *h, const uint64_t regs[], size_t nregs)
{
    uint32_t seen = __atomic_load_n(&h->mb.rsp_seq, __ATOMIC_ACQUIRE);

    if (nregs > HANDOFF_MAX_REGS)
        nregs = HANDOFF_MAX_REGS;
    for (size_t i = 0; i < nregs; i++)
        h->mb.regs[i] = regs[i];
    h->mb.nregs = (uint32_t)nregs;
    __atomic_add_fetch(&h->mb.req_seq, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&h->mb.rsp_seq, __ATOMIC_ACQUIRE) == seen)
        __builtin_ia32_pause();
    return h->mb.ret;
}

/* handoff_stop - stop the server thread and free h (NULL is fine). */
void handoff_stop(struct handoff *h)
{
    if (!h)
        return;
    __atomic_store_n(&h->mb.stop, 1, __ATOMIC_RELAXED);
    pthread_join(h->server, NULL);
    free(h);
}
