/* SPDX-License-Identifier: MIT */
/*
 * (g) Create-and-destroy rate: DR_N small domains (idle_block, 16 MiB),
 * one at a time, made and destroyed through the daemon by `vn create` +
 * `vn destroy`, and by libvn directly over one connection (the daemon's
 * own cost, without the CLI's start-up and config parsing), alternating
 * pair by pair with the peers: posix_spawn + kill + reap of the static
 * sleep0 (the floor of a process per domain) and `vn list` (the CLI's
 * start-up and one control round trip).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvn.h"
#include "vnbench2.h"

#define DR_N      100u
#define DR_MEMORY 16u

struct dr_sets {
    struct series create, destroy, pair;    /* vn CLI */
    struct series lcreate, ldestroy, lpair; /* libvn */
    struct series spawn, list;              /* peers */
};

static int dr_cli(const struct opts2 *o, const char *cfg, struct dr_sets *s)
{
    char *const create[] = {(char *)o->vn, "create", (char *)cfg, NULL};
    char *const destroy[] = {(char *)o->vn, "destroy", "rate", NULL};
    struct child c, d = {.pid = -1, .fd = -1};
    int rc = child_run(&c, create);

    if (rc == 0 && !child_exited_ok(&c, 0)) {
        child_report(&c, "vn create");
        rc = -1;
    }
    if (rc == 0)
        rc = child_run(&d, destroy);
    if (rc == 0 && !child_exited_ok(&d, 0)) {
        child_report(&d, "vn destroy");
        rc = -1;
    }
    if (rc == 0) {
        series_add(&s->create, (double)c.exit_ns);
        series_add(&s->destroy, (double)d.exit_ns);
        series_add(&s->pair, (double)(c.exit_ns + d.exit_ns));
    }
    child_free(&c);
    child_free(&d);
    return rc;
}

static int dr_lib(struct vn *h, const struct vn_config *cfg, struct dr_sets *s)
{
    uint64_t t0 = clock_now_ns(), t1, t2;
    int rc = vn_domain_create(h, cfg, 0, NULL);

    t1 = clock_now_ns();
    if (rc == 0)
        rc = vn_domain_destroy(h, cfg->name);
    t2 = clock_now_ns();
    if (rc < 0) {
        fprintf(stderr, "vnbench2: libvn create/destroy: %s (%s)\n",
                strerror(-rc), vn_errmsg(h));
        return rc;
    }
    series_add(&s->lcreate, (double)(t1 - t0));
    series_add(&s->ldestroy, (double)(t2 - t1));
    series_add(&s->lpair, (double)(t2 - t0));
    return 0;
}

static int dr_peers(const struct opts2 *o, struct dr_sets *s, int list)
{
    char *const sleeper[] = {(char *)o->sleeper, NULL};
    char *const vnlist[] = {(char *)o->vn, "list", NULL};
    struct child c;
    int rc = child_start(&c, sleeper);

    if (rc == 0 && kill(c.pid, SIGKILL) < 0)
        rc = -errno;
    if (rc == 0)
        rc = child_finish(&c, CHILD_TIMEOUT_MS);
    if (rc == 0)
        series_add(&s->spawn, (double)c.exit_ns);
    child_free(&c);
    if (rc < 0 || !list)
        return rc;
    rc = child_run(&c, vnlist);
    if (rc == 0 && !child_exited_ok(&c, 0)) {
        child_report(&c, "vn list");
        rc = -1;
    }
    if (rc == 0)
        series_add(&s->list, (double)c.exit_ns);
    child_free(&c);
    return rc;
}

/* A rate row: n / the series' total, domains (or processes) per s. */
static void dr_rate(const char *label, const struct series *pairs,
                    double peer_rate, const char *peer)
{
    double sum = 0;
    struct fig f = {0};
    char samples[24], vs[128];

    for (size_t i = 0; i < pairs->n; i++)
        sum += pairs->v[i];
    if (sum > 0)
        f = (struct fig){1e9 * (double)pairs->n / sum, 0, 0,
                         1e9 * (double)pairs->n / sum, 1};
    snprintf(samples, sizeof(samples), "%zu", pairs->n);
    table_row(
        label, &f, UNIT_RATE, samples,
        peer ? table_versus(vs, sizeof(vs), f.p50, peer_rate, peer, UNIT_RATE)
             : "n / total time");
}

static double dr_total_rate(const struct series *pairs)
{
    double sum = 0;

    for (size_t i = 0; i < pairs->n; i++)
        sum += pairs->v[i];
    return sum > 0 ? 1e9 * (double)pairs->n / sum : 0;
}

static void dr_row(const char *label, const struct series *s,
                   const char *against)
{
    struct fig f = fig_of_series(s);
    char samples[24];

    snprintf(samples, sizeof(samples), "%zu", s->n);
    table_row(label, &f, UNIT_NS, samples, against);
}

static void dr_print(const struct dr_sets *s)
{
    double floor = dr_total_rate(&s->spawn);
    char vs[128];

    dr_row("vn create (CLI): spawn -> exited 0", &s->create,
           "parse, CREATE, store entries, unpause");
    dr_row("vn destroy (CLI): spawn -> exited 0", &s->destroy,
           "DESTROY, store entries removed");
    dr_rate("vn create + vn destroy, domains/s", &s->pair, floor,
            "process floor");
    dr_row("libvn vn_domain_create", &s->lcreate,
           table_versus(vs, sizeof(vs), fig_of_series(&s->lcreate).p50,
                        fig_of_series(&s->create).p50, "vn create", UNIT_NS));
    dr_row("libvn vn_domain_destroy", &s->ldestroy,
           table_versus(vs, sizeof(vs), fig_of_series(&s->ldestroy).p50,
                        fig_of_series(&s->destroy).p50, "vn destroy", UNIT_NS));
    dr_rate("libvn create + destroy, domains/s", &s->lpair, floor,
            "process floor");
    dr_row("peer: posix_spawn sleep0 + SIGKILL + reap", &s->spawn,
           "a static process per domain");
    dr_rate("peer:   same, processes/s", &s->spawn, 0, NULL);
    dr_row("peer: vn list (CLI start + 1 round trip)", &s->list,
           "what every vn command pays");
}

/*
 * domrate_bench - (g) through h's daemons.
 * Return values: 0; -1 or -errno if a create or destroy failed.
 */
int domrate_bench(const struct opts2 *o, struct vnhost *h)
{
    static struct dr_sets s;
    unsigned int n = o->quick ? DR_N / 5 : DR_N;
    struct vn_config *cfg = NULL;
    struct vn *vh = NULL;
    char path[256], *errors = NULL;
    int rc;

    b2_progress("(g) create/destroy rate: %u domains by vn and by libvn", n);
    memset(&s, 0, sizeof(s));
    rc = vnhost_config(h, "rate", o->idle, DR_MEMORY, path, sizeof(path));
    if (rc == 0)
        rc =
            vnhost_config(h, "ratelib", o->idle, DR_MEMORY, path, sizeof(path));
    if (rc == 0)
        rc = vn_config_load(path, &cfg, &errors);
    if (rc == 0)
        rc = vn_open(h->rundir, &vh);
    if (rc < 0)
        fprintf(stderr, "vnbench2: libvn set-up: %s %s\n", strerror(-rc),
                errors ? errors : "");
    snprintf(path, sizeof(path), "%s/rate.yaml", h->dir);
    for (unsigned int i = 0; rc == 0 && i < n; i++) {
        rc = dr_cli(o, path, &s);
        if (rc == 0)
            rc = dr_lib(vh, cfg, &s);
        if (rc == 0)
            rc = dr_peers(o, &s, i % 3 == 0);
    }
    table_section("(g) create-and-destroy, one domain at a time "
                  "(idle_block, 16 MiB), through veneerd\n    daemon + "
                  "vstored; CLI, libvn and the peers alternate pair by pair");
    if (rc == 0)
        dr_print(&s);
    vn_close(vh);
    vn_config_free(cfg);
    free(errors);
    series_free(&s.create);
    series_free(&s.destroy);
    series_free(&s.pair);
    series_free(&s.lcreate);
    series_free(&s.ldestroy);
    series_free(&s.lpair);
    series_free(&s.spawn);
    series_free(&s.list);
    return rc;
}
