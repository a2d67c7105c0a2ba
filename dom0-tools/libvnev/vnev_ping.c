/* SPDX-License-Identifier: MIT */
/*
 * vnev-ping: libvnev end to end against a running `veneerd daemon`, and
 * the dom0 figures of the event-channel benchmark.
 *
 *   vnev-ping --rundir DIR --kernel evchan.elf [--rounds N] [--name NAME]
 *             [--sync]
 *   vnev-ping --peer [--rounds N]
 *
 * With --kernel it creates a domain from the evchan test guest in its
 * pong role for domain 0 (the guest makes port 4 unbound for dom0 and
 * answers every event on it; tests/guests/evchan.c), binds to it through
 * libvnev (retrying until the guest has made the port), checks Xen's
 * answers to wrong ports and domains from dom0's side, plays N round trips
 * (vn_evtchn_notify, then wait on the port's eventfd), closes its end (the
 * guest then finishes and powers off) and waits for VIRQ_DOM_EXC.
 * With --peer it plays the same N round trips between two host processes
 * over a pair of raw eventfds: the physical limit beside the figures.
 *
 * Prints "vnev-ping: ok ..." / "vnev-ping: FAIL ..." per check, "vnev-ping:
 * rtt <what> us: min M median M p99 P max X", and exits 0 only if every
 * check passed. --sync sends with vn_evtchn_send (a control-socket round
 * trip) instead of vn_evtchn_notify (the port's send eventfd).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

#include "vnev.h"

/* evchan's ports in the pong role (1 and 2 are the builder's store and
 * console channels, unbound for dom0). */
#define PING_GUEST_VIRQ   3      /* VIRQ_TIMER */
#define PING_GUEST_NOBODY 4      /* unbound for a domain that does not exist */
#define PING_GUEST_PORT   6      /* the channel */
#define PING_NOBODY       0x7001 /* a domain id nobody has */
#define PING_WAIT_MS      10000  /* for the guest to appear, answer or go */

static unsigned int failures;

static void check(int ok, const char *fmt, ...)
{
    va_list ap;

    printf("vnev-ping: %s ", ok ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    failures += !ok;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *rtt, unsigned long n)
{
    if (!n)
        return;
    qsort(rtt, n, sizeof(*rtt), cmp_u64);
    printf("vnev-ping: rtt %s us: min %.1f median %.1f p99 %.1f max %.1f\n",
           what, rtt[0] / 1e3, rtt[n / 2] / 1e3, rtt[n * 99 / 100] / 1e3,
           rtt[n - 1] / 1e3);
}

/* ---- the peer: two host processes and two raw eventfds ---- */

static int efd_wait(int fd)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    uint64_t v;

    if (poll(&pfd, 1, PING_WAIT_MS) != 1)
        return -1;
    return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -1;
}

static int efd_kick(int fd)
{
    uint64_t one = 1;

    return write(fd, &one, sizeof(one)) == (ssize_t)sizeof(one) ? 0 : -1;
}

static int run_peer(unsigned long rounds, uint64_t *rtt)
{
    int to = eventfd(0, EFD_NONBLOCK), back = eventfd(0, EFD_NONBLOCK);
    unsigned long done = 0;
    pid_t pid;
    int st;

    if (to < 0 || back < 0)
        return 1;
    pid = fork();
    if (pid == 0) {
        for (unsigned long i = 0; i < rounds; i++)
            if (efd_wait(to) < 0 || efd_kick(back) < 0)
                _exit(1);
        _exit(0);
    }
    for (; done < rounds; done++) {
        uint64_t t = now_ns();
        if (efd_kick(to) < 0 || efd_wait(back) < 0)
            break;
        rtt[done] = now_ns() - t;
    }
    waitpid(pid, &st, 0);
    check(done == rounds && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "peer: %lu eventfd round trips between two processes", done);
    report("eventfd process<->process", rtt, done);
    return failures != 0;
}

/* ---- creating the guest: VN_CTL_CREATE on its own connection ---- */

static int ctl_create(const char *rundir, const char *kernel, const char *name,
                      const char *cmdline, uint32_t *domid)
{
    struct vn_ctl_create c = {.memory_mib = 16,
                              .on_poweroff = VN_ON_PRESERVE,
                              .on_crash = VN_ON_PRESERVE};
    struct vn_ctl_hdr h = {.magic = VN_CTL_MAGIC,
                           .version = VN_CTL_VERSION,
                           .op = VN_CTL_CREATE,
                           .len = sizeof(c)};
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct iovec iov[2] = {{&h, sizeof(h)}, {&c, sizeof(c)}};
    char cbuf[CMSG_SPACE(sizeof(int))] = {0};
    struct msghdr msg = {.msg_iov = iov,
                         .msg_iovlen = 2,
                         .msg_control = cbuf,
                         .msg_controllen = sizeof(cbuf)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    struct vn_dominfo info;
    int fd = -1, img = -1, rc = -1;

    snprintf(c.name, sizeof(c.name), "%s", name);
    snprintf(c.cmdline, sizeof(c.cmdline), "%s", cmdline);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/veneerd.sock", rundir);
    img = open(kernel, O_RDONLY | O_CLOEXEC);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (img < 0 || fd < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        goto out;
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &img, sizeof(int));
    if (sendmsg(fd, &msg, 0) != (ssize_t)(sizeof(h) + sizeof(c)) ||
        recv(fd, &h, sizeof(h), MSG_WAITALL) != (ssize_t)sizeof(h) ||
        h.status != 0 || h.len != sizeof(info) ||
        recv(fd, &info, sizeof(info), MSG_WAITALL) != (ssize_t)sizeof(info))
        goto out;
    *domid = info.domid;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (img >= 0)
        close(img);
    return rc;
}

/* ---- dom0's end ---- */

/* Bind to the guest's channel, retrying until it has made the port. */
static int bind_guest(struct vn_evtchn *h, uint32_t domid, uint32_t *port)
{
    uint64_t end = now_ns() + PING_WAIT_MS * 1000000ull;
    int rc;

    do {
        rc = vn_evtchn_bind_interdomain(h, domid, PING_GUEST_PORT, port);
        if (rc == -EINVAL)
            usleep(1000);
    } while (rc == -EINVAL && now_ns() < end);
    check(rc == 0, "bind to dom%u port %u: dom0 port %u (%d)", domid,
          PING_GUEST_PORT, *port, rc);
    check(rc == 0 && vn_evtchn_wait(h, *port, 0) == 1,
          "the new port is raised at bind, as on Xen");
    return rc;
}

static void check_errors(struct vn_evtchn *h, uint32_t domid, uint32_t chan)
{
    struct vn_ctl_evtchn_status st;
    uint32_t p = 0, q = 0;
    int rc;

    rc = vn_evtchn_bind_interdomain(h, domid, PING_GUEST_VIRQ, &p);
    check(rc == -EINVAL, "bind to the guest's VIRQ port: -EINVAL (%d)", rc);
    rc = vn_evtchn_bind_interdomain(h, domid, PING_GUEST_NOBODY, &p);
    check(rc == -EINVAL,
          "bind to a port unbound for another domain: "
          "-EINVAL (%d)",
          rc);
    rc = vn_evtchn_bind_interdomain(h, domid, PING_GUEST_PORT, &p);
    check(rc == -EINVAL, "bind to the channel twice: -EINVAL (%d)", rc);
    rc = vn_evtchn_bind_interdomain(h, domid, 5000, &p);
    check(rc == -EINVAL, "bind to a port out of range: -EINVAL (%d)", rc);
    rc = vn_evtchn_bind_interdomain(h, PING_NOBODY, 1, &p);
    check(rc == -ESRCH, "bind to a domain that does not exist: -ESRCH (%d)",
          rc);
    rc = vn_evtchn_send(h, chan + 1000);
    check(rc == -EINVAL, "send on a port not ours: -EINVAL (%d)", rc);
    rc = vn_evtchn_notify(h, chan + 1000);
    check(rc == -EBADF, "notify on a port not ours: -EBADF (%d)", rc);
    rc = vn_evtchn_status(h, chan, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.domid == domid &&
              st.remote_port == PING_GUEST_PORT,
          "status: interdomain to dom%u port %u", st.domid, st.remote_port);
    rc = vn_evtchn_bind_virq(h, VIRQ_TIMER, &p);
    check(rc == -EINVAL, "bind VIRQ_TIMER (per-vCPU): -EINVAL (%d)", rc);
    rc = vn_evtchn_alloc_unbound(h, domid, &q);
    check(rc == 0 && vn_evtchn_status(h, q, &st) == 0 &&
              st.status == EVTCHNSTAT_unbound && st.domid == domid,
          "alloc_unbound for dom%u: port %u", domid, q);
    check(vn_evtchn_notify(h, q) == 0 && vn_evtchn_send(h, q) == 0,
          "send on an unbound port: 0 (dropped)");
    check(vn_evtchn_unbind(h, q) == 0 && vn_evtchn_unbind(h, q) == -EINVAL,
          "unbind it, and a second time: -EINVAL");
}

static int run_guest(const char *rundir, const char *kernel, const char *name,
                     unsigned long rounds, int sync, uint64_t *rtt)
{
    struct vn_ctl_evtchn_status st;
    struct vn_evtchn *h = NULL;
    uint32_t domid = 0, chan = 0, exc = 0, again = 0;
    unsigned long done = 0;
    char cmdline[128];
    int rc;

    rc = vn_evtchn_open(rundir, &h);
    check(rc == 0, "vn_evtchn_open (%d)", rc);
    if (rc)
        return 1;
    rc = vn_evtchn_bind_virq(h, VIRQ_DOM_EXC, &exc);
    check(rc == 0, "bind VIRQ_DOM_EXC: port %u (%d)", exc, rc);
    rc = vn_evtchn_bind_virq(h, VIRQ_DOM_EXC, &again);
    check(rc == -EEXIST, "bind VIRQ_DOM_EXC twice: -EEXIST (%d)", rc);
    snprintf(cmdline, sizeof(cmdline), "pong peer=0 rounds=%lu", rounds);
    rc = ctl_create(rundir, kernel, name, cmdline, &domid);
    check(rc == 0, "created %s from %s: dom%u", name, kernel, domid);
    if (rc || bind_guest(h, domid, &chan) < 0) {
        vn_evtchn_close(h);
        return 1;
    }
    check_errors(h, domid, chan);
    for (; done < rounds; done++) {
        uint64_t t = now_ns();
        if ((sync ? vn_evtchn_send(h, chan) : vn_evtchn_notify(h, chan)) < 0 ||
            vn_evtchn_wait(h, chan, PING_WAIT_MS) <= 0)
            break;
        rtt[done] = now_ns() - t;
    }
    check(done == rounds,
          "%lu round trips with the guest, every answer "
          "received",
          done);
    report(sync ? "guest<->dom0 process (vn_evtchn_send)"
                : "guest<->dom0 process (vn_evtchn_notify)",
           rtt, done);
    vn_evtchn_ack(h, exc);
    check(vn_evtchn_unbind(h, chan) == 0, "close our end");
    check(vn_evtchn_wait(h, exc, PING_WAIT_MS) > 0,
          "VIRQ_DOM_EXC when the guest powered off");
    check(vn_evtchn_status(h, exc, &st) == 0 && st.status == EVTCHNSTAT_virq &&
              st.virq == VIRQ_DOM_EXC,
          "status: VIRQ_DOM_EXC");
    vn_evtchn_close(h);
    return failures != 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rundir", required_argument, NULL, 'd'},
        {"kernel", required_argument, NULL, 'k'},
        {"name", required_argument, NULL, 'n'},
        {"rounds", required_argument, NULL, 'r'},
        {"peer", no_argument, NULL, 'p'},
        {"sync", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *rundir = NULL, *kernel = NULL, *name = "vnev-ping";
    unsigned long rounds = 10000;
    int peer = 0, sync = 0, c, rc;
    uint64_t *rtt;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            rundir = optarg;
        else if (c == 'k')
            kernel = optarg;
        else if (c == 'n')
            name = optarg;
        else if (c == 'r')
            rounds = strtoul(optarg, NULL, 10);
        else if (c == 'p')
            peer = 1;
        else if (c == 's')
            sync = 1;
        else
            return 64;
    }
    if ((!peer && (!kernel || !rundir)) || rounds == 0 || rounds > 10000000) {
        fprintf(stderr, "usage: vnev-ping --rundir DIR --kernel K "
                        "[--rounds N] [--name NAME] [--sync] | --peer "
                        "[--rounds N]\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);
    rtt = calloc(rounds, sizeof(*rtt));
    if (!rtt)
        return 1;
    rc = peer ? run_peer(rounds, rtt)
              : run_guest(rundir, kernel, name, rounds, sync, rtt);
    free(rtt);
    printf("vnev-ping: %s\n", rc ? "FAILED" : "SUCCESS");
    return rc;
}
