/* SPDX-License-Identifier: MIT */
/*
 * uplib: shared_info mapping, the event callback and its entry code,
 * pvclock and wallclock reads for the upcall_probe and idle_block guests
 * (see uplib.h). The upcall handler follows XEN-ABI-FACTS §4.4; the entry
 * code consumes Xen's bounce frame (rcx, r11, rip, cs, rflags, rsp, ss
 * from the lowest address) and leaves through the iret hypercall.
 */
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/pagetable.h>

#include "uplib.h"

volatile struct vcpu_info *up_vi;
volatile struct shared_info *up_si;
volatile struct up_stats up_stats;
uint32_t up_timer_port;

/* Leaf PTE bits for shared_info: present, writable, accessed, dirty
 * (and user, as the builder's own mappings carry). */
#define UP_PTE_FLAGS 0x67ull

void up_upcall_c(void);

/*
 * The event callback. Entered with rsp at the bounce frame: take rcx and
 * r11 back, save the other caller-saved registers, run the C handler,
 * then return with the iret hypercall: push its flags word (0) and jump
 * to the iret slot, which pushes rcx, r11 and rax itself.
 */
__asm__(".text\n"
        ".globl up_upcall_entry\n"
        "up_upcall_entry:\n"
        "    movq (%rsp), %rcx\n"
        "    movq 8(%rsp), %r11\n"
        "    addq $16, %rsp\n"
        "    pushq %rax\n"
        "    pushq %rcx\n"
        "    pushq %rdx\n"
        "    pushq %rsi\n"
        "    pushq %rdi\n"
        "    pushq %r8\n"
        "    pushq %r9\n"
        "    pushq %r10\n"
        "    pushq %r11\n"
        "    call up_upcall_c\n"
        "    popq %r11\n"
        "    popq %r10\n"
        "    popq %r9\n"
        "    popq %r8\n"
        "    popq %rdi\n"
        "    popq %rsi\n"
        "    popq %rdx\n"
        "    popq %rcx\n"
        "    popq %rax\n"
        "    pushq $0\n"
        "    jmp hypercall_page + 23 * 32\n");
extern char up_upcall_entry[];

long up_hypercall(unsigned long nr, unsigned long a1, unsigned long a2,
                  unsigned long a3)
{
    return _hypercall3(nr, a1, a2, a3);
}

static inline uint64_t up_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t up_now(void)
{
    volatile struct vcpu_time_info *t = &up_vi->time;
    uint64_t stamp, sys, tsc, delta;
    uint32_t ver, mul;
    int8_t shift;

    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        stamp = t->tsc_timestamp;
        sys = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = up_rdtsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((ver & 1) || ver != t->version);
    delta = tsc > stamp ? tsc - stamp : 0;
    delta = shift < 0 ? delta >> -shift : delta << shift;
    return sys + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

void up_wallclock(uint64_t *sec, uint32_t *nsec)
{
    uint32_t ver, wns;
    uint64_t wsec, ns;

    do {
        ver = up_si->wc_version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        wsec = ((uint64_t)up_si->wc_sec_hi << 32) | up_si->wc_sec;
        wns = up_si->wc_nsec;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((ver & 1) || ver != up_si->wc_version);
    ns = up_now() + wns;
    *sec = wsec + ns / 1000000000ull;
    *nsec = (uint32_t)(ns % 1000000000ull);
}

/* XEN-ABI-FACTS §4.4: clear upcall_pending, take the selector, scan. */
void up_upcall_c(void)
{
    up_stats.last_entry_ns = up_now();
    up_stats.upcalls++;
    do {
        uint64_t sel;

        __atomic_store_n(&up_vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&up_vi->evtchn_pending_sel, 0,
                                  __ATOMIC_SEQ_CST);
        up_stats.last_sel = sel;
        while (sel) {
            unsigned int i = (unsigned int)__builtin_ctzll(sel);
            uint64_t bits = up_si->evtchn_pending[i] & ~up_si->evtchn_mask[i];

            sel &= sel - 1;
            while (bits) {
                unsigned int j = (unsigned int)__builtin_ctzll(bits);
                uint32_t port = i * 64 + j;

                bits &= bits - 1;
                __atomic_fetch_and(&up_si->evtchn_pending[i], ~(1ull << j),
                                   __ATOMIC_SEQ_CST);
                if (port == up_timer_port)
                    up_stats.timer_events++;
            }
        }
    } while (__atomic_load_n(&up_vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

void up_mask(void)
{
    __atomic_store_n(&up_vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
}

void up_unmask(void)
{
    __atomic_store_n(&up_vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    /* A pending event raised no upcall while masked: any hypercall
     * delivers it on the way back (Xen's force_evtchn_callback). */
    if (__atomic_load_n(&up_vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
        up_hypercall(__HYPERVISOR_xen_version, 0, 0, 0);
}

uint64_t up_mfn_of(struct start_info *si, const void *p)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)si->mfn_list;
    uint64_t pfn = ((uint64_t)(uintptr_t)p - runtime_virt_base()) >> 12;

    return p2m[pfn];
}

/* Map shared_info one page into the padding after the bootstrap stack. */
static int up_map_shared_info(struct start_info *si)
{
    uint64_t va = si->pt_base + (si->nr_pt_frames + 8) * 4096;
    struct pt_walk w;
    long rc;

    if (pt_walk(va, &w) != 0) {
        printf("uplib: no L1 table covers %#lx\n", (unsigned long)va);
        return -1;
    }
    rc =
        up_hypercall(__HYPERVISOR_update_va_mapping, va,
                     (si->shared_info & ~0xfffull) | UP_PTE_FLAGS, UVMF_INVLPG);
    if (rc != 0) {
        printf("uplib: update_va_mapping(shared_info) -> %ld\n", rc);
        return -1;
    }
    up_si = (volatile struct shared_info *)(uintptr_t)va;
    up_vi = &up_si->vcpu_info[0];
    return 0;
}

int up_init(struct start_info *si)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (uint64_t)(uintptr_t)up_upcall_entry,
    };
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    long rc;

    if (up_map_shared_info(si) < 0)
        return -1;
    rc = up_hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register,
                      (unsigned long)&cb, 0);
    if (rc == 0)
        rc = up_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq,
                          (unsigned long)&b, 0);
    if (rc != 0) {
        printf("uplib: callback_op/bind_virq -> %ld\n", rc);
        return -1;
    }
    up_timer_port = b.port;
    return 0;
}
