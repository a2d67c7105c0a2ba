/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for event channels: the 2-level bit rules on plain buffers
 * (evtchn_2l.c), then event_channel_op and SCHEDOP_poll's checks on a
 * built domain (evtchn.c, sched_block.c, runstate.c).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

static struct shared_info *s;
static struct vcpu_info *vi;

static void setup_bits(void)
{
    s = calloc(1, sizeof(*s));
    vi = &s->vcpu_info[0];
}

static void teardown_bits(void)
{
    free(s);
}

TestSuite(evtchn_2l, .init = setup_bits, .fini = teardown_bits);

Test(evtchn_2l, first_edge_sets_pending_selector_and_upcall)
{
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 70),
                 EVTCHN_2L_NEWLY_PENDING | EVTCHN_2L_NOTIFY);
    cr_assert_eq(s->evtchn_pending[1], 1ull << 6);
    cr_assert_eq(vi->evtchn_pending_sel, 1ull << 1);
    cr_assert_eq(vi->evtchn_upcall_pending, 1);
}

Test(evtchn_2l, an_edge_while_pending_is_merged)
{
    evtchn_2l_set_pending(s, vi, 5);
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 5), 0);
    cr_assert_eq(vi->evtchn_pending_sel, 0, "merged: no selector");
    cr_assert_eq(vi->evtchn_upcall_pending, 0);
}

Test(evtchn_2l, selector_already_set_means_no_second_notify)
{
    evtchn_2l_set_pending(s, vi, 3);
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 4), EVTCHN_2L_NEWLY_PENDING);
    /* The guest cleared upcall_pending but not the selector yet. */
    vi->evtchn_upcall_pending = 0;
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 6), EVTCHN_2L_NEWLY_PENDING);
    cr_assert_eq(vi->evtchn_upcall_pending, 0);
    /* Another word: its selector bit is new, so notify again. */
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 64 * 63 + 63),
                 EVTCHN_2L_NEWLY_PENDING | EVTCHN_2L_NOTIFY);
    cr_assert_eq(vi->evtchn_pending_sel, (1ull << 63) | 1);
}

Test(evtchn_2l, masked_port_is_pending_but_silent_until_unmask)
{
    s->evtchn_mask[0] = 1ull << 9;
    cr_assert_eq(evtchn_2l_set_pending(s, vi, 9), EVTCHN_2L_NEWLY_PENDING);
    cr_assert(evtchn_2l_is_pending(s, 9));
    cr_assert_eq(vi->evtchn_pending_sel, 0);
    cr_assert_eq(vi->evtchn_upcall_pending, 0);
    cr_assert(evtchn_2l_unmask(s, vi, 9));
    cr_assert_eq(s->evtchn_mask[0], 0);
    cr_assert_eq(vi->evtchn_pending_sel, 1);
    cr_assert_eq(vi->evtchn_upcall_pending, 1);
}

Test(evtchn_2l, unmask_of_unmasked_or_idle_port_does_nothing)
{
    cr_assert(!evtchn_2l_unmask(s, vi, 9), "not masked");
    s->evtchn_mask[0] = 1ull << 9;
    cr_assert(!evtchn_2l_unmask(s, vi, 9), "masked but not pending");
    cr_assert_eq(s->evtchn_mask[0], 0);
    cr_assert_eq(vi->evtchn_pending_sel, 0);
}

Test(evtchn_2l, clear_and_mark)
{
    evtchn_2l_set_pending(s, vi, 4095);
    cr_assert(evtchn_2l_is_pending(s, 4095));
    evtchn_2l_clear_pending(s, 4095);
    cr_assert(!evtchn_2l_is_pending(s, 4095));
    vi->evtchn_upcall_pending = 0;
    cr_assert(evtchn_2l_mark_events_pending(vi));
    cr_assert(!evtchn_2l_mark_events_pending(vi));
}

/* ---- event_channel_op and SCHEDOP_poll on a built domain ---- */

static struct fixture f;
static struct domain *d;
static struct vcpu *v;
static gva_t arg; /* scratch guest memory for hypercall arguments */

static void setup(void)
{
    d = fixture_domain(&f, 0x400000ull, 1024, "");
    v = &d->vcpus[0];
    arg = d->stack_top - 512;
    time_domain_start(d);
}

static void teardown(void)
{
    domain_destroy(d);
    d = NULL;
}

static int64_t op(int cmd, const void *in, size_t len)
{
    uint64_t a[5] = {(uint64_t)cmd, arg};

    cr_assert_eq(gmem_copy_to(v, arg, in, len), 0);
    return hc_event_channel_op(v, a);
}

static int64_t bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    int64_t rc = op(EVTCHNOP_bind_virq, &b, sizeof(b));

    gmem_copy_from(v, &b, arg, sizeof(b));
    *port = b.port;
    return rc;
}

TestSuite(evtchn_op, .init = setup, .fini = teardown);

Test(evtchn_op, bind_virq_checks_like_xen)
{
    uint32_t port;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    cr_assert_eq(port, 1, "lowest free port; 0 is reserved");
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), -XEN_EEXIST);
    cr_assert_eq(bind_virq(NR_VIRQS, 0, &port), -XEN_EINVAL);
    cr_assert_eq(bind_virq(VIRQ_CONSOLE, 1, &port), -XEN_EINVAL,
                 "global VIRQs bind on vCPU 0");
    cr_assert_eq(bind_virq(VIRQ_DEBUG, 1, &port), -XEN_ENOENT);
    cr_assert_eq(bind_virq(VIRQ_DEBUG, 0, &port), 0);
    cr_assert_eq(port, 2);
}

Test(evtchn_op, close_frees_the_port_and_the_binding)
{
    struct evtchn_close c = {.port = 1};
    uint32_t port;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    evtchn_send_virq(v, VIRQ_TIMER);
    cr_assert(evtchn_port_pending(d, 1));
    cr_assert_eq(op(EVTCHNOP_close, &c, sizeof(c)), 0);
    cr_assert(!evtchn_port_pending(d, 1), "closing clears pending");
    cr_assert_eq(v->virq_to_evtchn[VIRQ_TIMER], 0);
    cr_assert_eq(op(EVTCHNOP_close, &c, sizeof(c)), -XEN_EINVAL, "free");
    c.port = 0;
    cr_assert_eq(op(EVTCHNOP_close, &c, sizeof(c)), -XEN_EINVAL, "reserved");
    c.port = VN_EVTCHN_MAX_PORTS;
    cr_assert_eq(op(EVTCHNOP_close, &c, sizeof(c)), -XEN_EINVAL);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    cr_assert_eq(port, 1, "the port is reused");
}

Test(evtchn_op, unmask_raises_a_pending_masked_port)
{
    struct shared_info *sh = upcall_shared_info(d);
    struct evtchn_unmask u = {.port = 1};
    uint32_t port;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    sh->evtchn_mask[0] = 1ull << 1;
    evtchn_send_virq(v, VIRQ_TIMER);
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_upcall_pending, 0);
    cr_assert_eq(op(EVTCHNOP_unmask, &u, sizeof(u)), 0);
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_upcall_pending, 1);
    u.port = VN_EVTCHN_MAX_PORTS;
    cr_assert_eq(op(EVTCHNOP_unmask, &u, sizeof(u)), -XEN_EINVAL);
}

Test(evtchn_op, send_on_a_virq_port_and_unknown_ops)
{
    struct evtchn_send snd = {.port = 1};
    uint32_t port;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    cr_assert_eq(op(EVTCHNOP_send, &snd, sizeof(snd)), -XEN_EINVAL);
    cr_assert_eq(op(EVTCHNOP_init_control, &snd, sizeof(snd)), -XEN_ENOSYS);
    uint64_t a[5] = {EVTCHNOP_bind_virq, 0x10};
    cr_assert_eq(hc_event_channel_op(v, a), -XEN_EFAULT);
}

static int64_t poll(const uint32_t *ports, uint32_t n, uint64_t timeout)
{
    struct sched_poll p = {
        .ports = arg + 64, .nr_ports = n, .timeout = timeout};

    cr_assert_eq(gmem_copy_to(v, arg, &p, sizeof(p)), 0);
    if (n && n <= SCHED_POLL_MAX_PORTS)
        cr_assert_eq(gmem_copy_to(v, arg + 64, ports, n * sizeof(*ports)), 0);
    return sched_poll(v, arg);
}

Test(evtchn_op, poll_validates_and_returns_at_once_if_pending)
{
    uint32_t ports[2] = {1, VN_EVTCHN_MAX_PORTS};
    uint32_t port;

    cr_assert_eq(poll(ports, SCHED_POLL_MAX_PORTS + 1, 0), -XEN_EINVAL);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE);
    cr_assert_eq(poll(ports, 2, 0), -XEN_EINVAL, "port beyond the table");
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    evtchn_send_virq(v, VIRQ_TIMER);
    upcall_vcpu_info(v)->evtchn_upcall_mask = 1;
    cr_assert_eq(poll(ports, 1, 0), 0);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE, "pending: no sleep");
    evtchn_2l_clear_pending(upcall_shared_info(d), 1);
    cr_assert_eq(poll(ports, 1, 12345), 0);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_POLL);
    cr_assert_eq(v->poll_port, 1);
    cr_assert_eq(v->poll_timeout, 12345);
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_upcall_mask, 1,
                 "poll leaves the mask alone");
    vcpu_wait(v); /* the timeout has long passed */
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE);
}

Test(evtchn_op, block_unmasks_and_an_event_ends_it)
{
    struct vcpu_info *i = upcall_vcpu_info(v);
    uint32_t port;

    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    i->evtchn_upcall_mask = 1;
    cr_assert_eq(sched_block(v), 0);
    cr_assert_eq(i->evtchn_upcall_mask, 0);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_EVENT);
    timer_set_periodic(v, 0);
    timer_set_singleshot(v, time_now(d) + 2000000); /* 2 ms */
    vcpu_wait(v);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE);
    cr_assert_eq(i->evtchn_upcall_pending, 1, "woken by the timer's event");
    cr_assert_eq(sched_block(v), 0);
    cr_assert_eq(v->block_kind, VCPU_BLOCK_NONE, "deliverable: no sleep");
}

Test(evtchn_op, set_pending_by_port_ignores_free_and_bad_ports)
{
    struct shared_info *sh = upcall_shared_info(d);
    uint32_t port;

    evtchn_set_pending(d, 5);
    evtchn_set_pending(d, 0);
    evtchn_set_pending(d, VN_EVTCHN_MAX_PORTS + 7);
    cr_assert_eq(sh->evtchn_pending[0], 0);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    evtchn_set_pending(d, port);
    cr_assert(evtchn_2l_is_pending(sh, port));
    cr_assert_eq(upcall_vcpu_info(v)->evtchn_upcall_pending, 1);
}

Test(evtchn_op, runstate_area_follows_a_block)
{
    struct vcpu_register_runstate_memory_area r = {.addr.h = arg + 256};
    struct vcpu_runstate_info rs;
    uint64_t a[5] = {VCPUOP_register_runstate_memory_area, 0, arg};
    uint32_t port;

    d->vm_assist |= 1ull << VMASST_TYPE_runstate_update_flag;
    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    cr_assert_eq(hc_vcpu_op(v, a), 0);
    cr_assert_eq(gmem_copy_from(v, &rs, arg + 256, sizeof(rs)), 0);
    cr_assert_eq(rs.state, RUNSTATE_running);
    cr_assert_eq(bind_virq(VIRQ_TIMER, 0, &port), 0);
    timer_set_periodic(v, 0);
    cr_assert_eq(sched_block(v), 0);
    timer_set_singleshot(v, time_now(d) + 3000000); /* 3 ms */
    vcpu_wait(v);
    cr_assert_eq(gmem_copy_from(v, &rs, arg + 256, sizeof(rs)), 0);
    cr_assert_eq(rs.state, RUNSTATE_running);
    cr_assert_eq(rs.state_entry_time & XEN_RUNSTATE_UPDATE, 0);
    cr_assert_geq(rs.time[RUNSTATE_blocked], 2000000, "blocked %llu ns",
                  (unsigned long long)rs.time[RUNSTATE_blocked]);
    r.addr.h = VENEER_GUEST_VA_LIMIT;
    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    cr_assert_eq(hc_vcpu_op(v, a), -XEN_EFAULT);
}
