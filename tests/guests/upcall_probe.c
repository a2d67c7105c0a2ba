/* SPDX-License-Identifier: MIT */
/*
 * upcall_probe: veneerd's upcall, timer and blocking paths against Xen's
 * semantics, through libpvfront's event callback, and their latency.
 *
 * Checks, in order:
 *  1. Xen's default 100 Hz periodic tick reaches a blocked vCPU (about 5
 *     events in 55 ms; 2 to 7 allowed, as ticks merge under host load),
 *     and VCPUOP_stop_periodic_timer stops it.
 *  2. A running vCPU (upcalls unmasked, spinning) is interrupted for a
 *     timer event (the kick path): upcall latency deadline -> callback.
 *  3. A blocked vCPU wakes for its timer: latency deadline -> callback.
 *  4. VCPUOP_register_vcpu_info (with upcalls masked, as a guest must):
 *     the old contents are copied, evtchn_pending_sel is all ones, one
 *     spurious upcall follows the unmask, and events arrive there after.
 *  5. Argument checks: -EBUSY, -EINVAL, -ENOENT, -EEXIST and friends.
 *  6. set_segment_base(FS) shows in rdfsbase; a software `int $0x81`
 *     reaches its set_trap_table gate with rip after the instruction.
 *  7. Mini-OS's fast return, a native iretq to Xen's flat selectors
 *     (0xe033, 0xe02b), lands where the frame says.
 *
 * Prints "upcall_probe: ok ..." per check, the latency lines
 * "upcall_probe: latency <path> min/median/max <a>/<b>/<c> us", and
 * "upcall_probe: SUCCESS" (poweroff) or "upcall_probe: ABORT" (crash).
 */
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/time.h>

#define US        1000ull
#define MS        1000000ull
#define ROUNDS    15
#define AHEAD_NS  (3 * MS)
#define GIVEUP_NS (500 * MS)

static unsigned int failures;

/* What the probe's upcall wrapper and timer handler see (upcalls are
 * counted by libpvfront: evtchn_stats.upcalls). */
static volatile struct {
    uint64_t timer_events;  /* times the VIRQ_TIMER port was found pending */
    uint64_t last_entry_ns; /* pvclock time at the last upcall's entry */
    uint64_t last_sel;      /* the selector pending at that entry */
} probe;
static evtchn_port_t probe_timer_port;

static uint64_t upcalls(void)
{
    return __atomic_load_n(&evtchn_stats.upcalls, __ATOMIC_SEQ_CST);
}

/* The event callback: note when it ran and what it found, then
 * libpvfront's handler (XEN-ABI-FACTS §4.4). Bits are only ever added to
 * the selector until the handler takes it, so a selector of all ones at
 * entry is what the handler takes. */
static void probe_upcall(struct trap_frame *f)
{
    probe.last_entry_ns = time_now_ns();
    probe.last_sel =
        __atomic_load_n(&shinfo_vcpu()->evtchn_pending_sel, __ATOMIC_SEQ_CST);
    evtchn_do_upcall(f);
}

static void probe_timer_event(evtchn_port_t port, struct trap_frame *f,
                              void *data)
{
    (void)port;
    (void)f;
    (void)data;
    probe.timer_events++;
}

/*
 * The event callback (libpvfront's, wrapped) and VIRQ_TIMER bound on
 * vCPU 0. Xen's default periodic timer is left running: check 1 wants
 * it. Returns 0, or prints why and returns -1.
 */
static int probe_init(void)
{
    int rc = evtchn_init();

    if (rc == 0) {
        trap_set_upcall(probe_upcall);
        rc = evtchn_bind_virq(VIRQ_TIMER, probe_timer_event, NULL,
                              &probe_timer_port);
    }
    if (rc != 0) {
        printf("upcall_probe: evtchn_init/bind_virq -> %d\n", rc);
        return -1;
    }
    return 0;
}

static void check(int ok, const char *what, long got)
{
    printf("upcall_probe: %s %s (%ld)\n", ok ? "ok" : "FAIL", what, got);
    if (!ok)
        failures++;
}

static void sort(uint64_t *a, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && a[j - 1] > a[j]; j--) {
            uint64_t t = a[j];
            a[j] = a[j - 1];
            a[j - 1] = t;
        }
}

static void report(const char *path, uint64_t *lat, unsigned int n)
{
    sort(lat, n);
    printf("upcall_probe: latency %s min/median/max %llu/%llu/%llu us\n", path,
           (unsigned long long)(lat[0] / US),
           (unsigned long long)(lat[n / 2] / US),
           (unsigned long long)(lat[n - 1] / US));
}

static long set_timer(uint64_t deadline)
{
    return HYPERVISOR_set_timer_op(deadline);
}

static long block(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

/* 1. Ticks while blocked for 55 ms with the default periodic timer. */
static void check_default_tick(void)
{
    uint64_t t0 = time_now_ns(), ev0 = probe.timer_events;
    long rc = 0;

    evtchn_upcalls_mask();
    while (rc == 0 && time_now_ns() - t0 < 55 * MS) {
        rc = block();
        evtchn_upcalls_mask();
    }
    evtchn_upcalls_unmask();
    check(rc == 0 && probe.timer_events - ev0 >= 2 &&
              probe.timer_events - ev0 <= 7,
          "Xen's default 100 Hz tick: timer events in 55 ms",
          (long)(probe.timer_events - ev0));
    rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    ev0 = probe.timer_events;
    t0 = time_now_ns();
    while (time_now_ns() - t0 < 30 * MS)
        ;
    check(rc == 0 && probe.timer_events == ev0,
          "stop_periodic_timer: no tick in 30 ms", (long)rc);
}

/* 2. Spin with upcalls enabled; the timer's event must interrupt us. */
static void check_running_kick(void)
{
    uint64_t lat[ROUNDS];
    unsigned int got = 0;

    evtchn_upcalls_unmask();
    for (unsigned int i = 0; i < ROUNDS; i++) {
        uint64_t up0 = upcalls(), deadline = time_now_ns() + AHEAD_NS;

        set_timer(deadline);
        while (upcalls() == up0 && time_now_ns() < deadline + GIVEUP_NS)
            __asm__ volatile("pause");
        if (upcalls() == up0)
            break;
        lat[got++] = probe.last_entry_ns - deadline;
    }
    check(got == ROUNDS, "a spinning vCPU is interrupted by its timer (kick)",
          (long)got);
    if (got)
        report("timer->callback, vCPU running (kick)", lat, got);
}

/* 3. Block; the timer's event must wake us and arrive as an upcall. */
static void check_blocked_wake(void)
{
    uint64_t lat[ROUNDS];
    unsigned int got = 0;

    for (unsigned int i = 0; i < ROUNDS; i++) {
        uint64_t ev0 = probe.timer_events, deadline = time_now_ns() + AHEAD_NS;
        long rc;

        evtchn_upcalls_mask();
        rc = set_timer(deadline);
        while (rc == 0 && probe.timer_events == ev0)
            rc = block();
        evtchn_upcalls_unmask();
        if (rc != 0 || probe.last_entry_ns < deadline)
            break;
        lat[got++] = probe.last_entry_ns - deadline;
    }
    check(got == ROUNDS, "a blocked vCPU wakes for its timer, never early",
          (long)got);
    if (got)
        report("timer->callback, vCPU blocked", lat, got);
}

static uint8_t vinfo_page[4096] __attribute__((aligned(4096)));

/* VCPUOP_register_vcpu_info at vinfo_page + offset; libpvfront uses the
 * new place from then on. */
static long register_vcpu_info(uint32_t offset)
{
    return shinfo_register_vcpu_info((uintptr_t)vinfo_page + offset);
}

/* 4. Move vcpu_info into our own page. */
static void check_register_vcpu_info(void)
{
    volatile struct vcpu_info *nv =
        (volatile struct vcpu_info *)(vinfo_page + 192);
    uint64_t up0, ev0, deadline;
    long rc;

    evtchn_upcalls_mask();
    shinfo_vcpu()->arch.cr2 = 0x5eed;
    rc = register_vcpu_info(192);
    check(rc == 0, "register_vcpu_info", rc);
    check(nv->arch.cr2 == 0x5eed && nv->evtchn_upcall_mask == 1,
          "old contents copied (cr2, mask)", (long)nv->arch.cr2);
    check(nv->evtchn_pending_sel == ~0ull && nv->evtchn_upcall_pending == 1,
          "pending_sel all ones, upcall pending",
          (long)nv->evtchn_upcall_pending);
    check(nv->time.tsc_to_system_mul != 0 && !(nv->time.version & 1),
          "time info there", (long)nv->time.version);
    up0 = upcalls();
    evtchn_upcalls_unmask();
    check(upcalls() == up0 + 1 && probe.last_sel == ~0ull,
          "one spurious upcall, selector all ones", (long)(upcalls() - up0));
    ev0 = probe.timer_events;
    deadline = time_now_ns() + AHEAD_NS;
    evtchn_upcalls_mask();
    rc = set_timer(deadline);
    while (rc == 0 && probe.timer_events == ev0)
        rc = block();
    evtchn_upcalls_unmask();
    check(rc == 0 && probe.timer_events == ev0 + 1,
          "timer events arrive at the new vcpu_info", rc);
    check(register_vcpu_info(0) == -XEN_EBUSY, "a second time: -EBUSY",
          register_vcpu_info(0));
}

/* 5. Xen's error codes. */
static void check_errors(void)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    struct sched_poll p = {.nr_ports = 129};
    uint16_t unreg[2] = {0 /* CALLBACKTYPE_event */, 0};
    long rc;

    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
    check(rc == -XEN_EEXIST, "bind VIRQ_TIMER twice: -EEXIST", rc);
    rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL);
    check(rc == 1, "VCPUOP_is_up(0) = 1", rc);
    rc = HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL);
    check(rc == -XEN_ENOENT, "VCPUOP_is_up(1): -ENOENT", rc);
    rc = HYPERVISOR_callback_op(CALLBACKOP_unregister, unreg);
    check(rc == -XEN_EINVAL, "unregister the event callback: -EINVAL", rc);
    rc = HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    check(rc == -XEN_EINVAL, "poll 129 ports: -EINVAL", rc);
    rc = HYPERVISOR_set_segment_base(SEGBASE_FS, 0x800000000000ull);
    check(rc == -XEN_EINVAL, "non-canonical FS base: -EINVAL", rc);
}

static volatile uint64_t softint_rip;
void up_softint_c(uint64_t *frame);
void up_softint_c(uint64_t *frame)
{
    softint_rip = frame[0]; /* rip, after rcx and r11 were taken */
}

/* The `int $0x81` gate: same frame as the event callback. */
__asm__(".text\n"
        ".globl up_softint_entry\n"
        "up_softint_entry:\n"
        "    movq (%rsp), %rcx\n"
        "    movq 8(%rsp), %r11\n"
        "    addq $16, %rsp\n"
        "    pushq %rax\n"
        "    pushq %rdi\n"
        "    leaq 16(%rsp), %rdi\n"
        "    call up_softint_c\n"
        "    popq %rdi\n"
        "    popq %rax\n"
        "    pushq $0\n"
        "    jmp hypercall_page + 23 * 32\n");
extern char up_softint_entry[];

/* 6. FS base and a software interrupt through the virtual IDT. */
static void check_segbase_and_softint(void)
{
    struct trap_info t[2] = {
        {.vector = 0x81,
         .flags = 3,
         .cs = FLAT_KERNEL_CS,
         .address = (uint64_t)(uintptr_t)up_softint_entry},
        {0},
    };
    uint64_t fs = 0, after;
    long rc;

    rc = HYPERVISOR_set_segment_base(SEGBASE_FS, 0x12345000);
    __asm__ volatile("rdfsbase %0" : "=r"(fs));
    check(rc == 0 && fs == 0x12345000, "set_segment_base(FS) shows in rdfsbase",
          (long)fs);
    __asm__ volatile("wrfsbase %0" : : "r"(0ull));
    rc = HYPERVISOR_set_trap_table(t);
    __asm__ volatile("int $0x81\n"
                     "1: leaq 1b(%%rip), %0"
                     : "=r"(after)
                     :
                     : "memory");
    check(rc == 0 && softint_rip == after,
          "int $0x81 reaches its gate, rip after the instruction",
          (long)(softint_rip - after));
}

/* 7. iretq with FLAT_KERNEL_CS/SS, as Mini-OS's HYPERVISOR_IRET does. */
static void check_native_iretq(void)
{
    uint64_t reached = 0, sp0, sp1;

    __asm__ volatile("movq %%rsp, %1\n"
                     "movq %%rsp, %%rax\n"
                     "pushq $0xe02b\n"
                     "pushq %%rax\n"
                     "pushfq\n"
                     "pushq $0xe033\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "iretq\n"
                     "1: movq $1, %0\n"
                     "movq %%rsp, %2\n"
                     : "=r"(reached), "=r"(sp0), "=r"(sp1)
                     :
                     : "rax", "memory", "cc");
    check(reached == 1 && sp0 == sp1,
          "native iretq to FLAT_KERNEL_CS/SS returns to its frame",
          (long)(sp1 - sp0));
}

int guest_main(struct start_info *si)
{
    (void)si;
    if (probe_init() < 0)
        return 1;
    printf("upcall_probe: VIRQ_TIMER on port %u\n", probe_timer_port);
    check_default_tick();
    check_running_kick();
    check_blocked_wake();
    check_register_vcpu_info();
    check_errors();
    check_segbase_and_softint();
    check_native_iretq();
    if (failures) {
        printf("upcall_probe: ABORT (%u failed)\n", failures);
        return 1;
    }
    printf("upcall_probe: SUCCESS\n");
    return 0;
}
