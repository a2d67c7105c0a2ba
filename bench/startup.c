/* SPDX-License-Identifier: MIT */
/*
 * Benchmark (a), domain start-up: `veneerd run` of the hello guest, timed
 * from spawn to its first console line and to veneerd's exit, interleaved
 * run by run with the floor, a posix_spawn of the static exit0 program.
 * Interleaving makes any drift of the host (frequency, noisy neighbours)
 * land on both columns alike.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "vnbench.h"

/* [POLICY] Untimed runs of each kind first: page cache, dynamic loader. */
#define STARTUP_WARMUP 3u

#define HELLO_FIRST_LINE "Hello from Veneer!\n"

static int startup_hello(char *const argv[], struct startup_result *r, int keep)
{
    struct spawn_out o;
    int rc = spawn_run(argv, &o);

    if (rc < 0)
        return rc;
    if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0 ||
        strncmp(o.text, HELLO_FIRST_LINE, strlen(HELLO_FIRST_LINE)) != 0) {
        fprintf(stderr, "vnbench: %s run %s: wait status %#x, output:\n%s\n",
                argv[0], argv[2], o.status, o.text);
        return -1;
    }
    if (keep) {
        runs_add(&r->first_line, (double)o.first_line_ns);
        runs_add(&r->exit, (double)o.exit_ns);
    }
    return 0;
}

static int startup_floor(char *const argv[], struct startup_result *r, int keep)
{
    struct spawn_out o;
    int rc = spawn_run(argv, &o);

    if (rc < 0)
        return rc;
    if (!WIFEXITED(o.status) || WEXITSTATUS(o.status) != 0) {
        fprintf(stderr, "vnbench: %s: wait status %#x\n", argv[0], o.status);
        return -1;
    }
    if (keep)
        runs_add(&r->floor, (double)o.exit_ns);
    return 0;
}

/*
 * startup_bench - runs x (hello under veneerd, floor), after warm-up.
 *
 * Parameters: veneerd, guest, floor - program paths; runs - timed pairs;
 * r - OUT: the three sample sets, in ns.
 * Return values: 0; -1 if a run failed or printed something unexpected
 * (the reason is on stderr).
 */
int startup_bench(const char *veneerd, const char *guest, const char *floor,
                  unsigned int runs, struct startup_result *r)
{
    char *const hello_argv[] = {(char *)veneerd, "run", (char *)guest, NULL};
    char *const floor_argv[] = {(char *)floor, NULL};
    int rc = 0;

    memset(r, 0, sizeof(*r));
    for (unsigned int i = 0; rc == 0 && i < STARTUP_WARMUP + runs; i++) {
        int keep = i >= STARTUP_WARMUP;

        rc = startup_floor(floor_argv, r, keep);
        if (rc == 0)
            rc = startup_hello(hello_argv, r, keep);
    }
    return rc < 0 ? -1 : 0;
}
