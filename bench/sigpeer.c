/* SPDX-License-Identifier: MIT */
/*
 * Host peers of (d), upcall latency: what a kick of a running vCPU is
 * made of, with nothing of Veneer's around it. A target spins (as a guest
 * vCPU does) and notes the TSC and CLOCK_MONOTONIC in its SIGUSR1
 * handler; the sender measures:
 *
 *  - proc: kill() -> handler entry in another process, spinning wherever
 *    the scheduler put it (the sender sleeps on a futex until the
 *    handler has run, so it never keeps the target off a CPU);
 *  - cpu: tgkill() -> handler entry of a thread pinned to another CPU than
 *    the sender (the cross-CPU interrupt and signal delivery);
 *  - timer: a thread that sleeps in clock_nanosleep(TIMER_ABSTIME) until a
 *    deadline (timer slack 1 ns, as veneerd's server threads) and then
 *    signals the spinning process: handler entry minus the deadline, the
 *    floor of veneerd's kick path (its server thread wakes from a futex
 *    timeout and sends SIGUSR1); and that thread's own wake-up lateness.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tsc.h"
#include "vnbench2.h"

#define SIG_WARMUP  20u
#define SIG_GIVE_UP 1000000000ull /* [POLICY] a signal this late is lost */

/* What the target's handler notes; shared with a forked target. */
struct sig_mark {
    volatile uint32_t seq; /* a futex word */
    volatile uint64_t tsc, ns;
    volatile int stop, ready;
    volatile pid_t tid;
};

static struct sig_mark *sig_m;

/* Notes the time first, then wakes the sender (a futex on seq, shared
 * between processes): the wake is not part of what is measured. */
static void sig_handler(int sig)
{
    struct timespec ts;

    (void)sig;
    sig_m->tsc = tsc_read();
    clock_gettime(CLOCK_MONOTONIC, &ts);
    sig_m->ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    __atomic_add_fetch(&sig_m->seq, 1, __ATOMIC_RELEASE);
    syscall(SYS_futex, &sig_m->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void sig_spin(void)
{
    sig_m->tid = (pid_t)syscall(SYS_gettid);
    __atomic_store_n(&sig_m->ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&sig_m->stop, __ATOMIC_ACQUIRE))
        __builtin_ia32_pause();
}

static void *sig_spin_thread(void *arg)
{
    (void)arg;
    sig_spin();
    return NULL;
}

/*
 * Wait for the handler to run after seq0, asleep on the futex: a sender
 * spinning on the target's CPU would keep the target from running for a
 * whole scheduler slice, and this is the peer without such tails.
 * Return values: 0; -ETIMEDOUT.
 */
static int sig_wait(uint32_t seq0)
{
    uint64_t end = clock_now_ns() + SIG_GIVE_UP;
    struct timespec ts = {0, 10000000};

    while (__atomic_load_n(&sig_m->seq, __ATOMIC_ACQUIRE) == seq0) {
        if (clock_now_ns() > end)
            return -ETIMEDOUT;
        syscall(SYS_futex, &sig_m->seq, FUTEX_WAIT, seq0, &ts, NULL, 0);
    }
    return 0;
}

/* A short spin between signals, so that each finds the target spinning
 * again (back in its loop after rt_sigreturn). */
static void sig_gap(void)
{
    uint64_t end = clock_now_ns() + 20000;

    while (clock_now_ns() < end)
        __builtin_ia32_pause();
}

/* n signals to pid/tid; kill when tid is 0. Ticks sender -> handler. */
static int sig_loop(pid_t pid, pid_t tid, unsigned long n, struct hist *h)
{
    hist_init(h);
    for (unsigned long i = 0; i < SIG_WARMUP + n; i++) {
        uint32_t seq0 = sig_m->seq;
        uint64_t t0 = tsc_read();
        int rc = tid ? (int)syscall(SYS_tgkill, pid, tid, SIGUSR1)
                     : kill(pid, SIGUSR1);

        if (rc < 0)
            return -errno;
        rc = sig_wait(seq0);
        if (rc < 0)
            return rc;
        if (i >= SIG_WARMUP)
            hist_add(h, sig_m->tsc - t0);
        sig_gap();
    }
    return 0;
}

/* n deadlines period_us apart: sleep to each, then signal pid. */
static int sig_timer_loop(pid_t pid, unsigned long n, unsigned long period_us,
                          struct hist *late, struct hist *wake)
{
    hist_init(late);
    hist_init(wake);
    prctl(PR_SET_TIMERSLACK, 1ul, 0, 0, 0);
    for (unsigned long i = 0; i < SIG_WARMUP + n; i++) {
        uint64_t deadline = clock_now_ns() + period_us * 1000ull;
        uint32_t seq0 = sig_m->seq;
        uint64_t woke;
        struct timespec ts = {(time_t)(deadline / 1000000000ull),
                              (long)(deadline % 1000000000ull)};
        int rc;

        while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
                                     NULL)) == EINTR)
            ;
        woke = clock_now_ns();
        if (rc != 0 || kill(pid, SIGUSR1) < 0)
            return rc ? -rc : -errno;
        rc = sig_wait(seq0);
        if (rc < 0)
            return rc;
        if (i >= SIG_WARMUP) {
            hist_add(late, sig_m->ns > deadline ? sig_m->ns - deadline : 0);
            hist_add(wake, woke - deadline);
        }
    }
    return 0;
}

static int sig_handler_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = sig_handler;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGUSR1, &sa, NULL) < 0 ? -errno : 0;
}

/* proc and timer: a forked target spinning in its own process. */
static int sig_process(unsigned long n, unsigned long period_us,
                       struct sigpeer *p, uint64_t ovh)
{
    static struct hist h, wake;
    pid_t pid;
    int rc, status;

    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        if (sig_handler_install() == 0)
            sig_spin();
        _exit(0);
    }
    if (pid < 0)
        return -errno;
    while (!__atomic_load_n(&sig_m->ready, __ATOMIC_ACQUIRE))
        usleep(100);
    rc = sig_loop(pid, 0, n, &h);
    if (rc == 0) {
        p->proc = fig_of_hist_ticks(&h, ovh);
        rc = sig_timer_loop(pid, n, period_us, &h, &wake);
    }
    if (rc == 0) {
        p->timer = fig_of_hist(&h);
        p->wake = fig_of_hist(&wake);
    }
    __atomic_store_n(&sig_m->stop, 1, __ATOMIC_RELEASE);
    waitpid(pid, &status, 0);
    return rc;
}

/* cpu: a thread of ours pinned to the CPU after the sender's. */
static int sig_cross_cpu(unsigned long n, struct sigpeer *p, uint64_t ovh)
{
    static struct hist h;
    cpu_set_t saved, one;
    pthread_attr_t attr;
    pthread_t t;
    int cpu = sched_getcpu(), other, rc;

    other = (cpu + 1) % (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (other == cpu || sched_getaffinity(0, sizeof(saved), &saved) < 0)
        return -ENODEV;
    CPU_ZERO(&one);
    CPU_SET(other, &one);
    pthread_attr_init(&attr);
    pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
    memset((void *)sig_m, 0, sizeof(*sig_m));
    rc = -pthread_create(&t, &attr, sig_spin_thread, NULL);
    pthread_attr_destroy(&attr);
    if (rc < 0)
        return rc;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    sched_setaffinity(0, sizeof(one), &one);
    while (!__atomic_load_n(&sig_m->ready, __ATOMIC_ACQUIRE))
        usleep(100);
    rc = sig_loop(getpid(), sig_m->tid, n, &h);
    if (rc == 0)
        p->cpu = fig_of_hist_ticks(&h, ovh);
    __atomic_store_n(&sig_m->stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    sched_setaffinity(0, sizeof(saved), &saved);
    return rc;
}

/*
 * sigpeer_run - the peers of (d): n signals of each kind, timer deadlines
 * period_us apart. A peer that failed has n = 0 and p->why says why.
 */
void sigpeer_run(unsigned long n, unsigned long period_us, struct sigpeer *p)
{
    uint64_t ovh = clock_bracket_ticks();
    struct sigaction old;
    int rc;

    memset(p, 0, sizeof(*p));
    sig_m = mmap(NULL, sizeof(*sig_m), PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sig_m == MAP_FAILED) {
        snprintf(p->why, sizeof(p->why), "mmap: %s", strerror(errno));
        return;
    }
    memset((void *)sig_m, 0, sizeof(*sig_m));
    sigaction(SIGUSR1, NULL, &old);
    rc = sig_process(n, period_us, p, ovh);
    if (rc < 0)
        snprintf(p->why, sizeof(p->why), "signal to a process: %s",
                 strerror(-rc));
    rc = sig_handler_install();
    if (rc == 0)
        rc = sig_cross_cpu(n, p, ovh);
    if (rc < 0 && !p->why[0])
        snprintf(p->why, sizeof(p->why), "signal across CPUs: %s",
                 strerror(-rc));
    sigaction(SIGUSR1, &old, NULL);
    munmap((void *)sig_m, sizeof(*sig_m));
    sig_m = NULL;
}
