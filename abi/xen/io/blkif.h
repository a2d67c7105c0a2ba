/* SPDX-License-Identifier: MIT */
/*
 * Block device protocol ("vbd"): ring format, request/response layouts and
 * the XenStore keys of the frontend/backend handshake (XEN-ABI-FACTS §11).
 * Layouts are the native x86-64 ones (protocol "x86_64-abi").
 *
 * XenStore keys (state machine: xenbus.h)
 *
 * Backend writes (backend dir):
 *   key                            value                      default
 *   feature-max-indirect-segments  N (at probe)               0 = none
 *   multi-queue-max-queues         N (at probe)               1
 *   max-ring-page-order            N (at probe)               0
 *   sectors                        size, 512-byte units (u64)  required
 *   info                           VDISK_* bitmap              0
 *   sector-size                    logical block, 2^n >= 512   required
 *   physical-sector-size           physical block              sector-size
 *   feature-flush-cache            0/1                         0
 *   feature-barrier                0/1                         0
 *   feature-discard                0/1 (+ discard-granularity,
 *                                  discard-alignment,
 *                                  discard-secure)             0
 *   feature-persistent             0/1                         0
 *   mode, params, type, physical-device   toolstack/hotplug, private
 *
 * Frontend writes (frontend dir):
 *   ring-ref                 grant of a single-page ring
 *   ring-ref0..N + ring-page-order   multi-page ring (ring-ref absent)
 *   event-channel            port bound by the backend
 *   protocol                 "x86_64-abi" (these layouts)
 *   feature-persistent       0/1
 *   multi-queue-num-queues   > 1: per-queue keys queue-N/ring-ref[K],
 *                            queue-N/event-channel replace the above
 * Toolstack writes (frontend dir): virtual-device (vbd number, e.g.
 *   51712 = xvda), device-type ("disk", "cdrom"), trusted.
 *
 * Handshake: backend InitWait(2) -> frontend writes its keys,
 * Initialised(3) -> backend connects, writes sectors/info/sector-size/
 * feature-*, Connected(4) -> frontend reads them, Connected(4).
 *
 * Sector numbers and first_sect/last_sect are always in 512-byte units,
 * whatever sector-size says; offsets and lengths must still be multiples
 * of sector-size.
 */
#ifndef VENEER_ABI_XEN_IO_BLKIF_H
#define VENEER_ABI_XEN_IO_BLKIF_H

#include "ring.h"
#include "../grant_table.h"

/* Operations (blkif_request.operation). */
#define BLKIF_OP_READ            0 /* read sectors into the segments */
#define BLKIF_OP_WRITE           1 /* write sectors from the segments */
#define BLKIF_OP_WRITE_BARRIER   2 /* ordered write (feature-barrier) */
#define BLKIF_OP_FLUSH_DISKCACHE 3 /* flush (feature-flush-cache) */
#define BLKIF_OP_RESERVED_1      4 /* SLES-specific; do not use */
#define BLKIF_OP_DISCARD         5 /* blkif_request_discard */
#define BLKIF_OP_INDIRECT        6 /* blkif_request_indirect */

/* Segments carried directly in a request. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST 11
/* Indirect pages one indirect request may name. */
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8
/* Segment descriptors per indirect page: 4096 / 8. */
#define BLKIF_SEGS_PER_INDIRECT_FRAME 512

/* Response status (blkif_response.status). */
#define BLKIF_RSP_EOPNOTSUPP (-2) /* operation not supported */
#define BLKIF_RSP_ERROR      (-1) /* request failed */
#define BLKIF_RSP_OKAY       0    /* request done */

/* blkif_request_discard.flag. */
#define BLKIF_DISCARD_SECURE (1 << 0) /* secure erase (discard-secure) */

/* Backend "info" key bits. */
#define VDISK_CDROM     0x1 /* device is a CD-ROM */
#define VDISK_REMOVABLE 0x2 /* media is removable */
#define VDISK_READONLY  0x4 /* writes are refused */

/* Value of the frontend "protocol" key for these layouts. */
#define XEN_IO_PROTO_ABI_X86_64 "x86_64-abi"

/* A virtual device number (the vbd devid). */
typedef uint16_t blkif_vdev_t;
/* A sector number, in 512-byte units. */
typedef uint64_t blkif_sector_t;

/*
 * struct blkif_request_segment (8 bytes): one data page of a request.
 *   gref        grant of a 4 KiB page (backend needs write access for
 *               READ, read access for WRITE)
 *   first_sect  first 512-byte sector used in the page, 0..7
 *   last_sect   last sector used, inclusive, first_sect..7
 * The segment covers (last_sect - first_sect + 1) * 512 bytes.
 */
struct blkif_request_segment {
    grant_ref_t gref;
    uint8_t first_sect, last_sect;
    uint16_t _pad;
};

/*
 * struct blkif_request (112 bytes) [frontend].
 *   operation      BLKIF_OP_READ / WRITE / WRITE_BARRIER / FLUSH_DISKCACHE
 *   nr_segments    1..BLKIF_MAX_SEGMENTS_PER_REQUEST (0 allowed for flush)
 *   handle         the vdev (Linux puts the devid here)
 *   id             echoed in the response
 *   sector_number  first sector, 512-byte units
 *   seg[]          the data pages, in order
 */
struct blkif_request {
    uint8_t operation;
    uint8_t nr_segments;
    blkif_vdev_t handle;
    uint32_t _pad;
    uint64_t id;
    blkif_sector_t sector_number;
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
typedef struct blkif_request blkif_request_t;

/*
 * struct blkif_request_discard (32 bytes) [frontend]; overlays a request
 * slot. operation = BLKIF_OP_DISCARD; flag BLKIF_DISCARD_SECURE; discard
 * nr_sectors from sector_number.
 */
struct blkif_request_discard {
    uint8_t operation;
    uint8_t flag;
    blkif_vdev_t handle;
    uint32_t _pad;
    uint64_t id;
    blkif_sector_t sector_number;
    uint64_t nr_sectors;
};
typedef struct blkif_request_discard blkif_request_discard_t;

/*
 * struct blkif_request_indirect (64 bytes) [frontend]; overlays a request
 * slot. operation = BLKIF_OP_INDIRECT; indirect_op READ or WRITE;
 * nr_segments up to feature-max-indirect-segments; indirect_grefs name
 * pages filled with struct blkif_request_segment descriptors.
 */
struct blkif_request_indirect {
    uint8_t operation;
    uint8_t indirect_op;
    uint16_t nr_segments;
    uint32_t _pad1;
    uint64_t id;
    blkif_sector_t sector_number;
    blkif_vdev_t handle;
    uint16_t _pad2;
    grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};
typedef struct blkif_request_indirect blkif_request_indirect_t;

/*
 * struct blkif_response (16 bytes) [backend].
 *   id         the request's id
 *   operation  the request's operation
 *   status     BLKIF_RSP_*
 */
struct blkif_response {
    uint64_t id;
    uint8_t operation;
    uint8_t _pad;
    int16_t status;
};
typedef struct blkif_response blkif_response_t;

/* The vbd ring: 112-byte slots, 32 per 4 KiB page. */
DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

_Static_assert(sizeof(struct blkif_request_segment) == 8, "blkif seg size");
_Static_assert(offsetof(struct blkif_request_segment, first_sect) == 4,
               "blkif seg first_sect");
_Static_assert(offsetof(struct blkif_request_segment, last_sect) == 5,
               "blkif seg last_sect");
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request size");
_Static_assert(offsetof(struct blkif_request, handle) == 2, "blkif handle");
_Static_assert(offsetof(struct blkif_request, id) == 8, "blkif id");
_Static_assert(offsetof(struct blkif_request, sector_number) == 16,
               "blkif sector_number");
_Static_assert(offsetof(struct blkif_request, seg) == 24, "blkif seg");
_Static_assert(sizeof(struct blkif_request_discard) == 32,
               "blkif_request_discard size");
_Static_assert(offsetof(struct blkif_request_discard, nr_sectors) == 24,
               "discard nr_sectors");
_Static_assert(sizeof(struct blkif_request_indirect) == 64,
               "blkif_request_indirect size");
_Static_assert(offsetof(struct blkif_request_indirect, nr_segments) == 2,
               "indirect nr_segments");
_Static_assert(offsetof(struct blkif_request_indirect, id) == 8, "indirect id");
_Static_assert(offsetof(struct blkif_request_indirect, handle) == 24,
               "indirect handle");
_Static_assert(offsetof(struct blkif_request_indirect, indirect_grefs) == 28,
               "indirect indirect_grefs");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response size");
_Static_assert(offsetof(struct blkif_response, operation) == 8,
               "blkif_response operation");
_Static_assert(offsetof(struct blkif_response, status) == 10,
               "blkif_response status");
_Static_assert(sizeof(union blkif_sring_entry) == 112, "blkif slot size");
_Static_assert(__CONST_RING_SIZE(blkif, 4096) == 32, "blkif ring size");
_Static_assert(BLKIF_SEGS_PER_INDIRECT_FRAME * 8 == 4096,
               "segments per indirect frame");

#endif /* VENEER_ABI_XEN_IO_BLKIF_H */
