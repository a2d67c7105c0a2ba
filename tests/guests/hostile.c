/* SPDX-License-Identifier: MIT */
/*
 * hostile: feeds every core hypercall bad input and checks that each one is
 * refused with Xen's error code (security invariant 2: a bad guest value
 * gets an errno, never a crash of veneerd). Linked at 4 GiB, so that VA 0
 * is not mapped and NULL is a bad pointer here.
 *
 * Output: one line per case, "hostile: <case> -> <rc>"; "hostile: FAIL
 * <case> ..." for each case with the wrong answer; positive controls as
 * "hostile: control <what> -> <rc>" (so that a hypervisor refusing
 * everything fails too); then "hostile: SUCCESS (N cases refused)" and
 * poweroff, or "hostile: ABORT <first failed case> (<n> failed)" and crash.
 *
 * Cases that could stop the domain if wrongly accepted (shutdown with a
 * bad argument) run last, so that everything else is reported first.
 *
 * The PV hypercalls (MMU, traps, callbacks, vcpu_op, event channels,
 * SCHEDOP_poll) are in hostile_pv.c. Where Veneer documents an error of
 * its own, the case prints "hostile: NOTE <case>: Veneer <rc>, Xen <x>"
 * and passes, unless the command line says "strict-xen"; a hypercall
 * that answers -ENOSYS to its positive control prints "hostile: SKIP
 * <hypercall>" and its cases are not run.
 */
#include <stdarg.h>
#include <veneer/platform.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>

#include "hostile.h"

/* The straddling pointer sits this far before the end of the mapped
 * region, so that every argument of two bytes or more crosses it. */
#define STRADDLE_BACK 1

struct tally {
    unsigned int refused;
    unsigned int notes;
    unsigned int skipped;
    unsigned int failed;
    unsigned int controls;
    int strict;
    char first_failure[96];
};

static struct tally tally;

static void hostile_failed(const char *name)
{
    if (tally.failed++ == 0)
        snprintf(tally.first_failure, sizeof(tally.first_failure), "%s", name);
}

void hostile_expect(long rc, long want, const char *fmt, ...)
{
    char name[96];
    va_list ap;
    int ok = want == ANY_NEGATIVE ? rc < 0 : rc == want;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    printf("hostile: %s -> %ld\n", name, rc);
    if (ok) {
        tally.refused++;
        return;
    }
    if (want == ANY_NEGATIVE)
        printf("hostile: FAIL %s: expected an error, got %ld\n", name, rc);
    else
        printf("hostile: FAIL %s: expected %ld, got %ld\n", name, want, rc);
    hostile_failed(name);
}

void hostile_expect_xen(long rc, long xen_want, long veneer_want,
                        const char *fmt, ...)
{
    char name[96];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    printf("hostile: %s -> %ld\n", name, rc);
    if (rc == xen_want) {
        tally.refused++;
        return;
    }
    if (rc == veneer_want && !tally.strict) {
        tally.refused++;
        tally.notes++;
        printf("hostile: NOTE %s: Veneer %ld, Xen %ld\n", name, rc, xen_want);
        return;
    }
    printf("hostile: FAIL %s: expected %ld (Xen), got %ld\n", name, xen_want,
           rc);
    hostile_failed(name);
}

void hostile_control(int ok, long rc, const char *what)
{
    printf("hostile: control %s -> %ld%s\n", what, rc, ok ? "" : " WRONG");
    if (ok) {
        tally.controls++;
        return;
    }
    if (tally.failed++ == 0)
        snprintf(tally.first_failure, sizeof(tally.first_failure), "control %s",
                 what);
}

int hostile_have(long rc, const char *hypercall)
{
    if (rc != -XEN_ENOSYS)
        return 1;
    tally.skipped++;
    printf("hostile: SKIP %s: not implemented (-38)\n", hypercall);
    return 0;
}

/* First unmapped page after the bootstrap region (VIRT_BASE upward). */
static uint64_t region_end(void)
{
    uint64_t va = runtime_virt_base();
    struct pt_walk w;

    while (pt_walk(va, &w) == 0 && (w.entry[1] & _PAGE_PRESENT))
        va += XEN_PAGE_SIZE;
    return va;
}

struct bad_ptr hostile_bad_ptrs[HOSTILE_NR_BAD_PTRS] = {
    {"NULL", 0},
    {"unmapped", 0x0000100000000000ULL},
    {"below-va-limit", VENEER_GUEST_VA_LIMIT - 16},
    {"stub-text", VENEER_STUB_TEXT},
    {"stub-data", VENEER_STUB_DATA},
    {"stub-mailbox", VENEER_STUB_MAILBOX},
    {"kernel", 0xffff800000000000ULL},
    {"non-canonical", 0x0000800000000000ULL},
    {"straddle-end", 0}, /* set at run time */
};

static void unknown_numbers(void)
{
    static const unsigned long via_page[] = {11, 31, 38, 43, 47,
                                             56, 63, 64, 127};
    static const unsigned long raw_only[] = {
        128, 0xffffffffUL, 0x40000000UL | __HYPERVISOR_xen_version, 1UL << 40,
        (1UL << 40) | __HYPERVISOR_xen_version};

    for (unsigned int i = 0; i < sizeof(via_page) / sizeof(via_page[0]); i++) {
        unsigned long nr = via_page[i];

        hostile_expect(_hypercall2(nr, XENVER_version, 0), -XEN_ENOSYS,
                       "hypercall %lu (page)", nr);
        hostile_expect(_hypercall_raw2(nr, XENVER_version, 0), -XEN_ENOSYS,
                       "hypercall %lu (raw)", nr);
    }
    /* No page slot beyond 127. (1 << 40) | 17 is xen_version to anything
     * that truncates the number to 32 bits; 0x40000011 is xen_version with
     * the host's x32 bit set, which must not select a different ABI. */
    for (unsigned int i = 0; i < sizeof(raw_only) / sizeof(raw_only[0]); i++) {
        unsigned long nr = raw_only[i];

        hostile_expect(_hypercall_raw2(nr, XENVER_version, 0), -XEN_ENOSYS,
                       "hypercall %#lx (raw)", nr);
    }
}

static void unknown_subcommands(void)
{
    hostile_expect(HYPERVISOR_xen_version(999, NULL), -XEN_ENOSYS,
                   "xen_version cmd 999");
    hostile_expect(HYPERVISOR_console_io(999, 0, NULL), -XEN_ENOSYS,
                   "console_io cmd 999");
    hostile_expect(HYPERVISOR_sched_op(999, NULL), -XEN_ENOSYS,
                   "sched_op cmd 999");
    hostile_expect(HYPERVISOR_memory_op(999, NULL), -XEN_ENOSYS,
                   "memory_op cmd 999");
    hostile_expect(HYPERVISOR_vm_assist(5, VMASST_TYPE_writable_pagetables),
                   -XEN_ENOSYS, "vm_assist cmd 5");
}

static void bad_reads(void)
{
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        const char *n = hostile_bad_ptrs[i].name;
        uint64_t p = hostile_bad_ptrs[i].addr;

        hostile_expect(
            _hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, p),
            -XEN_EFAULT, "console_io write 16 bytes at %s", n);
        hostile_expect(
            _hypercall2(__HYPERVISOR_memory_op, XENMEM_current_reservation, p),
            -XEN_EFAULT, "memory_op current_reservation at %s", n);
        hostile_expect(_hypercall2(__HYPERVISOR_multicall, p, 1), -XEN_EFAULT,
                       "multicall 1 entry at %s", n);
        hostile_expect(
            _hypercall2(__HYPERVISOR_xen_version, XENVER_get_features, p),
            -XEN_EFAULT, "xen_version get_features at %s", n);
    }
}

static void bad_writes(const struct start_info *si)
{
    /* The page tables are mapped read-only to the guest: the hypervisor
     * must not write them on the guest's behalf either. pt_tail is the
     * last quadword of the last table frame; a 16-byte write there also
     * spills into the (writable) bootstrap stack page after it. */
    uint64_t pt_tail = si->pt_base + si->nr_pt_frames * XEN_PAGE_SIZE - 8;
    const volatile uint64_t *l4 = (const volatile uint64_t *)si->pt_base;
    const volatile uint64_t *tail = (const volatile uint64_t *)pt_tail;
    uint64_t before[3] = {l4[0], l4[1], *tail};

    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        hostile_expect(_hypercall2(__HYPERVISOR_xen_version,
                                   XENVER_extraversion,
                                   hostile_bad_ptrs[i].addr),
                       -XEN_EFAULT, "xen_version extraversion to %s",
                       hostile_bad_ptrs[i].name);
    }
    hostile_expect(
        _hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, si->pt_base),
        -XEN_EFAULT, "xen_version extraversion to pt_base (read-only)");
    hostile_expect(
        _hypercall2(__HYPERVISOR_xen_version, XENVER_extraversion, pt_tail),
        -XEN_EFAULT, "xen_version extraversion across the last PT frame");
    hostile_control(l4[0] == before[0] && l4[1] == before[1] &&
                        *tail == before[2],
                    0, "page tables unchanged after writes to them");
}

static void bad_values(void)
{
    static char msg[] = "hostile: this must not be printed\n";
    domid_t dom;

    hostile_expect(_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
                               1UL << 40, (uintptr_t)msg),
                   ANY_NEGATIVE, "console_io write count 1<<40");
    dom = 7;
    hostile_expect(HYPERVISOR_memory_op(XENMEM_current_reservation, &dom),
                   -XEN_ESRCH, "memory_op current_reservation domid 7");
    hostile_expect(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom),
                   -XEN_ESRCH, "memory_op maximum_reservation domid 7");
    dom = DOMID_INVALID;
    hostile_expect(HYPERVISOR_memory_op(XENMEM_current_reservation, &dom),
                   -XEN_ESRCH, "memory_op current_reservation domid 0x7ff4");
    hostile_expect(HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom),
                   -XEN_ESRCH, "memory_op maximum_reservation domid 0x7ff4");
    hostile_expect(HYPERVISOR_vm_assist(VMASST_CMD_enable, 99), -XEN_EINVAL,
                   "vm_assist enable type 99");
}

/* A batch must check its entries' pointers as a direct call would. */
static void bad_pointers_in_multicall(void)
{
    static multicall_entry_t batch[2 * HOSTILE_NR_BAD_PTRS];
    long rc;

    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        batch[2 * i] = (multicall_entry_t){
            .op = __HYPERVISOR_xen_version,
            .args = {XENVER_extraversion, hostile_bad_ptrs[i].addr}};
        batch[2 * i + 1] = (multicall_entry_t){
            .op = __HYPERVISOR_console_io,
            .args = {CONSOLEIO_write, 16, hostile_bad_ptrs[i].addr}};
    }
    rc = HYPERVISOR_multicall(batch, 2 * HOSTILE_NR_BAD_PTRS);
    printf("hostile: multicall of bad pointers: call -> %ld\n", rc);
    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        hostile_expect((long)batch[2 * i].result, -XEN_EFAULT,
                       "multicall entry xen_version extraversion to %s",
                       hostile_bad_ptrs[i].name);
        hostile_expect((long)batch[2 * i + 1].result, -XEN_EFAULT,
                       "multicall entry console_io write at %s",
                       hostile_bad_ptrs[i].name);
    }
}

static void bad_multicalls(void)
{
    static multicall_entry_t outer[1], inner[1], odd[2];
    long rc;

    /* Nested multicall: refused for the entry; the batch itself is fine. */
    inner[0] = (multicall_entry_t){.op = __HYPERVISOR_xen_version,
                                   .args = {XENVER_version}};
    outer[0] = (multicall_entry_t){
        .op = __HYPERVISOR_multicall,
        .args = {(uintptr_t)inner, 1},
    };
    rc = HYPERVISOR_multicall(outer, 1);
    printf("hostile: multicall holding a multicall: call -> %ld\n", rc);
    hostile_expect((long)outer[0].result, ANY_NEGATIVE,
                   "multicall holding a multicall: entry result");
    /* Unknown numbers inside a batch. */
    odd[0] = (multicall_entry_t){.op = 999};
    odd[1] = (multicall_entry_t){.op = (1UL << 40) | __HYPERVISOR_xen_version,
                                 .args = {XENVER_version}};
    rc = HYPERVISOR_multicall(odd, 2);
    printf("hostile: multicall of unknown ops: call -> %ld\n", rc);
    hostile_expect((long)odd[0].result, -XEN_ENOSYS, "multicall entry op 999");
    hostile_expect((long)odd[1].result, -XEN_ENOSYS,
                   "multicall entry op (1<<40)|17");
    bad_pointers_in_multicall();
    hostile_expect(_hypercall2(__HYPERVISOR_multicall, 0, 1UL << 40),
                   ANY_NEGATIVE, "multicall nr 1<<40 at NULL");
    hostile_expect(_hypercall2(__HYPERVISOR_multicall, 0, (1UL << 40) | 1),
                   ANY_NEGATIVE, "multicall nr (1<<40)|1 at NULL");
}

static long controls(const struct start_info *si)
{
    static multicall_entry_t two[2];
    xen_feature_info_t fi = {.submap_idx = 0};
    domid_t self = DOMID_SELF;
    long version, rc;

    version = HYPERVISOR_xen_version(XENVER_version, NULL);
    hostile_control(version > 0, version, "xen_version version");
    rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
    hostile_control(rc == 0, rc, "xen_version get_features");
    rc = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    hostile_control(rc > 0 && (uint64_t)rc <= si->nr_pages + 1024, rc,
                    "memory_op current_reservation DOMID_SELF");
    for (int i = 0; i < 2; i++) {
        two[i] = (multicall_entry_t){.op = __HYPERVISOR_xen_version,
                                     .result = 0xdeadbeef,
                                     .args = {XENVER_version}};
    }
    rc = HYPERVISOR_multicall(two, 2);
    hostile_control(rc == 0 && (long)two[0].result == version &&
                        (long)two[1].result == version,
                    rc, "multicall of two xen_version");
    rc = _hypercall_raw2(__HYPERVISOR_xen_version, XENVER_version, 0);
    hostile_control(rc == version, rc, "raw syscall xen_version");
    return version;
}

/* Last: cases that would shut the domain down if wrongly accepted. */
static void bad_shutdowns(void)
{
    struct sched_shutdown sd = {.reason = 99};

    for (unsigned int i = 0; i < HOSTILE_NR_BAD_PTRS; i++) {
        hostile_expect(_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                                   hostile_bad_ptrs[i].addr),
                       -XEN_EFAULT, "sched_op shutdown reason at %s",
                       hostile_bad_ptrs[i].name);
    }
    hostile_expect(HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd), -XEN_EINVAL,
                   "sched_op shutdown reason 99");
}

int guest_main(struct start_info *si)
{
    long version;

    tally.strict = strcmp((const char *)si->cmd_line, "strict-xen") == 0;
    hostile_bad_ptrs[HOSTILE_NR_BAD_PTRS - 1].addr =
        region_end() - STRADDLE_BACK;
    printf("hostile: straddle-end = %#lx\n",
           (unsigned long)hostile_bad_ptrs[HOSTILE_NR_BAD_PTRS - 1].addr);
    version = controls(si);
    unknown_numbers();
    unknown_subcommands();
    bad_reads();
    bad_writes(si);
    bad_values();
    bad_multicalls();
    hostile_pv_cases(si);
    bad_shutdowns();
    /* Still alive and still answered correctly after all of the above. */
    hostile_control(HYPERVISOR_xen_version(XENVER_version, NULL) == version,
                    version, "xen_version still works");
    if (tally.failed != 0) {
        printf("hostile: ABORT %s (%u failed)\n", tally.first_failure,
               tally.failed);
        return 1;
    }
    printf("hostile: %u controls passed, %u notes, %u hypercalls skipped\n",
           tally.controls, tally.notes, tally.skipped);
    printf("hostile: SUCCESS (%u cases refused)\n", tally.refused);
    return 0;
}
