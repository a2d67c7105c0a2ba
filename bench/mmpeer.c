/* SPDX-License-Identifier: MIT */
/*
 * Host peers of (c), the page-table update figures: the host work one
 * realised guest mapping is made of, measured with the same TSC brackets:
 *
 *  - mmap(MAP_SHARED|MAP_FIXED) of 4 KiB and of 2 MiB of a memfd into a
 *    hole, and munmap of it: what the stub runs per op (stub_trap.c);
 *  - a seccomp user-notification round trip answered with
 *    SECCOMP_USER_NOTIF_FLAG_CONTINUE by a listener thread that sleeps in
 *    SECCOMP_IOCTL_NOTIF_RECV, as veneerd's notifier does
 *    (platform_trap.c), for getppid (the notification alone) and for the
 *    4 KiB mmap itself (what each approved map costs), both unpinned as
 *    veneerd's threads are; then getppid with the listener pinned to the
 *    caller's CPU and to another (the two costs the unpinned figure moves
 *    between). The filter lives in a forked child, which it cannot
 *    outlive.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tsc.h"
#include "vnbench2.h"

#define MM_SMALL  4096ul
#define MM_LARGE  (2ul << 20)
#define MM_WARMUP 200u
#define MM_REGION (4ul << 20)

/* What the filtered child hands back. */
struct mm_shared {
    struct hist notif, notif_mmap, notif_same, notif_other;
    uint64_t ovh;
    int ok;
    char why[96];
};

/* A 2 MiB-aligned hole of MM_REGION bytes, and a memfd to map into it. */
static int mm_setup(int *fd, char **hole)
{
    char *p;

    *fd = (int)syscall(SYS_memfd_create, "vnbench2", 1u /* CLOEXEC */);
    if (*fd < 0 || ftruncate(*fd, (off_t)MM_REGION) < 0)
        return -errno;
    p = mmap(NULL, 2 * MM_REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
             0);
    if (p == MAP_FAILED)
        return -errno;
    *hole = (char *)(((uintptr_t)p + MM_LARGE - 1) & ~(MM_LARGE - 1));
    munmap(p, 2 * MM_REGION);
    return 0;
}

/* n timed mmap + munmap pairs of len bytes at hole. */
static int mm_loop(int fd, char *hole, size_t len, unsigned long n,
                   struct hist *map, struct hist *unmap)
{
    hist_init(map);
    hist_init(unmap);
    for (unsigned long i = 0; i < MM_WARMUP + n; i++) {
        uint64_t t0 = tsc_read(), t1, t2;
        void *p = mmap(hole, len, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_FIXED, fd, 0);

        t1 = tsc_read();
        if (p == MAP_FAILED)
            return -errno;
        munmap(hole, len);
        t2 = tsc_read();
        if (i >= MM_WARMUP) {
            hist_add(map, t1 - t0);
            hist_add(unmap, t2 - t1);
        }
    }
    return 0;
}

static volatile int mm_listener_fd = -1;

/* The listener: every notification continues, like an approved mmap. */
static void *mm_listen(void *arg)
{
    (void)arg;
    while (__atomic_load_n(&mm_listener_fd, __ATOMIC_ACQUIRE) < 0)
        usleep(100);
    for (;;) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;

        memset(&req, 0, sizeof(req));
        if (ioctl(mm_listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(mm_listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}

/* getppid and mmap go to the listener; everything else is allowed. The
 * filter is this thread's only (no TSYNC): the listener is not under it. */
static int mm_install(void)
{
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    };
    struct sock_fprog fprog = {sizeof(prog) / sizeof(prog[0]), prog};
    int fd;

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return -errno;
    fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                      SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
    if (fd < 0)
        return -errno;
    __atomic_store_n(&mm_listener_fd, fd, __ATOMIC_RELEASE);
    return 0;
}

/* n timed notified getppid calls. */
static void mm_notif_loop(unsigned long n, struct hist *h)
{
    hist_init(h);
    for (unsigned long i = 0; i < MM_WARMUP + n; i++) {
        uint64_t t0 = tsc_read();
        uint64_t t1;

        syscall(SYS_getppid);
        t1 = tsc_read();
        if (i >= MM_WARMUP)
            hist_add(h, t1 - t0);
    }
}

/* The caller on its CPU, the listener on the same one (same = 1) or on
 * the next; 0, or -1 on a host with one CPU. */
static int mm_pin(pthread_t listener, int same)
{
    int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), cpu = sched_getcpu();
    cpu_set_t set;

    if (ncpu < 2 || cpu < 0)
        return -1;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0)
        return -1;
    CPU_ZERO(&set);
    CPU_SET(same ? cpu : (cpu + 1) % ncpu, &set);
    return pthread_setaffinity_np(listener, sizeof(set), &set) ? -1 : 0;
}

/* The forked child: listener thread, filter, timed loops: unpinned as
 * veneerd's threads are, then listener and caller pinned together and
 * apart. */
static void mm_notif_child(struct mm_shared *sh, unsigned long n)
{
    struct hist scratch;
    pthread_t t;
    char *hole;
    int fd, rc;

    rc = mm_setup(&fd, &hole);
    if (rc == 0)
        rc = -pthread_create(&t, NULL, mm_listen, NULL);
    if (rc == 0)
        rc = mm_install();
    if (rc < 0) {
        snprintf(sh->why, sizeof(sh->why), "seccomp listener: %s",
                 strerror(-rc));
        _exit(1);
    }
    mm_notif_loop(n, &sh->notif);
    rc = mm_loop(fd, hole, MM_SMALL, n, &sh->notif_mmap, &scratch);
    if (rc < 0) {
        snprintf(sh->why, sizeof(sh->why), "notified mmap: %s", strerror(-rc));
        _exit(1);
    }
    if (mm_pin(t, 1) == 0)
        mm_notif_loop(n, &sh->notif_same);
    if (mm_pin(t, 0) == 0)
        mm_notif_loop(n, &sh->notif_other);
    sh->ok = 1;
    _exit(0);
}

static void mm_notif(unsigned long n, struct mmpeer *p, uint64_t ovh)
{
    struct mm_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t pid;
    int status = 0;

    if (sh == MAP_FAILED) {
        snprintf(p->why, sizeof(p->why), "mmap: %s", strerror(errno));
        return;
    }
    memset(sh, 0, sizeof(*sh));
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        mm_notif_child(sh, n);
    if (pid < 0)
        snprintf(p->why, sizeof(p->why), "fork: %s", strerror(errno));
    else
        waitpid(pid, &status, 0);
    if (pid > 0 && sh->ok) {
        p->notif = fig_of_hist_ticks(&sh->notif, ovh);
        p->notif_mmap = fig_of_hist_ticks(&sh->notif_mmap, ovh);
        p->notif_same = fig_of_hist_ticks(&sh->notif_same, ovh);
        p->notif_other = fig_of_hist_ticks(&sh->notif_other, ovh);
    } else if (pid > 0) {
        snprintf(p->why, sizeof(p->why), "%s",
                 sh->why[0] ? sh->why : "the filtered child failed");
    }
    munmap(sh, sizeof(*sh));
}

/*
 * mmpeer_run - the host peers of (c), n calls of each small one (n / 8
 * of the 2 MiB ones). Figures are in ns, bracket removed; a peer that
 * could not be measured has n = 0 (p->why says why for the notification).
 */
void mmpeer_run(unsigned long n, struct mmpeer *p)
{
    static struct hist map, unmap;
    uint64_t ovh = clock_bracket_ticks();
    char *hole;
    int fd = -1, rc;

    memset(p, 0, sizeof(*p));
    rc = mm_setup(&fd, &hole);
    if (rc == 0)
        rc = mm_loop(fd, hole, MM_SMALL, n, &map, &unmap);
    if (rc == 0) {
        p->mmap4k = fig_of_hist_ticks(&map, ovh);
        p->munmap4k = fig_of_hist_ticks(&unmap, ovh);
        rc = mm_loop(fd, hole, MM_LARGE, n / 8, &map, &unmap);
    }
    if (rc == 0) {
        p->mmap2m = fig_of_hist_ticks(&map, ovh);
        p->munmap2m = fig_of_hist_ticks(&unmap, ovh);
    }
    if (fd >= 0)
        close(fd);
    mm_notif(n, p, ovh);
}
