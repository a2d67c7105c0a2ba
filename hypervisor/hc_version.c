/* SPDX-License-Identifier: MIT */
/*
 * xen_version (hypercall 17): what the guest learns of its hypervisor.
 * Veneer reports Xen's interface version it implements and PV64
 * capabilities.
 */
#include <string.h>

#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>

#include "veneerd.h"

/* XENFEAT bits Veneer offers a PV guest (submap 0). None yet: writable
 * page tables, superpages and the rest are not implemented. */
#define VN_FEATURES_SUBMAP0 0u

/* Copy a NUL-padded fixed-size string out to the guest. */
static int64_t version_string(struct vcpu *v, gva_t arg, const char *s,
                              size_t size)
{
    char buf[XEN_CAPABILITIES_INFO_LEN];

    memset(buf, 0, size);
    strncpy(buf, s, size - 1);
    return gmem_copy_to(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

static int64_t version_features(struct vcpu *v, gva_t arg)
{
    struct xen_feature_info fi;

    if (gmem_copy_from(v, &fi, arg, sizeof(fi)))
        return -XEN_EFAULT;
    if (fi.submap_idx >= XENFEAT_NR_SUBMAPS)
        return -XEN_EINVAL;
    fi.submap = VN_FEATURES_SUBMAP0;
    return gmem_copy_to(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

static int64_t version_compile_info(struct vcpu *v, gva_t arg)
{
    struct xen_compile_info ci;

    memset(&ci, 0, sizeof(ci));
    strncpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler) - 1);
    strncpy(ci.compile_by, "veneer", sizeof(ci.compile_by) - 1);
    strncpy(ci.compile_domain, "veneer", sizeof(ci.compile_domain) - 1);
    strncpy(ci.compile_date, __DATE__, sizeof(ci.compile_date) - 1);
    return gmem_copy_to(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
}

int64_t hc_xen_version(struct vcpu *v, const uint64_t a[5])
{
    static const uint8_t handle[16];
    struct xen_platform_parameters pp = {.virt_start = __HYPERVISOR_VIRT_START};
    gva_t arg = a[1];

    switch (a[0]) {
    case XENVER_version:
        return (VN_XEN_MAJOR << 16) | VN_XEN_MINOR;
    case XENVER_extraversion:
        return version_string(v, arg, "-veneer", XEN_EXTRAVERSION_LEN);
    case XENVER_compile_info:
        return version_compile_info(v, arg);
    case XENVER_capabilities:
        return version_string(v, arg, "xen-3.0-x86_64",
                              XEN_CAPABILITIES_INFO_LEN);
    case XENVER_changeset:
        return version_string(v, arg, "veneer", XEN_CHANGESET_INFO_LEN);
    case XENVER_platform_parameters:
        return gmem_copy_to(v, arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
    case XENVER_get_features:
        return version_features(v, arg);
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return gmem_copy_to(v, arg, handle, sizeof(handle)) ? -XEN_EFAULT : 0;
    case XENVER_commandline:
        return version_string(v, arg, "", XEN_COMMANDLINE_LEN);
    default:
        return -XEN_ENOSYS;
    }
}
