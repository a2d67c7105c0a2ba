/* SPDX-License-Identifier: MIT */
/*
 * Hypercall wrappers for 64-bit PV guests (XEN-ABI-FACTS §1).
 *
 * Convention: rax = hypercall number, arguments in rdi rsi rdx r10 r8,
 * result in rax. Two ways in:
 *
 *  - _hypercall0.._hypercall5 call the builder-filled hypercall page
 *    (slot nr at hypercall_page + nr * 32: push rcx, push r11,
 *    mov $nr,%eax, syscall, pop r11, pop rcx, ret). Numbers without a slot
 *    (nr >= 128) are issued as a raw syscall instead, so a caller always
 *    gets the hypervisor's answer (-ENOSYS) rather than a jump off the
 *    page. A guest linked without the HYPERCALL_PAGE note gets an unfilled
 *    page, and then these issue raw syscalls too (hypercall_raw_only).
 *  - _hypercall_raw0.._hypercall_raw5 execute `syscall` inline, for code
 *    that does not use the page.
 *
 * Both declare rcx and r11 clobbered (syscall writes them; a guest must
 * not rely on the page's stubs saving them) and every argument register
 * clobbered, since Xen only defines rax on return (debug builds poison the
 * rest).
 */
#ifndef VENEER_HYPERCALL_H
#define VENEER_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

/* Hypercall page geometry: 128 slots of 32 bytes (XEN-ABI-FACTS §1.2). */
#define HYPERCALL_SLOT_SIZE  32
#define HYPERCALL_PAGE_SLOTS 128

/* The page itself (hypercall_page.S), filled by the domain builder. */
extern char hypercall_page[4096];

/*
 * Set at entry when the builder left the hypercall page as the image
 * shipped it (int3 filler): the guest asked for no page (see elfnote.S),
 * so every hypercall goes by raw syscall.
 */
extern int hypercall_raw_only;

static inline long _hypercall_raw5(unsigned long nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3,
                                   unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : "0"(nr)
                 : "rcx", "r11", "memory");
    return ret;
}

static inline long _hypercall5(unsigned long nr, unsigned long a1,
                               unsigned long a2, unsigned long a3,
                               unsigned long a4, unsigned long a5)
{
    if (nr >= HYPERCALL_PAGE_SLOTS || hypercall_raw_only)
        return _hypercall_raw5(nr, a1, a2, a3, a4, a5);

    /* Register variables are only guaranteed in the asm right after
     * their assignment, so no call may come between. */
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    /* The slot address may share rax with the result: `call` reads it
     * before the stub writes rax. */
    asm volatile("call *%[slot]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [slot] "r"(hypercall_page + nr * HYPERCALL_SLOT_SIZE)
                 : "rcx", "r11", "memory");
    return ret;
}

static inline long _hypercall0(unsigned long nr)
{
    return _hypercall5(nr, 0, 0, 0, 0, 0);
}

static inline long _hypercall1(unsigned long nr, unsigned long a1)
{
    return _hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long _hypercall2(unsigned long nr, unsigned long a1,
                               unsigned long a2)
{
    return _hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long _hypercall3(unsigned long nr, unsigned long a1,
                               unsigned long a2, unsigned long a3)
{
    return _hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long _hypercall4(unsigned long nr, unsigned long a1,
                               unsigned long a2, unsigned long a3,
                               unsigned long a4)
{
    return _hypercall5(nr, a1, a2, a3, a4, 0);
}

static inline long _hypercall_raw0(unsigned long nr)
{
    return _hypercall_raw5(nr, 0, 0, 0, 0, 0);
}

static inline long _hypercall_raw1(unsigned long nr, unsigned long a1)
{
    return _hypercall_raw5(nr, a1, 0, 0, 0, 0);
}

static inline long _hypercall_raw2(unsigned long nr, unsigned long a1,
                                   unsigned long a2)
{
    return _hypercall_raw5(nr, a1, a2, 0, 0, 0);
}

static inline long _hypercall_raw3(unsigned long nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3)
{
    return _hypercall_raw5(nr, a1, a2, a3, 0, 0);
}

static inline long _hypercall_raw4(unsigned long nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3,
                                   unsigned long a4)
{
    return _hypercall_raw5(nr, a1, a2, a3, a4, 0);
}

/* xen_version(cmd, arg): XENVER_* (<xen/version.h>). */
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_xen_version, (unsigned int)cmd,
                       (uintptr_t)arg);
}

/* console_io(cmd, count, buf): CONSOLEIO_write / CONSOLEIO_read. */
static inline long HYPERVISOR_console_io(int cmd, unsigned int count,
                                         const char *buf)
{
    return _hypercall3(__HYPERVISOR_console_io, (unsigned int)cmd, count,
                       (uintptr_t)buf);
}

/* sched_op(cmd, arg): SCHEDOP_* (<xen/sched.h>). */
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_sched_op, (unsigned int)cmd,
                       (uintptr_t)arg);
}

/* memory_op(cmd, arg): XENMEM_* (<xen/memory.h>). */
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg);
}

/* multicall(entries, nr): run nr calls; each result lands in its entry. */
static inline long HYPERVISOR_multicall(multicall_entry_t *calls,
                                        unsigned int nr)
{
    return _hypercall2(__HYPERVISOR_multicall, (uintptr_t)calls, nr);
}

/* vm_assist(cmd, type): VMASST_CMD_* and VMASST_TYPE_*. */
static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return _hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}

/*
 * set_trap_table(table): install the virtual IDT entries of `table`, an
 * array ended by an entry whose address is 0; NULL clears every entry.
 */
static inline long HYPERVISOR_set_trap_table(const struct trap_info *table)
{
    return _hypercall1(__HYPERVISOR_set_trap_table, (uintptr_t)table);
}

/*
 * mmu_update(req, count, done, foreigndom): checked page-table writes
 * (MMU_*); done (may be NULL) receives the number applied, a 32-bit count.
 */
static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
                                         unsigned int count, unsigned int *done,
                                         unsigned int foreigndom)
{
    return _hypercall4(__HYPERVISOR_mmu_update, (uintptr_t)req, count,
                       (uintptr_t)done, foreigndom);
}

/* stack_switch(ss, sp): the kernel stack for bounces from user mode. */
static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{
    return _hypercall2(__HYPERVISOR_stack_switch, ss, sp);
}

/* set_callbacks(event, failsafe, syscall): the PV64 entry points. */
static inline long HYPERVISOR_set_callbacks(unsigned long event,
                                            unsigned long failsafe,
                                            unsigned long syscall)
{
    return _hypercall3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

/* fpu_taskswitch(set): set (1) or clear (0) the virtual CR0.TS. */
static inline long HYPERVISOR_fpu_taskswitch(int set)
{
    return _hypercall1(__HYPERVISOR_fpu_taskswitch, (unsigned int)set);
}

/* update_va_mapping(va, val, flags): write the L1 entry mapping va. */
static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t val,
                                                unsigned long flags)
{
    return _hypercall3(__HYPERVISOR_update_va_mapping, va, val, flags);
}

/* set_timer_op(deadline): VIRQ_TIMER at this system time (ns); 0 cancels. */
static inline long HYPERVISOR_set_timer_op(uint64_t deadline)
{
    return _hypercall1(__HYPERVISOR_set_timer_op, deadline);
}

/* vcpu_op(cmd, vcpu, arg): VCPUOP_* (<xen/vcpu.h>). */
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return _hypercall3(__HYPERVISOR_vcpu_op, (unsigned int)cmd, vcpu,
                       (uintptr_t)arg);
}

/* set_segment_base(which, base): SEGBASE_*. */
static inline long HYPERVISOR_set_segment_base(int which, unsigned long base)
{
    return _hypercall2(__HYPERVISOR_set_segment_base, (unsigned int)which,
                       base);
}

/*
 * mmuext_op(op, count, done, foreigndom): MMUEXT_* commands; done (may be
 * NULL) receives the number applied, a 32-bit count.
 */
static inline long HYPERVISOR_mmuext_op(const struct mmuext_op *op,
                                        unsigned int count, unsigned int *done,
                                        unsigned int foreigndom)
{
    return _hypercall4(__HYPERVISOR_mmuext_op, (uintptr_t)op, count,
                       (uintptr_t)done, foreigndom);
}

/* callback_op(cmd, arg): CALLBACKOP_* (<xen/callback.h>). */
static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
    return _hypercall2(__HYPERVISOR_callback_op, (unsigned int)cmd,
                       (uintptr_t)arg);
}

/* event_channel_op(cmd, arg): EVTCHNOP_* (<xen/event_channel.h>). */
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return _hypercall2(__HYPERVISOR_event_channel_op, (unsigned int)cmd,
                       (uintptr_t)arg);
}

/*
 * grant_table_op(cmd, uops, count): GNTTABOP_* over an array of count
 * structs (<xen/grant_table.h>); each element's status says how it went.
 */
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uops,
                                             unsigned int count)
{
    return _hypercall3(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)uops,
                       count);
}

/*
 * The iret hypercall (23) does not return to its caller and takes its
 * arguments on the stack (struct iret_context); it cannot be a C function.
 * The trap entry code (trap_entry_x86_64.S, trap_iret) issues it.
 */

#endif /* VENEER_HYPERCALL_H */
