/* SPDX-License-Identifier: MIT */
/*
 * (d) Upcall latency: the uplat guest under `veneerd run` (null
 * hypercall, a deadline already passed, a deadline reached while the
 * vCPU spins), three runs alternating with the signal peers (sigpeer.c),
 * and its rows.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vnbench2.h"

#define UP_RUNS    3u
#define UP_KICK_US 300ul

struct up_figs {
    struct fig null, now_entry, now_back, kick;
};

static int up_guest(const struct opts2 *o, struct up_figs *f)
{
    unsigned int n = o->quick ? 100 : 400;
    char cmdline[128];
    char *const argv[] = {(char *)o->veneerd, "run",   (char *)o->uplat,
                          "--cmdline",        cmdline, NULL};
    const char *tail;
    struct ghist g[4];
    struct child c;
    double ovh;
    int rc;

    snprintf(cmdline, sizeof(cmdline), "now=%u kick=%u kick_us=%lu", n, n,
             UP_KICK_US);
    rc = child_run(&c, argv);
    tail = rc == 0 ? guest_line(c.out, "uplat: ovh=") : NULL;
    if (rc < 0 || !child_exited_ok(&c, 0) || !tail ||
        guest_value(tail, "early") != 0 ||
        guest_hist(guest_line(c.out, "uplat: what=null "), &g[0]) < 0 ||
        guest_hist(guest_line(c.out, "uplat: what=now_entry "), &g[1]) < 0 ||
        guest_hist(guest_line(c.out, "uplat: what=now_back "), &g[2]) < 0 ||
        guest_hist(guest_line(c.out, "uplat: what=kick "), &g[3]) < 0) {
        child_report(&c, "veneerd run uplat (upcalls)");
        child_free(&c);
        return -1;
    }
    ovh = (double)guest_value(tail, "ovh");
    f->null = fig_of_ghist(&g[0], ovh, 1);
    f->now_entry = fig_of_ghist(&g[1], ovh, 1);
    f->now_back = fig_of_ghist(&g[2], ovh, 1);
    f->kick = fig_of_ghist(&g[3], 0, 0);
    child_free(&c);
    return 0;
}

static struct fig up_merge_g(const struct up_figs *runs, size_t off)
{
    return fig_merge_at(runs, UP_RUNS, sizeof(runs[0]), off);
}

static struct fig up_merge_p(const struct sigpeer *runs, size_t off)
{
    return fig_merge_at(runs, UP_RUNS, sizeof(runs[0]), off);
}

static void up_print(const struct up_figs *g, const struct sigpeer *p,
                     unsigned long peer_n)
{
    char vs[128], samples[24], ps[24];

    snprintf(samples, sizeof(samples), "%ux%lu", UP_RUNS,
             g->now_entry.n / UP_RUNS);
    snprintf(ps, sizeof(ps), "%ux%lu", UP_RUNS, peer_n);
    table_row("null hypercall xen_version (same guest)", &g->null, UNIT_NS,
              samples, "one before each call below");
    table_row("deadline passed: syscall -> callback entry", &g->now_entry,
              UNIT_NS, samples,
              table_versus(vs, sizeof(vs), g->now_entry.p50, g->null.p50,
                           "null hc", UNIT_NS));
    table_row("  same, -> back after the iret hypercall", &g->now_back, UNIT_NS,
              samples,
              table_versus(vs, sizeof(vs), g->now_back.p50, 2 * g->null.p50,
                           "2 null hc", UNIT_NS));
    table_row("running vCPU: deadline -> callback (kick)", &g->kick, UNIT_NS,
              samples,
              table_versus(vs, sizeof(vs), g->kick.p50, p->timer.p50,
                           "host timer+signal", UNIT_NS));
    if (p->why[0])
        printf("  (a signal peer was not measured: %s)\n", p->why);
    table_row("peer: timer thread -> kill -> handler", &p->timer, UNIT_NS, ps,
              "lateness in a spinning process");
    table_row("peer:   that thread's own wake-up lateness", &p->wake, UNIT_NS,
              ps, "clock_nanosleep, slack 1 ns");
    table_row("peer: kill -> handler, spinning process", &p->proc, UNIT_NS, ps,
              "another process, CPU as it falls");
    table_row("peer: tgkill -> handler, thread on other CPU", &p->cpu, UNIT_NS,
              ps, "sender and target pinned apart");
}

/*
 * upcall_bench - (d): UP_RUNS guest runs alternating with the peers.
 * Return values: 0; -1 if a guest run failed (the reason is on stderr).
 */
int upcall_bench(const struct opts2 *o)
{
    unsigned long peer_n = o->quick ? 100 : 300;
    struct up_figs runs[UP_RUNS], g;
    struct sigpeer peers[UP_RUNS], p;

    b2_progress("(d) upcall latency: uplat guest runs and signal peers");
    table_section(
        "(d) upcall latency: uplat guest under veneerd run, its own "
        "VIRQ_TIMER handler noting\n    TSC and pvclock at entry; "
        "deadline passed = set_timer_op(1 ns) with upcalls open;\n    "
        "running vCPU = set_timer_op(now + 300 us) while the guest spins "
        "(lateness)");
    for (unsigned int r = 0; r < UP_RUNS; r++) {
        if (up_guest(o, &runs[r]) < 0)
            return -1;
        sigpeer_run(peer_n, UP_KICK_US, &peers[r]);
    }
    g.null = up_merge_g(runs, offsetof(struct up_figs, null));
    g.now_entry = up_merge_g(runs, offsetof(struct up_figs, now_entry));
    g.now_back = up_merge_g(runs, offsetof(struct up_figs, now_back));
    g.kick = up_merge_g(runs, offsetof(struct up_figs, kick));
    p = peers[0];
    p.proc = up_merge_p(peers, offsetof(struct sigpeer, proc));
    p.cpu = up_merge_p(peers, offsetof(struct sigpeer, cpu));
    p.timer = up_merge_p(peers, offsetof(struct sigpeer, timer));
    p.wake = up_merge_p(peers, offsetof(struct sigpeer, wake));
    up_print(&g, &p, peer_n);
    return 0;
}
