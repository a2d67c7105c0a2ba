/* SPDX-License-Identifier: MIT */
/*
 * vnbench2, the second driver of `make bench`: Veneer core II (page-table
 * updates, upcalls, timers) and the toolstack (create to first line,
 * create/destroy rate, memory per idle domain), each figure next to its
 * peer measured in the same run. What its parts share; nothing else is
 * needed to build one of them.
 */
#ifndef VNBENCH2_H
#define VNBENCH2_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "clock.h"
#include "hist.h"
#include "table.h"

/* ---- statistics (fig.c; struct fig is table.h's) ---- */

/* [POLICY] Figures combined from separate runs (fig_merge). */
#define FIG_MAX_RUNS 16u

/* A series of separately measured values (a few hundred at most). */
struct series {
    double *v;
    size_t n, cap;
};

void series_add(struct series *s, double v);
void series_free(struct series *s);
struct fig fig_of_series(const struct series *s);
struct fig fig_of_hist_ticks(const struct hist *h, uint64_t ovh);
struct fig fig_of_hist(const struct hist *h);
struct fig fig_merge(const struct fig *runs, unsigned int n);
struct fig fig_merge_at(const void *runs, unsigned int n, size_t stride,
                        size_t off);
struct fig fig_scale(struct fig f, double k);

/* ---- the driver (vnbench2.c; its clock and table are clock.h's and
 * table.h's) ---- */

void b2_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- child processes (child.c) ---- */

/* [POLICY] A child that runs longer than this is killed: the bench fails
 * rather than hangs. */
#define CHILD_TIMEOUT_MS 60000

/* A child with stdout and stderr on one pipe, and what it printed. */
struct child {
    pid_t pid;
    int fd;                 /* read end; -1 at EOF */
    uint64_t start_ns;      /* just before posix_spawn */
    uint64_t first_byte_ns; /* spawn -> first output; 0: none yet */
    uint64_t exit_ns;       /* spawn -> reaped */
    int status;             /* wait status */
    struct rusage ru;
    char *out; /* everything printed, NUL-terminated */
    size_t len, cap, scanned;
};

int child_start(struct child *c, char *const argv[]);
int child_wait_line(struct child *c, const char *needle, int timeout_ms,
                    uint64_t *at_ns);
int child_finish(struct child *c, int timeout_ms);
int child_run(struct child *c, char *const argv[]);
void child_free(struct child *c);
int child_exited_ok(const struct child *c, int code);
void child_report(const struct child *c, const char *what);

/* ---- /proc (procinfo.c) ---- */

long proc_status_kib(pid_t pid, const char *field);
long proc_meminfo_kib(const char *field);
int64_t proc_cpu_ns(pid_t pid);
int proc_children(pid_t parent, pid_t *pids, int max);
long proc_memfd_kib(pid_t pid);
int proc_fd_count(pid_t pid);

/* ---- the daemons of a private run directory (vnhost.c) ---- */

struct vnhost {
    char dir[64];    /* scratch directory: run/, configs, logs */
    char rundir[96]; /* VENEER_RUNDIR */
    const char *vn;  /* build/bin/vn */
    pid_t veneerd;   /* from veneerd.pid */
    int up;
};

int vnhost_start(struct vnhost *h, const char *vn);
void vnhost_stop(struct vnhost *h);
int vnhost_config(const struct vnhost *h, const char *name, const char *kernel,
                  unsigned int memory_mib, char *path, size_t len);

/* ---- the parts ---- */

/* What vnbench2 was asked to run, and with what. */
struct opts2 {
    const char *veneerd, *vn, *hello, *floor, *sleeper, *qemu_kernel;
    const char *ptloop, *uplat, *idle;
    int quick;
};

/* (c) ptupdate.c + mmpeer.c */
int ptupdate_bench(const struct opts2 *o);
struct mmpeer {
    struct fig mmap4k, munmap4k, mmap2m, munmap2m;
    struct fig notif, notif_mmap;       /* user-notif round trips (CONTINUE) */
    struct fig notif_same, notif_other; /* listener pinned with, apart */
    char why[96];                       /* notif not measured: why */
};
void mmpeer_run(unsigned long n, struct mmpeer *p);

/* (d) upcall.c + sigpeer.c */
int upcall_bench(const struct opts2 *o);
struct sigpeer {
    struct fig proc;  /* kill -> handler of a spinning process */
    struct fig cpu;   /* tgkill -> handler, threads on two CPUs */
    struct fig timer; /* timer thread wakes, signals: lateness */
    struct fig wake;  /* that thread's own wake-up lateness */
    char why[96];
};
void sigpeer_run(unsigned long n, unsigned long period_us, struct sigpeer *p);

/* (e) timers.c */
int timers_bench(const struct opts2 *o);

/* (f) boot.c */
int boot_bench(const struct opts2 *o, struct vnhost *h);

/* (g) domrate.c */
int domrate_bench(const struct opts2 *o, struct vnhost *h);

/* (h) idlemem.c */
int idlemem_bench(const struct opts2 *o, struct vnhost *h);

/* Guest result lines (ptupdate.c): "key=value" of a line, and a
 * histogram line's numbers. */
struct ghist {
    unsigned long long n, p50, p90, p99, max, sum;
};
const char *guest_line(const char *out, const char *prefix);
int guest_hist(const char *line, struct ghist *g);
unsigned long long guest_value(const char *line, const char *key);
struct fig fig_of_ghist(const struct ghist *g, double ovh_ticks, int ticks);

#endif /* VNBENCH2_H */
