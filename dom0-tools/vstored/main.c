// SPDX-License-Identifier: MIT
// vstored: command line, daemon start-up (bind first, then detach, so the
// socket exists when the launching command returns), signals and the pid
// file.
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vstored.h"
#include "vstore.h"

struct opts {
    const char *socket;
    const char *rundir;
    const char *pid_file;
    const char *log_file;
    bool foreground;
    bool keep_orphans;
    int verbose;
    struct limits lim;
};

static const char usage_text[] =
    "usage: vstored [options]\n"
    "  --socket PATH            listen here (default: $XENSTORED_PATH, else\n"
    "                           $XENSTORED_RUNDIR/socket, "
    "else " VSTORE_DEFAULT_SOCKET ")\n"
    "  --rundir DIR             veneerd's run directory, to serve guests'\n"
    "                           rings (default: $VENEER_RUNDIR, else\n"
    "                           /run/veneer)\n"
    "  -F, --foreground         do not detach; log to stderr by default\n"
    "  --pid-file PATH          write the daemon's pid here\n"
    "  --log-file PATH          log here (default: stderr in the foreground,\n"
    "                           syslog when detached)\n"
    "  -v, --verbose            debug messages\n"
    "  --keep-orphans           give a released domain's nodes to dom0\n"
    "                           instead of removing them\n"
    "  --quota-nodes N          nodes per unprivileged domain\n"
    "  --quota-value-size N     bytes per value (at most 4096)\n"
    "  --quota-watches N        watches per connection\n"
    "  --quota-transactions N   open transactions per connection\n"
    "  --quota-transaction-nodes N  nodes one transaction may touch\n"
    "  --quota-output BYTES     queued output before a client is cut off\n";

enum {
    OPT_SOCKET = 256,
    OPT_RUNDIR,
    OPT_PID,
    OPT_LOG,
    OPT_Q_NODES,
    OPT_Q_VALUE,
    OPT_Q_WATCHES,
    OPT_Q_TXNS,
    OPT_Q_TXN_NODES,
    OPT_Q_OUTPUT,
    OPT_KEEP_ORPHANS,
};

static const struct option long_opts[] = {
    {"socket", required_argument, NULL, OPT_SOCKET},
    {"rundir", required_argument, NULL, OPT_RUNDIR},
    {"pid-file", required_argument, NULL, OPT_PID},
    {"log-file", required_argument, NULL, OPT_LOG},
    {"foreground", no_argument, NULL, 'F'},
    {"verbose", no_argument, NULL, 'v'},
    {"keep-orphans", no_argument, NULL, OPT_KEEP_ORPHANS},
    {"help", no_argument, NULL, 'h'},
    {"quota-nodes", required_argument, NULL, OPT_Q_NODES},
    {"quota-value-size", required_argument, NULL, OPT_Q_VALUE},
    {"quota-watches", required_argument, NULL, OPT_Q_WATCHES},
    {"quota-transactions", required_argument, NULL, OPT_Q_TXNS},
    {"quota-transaction-nodes", required_argument, NULL, OPT_Q_TXN_NODES},
    {"quota-output", required_argument, NULL, OPT_Q_OUTPUT},
    {NULL, 0, NULL, 0},
};

static unsigned long opt_number(const char *name, const char *s,
                                unsigned long max)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v == 0 || v > max)
        fatalx("%s: expected a number from 1 to %lu, got '%s'", name, max, s);
    return v;
}

static void opts_parse(int argc, char **argv, struct opts *o)
{
    int ch;

    limits_default(&o->lim);
    while ((ch = getopt_long(argc, argv, "Fvh", long_opts, NULL)) != -1) {
        switch (ch) {
        case OPT_SOCKET:
            o->socket = optarg;
            break;
        case OPT_RUNDIR:
            o->rundir = optarg;
            break;
        case OPT_PID:
            o->pid_file = optarg;
            break;
        case OPT_LOG:
            o->log_file = optarg;
            break;
        case 'F':
            o->foreground = true;
            break;
        case 'v':
            o->verbose++;
            break;
        case OPT_KEEP_ORPHANS:
            o->keep_orphans = true;
            break;
        case OPT_Q_NODES:
            o->lim.nodes = opt_number("--quota-nodes", optarg, 1u << 30);
            break;
        case OPT_Q_VALUE:
            o->lim.value_size =
                opt_number("--quota-value-size", optarg, XENSTORE_PAYLOAD_MAX);
            break;
        case OPT_Q_WATCHES:
            o->lim.watches = opt_number("--quota-watches", optarg, 1u << 20);
            break;
        case OPT_Q_TXNS:
            o->lim.txns = opt_number("--quota-transactions", optarg, 1u << 16);
            break;
        case OPT_Q_TXN_NODES:
            o->lim.txn_nodes =
                opt_number("--quota-transaction-nodes", optarg, 1u << 20);
            break;
        case OPT_Q_OUTPUT:
            o->lim.output = opt_number("--quota-output", optarg, 1ul << 30);
            if (o->lim.output < 2 * VS_MSG_MAX)
                fatalx("--quota-output: at least %d bytes", 2 * VS_MSG_MAX);
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(0);
        default:
            fputs(usage_text, stderr);
            exit(2);
        }
    }
    if (optind != argc) {
        fputs(usage_text, stderr);
        exit(2);
    }
    if (o->socket == NULL)
        o->socket = vstore_socket_path();
}

static int pid_file_write(const char *path)
{
    char buf[32];
    int fd, n, rc = 0;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (write(fd, buf, (size_t)n) != n)
        rc = errno ? errno : EIO;
    close(fd);
    return rc;
}

/*
 * Detach before any setup (signalfd readiness in an epoll set follows the
 * process that registered it, so nothing of the loop may cross a fork).
 * The parent waits on a pipe until the child listens and has written its
 * pid file, so "vstored && client" never races the daemon; if the child
 * fails first, the parent exits 1.
 */
static int daemon_fork(void)
{
    int p[2];
    char ok;
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) != 0)
        fatal("%s: pipe", __func__);
    pid = fork();
    if (pid < 0)
        fatal("%s: fork", __func__);
    if (pid > 0) {
        close(p[1]);
        exit(read(p[0], &ok, 1) == 1 ? 0 : 1);
    }
    close(p[0]);
    if (setsid() < 0)
        fatal("%s: setsid", __func__);
    return p[1];
}

/* Ready: release the waiting parent and let go of its terminal. */
static void daemon_ready(int notify)
{
    int null;

    if (chdir("/") != 0)
        log_warn("%s: chdir /", __func__);
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }
    if (write(notify, "1", 1) != 1)
        log_warn("%s: cannot tell the parent we are ready", __func__);
    close(notify);
}

struct sig_src {
    struct loop_src src;
    struct loop *loop;
};

static void sig_ready(struct loop_src *src, uint32_t events)
{
    struct sig_src *s = (struct sig_src *)src;
    struct signalfd_siginfo si;

    (void)events;
    while (read(src->fd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
            log_info("signal %u: shutting down", si.ssi_signo);
            s->loop->stop = true;
        }
    }
}

static int sig_setup(struct loop *l, struct sig_src *s)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return errno;
    signal(SIGPIPE, SIG_IGN);
    s->src.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s->src.fd < 0)
        return errno;
    s->src.ready = sig_ready;
    s->loop = l;
    return loop_add(l, &s->src, EPOLLIN);
}

struct transports {
    struct unix_srv *local;
    struct guest_srv *guests;
};

/* Once per loop batch: both transports send what was queued. */
static void transports_after(void *arg)
{
    struct transports *t = arg;

    guest_after(t->guests);
    unix_after(t->local);
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    struct loop loop;
    struct sig_src sig = {.src.fd = -1};
    struct store *st;
    struct transports t;
    int notify = -1, rc;

    opts_parse(argc, argv, &o);
    if (o.log_file != NULL && log_init(LOG_TO_FILE, o.log_file, o.verbose))
        fatal("cannot open log file %s", o.log_file);
    if (o.log_file == NULL)
        log_init(LOG_TO_STDERR, NULL, o.verbose); /* syslog once detached */
    if (!o.foreground)
        notify = daemon_fork();
    st = store_create(&o.lim);
    if (st == NULL)
        fatalx("out of memory creating the store");
    st->keep_orphans = o.keep_orphans;
    rc = loop_init(&loop);
    if (rc == 0)
        rc = sig_setup(&loop, &sig);
    if (rc != 0) {
        errno = rc;
        fatal("event loop setup");
    }
    t.local = unix_open(st, &loop, o.socket);
    if (t.local == NULL)
        fatal("cannot listen on %s", o.socket);
    t.guests = guest_open(st, &loop, o.rundir);
    if (t.guests == NULL)
        fatal("guest-ring transport");
    loop.after = transports_after;
    loop.after_arg = &t;
    if (o.pid_file != NULL && (rc = pid_file_write(o.pid_file)) != 0) {
        errno = rc;
        log_warn("cannot write pid file %s", o.pid_file);
    }
    log_info("listening on %s", o.socket);
    if (notify >= 0 && o.log_file == NULL)
        log_init(LOG_TO_SYSLOG, NULL, o.verbose);
    if (notify >= 0)
        daemon_ready(notify);
    rc = loop_run(&loop);
    if (rc != 0) {
        errno = rc;
        log_warn("event loop");
    }
    guest_close(t.guests);
    unix_close(t.local);
    store_destroy(st);
    if (o.pid_file != NULL)
        unlink(o.pid_file);
    close(sig.src.fd);
    loop_fini(&loop);
    log_info("stopped");
    log_close();
    return rc == 0 ? 0 : 1;
}
