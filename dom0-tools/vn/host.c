// SPDX-License-Identifier: MIT
// The daemons vn host manages, and what it knows of them: where their
// binaries, pid files, sockets and logs are, and whether they run.
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "host.h"

/* Started in this order, stopped in the reverse one. */
const struct daemon host_daemons[HOST_NDAEMONS] = {
    {"vstored", "VSTORED", "vstored.pid", VN_STORE_SOCKET_NAME, "vstored.log"},
    {"veneerd", "VENEERD", "veneerd.pid", VN_CTL_SOCKET_NAME, "veneerd.log"},
};

void host_path(char *buf, size_t len, const char *rundir, const char *name)
{
    snprintf(buf, len, "%s/%s", rundir, name);
}

/* $ENV, else next to vn, else ../sbin from vn, else the bare name (PATH). */
void host_binary(const struct daemon *dm, char *buf, size_t len)
{
    const char *env = getenv(dm->env);
    char exe[PATH_MAX];
    ssize_t n;

    if (env != NULL && *env != '\0') {
        snprintf(buf, len, "%s", env);
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        const char *dir;

        exe[n] = '\0';
        dir = dirname(exe);
        snprintf(buf, len, "%s/%s", dir, dm->name);
        if (access(buf, X_OK) == 0)
            return;
        snprintf(buf, len, "%s/../sbin/%s", dir, dm->name);
        if (access(buf, X_OK) == 0)
            return;
    }
    snprintf(buf, len, "%s", dm->name);
}

/* The name the kernel shows for a process running that binary. */
static void expected_comm(const struct daemon *dm, char *buf, size_t len)
{
    char bin[PATH_MAX];

    host_binary(dm, bin, sizeof(bin));
    snprintf(buf, len, "%.15s", basename(bin)); /* TASK_COMM_LEN - 1 */
}

static bool comm_is(pid_t pid, const char *want)
{
    char path[64], comm[32] = "";
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
    f = fopen(path, "re");
    if (f == NULL)
        return false;
    if (fgets(comm, sizeof(comm), f) == NULL)
        comm[0] = '\0';
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';
    return strcmp(comm, want) == 0;
}

pid_t host_read_pid(const char *path)
{
    long pid = 0;
    FILE *f = fopen(path, "re");

    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || pid > INT_MAX)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

pid_t host_daemon_pid(const char *rundir, const struct daemon *dm)
{
    char path[PATH_MAX + 64], comm[32];
    pid_t pid;

    host_path(path, sizeof(path), rundir, dm->pid_file);
    pid = host_read_pid(path);
    if (pid <= 0 || kill(pid, 0) != 0)
        return 0;
    /* A stale file may name a reused pid: trust it only for our binary. */
    expected_comm(dm, comm, sizeof(comm));
    return comm_is(pid, comm) ? pid : 0;
}

bool host_socket_answers(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    bool ok;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return false;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

enum host_state host_state_of(const char *rundir, const struct daemon *dm,
                              pid_t *pid)
{
    char sock[PATH_MAX + 64];

    host_path(sock, sizeof(sock), rundir, dm->socket);
    *pid = host_daemon_pid(rundir, dm);
    if (*pid == 0)
        return HOST_STOPPED;
    return host_socket_answers(sock) ? HOST_RUNNING : HOST_UNREACHABLE;
}

const char *host_state_name(enum host_state s)
{
    static const char *const names[] = {"stopped", "running", "unreachable"};

    return names[s];
}

void host_log_tail(const char *rundir, const char *log)
{
    char path[PATH_MAX + 64], buf[2048];
    const char *lines[HOST_LOG_TAIL_LINES] = {0};
    int fd, nl = 0;
    off_t size;
    ssize_t n;

    host_path(path, sizeof(path), rundir, log);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    size = lseek(fd, 0, SEEK_END);
    if (size > (off_t)sizeof(buf) - 1)
        lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
    else
        lseek(fd, 0, SEEK_SET);
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    for (char *p = strtok(buf, "\n"); p != NULL; p = strtok(NULL, "\n"))
        lines[nl++ % HOST_LOG_TAIL_LINES] = p;
    fprintf(stderr, "vn: the end of %s:\n", path);
    for (int i = nl > HOST_LOG_TAIL_LINES ? nl - HOST_LOG_TAIL_LINES : 0;
         i < nl; i++)
        fprintf(stderr, "  | %s\n", lines[i % HOST_LOG_TAIL_LINES]);
}

bool host_wait_gone(pid_t pid, int timeout_ms)
{
    for (int waited = 0; kill(pid, 0) == 0; waited += HOST_POLL_MS) {
        char path[64], state = 0;
        FILE *f;

        if (waited >= timeout_ms)
            return false;
        /* A zombie (our own unreaped child) is gone for this purpose. */
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (f != NULL) {
            if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
                state = 0;
            fclose(f);
        }
        if (state == 'Z')
            return true;
        usleep(HOST_POLL_MS * 1000);
    }
    return true;
}
