/* SPDX-License-Identifier: MIT */
/*
 * (f) Domain start to first console line: `vn create --console` of the
 * hello guest through the daemon, `veneerd run` of it, and QEMU booting
 * the smallest PVH kernel (qemu_pvh.S) on `-M microvm`, with KVM where
 * /dev/kvm works and with TCG, plus the spawn floor (exit0), in rounds
 * that interleave them all. Each is timed from posix_spawn to the read
 * that returned its first line, and to its reaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnbench2.h"

#define BOOT_WARMUP 2u
#define BOOT_RUNS   15u
#define BOOT_QEMU   "qemu-system-x86_64"

#define HELLO_LINE   "Hello from Veneer!"
#define QEMU_LINE    "qemu_pvh: hello"
#define QEMU_EXIT_OK 85 /* (0x2a << 1) | 1: qemu_pvh's isa-debug-exit */

enum boot_kind { BOOT_VN, BOOT_RUN, BOOT_KVM, BOOT_TCG, BOOT_FLOOR, BOOT_N };

struct boot_kindset {
    struct series line[BOOT_N], exit[BOOT_N], byte[BOOT_N];
    int skip[BOOT_N]; /* not measured */
    char why[BOOT_N][96];
};

/* The first executable BOOT_QEMU on PATH, or NULL. */
static const char *boot_qemu(char *buf, size_t len)
{
    const char *path = getenv("PATH");

    while (path && *path) {
        size_t n = strcspn(path, ":");

        snprintf(buf, len, "%.*s/%s", (int)n, path, BOOT_QEMU);
        if (access(buf, X_OK) == 0)
            return buf;
        path += n + (path[n] == ':');
    }
    return NULL;
}

/* One spawn of kind k; keep its times unless warm-up. */
static int boot_once(const struct opts2 *o, struct vnhost *h,
                     struct boot_kindset *b, enum boot_kind k, const char *qemu,
                     unsigned int round, int keep)
{
    char cfg[256], name[32];
    char *const vn[] = {(char *)o->vn, "create", "--console", cfg, NULL};
    char *const run[] = {(char *)o->veneerd, "run", (char *)o->hello, NULL};
    char *const floor[] = {(char *)o->floor, NULL};
    char *const q[] = {(char *)qemu,
                       "-M",
                       "microvm",
                       "-accel",
                       k == BOOT_KVM ? "kvm" : "tcg",
                       "-cpu",
                       "qemu64,pni=off",
                       "-m",
                       "64",
                       "-nodefaults",
                       "-no-user-config",
                       "-display",
                       "none",
                       "-serial",
                       "stdio",
                       "-device",
                       "isa-debug-exit,iobase=0xf4,iosize=0x04",
                       "-kernel",
                       (char *)o->qemu_kernel,
                       NULL};
    char *const *argv = k == BOOT_VN      ? vn
                        : k == BOOT_RUN   ? run
                        : k == BOOT_FLOOR ? floor
                                          : q;
    const char *needle =
        k == BOOT_KVM || k == BOOT_TCG ? QEMU_LINE : HELLO_LINE;
    int code = k == BOOT_KVM || k == BOOT_TCG ? QEMU_EXIT_OK : 0;
    uint64_t line = 0;
    struct child c;
    int rc;

    if (k == BOOT_VN) {
        snprintf(name, sizeof(name), "boot%u", round);
        rc = vnhost_config(h, name, o->hello, 64, cfg, sizeof(cfg));
        if (rc < 0)
            return rc;
    }
    rc = child_start(&c, argv);
    if (rc == 0 && k != BOOT_FLOOR)
        rc = child_wait_line(&c, needle, CHILD_TIMEOUT_MS, &line);
    if (rc == 0)
        rc = child_finish(&c, CHILD_TIMEOUT_MS);
    if (rc < 0 || !child_exited_ok(&c, code)) {
        snprintf(b->why[k], sizeof(b->why[k]), "%s: wait status %#x", argv[0],
                 c.status);
        if (k != BOOT_KVM && k != BOOT_TCG)
            child_report(&c, argv[0]);
        child_free(&c);
        return -1;
    }
    if (keep) {
        series_add(&b->line[k], (double)line);
        series_add(&b->byte[k], (double)c.first_byte_ns);
        series_add(&b->exit[k], (double)c.exit_ns);
    }
    child_free(&c);
    return 0;
}

static void boot_row(const char *label, const struct series *s, double peer,
                     const char *peer_name)
{
    struct fig f = fig_of_series(s);
    char samples[24], vs[128];

    snprintf(samples, sizeof(samples), "%zu runs", s->n);
    table_row(label, &f, UNIT_NS, samples,
              peer_name ? table_versus(vs, sizeof(vs), f.p50, peer, peer_name,
                                       UNIT_NS)
                        : "");
}

static void boot_print(const struct boot_kindset *b)
{
    double run = fig_of_series(&b->line[BOOT_RUN]).p50;
    double floor = fig_of_series(&b->exit[BOOT_FLOOR]).p50;
    static const char *const qlabel[BOOT_N] = {
        [BOOT_KVM] = "QEMU microvm, KVM", [BOOT_TCG] = "QEMU microvm, TCG"};
    char label[64];

    boot_row("vn create --console: -> first line", &b->line[BOOT_VN], run,
             "veneerd run");
    boot_row("  same, -> vn exited (domain destroyed)", &b->exit[BOOT_VN],
             fig_of_series(&b->exit[BOOT_RUN]).p50, "veneerd run");
    boot_row("veneerd run: -> first line", &b->line[BOOT_RUN], floor, "floor");
    boot_row("  same, -> veneerd exited", &b->exit[BOOT_RUN], floor, "floor");
    for (int k = BOOT_KVM; k <= BOOT_TCG; k++) {
        if (b->skip[k]) {
            snprintf(label, sizeof(label), "%s: not measured", qlabel[k]);
            printf("  %-44s %s\n", label, b->why[k]);
            continue;
        }
        snprintf(label, sizeof(label), "%s: -> first line", qlabel[k]);
        boot_row(label, &b->line[k], run, "veneerd run");
        boot_row("  same, -> first output byte", &b->byte[k], 0, NULL);
        boot_row("  same, -> QEMU exited", &b->exit[k],
                 fig_of_series(&b->exit[BOOT_RUN]).p50, "veneerd run");
    }
    boot_row("floor: posix_spawn static exit0 -> reaped", &b->exit[BOOT_FLOOR],
             0, NULL);
}

/*
 * boot_bench - (f): BOOT_WARMUP + BOOT_RUNS rounds of every kind.
 * Return values: 0; -1 if vn or veneerd failed (QEMU failing only takes
 * its rows out).
 */
int boot_bench(const struct opts2 *o, struct vnhost *h)
{
    static struct boot_kindset b;
    unsigned int runs = o->quick ? 5 : BOOT_RUNS;
    char qbuf[512];
    const char *qemu = o->qemu_kernel ? boot_qemu(qbuf, sizeof(qbuf)) : NULL;
    int rc = 0;

    b2_progress("(f) start-up: vn create, veneerd run, QEMU microvm, floor");
    memset(&b, 0, sizeof(b));
    if (!qemu)
        for (int k = BOOT_KVM; k <= BOOT_TCG; k++) {
            b.skip[k] = 1;
            snprintf(b.why[k], sizeof(b.why[k]), "%s",
                     o->qemu_kernel ? BOOT_QEMU " is not installed"
                                    : "no --qemu-kernel");
        }
    if (access("/dev/kvm", R_OK | W_OK) != 0 && !b.skip[BOOT_KVM]) {
        b.skip[BOOT_KVM] = 1;
        snprintf(b.why[BOOT_KVM], sizeof(b.why[BOOT_KVM]),
                 "no usable /dev/kvm");
    }
    for (unsigned int i = 0; rc == 0 && i < BOOT_WARMUP + runs; i++) {
        int keep = i >= BOOT_WARMUP;

        for (int k = 0; rc == 0 && k < BOOT_N; k++) {
            if (b.skip[k])
                continue;
            rc = boot_once(o, h, &b, (enum boot_kind)k, qemu, i, keep);
            if (rc < 0 && (k == BOOT_KVM || k == BOOT_TCG)) {
                b.skip[k] = 1; /* e.g. KVM refused in a nested VM */
                rc = 0;
            }
        }
    }
    table_section("(f) domain start to first console line: rounds of vn "
                  "create (hello, 64 MiB, via\n    veneerd daemon + vstored), "
                  "veneerd run (hello), QEMU -M microvm booting a PVH\n    "
                  "kernel that prints a line and exits (bench/qemu_pvh.S), "
                  "and the spawn floor");
    if (rc == 0)
        boot_print(&b);
    for (int k = 0; k < BOOT_N; k++) {
        series_free(&b.line[k]);
        series_free(&b.exit[k]);
        series_free(&b.byte[k]);
    }
    return rc;
}
