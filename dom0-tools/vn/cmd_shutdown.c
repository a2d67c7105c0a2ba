// SPDX-License-Identifier: MIT
// vn shutdown and reboot: ask the guest through the store's
// control/shutdown, as xl does; --force, or --wait's timeout, makes
// veneerd shut it down instead.
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <xen/sched.h>

#include "vn.h"

/* Default --timeout, and how long a forced shutdown may take. [POLICY] */
#define SHUTDOWN_TIMEOUT_S 30
#define FORCE_WAIT_S       10

struct stop_opts {
    bool wait, force;
    long timeout_s;
};

static int stop_parse(const struct vn_cmd *cmd, int argc, char **argv,
                      struct stop_opts *o, bool can_wait)
{
    static const struct option opts[] = {
        {"wait", no_argument, NULL, 'w'},
        {"timeout", required_argument, NULL, 't'},
        {"force", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char *end;
    int c;

    o->timeout_s = SHUTDOWN_TIMEOUT_S;
    while ((c = vn_getopt(cmd, argc, argv, can_wait ? "wt:Fh" : "Fh", opts)) !=
           -1) {
        if (c == 'F') {
            o->force = true;
        } else if (c == 'w' && can_wait) {
            o->wait = true;
        } else if (c == 't' && can_wait) {
            o->timeout_s = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o->timeout_s < 0 ||
                o->timeout_s > 86400) {
                vn_warnx("%s: --timeout wants seconds, 0 to 86400", cmd->name);
                return VN_EXIT_USAGE;
            }
        } else {
            if (c != '?')
                vn_usage(cmd, stderr);
            return VN_EXIT_USAGE;
        }
    }
    return vn_args(cmd, argc, 1);
}

/* Asks (or, forced, tells) the domain to stop for reason. */
static int stop_send(struct vn *h, const struct vn_dominfo *d, const char *what,
                     uint32_t reason, bool force)
{
    char id[16];

    snprintf(id, sizeof(id), "%u", d->domid);
    if (force)
        return vn_domain_shutdown(h, id, reason);
    return vn_domain_request(h, id, what);
}

/* --wait: the guest's own shutdown, then a forced one. */
static int stop_wait(struct vn *h, const struct vn_dominfo *d,
                     const struct stop_opts *o)
{
    char id[16];
    int rc;

    rc = vn_domain_wait(h, d->domid, (int)o->timeout_s * 1000);
    if (rc != -ETIMEDOUT || o->force)
        return rc;
    vn_warnx("shutdown: %s did not stop within %ld s; forcing it", d->name,
             o->timeout_s);
    snprintf(id, sizeof(id), "%u", d->domid);
    rc = vn_domain_shutdown(h, id, SHUTDOWN_poweroff);
    if (rc == -ENOENT)
        return 0;
    if (rc != 0)
        return rc;
    return vn_domain_wait(h, d->domid, FORCE_WAIT_S * 1000);
}

static int stop_cmd(const struct vn_cmd *cmd, int argc, char **argv,
                    const char *what, uint32_t reason)
{
    struct stop_opts o = {0};
    struct vn_dominfo d;
    struct vn *h = NULL;
    const char *dom;
    int rc;

    if ((rc = stop_parse(cmd, argc, argv, &o, reason == SHUTDOWN_poweroff)))
        return rc;
    dom = argv[optind];
    if ((rc = vn_check_dom(dom)) != 0 || (rc = vn_connect(&h)) != 0)
        return rc;
    rc = vn_domain_info(h, dom, &d);
    if (rc == 0)
        rc = stop_send(h, &d, what, reason, o.force);
    if (rc == 0 && o.wait)
        rc = stop_wait(h, &d, &o);
    if (rc == -ENOTCONN) {
        vn_warnx("%s: vstored is not running, so %s cannot be asked; use "
                 "--force",
                 cmd->name, dom);
        rc = VN_EXIT_ERROR;
    } else if (rc < 0) {
        rc = vn_fail(h, rc, cmd->name, dom);
    } else {
        rc = VN_EXIT_OK; /* 1 from vn_domain_wait: stopped, preserved */
    }
    vn_close(h);
    return rc;
}

int cmd_shutdown(const struct vn_cmd *cmd, int argc, char **argv)
{
    return stop_cmd(cmd, argc, argv, "poweroff", SHUTDOWN_poweroff);
}

int cmd_reboot(const struct vn_cmd *cmd, int argc, char **argv)
{
    return stop_cmd(cmd, argc, argv, "reboot", SHUTDOWN_reboot);
}
