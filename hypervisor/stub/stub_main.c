/* SPDX-License-Identifier: MIT */
/*
 * Domain stub start-up: clear the address space down to the stub image,
 * map the mailbox and guest RAM as the boot block says, drop every
 * privilege, install the seccomp filter, hand the listener to veneerd and
 * jump into the guest.
 */
#include <asm/unistd.h>
#include <linux/capability.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/signal.h>

#include "stub.h"

/* The stack used until the guest runs (then only signal stacks are). */
uint8_t stub_boot_stack[16384] __attribute__((aligned(16)));
extern uint8_t stub_boot_stack_top[];
__asm__(".globl stub_boot_stack_top\n"
        ".set stub_boot_stack_top, stub_boot_stack + 16384\n");

extern uint8_t __stub_text_start[], __stub_end[];

/* The top of the x86-64 user address space (TASK_SIZE: 2^47 - 4 KiB). */
#define STUB_TASK_TOP 0x7ffffffff000ull

void stub_main(void) __attribute__((noreturn));

/* Start-up steps, reported to veneerd in boot.error_step on failure. */
enum stub_step {
    STEP_UNMAP = 1,
    STEP_MAP_MBOX,
    STEP_BOOT_BLOCK,
    STEP_MAP_RAM,
    STEP_FDS,
    STEP_SIGNALS,
    STEP_LIMITS,
    STEP_NAMESPACES,
    STEP_CAPS,
    STEP_IDS,
    STEP_PARENT,
    STEP_NO_NEW_PRIVS,
    STEP_SECCOMP,
};

static struct stub_boot *stub_boot_block(void)
{
    return (struct stub_boot *)(uintptr_t)(VENEER_STUB_MAILBOX +
                                           STUB_MBOX_BOOT_OFFSET);
}

/* Report a failed step; veneerd is watching the state word. */
static void stub_fail(struct stub_boot *b, int step, long err)
    __attribute__((noreturn));
static void stub_fail(struct stub_boot *b, int step, long err)
{
    if (b) {
        b->error_step = step;
        b->error_errno = (int32_t)-err;
        __atomic_store_n(&b->state, STUB_BOOT_FAILED, __ATOMIC_SEQ_CST);
        stub_futex_wake(&b->state);
    }
    stub_exit(120 + (step & 7));
}

static long stub_mmap(uint64_t va, uint64_t len, long prot, long flags, long fd,
                      uint64_t off)
{
    return stub_syscall(__NR_mmap, (long)va, (long)len, prot, flags, fd,
                        (long)off);
}

/*
 * Unmap everything but the stub image: the kernel's stack, vDSO and vvar
 * go, so the process holds only what veneerd gives it.
 */
static long stub_clear_address_space(void)
{
    uint64_t lo = (uint64_t)(uintptr_t)__stub_text_start;
    uint64_t hi = (uint64_t)(uintptr_t)__stub_end;
    long rc;

    rc = stub_syscall(__NR_munmap, 0, (long)lo, 0, 0, 0, 0);
    if (rc == 0)
        rc = stub_syscall(__NR_munmap, (long)hi, (long)(STUB_TASK_TOP - hi), 0,
                          0, 0, 0);
    return rc;
}

static long stub_map_ram(const struct stub_boot *b)
{
    uint32_t n = b->nr_maps;

    if (n > STUB_BOOT_MAX_MAPS)
        return -22;
    for (uint32_t i = 0; i < n; i++) {
        const struct stub_map *m = &b->maps[i];
        long prot = 0, flags = MAP_SHARED | MAP_FIXED;
        long rc;

        if (m->va >= VENEER_GUEST_VA_LIMIT ||
            m->len > VENEER_GUEST_VA_LIMIT - m->va)
            return -22;
        if (m->prot & STUB_PROT_READ)
            prot |= PROT_READ;
        if (m->prot & STUB_PROT_WRITE)
            prot |= PROT_WRITE;
        if (m->prot & STUB_PROT_EXEC)
            prot |= PROT_EXEC;
        if (m->populate)
            flags |= MAP_POPULATE;
        rc = stub_mmap(m->va, m->len, prot, flags, STUB_FD_RAM, m->offset);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Keep only the RAM memfd: close 0-2, the mailbox fd and anything else. */
static long stub_close_fds(void)
{
    long rc = 0;

    for (int fd = 0; fd < 3 && rc == 0; fd++) {
        rc = stub_syscall(__NR_close, fd, 0, 0, 0, 0, 0);
        if (rc == -9) /* EBADF: was not open */
            rc = 0;
    }
    if (rc == 0)
        rc = stub_syscall(__NR_close_range, STUB_FD_RAM + 1, ~0u, 0, 0, 0, 0);
    return rc;
}

static long stub_set_limits(void)
{
    static const struct {
        int res;
        unsigned long max;
    } lim[] = {
        {RLIMIT_CORE, 0},
        {RLIMIT_NPROC, 0},
        {RLIMIT_NOFILE, 64},
        {RLIMIT_FSIZE, 0},
    };
    long rc = 0;

    for (unsigned int i = 0; rc == 0 && i < sizeof(lim) / sizeof(*lim); i++) {
        struct rlimit r = {lim[i].max, lim[i].max};
        rc = stub_syscall(__NR_setrlimit, lim[i].res, (long)&r, 0, 0, 0, 0);
    }
    return rc;
}

/* Empty the bounding and ambient sets while we still may. */
static long stub_drop_caps(void)
{
    long rc;

    for (long cap = 0; cap <= 63; cap++) {
        rc = stub_syscall(__NR_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0, 0);
        if (rc < 0 && rc != -22) /* EINVAL: no such capability */
            return rc;
    }
    return stub_syscall(__NR_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0,
                        0, 0, 0);
}

/* After the switch to unprivileged ids: make sure every set is empty. */
static long stub_clear_caps(void)
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};

    return stub_syscall(__NR_capset, (long)&hdr, (long)data, 0, 0, 0, 0);
}

static long stub_set_ids(const struct stub_boot *b)
{
    long rc;

    rc = stub_syscall(__NR_setgroups, 0, 0, 0, 0, 0, 0);
    if (rc == 0)
        rc = stub_syscall(__NR_setresgid, b->gid, b->gid, b->gid, 0, 0, 0);
    if (rc == 0)
        rc = stub_syscall(__NR_setresuid, b->uid, b->uid, b->uid, 0, 0, 0);
    if (rc == 0)
        rc = stub_syscall(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0, 0);
    return rc;
}

void stub_main(void)
{
    struct stub_boot *b = NULL;
    long rc;

    rc = stub_clear_address_space();
    if (rc < 0)
        stub_fail(b, STEP_UNMAP, rc);
    rc = stub_mmap(VENEER_STUB_MAILBOX, STUB_MBOX_FILE_SIZE,
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, STUB_FD_MBOX,
                   0);
    if (rc < 0)
        stub_fail(b, STEP_MAP_MBOX, rc);
    b = stub_boot_block();
    if (b->magic != STUB_BOOT_MAGIC || b->version != STUB_ABI_VERSION ||
        b->state != STUB_BOOT_WRITTEN)
        stub_fail(b, STEP_BOOT_BLOCK, -22);
    /* Mappings below vm.mmap_min_addr need CAP_SYS_RAWIO: map first. */
    rc = stub_map_ram(b);
    if (rc < 0)
        stub_fail(b, STEP_MAP_RAM, rc);
    rc = stub_close_fds();
    if (rc < 0)
        stub_fail(b, STEP_FDS, rc);
    rc = stub_trap_install();
    if (rc < 0)
        stub_fail(b, STEP_SIGNALS, rc);
    rc = stub_set_limits();
    if (rc < 0)
        stub_fail(b, STEP_LIMITS, rc);
    rc = stub_syscall(__NR_unshare, CLONE_NEWIPC | CLONE_NEWUTS, 0, 0, 0, 0, 0);
    if (rc < 0)
        stub_fail(b, STEP_NAMESPACES, rc);
    rc = stub_drop_caps();
    if (rc < 0)
        stub_fail(b, STEP_CAPS, rc);
    rc = stub_set_ids(b);
    if (rc < 0)
        stub_fail(b, STEP_IDS, rc);
    /* Die with veneerd, even if it is killed outright. Set after the id
     * change, which would clear it; then check veneerd did not go first. */
    rc = stub_syscall(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, 0);
    if (rc == 0 && stub_syscall(__NR_getppid, 0, 0, 0, 0, 0, 0) != b->parent)
        rc = -3; /* ESRCH */
    if (rc < 0)
        stub_fail(b, STEP_PARENT, rc);
    rc = stub_clear_caps();
    if (rc < 0)
        stub_fail(b, STEP_CAPS, rc);
    rc = stub_syscall(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
    if (rc < 0)
        stub_fail(b, STEP_NO_NEW_PRIVS, rc);
    rc = stub_seccomp_install();
    if (rc < 0)
        stub_fail(b, STEP_SECCOMP, rc);

    /* Locked down. Let veneerd take the listener, then wait for GO. */
    b->notify_fd = (int32_t)rc;
    __atomic_store_n(&b->state, STUB_BOOT_LOCKED, __ATOMIC_SEQ_CST);
    stub_futex_wake(&b->state);
    while (__atomic_load_n(&b->state, __ATOMIC_SEQ_CST) == STUB_BOOT_LOCKED)
        stub_futex_wait(&b->state, STUB_BOOT_LOCKED);
    if (__atomic_load_n(&b->state, __ATOMIC_SEQ_CST) != STUB_BOOT_GO)
        stub_exit(127);
    stub_enter_guest(b->entry_rip, b->entry_rsp, b->entry_rsi);
}
