/* SPDX-License-Identifier: MIT */
/*
 * (h) Host memory per idle domain: IM_N idle_block domains (16 MiB) made
 * through libvn, next to IM_N idle static processes (sleep0), measured the
 * same way: each process's /proc/PID/status (VmRSS and its parts, VmPTE,
 * Threads), the memfd pages it holds (guest RAM and mailbox), veneerd's
 * growth per domain, the host's MemAvailable and kernel memory (Slab,
 * KernelStack, PageTables) per process, and the CPU time all of them use
 * over one second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvn.h"
#include "vnbench2.h"

#define IM_N         20u
#define IM_MEMORY    16u
#define IM_SETTLE_NS 300000000l
#define IM_WAIT_MS   10000

/* What one process costs, as /proc shows it (KiB, or a count). */
struct im_proc {
    struct series rss, anon, file, shmem, pte, memfd, threads, fds;
};

/* [POLICY] A kernel stack per thread (THREAD_SIZE on x86-64). */
#define IM_KSTACK_KIB 16

/* The host's kernel memory, KiB: slab objects, thread stacks, page
 * tables (the parts a process adds to). */
static long im_kernel_kib(void)
{
    return proc_meminfo_kib("Slab:") + proc_meminfo_kib("KernelStack:") +
           proc_meminfo_kib("PageTables:");
}

/* veneerd's status, KiB or counts, before and after the domains. */
struct im_vnd {
    long anon, shmem, pte, threads;
    int fds;
};

static void im_vnd_read(pid_t v, struct im_vnd *x)
{
    x->anon = proc_status_kib(v, "RssAnon:");
    x->shmem = proc_status_kib(v, "RssShmem:");
    x->pte = proc_status_kib(v, "VmPTE:");
    x->threads = proc_status_kib(v, "Threads:");
    x->fds = proc_fd_count(v);
}

static void im_proc_add(struct im_proc *p, pid_t pid)
{
    series_add(&p->rss, (double)proc_status_kib(pid, "VmRSS:"));
    series_add(&p->anon, (double)proc_status_kib(pid, "RssAnon:"));
    series_add(&p->file, (double)proc_status_kib(pid, "RssFile:"));
    series_add(&p->shmem, (double)proc_status_kib(pid, "RssShmem:"));
    series_add(&p->pte, (double)proc_status_kib(pid, "VmPTE:"));
    series_add(&p->memfd, (double)proc_memfd_kib(pid));
    series_add(&p->threads, (double)proc_status_kib(pid, "Threads:"));
    series_add(&p->fds, (double)proc_fd_count(pid));
}

static void im_proc_free(struct im_proc *p)
{
    series_free(&p->rss);
    series_free(&p->anon);
    series_free(&p->file);
    series_free(&p->shmem);
    series_free(&p->pte);
    series_free(&p->memfd);
    series_free(&p->threads);
    series_free(&p->fds);
}

static void im_settle(void)
{
    struct timespec ts = {0, IM_SETTLE_NS};

    nanosleep(&ts, NULL);
}

/* Wait until domain NAME's console log says it is blocking. */
static int im_wait_blocking(const struct vnhost *h, const char *name)
{
    char path[256], buf[512];
    struct timespec ts = {0, 2000000};

    snprintf(path, sizeof(path), "%s/console/%s.log", h->rundir, name);
    for (int waited = 0; waited < IM_WAIT_MS; waited += 2) {
        FILE *f = fopen(path, "r");
        int hit = 0;

        while (f && fgets(buf, sizeof(buf), f))
            hit |= strstr(buf, "idle_block: blocking") != NULL;
        if (f)
            fclose(f);
        if (hit)
            return 0;
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "vnbench2: %s never printed \"idle_block: blocking\"\n",
            name);
    return -ETIMEDOUT;
}

/* Everything (h) made, to measure and to take down. */
struct im_state {
    struct child sleepers[IM_N];
    pid_t dom[IM_N];
    unsigned int n, ndom;
    struct im_proc sp, dp;
    long k0, k1, k2; /* im_kernel_kib: start, sleepers, domains */
    struct im_vnd v0, v1;
    int64_t cpu_dom, cpu_vnd, cpu_sleep;
};

static int im_sleepers(const struct opts2 *o, struct im_state *st)
{
    char *const argv[] = {(char *)o->sleeper, NULL};
    int rc = 0;

    for (unsigned int i = 0; rc == 0 && i < st->n; i++)
        rc = child_start(&st->sleepers[i], argv);
    return rc;
}

static int im_domains(const struct opts2 *o, struct vnhost *h,
                      struct im_state *st)
{
    struct vn_config *cfg = NULL;
    struct vn *vh = NULL;
    char path[256], *errors = NULL;
    int rc = vnhost_config(h, "idle0", o->idle, IM_MEMORY, path, sizeof(path));

    if (rc == 0)
        rc = vn_config_load(path, &cfg, &errors);
    if (rc == 0)
        rc = vn_open(h->rundir, &vh);
    for (unsigned int i = 0; rc == 0 && i < st->n; i++) {
        struct vn_dominfo info;

        snprintf(cfg->name, sizeof(cfg->name), "idle%u", i);
        rc = vn_domain_create(vh, cfg, 0, &info);
        if (rc == 0) {
            st->dom[st->ndom++] = info.pid;
            rc = im_wait_blocking(h, cfg->name);
        }
    }
    if (rc < 0)
        fprintf(stderr, "vnbench2: idle domains: %s %s%s\n", strerror(-rc),
                vh ? vn_errmsg(vh) : "", errors ? errors : "");
    vn_close(vh);
    vn_config_free(cfg);
    free(errors);
    return rc;
}

/* CPU of every domain, veneerd and every sleeper over one second. */
static void im_cpu(const struct vnhost *h, struct im_state *st)
{
    struct timespec one = {1, 0};
    int64_t d0 = 0, d1 = 0, s0 = 0, s1 = 0, v0, v1;

    v0 = proc_cpu_ns(h->veneerd);
    for (unsigned int i = 0; i < st->n; i++) {
        d0 += proc_cpu_ns(st->dom[i]);
        s0 += proc_cpu_ns(st->sleepers[i].pid);
    }
    nanosleep(&one, NULL);
    v1 = proc_cpu_ns(h->veneerd);
    for (unsigned int i = 0; i < st->n; i++) {
        d1 += proc_cpu_ns(st->dom[i]);
        s1 += proc_cpu_ns(st->sleepers[i].pid);
    }
    st->cpu_dom = d1 - d0;
    st->cpu_vnd = v1 - v0;
    st->cpu_sleep = s1 - s0;
}

static void im_row(const char *label, const struct series *dom,
                   const struct series *peer, unsigned int n)
{
    struct fig f = fig_of_series(dom), p = {0};
    char samples[24], vs[128];

    if (peer)
        p = fig_of_series(peer);
    snprintf(samples, sizeof(samples), "%u dom", n);
    table_row(
        label, &f, UNIT_KIB, samples,
        peer ? table_versus(vs, sizeof(vs), f.p50, p.p50, "sleep0", UNIT_KIB)
             : "");
}

static void im_one(const char *label, double v, const char *samples,
                   const char *against)
{
    struct fig f = {v, v, v, v, 1};

    table_row(label, &f, UNIT_KIB, samples, against);
}

/* Per-domain estimate of the whole: RAM pages in the memfds, the domain
 * process's private pages, veneerd's private growth, and the kernel's
 * (page tables and thread stacks, computed). */
static void im_totals(const struct im_state *st, double *dom, double *dk,
                      double *peer, double *pk)
{
    double n = st->n;
    double thr = fig_of_series(&st->dp.threads).p50;

    *dk = fig_of_series(&st->dp.pte).p50 + IM_KSTACK_KIB * thr +
          (double)(st->v1.pte - st->v0.pte) / n +
          IM_KSTACK_KIB * (double)(st->v1.threads - st->v0.threads) / n;
    *dom = fig_of_series(&st->dp.memfd).p50 + fig_of_series(&st->dp.anon).p50 +
           (double)(st->v1.anon - st->v0.anon) / n + *dk;
    *pk = fig_of_series(&st->sp.pte).p50 + IM_KSTACK_KIB;
    *peer = fig_of_series(&st->sp.anon).p50 + *pk;
}

static void im_cpu_rows(const struct im_state *st)
{
    struct fig f = {(double)st->cpu_dom, 0, 0, (double)st->cpu_dom, 1};

    table_row("CPU of all idle domain processes, 1 s", &f, UNIT_NS, "1 s",
              "0 = none woke");
    f = (struct fig){(double)st->cpu_vnd, 0, 0, (double)st->cpu_vnd, 1};
    table_row("  veneerd daemon's CPU, same second", &f, UNIT_NS, "1 s",
              "all its threads");
    f = (struct fig){(double)st->cpu_sleep, 0, 0, (double)st->cpu_sleep, 1};
    table_row("peer: CPU of all sleep0 processes, 1 s", &f, UNIT_NS, "1 s", "");
}

static void im_print(const struct im_state *st)
{
    double n = st->n, dom, dk, peer, pk;
    double kdom = (double)(st->k2 - st->k1) / n;
    double kpeer = (double)(st->k1 - st->k0) / n;
    char vs[128], samples[24];

    im_row("domain process: VmRSS", &st->dp.rss, &st->sp.rss, st->n);
    im_row("  of it RssShmem (guest RAM, mailbox)", &st->dp.shmem,
           &st->sp.shmem, st->n);
    im_row("  of it RssAnon", &st->dp.anon, &st->sp.anon, st->n);
    im_row("  of it RssFile (stub image, page cache)", &st->dp.file,
           &st->sp.file, st->n);
    im_row("domain process: page tables (VmPTE)", &st->dp.pte, &st->sp.pte,
           st->n);
    im_row("memfd pages allocated (RAM + mailbox)", &st->dp.memfd,
           &st->sp.memfd, st->n);
    snprintf(samples, sizeof(samples), "/ %u", st->n);
    im_one("veneerd: RssAnon growth per domain",
           (double)(st->v1.anon - st->v0.anon) / n, samples,
           "its own memory for the domain");
    im_one("veneerd: RssShmem growth per domain",
           (double)(st->v1.shmem - st->v0.shmem) / n, samples,
           "guest pages it maps: in the memfd row");
    im_one("veneerd: VmPTE growth per domain",
           (double)(st->v1.pte - st->v0.pte) / n, samples, "");
    im_totals(st, &dom, &dk, &peer, &pk);
    im_one("kernel: page tables + thread stacks", dk, samples,
           table_versus(vs, sizeof(vs), dk, pk, "sleep0", UNIT_KIB));
    im_one("  measured: Slab+KernelStack+PageTables", kdom, samples,
           table_versus(vs, sizeof(vs), kdom, kpeer, "sleep0's", UNIT_KIB));
    im_one("total per idle domain (memfd, anon, kernel)", dom, samples,
           table_versus(vs, sizeof(vs), dom, peer, "sleep0", UNIT_KIB));
    printf("  threads and files: a domain process has %.0f thread(s) and "
           "%.0f fds; veneerd grows\n    by %.1f threads and %.1f fds per "
           "domain; a kernel stack is %d KiB\n",
           fig_of_series(&st->dp.threads).p50, fig_of_series(&st->dp.fds).p50,
           (double)(st->v1.threads - st->v0.threads) / n,
           (double)(st->v1.fds - st->v0.fds) / n, IM_KSTACK_KIB);
    im_cpu_rows(st);
}

/*
 * idlemem_bench - (h) through h's daemons.
 * Return values: 0; a negative errno if the processes could not be made.
 */
int idlemem_bench(const struct opts2 *o, struct vnhost *h)
{
    static struct im_state st;
    int rc;

    b2_progress("(h) memory per idle domain: %u domains, %u sleep0", IM_N,
                IM_N);
    memset(&st, 0, sizeof(st));
    for (unsigned int i = 0; i < IM_N; i++)
        st.sleepers[i] = (struct child){.pid = -1, .fd = -1};
    st.n = o->quick ? IM_N / 4 : IM_N;
    im_settle();
    st.k0 = im_kernel_kib();
    rc = im_sleepers(o, &st);
    if (rc == 0) {
        im_settle();
        st.k1 = im_kernel_kib();
        for (unsigned int i = 0; i < st.n; i++)
            im_proc_add(&st.sp, st.sleepers[i].pid);
        im_vnd_read(h->veneerd, &st.v0);
        rc = im_domains(o, h, &st);
    }
    if (rc == 0) {
        im_settle();
        st.k2 = im_kernel_kib();
        im_vnd_read(h->veneerd, &st.v1);
        for (unsigned int i = 0; i < st.n; i++)
            im_proc_add(&st.dp, st.dom[i]);
        im_cpu(h, &st);
    }
    table_section(
        "(h) host memory per idle domain: idle_block domains (16 MiB, "
        "blocked for ever) made\n    by libvn, next to as many sleep0 "
        "processes (static, in pause()) measured alike;\n    host-wide "
        "figures are deltas of /proc/meminfo and move with the rest of "
        "the host");
    if (rc == 0)
        im_print(&st);
    for (unsigned int i = 0; i < IM_N; i++)
        child_free(&st.sleepers[i]); /* SIGKILL, reap */
    im_proc_free(&st.sp);
    im_proc_free(&st.dp);
    return rc; /* vn host stop destroys the domains */
}
