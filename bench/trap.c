/* SPDX-License-Identifier: MIT */
/*
 * Host peers of benchmark (b) that need a seccomp filter, so they run in a
 * forked child the filter cannot outlive:
 *
 *  - the raw seccomp-trap round trip: `syscall` with a number the filter
 *    answers SECCOMP_RET_TRAP, a SIGSYS handler on an alternate signal
 *    stack that sets rax in the ucontext, and the return through
 *    rt_sigreturn; this is the stub's trap path with nothing behind it;
 *  - the same trap whose handler also makes a spinning mailbox round trip
 *    (handoff.c) with the trapped registers: the cheapest a hypercall
 *    served outside the domain process can be with this design.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "tsc.h"
#include "vnbench.h"

/* A system-call number no kernel assigns; only the filter answers it. */
#define TRAP_NR 1000L

/* What the plain trap handler puts in rax. */
#define TRAP_ANSWER 0x40013L

/* Words the handler posts: as many as struct stub_regs holds. */
#define TRAP_NREGS 20u

/* Untimed round trips before each timed loop. */
#define TRAP_WARMUP 1000u

/* The child's mailbox model; NULL for the plain trap. Set before the
 * timed loop, read only by the SIGSYS handler. */
static struct handoff *trap_handoff;

static uint8_t trap_sigstack[64 * 1024] __attribute__((aligned(4096)));

static void trap_on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    uint64_t regs[TRAP_NREGS];

    (void)sig;
    (void)si;
    if (!trap_handoff) {
        g[REG_RAX] = TRAP_ANSWER;
        return;
    }
    /* The server answers with word 0 (handoff_serve); the rest is the
     * register block the stub would post. */
    regs[0] = TRAP_ANSWER;
    for (unsigned int i = 1; i < TRAP_NREGS; i++)
        regs[i] = (uint64_t)g[i];
    g[REG_RAX] = handoff_call(trap_handoff, regs, TRAP_NREGS);
}

static int trap_install(void)
{
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAP_NR, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {sizeof(prog) / sizeof(prog[0]), prog};
    stack_t ss = {.ss_sp = trap_sigstack, .ss_size = sizeof(trap_sigstack)};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = trap_on_sigsys;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (sigaltstack(&ss, NULL) < 0 || sigaction(SIGSYS, &sa, NULL) < 0 ||
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
        return -errno;
    return 0;
}

static inline long trap_syscall0(long nr)
{
    long ret;

    asm volatile("syscall" : "=a"(ret) : "0"(nr) : "rcx", "r11", "memory");
    return ret;
}

/* n timed trapped calls with the handler as it is now set up. */
static void trap_loop(unsigned long n, struct loop_result *r)
{
    uint64_t start;

    hist_init(&r->calls);
    r->ovh = clock_bracket_ticks();
    for (unsigned int i = 0; i < TRAP_WARMUP; i++)
        trap_syscall0(TRAP_NR);
    start = tsc_read();
    for (unsigned long i = 0; i < n; i++) {
        uint64_t t0 = tsc_read();
        long got = trap_syscall0(TRAP_NR);
        uint64_t t1 = tsc_read();

        if (got != TRAP_ANSWER) {
            snprintf(r->note, sizeof(r->note), "trap answered %ld", got);
            return;
        }
        hist_add(&r->calls, t1 - t0);
    }
    r->loop = tsc_read() - start;
    r->ok = 1;
}

/* The child: both loops, results into the shared pages, then exit. */
static void trap_child(unsigned long n, struct loop_result *res)
{
    struct handoff *h = NULL;
    int rc;

    rc = trap_install();
    if (rc < 0) {
        snprintf(res[0].note, sizeof(res[0].note), "seccomp: %s",
                 strerror(-rc));
        _exit(1);
    }
    trap_loop(n, &res[0]);
    /* Only now: a spinning server must not take a CPU from the plain
     * trap loop. The filter lets its thread be made (it traps one
     * number only). */
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2)
        h = handoff_start();
    if (h) {
        trap_handoff = h;
        trap_loop(n, &res[1]);
        trap_handoff = NULL;
    } else {
        snprintf(res[1].note, sizeof(res[1].note), "needs 2 CPUs");
    }
    handoff_stop(h);
    _exit(0);
}

/*
 * trap_bench - the plain seccomp trap and the trap + spinning hand-off,
 * n calls each, in a child process.
 *
 * Parameters: trap, trap_handoff - OUT: per-call ticks; a loop that could
 * not run has ok == 0 and a note.
 * Return values: 0; -errno if the child could not be made or failed.
 */
int trap_bench(unsigned long n, struct loop_result *trap,
               struct loop_result *trap_handoff_r)
{
    struct loop_result *res;
    int status = 0, rc = 0;
    pid_t pid;

    res = mmap(NULL, 2 * sizeof(*res), PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (res == MAP_FAILED)
        return -errno;
    memset(res, 0, 2 * sizeof(*res));
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        trap_child(n, res);
    if (pid < 0)
        rc = -errno;
    else if (waitpid(pid, &status, 0) < 0)
        rc = -errno;
    *trap = res[0];
    *trap_handoff_r = res[1];
    if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        fprintf(stderr, "vnbench: seccomp child: wait status %#x %s\n", status,
                res[0].note);
        rc = -ECHILD;
    }
    munmap(res, 2 * sizeof(*res));
    return rc;
}
