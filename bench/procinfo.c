/* SPDX-License-Identifier: MIT */
/*
 * What vnbench2 reads about other processes and the host from /proc:
 * status fields, CPU time, children, memfd pages, open files, meminfo.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vnbench2.h"

/* The number after "field" (e.g. "VmRSS:") in a /proc file; -1: none. */
static long proc_field(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    size_t flen = strlen(field);
    char line[256];
    long v = -1;

    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, field, flen) == 0) {
            v = strtol(line + flen, NULL, 10);
            break;
        }
    }
    if (f)
        fclose(f);
    return v;
}

/* proc_status_kib - a field of /proc/PID/status (kB values, Threads). */
long proc_status_kib(pid_t pid, const char *field)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    return proc_field(path, field);
}

/* proc_meminfo_kib - a field of /proc/meminfo, in KiB. */
long proc_meminfo_kib(const char *field)
{
    return proc_field("/proc/meminfo", field);
}

/* Sum of the run times in /proc/PID/task/STAR/schedstat. */
static int64_t proc_schedstat_ns(pid_t pid)
{
    char path[64];
    struct dirent *e;
    int64_t sum = 0;
    DIR *d;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char p[320];
        long long ns = 0;
        FILE *f;

        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof(p), "/proc/%d/task/%s/schedstat", (int)pid,
                 e->d_name);
        f = fopen(p, "r");
        if (f && fscanf(f, "%lld", &ns) == 1)
            sum += ns;
        if (f)
            fclose(f);
    }
    closedir(d);
    return sum;
}

/*
 * proc_cpu_ns - CPU time of every thread of pid so far, in ns: the
 * process CPU clock, or the threads' schedstat run times.
 * Return values: the time; -1 if the process is gone.
 */
int64_t proc_cpu_ns(pid_t pid)
{
    struct timespec ts;
    clockid_t clk;

    if (clock_getcpuclockid(pid, &clk) == 0 && clock_gettime(clk, &ts) == 0)
        return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
    return proc_schedstat_ns(pid);
}

/* proc_children - up to max pids whose parent is parent; their count. */
int proc_children(pid_t parent, pid_t *pids, int max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    while (d && n < max && (e = readdir(d)) != NULL) {
        char path[300], buf[512], *p;
        int ppid = 0;
        FILE *f;

        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        f = fopen(path, "r");
        if (!f)
            continue;
        /* pid (comm) state ppid: comm may hold spaces and parentheses. */
        p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
        fclose(f);
        if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == parent)
            pids[n++] = (pid_t)atoi(e->d_name);
    }
    if (d)
        closedir(d);
    return n;
}

/* proc_memfd_kib - pages allocated to the memfds pid holds open, KiB. */
long proc_memfd_kib(pid_t pid)
{
    char dir[64];
    struct dirent *e;
    long kib = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
    d = opendir(dir);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char path[340], target[256];
        struct stat st;
        ssize_t n;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strncmp(target, "/memfd:", 7) == 0 && stat(path, &st) == 0)
            kib += (long)(st.st_blocks / 2);
    }
    closedir(d);
    return kib;
}

/* proc_fd_count - open files of pid; -1 if it cannot be read. */
int proc_fd_count(pid_t pid)
{
    char dir[64];
    struct dirent *e;
    int n = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
    d = opendir(dir);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}
