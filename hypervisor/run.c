/* SPDX-License-Identifier: MIT */
/*
 * `veneerd run`: boot one or more kernels as domains in the foreground,
 * without any daemon (docs/cli.md). Domains get ids 1..N in command-line
 * order, so that guests can name each other, and all run at once. Their
 * consoles go to stdout, each line prefixed "[name] " when there are
 * several; the exit status follows their shutdown reasons.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xen/sched.h>

#include "daemon.h"

/* Exit statuses of `veneerd run` (docs/cli.md). */
#define EXIT_CRASH       1   /* the guest crashed, or its process died */
#define EXIT_USAGE       64  /* bad command line */
#define EXIT_IMAGE       65  /* the kernel image is unusable */
#define EXIT_NOINPUT     66  /* the kernel file cannot be read */
#define EXIT_INTERNAL    70  /* veneerd could not build or start the domain */
#define EXIT_SIGNAL_BASE 128 /* stopped by a signal: 128 + signal */

#define RUN_DEFAULT_MIB 64

/* One kernel of the command line, and the domain booted from it. */
struct run_dom {
    const char *kernel;
    const char *cmdline; /* --cmdline-N, or NULL for --cmdline */
    uint64_t memory_mib; /* --memory-N, or 0 for --memory */
    char name[VN_NAME_MAX];
    const uint8_t *data; /* the file, mapped */
    size_t size;
    struct elf_image img;
    struct domain *d;
    int status; /* exit status once stopped; -1 while it runs */
};

struct run_opts {
    uint64_t memory_mib;
    const char *cmdline;
    unsigned int nr;
    struct run_dom dom[VN_RUN_MAX_DOMAINS];
    const char *names[VN_RUN_MAX_DOMAINS]; /* --name-N, or NULL */
};

/* run_usage - the synopsis and options of `veneerd run` to f. */
void run_usage(FILE *f)
{
    fprintf(f,
            "usage: veneerd run KERNEL.elf [KERNEL.elf...] [--memory MiB] "
            "[--cmdline STR]\n"
            "                   [--memory-N MiB] [--cmdline-N STR] "
            "[--name-N NAME] [-v]\n"
            "\n"
            "Boots Xen PV kernels as domains 1..N, in the foreground. The "
            "consoles go to\n"
            "stdout (each line prefixed \"[name] \" when there are several); "
            "the exit status\n"
            "is 0 when every guest powered off, else the first non-zero "
            "one in command-line\n"
            "order: 1 a crash, 2 reboot, 3 suspend, 4 watchdog, 5 soft "
            "reset.\n"
            "\n"
            "  -m, --memory MiB   guest memory (default %d, %d..%d)\n"
            "  -c, --cmdline STR  guest command line (start_info)\n"
            "  --memory-N, --cmdline-N, --name-N   the same, or the domain "
            "name, for the\n"
            "                     N-th kernel only (N from 1)\n"
            "  -v, --verbose      more log output (twice: debug)\n",
            RUN_DEFAULT_MIB, VN_MIN_MEMORY_MIB, VN_MAX_MEMORY_MIB);
}

static int run_memory(const char *arg, uint64_t *mib)
{
    char *end;

    errno = 0;
    *mib = strtoull(arg, &end, 10);
    if (errno || end == arg || *end || *mib < VN_MIN_MEMORY_MIB ||
        *mib > VN_MAX_MEMORY_MIB) {
        fprintf(stderr, "veneerd: --memory %s: want %d..%d MiB\n", arg,
                VN_MIN_MEMORY_MIB, VN_MAX_MEMORY_MIB);
        return -1;
    }
    return 0;
}

static int run_cmdline(const char *arg)
{
    if (strlen(arg) < MAX_GUEST_CMDLINE)
        return 0;
    fprintf(stderr, "veneerd: --cmdline is longer than %d bytes\n",
            MAX_GUEST_CMDLINE - 1);
    return -1;
}

/*
 * One per-kernel option (--memory-N, --cmdline-N, --name-N) at argv[*i],
 * as "--opt-N=VAL" or "--opt-N VAL". Returns 1 if it was one (and *i moved
 * past it), 0 if argv[*i] is something else, -1 if it is malformed.
 */
static int run_indexed(struct run_opts *o, int argc, char **argv, int *i)
{
    static const char *const opts[] = {"--memory-", "--cmdline-", "--name-"};
    const char *arg = argv[*i], *val;
    unsigned long n;
    char *end;

    for (unsigned int k = 0; k < 3; k++) {
        if (strncmp(arg, opts[k], strlen(opts[k])) != 0)
            continue;
        n = strtoul(arg + strlen(opts[k]), &end, 10);
        if (end == arg + strlen(opts[k]) || (*end && *end != '=') || n < 1 ||
            n > VN_RUN_MAX_DOMAINS) {
            fprintf(stderr, "veneerd: %s: want N in 1..%d\n", arg,
                    VN_RUN_MAX_DOMAINS);
            return -1;
        }
        if (*end == '=') {
            val = end + 1;
        } else if (*i + 1 < argc) {
            val = argv[++*i];
        } else {
            fprintf(stderr, "veneerd: %s needs a value\n", arg);
            return -1;
        }
        (*i)++;
        if (k == 0)
            return run_memory(val, &o->dom[n - 1].memory_mib) ? -1 : 1;
        if (k == 1) {
            o->dom[n - 1].cmdline = val;
            return run_cmdline(val) ? -1 : 1;
        }
        o->names[n - 1] = val;
        return 1;
    }
    return 0;
}

/* Take the per-kernel options out of argv (getopt does the rest). */
static int run_take_indexed(struct run_opts *o, int *argc, char **argv)
{
    int out = 1;

    for (int i = 1; i < *argc;) {
        int rc = run_indexed(o, *argc, argv, &i);

        if (rc < 0)
            return -1;
        if (rc == 0)
            argv[out++] = argv[i++];
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

/* Name each domain: --name-N, else the kernel's file name, made unique
 * with "-N" if two kernels share it. */
static int run_names(struct run_opts *o)
{
    for (unsigned int i = 0; i < o->nr; i++) {
        struct run_dom *r = &o->dom[i];
        char path[PATH_MAX];

        snprintf(path, sizeof(path), "%s", r->kernel);
        snprintf(r->name, sizeof(r->name), "%s",
                 o->names[i] ? o->names[i] : basename(path));
        for (unsigned int j = 0; j < i && !o->names[i]; j++)
            if (strcmp(o->dom[j].name, r->name) == 0)
                snprintf(r->name + strnlen(r->name, VN_NAME_MAX - 4), 4, "-%u",
                         i + 1);
        for (unsigned int j = 0; j < i; j++) {
            if (strcmp(o->dom[j].name, r->name) == 0) {
                fprintf(stderr, "veneerd: two domains named '%s'\n", r->name);
                return -1;
            }
        }
    }
    return 0;
}

static int run_parse(int argc, char **argv, struct run_opts *o)
{
    static const struct option longopts[] = {
        {"memory", required_argument, NULL, 'm'},
        {"cmdline", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(o, 0, sizeof(*o));
    o->memory_mib = RUN_DEFAULT_MIB;
    o->cmdline = "";
    if (run_take_indexed(o, &argc, argv) < 0)
        return -1;
    while ((c = getopt_long(argc, argv, "m:c:vh", longopts, NULL)) != -1) {
        if (c == 'm' && run_memory(optarg, &o->memory_mib) == 0)
            continue;
        if (c == 'c' && run_cmdline(optarg) == 0) {
            o->cmdline = optarg;
            continue;
        }
        if (c == 'v') {
            log_verbosity++;
            continue;
        }
        if (c == 'h') {
            run_usage(stdout);
            exit(0);
        }
        if (c != 'm' && c != 'c')
            run_usage(stderr);
        return -1;
    }
    if (optind == argc || argc - optind > VN_RUN_MAX_DOMAINS) {
        run_usage(stderr);
        return -1;
    }
    for (int i = optind; i < argc; i++)
        o->dom[o->nr++].kernel = argv[i];
    for (unsigned int i = o->nr; i < VN_RUN_MAX_DOMAINS; i++) {
        if (o->dom[i].cmdline || o->dom[i].memory_mib || o->names[i]) {
            fprintf(stderr, "veneerd: an option names kernel %u of %u\n", i + 1,
                    o->nr);
            return -1;
        }
    }
    return run_names(o);
}

/* Map the kernel file read-only. */
static int run_load_file(struct run_dom *r)
{
    struct stat st;
    void *p;
    int fd;

    fd = open(r->kernel, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "veneerd: %s: %s\n", r->kernel, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
        (uint64_t)st.st_size > VN_MAX_IMAGE_BYTES) {
        fprintf(stderr, "veneerd: %s: not a regular file of 1..%llu bytes\n",
                r->kernel, (unsigned long long)VN_MAX_IMAGE_BYTES);
        close(fd);
        return -1;
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        fprintf(stderr, "veneerd: %s: mmap: %s\n", r->kernel, strerror(errno));
        return -1;
    }
    r->data = p;
    r->size = (size_t)st.st_size;
    return 0;
}

/* Exit status per shutdown reason: poweroff 0, crash 1, reboot 2, then
 * suspend, watchdog and soft reset as 3, 4, 5 (docs/cli.md). */
static int run_exit_status(const struct domain *d)
{
    static const int by_reason[SHUTDOWN_MAX + 1] = {
        [SHUTDOWN_poweroff] = 0, [SHUTDOWN_reboot] = 2,
        [SHUTDOWN_suspend] = 3,  [SHUTDOWN_crash] = EXIT_CRASH,
        [SHUTDOWN_watchdog] = 4, [SHUTDOWN_soft_reset] = 5,
    };

    if (d->state != DOM_SHUTDOWN || d->shutdown_reason > SHUTDOWN_MAX)
        return EXIT_CRASH;
    return by_reason[d->shutdown_reason];
}

/* Read, parse, create and build every domain; nothing runs yet. Returns
 * 0 or the exit status to give up with. */
static int run_build(struct run_opts *o)
{
    char err[256];

    for (unsigned int i = 0; i < o->nr; i++) {
        struct run_dom *r = &o->dom[i];
        if (run_load_file(r) < 0)
            return EXIT_NOINPUT;
        if (elf_parse(&r->img, r->data, r->size, err, sizeof(err)) < 0) {
            fprintf(stderr, "veneerd: %s: %s\n", r->kernel, err);
            return EXIT_IMAGE;
        }
    }
    for (unsigned int i = 0; i < o->nr; i++) {
        struct run_dom *r = &o->dom[i];
        uint64_t mib = r->memory_mib ? r->memory_mib : o->memory_mib;

        r->d = domain_create(r->name, mib << 8);
        if (!r->d) {
            log_warn("cannot create a domain of %llu MiB",
                     (unsigned long long)mib);
            return EXIT_INTERNAL;
        }
        if (o->nr > 1)
            snprintf(r->d->con_prefix, sizeof(r->d->con_prefix), "[%s] ",
                     r->name);
        if (builder_build(r->d, &r->img, r->cmdline ? r->cmdline : o->cmdline,
                          err, sizeof(err)) < 0) {
            fprintf(stderr, "veneerd: %s: %s\n", r->kernel, err);
            return EXIT_IMAGE;
        }
    }
    return 0;
}

/* A domain's process is gone: collect it and its exit status. */
static void run_stopped(struct run_dom *r)
{
    unsigned long long hc = 0;

    platform_reap(r->d);
    r->status = run_exit_status(r->d);
    for (unsigned int i = 0; i < r->d->nr_vcpus; i++)
        hc += r->d->vcpus[i].nr_hypercalls;
    log_info("dom%u (%s): stopped after %llu hypercalls; exit status %d",
             r->d->id, r->name, hc, r->status);
}

/* Serve every domain until all have stopped; a stop signal on sigfd
 * kills them all. Returns the signal, or 0. */
static int run_wait(struct run_opts *o, int sigfd)
{
    unsigned int left = o->nr;
    int signo = 0;

    while (left) {
        struct pollfd pfd[VN_RUN_MAX_DOMAINS + 1];
        unsigned int map[VN_RUN_MAX_DOMAINS], n = 0;

        for (unsigned int i = 0; i < o->nr; i++) {
            if (o->dom[i].status >= 0)
                continue;
            pfd[n] = (struct pollfd){platform_pidfd(o->dom[i].d), POLLIN, 0};
            map[n++] = i;
        }
        pfd[n] = (struct pollfd){sigfd, POLLIN, 0};
        if (poll(pfd, n + 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            fatal("%s: poll", __func__);
        }
        if (pfd[n].revents & POLLIN) {
            struct signalfd_siginfo ssi;
            if (read(sigfd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi))
                signo = (int)ssi.ssi_signo;
            for (unsigned int i = 0; i < n; i++)
                platform_stop(o->dom[map[i]].d);
        }
        for (unsigned int i = 0; i < n; i++) {
            if (pfd[i].revents & POLLIN) {
                run_stopped(&o->dom[map[i]]);
                left--;
            }
        }
    }
    return signo;
}

/* Destroy every domain and unmap every file (NULL-safe). */
static void run_release(struct run_opts *o)
{
    for (unsigned int i = 0; i < o->nr; i++) {
        domain_destroy(o->dom[i].d);
        o->dom[i].d = NULL;
        if (o->dom[i].data)
            munmap((void *)o->dom[i].data, o->dom[i].size);
        o->dom[i].data = NULL;
    }
}

/* 0 when every domain powered off, else the first non-zero status. */
static int run_result(const struct run_opts *o)
{
    for (unsigned int i = 0; i < o->nr; i++)
        if (o->dom[i].status != 0)
            return o->dom[i].status;
    return 0;
}

/*
 * run_main - `veneerd run` (argv[0] is "run").
 * Return values: the exit status (docs/cli.md).
 */
int run_main(int argc, char **argv, const char *stub)
{
    static struct run_opts o;
    sigset_t stop;
    int sigfd, signo, rc;

    if (run_parse(argc, argv, &o) < 0)
        return EXIT_USAGE;
    /* Stop signals arrive on a signalfd; every thread inherits the mask. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
    if (sigfd < 0)
        fatal("signalfd");
    rc = run_build(&o);
    for (unsigned int i = 0; rc == 0 && i < o.nr; i++) {
        o.dom[i].status = -1;
        if (platform_start(o.dom[i].d, stub, false) < 0)
            rc = EXIT_INTERNAL;
    }
    if (rc != 0) {
        run_release(&o);
        close(sigfd);
        return rc;
    }
    signo = run_wait(&o, sigfd);
    rc = signo ? EXIT_SIGNAL_BASE + signo : run_result(&o);
    run_release(&o);
    close(sigfd);
    return rc;
}
