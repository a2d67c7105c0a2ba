/* SPDX-License-Identifier: MIT */
/*
 * (c) Page-table updates: the ptloop guest under `veneerd run`, three
 * runs alternating with the host peers (mmpeer.c), and its rows. Each
 * guest figure stands next to its limit, built from the peers measured in
 * the same run: the null hypercall (in the same guest) plus the host ops
 * veneerd must make for the batch, each an approved mmap (a seccomp
 * user-notification round trip + the mmap) or a munmap.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vnbench2.h"

#define PT_RUNS       3u
#define PT_PEER_CALLS 5000ul

/* One guest figure: which line, and its merged value per batch. */
struct pt_fig {
    const char *op; /* map, unmap, uvm_map, uvm_unmap, null */
    unsigned int k;
    const char *order; /* contig, desc, - */
    struct fig runs[PT_RUNS];
    struct fig all;
};

static struct pt_fig pt_figs[] = {
    {.op = "null", .k = 1, .order = "-"},
    {.op = "uvm_map", .k = 1, .order = "-"},
    {.op = "uvm_unmap", .k = 1, .order = "-"},
    {.op = "map", .k = 1, .order = "contig"},
    {.op = "unmap", .k = 1, .order = "contig"},
    {.op = "map", .k = 64, .order = "contig"},
    {.op = "unmap", .k = 64, .order = "contig"},
    {.op = "map", .k = 64, .order = "desc"},
    {.op = "unmap", .k = 64, .order = "desc"},
    {.op = "map", .k = 512, .order = "contig"},
    {.op = "unmap", .k = 512, .order = "contig"},
    {.op = "map", .k = 512, .order = "desc"},
    {.op = "unmap", .k = 512, .order = "desc"},
};
#define PT_NFIGS (sizeof(pt_figs) / sizeof(pt_figs[0]))

static struct pt_fig *pt_find(const char *op, unsigned int k, const char *order)
{
    for (size_t i = 0; i < PT_NFIGS; i++)
        if (!strcmp(pt_figs[i].op, op) && pt_figs[i].k == k &&
            !strcmp(pt_figs[i].order, order))
            return &pt_figs[i];
    return NULL;
}

/* One guest run; its figures go to runs[run]. */
static int pt_guest(const struct opts2 *o, unsigned int run)
{
    char cmdline[128];
    char *const argv[] = {(char *)o->veneerd, "run",   (char *)o->ptloop,
                          "--cmdline",        cmdline, NULL};
    const char *tail;
    struct child c;
    double ovh;
    int rc;

    snprintf(cmdline, sizeof(cmdline), "r1=%u r64=%u r512=%u uvm=%u",
             o->quick ? 200 : 1000, o->quick ? 40 : 200, o->quick ? 8 : 30,
             o->quick ? 200 : 1000);
    rc = child_run(&c, argv);
    tail = rc == 0 ? guest_line(c.out, "ptloop: ovh=") : NULL;
    if (rc < 0 || !child_exited_ok(&c, 0) || !tail) {
        child_report(&c, "veneerd run ptloop");
        child_free(&c);
        return -1;
    }
    ovh = (double)guest_value(tail, "ovh");
    for (size_t i = 0; i < PT_NFIGS; i++) {
        struct pt_fig *f = &pt_figs[i];
        char prefix[96];
        struct ghist g;

        snprintf(prefix, sizeof(prefix), "ptloop: op=%s k=%u order=%s ticks",
                 f->op, f->k, f->order);
        if (guest_hist(guest_line(c.out, prefix), &g) < 0) {
            child_report(&c, prefix);
            child_free(&c);
            return -1;
        }
        f->runs[run] = fig_of_ghist(&g, ovh, 1);
    }
    if (run == 0)
        printf("    (frames: %llu of 511 neighbours machine-contiguous)\n",
               guest_value(tail, "contig"));
    child_free(&c);
    return 0;
}

/* A guest row against a limit (ns per batch); per entry too if k > 1. */
static void pt_row(const char *label, struct pt_fig *f, double limit,
                   const char *limit_name)
{
    char samples[24], vs[128], lbl[96];
    struct fig per;

    snprintf(samples, sizeof(samples), "%ux%lu", PT_RUNS, f->all.n / PT_RUNS);
    table_row(
        label, &f->all, UNIT_NS, samples,
        table_versus(vs, sizeof(vs), f->all.p50, limit, limit_name, UNIT_NS));
    if (f->k <= 1)
        return;
    per = fig_scale(f->all, 1.0 / f->k);
    snprintf(lbl, sizeof(lbl), "  same, per entry (/%u)", f->k);
    table_row(lbl, &per, UNIT_NS, samples,
              table_versus(vs, sizeof(vs), per.p50, limit / f->k, limit_name,
                           UNIT_NS));
}

static void pt_print(const struct mmpeer *p)
{
    double hc = pt_find("null", 1, "-")->all.p50;
    double amap = p->notif_mmap.p50, unmap = p->munmap4k.p50;
    double amap2m = p->notif_mmap.p50 - p->mmap4k.p50 + p->mmap2m.p50;
    char vs[128], samples[24];

    snprintf(samples, sizeof(samples), "%u runs", PT_RUNS);
    table_row("null hypercall xen_version (same guest)",
              &pt_find("null", 1, "-")->all, UNIT_NS, samples,
              "one before each timed map");
    pt_row("update_va_mapping: map 1 page", pt_find("uvm_map", 1, "-"),
           hc + amap, "hc+approved mmap");
    pt_row("update_va_mapping: unmap 1 page", pt_find("uvm_unmap", 1, "-"),
           hc + unmap, "hc+munmap");
    pt_row("mmu_update, k=1: map", pt_find("map", 1, "contig"), hc + amap,
           "hc+approved mmap");
    pt_row("mmu_update, k=64 contiguous: map", pt_find("map", 64, "contig"),
           hc + amap, "hc+1 approved mmap");
    pt_row("mmu_update, k=64 op per entry: map", pt_find("map", 64, "desc"),
           hc + 64 * amap, "hc+64 approved mmaps");
    pt_row("mmu_update, k=512 contiguous: map", pt_find("map", 512, "contig"),
           hc + amap2m, "hc+approved 2M mmap");
    pt_row("mmu_update, k=512 op per entry: map", pt_find("map", 512, "desc"),
           hc + 512 * amap, "hc+512 approved mmaps");
    pt_row("mmu_update, k=1: unmap", pt_find("unmap", 1, "contig"), hc + unmap,
           "hc+munmap");
    pt_row("mmu_update, k=64 contiguous: unmap", pt_find("unmap", 64, "contig"),
           hc + unmap, "hc+1 munmap");
    pt_row("mmu_update, k=64 op per entry: unmap", pt_find("unmap", 64, "desc"),
           hc + 64 * unmap, "hc+64 munmaps");
    pt_row("mmu_update, k=512 contiguous: unmap",
           pt_find("unmap", 512, "contig"), hc + p->munmap2m.p50,
           "hc+1 2M munmap");
    pt_row("mmu_update, k=512 op per entry: unmap",
           pt_find("unmap", 512, "desc"), hc + 512 * unmap, "hc+512 munmaps");
    snprintf(samples, sizeof(samples), "%lu", p->mmap4k.n);
    table_row("peer: mmap 4 KiB of a memfd (MAP_FIXED)", &p->mmap4k, UNIT_NS,
              samples, "MAP_SHARED into a hole, no populate");
    table_row("peer: munmap 4 KiB", &p->munmap4k, UNIT_NS, samples,
              "whitelisted in the stub");
    snprintf(samples, sizeof(samples), "%lu", p->mmap2m.n);
    table_row("peer: mmap 2 MiB of a memfd (MAP_FIXED)", &p->mmap2m, UNIT_NS,
              samples,
              table_versus(vs, sizeof(vs), p->mmap2m.p50, p->mmap4k.p50,
                           "4 KiB", UNIT_NS));
    table_row("peer: munmap 2 MiB", &p->munmap2m, UNIT_NS, samples,
              table_versus(vs, sizeof(vs), p->munmap2m.p50, p->munmap4k.p50,
                           "4 KiB", UNIT_NS));
    snprintf(samples, sizeof(samples), "%lu", p->notif.n);
    if (!p->notif.n) {
        snprintf(vs, sizeof(vs), "not run: %s", p->why);
        table_row("peer: seccomp user notification (CONTINUE)", &p->notif,
                  UNIT_NS, "-", vs);
        return;
    }
    table_row("peer: seccomp user notification (CONTINUE)", &p->notif, UNIT_NS,
              samples, "getppid, listener thread asleep in RECV");
    table_row("peer:   same, listener on the caller's CPU", &p->notif_same,
              UNIT_NS, samples, "both pinned to one CPU");
    table_row("peer:   same, listener on another CPU", &p->notif_other, UNIT_NS,
              samples, "pinned apart: a cross-CPU wake-up");
    table_row("peer: approved mmap 4 KiB (notif + mmap)", &p->notif_mmap,
              UNIT_NS, samples,
              table_versus(vs, sizeof(vs), p->notif_mmap.p50, p->mmap4k.p50,
                           "plain mmap", UNIT_NS));
}

/* One peer figure (at offset off in struct mmpeer) merged over runs. */
static struct fig pt_peer_merge(const struct mmpeer *peers, size_t off)
{
    return fig_merge_at(peers, PT_RUNS, sizeof(peers[0]), off);
}

/*
 * ptupdate_bench - (c): PT_RUNS guest runs alternating with the peers,
 * then the rows.
 * Return values: 0; -1 if a guest run failed (the reason is on stderr).
 */
int ptupdate_bench(const struct opts2 *o)
{
    struct mmpeer peers[PT_RUNS], p;

    b2_progress("(c) page-table updates: ptloop guest runs and host peers");
    table_section(
        "(c) page-table updates: ptloop guest under veneerd run (64 MiB); "
        "mmu_update batches\n    of k entries mapping fresh frames into an "
        "L1 of the current tree, then clearing\n    them; per call, TSC "
        "brackets; median over runs of each run's percentiles.\n    "
        "\"contiguous\": one coalesced host op per batch; \"op per entry\": "
        "issued from the\n    last entry down, so nothing coalesces. limit "
        "= null hypercall + the host ops");
    for (unsigned int r = 0; r < PT_RUNS; r++) {
        if (pt_guest(o, r) < 0)
            return -1;
        mmpeer_run(o->quick ? PT_PEER_CALLS / 5 : PT_PEER_CALLS, &peers[r]);
    }
    for (size_t i = 0; i < PT_NFIGS; i++)
        pt_figs[i].all = fig_merge(pt_figs[i].runs, PT_RUNS);
    p = peers[0];
    p.mmap4k = pt_peer_merge(peers, offsetof(struct mmpeer, mmap4k));
    p.munmap4k = pt_peer_merge(peers, offsetof(struct mmpeer, munmap4k));
    p.mmap2m = pt_peer_merge(peers, offsetof(struct mmpeer, mmap2m));
    p.munmap2m = pt_peer_merge(peers, offsetof(struct mmpeer, munmap2m));
    p.notif = pt_peer_merge(peers, offsetof(struct mmpeer, notif));
    p.notif_mmap = pt_peer_merge(peers, offsetof(struct mmpeer, notif_mmap));
    p.notif_same = pt_peer_merge(peers, offsetof(struct mmpeer, notif_same));
    p.notif_other = pt_peer_merge(peers, offsetof(struct mmpeer, notif_other));
    pt_print(&p);
    return 0;
}
