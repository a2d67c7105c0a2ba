// SPDX-License-Identifier: MIT
// vn create: parse and validate the config (and stop there with
// --dry-run), build the domain (veneerd applies its on_* actions), and
// optionally stay on its console.
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vn.h"

struct create_opts {
    bool console, paused, dry_run;
    const char *file;
};

static int create_parse(const struct vn_cmd *cmd, int argc, char **argv,
                        struct create_opts *o)
{
    static const struct option opts[] = {
        {"console", no_argument, NULL, 'c'},
        {"paused", no_argument, NULL, 'p'},
        {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;

    while ((c = vn_getopt(cmd, argc, argv, "cpnh", opts)) != -1) {
        if (c == 'c')
            o->console = true;
        else if (c == 'p')
            o->paused = true;
        else if (c == 'n')
            o->dry_run = true;
        else
            return VN_EXIT_USAGE;
    }
    if ((rc = vn_args(cmd, argc, 1)) != 0)
        return rc;
    o->file = argv[optind];
    return 0;
}

/* Builds, then attaches (before the guest runs) or returns. */
static int create_run(struct vn *h, const struct vn_config *cfg,
                      const struct create_opts *o)
{
    struct vn_dominfo info;
    char id[16];
    int rc, fd = -1;

    rc = vn_domain_create(h, cfg, o->console || o->paused ? VN_BUILD_PAUSED : 0,
                          &info);
    if (rc != 0)
        return vn_fail(h, rc, "create", cfg->name);
    if (vn_errmsg(h)[0] != '\0')
        vn_warnx("warning: %s", vn_errmsg(h));
    if (!o->console)
        return VN_EXIT_OK;
    /* Attach while it is still paused, so no output is missed. */
    snprintf(id, sizeof(id), "%u", info.domid);
    rc = vn_console_open(h, id, &fd);
    if (rc != 0)
        return vn_fail(h, rc, "console", cfg->name);
    if (!o->paused && (rc = vn_domain_unpause(h, id)) != 0) {
        close(fd);
        return vn_fail(h, rc, "unpause", cfg->name);
    }
    return console_relay(fd, cfg->name, h, info.domid);
}

int cmd_create(const struct vn_cmd *cmd, int argc, char **argv)
{
    struct create_opts o = {0};
    struct vn_config *cfg = NULL;
    struct vn *h = NULL;
    char *errors = NULL;
    int rc;

    if ((rc = create_parse(cmd, argc, argv, &o)) != 0)
        return rc;
    rc = vn_config_load(o.file, &cfg, &errors);
    if (rc != 0) {
        if (errors != NULL)
            fputs(errors, stderr);
        else
            vn_warnx("create: %s: %s", o.file, strerror(-rc));
        free(errors);
        return rc == -ENOMEM ? VN_EXIT_ERROR : VN_EXIT_CONFIG;
    }
    if (o.dry_run) {
        vn_config_write_json(stdout, cfg);
        vn_config_free(cfg);
        return VN_EXIT_OK;
    }
    rc = vn_connect(&h);
    if (rc == 0)
        rc = create_run(h, cfg, &o);
    vn_close(h);
    vn_config_free(cfg);
    return rc;
}
