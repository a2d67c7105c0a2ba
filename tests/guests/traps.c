/* SPDX-License-Identifier: MIT */
/*
 * traps: takes exceptions through its own virtual IDT (set_trap_table) and
 * carries on after each, checking the bounce frame Xen defines
 * (XEN-ABI-FACTS §7.8, §8.5; <veneer/traps.h>):
 *
 *   #PF  a write to an unmapped page: cr2 = the address, error code W;
 *        the handler maps a page there with update_va_mapping and the
 *        write completes. Then a read of an unmapped page (error code 0),
 *        a write to a read-only page (P|W) and a jump into a no-execute
 *        page (P|I), each repaired by the handler.
 *   #BP  int3: rip after the instruction; the interrupted rsp, cs (RPL 0:
 *        "kernel context"), rflags.IF = !saved upcall mask; registers
 *        preserved, and a register the handler changes in the frame comes
 *        back changed (iret restores the frame).
 *   #UD  ud2 at rip; the handler skips it.
 *   #DE  divl by zero at rip; the handler skips it.
 *   #GP  a load from a non-canonical address: error code 0.
 *   CPUID through Xen's forced-emulation prefix (ud2; "xen"; cpuid):
 *        the Xen signature at 0x40000000, not a #UD.
 *   With upcalls unmasked: the frames say so, int3's trap gate leaves
 *        them open, #PF's interrupt gate masks them in the handler, iret
 *        reopens them; a #PF inside the int3 handler nests.
 *
 * Command line "unhandled": a #PF no handler claims must end the domain
 * with a register dump (PANIC "unhandled trap 14", exit 1). "iret-user",
 * "iret-noncanonical", "iret-badstack", "iret-flags": the iret hypercall
 * with a frame returning to user mode, to a non-canonical rip, from a
 * stack that runs off the mapped region, with every rflags bit set.
 *
 * Output: gtest lines, then "traps: SUCCESS (...)" and poweroff, or
 * "traps: ABORT ..." and crash.
 */
#include <xen/errno.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/string.h>
#include <veneer/traps.h>

#include "gtest.h"

#define RFLAGS_IF (1ULL << 9)

/* What the last handler saw, and what the current test expects. */
static struct {
    uint64_t hits[TRAP_NR_VECTORS];
    struct trap_frame last;
    uint64_t expect_cr2; /* #PF: the address to repair */
    uint64_t repair_mfn; /* #PF: map this frame there */
    uint64_t repair_flags;
    uint64_t resume_rip; /* #UD/#DE/#GP: continue here */
    uint64_t set_rax;    /* #BP: put this in the frame's rax */
    uint64_t frame_end;  /* #BP: first byte above the bounce frame */
    uint8_t mask_inside; /* the upcall mask while the handler ran */
    uint64_t nest_va;    /* #BP: probe this address from the handler */
    long nest_rc;        /* ... and what the probe returned */
    uint64_t nest_cr2;   /* ... and the nested fault's cr2 */
} tr;

static uint8_t upcall_mask(void);

static int on_page_fault(struct trap_frame *f)
{
    tr.hits[TRAP_PAGE_FAULT]++;
    tr.last = *f;
    tr.mask_inside = upcall_mask();
    if ((f->cr2 & XEN_PAGE_MASK) != tr.expect_cr2)
        return 1; /* not ours: dump and panic */
    return mmu_map(tr.expect_cr2, tr.repair_mfn, tr.repair_flags) == 0 ? 0 : 1;
}

static int on_int3(struct trap_frame *f)
{
    uint64_t v;

    tr.hits[TRAP_INT3]++;
    tr.last = *f;
    tr.frame_end = (uintptr_t)(&f->ss + 1);
    tr.mask_inside = upcall_mask();
    f->rax = tr.set_rax;
    if (tr.nest_va) {
        /* A fault inside the handler: a second frame on the same stack. */
        tr.nest_rc = trap_probe_read64(tr.nest_va, &v);
        tr.nest_cr2 = trap_probe_last.cr2;
    }
    return 0;
}

/* #UD, #DE, #GP: note the frame, continue at resume_rip. */
static int on_skip(struct trap_frame *f)
{
    tr.hits[f->vector]++;
    tr.last = *f;
    if (tr.resume_rip == 0)
        return 1;
    f->rip = tr.resume_rip;
    tr.resume_rip = 0;
    return 0;
}

static uint8_t upcall_mask(void)
{
    return __atomic_load_n(&shinfo_vcpu()->evtchn_upcall_mask,
                           __ATOMIC_SEQ_CST);
}

/* Checks every bounce frame must pass; mask is the upcall mask the
 * interrupted code ran with. */
static void check_frame(const char *what, uint8_t mask)
{
    const struct trap_frame *f = &tr.last;

    gtest_xen((f->cs & 0xffff) == (FLAT_KERNEL_CS & ~3ULL),
              (f->cs & 0xffff) == FLAT_KERNEL_CS,
              "%s: cs %#lx (Xen: RPL 0 for kernel context)", what,
              (unsigned long)(f->cs & 0xffff));
    gtest_ok(
        ((f->cs >> 32) & 0xff) == mask && !!(f->rflags & RFLAGS_IF) == !mask,
        "%s: saved upcall mask %lu, rflags.IF %d (mask was %u)", what,
        (unsigned long)((f->cs >> 32) & 0xff), !!(f->rflags & RFLAGS_IF), mask);
    gtest_ok((f->ss & 0xffff) == FLAT_KERNEL_SS, "%s: ss %#lx", what,
             (unsigned long)(f->ss & 0xffff));
}

/* A page of the region, unmapped, for the fault tests. */
static uint64_t spare_page(uint64_t *mfn)
{
    uint64_t pfn;

    if (pages_alloc(&pfn) < 0)
        panic("traps: out of padding pages");
    *mfn = pt_pfn_to_mfn(pfn);
    return pt_pfn_to_va(pfn);
}

static void expect_pf(uint64_t va, uint64_t mfn, uint64_t flags)
{
    tr.expect_cr2 = va;
    tr.repair_mfn = mfn;
    tr.repair_flags = flags;
    tr.hits[TRAP_PAGE_FAULT] = 0;
}

static void check_pf_result(const char *what, uint64_t va, uint64_t err,
                            uint8_t mask)
{
    gtest_ok(tr.hits[TRAP_PAGE_FAULT] == 1, "%s: one #PF (%lu)", what,
             (unsigned long)tr.hits[TRAP_PAGE_FAULT]);
    gtest_ok(tr.last.cr2 == va, "%s: cr2 %#lx (want %#lx)", what,
             (unsigned long)tr.last.cr2, (unsigned long)va);
    gtest_ok(tr.last.error_code == err, "%s: error code %#lx (want %#lx)", what,
             (unsigned long)tr.last.error_code, (unsigned long)err);
    check_frame(what, mask);
    gtest_ok(upcall_mask() == mask, "%s: upcall mask %u restored by iret", what,
             upcall_mask());
}

static void check_page_faults(void)
{
    uint64_t mfn, va = spare_page(&mfn) + 8;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)va;
    uint8_t mask = upcall_mask();
    void (*fn)(void) = (void (*)(void))(uintptr_t)(va & XEN_PAGE_MASK);

    /* Write to an unmapped page: not present, write, kernel mode. */
    *p = 0x1111;
    mmu_unmap(va & XEN_PAGE_MASK);
    expect_pf(va & XEN_PAGE_MASK, mfn, MMU_PTE_RW);
    *p = 0x2222;
    check_pf_result("write to an unmapped page", va, TRAP_PF_WRITE, mask);
    gtest_ok(*p == 0x2222, "the write completed after the handler mapped it");

    /* Read of an unmapped page. */
    mmu_unmap(va & XEN_PAGE_MASK);
    expect_pf(va & XEN_PAGE_MASK, mfn, MMU_PTE_RW);
    gtest_ok(*p == 0x2222, "read of an unmapped page, repaired, reads 0x2222");
    check_pf_result("read of an unmapped page", va, 0, mask);

    /* Write to a read-only page. */
    mmu_map(va & XEN_PAGE_MASK, mfn, MMU_PTE_RO);
    expect_pf(va & XEN_PAGE_MASK, mfn, MMU_PTE_RW);
    *p = 0x3333;
    check_pf_result("write to a read-only page", va,
                    TRAP_PF_PRESENT | TRAP_PF_WRITE, mask);
    gtest_ok(*p == 0x3333, "the write completed after the handler remapped");

    /* Jump into a no-execute page holding `ret`. */
    *(volatile uint8_t *)(uintptr_t)(va & XEN_PAGE_MASK) = 0xc3;
    mmu_map(va & XEN_PAGE_MASK, mfn, MMU_PTE_RW | _PAGE_NX);
    expect_pf(va & XEN_PAGE_MASK, mfn, MMU_PTE_RW);
    fn();
    check_pf_result("call into a no-execute page", va & XEN_PAGE_MASK,
                    TRAP_PF_PRESENT | TRAP_PF_INSTR, mask);
    gtest_ok(tr.last.rip == (va & XEN_PAGE_MASK), "its rip is the page (%#lx)",
             (unsigned long)tr.last.rip);
    tr.expect_cr2 = 0;
}

/* int3 with known values in two callee-saved registers; the handler
 * changes rax in the frame. */
static void check_int3(void)
{
    register uint64_t r12 asm("r12") = 0x1212;
    register uint64_t r15 asm("r15") = 0x1515;
    uint64_t after, rsp_before, rax_out;
    uint8_t mask = upcall_mask();

    tr.set_rax = 0xfeedface;
    asm volatile(
        "lea 1f(%%rip), %[after]\n\t"
        "mov %%rsp, %[rsp]\n\t"
        "xor %%eax, %%eax\n\t"
        "int3\n"
        "1:\n\t"
        "mov %%rax, %[rax]"
        : [after] "=&r"(after), [rsp] "=&r"(rsp_before), [rax] "=&r"(rax_out),
          "+r"(r12), "+r"(r15)
        :
        : "rax", "memory");
    gtest_ok(tr.hits[TRAP_INT3] == 1, "int3 reached the handler");
    gtest_ok(tr.last.rip == after, "int3: rip %#lx is after it (%#lx)",
             (unsigned long)tr.last.rip, (unsigned long)after);
    gtest_ok(tr.last.rsp == rsp_before, "int3: rsp %#lx is the interrupted one",
             (unsigned long)tr.last.rsp);
    gtest_ok(tr.last.r12 == 0x1212 && tr.last.r15 == 0x1515 && r12 == 0x1212 &&
                 r15 == 0x1515,
             "int3: r12, r15 seen by the handler and preserved");
    gtest_ok(rax_out == 0xfeedface,
             "int3: rax changed in the frame comes back (%#lx)",
             (unsigned long)rax_out);
    check_frame("int3", mask);
    /* Xen: the frame sits right below the interrupted rsp rounded down
     * to 16 bytes. Anywhere lower is harmless; above would be a bug. */
    gtest_xen(tr.frame_end == (rsp_before & ~15ULL), tr.frame_end <= rsp_before,
              "int3: bounce frame ends at %#lx, rsp & ~15 = %#lx",
              (unsigned long)tr.frame_end,
              (unsigned long)(rsp_before & ~15ULL));
}

static void check_ud2(void)
{
    uint64_t at, resume;

    asm volatile("lea 1f(%%rip), %0\n\t"
                 "lea 2f(%%rip), %1\n\t"
                 "mov %1, %2\n"
                 "1:\n\t"
                 "ud2\n"
                 "2:"
                 : "=&r"(at), "=&r"(resume), "=m"(tr.resume_rip)
                 :
                 : "memory");
    gtest_ok(tr.hits[TRAP_INVALID_OP] == 1 && tr.last.rip == at &&
                 tr.last.error_code == 0,
             "ud2: #UD at its rip %#lx (%#lx), skipped",
             (unsigned long)tr.last.rip, (unsigned long)at);
    (void)resume;
}

static void check_divide(void)
{
    uint64_t at, resume;
    uint32_t zero = 0;

    asm volatile("lea 1f(%%rip), %0\n\t"
                 "lea 2f(%%rip), %1\n\t"
                 "mov %1, %2\n\t"
                 "mov $1, %%eax\n\t"
                 "xor %%edx, %%edx\n"
                 "1:\n\t"
                 "divl %3\n"
                 "2:"
                 : "=&r"(at), "=&r"(resume), "=m"(tr.resume_rip)
                 : "r"(zero)
                 : "rax", "rdx", "memory");
    gtest_ok(tr.hits[TRAP_DIVIDE_ERROR] == 1 && tr.last.rip == at,
             "divl by zero: #DE at its rip %#lx (%#lx), skipped",
             (unsigned long)tr.last.rip, (unsigned long)at);
    (void)resume;
}

static void check_gp(void)
{
    uint64_t at, resume, bad = 0x8000000000000000ULL, out;

    asm volatile("lea 1f(%%rip), %0\n\t"
                 "lea 2f(%%rip), %1\n\t"
                 "mov %1, %2\n"
                 "1:\n\t"
                 "mov (%4), %3\n"
                 "2:"
                 : "=&r"(at), "=&r"(resume), "=m"(tr.resume_rip), "=&r"(out)
                 : "r"(bad)
                 : "memory");
    gtest_ok(tr.hits[TRAP_GP_FAULT] == 1 && tr.last.rip == at &&
                 tr.last.error_code == 0,
             "non-canonical load: #GP(%#lx) at its rip %#lx (%#lx)",
             (unsigned long)tr.last.error_code, (unsigned long)tr.last.rip,
             (unsigned long)at);
    (void)resume;
    (void)out;
}

/* Xen's forced-emulation CPUID: ud2; .ascii "xen"; cpuid. A #UD there
 * means it was not emulated; the handler then skips all 7 bytes. */
static void check_forced_cpuid(void)
{
    uint32_t eax = 0x40000000, ebx = 0, ecx = 0, edx = 0;
    uint64_t resume, before = tr.hits[TRAP_INVALID_OP];

    asm volatile("lea 1f(%%rip), %4\n\t"
                 "mov %4, %5\n\t" XEN_CPUID "\n"
                 "1:"
                 : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx), "=&r"(resume),
                   "=m"(tr.resume_rip)
                 :
                 : "memory");
    tr.resume_rip = 0;
    gtest_ok(tr.hits[TRAP_INVALID_OP] == before && ebx == 0x566e6558 &&
                 ecx == 0x65584d4d && edx == 0x4d4d566e,
             "forced-emulation cpuid 0x40000000: max %#x, %08x %08x %08x", eax,
             ebx, ecx, edx);
}

/*
 * With upcalls unmasked: frames say so (saved mask 0, rflags.IF set); a
 * trap gate (int3) leaves them open in the handler, the #PF interrupt
 * gate closes them, and iret opens them again. A fault inside a handler
 * nests on the same stack.
 */
static void check_unmasked(void)
{
    struct vcpu_info *vi = shinfo_vcpu();
    uint64_t mfn, va = spare_page(&mfn);
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)va;

    __atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
    tr.hits[TRAP_INT3] = 0;
    tr.nest_va = va;
    mmu_unmap(va);
    asm volatile("int3" ::: "memory");
    tr.nest_va = 0;
    check_frame("int3, upcalls open", 0);
    gtest_ok(tr.hits[TRAP_INT3] == 1 && tr.mask_inside == 0,
             "int3 (trap gate): upcalls still open in the handler (%u)",
             tr.mask_inside);
    gtest_ok(tr.nest_rc == -XEN_EFAULT && tr.nest_cr2 == va,
             "a #PF inside the int3 handler nested and was caught (%ld, "
             "cr2 %#lx)",
             tr.nest_rc, (unsigned long)tr.nest_cr2);
    gtest_ok(upcall_mask() == 0, "upcalls open after the int3 iret");
    expect_pf(va, mfn, MMU_PTE_RW);
    *p = 0x4444;
    check_pf_result("#PF, upcalls open", va, TRAP_PF_WRITE, 0);
    gtest_ok(tr.mask_inside == 1,
             "#PF (interrupt gate): upcalls masked in the handler (%u)",
             tr.mask_inside);
    tr.expect_cr2 = 0;
    __atomic_store_n(&vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
}

static int mode_unhandled(void)
{
    printf("traps: unhandled #PF now\n");
    console_flush();
    *(volatile uint64_t *)(uintptr_t)0xbadc0de000ULL = 1;
    printf("traps: ABORT the unhandled fault returned\n");
    return 1;
}

/* trap_entry_x86_64.S: returns through the iret hypercall with flags,
 * rip, cs, rflags, rsp, ss on the stack. */
TRAP_ASM_SYMBOL void trap_iret(void);

/*
 * Hostile iret frames (command line iret-user, iret-noncanonical,
 * iret-badstack, iret-flags): each must end this domain or come back
 * harmlessly; veneerd must report either and survive.
 */
static int mode_iret(const char *how)
{
    uint64_t frame[6] = {0,     0, FLAT_KERNEL_CS & ~3ULL,
                         0x202, 0, FLAT_KERNEL_SS};
    uint64_t stack = (uintptr_t)frame;

    if (strcmp(how, "iret-user") == 0) {
        frame[2] = FLAT_USER_CS; /* RPL 3: user mode, which has no tables */
    } else if (strcmp(how, "iret-noncanonical") == 0) {
        frame[1] = 0x0000800000000000ULL;
    } else if (strcmp(how, "iret-badstack") == 0) {
        /* The slot's pushes land in the last mapped page; the 72-byte
         * frame runs off the end of the region. */
        stack = pages_region_end() - 8;
    } else if (strcmp(how, "iret-flags") == 0) {
        frame[3] = ~0ULL; /* every flag, TF, AC, NT and IOPL included */
    } else {
        printf("traps: ABORT unknown mode '%s'\n", how);
        return 1;
    }
    printf("traps: %s now\n", how);
    console_flush();
    /* rip 0 means "the label after the jump"; rsp is this stack's. */
    asm volatile("lea 1f(%%rip), %%rax\n\t"
                 "cmpq $0, 8(%[f])\n\t"
                 "jne 2f\n\t"
                 "mov %%rax, 8(%[f])\n"
                 "2:\n\t"
                 "mov %%rsp, 32(%[f])\n\t"
                 "mov %[stack], %%rsp\n\t"
                 "jmp trap_iret\n"
                 "1:"
                 :
                 : [f] "r"(frame), [stack] "r"(stack)
                 : "rax", "rcx", "r11", "memory", "cc");
    printf("traps: %s returned\n", how);
    return 0;
}

int guest_main(struct start_info *si)
{
    int rc;

    gtest_begin("traps", si);
    rc = trap_init();
    if (rc < 0) {
        printf("traps: ABORT trap_init -> %d\n", rc);
        return 1;
    }
    if (gtest_arg("unhandled"))
        return mode_unhandled();
    if (strncmp((const char *)si->cmd_line, "iret-", 5) == 0)
        return mode_iret((const char *)si->cmd_line);
    trap_set_handler(TRAP_PAGE_FAULT, on_page_fault);
    trap_set_handler(TRAP_INT3, on_int3);
    trap_set_handler(TRAP_INVALID_OP, on_skip);
    trap_set_handler(TRAP_DIVIDE_ERROR, on_skip);
    trap_set_handler(TRAP_GP_FAULT, on_skip);
    printf("traps: upcall mask at start %u, hypercalls by %s\n", upcall_mask(),
           hypercall_raw_only ? "raw syscall" : "the page");
    check_page_faults();
    check_int3();
    check_ud2();
    check_divide();
    check_gp();
    check_forced_cpuid();
    check_unmasked();
    return gtest_end();
}
