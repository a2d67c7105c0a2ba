/* SPDX-License-Identifier: MIT */
/*
 * veneerd's command line: `veneerd run KERNEL.elf...` boots domains in
 * the foreground (run.c); `veneerd daemon` hosts them for the toolstack
 * (daemon.c).
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

#define EXIT_USAGE 64 /* bad command line (docs/cli.md) */

static void usage(FILE *f)
{
    run_usage(f);
    fprintf(f, "       veneerd daemon [--rundir DIR] [-v]\n");
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

int main(int argc, char **argv)
{
    char stub[PATH_MAX];

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    stub_path(stub, sizeof(stub));
    if (strcmp(argv[1], "run") == 0)
        return run_main(argc - 1, argv + 1, stub);
    if (strcmp(argv[1], "daemon") == 0)
        return daemon_main(argc - 1, argv + 1, stub);
    fprintf(stderr, "veneerd: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
