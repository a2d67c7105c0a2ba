// SPDX-License-Identifier: MIT
// A validated config as JSON: what `vn create --dry-run` prints.
#include <stdio.h>

#include "libvn.h"

static void disk_json(struct vn_json *j, const struct vn_disk *dk)
{
    vn_json_object_begin(j);
    vn_json_key(j, "target");
    vn_json_string(j, dk->target);
    vn_json_key(j, "vdev");
    vn_json_string(j, dk->vdev);
    vn_json_key(j, "access");
    vn_json_string(j, dk->readonly ? "ro" : "rw");
    vn_json_key(j, "format");
    vn_json_string(j, dk->format);
    vn_json_object_end(j);
}

static void nic_json(struct vn_json *j, const struct vn_nic *nic)
{
    char mac[18];

    snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", nic->mac[0],
             nic->mac[1], nic->mac[2], nic->mac[3], nic->mac[4], nic->mac[5]);
    vn_json_object_begin(j);
    vn_json_key(j, "mac");
    vn_json_string(j, nic->has_mac ? mac : NULL);
    vn_json_key(j, "switch");
    vn_json_string(j, nic->sw);
    vn_json_key(j, "model");
    vn_json_string(j, nic->model);
    vn_json_object_end(j);
}

void vn_config_write_json(FILE *f, const struct vn_config *cfg)
{
    struct vn_json j;

    vn_json_init(&j, f);
    vn_json_object_begin(&j);
    vn_json_key(&j, "name");
    vn_json_string(&j, cfg->name);
    vn_json_key(&j, "kernel");
    vn_json_string(&j, cfg->kernel);
    vn_json_key(&j, "cmdline");
    vn_json_string(&j, cfg->cmdline);
    vn_json_key(&j, "memory");
    vn_json_uint(&j, cfg->memory_mib);
    vn_json_key(&j, "vcpus");
    vn_json_uint(&j, cfg->vcpus);
    vn_json_key(&j, "disks");
    vn_json_array_begin(&j);
    for (unsigned i = 0; i < cfg->ndisks; i++)
        disk_json(&j, &cfg->disks[i]);
    vn_json_array_end(&j);
    vn_json_key(&j, "nics");
    vn_json_array_begin(&j);
    for (unsigned i = 0; i < cfg->nnics; i++)
        nic_json(&j, &cfg->nics[i]);
    vn_json_array_end(&j);
    vn_json_key(&j, "on_poweroff");
    vn_json_string(&j, vn_action_name(cfg->on_poweroff));
    vn_json_key(&j, "on_reboot");
    vn_json_string(&j, vn_action_name(cfg->on_reboot));
    vn_json_key(&j, "on_crash");
    vn_json_string(&j, vn_action_name(cfg->on_crash));
    vn_json_object_end(&j);
    vn_json_end(&j);
}
