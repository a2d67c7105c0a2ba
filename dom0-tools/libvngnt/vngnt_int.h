/* SPDX-License-Identifier: MIT */
/* libvngnt's internal header: the handle, whose control connection is
 * the dom0 client libvn and libvnev share (dom0-tools/libvnctl). */
#ifndef VNGNT_INT_H
#define VNGNT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <veneer/control.h>

#include "vnctl.h"
#include "vngnt.h"

/* [POLICY] Seconds a call waits for veneerd. */
#define VNGNT_TIMEOUT_S 10

/* One page mapped through the handle. */
struct vngnt_page {
    void *addr;
    uint32_t handle; /* veneerd's */
};

struct vngnt {
    struct vnctl ctl; /* the control connection; fd -1 once broken */
    int status;       /* GNTST_* of the last grant request */
    struct vngnt_page *pages;
    size_t nr_pages, cap_pages;
};

#endif /* VNGNT_INT_H */
