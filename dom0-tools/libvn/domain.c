// SPDX-License-Identifier: MIT
// Domain operations over the control socket: naming a domain, info and
// list, pause, unpause, destroy, forced shutdown, memory and console.
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <xen/sched.h>

#include "libvn_int.h"

/* How often vn_domain_wait asks veneerd. [POLICY] */
#define VN_WAIT_POLL_MS 50

int vn_dom_parse(const char *dom, struct vn_ctl_dom *ref)
{
    size_t len = strlen(dom);

    memset(ref, 0, sizeof(*ref));
    if (len == 0 || len >= VN_NAME_MAX)
        return -EINVAL;
    if (strspn(dom, "0123456789") == len) {
        unsigned long long id = strtoull(dom, NULL, 10);

        if (len > 10 || id >= VN_DOMID_BY_NAME)
            return -EINVAL;
        ref->domid = (uint32_t)id;
        return 0;
    }
    ref->domid = VN_DOMID_BY_NAME;
    memcpy(ref->name, dom, len + 1);
    return 0;
}

void vn_dominfo_fix(struct vn_dominfo *d)
{
    d->name[VN_NAME_MAX - 1] = '\0';
}

/* A reply shorter than the struct is zero-filled (control.h versioning);
 * a longer one is cut. */
static void copy_info(struct vn_dominfo *info, const struct vn_call *c)
{
    size_t n = c->replylen < sizeof(*info) ? c->replylen : sizeof(*info);

    memset(info, 0, sizeof(*info));
    memcpy(info, c->reply, n);
    vn_dominfo_fix(info);
}

int vn_dom_op(struct vn *h, uint16_t op, const char *dom,
              struct vn_dominfo *info)
{
    struct vn_ctl_dom ref;
    struct vn_call c = {
        .op = op, .req = &ref, .reqlen = sizeof(ref), .send_fd = -1};
    int rc;

    h->errmsg[0] = '\0';
    rc = vn_dom_parse(dom, &ref);
    if (rc != 0)
        return rc;
    rc = vn_ctl_call(h, &c);
    if (rc == 0 && info != NULL) {
        if (c.replylen == 0)
            rc = -EPROTO;
        else
            copy_info(info, &c);
    }
    vn_call_done(&c);
    return rc;
}

int vn_domain_info(struct vn *h, const char *dom, struct vn_dominfo *info)
{
    return vn_dom_op(h, VN_CTL_INFO, dom, info);
}

int vn_domain_list(struct vn *h, struct vn_dominfo **list, size_t *n)
{
    struct vn_call c = {.op = VN_CTL_LIST, .send_fd = -1};
    int rc;

    h->errmsg[0] = '\0';
    rc = vn_ctl_call(h, &c);
    if (rc == 0 && c.replylen % sizeof(struct vn_dominfo) != 0)
        rc = -EPROTO;
    if (rc == 0) {
        *n = c.replylen / sizeof(struct vn_dominfo);
        *list = c.reply;
        c.reply = NULL;
        for (size_t i = 0; i < *n; i++)
            vn_dominfo_fix(&(*list)[i]);
    }
    vn_call_done(&c);
    return rc;
}

int vn_domain_pause(struct vn *h, const char *dom)
{
    return vn_dom_op(h, VN_CTL_PAUSE, dom, NULL);
}

int vn_domain_unpause(struct vn *h, const char *dom)
{
    return vn_dom_op(h, VN_CTL_UNPAUSE, dom, NULL);
}

int vn_domain_destroy(struct vn *h, const char *dom)
{
    struct vn_dominfo info;
    char id[16];
    int rc;

    /* By id from here on: the name may be reused at once. */
    rc = vn_domain_info(h, dom, &info);
    if (rc != 0)
        return rc;
    snprintf(id, sizeof(id), "%u", info.domid);
    rc = vn_dom_op(h, VN_CTL_DESTROY, id, NULL);
    if (rc == 0) {
        vn_store_teardown(h, info.domid);
        vn_store_sweep(h); /* and any veneerd destroyed by on_* */
    }
    return rc;
}

int vn_domain_shutdown(struct vn *h, const char *dom, uint32_t reason)
{
    struct vn_ctl_shutdown req = {.reason = reason};
    struct vn_call c = {.op = VN_CTL_SHUTDOWN,
                        .req = &req,
                        .reqlen = sizeof(req),
                        .send_fd = -1};
    int rc;

    h->errmsg[0] = '\0';
    if (reason > SHUTDOWN_MAX)
        return -EINVAL;
    rc = vn_dom_parse(dom, &req.dom);
    if (rc == 0)
        rc = vn_ctl_call(h, &c);
    vn_call_done(&c);
    return rc;
}

int vn_domain_set_max_mem(struct vn *h, const char *dom, uint64_t max_kib)
{
    struct vn_ctl_memory req = {.max_kib = max_kib};
    struct vn_call c = {.op = VN_CTL_SET_MAX_MEM,
                        .req = &req,
                        .reqlen = sizeof(req),
                        .send_fd = -1};
    int rc;

    h->errmsg[0] = '\0';
    rc = vn_dom_parse(dom, &req.dom);
    if (rc == 0)
        rc = vn_ctl_call(h, &c);
    vn_call_done(&c);
    return rc;
}

int vn_console_open(struct vn *h, const char *dom, int *fd)
{
    struct vn_ctl_dom ref;
    struct vn_call c = {.op = VN_CTL_CONSOLE,
                        .req = &ref,
                        .reqlen = sizeof(ref),
                        .send_fd = -1};
    int rc;

    h->errmsg[0] = '\0';
    rc = vn_dom_parse(dom, &ref);
    if (rc == 0)
        rc = vn_ctl_call(h, &c);
    if (rc == 0 && c.recv_fd < 0)
        rc = -EPROTO;
    if (rc == 0) {
        *fd = c.recv_fd;
        c.recv_fd = -1;
    }
    vn_call_done(&c);
    return rc;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vn_domain_wait(struct vn *h, uint32_t domid, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    struct vn_dominfo info;
    int32_t pid = 0;
    char id[16];

    snprintf(id, sizeof(id), "%u", domid);
    for (;;) {
        int rc = vn_domain_info(h, id, &info);

        if (rc == -ENOENT) {
            vn_store_sweep(h); /* veneerd does not tell the store */
            return VN_WAIT_GONE;
        }
        if (rc != 0)
            return rc;
        /* veneerd reaps a stopped domain's process (pid -1) before it
         * applies the action; a stopped domain without a process has been
         * kept (preserve), a new process means a restart in place. */
        if (pid == 0)
            pid = info.pid;
        if ((info.state == VN_DOM_SHUTDOWN || info.state == VN_DOM_CRASHED) &&
            info.pid <= 0)
            return VN_WAIT_PRESERVED;
        if (info.pid > 0 && pid > 0 && info.pid != pid)
            return VN_WAIT_RESTARTED;
        if (timeout_ms >= 0 && now_ms() >= deadline)
            return -ETIMEDOUT;
        poll(NULL, 0, VN_WAIT_POLL_MS);
    }
}
