// SPDX-License-Identifier: MIT
// libvn's handle and its control-socket exchange (abi/veneer/control.h),
// over the dom0 client libvnev and libvngnt share
// (dom0-tools/libvnctl/vnctl.h).
#include <stdio.h>
#include <unistd.h>

#include "libvn_int.h"

/* The shared client's defaults are the ones libvn.h publishes. */
_Static_assert(__builtin_strcmp(VN_RUNDIR_DEFAULT, VNCTL_RUNDIR_DEFAULT) == 0,
               "libvn.h and vnctl.h disagree on the run directory");
_Static_assert(__builtin_strcmp(VN_CTL_SOCKET_NAME, VNCTL_SOCKET_NAME) == 0,
               "libvn.h and vnctl.h disagree on the socket's name");

const char *vn_rundir_default(void)
{
    return vnctl_rundir_default();
}

void vn_set_errmsg(struct vn *h, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
    va_end(ap);
}

const char *vn_errmsg(const struct vn *h)
{
    return h->errmsg;
}

const char *vn_handle_rundir(const struct vn *h)
{
    return h->rundir;
}

int vn_open(const char *rundir, struct vn **out)
{
    struct vn *h;
    int rc;

    if (rundir == NULL)
        rundir = vn_rundir_default();
    if (strlen(rundir) >= sizeof(h->rundir))
        return -ENAMETOOLONG;
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return -ENOMEM;
    rc = vnctl_open(&h->ctl, rundir, VN_CTL_TIMEOUT_S);
    if (rc != 0) {
        free(h);
        return rc;
    }
    strcpy(h->rundir, rundir);
    *out = h;
    return 0;
}

void vn_close(struct vn *h)
{
    if (h == NULL)
        return;
    vnctl_close(&h->ctl);
    vstore_close(h->store);
    free(h);
}

int vn_ctl_call(struct vn *h, struct vn_call *c)
{
    struct vnctl_call call = {
        .op = c->op,
        .req = {{.iov_base = (void *)c->req, .iov_len = c->reqlen}},
        .send_fd = c->send_fd,
        .replymax = VN_CTL_REPLY_LIMIT,
    };
    int rc = vnctl_call(&h->ctl, &call);

    /* libvn's replies carry one descriptor at most. */
    if (call.recv_fd[1] >= 0)
        close(call.recv_fd[1]);
    c->reply = call.reply;
    c->replylen = call.replylen;
    c->recv_fd = call.recv_fd[0];
    return rc;
}

void vn_call_done(struct vn_call *c)
{
    free(c->reply);
    c->reply = NULL;
    if (c->recv_fd >= 0)
        close(c->recv_fd);
    c->recv_fd = -1;
}
