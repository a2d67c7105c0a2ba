// SPDX-License-Identifier: MIT
// vn host start|stop|status: vstored and veneerd under the run directory
// ($VENEER_RUNDIR, default /run/veneer), their pid files, sockets and
// logs there; stop leaves nothing behind but the logs (the daemons' and
// veneerd's console/NAME.log), or with --purge nothing at all.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"

#define PATHLEN (PATH_MAX + 64)

/* mkdir -p; the last component (the run directory) is 0700. */
static int make_rundir(const char *rundir)
{
    char buf[PATH_MAX];

    if (snprintf(buf, sizeof(buf), "%s", rundir) >= (int)sizeof(buf))
        return -ENAMETOOLONG;
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return -errno;
    return chmod(buf, 0700) == 0 ? 0 : -errno;
}

/* vstored detaches by itself once it listens and has written its pid
 * file (docs/vstored.md). */
static int start_vstored(const char *rundir, const struct daemon *dm)
{
    char bin[PATH_MAX], sock[PATHLEN], pid[PATHLEN], log[PATHLEN];
    int status;
    pid_t child;

    host_binary(dm, bin, sizeof(bin));
    host_path(sock, sizeof(sock), rundir, dm->socket);
    host_path(pid, sizeof(pid), rundir, dm->pid_file);
    host_path(log, sizeof(log), rundir, dm->log);
    child = fork();
    if (child < 0)
        return -errno;
    if (child == 0) {
        execl(bin, bin, "--socket", sock, "--pid-file", pid, "--log-file", log,
              "--rundir", rundir, (char *)NULL);
        vn_warnx("host start: cannot run %s: %s", bin, strerror(errno));
        _exit(127);
    }
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || !host_socket_answers(sock)) {
        vn_warnx("host start: %s did not start", bin);
        host_log_tail(rundir, dm->log);
        return -EIO;
    }
    return 0;
}

/* The child that becomes veneerd: own session, stdio to its log. */
static void exec_veneerd(const char *bin, const char *rundir,
                         const struct daemon *dm)
{
    char log[PATHLEN];
    int fd, null;

    host_path(log, sizeof(log), rundir, dm->log);
    setsid();
    umask(077);
    fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || null < 0)
        _exit(127);
    dup2(null, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    execl(bin, bin, "daemon", "--rundir", rundir, (char *)NULL);
    fprintf(stderr, "vn host start: cannot run %s: %s\n", bin, strerror(errno));
    _exit(127);
}

/* Waits for veneerd's socket; records the pid if veneerd did not. */
static int await_veneerd(const char *rundir, const struct daemon *dm,
                         pid_t child)
{
    char sock[PATHLEN], pidf[PATHLEN];
    int status, waited;
    pid_t gone = 0;

    host_path(sock, sizeof(sock), rundir, dm->socket);
    host_path(pidf, sizeof(pidf), rundir, dm->pid_file);
    for (waited = 0; waited < HOST_START_TIMEOUT_MS; waited += HOST_POLL_MS) {
        if (host_socket_answers(sock))
            break;
        if (gone == 0)
            gone = waitpid(child, &status, WNOHANG);
        if (gone == child && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            break;
        usleep(HOST_POLL_MS * 1000);
    }
    if (!host_socket_answers(sock)) {
        if (gone == child && WIFEXITED(status))
            vn_warnx("host start: veneerd exited with status %d before "
                     "listening on %s",
                     WEXITSTATUS(status), sock);
        else
            vn_warnx("host start: veneerd is not listening on %s", sock);
        host_log_tail(rundir, dm->log);
        if (gone != child) {
            kill(child, SIGTERM);
            waitpid(child, &status, 0);
        }
        return -EIO;
    }
    if (host_daemon_pid(rundir, dm) == 0 && gone == 0) {
        FILE *f = fopen(pidf, "we");

        if (f != NULL) {
            fprintf(f, "%d\n", (int)child);
            fclose(f);
        }
    }
    if (host_daemon_pid(rundir, dm) == 0)
        vn_warnx("host start: warning: no %s names veneerd's pid; 'vn host "
                 "stop' cannot stop it",
                 pidf);
    return 0;
}

static int start_veneerd(const char *rundir, const struct daemon *dm)
{
    char bin[PATH_MAX];
    pid_t child;

    host_binary(dm, bin, sizeof(bin));
    fflush(NULL);
    child = fork();
    if (child < 0)
        return -errno;
    if (child == 0)
        exec_veneerd(bin, rundir, dm);
    return await_veneerd(rundir, dm, child);
}

/* SIGTERM, wait, SIGKILL as a last resort. */
static bool stop_pid(pid_t pid, const char *name)
{
    if (kill(pid, SIGTERM) != 0)
        return errno == ESRCH;
    if (host_wait_gone(pid, HOST_STOP_TIMEOUT_MS))
        return true;
    vn_warnx("host stop: %s (pid %d) ignored SIGTERM; killing it", name,
             (int)pid);
    kill(pid, SIGKILL);
    return host_wait_gone(pid, 2000);
}

static void remove_file(const char *rundir, const char *name)
{
    char path[PATHLEN];

    host_path(path, sizeof(path), rundir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        vn_warnx("host stop: cannot remove %s: %s", path, strerror(errno));
}

static bool stop_daemon(const char *rundir, const struct daemon *dm)
{
    pid_t pid = host_daemon_pid(rundir, dm);
    bool ok = pid == 0 || stop_pid(pid, dm->name);

    remove_file(rundir, dm->socket);
    remove_file(rundir, dm->pid_file);
    return ok;
}

/* Destroys every domain first, so their store entries go too. */
static void destroy_domains(const char *rundir)
{
    struct vn_dominfo *list = NULL;
    struct vn *h = NULL;
    size_t n = 0;

    if (vn_open(rundir, &h) != 0)
        return;
    if (vn_domain_list(h, &list, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char id[16];
            int rc;

            snprintf(id, sizeof(id), "%u", list[i].domid);
            rc = vn_domain_destroy(h, id);
            if (rc != 0 && rc != -ENOENT)
                vn_warnx("host stop: destroying %s: %s", list[i].name,
                         strerror(-rc));
        }
    }
    free(list);
    vn_close(h);
}

/* --purge: veneerd's console logs, then the directory. */
static void purge_console_logs(const char *rundir)
{
    char dir[PATHLEN], path[PATHLEN * 2];
    struct dirent *e;
    DIR *d;

    host_path(dir, sizeof(dir), rundir, VN_CONSOLE_DIR_NAME);
    d = opendir(dir);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);

        if (len < 5 || strcmp(e->d_name + len - 4, ".log") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    if (rmdir(dir) != 0 && errno != ENOENT)
        vn_warnx("host stop: cannot remove %s: %s", dir, strerror(errno));
}

static const struct option no_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_host_start(const struct vn_cmd *cmd, int argc, char **argv)
{
    const char *rundir = vn_rundir_default();
    bool started[HOST_NDAEMONS] = {false};
    int rc;

    while ((rc = vn_getopt(cmd, argc, argv, "h", no_opts)) != -1)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 0)) != 0)
        return rc;
    rc = make_rundir(rundir);
    if (rc != 0) {
        vn_warnx("host start: %s: %s", rundir, strerror(-rc));
        return VN_EXIT_ERROR;
    }
    for (int i = 0; i < HOST_NDAEMONS && rc == 0; i++) {
        const struct daemon *dm = &host_daemons[i];
        pid_t pid;

        if (host_state_of(rundir, dm, &pid) == HOST_RUNNING)
            continue;
        if (pid != 0) {
            vn_warnx("host start: %s (pid %d) runs but does not answer on "
                     "its socket; try 'vn host stop' first",
                     dm->name, (int)pid);
            rc = -EBUSY;
            break;
        }
        rc = i == 0 ? start_vstored(rundir, dm) : start_veneerd(rundir, dm);
        started[i] = rc == 0;
    }
    if (rc == 0)
        return VN_EXIT_OK;
    /* A failed start leaves nothing of its own running. */
    for (int i = HOST_NDAEMONS - 1; i >= 0; i--)
        if (started[i])
            stop_daemon(rundir, &host_daemons[i]);
    if (started[0]) {
        char path[PATHLEN];

        host_path(path, sizeof(path), rundir, "xenstored");
        rmdir(path);
    }
    return VN_EXIT_ERROR;
}

int cmd_host_stop(const struct vn_cmd *cmd, int argc, char **argv)
{
    static const struct option opts[] = {
        {"purge", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rundir = vn_rundir_default();
    char path[PATHLEN];
    bool purge = false, ok = true;
    int c;

    while ((c = vn_getopt(cmd, argc, argv, "Ph", opts)) != -1) {
        if (c != 'P')
            return VN_EXIT_USAGE;
        purge = true;
    }
    if ((c = vn_args(cmd, argc, 0)) != 0)
        return c;
    destroy_domains(rundir);
    ok &= stop_daemon(rundir, &host_daemons[1]); /* veneerd */
    ok &= stop_daemon(rundir, &host_daemons[0]); /* vstored */
    host_path(path, sizeof(path), rundir, "xenstored");
    rmdir(path);
    if (purge) {
        for (int i = 0; i < HOST_NDAEMONS; i++)
            remove_file(rundir, host_daemons[i].log);
        purge_console_logs(rundir);
        if (rmdir(rundir) != 0 && errno != ENOENT) {
            vn_warnx("host stop: cannot remove %s: %s", rundir,
                     strerror(errno));
            ok = false;
        }
    }
    return ok ? VN_EXIT_OK : VN_EXIT_ERROR;
}

static void status_json(const char *rundir, const enum host_state *st,
                        const pid_t *pids)
{
    struct vn_json j;
    char sock[PATHLEN];

    vn_json_init(&j, stdout);
    vn_json_object_begin(&j);
    vn_json_key(&j, "rundir");
    vn_json_string(&j, rundir);
    vn_json_key(&j, "daemons");
    vn_json_array_begin(&j);
    for (int i = 0; i < HOST_NDAEMONS; i++) {
        host_path(sock, sizeof(sock), rundir, host_daemons[i].socket);
        vn_json_object_begin(&j);
        vn_json_key(&j, "name");
        vn_json_string(&j, host_daemons[i].name);
        vn_json_key(&j, "state");
        vn_json_string(&j, host_state_name(st[i]));
        vn_json_key(&j, "pid");
        if (pids[i] > 0)
            vn_json_int(&j, pids[i]);
        else
            vn_json_null(&j);
        vn_json_key(&j, "socket");
        vn_json_string(&j, sock);
        vn_json_object_end(&j);
    }
    vn_json_array_end(&j);
    vn_json_object_end(&j);
    vn_json_end(&j);
}

static void status_table(const char *rundir, const enum host_state *st,
                         const pid_t *pids)
{
    struct table t;
    char sock[PATHLEN], pid[16];

    table_init(&t, 4, "llrl");
    table_row(&t, "DAEMON", "STATE", "PID", "SOCKET");
    for (int i = 0; i < HOST_NDAEMONS; i++) {
        host_path(sock, sizeof(sock), rundir, host_daemons[i].socket);
        if (pids[i] > 0)
            snprintf(pid, sizeof(pid), "%d", (int)pids[i]);
        else
            snprintf(pid, sizeof(pid), "-");
        table_row(&t, host_daemons[i].name, host_state_name(st[i]), pid, sock);
    }
    table_print(&t, stdout);
    table_free(&t);
}

int cmd_host_status(const struct vn_cmd *cmd, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *rundir = vn_rundir_default();
    enum host_state st[HOST_NDAEMONS];
    pid_t pids[HOST_NDAEMONS];
    bool json = false, all = true;
    int c;

    while ((c = vn_getopt(cmd, argc, argv, "jh", opts)) != -1) {
        if (c != 'j')
            return VN_EXIT_USAGE;
        json = true;
    }
    if ((c = vn_args(cmd, argc, 0)) != 0)
        return c;
    for (int i = 0; i < HOST_NDAEMONS; i++) {
        st[i] = host_state_of(rundir, &host_daemons[i], &pids[i]);
        all &= st[i] == HOST_RUNNING;
    }
    if (json)
        status_json(rundir, st, pids);
    else
        status_table(rundir, st, pids);
    return all ? VN_EXIT_OK : VN_EXIT_NODAEMON;
}
