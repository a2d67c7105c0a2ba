// SPDX-License-Identifier: MIT
// The domain builder's toolstack half: checks that need no daemon state
// changed, CREATE with the kernel fd, the store entries and the
// introduction, then unpause; a failure after CREATE destroys the domain.
#include <fcntl.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "libvn_int.h"

/* Fails before anything exists: a taken name, more memory than the
 * host has. */
static int create_precheck(struct vn *h, const struct vn_config *cfg)
{
    struct vn_dominfo other;
    struct sysinfo si;
    int rc;

    rc = vn_domain_info(h, cfg->name, &other);
    if (rc == 0) {
        vn_set_errmsg(h, "a domain named '%s' already exists (id %u)",
                      cfg->name, other.domid);
        return -EEXIST;
    }
    if (rc != -ENOENT)
        return rc;
    if (sysinfo(&si) == 0) {
        uint64_t host_mib = (uint64_t)si.totalram * si.mem_unit >> 20;

        if (cfg->memory_mib > host_mib) {
            vn_set_errmsg(h, "memory %llu MiB is more than the host's %llu MiB",
                          (unsigned long long)cfg->memory_mib,
                          (unsigned long long)host_mib);
            return -ENOMEM;
        }
    }
    return 0;
}

/* CREATE, paused: the store entries go in before the guest runs. */
static int create_call(struct vn *h, const struct vn_config *cfg, int kfd,
                       struct vn_dominfo *info)
{
    struct vn_ctl_create req = {
        .memory_mib = cfg->memory_mib,
        .vcpus = cfg->vcpus,
        .flags = VN_CREATE_PAUSED,
        .on_poweroff = (uint8_t)cfg->on_poweroff,
        .on_reboot = (uint8_t)cfg->on_reboot,
        .on_crash = (uint8_t)cfg->on_crash,
    };
    struct vn_call c = {.op = VN_CTL_CREATE,
                        .req = &req,
                        .reqlen = sizeof(req),
                        .send_fd = kfd};
    int rc;

    snprintf(req.name, sizeof(req.name), "%s", cfg->name);
    snprintf(req.cmdline, sizeof(req.cmdline), "%s", cfg->cmdline);
    rc = vn_ctl_call(h, &c);
    if (rc == 0 && c.replylen == 0)
        rc = -EPROTO;
    if (rc == 0) {
        size_t n = c.replylen < sizeof(*info) ? c.replylen : sizeof(*info);

        memset(info, 0, sizeof(*info));
        memcpy(info, c.reply, n);
        vn_dominfo_fix(info);
    } else if (rc == -ENOEXEC) {
        vn_set_errmsg(h, "kernel '%s': %s", cfg->kernel,
                      c.replylen > 0 ? (const char *)c.reply
                                     : "veneerd cannot use this image");
    } else if (rc == -EEXIST) {
        vn_set_errmsg(h, "a domain named '%s' already exists", cfg->name);
    }
    vn_call_done(&c);
    return rc;
}

/* Undo a half-made domain: destroy it and whatever the store holds. */
static void create_rollback(struct vn *h, uint32_t domid)
{
    char id[16], keep[sizeof(h->errmsg)];

    memcpy(keep, h->errmsg, sizeof(keep));
    snprintf(id, sizeof(id), "%u", domid);
    vn_dom_op(h, VN_CTL_DESTROY, id, NULL);
    vn_store_teardown(h, domid);
    memcpy(h->errmsg, keep, sizeof(keep));
}

int vn_domain_create(struct vn *h, const struct vn_config *cfg, unsigned flags,
                     struct vn_dominfo *out)
{
    struct vn_dominfo info;
    char id[16], warn[sizeof(h->errmsg)] = "";
    int kfd = -1, rc;

    h->errmsg[0] = '\0';
    rc = create_precheck(h, cfg);
    if (rc != 0)
        goto out;
    kfd = open(cfg->kernel, O_RDONLY | O_CLOEXEC);
    if (kfd < 0) {
        rc = -errno;
        vn_set_errmsg(h, "kernel '%s': %s", cfg->kernel, strerror(errno));
        goto out;
    }
    rc = create_call(h, cfg, kfd, &info);
    if (rc != 0)
        goto out;
    snprintf(id, sizeof(id), "%u", info.domid);
    vn_store_sweep(h);
    rc = vn_store_setup(h, cfg, &info);
    if (rc == -ENOTCONN) {
        snprintf(warn, sizeof(warn),
                 "vstored is not running: domain %u has no store entries",
                 info.domid);
        rc = 0;
    }
    if (rc == 0 && !(flags & VN_BUILD_PAUSED)) {
        rc = vn_dom_op(h, VN_CTL_UNPAUSE, id, NULL);
        /* Fresh info; a guest that has already stopped and been
         * destroyed by its on_* action was still built and run. */
        if (rc == 0 && vn_dom_op(h, VN_CTL_INFO, id, &info) == -ENOENT)
            info.state = VN_DOM_DYING;
    }
    if (rc != 0) {
        create_rollback(h, info.domid);
        goto out;
    }
    if (out != NULL)
        *out = info;
    memcpy(h->errmsg, warn, sizeof(warn));
out:
    if (kfd >= 0)
        close(kfd);
    return rc;
}
