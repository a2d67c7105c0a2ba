/* SPDX-License-Identifier: MIT */
/*
 * Spawning a child the way veneerd spawns a domain stub (glibc
 * posix_spawn, i.e. clone(CLONE_VM|CLONE_VFORK) + execve) with its stdout
 * and stderr on one pipe, and timing it: spawn to first output line, and
 * spawn to reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnbench.h"

extern char **environ;

/* Read the pipe until EOF, noting when the first newline arrives. */
static int spawn_collect(int fd, uint64_t start, struct spawn_out *o)
{
    char buf[4096];

    for (;;) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;
        int rc = poll(&pfd, 1, SPAWN_TIMEOUT_MS);

        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            return rc < 0 ? -errno : -ETIMEDOUT;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return 0;
        if (!o->first_line_ns && memchr(buf, '\n', (size_t)n))
            o->first_line_ns = clock_now_ns() - start;
        if (o->len + 1 < sizeof(o->text)) {
            size_t keep = sizeof(o->text) - 1 - o->len;

            if (keep > (size_t)n)
                keep = (size_t)n;
            memcpy(o->text + o->len, buf, keep);
            o->len += keep;
            o->text[o->len] = '\0';
        }
    }
}

/*
 * spawn_run - run argv[0] with argv, stdin on /dev/null and stdout+stderr
 * on a pipe, and time it.
 *
 * Parameters: argv - program path and arguments; o - OUT: timings, wait
 * status, resource usage (with the child's own reaped children, e.g. the
 * domain stub) and the first SPAWN_OUT_MAX - 1 bytes of output.
 * Return values: 0 (whatever the child's exit status); -errno if it could
 * not be started or read; -ETIMEDOUT if it ran past SPAWN_TIMEOUT_MS (it is
 * killed and reaped).
 */
int spawn_run(char *const argv[], struct spawn_out *o)
{
    posix_spawn_file_actions_t fa;
    int fds[2] = {-1, -1};
    uint64_t start;
    pid_t pid = -1;
    int rc;

    memset(o, 0, sizeof(*o));
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    start = clock_now_ns();
    rc = -posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc == 0)
        rc = spawn_collect(fds[0], start, o);
    close(fds[0]);
    if (rc < 0 && pid > 0)
        kill(pid, SIGKILL);
    if (pid > 0) {
        while (wait4(pid, &o->status, 0, &o->ru) < 0 && errno == EINTR)
            ;
        o->exit_ns = clock_now_ns() - start;
    }
    if (rc == -ETIMEDOUT)
        fprintf(stderr,
                "vnbench: %s %s: no output or exit within %d s; "
                "killed\n",
                argv[0], argv[1] ? argv[1] : "", SPAWN_TIMEOUT_MS / 1000);
    else if (rc < 0)
        fprintf(stderr, "vnbench: %s: %s\n", argv[0], strerror(-rc));
    return rc;
}
