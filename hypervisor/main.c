/* SPDX-License-Identifier: MIT */
/*
 * veneerd's command line. `veneerd run KERNEL.elf` boots one domain in the
 * foreground, without any daemon: the guest's console goes to stdout and
 * the exit status follows its shutdown reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
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

struct run_opts {
    const char *kernel;
    uint64_t memory_mib;
    const char *cmdline;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: veneerd run KERNEL.elf [--memory MiB] [--cmdline STR] "
            "[-v]\n"
            "\n"
            "Boots a Xen PV kernel as one domain in the foreground. The "
            "guest's console\n"
            "goes to stdout; the exit status is 0 on poweroff, 1 on a "
            "crash, 2 on\n"
            "reboot, 3 suspend, 4 watchdog, 5 soft reset.\n"
            "\n"
            "  -m, --memory MiB   guest memory (default 64, %d..%d)\n"
            "  -c, --cmdline STR  guest command line (start_info)\n"
            "  -v, --verbose      more log output (twice: debug)\n",
            VN_MIN_MEMORY_MIB, VN_MAX_MEMORY_MIB);
}

static int parse_run(int argc, char **argv, struct run_opts *o)
{
    static const struct option longopts[] = {
        {"memory", required_argument, NULL, 'm'},
        {"cmdline", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int c;

    o->memory_mib = 64;
    o->cmdline = "";
    while ((c = getopt_long(argc, argv, "m:c:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            errno = 0;
            o->memory_mib = strtoull(optarg, &end, 10);
            if (errno || *end || o->memory_mib < VN_MIN_MEMORY_MIB ||
                o->memory_mib > VN_MAX_MEMORY_MIB) {
                fprintf(stderr, "veneerd: --memory %s: want %d..%d MiB\n",
                        optarg, VN_MIN_MEMORY_MIB, VN_MAX_MEMORY_MIB);
                return -1;
            }
            break;
        case 'c':
            if (strlen(optarg) >= MAX_GUEST_CMDLINE) {
                fprintf(stderr, "veneerd: --cmdline is longer than %d bytes\n",
                        MAX_GUEST_CMDLINE - 1);
                return -1;
            }
            o->cmdline = optarg;
            break;
        case 'v':
            log_verbosity++;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return -1;
    }
    o->kernel = argv[optind];
    return 0;
}

/* The stub sits in ../libexec next to veneerd's bin/, or $VENEER_STUB. */
static void stub_path(char *buf, size_t len)
{
    char exe[PATH_MAX];
    const char *env = getenv("VENEER_STUB");
    ssize_t n;

    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n < 0)
        fatal("readlink /proc/self/exe");
    exe[n] = '\0';
    snprintf(buf, len, "%s/../libexec/veneer-stub", dirname(exe));
}

/* Map the kernel file read-only. */
static int load_file(const char *path, const uint8_t **data, size_t *size)
{
    struct stat st;
    void *p;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "veneerd: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
        (uint64_t)st.st_size > VN_MAX_IMAGE_BYTES) {
        fprintf(stderr, "veneerd: %s: not a regular file of 1..%llu bytes\n",
                path, (unsigned long long)VN_MAX_IMAGE_BYTES);
        close(fd);
        return -1;
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        fprintf(stderr, "veneerd: %s: mmap: %s\n", path, strerror(errno));
        return -1;
    }
    *data = p;
    *size = (size_t)st.st_size;
    return 0;
}

/* Exit status per shutdown reason: poweroff 0, crash 1, reboot 2, then
 * suspend, watchdog and soft reset as 3, 4, 5 (docs/cli.md). */
static int exit_status_of(const struct domain *d)
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

static int cmd_run(int argc, char **argv)
{
    struct run_opts o;
    struct elf_image img;
    struct domain *d = NULL;
    const uint8_t *data = NULL;
    size_t size = 0;
    char err[256], stub[PATH_MAX];
    sigset_t stop;
    int sigfd, signo, rc;

    if (parse_run(argc, argv, &o) < 0)
        return EXIT_USAGE;
    if (load_file(o.kernel, &data, &size) < 0)
        return EXIT_NOINPUT;
    if (elf_parse(&img, data, size, err, sizeof(err)) < 0) {
        fprintf(stderr, "veneerd: %s: %s\n", o.kernel, err);
        return EXIT_IMAGE;
    }
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

    d = domain_create(basename((char *)o.kernel), o.memory_mib << 8);
    if (!d) {
        log_warn("cannot create a domain of %llu MiB",
                 (unsigned long long)o.memory_mib);
        return EXIT_INTERNAL;
    }
    if (builder_build(d, &img, o.cmdline, err, sizeof(err)) < 0) {
        fprintf(stderr, "veneerd: %s: %s\n", o.kernel, err);
        domain_destroy(d);
        return EXIT_IMAGE;
    }
    stub_path(stub, sizeof(stub));
    rc = platform_start(d, stub, false);
    if (rc < 0) {
        domain_destroy(d);
        return EXIT_INTERNAL;
    }
    signo = platform_wait(d, sigfd);
    rc = signo ? EXIT_SIGNAL_BASE + signo : exit_status_of(d);
    log_info("dom%u: stopped after %llu hypercalls; exit status %d", d->id,
             (unsigned long long)d->vcpus[0].nr_hypercalls, rc);
    domain_destroy(d);
    munmap((void *)data, size);
    close(sigfd);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(argv[1], "daemon") == 0) {
        char stub[PATH_MAX];
        stub_path(stub, sizeof(stub));
        return daemon_main(argc - 1, argv + 1, stub);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "veneerd: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
