// SPDX-License-Identifier: MIT
// Config entry points: read a file, parse it (YAML tree, then schema),
// hand back a validated struct vn_config or the diagnostics.
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

const char *vn_action_name(enum vn_action a)
{
    static const char *const names[] = {
        [VN_ACTION_DESTROY] = "destroy",
        [VN_ACTION_RESTART] = "restart",
        [VN_ACTION_PRESERVE] = "preserve",
    };

    return (unsigned)a < 3 ? names[a] : "unknown";
}

void vn_config_free(struct vn_config *cfg)
{
    if (cfg == NULL)
        return;
    for (unsigned i = 0; i < cfg->ndisks; i++)
        free(cfg->disks[i].target);
    for (unsigned i = 0; i < cfg->nnics; i++) {
        free(cfg->nics[i].sw);
        free(cfg->nics[i].model);
    }
    free(cfg->disks);
    free(cfg->nics);
    free(cfg->file);
    free(cfg->kernel);
    free(cfg->cmdline);
    free(cfg);
}

/* A config with every default of docs/config.md. */
static struct vn_config *config_new(const char *file)
{
    struct vn_config *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->file = strdup(file);
    c->cmdline = strdup("");
    c->memory_mib = VN_CFG_MEMORY_DEFAULT;
    c->vcpus = 1;
    c->on_poweroff = VN_ACTION_DESTROY;
    c->on_reboot = VN_ACTION_RESTART;
    c->on_crash = VN_ACTION_DESTROY;
    if (c->file == NULL || c->cmdline == NULL) {
        vn_config_free(c);
        return NULL;
    }
    return c;
}

int vn_config_parse(const char *file, const char *text, size_t len,
                    const char *basedir, struct vn_config **cfg, char **errors)
{
    struct cfg_diag d = {.file = file};
    struct cfg_node *root = NULL;
    struct vn_config *c = NULL;
    int rc = -ENOMEM;

    if (errors != NULL)
        *errors = NULL;
    if (len > VN_CFG_FILE_MAX) {
        cfg_error(&d, 0, 0, "larger than %u bytes", VN_CFG_FILE_MAX);
        rc = -EFBIG;
        goto out;
    }
    c = config_new(file);
    if (c == NULL)
        goto out;
    root = cfg_yaml_load(&d, text, len);
    if (root != NULL)
        cfg_schema_apply(&d, root, basedir, c);
    if (d.oom)
        goto out;
    if (root == NULL || d.nmsg > 0) {
        rc = -EINVAL;
        goto out;
    }
    *cfg = c;
    c = NULL;
    rc = 0;
out:
    if (rc != 0 && rc != -ENOMEM && errors != NULL)
        *errors = cfg_diag_text(&d);
    cfg_diag_free(&d);
    cfg_node_free(root);
    vn_config_free(c);
    return rc;
}

/* Reads at most VN_CFG_FILE_MAX + 1 bytes, so an oversized file shows. */
static int read_file(const char *path, char **text, size_t *len)
{
    size_t cap = VN_CFG_FILE_MAX + 1, n = 0;
    char *buf = malloc(cap);
    int fd = -1, rc = 0;

    if (buf == NULL)
        return -ENOMEM;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        goto out;
    }
    while (n < cap) {
        ssize_t k = read(fd, buf + n, cap - n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            rc = -errno;
            goto out;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    *text = buf;
    *len = n;
    buf = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    return rc;
}

/* The absolute directory of path, for relative kernel and disk paths. */
static char *base_dir(const char *path)
{
    char *copy = strdup(path);
    char *dir = NULL;

    if (copy != NULL)
        dir = realpath(dirname(copy), NULL);
    free(copy);
    return dir;
}

int vn_config_load(const char *path, struct vn_config **cfg, char **errors)
{
    char *text = NULL, *dir = NULL;
    size_t len = 0;
    int rc;

    if (errors != NULL)
        *errors = NULL;
    rc = read_file(path, &text, &len);
    if (rc == 0) {
        dir = base_dir(path);
        rc = dir != NULL ? 0 : -errno;
    }
    if (rc != 0) {
        if (errors != NULL && rc != -ENOMEM &&
            asprintf(errors, "%s: error: cannot read: %s\n", path,
                     strerror(-rc)) < 0)
            *errors = NULL;
        goto out;
    }
    rc = vn_config_parse(path, text, len, dir, cfg, errors);
out:
    free(text);
    free(dir);
    return rc;
}
