/* SPDX-License-Identifier: MIT */
/*
 * vn host: the daemons it runs under the run directory and the helpers
 * host.c gives cmd_host.c. Internal to vn.
 */
#ifndef VN_HOST_H
#define VN_HOST_H

#include <sys/types.h>

#include "vn.h"

/* Limits of vn host. [POLICY] */
#define HOST_START_TIMEOUT_MS 10000 /* for a daemon's socket to answer */
#define HOST_STOP_TIMEOUT_MS  10000 /* after SIGTERM, before SIGKILL */
#define HOST_POLL_MS          20
#define HOST_LOG_TAIL_LINES   8

/* A daemon vn host runs: files named relative to the run directory. */
struct daemon {
    const char *name;     /* binary and display name */
    const char *env;      /* environment variable overriding the binary */
    const char *pid_file; /* RUNDIR/... */
    const char *socket;   /* RUNDIR/... */
    const char *log;      /* RUNDIR/... */
};

#define HOST_NDAEMONS 2
extern const struct daemon host_daemons[HOST_NDAEMONS];

enum host_state { HOST_STOPPED, HOST_RUNNING, HOST_UNREACHABLE };

/* host_path: RUNDIR/name into buf. */
void host_path(char *buf, size_t len, const char *rundir, const char *name);

/* host_binary: the daemon's executable: $ENV, else beside vn, else in
 * ../sbin from vn, else its bare name for a PATH search. */
void host_binary(const struct daemon *dm, char *buf, size_t len);

/* host_read_pid: the pid in a pid file, or 0. */
pid_t host_read_pid(const char *path);

/* host_daemon_pid: the live pid of the daemon per its pid file (checked
 * against the binary's name), or 0. */
pid_t host_daemon_pid(const char *rundir, const struct daemon *dm);

/* host_socket_answers: a connect() to the unix socket at path works. */
bool host_socket_answers(const char *path);

/* host_state_of: stopped, running (pid alive and socket answering) or
 * unreachable (alive, socket silent); *pid receives the pid or 0. */
enum host_state host_state_of(const char *rundir, const struct daemon *dm,
                              pid_t *pid);

/* host_state_name: "stopped", "running", "unreachable". */
const char *host_state_name(enum host_state s);

/* host_log_tail: the last lines of RUNDIR/log on stderr, if any. */
void host_log_tail(const char *rundir, const char *log);

/* host_wait_gone: waits up to timeout_ms for pid to exit (or become a
 * zombie); true if it did. */
bool host_wait_gone(pid_t pid, int timeout_ms);

#endif /* VN_HOST_H */
