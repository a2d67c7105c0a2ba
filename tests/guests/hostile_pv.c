/* SPDX-License-Identifier: MIT */
/*
 * hostile, PV hypercalls: bad pointers, counts, frames, slots, vectors,
 * ports and subcommands for mmu_update, mmuext_op, update_va_mapping,
 * set_trap_table, callback_op, vcpu_op, event_channel_op, SCHEDOP_poll
 * and set_segment_base, each expecting Xen's error (xen/arch/x86/mm.c,
 * pv/callback.c, pv/traps.c, pv/misc-hypercalls.c, common/domain.c,
 * event_channel.c, sched/core.c). Every state a positive control creates
 * is undone.
 */
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pagetable.h>
#include <veneer/platform.h>
#include <veneer/runtime.h>

#include "hostile.h"

#define NON_CANONICAL 0x0000800000000000ULL
#define FAR_FUTURE    (1ULL << 62)

/* Veneer's own errors where it documents a difference from Xen. */
#define VENEER_FOREIGNDOM_RC (-XEN_EPERM)  /* Xen: -ESRCH */
#define VENEER_BAD_MFN_RC    (-XEN_EINVAL) /* Xen: -EPERM (no such RAM) */
#define VENEER_CACHE_RC      (-XEN_EPERM)  /* Xen: -EACCES */
#define VENEER_NO_LDT_RC     (-XEN_ENOSYS) /* Xen: -EINVAL for bad args */
#define VENEER_NO_CLEAR_RC   (-XEN_ENOSYS) /* Xen: -EINVAL, foreign frame */
#define VENEER_VCPUMASK_RC   (-XEN_EFAULT) /* Xen: -EINVAL (mmuext_op) */
#define VENEER_PT_RW_RC      (-XEN_EINVAL) /* Xen: -EBUSY */

static struct {
    uint64_t foreign_mfn; /* max MFN + 1000: nobody's frame */
    uint64_t l1_mfn;      /* the bootstrap L1 mapping the last region page */
    unsigned int l1_idx;  /* its entry for that page */
    uint64_t spare_va;    /* that page: padding nothing uses */
    uint64_t spare_pte;
    uint64_t l4_mfn;
} pv;

static void hostile_pv_setup(const struct start_info *si)
{
    uint64_t max = si->shared_info >> XEN_PAGE_SHIFT;
    struct pt_walk w;
    uint64_t va = runtime_virt_base();

    for (uint64_t i = 0; i < si->nr_pages; i++)
        if (pt_pfn_to_mfn(i) > max)
            max = pt_pfn_to_mfn(i);
    pv.foreign_mfn = max + 1000;
    while (pt_walk(va + XEN_PAGE_SIZE, &w) == 0 && (w.entry[1] & _PAGE_PRESENT))
        va += XEN_PAGE_SIZE;
    pt_walk(va, &w);
    pv.spare_va = va;
    pv.spare_pte = w.entry[1];
    pv.l1_mfn = pt_walk_table_mfn(&w, 1);
    pv.l1_idx = l1_table_offset(va);
    pv.l4_mfn = pt_walk_table_mfn(&w, 4);
}

static long mmu_update1(uint64_t ptr, uint64_t val, unsigned int foreigndom)
{
    struct mmu_update u = {.ptr = ptr, .val = val};

    return HYPERVISOR_mmu_update(&u, 1, NULL, foreigndom);
}

static void bad_mmu_update(void)
{
    uint64_t entry = (pv.l1_mfn << XEN_PAGE_SHIFT) + pv.l1_idx * 8;

    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++)
        hostile_expect(_hypercall4(__HYPERVISOR_mmu_update,
                                   hostile_bad_ptrs[i].addr, 1, 0, DOMID_SELF),
                       -XEN_EFAULT, "mmu_update requests at %s",
                       hostile_bad_ptrs[i].name);
    hostile_expect(
        _hypercall4(__HYPERVISOR_mmu_update, 0, (1UL << 32) | 1, 0, DOMID_SELF),
        -XEN_EFAULT, "mmu_update count (1<<32)|1 at NULL");
    hostile_expect(mmu_update1(pv.foreign_mfn << XEN_PAGE_SHIFT, 0, DOMID_SELF),
                   -XEN_EINVAL, "mmu_update of an entry in a foreign frame");
    hostile_expect(
        mmu_update1((pv.foreign_mfn << XEN_PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0,
                    DOMID_SELF),
        -XEN_EINVAL, "MMU_MACHPHYS_UPDATE of a foreign frame");
    hostile_expect_xen(
        mmu_update1(entry, mmu_pte(pv.foreign_mfn, MMU_PTE_RO), DOMID_SELF),
        -XEN_EPERM, VENEER_BAD_MFN_RC,
        "mmu_update: L1 entry naming MFN max + 1000");
    hostile_expect(mmu_update1(entry, pv.spare_pte | _PAGE_PCD, DOMID_SELF),
                   -XEN_EINVAL, "mmu_update: L1 entry with PCD");
    hostile_expect(
        mmu_update1((pv.l4_mfn << XEN_PAGE_SHIFT) + 256 * 8, 0, DOMID_SELF),
        -XEN_EINVAL, "mmu_update: L4 slot 256");
    hostile_expect_xen(mmu_update1(entry, pv.spare_pte, 7), -XEN_ESRCH,
                       VENEER_FOREIGNDOM_RC, "mmu_update foreigndom 7");
    hostile_expect_xen(
        mmu_update1(entry, pv.spare_pte, (8U << 16) | DOMID_SELF), -XEN_ESRCH,
        VENEER_FOREIGNDOM_RC, "mmu_update page-table owner 7");
}

static long mmuext1(unsigned int cmd, uint64_t arg1, uint64_t arg2,
                    unsigned int foreigndom)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = arg1, .arg2.src_mfn = arg2};

    return HYPERVISOR_mmuext_op(&op, 1, NULL, foreigndom);
}

static void bad_mmuext_op(void)
{
    static const unsigned int unknown[] = {14, 21, 99, 0xffffffffU};
    static const char *const pins[] = {"PIN_L1", "PIN_L2", "PIN_L3", "PIN_L4"};

    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        const struct bad_ptr *b = &hostile_bad_ptrs[i];

        hostile_expect(
            _hypercall4(__HYPERVISOR_mmuext_op, b->addr, 1, 0, DOMID_SELF),
            -XEN_EFAULT, "mmuext_op ops at %s", b->name);
        hostile_expect_xen(
            mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, b->addr, DOMID_SELF),
            -XEN_EINVAL, VENEER_VCPUMASK_RC, "TLB_FLUSH_MULTI vcpumask at %s",
            b->name);
        hostile_expect_xen(
            mmuext1(MMUEXT_INVLPG_MULTI, pv.spare_va, b->addr, DOMID_SELF),
            -XEN_EINVAL, VENEER_VCPUMASK_RC, "INVLPG_MULTI vcpumask at %s",
            b->name);
    }
    for (unsigned int i = 0; i < 4; i++)
        hostile_expect(mmuext1(unknown[i], 0, 0, DOMID_SELF), -XEN_ENOSYS,
                       "mmuext_op cmd %u", unknown[i]);
    for (unsigned int i = 0; i < 4; i++)
        hostile_expect(
            mmuext1(MMUEXT_PIN_L1_TABLE + i, pv.foreign_mfn, 0, DOMID_SELF),
            -XEN_EINVAL, "%s of MFN max + 1000", pins[i]);
    hostile_expect(mmuext1(MMUEXT_UNPIN_TABLE, pv.foreign_mfn, 0, DOMID_SELF),
                   -XEN_EINVAL, "UNPIN of MFN max + 1000");
    hostile_expect(mmuext1(MMUEXT_NEW_BASEPTR, pv.foreign_mfn, 0, DOMID_SELF),
                   -XEN_EINVAL, "NEW_BASEPTR to MFN max + 1000");
    hostile_expect(mmuext1(MMUEXT_NEW_BASEPTR, 0, 0, DOMID_SELF), -XEN_EINVAL,
                   "NEW_BASEPTR to MFN 0");
    hostile_expect_xen(mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 7), -XEN_ESRCH,
                       VENEER_FOREIGNDOM_RC, "mmuext_op foreigndom 7");
    hostile_expect_xen(mmuext1(MMUEXT_FLUSH_CACHE, 0, 0, DOMID_SELF),
                       -XEN_EACCES, VENEER_CACHE_RC,
                       "FLUSH_CACHE (unprivileged)");
    hostile_expect_xen(mmuext1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, DOMID_SELF),
                       -XEN_EACCES, VENEER_CACHE_RC,
                       "FLUSH_CACHE_GLOBAL (unprivileged)");
    hostile_expect_xen(mmuext1(MMUEXT_SET_LDT, 0x1001, 1, DOMID_SELF),
                       -XEN_EINVAL, VENEER_NO_LDT_RC, "SET_LDT at 0x1001");
    hostile_expect_xen(mmuext1(MMUEXT_SET_LDT, 0x1000, 8193, DOMID_SELF),
                       -XEN_EINVAL, VENEER_NO_LDT_RC,
                       "SET_LDT of 8193 entries");
    hostile_expect_xen(
        mmuext1(MMUEXT_CLEAR_PAGE, pv.foreign_mfn, 0, DOMID_SELF), -XEN_EINVAL,
        VENEER_NO_CLEAR_RC, "CLEAR_PAGE of MFN max + 1000");
    hostile_expect_xen(
        mmuext1(MMUEXT_COPY_PAGE, pt_pfn_to_mfn(0), pv.foreign_mfn, DOMID_SELF),
        -XEN_EINVAL, VENEER_NO_CLEAR_RC, "COPY_PAGE from MFN max + 1000");
}

static void bad_update_va_mapping(void)
{
    static const struct {
        const char *name;
        uint64_t va;
    } bad_va[] = {
        {"kernel", 0xffff800000000000ULL},
        {"non-canonical", NON_CANONICAL},
        {"VA limit", VENEER_GUEST_VA_LIMIT},
        {"stub text", VENEER_STUB_TEXT},
        {"no L1 table", 0x0000100000000000ULL},
    };
    long rc;

    for (unsigned int i = 0; i < sizeof(bad_va) / sizeof(bad_va[0]); i++)
        hostile_expect(
            HYPERVISOR_update_va_mapping(bad_va[i].va, 0, UVMF_INVLPG),
            -XEN_EINVAL, "update_va_mapping at %s", bad_va[i].name);
    /* A vCPU mask pointer is read only when a flush is asked for; the
     * entry is rewritten with its own value, so nothing changes. */
    for (unsigned int i = 1; i < HOSTILE_NR_BAD_PTRS - 1; i++)
        hostile_expect(HYPERVISOR_update_va_mapping(pv.spare_va, pv.spare_pte,
                                                    hostile_bad_ptrs[i].addr |
                                                        UVMF_INVLPG),
                       -XEN_EFAULT, "update_va_mapping vcpumask at %s",
                       hostile_bad_ptrs[i].name);
    hostile_expect_xen(
        HYPERVISOR_update_va_mapping(
            pv.spare_va, mmu_pte(pv.foreign_mfn, MMU_PTE_RO), UVMF_INVLPG),
        -XEN_EPERM, VENEER_BAD_MFN_RC, "update_va_mapping to MFN max + 1000");
    hostile_expect(HYPERVISOR_update_va_mapping(
                       pv.spare_va, pv.spare_pte | _PAGE_PWT, UVMF_INVLPG),
                   -XEN_EINVAL, "update_va_mapping with PWT");
    hostile_expect_xen(
        HYPERVISOR_update_va_mapping(
            pv.spare_va, mmu_pte(pv.l4_mfn, MMU_PTE_RW), UVMF_INVLPG),
        -XEN_EBUSY, VENEER_PT_RW_RC, "update_va_mapping: the L4 writable");
    rc = HYPERVISOR_update_va_mapping(pv.spare_va, pv.spare_pte, UVMF_INVLPG);
    hostile_control(rc == 0, rc, "update_va_mapping of the spare page as is");
}

/* An event callback and trap handler that must never run here. */
static void never_entered(void)
{
    panic("hostile: a callback or trap handler ran");
}

static void bad_set_trap_table(void)
{
    struct trap_info *tail =
        (struct trap_info *)(uintptr_t)(pv.spare_va + XEN_PAGE_SIZE - 16);
    struct trap_info one[2] = {
        {3, 3, FLAT_KERNEL_CS, 0, NON_CANONICAL},
        {0, 0, 0, 0, 0},
    };
    long rc;

    rc = HYPERVISOR_set_trap_table(NULL);
    if (!hostile_have(rc, "set_trap_table"))
        return;
    hostile_control(rc == 0, rc, "set_trap_table(NULL) clears the table");
    for (unsigned int i = 1; i < HOSTILE_NR_BAD_PTRS; i++)
        hostile_expect(
            _hypercall1(__HYPERVISOR_set_trap_table, hostile_bad_ptrs[i].addr),
            -XEN_EFAULT, "set_trap_table at %s", hostile_bad_ptrs[i].name);
    hostile_expect(HYPERVISOR_set_trap_table(one), -XEN_EINVAL,
                   "set_trap_table: non-canonical handler");
    /* One good entry in the last 16 bytes of the region, then no more
     * mapped memory where the terminator should be. */
    *tail =
        (struct trap_info){3, 3, FLAT_KERNEL_CS, 0, (uintptr_t)never_entered};
    hostile_expect(HYPERVISOR_set_trap_table(tail), -XEN_EFAULT,
                   "set_trap_table running off the mapped region");
    rc = HYPERVISOR_set_trap_table(NULL);
    hostile_control(rc == 0, rc, "set_trap_table(NULL) again");
}

static void bad_callback_op(void)
{
    struct callback_register reg = {.type = CALLBACKTYPE_event,
                                    .address = (uintptr_t)never_entered};
    struct callback_unregister unreg = {.type = CALLBACKTYPE_event};
    long rc;

    rc = HYPERVISOR_callback_op(CALLBACKOP_register, &reg);
    if (!hostile_have(rc, "callback_op"))
        return;
    hostile_control(rc == 0, rc, "callback_op register event");
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        hostile_expect(_hypercall2(__HYPERVISOR_callback_op,
                                   CALLBACKOP_register,
                                   hostile_bad_ptrs[i].addr),
                       -XEN_EFAULT, "callback_op register at %s",
                       hostile_bad_ptrs[i].name);
        hostile_expect(_hypercall2(__HYPERVISOR_callback_op,
                                   CALLBACKOP_unregister,
                                   hostile_bad_ptrs[i].addr),
                       -XEN_EFAULT, "callback_op unregister at %s",
                       hostile_bad_ptrs[i].name);
    }
    reg.type = 99;
    hostile_expect(HYPERVISOR_callback_op(CALLBACKOP_register, &reg),
                   -XEN_ENOSYS, "callback_op register type 99");
    reg.type = CALLBACKTYPE_event;
    reg.address = NON_CANONICAL;
    hostile_expect(HYPERVISOR_callback_op(CALLBACKOP_register, &reg),
                   -XEN_EINVAL, "callback_op register non-canonical event");
    reg.type = CALLBACKTYPE_failsafe;
    hostile_expect(HYPERVISOR_callback_op(CALLBACKOP_register, &reg),
                   -XEN_EINVAL, "callback_op register non-canonical failsafe");
    hostile_expect(HYPERVISOR_callback_op(CALLBACKOP_unregister, &unreg),
                   -XEN_EINVAL, "callback_op unregister event");
    unreg.type = 99;
    hostile_expect(HYPERVISOR_callback_op(CALLBACKOP_unregister, &unreg),
                   -XEN_ENOSYS, "callback_op unregister type 99");
    hostile_expect(HYPERVISOR_callback_op(99, &reg), -XEN_ENOSYS,
                   "callback_op cmd 99");
}

static void bad_vcpu_op(void)
{
    static const unsigned int bad_vcpus[] = {1, 31, 32, 99, 0xffffffffU};
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = FAR_FUTURE};
    struct vcpu_set_periodic_timer p = {.period_ns = 999999};
    struct vcpu_register_vcpu_info vi = {.mfn = pt_pfn_to_mfn(0)};
    long rc;

    rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
    if (!hostile_have(rc, "vcpu_op set_singleshot_timer"))
        return;
    hostile_control(rc == 0, rc, "vcpu_op singleshot timer far ahead");
    for (unsigned int i = 0; i < 5; i++) {
        hostile_expect(
            HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, bad_vcpus[i], &t),
            -XEN_ENOENT, "vcpu_op singleshot on vCPU %u", bad_vcpus[i]);
        hostile_expect(HYPERVISOR_vcpu_op(99, bad_vcpus[i], NULL), -XEN_ENOENT,
                       "vcpu_op cmd 99 on vCPU %u", bad_vcpus[i]);
    }
    hostile_expect(HYPERVISOR_vcpu_op(99, 0, NULL), -XEN_ENOSYS,
                   "vcpu_op cmd 99");
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++)
        hostile_expect(
            _hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                        hostile_bad_ptrs[i].addr),
            -XEN_EFAULT, "vcpu_op singleshot at %s", hostile_bad_ptrs[i].name);
    rc = HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
    if (hostile_have(rc, "vcpu_op set_periodic_timer")) {
        hostile_expect(rc, -XEN_EINVAL, "vcpu_op periodic timer of 999999 ns");
        hostile_expect(
            _hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, 0),
            -XEN_EFAULT, "vcpu_op periodic timer at NULL");
    }
    rc = _hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, 0);
    if (hostile_have(rc, "vcpu_op register_vcpu_info")) {
        hostile_expect(rc, -XEN_EFAULT, "register_vcpu_info at NULL");
        vi.offset = XEN_PAGE_SIZE - 8;
        hostile_expect(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi),
                       -XEN_ENXIO, "register_vcpu_info crossing a page");
        vi.offset = 3;
        hostile_expect(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi),
                       -XEN_ENXIO, "register_vcpu_info misaligned");
        vi.offset = 0;
        vi.mfn = pv.foreign_mfn;
        hostile_expect(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &vi),
                       -XEN_EINVAL, "register_vcpu_info on MFN max + 1000");
    }
}

static void bad_event_channel_op(void)
{
    static const uint32_t bad_ports[] = {4096, 1U << 20, 0xffffffffU};
    static const uint32_t bad_virqs[] = {NR_VIRQS, 99, 0xffffffffU};
    static const int port_cmds[] = {EVTCHNOP_unmask, EVTCHNOP_close};
    static const char *const port_names[] = {"unmask", "close"};
    struct evtchn_bind_virq bind = {.virq = VIRQ_TIMER, .vcpu = 0};
    struct evtchn_close cl;
    evtchn_port_t port;
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind);
    if (!hostile_have(rc, "event_channel_op bind_virq"))
        return;
    hostile_control(rc == 0 && bind.port != 0, rc, "bind_virq VIRQ_TIMER");
    port = bind.port;
    hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind),
                   -XEN_EEXIST, "bind_virq VIRQ_TIMER twice");
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        const struct bad_ptr *b = &hostile_bad_ptrs[i];

        hostile_expect(_hypercall2(__HYPERVISOR_event_channel_op,
                                   EVTCHNOP_bind_virq, b->addr),
                       -XEN_EFAULT, "bind_virq at %s", b->name);
        for (unsigned int c = 0; c < 2; c++)
            hostile_expect(_hypercall2(__HYPERVISOR_event_channel_op,
                                       port_cmds[c], b->addr),
                           -XEN_EFAULT, "evtchn %s at %s", port_names[c],
                           b->name);
    }
    for (unsigned int i = 0; i < 3; i++) {
        bind = (struct evtchn_bind_virq){.virq = bad_virqs[i]};
        hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind),
                       -XEN_EINVAL, "bind_virq virq %#x", bad_virqs[i]);
    }
    bind = (struct evtchn_bind_virq){.virq = VIRQ_DEBUG, .vcpu = 99};
    hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind),
                   -XEN_ENOENT, "bind_virq VIRQ_DEBUG on vCPU 99");
    bind = (struct evtchn_bind_virq){.virq = VIRQ_CONSOLE, .vcpu = 1};
    hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind),
                   -XEN_EINVAL, "bind_virq global VIRQ_CONSOLE on vCPU 1");
    for (unsigned int i = 0; i < 3; i++)
        for (unsigned int c = 0; c < 2; c++) {
            cl.port = bad_ports[i];
            hostile_expect(HYPERVISOR_event_channel_op(port_cmds[c], &cl),
                           -XEN_EINVAL, "evtchn %s port %#x", port_names[c],
                           bad_ports[i]);
        }
    cl.port = 0;
    hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl),
                   -XEN_EINVAL, "evtchn close of reserved port 0");
    hostile_expect(HYPERVISOR_event_channel_op(99, &cl), -XEN_ENOSYS,
                   "event_channel_op cmd 99");
    cl.port = port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
    hostile_control(rc == 0, rc, "close the VIRQ_TIMER port");
    hostile_expect(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl),
                   -XEN_EINVAL, "close it again");
}

static void bad_poll(void)
{
    static evtchn_port_t ports[1];
    struct sched_poll p = {.nr_ports = 0, .timeout = 1};
    long rc;

    rc = HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    if (!hostile_have(rc, "sched_op poll"))
        return;
    hostile_control(rc == 0, rc, "poll of no ports, timeout passed");
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        hostile_expect(_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll,
                                   hostile_bad_ptrs[i].addr),
                       -XEN_EFAULT, "poll argument at %s",
                       hostile_bad_ptrs[i].name);
        p = (struct sched_poll){.nr_ports = 1, .timeout = 1};
        p.ports = hostile_bad_ptrs[i].addr;
        hostile_expect(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EFAULT,
                       "poll ports at %s", hostile_bad_ptrs[i].name);
    }
    set_xen_guest_handle(p.ports, ports);
    p.nr_ports = SCHED_POLL_MAX_PORTS + 1;
    hostile_expect(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EINVAL,
                   "poll of 129 ports");
    p.nr_ports = 0xffffffffU;
    hostile_expect(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EINVAL,
                   "poll of 0xffffffff ports");
    p.nr_ports = 1;
    ports[0] = 4096;
    hostile_expect(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EINVAL,
                   "poll of port 4096");
    ports[0] = 0xffffffffU;
    hostile_expect(HYPERVISOR_sched_op(SCHEDOP_poll, &p), -XEN_EINVAL,
                   "poll of port 0xffffffff");
}

static void bad_set_segment_base(void)
{
    static const unsigned int bad_which[] = {4, 99, 0xffffffffU};
    static const char *const bases[] = {"FS", "GS_USER", "GS_KERNEL"};
    long rc;

    rc = HYPERVISOR_set_segment_base(bad_which[0], 0);
    if (!hostile_have(rc, "set_segment_base"))
        return;
    for (unsigned int i = 0; i < 3; i++)
        hostile_expect(i == 0 ? rc
                              : HYPERVISOR_set_segment_base(bad_which[i], 0),
                       -XEN_EINVAL, "set_segment_base which %#x", bad_which[i]);
    for (unsigned int i = 0; i < 3; i++)
        hostile_expect(
            HYPERVISOR_set_segment_base(SEGBASE_FS + i, NON_CANONICAL),
            -XEN_EINVAL, "set_segment_base %s non-canonical", bases[i]);
}

/* grant_table_op (common/grant_table.c): whole-call errors, then each
 * element's GNTST code. */
static long gnt_op(unsigned int cmd, void *uop, unsigned int count)
{
    return HYPERVISOR_grant_table_op(cmd, uop, count);
}

static void bad_grant_table_op(void)
{
    uint64_t mfn = (pv.spare_pte & PTE_ADDR_MASK) >> XEN_PAGE_SHIFT;
    struct gnttab_map_grant_ref map[2] = {{0}};
    struct gnttab_unmap_grant_ref unmap = {.handle = 0xffffffffU};
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_setup_table st = {.dom = DOMID_SELF};
    struct gnttab_swap_grant_ref sw = {.ref_a = 1, .ref_b = 0xffffffffU};
    struct gnttab_copy cp = {
        .source = {.u.gmfn = mfn, .domid = DOMID_SELF},
        .dest = {.u.gmfn = mfn, .domid = DOMID_SELF},
        .len = 1,
    };
    long rc;

    rc = gnt_op(GNTTABOP_query_size, &q, 1);
    if (!hostile_have(rc, "grant_table_op"))
        return;
    hostile_control(rc == 0 && q.status == GNTST_okay, rc, "query_size");
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        const struct bad_ptr *b = &hostile_bad_ptrs[i];
        static const unsigned int cmds[] = {
            GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref,
            GNTTABOP_setup_table, GNTTABOP_copy, GNTTABOP_query_size};

        for (unsigned int c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
            hostile_expect(
                _hypercall3(__HYPERVISOR_grant_table_op, cmds[c], b->addr, 1),
                -XEN_EFAULT, "grant_table_op %u at %s", cmds[c], b->name);
    }
    hostile_expect(gnt_op(GNTTABOP_map_grant_ref, map, 0x80000000U),
                   -XEN_EINVAL, "grant map count 0x80000000");
    hostile_expect(gnt_op(GNTTABOP_copy | 0x1000, &cp, 1), -XEN_EINVAL,
                   "grant copy with argument bits in cmd");
    hostile_expect(gnt_op(99, &cp, 1), -XEN_ENOSYS, "grant_table_op cmd 99");
    hostile_expect(
        gnt_op(GNTTABOP_map_grant_ref,
               (void *)(uintptr_t)(VENEER_GUEST_VA_LIMIT - sizeof(map[0])), 2),
        -XEN_EFAULT, "grant map array running into the stub region");
    hostile_expect(gnt_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL,
                   "setup_table count 2");
    st.nr_frames = 2;
    st.frame_list = VENEER_STUB_BASE;
    hostile_expect(gnt_op(GNTTABOP_setup_table, &st, 1), -XEN_EFAULT,
                   "setup_table frame_list in the stub region");
    st = (struct gnttab_setup_table){.dom = DOMID_SELF, .nr_frames = 65};
    rc = gnt_op(GNTTABOP_setup_table, &st, 1);
    hostile_expect(rc ? rc : st.status, GNTST_general_error,
                   "setup_table of 65 frames");
    map[0] = (struct gnttab_map_grant_ref){.host_addr = pv.spare_va,
                                           .flags = GNTMAP_host_map,
                                           .ref = 0xffffffffU,
                                           .dom = 1};
    rc = gnt_op(GNTTABOP_map_grant_ref, map, 1);
    hostile_expect(rc ? rc : map[0].status, ANY_NEGATIVE,
                   "grant map of ref 0xffffffff");
    map[0].dom = 0xffff;
    map[0].ref = 8;
    rc = gnt_op(GNTTABOP_map_grant_ref, map, 1);
    hostile_expect(rc ? rc : map[0].status, GNTST_bad_domain,
                   "grant map from domid 0xffff");
    rc = gnt_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
    hostile_expect(rc ? rc : unmap.status, GNTST_bad_handle,
                   "grant unmap of handle 0xffffffff");
    rc = gnt_op(GNTTABOP_swap_grant_ref, &sw, 1);
    hostile_expect(rc ? rc : sw.status, GNTST_bad_gntref,
                   "swap_grant_ref of ref 0xffffffff");
    cp.source.offset = 0xffff;
    rc = gnt_op(GNTTABOP_copy, &cp, 1);
    hostile_expect(rc ? rc : cp.status, GNTST_bad_copy_arg,
                   "grant copy from offset 0xffff");
    cp.source.offset = 0;
    cp.len = 0xffff;
    rc = gnt_op(GNTTABOP_copy, &cp, 1);
    hostile_expect(rc ? rc : cp.status, GNTST_bad_copy_arg,
                   "grant copy of 0xffff bytes");
    cp.len = 8;
    cp.dest.u.gmfn = pv.foreign_mfn;
    rc = gnt_op(GNTTABOP_copy, &cp, 1);
    hostile_expect(rc ? rc : cp.status, GNTST_bad_page,
                   "grant copy into MFN max + 1000");
    cp.dest.u.gmfn = pv.l4_mfn;
    rc = gnt_op(GNTTABOP_copy, &cp, 1);
    hostile_expect(rc ? rc : cp.status, GNTST_general_error,
                   "grant copy into the L4");
}

void hostile_pv_cases(const struct start_info *si)
{
    hostile_pv_setup(si);
    printf("hostile: spare page %#lx, foreign MFN %#lx\n",
           (unsigned long)pv.spare_va, (unsigned long)pv.foreign_mfn);
    bad_mmu_update();
    bad_mmuext_op();
    bad_update_va_mapping();
    bad_set_trap_table();
    bad_callback_op();
    bad_vcpu_op();
    bad_event_channel_op();
    bad_poll();
    bad_set_segment_base();
    bad_grant_table_op();
}
