/* SPDX-License-Identifier: MIT */
/*
 * `veneerd daemon`: the long-running hypervisor. One event loop (epoll)
 * watches the control socket, its clients, every domain process's pidfd and
 * the stop signals; each domain's vCPUs are served by their own threads as
 * under `veneerd run`. When a domain stops, the loop applies its
 * on_poweroff / on_reboot / on_crash action. One domain's crash never
 * touches another: each is its own process and its own struct domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <xen/sched.h>

#include "daemon.h"

/* What an epoll event refers to. */
enum watch_kind { W_LISTEN, W_SIGNAL, W_CLIENT, W_DOMAIN, W_EVTCHN };

struct watch {
    enum watch_kind kind;
    int fd;
    struct managed *m; /* W_DOMAIN */
};

static struct {
    char rundir[PATH_MAX - 128];
    char sock_path[PATH_MAX];
    char pid_path[PATH_MAX];
    char stub[PATH_MAX];
    int epfd;
    struct managed *doms[VN_MAX_DOMAINS];
    struct managed *grave[VN_MAX_DOMAINS]; /* freed after each batch */
    unsigned int nr_grave;
    bool stopping;
} dmn = {.epfd = -1};

/* ---- domains ---- */

struct managed *daemon_find_name(const char *name)
{
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (dmn.doms[i] && strcmp(dmn.doms[i]->d->name, name) == 0)
            return dmn.doms[i];
    return NULL;
}

/* The domain a request names, by id or by name. */
struct managed *daemon_find(const struct vn_ctl_dom *who)
{
    char name[VN_NAME_MAX];

    if (who->domid != VN_DOMID_BY_NAME) {
        for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
            if (dmn.doms[i] && dmn.doms[i]->d->id == who->domid)
                return dmn.doms[i];
        return NULL;
    }
    memcpy(name, who->name, sizeof(name));
    name[sizeof(name) - 1] = '\0';
    return daemon_find_name(name);
}

unsigned int daemon_list(struct managed **out, unsigned int max)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < VN_MAX_DOMAINS && n < max; i++)
        if (dmn.doms[i])
            out[n++] = dmn.doms[i];
    return n;
}

/* CPU time of the domain process, from /proc (0 if it is gone). */
static uint64_t daemon_cpu_ns(pid_t pid)
{
    unsigned long long ut = 0, st = 0;
    char path[64], buf[1024], *p;
    ssize_t n;
    int fd;

    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    p = strrchr(buf, ')'); /* the command may hold spaces */
    if (!p || sscanf(p + 2,
                     "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%llu %llu",
                     &ut, &st) != 2)
        return 0;
    return (ut + st) * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
}

void daemon_dominfo(const struct managed *m, struct vn_dominfo *info)
{
    const struct domain *d = m->d;

    memset(info, 0, sizeof(*info));
    info->domid = d->id;
    snprintf(info->name, sizeof(info->name), "%s", d->name);
    switch (d->state) {
    case DOM_SHUTDOWN:
        info->state = VN_DOM_SHUTDOWN;
        break;
    case DOM_CRASHED:
        info->state = VN_DOM_CRASHED;
        break;
    case DOM_BUILDING:
        info->state = VN_DOM_DYING;
        break;
    default:
        info->state = d->paused ? VN_DOM_PAUSED : VN_DOM_RUNNING;
    }
    info->shutdown = d->shutdown_reason;
    info->vcpus = d->nr_vcpus;
    info->memory_kib = d->nr_pages * 4;
    info->max_memory_kib = d->max_pages * 4;
    info->cpu_time_ns = daemon_cpu_ns(d->pid);
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        info->hypercalls += d->vcpus[i].nr_hypercalls;
    info->pid = d->pid;
    info->store_mfn = d->store_mfn;
    info->store_evtchn = d->store_evtchn;
    info->console_mfn = d->console_mfn;
    info->console_evtchn = d->console_evtchn;
}

static int daemon_watch(struct watch *w)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};

    return epoll_ctl(dmn.epfd, EPOLL_CTL_ADD, w->fd, &ev);
}

/* Build the domain from its kept image and start its process. */
static int daemon_boot(struct managed *m, const char *cmdline, bool paused,
                       char *err, size_t errlen)
{
    struct elf_image img;
    struct watch *w;
    int rc;

    if (elf_parse(&img, m->image, m->image_size, err, errlen) < 0)
        return -ENOEXEC;
    if (builder_build(m->d, &img, cmdline, err, errlen) < 0)
        return -ENOEXEC;
    rc = platform_start(m->d, dmn.stub, paused);
    if (rc < 0) {
        snprintf(err, errlen, "cannot start the domain process: %s",
                 strerror(-rc));
        return rc;
    }
    w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    *w = (struct watch){W_DOMAIN, platform_pidfd(m->d), m};
    if (daemon_watch(w) < 0) {
        free(w);
        return -errno;
    }
    m->registered = true;
    m->watch = w;
    return 0;
}

/* Open the domain's console log in the run directory, as its sink. */
static void daemon_console_log(struct domain *d)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/console", dmn.rundir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/console/%s.log", dmn.rundir, d->name);
    d->con_fd = open(
        path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    d->con_log_max = CONSOLE_LOG_MAX;
}

/*
 * daemon_create - create, build and start a domain (VN_CTL_CREATE).
 * Return values: 0 and *out; -EEXIST (name taken), -ENOEXEC (image
 * unusable: err says why), -ENOMEM, -ENOSPC, or the platform's error.
 * On failure nothing of the domain is left.
 */
int daemon_create(const struct vn_ctl_create *c, int image_fd, bool paused,
                  struct managed **out, char *err, size_t errlen)
{
    struct managed *m = NULL;
    struct stat st;
    unsigned int slot = VN_MAX_DOMAINS;
    int rc;

    if (daemon_find_name(c->name))
        return -EEXIST;
    for (unsigned int i = 0; i < VN_MAX_DOMAINS && slot == VN_MAX_DOMAINS; i++)
        if (!dmn.doms[i])
            slot = i;
    if (slot == VN_MAX_DOMAINS)
        return -ENOSPC;
    if (fstat(image_fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
        (uint64_t)st.st_size > VN_MAX_IMAGE_BYTES) {
        snprintf(err, errlen,
                 "the kernel is not a regular file of 1..%llu "
                 "bytes",
                 (unsigned long long)VN_MAX_IMAGE_BYTES);
        return -ENOEXEC;
    }
    m = calloc(1, sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->image_size = (size_t)st.st_size;
    m->image = mmap(NULL, m->image_size, PROT_READ, MAP_PRIVATE, image_fd, 0);
    if (m->image == MAP_FAILED) {
        free(m);
        return -errno;
    }
    m->on_poweroff = c->on_poweroff;
    m->on_reboot = c->on_reboot;
    m->on_crash = c->on_crash;
    m->d = domain_create(c->name, c->memory_mib << 8);
    if (!m->d) {
        rc = -errno;
        daemon_destroy(m);
        return rc;
    }
    daemon_console_log(m->d);
    rc = daemon_boot(m, c->cmdline, paused, err, errlen);
    if (rc < 0) {
        daemon_destroy(m);
        return rc;
    }
    dmn.doms[slot] = m;
    log_info("dom%u (%s): created, %llu MiB", m->d->id, m->d->name,
             (unsigned long long)c->memory_mib);
    *out = m;
    return 0;
}

/* Tear a domain down completely (VN_CTL_DESTROY, or on_* = destroy).
 * The record itself is freed after the current event batch, which may
 * still hold an event naming it. */
void daemon_destroy(struct managed *m)
{
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (dmn.doms[i] == m)
            dmn.doms[i] = NULL;
    if (m->d) {
        if (m->registered)
            epoll_ctl(dmn.epfd, EPOLL_CTL_DEL, platform_pidfd(m->d), NULL);
        log_info("dom%u (%s): destroyed", m->d->id, m->d->name);
        daemon_store_release(m->d->id);
        if (m->d->con_fd >= 0)
            close(m->d->con_fd);
        domain_destroy(m->d);
        m->d = NULL;
    }
    if (m->image && m->image != MAP_FAILED)
        munmap(m->image, m->image_size);
    m->image = NULL;
    m->dead = true;
    if (dmn.nr_grave < VN_MAX_DOMAINS)
        dmn.grave[dmn.nr_grave++] = m;
}

static void daemon_bury(void)
{
    for (unsigned int i = 0; i < dmn.nr_grave; i++) {
        free(dmn.grave[i]->watch);
        free(dmn.grave[i]);
    }
    dmn.nr_grave = 0;
}

static uint64_t daemon_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Restart a stopped domain in place (same id, same frames), once no other
 * domain and no dom0 process maps one of its pages: vstored maps the
 * store ring until it sees the domain's store channel closed, which
 * domain_reset does first; VIRQ_DOM_EXC tells it to look. Until then the
 * domain waits, and the loop retries after each batch of events; past
 * restart_by, or if the rebuild fails, the domain is destroyed instead.
 */
static void daemon_restart(struct managed *m)
{
    struct domain *d = m->d;
    char err[256] = "";
    int rc = domain_reset(d);

    if (rc == -EBUSY && daemon_now_ns() < m->restart_by) {
        if (!m->restart_told) {
            log_info("dom%u (%s): restart waits for its pages to be unmapped",
                     d->id, d->name);
            evtchn_dom0_virq(VIRQ_DOM_EXC);
        }
        m->restart_told = true;
        return;
    }
    m->restarting = m->restart_told = false;
    if (rc == -EBUSY)
        snprintf(err, sizeof(err), "a page of it is still mapped");
    else if (rc < 0)
        snprintf(err, sizeof(err), "cannot reset it: %s", strerror(-rc));
    if (rc == 0 && daemon_boot(m, d->cmdline, false, err, sizeof(err)) == 0) {
        log_info("dom%u (%s): restarted", d->id, d->name);
        daemon_store_restarted(d);
        return;
    }
    log_warnx("dom%u (%s): restart failed: %s", d->id, d->name, err);
    daemon_destroy(m);
}

/* Retry the restarts that wait (after each batch of events); returns
 * whether any still waits. */
static bool daemon_restarts(void)
{
    bool waiting = false;

    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++) {
        struct managed *m = dmn.doms[i];

        if (m && m->restarting && !m->dead)
            daemon_restart(m);
        waiting |= dmn.doms[i] && dmn.doms[i]->restarting;
    }
    return waiting;
}

/* The domain's process is gone: apply its on_* action. */
static void daemon_domain_stopped(struct watch *w)
{
    struct managed *m = w->m;
    struct domain *d = m->d;
    uint8_t action;

    if (m->dead)
        return;
    epoll_ctl(dmn.epfd, EPOLL_CTL_DEL, w->fd, NULL);
    free(w);
    m->watch = NULL;
    m->registered = false;
    platform_reap(d);
    if (d->state == DOM_CRASHED)
        action = m->on_crash;
    else if (d->shutdown_reason == SHUTDOWN_reboot)
        action = m->on_reboot;
    else
        action = m->on_poweroff;
    log_info("dom%u (%s): stopped (%s, reason %u)", d->id, d->name,
             d->state == DOM_CRASHED ? "crashed" : "shut down",
             d->shutdown_reason);
    if (action == VN_ON_PRESERVE)
        return;
    if (action == VN_ON_RESTART && m->restarts < VN_MAX_RESTARTS) {
        m->restarts++;
        m->restarting = true;
        m->restart_told = false;
        m->restart_by = daemon_now_ns() + VN_RESTART_WAIT_NS;
        daemon_restart(m);
        return;
    }
    daemon_destroy(m);
}

/* ---- the control socket and the loop ---- */

static int daemon_listen(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char tmp[sizeof(sa.sun_path)];
    int fd;

    if (strlen(dmn.sock_path) + 4 >= sizeof(sa.sun_path))
        fatalx("control socket path too long: %s", dmn.sock_path);
    strcpy(sa.sun_path, dmn.sock_path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        fatal("socket");
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        fatalx("another veneerd is serving %s", dmn.sock_path);
    /* Bind and listen under a temporary name, then rename into place: the
     * socket appears only once it accepts (a client that saw the file
     * between bind and listen got ECONNREFUSED). Created 0600 (umask) and
     * then checked: root only, never a window. */
    snprintf(tmp, sizeof(tmp), "%s.new", dmn.sock_path);
    strcpy(sa.sun_path, tmp);
    unlink(tmp);
    umask(0077);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(tmp, 0600) < 0 || listen(fd, 64) < 0 ||
        rename(tmp, dmn.sock_path) < 0)
        fatal("%s", dmn.sock_path);
    return fd;
}

static void daemon_accept(int lfd)
{
    struct timeval tv = {2, 0};
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    struct watch *w;

    if (fd < 0)
        return;
    /* Clients are root tools; still, a stalled one must not stall us. */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    w = calloc(1, sizeof(*w));
    if (!w) {
        close(fd);
        return;
    }
    *w = (struct watch){W_CLIENT, fd, NULL};
    if (daemon_watch(w) < 0) {
        close(fd);
        free(w);
    }
}

static void daemon_client(struct watch *w, uint32_t events)
{
    char peek;

    if (!(events & (EPOLLHUP | EPOLLERR)) &&
        recv(w->fd, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == 1) {
        control_serve(w->fd);
        return;
    }
    epoll_ctl(dmn.epfd, EPOLL_CTL_DEL, w->fd, NULL);
    gnttab_dom0_release(w->fd); /* before the number can be reused */
    evtchn_dom0_release(w->fd); /* before the number can be reused */
    close(w->fd);
    free(w);
}

static void daemon_paths(const char *rundir)
{
    snprintf(dmn.rundir, sizeof(dmn.rundir), "%s", rundir);
    snprintf(dmn.sock_path, sizeof(dmn.sock_path), "%s/veneerd.sock", rundir);
    snprintf(dmn.pid_path, sizeof(dmn.pid_path), "%s/veneerd.pid", rundir);
    struct stat st;

    if (mkdir(rundir, 0700) < 0 && errno != EEXIST)
        fatal("mkdir %s", rundir);
    /* Everything below is written as root: the directory must be root's
     * and closed to others, or another user could swap in links. */
    if (lstat(rundir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
        (st.st_mode & 077))
        fatalx("%s must be a directory owned by root, mode 0700", rundir);
}

static void daemon_write_pid(void)
{
    int fd = open(dmn.pid_path,
                  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    if (!f)
        fatal("%s", dmn.pid_path);
    fprintf(f, "%d\n", getpid());
    fclose(f);
}

static void daemon_shutdown_all(void)
{
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (dmn.doms[i])
            daemon_destroy(dmn.doms[i]);
}

static void daemon_loop(int lfd, int sigfd)
{
    struct watch lw = {W_LISTEN, lfd, NULL}, sw = {W_SIGNAL, sigfd, NULL};
    /* dom0's event channels: a process wrote a port's send eventfd. */
    struct watch ew = {W_EVTCHN, evtchn_dom0_pollfd(), NULL};
    struct epoll_event ev[32];

    if (daemon_watch(&lw) < 0 || daemon_watch(&sw) < 0 || ew.fd < 0 ||
        daemon_watch(&ew) < 0)
        fatal("epoll_ctl");
    bool waiting = false;

    while (!dmn.stopping) {
        /* A restart that waits is retried at least every 20 ms. */
        int n = epoll_wait(dmn.epfd, ev, 32, waiting ? 20 : -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fatal("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct watch *w = ev[i].data.ptr;

            switch (w->kind) {
            case W_LISTEN:
                daemon_accept(lfd);
                break;
            case W_SIGNAL:
                dmn.stopping = true;
                break;
            case W_CLIENT:
                daemon_client(w, ev[i].events);
                break;
            case W_DOMAIN:
                daemon_domain_stopped(w);
                break;
            case W_EVTCHN:
                evtchn_dom0_service();
                break;
            }
        }
        waiting = daemon_restarts();
        daemon_bury();
    }
}

static void daemon_usage(FILE *f)
{
    fprintf(f,
            "usage: veneerd daemon [--rundir DIR] [-v]\n"
            "\n"
            "Runs the hypervisor, serving the control socket DIR/veneerd.sock"
            "\n(DIR: --rundir, else $VENEER_RUNDIR, else /run/veneer).\n");
}

/* `veneerd daemon`: serve until SIGTERM, SIGINT or SIGHUP. */
int daemon_main(int argc, char **argv, const char *stub)
{
    static const struct option longopts[] = {
        {"rundir", required_argument, NULL, 'r'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rundir = getenv("VENEER_RUNDIR");
    sigset_t stop;
    int c, lfd, sigfd;

    if (!rundir || !*rundir)
        rundir = "/run/veneer";
    while ((c = getopt_long(argc, argv, "r:vh", longopts, NULL)) != -1) {
        if (c == 'r')
            rundir = optarg;
        else if (c == 'v')
            log_verbosity++;
        else {
            daemon_usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 64;
        }
    }
    if (optind != argc) {
        daemon_usage(stderr);
        return 64;
    }
    snprintf(dmn.stub, sizeof(dmn.stub), "%s", stub);
    daemon_paths(rundir);
    daemon_store_init(rundir);
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
    dmn.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (sigfd < 0 || dmn.epfd < 0)
        fatal("signalfd/epoll");
    lfd = daemon_listen();
    daemon_write_pid();
    log_warnx("serving %s (pid %d)", dmn.sock_path, getpid());
    daemon_loop(lfd, sigfd);
    daemon_shutdown_all();
    daemon_bury();
    daemon_store_fini();
    close(lfd);
    unlink(dmn.sock_path);
    unlink(dmn.pid_path);
    log_warnx("stopped");
    return 0;
}
