// SPDX-License-Identifier: MIT
// A domain's store entries: the standard nodes xl writes for a new PV
// domain (libxl__domain_make, libxl__build_post), with xl's permissions,
// in one transaction; the introduction to vstored; and their removal.
#include <stdio.h>
#include <sys/random.h>
#include <sys/time.h>

#include "libvn_int.h"

/* Nodes the guest writes (xl's rwperm set): owned by the domain. */
static const char *const rw_nodes[] = {
    "data",
    "drivers",
    "feature",
    "attr",
    "error",
    "control/shutdown",
    "control/feature-poweroff",
    "control/feature-reboot",
    "control/feature-suspend",
    "control/sysrq",
};

int vn_store(struct vn *h, struct vstore **s)
{
    char path[PATH_MAX + 32];

    if (h->store == NULL) {
        snprintf(path, sizeof(path), "%s/%s", h->rundir, VN_STORE_SOCKET_NAME);
        h->store = vstore_open(path);
        if (h->store == NULL)
            return errno == ENOENT || errno == ECONNREFUSED ? -ENOTCONN
                                                            : -errno;
    }
    *s = h->store;
    return 0;
}

/* A broken store connection is dropped so the next use reconnects. */
static int store_result(struct vn *h, int rc)
{
    if (rc == -ECONNRESET || rc == -EPROTO) {
        vstore_close(h->store);
        h->store = NULL;
    }
    return rc;
}

static int put(struct vstore *s, uint32_t tx, const char *dir, const char *node,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int put(struct vstore *s, uint32_t tx, const char *dir, const char *node,
               const char *fmt, ...)
{
    char path[256], value[256];
    va_list ap;

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    va_start(ap, fmt);
    vsnprintf(value, sizeof(value), fmt, ap);
    va_end(ap);
    return vstore_write(s, tx, path, value, strlen(value));
}

/* A random version-4 UUID, as xl gives every domain. */
static void make_uuid(char out[37])
{
    uint8_t b[16] = {0};

    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        struct timeval tv;

        gettimeofday(&tv, NULL);
        memcpy(b, &tv, sizeof(tv) < sizeof(b) ? sizeof(tv) : sizeof(b));
    }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
             b[11], b[12], b[13], b[14], b[15]);
}

/* dom0 owns, the domain reads: xl's roperm. */
static int set_ro(struct vstore *s, uint32_t tx, const char *path,
                  uint32_t domid)
{
    const struct vstore_perm p[2] = {{0, VSTORE_PERM_NONE},
                                     {domid, VSTORE_PERM_READ}};

    return vstore_set_perms(s, tx, path, p, 2);
}

/* The domain owns: xl's rwperm. */
static int set_rw(struct vstore *s, uint32_t tx, const char *path,
                  uint32_t domid)
{
    const struct vstore_perm p[1] = {{domid, VSTORE_PERM_NONE}};

    return vstore_set_perms(s, tx, path, p, 1);
}

/* /vm/UUID: the VM's identity, as xl keeps it. */
static int write_vm(struct vstore *s, uint32_t tx, const char *vm,
                    const struct vn_config *cfg, uint32_t domid)
{
    struct timeval tv;
    int rc;

    gettimeofday(&tv, NULL);
    rc = vstore_mkdir(s, tx, vm);
    if (rc == 0)
        rc = set_ro(s, tx, vm, domid);
    if (rc == 0)
        rc = put(s, tx, vm, "uuid", "%s", vm + 4);
    if (rc == 0)
        rc = put(s, tx, vm, "name", "%s", cfg->name);
    if (rc == 0)
        rc = put(s, tx, vm, "start_time", "%ld.%02ld", (long)tv.tv_sec,
                 (long)tv.tv_usec / 10000);
    return rc;
}

/* /local/domain/ID: identity, memory, vCPUs, rings (read-only to it). */
static int write_dom_ro(struct vstore *s, uint32_t tx, const char *dp,
                        const char *vm, const struct vn_config *cfg,
                        const struct vn_dominfo *info)
{
    uint64_t kib = cfg->memory_mib * 1024;
    char node[32];
    int rc;

    rc = vstore_mkdir(s, tx, dp);
    if (rc == 0)
        rc = set_ro(s, tx, dp, info->domid);
    if (rc == 0)
        rc = put(s, tx, dp, "vm", "%s", vm);
    if (rc == 0)
        rc = put(s, tx, dp, "name", "%s", cfg->name);
    if (rc == 0)
        rc = put(s, tx, dp, "domid", "%u", info->domid);
    if (rc == 0)
        rc = put(s, tx, dp, "memory/static-max", "%llu",
                 (unsigned long long)kib);
    if (rc == 0)
        rc = put(s, tx, dp, "memory/target", "%llu", (unsigned long long)kib);
    for (uint32_t i = 0; rc == 0 && i < cfg->vcpus; i++) {
        snprintf(node, sizeof(node), "cpu/%u/availability", i);
        rc = put(s, tx, dp, node, "online");
    }
    if (rc == 0)
        rc = put(s, tx, dp, "console/ring-ref", "%llu",
                 (unsigned long long)info->console_mfn);
    if (rc == 0)
        rc = put(s, tx, dp, "console/port", "%u", info->console_evtchn);
    if (rc == 0)
        rc = put(s, tx, dp, "store/ring-ref", "%llu",
                 (unsigned long long)info->store_mfn);
    if (rc == 0)
        rc = put(s, tx, dp, "store/port", "%u", info->store_evtchn);
    if (rc == 0)
        rc = put(s, tx, dp, "device", "%s", "");
    return rc;
}

/* The nodes the guest writes, owned by it. */
static int write_dom_rw(struct vstore *s, uint32_t tx, const char *dp,
                        uint32_t domid)
{
    char path[256];
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < sizeof(rw_nodes) / sizeof(*rw_nodes);
         i++) {
        snprintf(path, sizeof(path), "%s/%s", dp, rw_nodes[i]);
        rc = vstore_write(s, tx, path, "", 0);
        if (rc == 0)
            rc = set_rw(s, tx, path, domid);
    }
    return rc;
}

static int store_txn(struct vstore *s, const struct vn_config *cfg,
                     const struct vn_dominfo *info)
{
    char dp[64], vm[48];
    uint32_t tx;
    int rc;

    snprintf(dp, sizeof(dp), "/local/domain/%u", info->domid);
    strcpy(vm, "/vm/");
    make_uuid(vm + 4);
    for (int attempt = 0; attempt < VN_STORE_TXN_RETRIES; attempt++) {
        rc = vstore_txn_start(s, &tx);
        if (rc != 0)
            return rc;
        /* A reused id may have left entries behind. */
        rc = vstore_rm(s, tx, dp);
        if (rc == 0 || rc == -ENOENT)
            rc = write_vm(s, tx, vm, cfg, info->domid);
        if (rc == 0)
            rc = write_dom_ro(s, tx, dp, vm, cfg, info);
        if (rc == 0)
            rc = write_dom_rw(s, tx, dp, info->domid);
        if (rc != 0) {
            vstore_txn_end(s, tx, false);
            return rc;
        }
        rc = vstore_txn_end(s, tx, true);
        if (rc != -EAGAIN)
            return rc;
    }
    return -EAGAIN;
}

int vn_store_setup(struct vn *h, const struct vn_config *cfg,
                   const struct vn_dominfo *info)
{
    struct vstore *s;
    int rc;

    rc = vn_store(h, &s);
    if (rc != 0)
        return rc;
    rc = store_txn(s, cfg, info);
    if (rc != 0) {
        vn_set_errmsg(h, "writing the store entries: %s", strerror(-rc));
        return store_result(h, rc);
    }
    rc = vstore_introduce(s, info->domid, info->store_mfn, info->store_evtchn);
    if (rc != 0)
        vn_set_errmsg(h, "introducing domain %u to vstored: %s", info->domid,
                      strerror(-rc));
    return store_result(h, rc);
}

void vn_store_teardown(struct vn *h, uint32_t domid)
{
    struct vstore *s;
    char dp[64], *vm = NULL;
    int rc;

    if (vn_store(h, &s) != 0)
        return;
    snprintf(dp, sizeof(dp), "/local/domain/%u/vm", domid);
    rc = vstore_read(s, VSTORE_NO_TXN, dp, &vm, NULL);
    if (rc == 0 && strncmp(vm, "/vm/", 4) == 0 && strchr(vm + 4, '/') == NULL)
        store_result(h, vstore_rm(s, VSTORE_NO_TXN, vm));
    free(vm);
    snprintf(dp, sizeof(dp), "/local/domain/%u", domid);
    if (h->store != NULL)
        store_result(h, vstore_rm(s, VSTORE_NO_TXN, dp));
    if (h->store != NULL)
        store_result(h, vstore_release(s, domid));
}

/* True if veneerd says domid is gone (asked again right before removal:
 * ids are not reused while veneerd runs). */
static bool dom_gone(struct vn *h, uint32_t domid)
{
    struct vn_dominfo info;
    char id[16];

    snprintf(id, sizeof(id), "%u", domid);
    return vn_domain_info(h, id, &info) == -ENOENT;
}

void vn_store_sweep(struct vn *h)
{
    struct vstore *s;
    char **names = NULL, keep[sizeof(h->errmsg)];
    unsigned n = 0;

    if (vn_store(h, &s) != 0)
        return;
    if (vstore_directory(s, VSTORE_NO_TXN, "/local/domain", &names, &n) != 0)
        return;
    memcpy(keep, h->errmsg, sizeof(keep));
    for (unsigned i = 0; i < n && h->store != NULL; i++) {
        char *end;
        unsigned long id = strtoul(names[i], &end, 10);

        /* dom0's own entries, and anything not a domid, stay. */
        if (*end != '\0' || end == names[i] || id == 0 ||
            id >= VN_DOMID_BY_NAME)
            continue;
        if (dom_gone(h, (uint32_t)id))
            vn_store_teardown(h, (uint32_t)id);
    }
    memcpy(h->errmsg, keep, sizeof(keep));
    free(names);
}
