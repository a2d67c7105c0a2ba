/* SPDX-License-Identifier: MIT */
/*
 * vnbench2's child processes: spawned the way veneerd spawns a domain
 * stub (glibc posix_spawn, i.e. clone(CLONE_VM|CLONE_VFORK) + execve),
 * stdin on /dev/null, stdout and stderr on one pipe that is read as the
 * child runs: when its first byte came, when a line containing some text
 * came, all it printed, and when it was reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnbench2.h"

extern char **environ;

/* [POLICY] Output kept per child (the rest is dropped). */
#define CHILD_OUT_MAX (1u << 20)

/* child_start - spawn argv[0]; c is set up even when it fails. */
int child_start(struct child *c, char *const argv[])
{
    posix_spawn_file_actions_t fa;
    int fds[2] = {-1, -1};
    int rc;

    memset(c, 0, sizeof(*c));
    c->pid = -1;
    c->fd = -1;
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    c->start_ns = clock_now_ns();
    rc = -posix_spawn(&c->pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc < 0) {
        close(fds[0]);
        c->pid = -1;
        fprintf(stderr, "vnbench2: %s: %s\n", argv[0], strerror(-rc));
        return rc;
    }
    c->fd = fds[0];
    return 0;
}

static void child_keep(struct child *c, const char *buf, size_t n)
{
    if (c->len + n + 1 > c->cap && c->cap < CHILD_OUT_MAX) {
        size_t cap = c->cap ? c->cap * 2 : 4096;
        char *out;

        while (cap < c->len + n + 1 && cap < CHILD_OUT_MAX)
            cap *= 2;
        out = realloc(c->out, cap);
        if (out) {
            c->out = out;
            c->cap = cap;
        }
    }
    if (c->len + 1 < c->cap) {
        size_t keep = c->cap - 1 - c->len;

        if (keep > n)
            keep = n;
        memcpy(c->out + c->len, buf, keep);
        c->len += keep;
        c->out[c->len] = '\0';
    }
}

/* One poll + read. Return values: 1 data, 0 EOF, -ETIMEDOUT, -errno. */
static int child_read_some(struct child *c, int timeout_ms)
{
    char buf[8192];
    struct pollfd pfd = {c->fd, POLLIN, 0};
    ssize_t n;
    int rc;

    if (c->fd < 0)
        return 0;
    rc = poll(&pfd, 1, timeout_ms);
    if (rc < 0)
        return errno == EINTR ? 1 : -errno;
    if (rc == 0)
        return -ETIMEDOUT;
    n = read(c->fd, buf, sizeof(buf));
    if (n < 0)
        return errno == EINTR ? 1 : -errno;
    if (n == 0) {
        close(c->fd);
        c->fd = -1;
        return 0;
    }
    if (!c->first_byte_ns)
        c->first_byte_ns = clock_now_ns() - c->start_ns;
    child_keep(c, buf, (size_t)n);
    return 1;
}

/* The first whole line at or after c->scanned that holds needle: moves
 * c->scanned past it. */
static int child_find_line(struct child *c, const char *needle)
{
    while (c->out && c->scanned < c->len) {
        char *line = c->out + c->scanned;
        char *nl = memchr(line, '\n', c->len - c->scanned);
        int hit;

        if (!nl)
            return 0;
        *nl = '\0';
        hit = strstr(line, needle) != NULL;
        *nl = '\n';
        c->scanned = (size_t)(nl + 1 - c->out);
        if (hit)
            return 1;
    }
    return 0;
}

/*
 * child_wait_line - read until a line holding needle has come.
 *
 * Parameters: at_ns - OUT (may be NULL): spawn -> when the read that
 * completed some line holding it returned (a line already buffered
 * counts as now: call this as lines come).
 * Return values: 0; -EPIPE if the child closed its output first;
 * -ETIMEDOUT; -errno.
 */
int child_wait_line(struct child *c, const char *needle, int timeout_ms,
                    uint64_t *at_ns)
{
    uint64_t end = clock_now_ns() + (uint64_t)timeout_ms * 1000000ull;

    for (;;) {
        uint64_t now = clock_now_ns();
        int rc;

        if (child_find_line(c, needle)) {
            if (at_ns)
                *at_ns = now - c->start_ns;
            return 0;
        }
        if (now >= end)
            return -ETIMEDOUT;
        rc = child_read_some(c, (int)((end - now) / 1000000ull) + 1);
        if (rc == 0)
            return -EPIPE;
        if (rc < 0 && rc != -ETIMEDOUT)
            return rc;
    }
}

/*
 * child_finish - read to EOF and reap the child; past timeout_ms it is
 * killed (SIGKILL) and reaped.
 * Return values: 0 (whatever its exit status); -ETIMEDOUT; -errno.
 */
int child_finish(struct child *c, int timeout_ms)
{
    uint64_t end = clock_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    int rc = 0;

    while (c->fd >= 0) {
        uint64_t now = clock_now_ns();

        if (now >= end) {
            rc = -ETIMEDOUT;
            break;
        }
        rc = child_read_some(c, (int)((end - now) / 1000000ull) + 1);
        if (rc < 0 && rc != -ETIMEDOUT)
            break;
        rc = 0;
    }
    if (rc < 0 && c->pid > 0)
        kill(c->pid, SIGKILL);
    if (c->pid > 0) {
        while (wait4(c->pid, &c->status, 0, &c->ru) < 0 && errno == EINTR)
            ;
        c->exit_ns = clock_now_ns() - c->start_ns;
        c->pid = -1;
    }
    return rc;
}

/* child_run - spawn argv, read everything, reap. */
int child_run(struct child *c, char *const argv[])
{
    int rc = child_start(c, argv);

    if (rc == 0)
        rc = child_finish(c, CHILD_TIMEOUT_MS);
    return rc;
}

/* child_free - kill a child still running, reap it, free its output. */
void child_free(struct child *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
            ;
    }
    if (c->fd >= 0)
        close(c->fd);
    free(c->out);
    memset(c, 0, sizeof(*c));
    c->pid = -1;
    c->fd = -1;
}

/* child_exited_ok - it exited with status code. */
int child_exited_ok(const struct child *c, int code)
{
    return WIFEXITED(c->status) && WEXITSTATUS(c->status) == code;
}

/* child_report - why a child is not what was expected, on stderr. */
void child_report(const struct child *c, const char *what)
{
    fprintf(stderr, "vnbench2: %s: wait status %#x, output:\n%s\n", what,
            c->status, c->out ? c->out : "");
}
