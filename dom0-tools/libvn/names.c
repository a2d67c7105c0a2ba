// SPDX-License-Identifier: MIT
// Domain states and shutdown reasons by name, and a domain as JSON: the
// words `vn list`, `vn info` and their --json forms print.
#include <xen/sched.h>

#include "libvn.h"

const char *vn_state_name(uint32_t state)
{
    static const char *const names[] = {
        [VN_DOM_RUNNING] = "running",   [VN_DOM_PAUSED] = "paused",
        [VN_DOM_SHUTDOWN] = "shutdown", [VN_DOM_CRASHED] = "crashed",
        [VN_DOM_DYING] = "dying",
    };

    if (state >= sizeof(names) / sizeof(names[0]) || names[state] == NULL)
        return "unknown";
    return names[state];
}

const char *vn_shutdown_name(uint32_t reason)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
    };

    return reason <= SHUTDOWN_MAX ? names[reason] : "unknown";
}

static void kv_uint(struct vn_json *j, const char *k, uint64_t v)
{
    vn_json_key(j, k);
    vn_json_uint(j, v);
}

void vn_dominfo_write_json(struct vn_json *j, const struct vn_dominfo *d,
                           bool detail)
{
    bool stopped = d->state == VN_DOM_SHUTDOWN || d->state == VN_DOM_CRASHED;
    char name[VN_NAME_MAX];

    /* The name is NUL-terminated by the ABI; do not trust it blindly. */
    snprintf(name, sizeof(name), "%.*s", VN_NAME_MAX - 1, d->name);
    vn_json_object_begin(j);
    kv_uint(j, "domid", d->domid);
    vn_json_key(j, "name");
    vn_json_string(j, name);
    vn_json_key(j, "state");
    vn_json_string(j, vn_state_name(d->state));
    vn_json_key(j, "shutdown_reason");
    vn_json_string(j, stopped ? vn_shutdown_name(d->shutdown) : NULL);
    kv_uint(j, "vcpus", d->vcpus);
    kv_uint(j, "memory_kib", d->memory_kib);
    kv_uint(j, "max_memory_kib", d->max_memory_kib);
    kv_uint(j, "cpu_time_ns", d->cpu_time_ns);
    kv_uint(j, "hypercalls", d->hypercalls);
    vn_json_key(j, "pid");
    vn_json_int(j, d->pid);
    if (detail) {
        kv_uint(j, "store_mfn", d->store_mfn);
        kv_uint(j, "store_evtchn", d->store_evtchn);
        kv_uint(j, "console_mfn", d->console_mfn);
        kv_uint(j, "console_evtchn", d->console_evtchn);
    }
    vn_json_object_end(j);
}
