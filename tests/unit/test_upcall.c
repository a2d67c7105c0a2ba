/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for entering and leaving the guest: Xen's bounce frame
 * (bounce_x86.c), the rebuilt page-fault error code (trap_x86.c), event
 * upcalls and register_vcpu_info (upcall.c), callbacks and iret
 * (hc_callback.c), the forced-emulation CPUID leaves (cpuid_x86.c) and
 * the native iretq to Xen's flat selectors (emul_x86.c).
 */
#include <criterion/criterion.h>
#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

static struct stub_regs sample_regs(void)
{
    return (struct stub_regs){
        .rax = 0xa,
        .rcx = 0xc,
        .r11 = 0x11,
        .rip = 0x401234,
        .rsp = 0x7ff018,
        .rflags = 0x246 | X86_EFLAGS_TF | X86_EFLAGS_AC | X86_EFLAGS_IOPL,
    };
}

Test(bounce, event_frame_layout)
{
    struct stub_regs r = sample_regs();
    struct bounce_frame f;

    cr_assert_eq(bounce_build(&r, 0, 0x400100, BOUNCE_INTERRUPT, 0, &f), 0);
    cr_assert_eq(f.nr_words, 7);
    cr_assert_eq(f.va, 0x7ff010 - 7 * 8, "16-byte aligned, then below");
    cr_assert_eq(f.w[0], 0xc);      /* rcx */
    cr_assert_eq(f.w[1], 0x11);     /* r11 */
    cr_assert_eq(f.w[2], 0x401234); /* rip */
    cr_assert_eq(f.w[3], 0xe030, "kernel cs, RPL 0, mask 0");
    cr_assert_eq(f.w[4], (0x246 | X86_EFLAGS_TF | X86_EFLAGS_AC),
                 "IF from the mask (clear), IOPL dropped");
    cr_assert_eq(f.w[5], 0x7ff018); /* rsp */
    cr_assert_eq(f.w[6], FLAT_KERNEL_SS);
    cr_assert_eq(r.rip, 0x400100);
    cr_assert_eq(r.rsp, f.va);
    cr_assert_eq(r.rflags, 0x246 | X86_EFLAGS_IOPL, "TF and AC cleared");
    cr_assert_eq(r.rax, 0xa, "other registers are left alone");
}

Test(bounce, exception_frame_with_error_code_and_mask)
{
    struct stub_regs r = sample_regs();
    struct bounce_frame f;

    r.rflags = 0x202;
    cr_assert_eq(bounce_build(&r, 1, 0x400200, BOUNCE_ERRCODE, 0x13, &f), 0);
    cr_assert_eq(f.nr_words, 8);
    cr_assert_eq(f.va, 0x7ff010 - 8 * 8);
    cr_assert_eq(f.w[2], 0x13, "error code between r11 and rip");
    cr_assert_eq(f.w[3], 0x401234);
    cr_assert_eq(f.w[4], 0xe030 | (1ull << 32), "saved mask in bits 32+");
    cr_assert_eq(f.w[5], 0x002, "mask set: IF clear in the frame");
}

Test(bounce, frame_below_address_zero_is_refused)
{
    struct stub_regs r = sample_regs();
    struct bounce_frame f;

    r.rsp = 0x30;
    cr_assert_eq(bounce_build(&r, 0, 0x400100, 0, 0, &f), -EFAULT);
    cr_assert_eq(r.rip, 0x401234, "registers untouched on failure");
}

Test(trap, page_fault_error_code_follows_the_guest_tables)
{
    /* Host: user-mode write to a page it has not mapped. */
    cr_assert_eq(trap_pf_error_code(0x6, false), 0x2);
    /* Host: not present, but the guest maps it (read-only): P set. */
    cr_assert_eq(trap_pf_error_code(0x6, true), 0x3);
    /* Instruction fetch from a no-execute page the guest maps. */
    cr_assert_eq(trap_pf_error_code(0x15, true), 0x11);
    /* A read of nothing: 0. The user bit never shows (kernel mode). */
    cr_assert_eq(trap_pf_error_code(0x4, false), 0);
    cr_assert_eq(trap_pf_error_code(0xffff, false) & 0x4, 0);
}

Test(cpuid, xen_leaves)
{
    struct cpuid_regs r;

    cpuid_leaf(0x40000000, 0, &r);
    cr_assert_eq(r.eax, 0x40000005);
    cr_assert_eq(r.ebx, XEN_CPUID_SIGNATURE_EBX);
    cr_assert_eq(r.ecx, XEN_CPUID_SIGNATURE_ECX);
    cr_assert_eq(r.edx, XEN_CPUID_SIGNATURE_EDX);
    cpuid_leaf(0x40000001, 0, &r);
    cr_assert_eq(r.eax, (VN_XEN_MAJOR << 16) | VN_XEN_MINOR);
    cpuid_leaf(0x40000002, 0, &r);
    cr_assert_eq(r.eax, 1);
    cr_assert_eq(r.ebx, 0x40000000);
    cpuid_leaf(0x40000003, 0, &r);
    cr_assert_eq(r.ecx, (uint32_t)time_tsc_khz());
    cpuid_leaf(0x40000003, 1, &r);
    cr_assert_eq(r.ecx, time_host_scale()->mul);
    cr_assert_eq((int8_t)r.edx, time_host_scale()->shift);
    cpuid_leaf(0x40000004, 0, &r);
    cr_assert_eq(r.eax | r.ebx | r.ecx | r.edx, 0, "HVM only");
    cpuid_leaf(0x40000005, 0, &r);
    cr_assert_eq(r.ebx, 52);
    cpuid_leaf(0x40000100, 0, &r);
    cr_assert_eq(r.eax | r.ebx | r.ecx | r.edx, 0, "no host hypervisor");
}

Test(cpuid, other_leaves_are_the_hosts_with_the_hypervisor_bit)
{
    struct cpuid_regs r;
    unsigned int a, b, c, dx;

    cpuid_leaf(0, 0, &r);
    __cpuid_count(0, 0, a, b, c, dx);
    cr_assert(r.eax == a && r.ebx == b && r.ecx == c && r.edx == dx);
    cpuid_leaf(1, 0, &r);
    cr_assert(r.ecx & (1u << 31));
}

/* ---- on a built domain ---- */

static struct fixture f;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    d = fixture_domain(&f, 0x400000ull, 1024, "");
    v = &d->vcpus[0];
    time_domain_start(d);
    v->regs = sample_regs();
    v->regs.rsp = d->stack_top - 8;
    v->regs.rip = 0x400000 + 0x1000;
}

static void teardown(void)
{
    domain_destroy(d);
    d = NULL;
}

TestSuite(upcall, .init = setup, .fini = teardown);

Test(upcall, nothing_happens_while_masked_or_idle)
{
    struct stub_regs before = v->regs;

    v->pv.event_callback = 0x400800;
    upcall_on_resume(v);
    cr_assert(!v->regs_dirty, "nothing pending");
    upcall_vcpu_info(v)->evtchn_upcall_pending = 1;
    upcall_vcpu_info(v)->evtchn_upcall_mask = 1; /* as the builder left it */
    upcall_on_resume(v);
    cr_assert(!v->regs_dirty, "masked");
    cr_assert_eq(memcmp(&before, &v->regs, sizeof(before)), 0);
}

Test(upcall, delivery_pushes_the_frame_and_masks)
{
    struct vcpu_info *vi = upcall_vcpu_info(v);
    uint64_t frame[7];
    gva_t sp = (d->stack_top - 8) & ~0xfull;

    v->pv.event_callback = 0x400800;
    vi->evtchn_upcall_mask = 0;
    vi->evtchn_upcall_pending = 1;
    upcall_on_resume(v);
    cr_assert(v->regs_dirty);
    cr_assert_eq(v->regs.rip, 0x400800);
    cr_assert_eq(v->regs.rsp, sp - sizeof(frame));
    cr_assert_eq(vi->evtchn_upcall_mask, 1);
    cr_assert_eq(gmem_copy_from(v, frame, v->regs.rsp, sizeof(frame)), 0);
    cr_assert_eq(frame[2], 0x401000);
    cr_assert_eq(frame[4] & X86_EFLAGS_IF, X86_EFLAGS_IF, "was unmasked");
    cr_assert_eq(frame[5], d->stack_top - 8);
    cr_assert_eq(v->nr_upcalls, 1);
}

Test(upcall, no_callback_crashes_the_domain)
{
    upcall_vcpu_info(v)->evtchn_upcall_mask = 0;
    upcall_vcpu_info(v)->evtchn_upcall_pending = 1;
    upcall_on_resume(v);
    cr_assert(domain_is_stopping(d));
    cr_assert_eq(d->shutdown_reason, SHUTDOWN_crash);
}

Test(upcall, unwritable_stack_crashes_the_domain)
{
    v->pv.event_callback = 0x400800;
    v->regs.rsp = 0x1000; /* nothing mapped there */
    upcall_vcpu_info(v)->evtchn_upcall_mask = 0;
    upcall_vcpu_info(v)->evtchn_upcall_pending = 1;
    upcall_on_resume(v);
    cr_assert(domain_is_stopping(d));
    cr_assert_eq(v->regs.rip, 0x401000, "no half-made entry");
}

Test(upcall, iret_returns_to_the_frame)
{
    struct vcpu_info *vi = upcall_vcpu_info(v);
    struct iret_context ic = {
        .rax = 0x1234,
        .r11 = 0x111,
        .rcx = 0x222,
        .flags = 0,
        .rip = 0x402000,
        .cs = 0xe030,
        .rflags = 0x202 | X86_EFLAGS_IOPL,
        .rsp = 0x5000,
        .ss = FLAT_KERNEL_SS,
    };
    uint64_t a[5] = {0};

    v->regs.rsp = d->stack_top - sizeof(ic);
    cr_assert_eq(gmem_copy_to(v, v->regs.rsp, &ic, sizeof(ic)), 0);
    vi->evtchn_upcall_mask = 1;
    cr_assert_eq(hc_iret(v, a), 0x1234);
    cr_assert_eq(v->regs.rip, 0x402000);
    cr_assert_eq(v->regs.rsp, 0x5000);
    cr_assert_eq(v->regs.rcx, 0x222);
    cr_assert_eq(v->regs.r11, 0x111);
    cr_assert_eq(v->regs.rflags, 0x202, "IOPL dropped, IF kept");
    cr_assert_eq(vi->evtchn_upcall_mask, 0, "IF set: unmasked");
    /* In-syscall frames keep rcx/r11; IF clear masks. */
    ic.flags = VGCF_in_syscall;
    ic.rflags = 0x2;
    v->regs.rsp = d->stack_top - sizeof(ic);
    v->regs.rcx = 0x999;
    cr_assert_eq(gmem_copy_to(v, v->regs.rsp, &ic, sizeof(ic)), 0);
    hc_iret(v, a);
    cr_assert_eq(v->regs.rcx, 0x999);
    cr_assert_eq(v->regs.rflags, 0x202, "IF always set in the real flags");
    cr_assert_eq(vi->evtchn_upcall_mask, 1);
    cr_assert(!domain_is_stopping(d));
}

Test(upcall, iret_to_user_mode_or_from_nowhere_crashes)
{
    struct iret_context ic = {.rip = 0x402000, .cs = 0xe033};
    uint64_t a[5] = {0};

    v->regs.rsp = d->stack_top - sizeof(ic);
    cr_assert_eq(gmem_copy_to(v, v->regs.rsp, &ic, sizeof(ic)), 0);
    hc_iret(v, a);
    cr_assert(domain_is_stopping(d), "RPL 3: user mode, no user tables");
}

Test(upcall, callbacks_register_like_xen)
{
    struct callback_register r = {.type = CALLBACKTYPE_event,
                                  .address = 0x400900};
    struct callback_unregister u = {.type = CALLBACKTYPE_event};
    gva_t arg = d->stack_top - 64;
    uint64_t a[5] = {CALLBACKOP_register, arg};

    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    cr_assert_eq(hc_callback_op(v, a), 0);
    cr_assert_eq(v->pv.event_callback, 0x400900);
    r.address = 0x0000800000000000ull; /* non-canonical */
    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    cr_assert_eq(hc_callback_op(v, a), -XEN_EINVAL);
    r = (struct callback_register){.type = 3, .address = 1};
    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    cr_assert_eq(hc_callback_op(v, a), -XEN_ENOSYS, "deprecated type");
    a[0] = CALLBACKOP_unregister;
    cr_assert_eq(gmem_copy_to(v, arg, &u, sizeof(u)), 0);
    cr_assert_eq(hc_callback_op(v, a), -XEN_EINVAL);
    u.type = CALLBACKTYPE_nmi;
    cr_assert_eq(gmem_copy_to(v, arg, &u, sizeof(u)), 0);
    cr_assert_eq(hc_callback_op(v, a), 0);
    a[0] = 7;
    cr_assert_eq(hc_callback_op(v, a), -XEN_ENOSYS);
    a[0] = 0x400a00, a[1] = 0x400b00, a[2] = 0x400c00;
    cr_assert_eq(hc_set_callbacks(v, a), 0);
    cr_assert_eq(v->pv.event_callback, 0x400a00);
    cr_assert_eq(v->pv.failsafe_callback, 0x400b00);
    cr_assert_eq(v->pv.syscall_callback, 0x400c00);
}

/* VCPUOP_register_vcpu_info through the hypercall. */
static int64_t register_vcpu_info(uint64_t mfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info r = {.mfn = mfn, .offset = offset};
    gva_t arg = d->stack_top - 64;
    uint64_t a[5] = {VCPUOP_register_vcpu_info, 0, arg};

    cr_assert_eq(gmem_copy_to(v, arg, &r, sizeof(r)), 0);
    return hc_vcpu_op(v, a);
}

Test(upcall, register_vcpu_info_moves_copies_and_raises_a_spurious_upcall)
{
    struct vcpu_info *old = upcall_vcpu_info(v), *vi;
    uint64_t pfn = (d->stack_top + 0x10000 - 0x400000) >> 12;
    uint64_t mfn = frames_mfn(d, pfn); /* the builder maps pfn 1:1 */

    old->arch.cr2 = 0xcafe;
    cr_assert_eq(register_vcpu_info(mfn, 4096), -XEN_EINVAL);
    cr_assert_eq(register_vcpu_info(mfn, 4), -XEN_ENXIO, "misaligned");
    cr_assert_eq(register_vcpu_info(mfn, 4096 - 32), -XEN_ENXIO, "crosses");
    cr_assert_eq(register_vcpu_info(d->mfn_base + d->nr_slots, 0), -XEN_EINVAL,
                 "not the domain's");
    cr_assert_eq(register_vcpu_info(frames_mfn(d, d->shared_info_slot), 0),
                 -XEN_EINVAL, "shared_info is not RAM");
    cr_assert_eq(register_vcpu_info(mfn, 128), 0);
    vi = upcall_vcpu_info(v);
    cr_assert_eq((uint8_t *)vi, domain_slot_ptr(d, pfn) + 128);
    cr_assert_eq(vi->arch.cr2, 0xcafe, "old contents copied");
    cr_assert_eq(vi->evtchn_pending_sel, ~0ull);
    cr_assert_eq(vi->evtchn_upcall_pending, 1);
    cr_assert_eq(vi->evtchn_upcall_mask, 1, "mask copied too");
    cr_assert_eq(vi->time.version % 2, 0);
    cr_assert_neq(vi->time.tsc_to_system_mul, 0, "time refreshed");
    cr_assert_eq(register_vcpu_info(mfn, 0), -XEN_EBUSY);
}

Test(upcall, vcpu_op_basics)
{
    uint64_t a[5] = {VCPUOP_is_up, 0};

    cr_assert_eq(hc_vcpu_op(v, a), 1);
    a[1] = 1;
    cr_assert_eq(hc_vcpu_op(v, a), -XEN_ENOENT);
    a[1] = 0x100000000ull; /* vcpuid is a 32-bit int, as in Xen */
    cr_assert_eq(hc_vcpu_op(v, a), 1);
    a[1] = 0;
    a[0] = VCPUOP_initialise;
    cr_assert_eq(hc_vcpu_op(v, a), -XEN_EEXIST);
    a[0] = VCPUOP_get_physid;
    cr_assert_eq(hc_vcpu_op(v, a), -XEN_EINVAL);
    a[0] = 99;
    cr_assert_eq(hc_vcpu_op(v, a), -XEN_ENOSYS);
    a[0] = VCPUOP_stop_periodic_timer;
    cr_assert_eq(hc_vcpu_op(v, a), 0);
    cr_assert_eq(v->periodic_period, 0);
}

/* A #GP on `iretq` (48 cf) at rip, with the given frame at rsp. */
static void fault_on_iretq(uint64_t cs, uint64_t ss)
{
    static const uint8_t iretq[2] = {0x48, 0xcf};
    uint64_t frame[5] = {0x402000, cs, 0x2d7 | X86_EFLAGS_IOPL, 0x6000, ss};
    struct stub_mailbox req = {.kind = STUB_REQ_FAULT,
                               .signo = SIGSEGV,
                               .trapno = 13,
                               .err = cs & ~3ull};

    v->regs.rip = d->stack_top - 0x800;
    v->regs.rsp = d->stack_top - 0x400;
    v->regs.rflags = 0x202;
    cr_assert_eq(gmem_copy_to(v, v->regs.rip, iretq, sizeof(iretq)), 0);
    cr_assert_eq(gmem_copy_to(v, v->regs.rsp, frame, sizeof(frame)), 0);
    req.regs = v->regs;
    trap_fault(v, &req);
}

Test(upcall, native_iretq_to_flat_selectors_is_completed)
{
    fault_on_iretq(FLAT_KERNEL_CS64, FLAT_KERNEL_SS64);
    cr_assert(!domain_is_stopping(d));
    cr_assert(v->regs_dirty);
    cr_assert_eq(v->regs.rip, 0x402000);
    cr_assert_eq(v->regs.rsp, 0x6000);
    cr_assert_eq(v->regs.rflags, 0x2d7 | X86_EFLAGS_IF,
                 "arithmetic flags from the frame; IF and IOPL kept");
}

Test(upcall, iretq_to_other_selectors_stays_a_gp)
{
    fault_on_iretq(0xe023, FLAT_KERNEL_SS64); /* 32-bit code: not emulated */
    cr_assert(domain_is_stopping(d), "#GP with no trap table: crash");
}

Test(upcall, a_jump_to_the_upper_half_is_a_page_fault)
{
    struct trap_info t[2] = {
        {.vector = 14, .cs = FLAT_KERNEL_CS, .address = 0x400700},
        {0},
    };
    gva_t arg = d->stack_top - 0x200;
    uint64_t a[5] = {arg};
    struct stub_mailbox req = {.kind = STUB_REQ_FAULT,
                               .signo = SIGSEGV,
                               .trapno = 14,
                               .err = 0x14,
                               .addr = 0xffff888000001000ull};
    uint64_t frame[8];

    cr_assert_eq(gmem_copy_to(v, arg, t, sizeof(t)), 0);
    cr_assert_eq(hc_set_trap_table(v, a), 0);
    v->regs.rip = req.addr;
    req.regs = v->regs;
    trap_fault(v, &req);
    cr_assert(!domain_is_stopping(d));
    cr_assert_eq(v->regs.rip, 0x400700);
    cr_assert_eq(upcall_vcpu_info(v)->arch.cr2, 0xffff888000001000ull);
    cr_assert_eq(gmem_copy_from(v, frame, v->regs.rsp, sizeof(frame)), 0);
    cr_assert_eq(frame[2], 0x10, "not present, instruction fetch");
    cr_assert_eq(frame[3], 0xffff888000001000ull, "rip in the frame");
}

Test(upcall, a_fault_in_the_stub_crashes)
{
    struct stub_mailbox req = {.kind = STUB_REQ_FAULT,
                               .signo = SIGSEGV,
                               .trapno = 14,
                               .err = 0x6,
                               .addr = 0x10};

    v->regs.rip = VENEER_STUB_BASE + 0x100;
    req.regs = v->regs;
    trap_fault(v, &req);
    cr_assert(domain_is_stopping(d));
}
