// SPDX-License-Identifier: MIT
// vn list, info, pause, unpause, destroy and mem-set: one control
// operation each, printed as a table, key/value lines or JSON.
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vn.h"

static const struct option json_opts[] = {
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option help_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Options of a command that takes only --json; -1 on bad usage. */
static int parse_json_flag(const struct vn_cmd *cmd, int argc, char **argv,
                           bool *json)
{
    int c;

    while ((c = vn_getopt(cmd, argc, argv, "jh", json_opts)) != -1) {
        if (c != 'j')
            return -1;
        *json = true;
    }
    return 0;
}

/* "running", or "shutdown:poweroff" for a stopped domain. */
static void state_text(const struct vn_dominfo *d, char *buf, size_t len)
{
    if (d->state == VN_DOM_SHUTDOWN)
        snprintf(buf, len, "shutdown:%s", vn_shutdown_name(d->shutdown));
    else
        snprintf(buf, len, "%s", vn_state_name(d->state));
}

static void list_table(const struct vn_dominfo *list, size_t n)
{
    struct table t;

    table_init(&t, 6, "lrrrll");
    table_row(&t, "NAME", "ID", "MEM(MiB)", "VCPUS", "STATE", "TIME(s)");
    for (size_t i = 0; i < n; i++) {
        const struct vn_dominfo *d = &list[i];
        char id[16], mem[24], vcpus[16], state[48], cpu[32];

        snprintf(id, sizeof(id), "%u", d->domid);
        snprintf(mem, sizeof(mem), "%" PRIu64, d->memory_kib / 1024);
        snprintf(vcpus, sizeof(vcpus), "%u", d->vcpus);
        state_text(d, state, sizeof(state));
        snprintf(cpu, sizeof(cpu), "%.1f", (double)d->cpu_time_ns / 1e9);
        table_row(&t, d->name, id, mem, vcpus, state, cpu);
    }
    table_print(&t, stdout);
    table_free(&t);
}

int cmd_list(const struct vn_cmd *cmd, int argc, char **argv)
{
    struct vn_dominfo *list = NULL;
    struct vn *h = NULL;
    bool json = false;
    size_t n = 0;
    int rc;

    if (parse_json_flag(cmd, argc, argv, &json) != 0)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 0)) != 0)
        return rc;
    if ((rc = vn_connect(&h)) != 0)
        return rc;
    rc = vn_domain_list(h, &list, &n);
    if (rc != 0) {
        rc = vn_fail(h, rc, "list", "");
    } else if (json) {
        struct vn_json j;

        vn_json_init(&j, stdout);
        vn_json_array_begin(&j);
        for (size_t i = 0; i < n; i++)
            vn_dominfo_write_json(&j, &list[i], false);
        vn_json_array_end(&j);
        vn_json_end(&j);
    } else {
        list_table(list, n);
    }
    free(list);
    vn_close(h);
    return rc;
}

static void info_text(const struct vn_dominfo *d)
{
    char state[48];

    state_text(d, state, sizeof(state));
    printf("name:            %s\n", d->name);
    printf("domid:           %u\n", d->domid);
    printf("state:           %s\n", state);
    printf("vcpus:           %u\n", d->vcpus);
    printf("memory:          %" PRIu64 " KiB\n", d->memory_kib);
    printf("max memory:      %" PRIu64 " KiB\n", d->max_memory_kib);
    printf("cpu time:        %.3f s\n", (double)d->cpu_time_ns / 1e9);
    printf("hypercalls:      %" PRIu64 "\n", d->hypercalls);
    printf("pid:             %d\n", d->pid);
    printf("store ring:      mfn %#" PRIx64 ", event channel %u\n",
           d->store_mfn, d->store_evtchn);
    printf("console ring:    mfn %#" PRIx64 ", event channel %u\n",
           d->console_mfn, d->console_evtchn);
}

int cmd_info(const struct vn_cmd *cmd, int argc, char **argv)
{
    struct vn_dominfo d;
    struct vn *h = NULL;
    bool json = false;
    const char *dom;
    int rc;

    if (parse_json_flag(cmd, argc, argv, &json) != 0)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 1)) != 0)
        return rc;
    dom = argv[optind];
    if ((rc = vn_check_dom(dom)) != 0 || (rc = vn_connect(&h)) != 0)
        return rc;
    rc = vn_domain_info(h, dom, &d);
    if (rc != 0) {
        rc = vn_fail(h, rc, "info", dom);
    } else if (json) {
        struct vn_json j;

        vn_json_init(&j, stdout);
        vn_dominfo_write_json(&j, &d, true);
        vn_json_end(&j);
    } else {
        info_text(&d);
    }
    vn_close(h);
    return rc;
}

/* The shape of pause, unpause and destroy: DOM, one call. */
static int simple_op(const struct vn_cmd *cmd, int argc, char **argv,
                     int (*op)(struct vn *, const char *))
{
    struct vn *h = NULL;
    const char *dom;
    int rc;

    while ((rc = vn_getopt(cmd, argc, argv, "h", help_opts)) != -1)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 1)) != 0)
        return rc;
    dom = argv[optind];
    if ((rc = vn_check_dom(dom)) != 0 || (rc = vn_connect(&h)) != 0)
        return rc;
    rc = op(h, dom);
    if (rc != 0)
        rc = vn_fail(h, rc, cmd->name, dom);
    vn_close(h);
    return rc;
}

int cmd_pause(const struct vn_cmd *cmd, int argc, char **argv)
{
    return simple_op(cmd, argc, argv, vn_domain_pause);
}

int cmd_unpause(const struct vn_cmd *cmd, int argc, char **argv)
{
    return simple_op(cmd, argc, argv, vn_domain_unpause);
}

int cmd_destroy(const struct vn_cmd *cmd, int argc, char **argv)
{
    return simple_op(cmd, argc, argv, vn_domain_destroy);
}

/* MiB, or a size with M/G as in configs. */
static int parse_mib(const char *s, uint64_t *mib)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    if (strcmp(end, "G") == 0 || strcmp(end, "GiB") == 0) {
        if (v > (UINT64_MAX >> 10))
            return -1;
        v <<= 10;
    } else if (*end != '\0' && strcmp(end, "M") != 0 &&
               strcmp(end, "MiB") != 0) {
        return -1;
    }
    *mib = v;
    return 0;
}

int cmd_mem_set(const struct vn_cmd *cmd, int argc, char **argv)
{
    struct vn *h = NULL;
    const char *dom;
    uint64_t mib;
    int rc;

    while ((rc = vn_getopt(cmd, argc, argv, "h", help_opts)) != -1)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 2)) != 0)
        return rc;
    dom = argv[optind];
    if ((rc = vn_check_dom(dom)) != 0)
        return rc;
    if (parse_mib(argv[optind + 1], &mib) != 0) {
        vn_warnx("mem-set: '%s' is not a size in MiB (or with M or G)",
                 argv[optind + 1]);
        return VN_EXIT_USAGE;
    }
    if ((rc = vn_connect(&h)) != 0)
        return rc;
    rc = vn_domain_set_target(h, dom, mib);
    if (rc == -ERANGE) {
        vn_warnx("mem-set: %s", vn_errmsg(h));
        rc = VN_EXIT_ERROR;
    } else if (rc != 0) {
        rc = vn_fail(h, rc, "mem-set", dom);
    }
    vn_close(h);
    return rc;
}
