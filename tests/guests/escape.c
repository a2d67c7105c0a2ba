/* SPDX-License-Identifier: MIT */
/*
 * escape: tries to leave the sandbox through the domain stub (security
 * invariant 1). The stub is guest-controlled: the guest can find the stub's
 * one system-call "gate" (`syscall; ret` in VENEER_STUB_TEXT) and call it
 * with any registers, so the seccomp filter alone must refuse everything
 * that reaches beyond the domain. Linked just below VENEER_GUEST_VA_LIMIT.
 *
 * Mode by command line:
 *   calls (default)  host system calls through the gate, each must fail:
 *                    "escape: <call> refused rc=<n>" or "escape: ALLOWED
 *                    <call> rc=<n>"; then "escape: SUCCESS (N refused)"
 *                    and poweroff, or "escape: ABORT ..." and crash.
 *   int80            `int $0x80` (the 32-bit system-call entry, eax = 5,
 *                    open): the filter must kill the domain, so veneerd
 *                    reports a crash. If it returns, the guest prints
 *                    "escape: int80 ALLOWED" and powers off (exit 0),
 *                    which the test treats as a failure.
 *   vsyscall         calls the legacy vsyscall page, which the kernel
 *                    emulates as system calls: each must be refused (exit
 *                    0), or the domain crashed (exit 1); never allowed.
 *   scribble         fills the mailbox page with garbage and makes
 *                    hypercalls, then overwrites the stub's data and does
 *                    it again. Errors or a domain crash are both fine;
 *                    veneerd must survive and report.
 *   scribble-data    only the second half of scribble, so that it is
 *                    reached even when the first half crashes the domain.
 *
 * Calls that would do harm if the filter were open (kill -9 and ptrace of
 * PID 1, execve, fork, clone) run last and only while every earlier call
 * has been refused: once one got through the test has failed anyway.
 */
#include <asm/unistd.h>
#include <stdint.h>
#include <xen/arch-x86/page.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <veneer/platform.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>

/* Linux x86-64 UAPI values (uapi fcntl.h, mman.h, signal.h, ptrace.h,
 * socket.h, ioctls.h, futex.h, sched.h), stated here to keep the guest
 * free of host headers beyond the system-call numbers. */
#define L_O_RDONLY         0
#define L_O_WRONLY         01
#define L_O_CREAT          0100
#define L_O_TRUNC          01000
#define L_AT_FDCWD         (-100)
#define L_PROT_READ        1
#define L_PROT_WRITE       2
#define L_PROT_EXEC        4
#define L_MAP_SHARED       0x01
#define L_MAP_PRIVATE      0x02
#define L_MAP_FIXED        0x10
#define L_MAP_ANONYMOUS    0x20
#define L_MREMAP_MAYMOVE   1
#define L_MREMAP_FIXED     2
#define L_SIGKILL          9
#define L_SIGCHLD          17
#define L_PTRACE_PEEKUSER  3
#define L_PTRACE_ATTACH    16
#define L_AF_INET          2
#define L_SOCK_STREAM      1
#define L_TCGETS           0x5401
#define L_FUTEX_WAKE       1
#define L_X32_SYSCALL_BIT  0x40000000UL
#define L_ESCAPE_MARKER    "/tmp/veneer-escape-marker"
#define GATE_SCAN_BYTES    (64 * 1024)
#define SCRIBBLE_DATA_SIZE (256 * 1024)
#define SCRIBBLE_CHUNK     (16 * 1024)

/* The stub's grant-op file numbers (hypervisor/stub_abi.h). */
#define STUB_FD_GRANT_FIRST 32
#define STUB_FD_GRANT_LAST  63

struct iovec_l {
    void *base;
    unsigned long len;
};

static struct {
    unsigned int refused;
    unsigned int allowed;
    unsigned int skipped;
} tally;

static uint64_t gate;

/*
 * Scan the stub's text for `syscall; ret` (0f 05 c3) from offset start on;
 * returns the address of the first match, or 0 if there is none.
 * platform.h promises exactly one real gate, but the same bytes could also
 * sit inside another instruction, and a guest can jump there just as well.
 */
static uint64_t find_gate(unsigned int start)
{
    const volatile unsigned char *t =
        (const volatile unsigned char *)(uintptr_t)VENEER_STUB_TEXT;

    for (unsigned int i = start; i + 2 < GATE_SCAN_BYTES; i++) {
        if (t[i] == 0x0f && t[i + 1] == 0x05 && t[i + 2] == 0xc3)
            return VENEER_STUB_TEXT + i;
    }
    return 0;
}

/* Call the gate as the stub would: host system-call registers. */
static long gate_call(unsigned long nr, unsigned long a1, unsigned long a2,
                      unsigned long a3, unsigned long a4, unsigned long a5,
                      unsigned long a6)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    register unsigned long r9 asm("r9") = a6;
    long ret;

    asm volatile("call *%[gate]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8),
                   "+r"(r9)
                 : [gate] "r"(gate), "0"(nr)
                 : "rcx", "r11", "memory");
    return ret;
}

static void report(const char *call, long rc)
{
    if (rc < 0) {
        tally.refused++;
        printf("escape: %s refused rc=%ld\n", call, rc);
    } else {
        tally.allowed++;
        printf("escape: ALLOWED %s rc=%ld\n", call, rc);
    }
}

/* Harmful calls run only while the filter has held so far. */
static int may_try_harmful(const char *call)
{
    if (tally.allowed == 0)
        return 1;
    tally.skipped++;
    printf("escape: SKIPPED %s (an earlier call got through)\n", call);
    return 0;
}

/* If fork/clone got through, this is the child: leave quietly. */
static void child_exit(long rc)
{
    if (rc != 0)
        return;
    gate_call(__NR_exit_group, 0, 0, 0, 0, 0, 0);
    for (;;)
        asm volatile("ud2");
}

static void try_files(void)
{
    static const char shadow[] = "/etc/shadow";
    static const char marker[] = L_ESCAPE_MARKER;

    report("open(/etc/shadow)",
           gate_call(__NR_open, (uintptr_t)shadow, L_O_RDONLY, 0, 0, 0, 0));
    report("openat(/etc/shadow)",
           gate_call(__NR_openat, (unsigned long)L_AT_FDCWD, (uintptr_t)shadow,
                     L_O_RDONLY, 0, 0, 0));
    report("x32 open(/etc/shadow)",
           gate_call(L_X32_SYSCALL_BIT | __NR_open, (uintptr_t)shadow,
                     L_O_RDONLY, 0, 0, 0, 0));
    report("creat(" L_ESCAPE_MARKER ")",
           gate_call(__NR_creat, (uintptr_t)marker, 0600, 0, 0, 0, 0));
    report("open(" L_ESCAPE_MARKER ", O_CREAT|O_WRONLY)",
           gate_call(__NR_open, (uintptr_t)marker,
                     L_O_CREAT | L_O_WRONLY | L_O_TRUNC, 0600, 0, 0, 0));
}

static void try_memory(const struct start_info *si)
{
    char name[64];

    /* Map an inherited fd over our own page tables, which must never be
     * writable: the worst place a shared mapping could land. */
    for (int fd = 3; fd <= 5; fd++) {
        snprintf(name, sizeof(name), "mmap(fd %d, MAP_SHARED|MAP_FIXED)", fd);
        report(name, gate_call(__NR_mmap, si->pt_base, 4096,
                               L_PROT_READ | L_PROT_WRITE,
                               L_MAP_SHARED | L_MAP_FIXED, fd, 0));
    }
    /* The grant-op file numbers: nothing is open there, and an mmap
     * naming one runs only for a grant op veneerd sent. */
    for (int fd = STUB_FD_GRANT_FIRST; fd <= STUB_FD_GRANT_LAST;
         fd += STUB_FD_GRANT_LAST - STUB_FD_GRANT_FIRST) {
        snprintf(name, sizeof(name), "mmap(grant fd %d, MAP_SHARED|MAP_FIXED)",
                 fd);
        report(name, gate_call(__NR_mmap, si->pt_base, 4096, L_PROT_READ,
                               L_MAP_SHARED | L_MAP_FIXED, fd, 0));
    }
    /* close is allowed only there: the RAM memfd and the listener stay. */
    report("close(3)", gate_call(__NR_close, 3, 0, 0, 0, 0, 0));
    report("close(0)", gate_call(__NR_close, 0, 0, 0, 0, 0, 0));
    report("close(2^32 + 3)",
           gate_call(__NR_close, (1UL << 32) + 3, 0, 0, 0, 0, 0));
    report("close(grant fd 40, not open)",
           gate_call(__NR_close, 40, 0, 0, 0, 0, 0));
    report("mprotect(stub text, RWX)",
           gate_call(__NR_mprotect, VENEER_STUB_TEXT, 4096,
                     L_PROT_READ | L_PROT_WRITE | L_PROT_EXEC, 0, 0, 0));
    report("mprotect(pt_base, RW)",
           gate_call(__NR_mprotect, si->pt_base, 4096,
                     L_PROT_READ | L_PROT_WRITE, 0, 0, 0));
}

/*
 * A table made at run time (mmu_update, not the builder): its frame,
 * read-only at its 1:1 address, must stay so through the gate too.
 */
static void try_new_table_rights(const uint64_t *p2m)
{
    uint64_t pfn, va, window = (pages_region_end() + 0x1fffff) & ~0x1fffffULL;
    long rc;

    if (pages_alloc(&pfn) < 0 || mmu_table_link(window, 1, pfn) < 0) {
        tally.allowed++;
        printf("escape: ALLOWED? could not build a new L1 to try\n");
        return;
    }
    va = pt_pfn_to_va(pfn);
    report("mprotect(new L1, RW)",
           gate_call(__NR_mprotect, va, 4096, L_PROT_READ | L_PROT_WRITE, 0, 0,
                     0));
    report("mmap(fd 3 over new L1, RW)",
           gate_call(__NR_mmap, va, 4096, L_PROT_READ | L_PROT_WRITE,
                     L_MAP_SHARED | L_MAP_FIXED, 3,
                     (p2m[pfn] - p2m[0]) * 4096));
    rc = mmu_table_unlink(window, 1, NULL);
    printf("escape: new L1 unlinked -> %ld\n", rc);
}

/*
 * Writable host mappings of the page-table frames, however they are
 * asked for: the guest's tables would then say read-only while the host
 * lets it write them (ARCHITECTURE.md "Machine frames and page tables").
 * Each bootstrap table frame is tried in place and through a fresh
 * alias of its memfd page (slot = MFN - the MFN of pfn 0, as the builder
 * hands out frames in order).
 */
static void try_page_table_rights(const struct start_info *si)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)si->mfn_list;
    uint64_t pt_pfn = (si->pt_base - runtime_virt_base()) / 4096;
    uint64_t alias = 0x0000100000000000ULL;
    uint64_t l4_0 = *(volatile uint64_t *)(uintptr_t)si->pt_base;
    char name[96];

    for (uint64_t i = 0; i < si->nr_pt_frames; i++) {
        uint64_t va = si->pt_base + i * 4096;
        uint64_t off = (p2m[pt_pfn + i] - p2m[0]) * 4096;

        snprintf(name, sizeof(name), "mprotect(PT frame %lu, RW)",
                 (unsigned long)i);
        report(name, gate_call(__NR_mprotect, va, 4096,
                               L_PROT_READ | L_PROT_WRITE, 0, 0, 0));
        snprintf(name, sizeof(name), "pkey_mprotect(PT frame %lu, RW)",
                 (unsigned long)i);
        report(name, gate_call(__NR_pkey_mprotect, va, 4096,
                               L_PROT_READ | L_PROT_WRITE, 0, 0, 0));
        snprintf(name, sizeof(name),
                 "mmap(fd 3 at %#lx, PT frame %lu, RW, SHARED)",
                 (unsigned long)off, (unsigned long)i);
        report(name,
               gate_call(__NR_mmap, alias, 4096, L_PROT_READ | L_PROT_WRITE,
                         L_MAP_SHARED | L_MAP_FIXED, 3, off));
        snprintf(name, sizeof(name), "mmap(fd 3 over PT frame %lu, RW)",
                 (unsigned long)i);
        report(name, gate_call(__NR_mmap, va, 4096, L_PROT_READ | L_PROT_WRITE,
                               L_MAP_SHARED | L_MAP_FIXED, 3, off));
    }
    report("mmap(fd 3 over pt_base, RW, PRIVATE)",
           gate_call(__NR_mmap, si->pt_base, 4096, L_PROT_READ | L_PROT_WRITE,
                     L_MAP_PRIVATE | L_MAP_FIXED, 3,
                     (p2m[pt_pfn] - p2m[0]) * 4096));
    report("mmap(anonymous over pt_base, RW)",
           gate_call(__NR_mmap, si->pt_base, 4096, L_PROT_READ | L_PROT_WRITE,
                     L_MAP_PRIVATE | L_MAP_ANONYMOUS | L_MAP_FIXED,
                     (unsigned long)-1, 0));
    report("mremap(pt_base to a fresh address)",
           gate_call(__NR_mremap, si->pt_base, 4096, 4096,
                     L_MREMAP_MAYMOVE | L_MREMAP_FIXED, alias, 0));
    try_new_table_rights(p2m);
    /* Still the L4 the hypervisor validated (read, never written). */
    if (*(volatile uint64_t *)(uintptr_t)si->pt_base != l4_0) {
        tally.allowed++;
        printf("escape: ALLOWED pt_base no longer holds the L4\n");
    } else {
        printf("escape: pt_base still holds the L4\n");
    }
}

static void try_misc(void)
{
    static uint32_t futex_word;
    static char buf[64];
    static const char x[] = "x";

    report("getpid", gate_call(__NR_getpid, 0, 0, 0, 0, 0, 0));
    report("write(1, \"x\", 1)",
           gate_call(__NR_write, 1, (uintptr_t)x, 1, 0, 0, 0));
    report("ioctl(0, TCGETS)",
           gate_call(__NR_ioctl, 0, L_TCGETS, (uintptr_t)buf, 0, 0, 0));
    report("socket(AF_INET, SOCK_STREAM)",
           gate_call(__NR_socket, L_AF_INET, L_SOCK_STREAM, 0, 0, 0, 0));
    report("futex(own page, FUTEX_WAKE)",
           gate_call(__NR_futex, (uintptr_t)&futex_word, L_FUTEX_WAKE, 1, 0, 0,
                     0));
    report("pidfd_open(1)", gate_call(__NR_pidfd_open, 1, 0, 0, 0, 0, 0));
    report("kill(1, 0)", gate_call(__NR_kill, 1, 0, 0, 0, 0, 0));
    report("setuid(0)", gate_call(__NR_setuid, 0, 0, 0, 0, 0, 0));
}

static void try_processes(void)
{
    static char byte = 'x';
    static struct iovec_l local = {&byte, 1}, remote = {0, 1};

    /* The remote address 0 is never mapped in PID 1, so even a call that
     * got through could not write anything. */
    report("process_vm_writev(1)",
           gate_call(__NR_process_vm_writev, 1, (uintptr_t)&local, 1,
                     (uintptr_t)&remote, 1, 0));
    /* PEEKUSER of a process we do not trace does nothing; it shows
     * whether ptrace reaches the kernel before ATTACH is tried. */
    report("ptrace(PTRACE_PEEKUSER, 1)",
           gate_call(__NR_ptrace, L_PTRACE_PEEKUSER, 1, 0, 0, 0, 0));
}

static void try_harmful(void)
{
    static const char sh[] = "/bin/sh", dash_c[] = "-c";
    static const char cmd[] = "touch " L_ESCAPE_MARKER;
    static const char *argv[] = {sh, dash_c, cmd, NULL};
    long rc;

    if (may_try_harmful("kill(1, SIGKILL)"))
        report("kill(1, SIGKILL)",
               gate_call(__NR_kill, 1, L_SIGKILL, 0, 0, 0, 0));
    if (may_try_harmful("ptrace(PTRACE_ATTACH, 1)"))
        report("ptrace(PTRACE_ATTACH, 1)",
               gate_call(__NR_ptrace, L_PTRACE_ATTACH, 1, 0, 0, 0, 0));
    if (may_try_harmful("execve(/bin/sh)"))
        report("execve(/bin/sh)", gate_call(__NR_execve, (uintptr_t)sh,
                                            (uintptr_t)argv, 0, 0, 0, 0));
    if (may_try_harmful("fork")) {
        rc = gate_call(__NR_fork, 0, 0, 0, 0, 0, 0);
        child_exit(rc);
        report("fork", rc);
    }
    if (may_try_harmful("clone")) {
        rc = gate_call(__NR_clone, L_SIGCHLD, 0, 0, 0, 0, 0);
        child_exit(rc);
        report("clone", rc);
    }
}

/* Every further `syscall; ret` in the stub text must refuse too. */
static void try_other_gates(void)
{
    uint64_t first = gate;
    char name[64];

    for (uint64_t g = find_gate(first - VENEER_STUB_TEXT + 1); g != 0;
         g = find_gate(g - VENEER_STUB_TEXT + 1)) {
        gate = g;
        snprintf(name, sizeof(name), "getpid via %#lx", (unsigned long)g);
        report(name, gate_call(__NR_getpid, 0, 0, 0, 0, 0, 0));
    }
    gate = first;
}

static int mode_calls(const struct start_info *si)
{
    gate = find_gate(0);
    if (gate == 0) {
        printf("escape: ABORT no gate (0f 05 c3) in the stub text\n");
        return 1;
    }
    printf("escape: gate at %#lx\n", (unsigned long)gate);
    try_other_gates();
    try_misc();
    try_files();
    try_memory(si);
    try_page_table_rights(si);
    try_processes();
    try_harmful();
    if (tally.allowed != 0 || tally.skipped != 0) {
        printf("escape: ABORT %u allowed, %u skipped, %u refused\n",
               tally.allowed, tally.skipped, tally.refused);
        return 1;
    }
    printf("escape: SUCCESS (%u refused)\n", tally.refused);
    return 0;
}

static int mode_int80(void)
{
    static const char shadow[] = "/etc/shadow";
    long rc;

    printf("escape: int80 now\n");
    console_flush();
    /* 32-bit open(ebx = path, ecx = flags); the path pointer is
     * truncated to 32 bits, which does not matter: the call must not
     * reach the kernel at all. */
    asm volatile("int $0x80"
                 : "=a"(rc)
                 : "0"(5L), "b"((uintptr_t)shadow), "c"(0L)
                 : "memory");
    printf("escape: int80 ALLOWED rc=%ld\n", rc);
    return 0;
}

/* The legacy vsyscall page's entries (gettimeofday, time, getcpu). */
#define VSYSCALL_BASE 0xffffffffff600000ULL

/*
 * Call a legacy vsyscall entry. The kernel emulates these as system calls
 * made from the caller, through the seccomp filter. rax holds no
 * hypercall number, so a stub that took the trap for a hypercall answers
 * -ENOSYS rather than something that looks like success.
 */
static long vsyscall_call(uint64_t entry, unsigned long a1, unsigned long a2)
{
    long ret;

    asm volatile("call *%[fn]"
                 : "=a"(ret), "+D"(a1), "+S"(a2)
                 : [fn] "r"(entry), "0"(0xdeadUL)
                 : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory");
    return ret;
}

static int mode_vsyscall(void)
{
    static uint64_t tv[2];
    static unsigned int cpu;

    printf("escape: vsyscall now\n");
    console_flush();
    report("vsyscall gettimeofday",
           vsyscall_call(VSYSCALL_BASE, (uintptr_t)tv, 0));
    report("vsyscall time", vsyscall_call(VSYSCALL_BASE + 0x400, 0, 0));
    report("vsyscall getcpu",
           vsyscall_call(VSYSCALL_BASE + 0x800, (uintptr_t)&cpu, 0));
    if (tally.allowed != 0) {
        printf("escape: ABORT %u vsyscall entries allowed\n", tally.allowed);
        return 1;
    }
    printf("escape: SUCCESS (%u refused)\n", tally.refused);
    return 0;
}

/* xorshift64: cheap garbage that is not all one byte value. */
static uint64_t scribble_next(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static void scribble(uint64_t addr, uint64_t len, uint64_t *state)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;

    for (uint64_t i = 0; i < len / 8; i++)
        p[i] = scribble_next(state);
}

/* Garbage in the mailbox, then hypercalls through it. */
static void scribble_mailbox(uint64_t *state)
{
    long rc;

    printf("escape: scribble mailbox at %#llx\n", VENEER_STUB_MAILBOX);
    console_flush();
    for (int round = 0; round < 8; round++) {
        scribble(VENEER_STUB_MAILBOX, XEN_PAGE_SIZE, state);
        rc = HYPERVISOR_xen_version(XENVER_version, NULL);
        printf("escape: scribble round %d: xen_version -> %ld\n", round, rc);
    }
}

/*
 * Garbage over the stub's data, bss and stacks, a chunk at a time with a
 * hypercall after each, until the first unmapped page ends the domain (or
 * SCRIBBLE_DATA_SIZE is reached).
 */
static void scribble_data(uint64_t *state)
{
    long rc;

    for (uint64_t off = 0; off < SCRIBBLE_DATA_SIZE; off += SCRIBBLE_CHUNK) {
        printf("escape: scribble stub data [%#llx, %#llx)\n",
               VENEER_STUB_DATA + off, VENEER_STUB_DATA + off + SCRIBBLE_CHUNK);
        console_flush();
        scribble(VENEER_STUB_DATA + off, SCRIBBLE_CHUNK, state);
        rc = HYPERVISOR_xen_version(XENVER_version, NULL);
        printf("escape: scribble after stub data: xen_version -> %ld\n", rc);
    }
}

/* which: bit 0 scribbles the mailbox, bit 1 the stub's data. */
static int mode_scribble(unsigned int which)
{
    uint64_t state = 0x9e3779b97f4a7c15ULL;

    if (which & 1)
        scribble_mailbox(&state);
    if (which & 2)
        scribble_data(&state);
    printf("escape: scribble survived\n");
    return 0;
}

int guest_main(struct start_info *si)
{
    const char *cmd = (const char *)si->cmd_line;

    if (cmd[0] == '\0' || strcmp(cmd, "calls") == 0)
        return mode_calls(si);
    if (strcmp(cmd, "int80") == 0)
        return mode_int80();
    if (strcmp(cmd, "vsyscall") == 0)
        return mode_vsyscall();
    if (strcmp(cmd, "scribble") == 0)
        return mode_scribble(3);
    if (strcmp(cmd, "scribble-data") == 0)
        return mode_scribble(2);
    printf("escape: ABORT unknown mode '%.64s'\n", cmd);
    return 1;
}
