/* SPDX-License-Identifier: MIT */
/*
 * The trap platform: a domain is a host process running the domain stub.
 * This file starts that process, serves its vCPU mailboxes (one server
 * thread per vCPU), answers its seccomp user notifications, and stops and
 * reaps it. Nothing else in veneerd knows about processes, signals or
 * seccomp.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/errno.h>

#include "veneerd.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int sys_pidfd_open(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int sys_pidfd_getfd(int pidfd, int fd)
{
    return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}

static int sys_pidfd_kill(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static void futex_wake_all(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

static int futex_wait_ns(uint32_t *word, uint32_t val, uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000ull),
                          (long)(ns % 1000000000ull)};

    return (int)syscall(SYS_futex, word, FUTEX_WAIT, val, ns ? &ts : NULL, NULL,
                        0);
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct stub_boot *boot_block(struct domain *d)
{
    return (struct stub_boot *)(d->mbox + STUB_MBOX_BOOT_OFFSET);
}

/* ---- start-up ---- */

struct map_builder {
    struct stub_boot *boot;
    gva_t populate_below;
};

/* Add one realised range to the boot block, pre-faulting the part below
 * the bootstrap stack's top (the part the guest is about to touch). */
static int boot_add_map(void *arg, gva_t va, uint64_t slot, uint64_t len,
                        uint32_t prot)
{
    struct map_builder *mb = arg;
    struct stub_boot *b = mb->boot;

    if (va < mb->populate_below && va + len > mb->populate_below) {
        uint64_t head = mb->populate_below - va;
        if (boot_add_map(arg, va, slot, head, prot))
            return -1;
        return boot_add_map(arg, va + head, slot + head / PAGE_SIZE, len - head,
                            prot);
    }
    if (b->nr_maps == STUB_BOOT_MAX_MAPS)
        return -1;
    b->maps[b->nr_maps++] = (struct stub_map){
        .va = va,
        .offset = slot * PAGE_SIZE,
        .len = len,
        .prot = prot,
        .populate = va < mb->populate_below,
    };
    return 0;
}

static int platform_write_boot(struct domain *d)
{
    struct stub_boot *b = boot_block(d);
    struct map_builder mb = {b, d->stack_top};
    int rc;

    memset(b, 0, sizeof(*b));
    b->magic = STUB_BOOT_MAGIC;
    b->version = STUB_ABI_VERSION;
    /* A uid of its own per domain: no other process (nor another domain's)
     * may signal or trace it. */
    b->uid = VN_STUB_UID_BASE + d->id;
    b->gid = VN_STUB_UID_BASE + d->id;
    b->notify_fd = -1;
    b->entry_rip = d->entry;
    b->entry_rsp = d->stack_top;
    b->entry_rsi = d->start_info_va;
    b->parent = getpid();
    rc = pt_for_each_mapping(d, d->vcpus[0].cr3, boot_add_map, &mb);
    if (rc < 0) {
        log_warnx("%s: dom%u: cannot describe the bootstrap mappings (%d)",
                  __func__, d->id, rc);
        return rc;
    }
    __atomic_store_n(&b->state, STUB_BOOT_WRITTEN, __ATOMIC_SEQ_CST);
    return 0;
}

static int platform_spawn(struct domain *d, const char *stub_path)
{
    char *const argv[] = {"veneer-stub", NULL};
    char *const envp[] = {NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    int rc;

    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&fa, d->ram_fd, STUB_FD_RAM);
    posix_spawn_file_actions_adddup2(&fa, d->mbox_fd, STUB_FD_MBOX);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    /* glibc's posix_spawn uses clone(CLONE_VM|CLONE_VFORK): no fork cost. */
    rc = posix_spawn(&d->pid, stub_path, &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        log_warn("%s: dom%u: cannot start %s", __func__, d->id, stub_path);
        return -rc;
    }
    d->pidfd = sys_pidfd_open(d->pid);
    if (d->pidfd < 0) {
        rc = -errno;
        log_warn("%s: dom%u: pidfd_open", __func__, d->id);
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
        d->pid = -1;
        return rc;
    }
    return 0;
}

static const char *const stub_steps[] = {
    "?",         "unmap",        "map mailbox",  "boot block", "map RAM",
    "close fds", "signals",      "limits",       "namespaces", "capabilities",
    "ids",       "parent death", "no_new_privs", "seccomp",
};

/* Wait until the stub reports LOCKED (or fails, dies, or times out). */
static int platform_wait_locked(struct domain *d)
{
    struct stub_boot *b = boot_block(d);
    uint64_t deadline = now_ns() + VN_STUB_START_TIMEOUT_S * 1000000000ull;

    for (;;) {
        uint32_t st = __atomic_load_n(&b->state, __ATOMIC_SEQ_CST);
        struct pollfd pfd = {d->pidfd, POLLIN, 0};

        if (st == STUB_BOOT_LOCKED)
            return 0;
        if (st == STUB_BOOT_FAILED) {
            int step = b->error_step;
            log_warnx("dom%u: domain stub failed at start-up step '%s': %s",
                      d->id,
                      step > 0 && step < (int)(sizeof(stub_steps) /
                                               sizeof(*stub_steps))
                          ? stub_steps[step]
                          : "?",
                      strerror(b->error_errno));
            return -EIO;
        }
        if (poll(&pfd, 1, 0) == 1) {
            log_warnx("dom%u: domain stub died during start-up", d->id);
            return -EIO;
        }
        if (now_ns() > deadline) {
            log_warnx("dom%u: domain stub did not start in %d s", d->id,
                      VN_STUB_START_TIMEOUT_S);
            return -ETIMEDOUT;
        }
        futex_wait_ns(&b->state, st, 10000000ull);
    }
}

static void *platform_serve(void *arg);
static void *platform_notifier(void *arg);

/*
 * platform_start - start domain d's process; unless `paused`, run its
 * guest (else platform_unpause does).
 *
 * Return values: 0; a negative errno if the process could not be started
 * (then nothing of it is left running).
 */
int platform_start(struct domain *d, const char *stub_path, bool paused)
{
    struct stub_boot *b;
    int rc;

    d->mbox_fd = memfd_create("veneer-mailbox", MFD_CLOEXEC);
    if (d->mbox_fd < 0 || ftruncate(d->mbox_fd, STUB_MBOX_FILE_SIZE) < 0)
        return -errno;
    d->mbox = mmap(NULL, STUB_MBOX_FILE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_SHARED, d->mbox_fd, 0);
    if (d->mbox == MAP_FAILED) {
        d->mbox = NULL;
        return -errno;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        d->vcpus[i].mbox =
            (struct stub_mailbox *)(d->mbox + STUB_MBOX_VCPU_OFFSET(i));
    evtchn_fast_attach(d, (uint64_t *)(d->mbox + STUB_MBOX_EVTCHN_OFFSET));
    rc = platform_write_boot(d);
    if (rc == 0)
        rc = platform_spawn(d, stub_path);
    if (rc == 0)
        rc = platform_wait_locked(d);
    b = boot_block(d);
    if (rc == 0) {
        d->notify_fd = sys_pidfd_getfd(d->pidfd, b->notify_fd);
        if (d->notify_fd < 0) {
            rc = -errno;
            log_warn("dom%u: pidfd_getfd(seccomp listener)", d->id);
        }
    }
    if (rc == 0) {
        rc = procmaps_open(d);
        if (rc < 0)
            log_warnx("dom%u: cannot open the domain's maps: %s", d->id,
                      strerror(-rc));
    }
    if (rc == 0) {
        rc = -pthread_create(&d->notifier, NULL, platform_notifier, d);
        d->notifier_started = rc == 0;
    }
    if (rc == 0)
        time_domain_start(d); /* system time 0, pvclock, wallclock */
    for (unsigned int i = 0; rc == 0 && i < d->nr_vcpus; i++) {
        rc = -pthread_create(&d->vcpus[i].server, NULL, platform_serve,
                             &d->vcpus[i]);
        d->vcpus[i].server_started = rc == 0;
    }
    if (rc < 0) {
        platform_stop(d);
        return rc;
    }
    d->state = DOM_RUNNING;
    d->paused = true;
    if (!paused)
        platform_unpause(d);
    return 0;
}

/* Let the guest run: the first time by saying GO to the waiting stub,
 * later by continuing the stopped process. */
void platform_unpause(struct domain *d)
{
    struct stub_boot *b = boot_block(d);

    if (!d->paused || d->pidfd < 0)
        return;
    d->paused = false;
    if (!d->started) {
        d->started = true;
        __atomic_store_n(&b->state, STUB_BOOT_GO, __ATOMIC_SEQ_CST);
        futex_wake_all(&b->state);
        return;
    }
    sys_pidfd_kill(d->pidfd, SIGCONT);
}

/* Stop every thread of the domain process where it is (SIGSTOP cannot be
 * caught or blocked); veneerd's server threads just find no requests. */
void platform_pause(struct domain *d)
{
    if (d->paused || d->pidfd < 0)
        return;
    d->paused = true;
    if (d->started)
        sys_pidfd_kill(d->pidfd, SIGSTOP);
}

/* The domain process's pidfd (readable once it has exited), or -1. */
int platform_pidfd(const struct domain *d)
{
    return d->pidfd;
}

/* ---- serving hypercalls ---- */

/* Sleep on v's request word until a request comes or v's next timer is
 * due (timer.c: the server thread runs its vCPU's timers). */
static void platform_sleep(struct vcpu *v, uint32_t seq)
{
    uint64_t ns = time_ns_until(v->dom, vcpu_next_deadline(v));

    if (ns == 0)
        return;
    futex_wait_ns(&v->mbox->req_seq, seq, ns == UINT64_MAX ? 0 : ns);
}

/* Fire v's due timers; true if that kicked the running guest (its KICK
 * request is on the way). */
static bool platform_run_timers(struct vcpu *v)
{
    uint64_t kicks = v->nr_kicks;

    timer_run(v);
    return v->nr_kicks != kicks;
}

/* Wait for the next request on v's mailbox: spin, then sleep; fire v's
 * timers meanwhile. After a timer kicked the guest, spin longer for its
 * KICK request, yielding, since the stub may be waiting for this CPU. */
static bool platform_next_request(struct vcpu *v)
{
    struct stub_mailbox *mb = v->mbox;
    uint64_t spin_end = now_ns() + VN_SERVER_SPIN_NS;
    bool yielding = false;

    while (!v->stop) {
        uint32_t seq = __atomic_load_n(&mb->req_seq, __ATOMIC_ACQUIRE);
        if (seq != v->last_req) {
            v->last_req = seq;
            return !v->stop; /* teardown moves req_seq to wake us */
        }
        if (evtchn_fast_pending(v)) {
            /* Sends the stub posted. The spin is not extended for them:
             * a guest flooding sends wakes this thread (its stub pays the
             * FUTEX_WAKE) rather than keeping it spinning, so it does not
             * take a second CPU's worth of time from the others. */
            evtchn_fast_drain(v);
            continue;
        }
        if (platform_run_timers(v)) {
            spin_end = now_ns() + VN_KICK_SPIN_NS;
            yielding = true;
        }
        if (now_ns() < spin_end) {
            /* Look at the mailbox after every pause (a request seen one
             * pause late costs ~35 ns; one seen 64 late, ~1 us); the
             * clock and timers only every 64. */
            for (int i = 0; i < 64; i++) {
                if (__atomic_load_n(&mb->req_seq, __ATOMIC_RELAXED) !=
                    v->last_req)
                    break;
                __builtin_ia32_pause();
            }
            if (yielding)
                sched_yield();
            continue;
        }
        yielding = false;
        __atomic_store_n(&mb->veneerd_sleeping, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&mb->req_seq, __ATOMIC_SEQ_CST) == seq &&
            !evtchn_fast_pending(v) && !v->stop)
            platform_sleep(v, seq);
        __atomic_store_n(&mb->veneerd_sleeping, 0, __ATOMIC_SEQ_CST);
        spin_end = now_ns() + VN_SERVER_SPIN_NS;
    }
    return false;
}

/* Withdraw every approval, dropping the files grant ones still hold;
 * approvals_lock held. */
static void platform_drop_approvals(struct domain *d)
{
    for (size_t i = 0; i < STUB_MAX_OPS; i++) {
        gnttab_ram_put(d->approvals[i].ram);
        d->approvals[i].ram = NULL;
        d->approvals[i].live = false;
    }
    d->approvals_live = false;
}

/*
 * Copy the next chunk of v's pending mapping ops into the mailbox's op
 * area, approving each map op for the notifier. A grant map op gets a
 * file number of its own (stub_abi.h), so a chunk holds at most
 * STUB_FD_GRANT_COUNT of them; its approval takes over the reference to
 * the granter's file. Returns the count sent.
 */
static uint32_t platform_send_ops(struct vcpu *v)
{
    struct domain *d = v->dom;
    struct stub_op *area =
        (struct stub_op *)(d->mbox + STUB_MBOX_OPS_OFFSET(v->id));
    size_t n = v->nr_ops - v->ops_sent;
    uint32_t grants = 0;

    if (n > STUB_MAX_OPS)
        n = STUB_MAX_OPS;
    pthread_mutex_lock(&d->approvals_lock);
    platform_drop_approvals(d);
    for (size_t i = 0; i < n; i++) {
        size_t k = v->ops_sent + i;
        struct stub_op op = v->ops[k];

        if (op.kind == STUB_OP_MAP_GRANT) {
            if (grants == STUB_FD_GRANT_COUNT) {
                n = i;
                break;
            }
            op.fd = (uint16_t)(STUB_FD_GRANT_BASE + grants++);
        }
        area[i] = op;
        if (op.kind == STUB_OP_UNMAP)
            continue;
        d->approvals[i] = (struct mm_approval){
            .va = op.va,
            .len = op.len,
            .offset = op.offset,
            .prot = op.prot,
            .live = true,
            .fd = op.kind == STUB_OP_MAP_GRANT ? op.fd : STUB_FD_RAM,
            .ram = op.kind == STUB_OP_MAP_GRANT ? v->op_ram[k] : NULL,
        };
        if (op.kind == STUB_OP_MAP_GRANT)
            v->op_ram[k] = NULL;
        d->approvals_live = true;
    }
    pthread_mutex_unlock(&d->approvals_lock);
    v->ops_sent += n;
    if (v->ops_sent == v->nr_ops)
        mm_ops_reset(v);
    return (uint32_t)n;
}

/*
 * v is about to run guest code again: fire due timers, then (v RUNNING, so
 * that a later event kicks it) deliver a pending event upcall if one is
 * deliverable (Xen's test_all_events). Returns the action that resumes v:
 * its whole register set if anything changed it.
 */
static uint32_t platform_resume(struct vcpu *v, uint32_t action)
{
    timer_run(v);
    vcpu_resume(v);
    if (upcall_deliverable(v)) {
        pthread_mutex_lock(&v->dom->mm_lock);
        upcall_on_resume(v);
        pthread_mutex_unlock(&v->dom->mm_lock);
    }
    if (domain_is_stopping(v->dom))
        return STUB_ACT_HALT;
    return v->regs_dirty ? STUB_ACT_SET_REGS : action;
}

static void platform_respond(struct vcpu *v, uint32_t action, int64_t ret)
{
    struct stub_mailbox *mb = v->mbox;
    uint32_t nr_ops = 0;
    bool more;

    if (action != STUB_ACT_HALT && v->nr_ops)
        nr_ops = platform_send_ops(v);
    /* More ops to come, or a grant unmap waiting to hear that they ran:
     * the stub asks again (STUB_REQ_MORE_OPS) before the guest resumes. */
    more = v->nr_ops != 0 || (v->ops_ack && action != STUB_ACT_HALT);
    if (action != STUB_ACT_HALT && !more)
        action = platform_resume(v, action);
    if (action == STUB_ACT_SET_REGS) {
        mb->out = v->regs;
        mb->out_flags = v->out_flags;
    }
    mb->ret = ret;
    mb->nr_ops = nr_ops;
    mb->ops_more = more;
    __atomic_store_n(&mb->action, action, __ATOMIC_RELEASE);
    __atomic_add_fetch(&mb->rsp_seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&mb->stub_sleeping, __ATOMIC_SEQ_CST))
        futex_wake_all(&mb->rsp_seq);
}

/* After a hypercall: if the incremental view of the host mappings was
 * lost, realise the whole tree; if even that cannot be described, the
 * domain cannot go on. */
static void platform_settle_mappings(struct vcpu *v)
{
    struct domain *d = v->dom;

    if (!d->realise_full)
        return;
    mm_realise_all(v);
    if (d->realise_overflow) {
        mm_ops_reset(v);
        domain_crash(d, "address space too fragmented to realise");
    }
}

/* Handle one request; req is veneerd's private copy of the mailbox. */
static void platform_handle(struct vcpu *v, const struct stub_mailbox *req)
{
    struct domain *d = v->dom;
    struct hypercall_args hc;
    uint32_t action = STUB_ACT_RETURN;
    char why[160];
    int64_t ret = 0;

    switch (req->kind) {
    case STUB_REQ_HYPERCALL:
        vcpu_enter(v, &req->regs, false);
        evtchn_fast_drain(v); /* posted sends come first, in order */
        hc.nr = req->regs.rax;
        hc.a[0] = req->regs.rdi;
        hc.a[1] = req->regs.rsi;
        hc.a[2] = req->regs.rdx;
        hc.a[3] = req->regs.r10;
        hc.a[4] = req->regs.r8;
        pthread_mutex_lock(&d->mm_lock);
        ret = hypercall_dispatch(v, &hc);
        platform_settle_mappings(v);
        pthread_mutex_unlock(&d->mm_lock);
        v->regs.rax = (uint64_t)ret;
        v->held_ret = ret;
        if (v->block_kind != VCPU_BLOCK_NONE) {
            /* SCHEDOP_block/poll: sleep, without mm_lock; the stub too. */
            __atomic_store_n(&v->mbox->veneerd_waiting, 1, __ATOMIC_RELAXED);
            vcpu_wait(v);
            __atomic_store_n(&v->mbox->veneerd_waiting, 0, __ATOMIC_RELAXED);
        }
        break;
    case STUB_REQ_KICK:
        vcpu_enter(v, &req->regs, true);
        evtchn_fast_drain(v);
        action = STUB_ACT_RESUME;
        break;
    case STUB_REQ_MORE_OPS:
        ret = v->held_ret; /* the hypercall's result, still owed */
        if (v->ops_ack && v->nr_ops == 0) {
            /* Every op sent has run: unmapped grants may go. */
            pthread_mutex_lock(&d->mm_lock);
            gnttab_ops_acked(v);
            pthread_mutex_unlock(&d->mm_lock);
        }
        break;
    case STUB_REQ_OPS_FAILED:
        snprintf(why, sizeof(why),
                 "the domain process could not apply mapping op %u (errno "
                 "%d)",
                 req->op_failed, -req->op_errno);
        domain_crash(d, why);
        break;
    case STUB_REQ_FAULT:
        vcpu_enter(v, &req->regs, false);
        evtchn_fast_drain(v);
        pthread_mutex_lock(&d->mm_lock);
        trap_fault(v, req);
        pthread_mutex_unlock(&d->mm_lock);
        action = STUB_ACT_RESUME;
        break;
    case STUB_REQ_BADCALL:
        snprintf(why, sizeof(why),
                 "system call through a refused entry (audit arch 0x%x, "
                 "rip %#llx): 32-bit entries are not hypercalls",
                 req->arch, (unsigned long long)req->regs.rip);
        domain_crash(d, why);
        break;
    default:
        snprintf(why, sizeof(why), "malformed mailbox request (kind %u)",
                 req->kind);
        domain_crash(d, why);
        break;
    }
    platform_respond(v, domain_is_stopping(d) ? STUB_ACT_HALT : action, ret);
}

static void *platform_serve(void *arg)
{
    struct vcpu *v = arg;
    struct stub_mailbox req;

    /* Timer deadlines are met to the microsecond, not the default 50 us
     * slack of a futex wait. */
    prctl(PR_SET_TIMERSLACK, 1ul, 0, 0, 0);
    while (platform_next_request(v)) {
        /* One copy of the guest-writable page, then only the copy. */
        memcpy(&req, (const void *)v->mbox, sizeof(req));
        /* The stub runs every op before it asks again: an approval not
         * used by now is withdrawn, so a map op the guest held back can
         * never run after veneerd's view of that page changed. */
        if (__atomic_load_n(&v->dom->approvals_live, __ATOMIC_ACQUIRE)) {
            pthread_mutex_lock(&v->dom->approvals_lock);
            platform_drop_approvals(v->dom);
            pthread_mutex_unlock(&v->dom->approvals_lock);
        }
        platform_handle(v, &req);
    }
    return NULL;
}

/* ---- seccomp user notifications ---- */

/*
 * Is this mmap one the stub was told to make? Consume the approval. For a
 * grant map op, *install is the granter's file to put at the op's file
 * number first (a reference the caller drops).
 */
static bool platform_approve_mmap(struct domain *d,
                                  const struct seccomp_data *sd,
                                  struct gnttab_ram **install)
{
    const __u64 *a = sd->args;
    long prot = 0;
    bool ok = false;

    *install = NULL;
    if (a[3] != (MAP_SHARED | MAP_FIXED))
        return false;
    if (a[4] != STUB_FD_RAM &&
        (a[4] < STUB_FD_GRANT_BASE ||
         a[4] >= STUB_FD_GRANT_BASE + STUB_FD_GRANT_COUNT))
        return false;
    pthread_mutex_lock(&d->approvals_lock);
    for (unsigned int i = 0; i < STUB_MAX_OPS && !ok; i++) {
        struct mm_approval *ap = &d->approvals[i];

        if (!ap->live || ap->va != a[0] || ap->len != a[1] ||
            ap->offset != a[5] || (uint64_t)ap->fd != a[4])
            continue;
        prot = (ap->prot & STUB_PROT_READ ? PROT_READ : 0) |
               (ap->prot & STUB_PROT_WRITE ? PROT_WRITE : 0) |
               (ap->prot & STUB_PROT_EXEC ? PROT_EXEC : 0);
        if ((uint64_t)prot != a[2])
            continue;
        ap->live = false;
        *install = ap->ram;
        ap->ram = NULL;
        ok = true;
    }
    pthread_mutex_unlock(&d->approvals_lock);
    return ok;
}

/*
 * Put the granter's file at the file number of the approved grant mmap
 * `req` (SECCOMP_ADDFD_FLAG_SETFD: that number, replacing whatever the
 * guest left there), read-only unless the mapping is writable. The call
 * is still waiting, so it maps exactly this file. 0, or -errno.
 */
static int platform_install_grant(struct domain *d,
                                  const struct seccomp_notif *req,
                                  const struct gnttab_ram *ram)
{
    struct seccomp_notif_addfd addfd = {
        .id = req->id,
        .flags = SECCOMP_ADDFD_FLAG_SETFD,
        .srcfd =
            (__u32)(req->data.args[2] & PROT_WRITE ? ram->rw_fd : ram->ro_fd),
        .newfd = (__u32)req->data.args[4],
    };

    if (ioctl(d->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0) {
        log_warn("dom%u: cannot install dom%u's file for a grant mapping",
                 d->id, ram->domid);
        return -errno;
    }
    return 0;
}

/*
 * The notifier: answers the domain process's calls that could grant
 * access (mmap, mprotect adding write). Only an mmap of the RAM memfd
 * matching a map op veneerd sent, with the same address, length, rights
 * and offset, runs; every other call gets EPERM. The arguments are all
 * scalars, so letting an approved call continue is safe (seccomp_unotify(2)).
 * A grant map op's mmap names a file number that is not open: its file
 * goes there now, and no other call can reach it (the stub's filter
 * allows nothing but mmap, which comes here, and close on those numbers).
 */
static void *platform_notifier(void *arg)
{
    struct domain *d = arg;
    struct gnttab_ram *ram = NULL;

    for (;;) {
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;

        struct pollfd pfd = {d->notify_fd, POLLIN, 0};

        /* The filter's last user gone (the process died) shows as POLLHUP;
         * a notification withdrawn before we took it (its call was
         * interrupted, e.g. by a kick) is ENOENT, and not the end. */
        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
            break;
        memset(&req, 0, sizeof(req));
        if (ioctl(d->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR || errno == ENOENT)
                continue;
            break;
        }
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        if (req.data.nr == __NR_mmap &&
            platform_approve_mmap(d, &req.data, &ram) &&
            (!ram || platform_install_grant(d, &req, ram) == 0)) {
            resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        } else {
            log_debug("dom%u: refused system call %d from the domain process",
                      d->id, req.data.nr);
            resp.error = -EPERM;
        }
        gnttab_ram_put(ram);
        ram = NULL;
        if (ioctl(d->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 &&
            errno != ENOENT)
            break;
    }
    return NULL;
}

/* ---- waiting, stopping, releasing ---- */

/* platform_reap - collect the exited domain process; if the domain was
 * not already stopping, it crashed. */
void platform_reap(struct domain *d)
{
    siginfo_t si;
    char why[96];

    memset(&si, 0, sizeof(si));
    if (waitid(P_PIDFD, (id_t)d->pidfd, &si, WEXITED) < 0) {
        log_warn("%s: dom%u: waitid", __func__, d->id);
        return;
    }
    d->pid = -1;
    /* Its address space is gone: so are its grant mappings. */
    gnttab_domain_dead(d);
    if (domain_is_stopping(d))
        return;
    if (si.si_code == CLD_EXITED)
        snprintf(why, sizeof(why), "its process exited with status %d",
                 si.si_status);
    else
        snprintf(why, sizeof(why), "its process was killed by signal %d (%s)",
                 si.si_status, strsignal(si.si_status));
    domain_crash(d, why);
}

/*
 * platform_wait - serve d until its process is gone; a signal arriving on
 * sigfd (a signalfd) kills the domain first.
 * Return values: 0 when the domain stopped by itself; else the signal.
 */
int platform_wait(struct domain *d, int sigfd)
{
    int signo = 0;

    for (;;) {
        struct pollfd pfd[2] = {
            {d->pidfd, POLLIN, 0},
            {sigfd, POLLIN, 0},
        };

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            fatal("%s: poll", __func__);
        }
        if (pfd[1].revents & POLLIN) {
            struct signalfd_siginfo ssi;
            if (read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
                signo = (int)ssi.ssi_signo;
            platform_stop(d);
        }
        if (pfd[0].revents & POLLIN) {
            platform_reap(d);
            break;
        }
    }
    return signo;
}

/*
 * platform_kick - interrupt v's guest with the kick signal, so that the
 * stub posts a STUB_REQ_KICK with its registers (vcpu.c coalesces kicks).
 * The domain has one vCPU, its process's only thread, so the signal goes to
 * the process (pidfd: never to a recycled pid); more vCPUs will need
 * per-thread pidfds. Called by server threads, which platform_release
 * joins before it closes the pidfd, and by other domains' senders and
 * dom0's, which evtchn_domain_close cuts off before platform_release.
 */
void platform_kick(struct vcpu *v)
{
    struct domain *d = v->dom;

    if (d->pidfd >= 0 && d->pid > 0)
        sys_pidfd_kill(d->pidfd, STUB_SIG_KICK);
}

/* Kill the domain process; platform_wait reaps it. */
void platform_stop(struct domain *d)
{
    if (d->pidfd >= 0 && d->pid > 0)
        sys_pidfd_kill(d->pidfd, SIGKILL);
}

/* Stop the server threads and free everything platform_start made. */
void platform_release(struct domain *d)
{
    /* Kill first: no new request can come, and a server thread in a long
     * hypercall sees `stop` at its next item (every batch loop checks). */
    if (d->pid > 0)
        platform_stop(d);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = &d->vcpus[i];
        if (!v->server_started)
            continue;
        /* Move the word the server sleeps on as well as waking it: a
         * wake alone is lost if it comes between the server's last look
         * at `stop` and its FUTEX_WAIT (the process is dead: nothing else
         * uses req_seq now). */
        __atomic_store_n(&v->stop, 1, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&v->mbox->req_seq, 1, __ATOMIC_SEQ_CST);
        futex_wake_all(&v->mbox->req_seq);
        vcpu_unblock(v); /* out of SCHEDOP_block/poll */
        pthread_join(v->server, NULL);
        v->server_started = false;
    }
    if (d->pid > 0) {
        platform_stop(d);
        waitpid(d->pid, NULL, 0);
        d->pid = -1;
    }
    if (d->notifier_started) {
        /* The process is dead: RECV fails and the notifier returns. */
        pthread_join(d->notifier, NULL);
        d->notifier_started = false;
    }
    pthread_mutex_lock(&d->approvals_lock);
    platform_drop_approvals(d);
    pthread_mutex_unlock(&d->approvals_lock);
    if (d->pidfd >= 0)
        close(d->pidfd);
    if (d->notify_fd >= 0)
        close(d->notify_fd);
    procmaps_close(d);
    if (d->mbox) {
        evtchn_fast_detach(d);
        munmap(d->mbox, STUB_MBOX_FILE_SIZE);
    }
    if (d->mbox_fd >= 0)
        close(d->mbox_fd);
    d->pidfd = d->notify_fd = d->mbox_fd = -1;
    d->mbox = NULL;
}
