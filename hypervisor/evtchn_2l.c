/* SPDX-License-Identifier: MIT */
/*
 * Xen's 2-level event-channel ABI: the pending and mask bitmaps in
 * shared_info, the selector and upcall flag in each vcpu_info, and the
 * exact order in which the hypervisor sets them (XEN-ABI-FACTS §4.4).
 *
 * These words live in guest memory and the guest changes them at any
 * time, from any vCPU: every access is an atomic operation on veneerd's
 * mapping of the page, and nothing read here is trusted beyond deciding
 * whether to notify. The functions are pure over the two structures, so
 * the unit tests drive them on plain buffers.
 */
#include "veneerd.h"

#define EVTCHN_2L_WORD_BITS 64u

static bool bit_test_and_set(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ull << bit;

    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test_and_clear(uint64_t *word, unsigned int bit)
{
    uint64_t m = 1ull << bit;

    return __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test(const uint64_t *word, unsigned int bit)
{
    return __atomic_load_n(word, __ATOMIC_SEQ_CST) & (1ull << bit);
}

/*
 * evtchn_2l_mark_events_pending - set evtchn_upcall_pending.
 * Return values: true if it was clear, so the vCPU must be notified.
 */
bool evtchn_2l_mark_events_pending(struct vcpu_info *vi)
{
    return !(
        __atomic_fetch_or(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) & 1);
}

/*
 * evtchn_2l_set_pending - raise `port` for the vCPU whose vcpu_info is vi,
 * in Xen's order: test-and-set the pending bit (already set: an edge
 * merged, stop); if the port is unmasked and its selector bit was clear,
 * set the selector bit and mark events pending.
 *
 * Parameters: port below 4096 (the caller checked it against its table).
 * Return values: EVTCHN_2L_NEWLY_PENDING if the port went pending (pollers
 * may wake), with EVTCHN_2L_NOTIFY if upcall_pending went 0 -> 1 (the
 * vCPU must be kicked); 0 if it was pending already.
 */
unsigned int evtchn_2l_set_pending(struct shared_info *s, struct vcpu_info *vi,
                                   uint32_t port)
{
    unsigned int word = port / EVTCHN_2L_WORD_BITS;
    unsigned int bit = port % EVTCHN_2L_WORD_BITS;
    unsigned int r = EVTCHN_2L_NEWLY_PENDING;

    if (bit_test_and_set(&s->evtchn_pending[word], bit))
        return 0;
    if (!bit_test(&s->evtchn_mask[word], bit) &&
        !bit_test_and_set(&vi->evtchn_pending_sel, word) &&
        evtchn_2l_mark_events_pending(vi))
        r |= EVTCHN_2L_NOTIFY;
    return r;
}

/*
 * evtchn_2l_unmask - EVTCHNOP_unmask's bit work: clear the mask bit; if it
 * was set, the port is pending and its selector bit was clear, set the
 * selector and mark events pending.
 * Return values: true if upcall_pending went 0 -> 1 (kick the vCPU).
 */
bool evtchn_2l_unmask(struct shared_info *s, struct vcpu_info *vi,
                      uint32_t port)
{
    unsigned int word = port / EVTCHN_2L_WORD_BITS;
    unsigned int bit = port % EVTCHN_2L_WORD_BITS;

    return bit_test_and_clear(&s->evtchn_mask[word], bit) &&
           bit_test(&s->evtchn_pending[word], bit) &&
           !bit_test_and_set(&vi->evtchn_pending_sel, word) &&
           evtchn_2l_mark_events_pending(vi);
}

/* evtchn_2l_is_pending - is port's pending bit set (port below 4096)? */
bool evtchn_2l_is_pending(const struct shared_info *s, uint32_t port)
{
    return bit_test(&s->evtchn_pending[port / EVTCHN_2L_WORD_BITS],
                    port % EVTCHN_2L_WORD_BITS);
}

/* Clear a port's pending bit (closing it, as Xen's 2-level close does). */
void evtchn_2l_clear_pending(struct shared_info *s, uint32_t port)
{
    bit_test_and_clear(&s->evtchn_pending[port / EVTCHN_2L_WORD_BITS],
                       port % EVTCHN_2L_WORD_BITS);
}
