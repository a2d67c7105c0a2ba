// SPDX-License-Identifier: MIT
// Domain operations that go through the store, as xl's do: asking the
// guest to shut down (control/shutdown) and setting its balloon target
// (memory/target).
#include <inttypes.h>
#include <stdio.h>

#include "libvn_int.h"

/* The domain's id and a store handle, or -errno. */
static int dom_and_store(struct vn *h, const char *dom, struct vn_dominfo *info,
                         struct vstore **s)
{
    int rc = vn_domain_info(h, dom, info);

    if (rc != 0)
        return rc;
    rc = vn_store(h, s);
    if (rc == -ENOTCONN)
        vn_set_errmsg(h, "vstored is not running");
    return rc;
}

int vn_domain_request(struct vn *h, const char *dom, const char *what)
{
    struct vn_dominfo info;
    struct vstore *s;
    char path[64];
    int rc;

    h->errmsg[0] = '\0';
    rc = dom_and_store(h, dom, &info, &s);
    if (rc != 0)
        return rc;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
             info.domid);
    return vstore_write(s, VSTORE_NO_TXN, path, what, strlen(what));
}

/* memory/static-max in KiB. */
static int static_max(struct vn *h, struct vstore *s, uint32_t domid,
                      uint64_t *kib)
{
    char path[64], *v = NULL, *end;
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", domid);
    rc = vstore_read(s, VSTORE_NO_TXN, path, &v, NULL);
    if (rc != 0) {
        vn_set_errmsg(h, "domain %u has no %s in the store", domid, path);
        return rc == -ENOENT ? -ENODATA : rc;
    }
    *kib = strtoull(v, &end, 10);
    rc = *end == '\0' && end != v ? 0 : -EPROTO;
    free(v);
    return rc;
}

static int write_target(struct vstore *s, uint32_t domid, uint64_t kib)
{
    char path[64], val[32];

    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
    snprintf(val, sizeof(val), "%" PRIu64, kib);
    return vstore_write(s, VSTORE_NO_TXN, path, val, strlen(val));
}

int vn_domain_set_target(struct vn *h, const char *dom, uint64_t mib)
{
    struct vn_dominfo info;
    struct vstore *s;
    uint64_t max_kib = 0, kib = mib * 1024, cap;
    char id[16];
    int rc;

    h->errmsg[0] = '\0';
    rc = dom_and_store(h, dom, &info, &s);
    if (rc == 0)
        rc = static_max(h, s, info.domid, &max_kib);
    if (rc != 0)
        return rc;
    if (mib < VN_CFG_MEMORY_MIN_MIB || kib > max_kib) {
        vn_set_errmsg(h, "%s: memory must be from %d to %" PRIu64 " MiB",
                      info.name, VN_CFG_MEMORY_MIN_MIB, max_kib / 1024);
        return -ERANGE;
    }
    snprintf(id, sizeof(id), "%u", info.domid);
    if (kib >= info.max_memory_kib) {
        /* Growing: the cap first, so the guest may balloon up at once. */
        rc = vn_domain_set_max_mem(h, id, kib);
        return rc != 0 ? rc : write_target(s, info.domid, kib);
    }
    /* Shrinking: the target first; the cap follows as far as veneerd
     * allows, never below what the guest holds now. */
    rc = write_target(s, info.domid, kib);
    cap = kib > info.memory_kib ? kib : info.memory_kib;
    if (rc == 0 && cap < info.max_memory_kib)
        rc = vn_domain_set_max_mem(h, id, cap);
    return rc;
}
