/* SPDX-License-Identifier: MIT */
/* libvngnt's internal header: the handle and the control-socket call
 * (vngnt_conn.c) that vngnt.c builds on. */
#ifndef VNGNT_INT_H
#define VNGNT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <veneer/control.h>

#include "vngnt.h"

/* [POLICY] Seconds a call waits for veneerd. */
#define VNGNT_TIMEOUT_S 10

/* One page mapped through the handle. */
struct vngnt_page {
    void *addr;
    uint32_t handle; /* veneerd's */
};

struct vngnt {
    int fd; /* the control connection; -1 once broken */
    uint32_t seq;
    int status; /* GNTST_* of the last grant request */
    struct vngnt_page *pages;
    size_t nr_pages, cap_pages;
};

/* vngnt_conn.c */
int vngnt_connect(const char *rundir);
int vngnt_call(struct vngnt *h, uint16_t op, const void *req, size_t reqlen,
               const void *extra, size_t extralen, void *reply, size_t replymax,
               size_t *replylen, int *fd);

#endif /* VNGNT_INT_H */
