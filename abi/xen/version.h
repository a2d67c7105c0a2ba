/* SPDX-License-Identifier: MIT */
/*
 * xen_version hypercall (17): the hypervisor's version, build strings and
 * the feature bitmap (XEN-ABI-FACTS §7.3).
 *
 * xen_version(int cmd, void *arg)
 *
 * Every command is available to every guest and never changes guest state.
 * Commands that fill a buffer write exactly the buffer's declared size
 * (strings NUL-padded); an unknown cmd returns -XEN_ENOSYS.
 */
#ifndef VENEER_ABI_XEN_VERSION_H
#define VENEER_ABI_XEN_VERSION_H

#include "xen.h"

/* Returns (major << 16) | minor; arg is ignored (may be NULL). */
#define XENVER_version 0

/* OUT: xen_extraversion_t, e.g. "-veneer". */
#define XENVER_extraversion 1

/* OUT: struct xen_compile_info. */
#define XENVER_compile_info 2

/* OUT: xen_capabilities_info_t, space-separated ABIs, e.g.
 * "xen-3.0-x86_64". */
#define XENVER_capabilities 3

/* OUT: xen_changeset_info_t, source revision. */
#define XENVER_changeset 4

/* OUT: struct xen_platform_parameters (PV only; others get 0). */
#define XENVER_platform_parameters 5

/* IN/OUT: struct xen_feature_info. */
#define XENVER_get_features 6

/* Returns the page size, 4096; arg is ignored. */
#define XENVER_pagesize 7

/* OUT: xen_domain_handle_t, the caller's UUID. */
#define XENVER_guest_handle 8

/* OUT: xen_commandline_t, the hypervisor's command line (privileged). */
#define XENVER_commandline 9

/* OUT: struct xen_build_id; a NULL arg returns the size needed. */
#define XENVER_build_id 10

/* Variable-length forms (struct xen_varbuf); a NULL arg returns the size
 * needed. */
#define XENVER_extraversion2 11
#define XENVER_capabilities2 12
#define XENVER_changeset2    13
#define XENVER_commandline2  14

#define XEN_EXTRAVERSION_LEN      16   /* bytes in xen_extraversion_t */
#define XEN_CAPABILITIES_INFO_LEN 1024 /* bytes in xen_capabilities_info_t */
#define XEN_CHANGESET_INFO_LEN    64   /* bytes in xen_changeset_info_t */
#define XEN_COMMANDLINE_LEN       1024 /* bytes in xen_commandline_t */

#ifndef __ASSEMBLY__

typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];

/*
 * struct xen_compile_info (144 bytes). OUT: NUL-padded strings naming the
 * compiler, the builder's user and domain, and the build date.
 */
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

/*
 * struct xen_platform_parameters (8 bytes).
 * OUT: virt_start  lowest virtual address the hypervisor reserves in every
 *                  PV address space (HYPERVISOR_VIRT_START on x86-64).
 */
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/*
 * struct xen_feature_info (8 bytes): one 32-bit word of the XENFEAT_*
 * bitmap (features.h).
 * IN:  submap_idx  which word; 0..XENFEAT_NR_SUBMAPS-1 (others read as 0)
 * OUT: submap      bit i set: feature 32*submap_idx + i is present
 */
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
typedef struct xen_feature_info xen_feature_info_t;

/*
 * struct xen_varbuf: variable-length result of the *2 commands.
 * IN:  len  capacity of buf in bytes
 * OUT: buf  the string (not NUL-terminated); the call returns its length
 */
struct xen_varbuf {
    uint32_t len;
    char buf[];
};
typedef struct xen_varbuf xen_varbuf_t;

/*
 * struct xen_build_id: build id bytes of the hypervisor binary.
 * IN: len capacity; OUT: buf, and the call returns the length.
 */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;

_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info size");
_Static_assert(offsetof(struct xen_compile_info, compile_by) == 64,
               "compile_info compile_by");
_Static_assert(offsetof(struct xen_compile_info, compile_domain) == 80,
               "compile_info compile_domain");
_Static_assert(offsetof(struct xen_compile_info, compile_date) == 112,
               "compile_info compile_date");
_Static_assert(sizeof(struct xen_platform_parameters) == 8,
               "platform_parameters size");
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info size");
_Static_assert(offsetof(struct xen_feature_info, submap) == 4,
               "feature_info submap");
_Static_assert(sizeof(struct xen_varbuf) == 4, "varbuf size");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_VERSION_H */
