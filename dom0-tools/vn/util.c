// SPDX-License-Identifier: MIT
// What every vn command shares: connecting to veneerd and turning a
// failed operation into a message and an exit status (docs/vn.md).
#include <errno.h>
#include <string.h>

#include "vn.h"

int vn_connect(struct vn **h)
{
    const char *rundir = vn_rundir_default();
    int rc = vn_open(rundir, h);

    if (rc == 0)
        return VN_EXIT_OK;
    if (rc == -ENOENT || rc == -ECONNREFUSED) {
        vn_warnx("veneerd is not running (no socket at %s/%s); start it "
                 "with 'vn host start'",
                 rundir, VN_CTL_SOCKET_NAME);
        return VN_EXIT_NODAEMON;
    }
    vn_warnx("cannot connect to veneerd at %s/%s: %s%s", rundir,
             VN_CTL_SOCKET_NAME, strerror(-rc),
             rc == -EACCES ? " (the control socket is root's only)" : "");
    return VN_EXIT_ERROR;
}

int vn_check_dom(const char *dom)
{
    struct vn_ctl_dom ref;

    if (vn_dom_parse(dom, &ref) == 0)
        return 0;
    vn_warnx("'%s' is not a domain name or id", dom);
    return VN_EXIT_USAGE;
}

int vn_fail(struct vn *h, int rc, const char *what, const char *dom)
{
    const char *msg = h != NULL ? vn_errmsg(h) : "";

    switch (rc) {
    case -ENOENT:
        vn_warnx("%s: no domain '%s'", what, dom);
        return VN_EXIT_NODOM;
    case -ECONNRESET:
        vn_warnx("%s: lost the connection to veneerd", what);
        return VN_EXIT_NODAEMON;
    case -EEXIST:
        vn_warnx("%s: %s", what, *msg ? msg : "the name is taken");
        return VN_EXIT_EXISTS;
    case -ENOEXEC:
        vn_warnx("%s: %s", what, *msg ? msg : "veneerd refused the kernel");
        return VN_EXIT_CONFIG;
    case -ETIMEDOUT:
        vn_warnx("%s: timed out", what);
        return VN_EXIT_TIMEOUT;
    default:
        if (*msg)
            vn_warnx("%s: %s (%s)", what, msg, strerror(-rc));
        else
            vn_warnx("%s: %s", what, strerror(-rc));
        return VN_EXIT_ERROR;
    }
}
