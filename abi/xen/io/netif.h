/* SPDX-License-Identifier: MIT */
/*
 * Network device protocol ("vif"): tx and rx rings, extra-info slots and
 * the XenStore keys of the handshake (XEN-ABI-FACTS §12). The layouts are
 * the same for every architecture.
 *
 * XenStore keys (state machine: xenbus.h)
 *
 * Frontend writes (frontend dir):
 *   tx-ring-ref, rx-ring-ref     grants of the two ring pages
 *   event-channel                one port, or event-channel-tx and
 *                                event-channel-rx with split channels
 *   request-rx-copy              "1" (required: backends refuse without)
 *   feature-rx-notify            "1": frontend notifies on new rx requests
 *   feature-sg, feature-gso-tcpv4, feature-gso-tcpv6,
 *   feature-ipv6-csum-offload, feature-no-csum-offload   0/1
 *   multi-queue-num-queues       > 1: queue-N/{tx-ring-ref, rx-ring-ref,
 *                                event-channel[-tx|-rx]} instead
 *   request-multicast-control    0/1
 *   ctrl-ring-ref, event-channel-ctrl   control ring (optional)
 * Toolstack writes (frontend dir): backend, backend-id, state, handle,
 *   mac ("00:16:3e:xx:xx:xx"; the frontend reads its MAC here), mtu
 *   (read-only to the frontend).
 * Backend writes (backend dir): feature-sg, feature-gso-tcpv4,
 *   feature-gso-tcpv6, feature-ipv6-csum-offload, feature-rx-copy = 1,
 *   feature-rx-flip = 0, feature-multicast-control,
 *   feature-dynamic-multicast-control, feature-split-event-channels,
 *   multi-queue-max-queues, feature-ctrl-ring, carrier ("0"/"1").
 * Toolstack writes (backend dir): mac, bridge, handle, script, type, ...
 *
 * Defaults when a key is absent: mtu 1500; IPv4 checksum offload on;
 * IPv6 checksum offload off; GSO off; carrier up.
 *
 * Handshake: backend InitWait(2) -> frontend writes its keys and goes
 * straight to Connected(4) -> backend connects, Connected(4).
 *
 * Data path (rx-copy mode, the only one supported):
 * - tx: the frontend grants the data pages read-only; a packet is its
 *   first request (flags, whole packet size), then any extra_info slots
 *   (NETTXF_extra_info, chained by XEN_NETIF_EXTRA_FLAG_MORE), then more
 *   fragment requests (each chained by the previous NETTXF_more_data).
 *   The backend answers every slot, with NETIF_RSP_NULL for extra slots.
 *   offset + size of a slot must not exceed 4096.
 * - rx: the frontend posts requests granting whole empty pages with write
 *   access; the backend copies packet data in with GNTTABOP_copy and
 *   answers in the *same slot index* as the request it consumed (status =
 *   bytes in this fragment). Packet size = sum of the fragment statuses.
 */
#ifndef VENEER_ABI_XEN_IO_NETIF_H
#define VENEER_ABI_XEN_IO_NETIF_H

#include "ring.h"
#include "../grant_table.h"

/* Largest tx packet (size field of the first slot). */
#define XEN_NETIF_MAX_TX_SIZE 0xFFFF
/* Slots per packet every backend must accept. */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* netif_tx_request.flags (NETTXF_*). Bits 0/1 differ from NETRXF! */
#define _NETTXF_csum_blank     0
#define NETTXF_csum_blank      (1U << _NETTXF_csum_blank) /* csum offload */
#define _NETTXF_data_validated 1
#define NETTXF_data_validated  (1U << _NETTXF_data_validated) /* csum ok */
#define _NETTXF_more_data      2
#define NETTXF_more_data       (1U << _NETTXF_more_data) /* more frags */
#define _NETTXF_extra_info     3
#define NETTXF_extra_info      (1U << _NETTXF_extra_info) /* extra follows */

/* netif_rx_response.flags (NETRXF_*). */
#define _NETRXF_data_validated 0
#define NETRXF_data_validated  (1U << _NETRXF_data_validated) /* csum ok */
#define _NETRXF_csum_blank     1
#define NETRXF_csum_blank      (1U << _NETRXF_csum_blank) /* csum offload */
#define _NETRXF_more_data      2
#define NETRXF_more_data       (1U << _NETRXF_more_data) /* more frags */
#define _NETRXF_extra_info     3
#define NETRXF_extra_info      (1U << _NETRXF_extra_info) /* extra follows */
#define _NETRXF_gso_prefix     4
#define NETRXF_gso_prefix      (1U << _NETRXF_gso_prefix) /* deprecated */

/* netif_extra_info.type. */
#define XEN_NETIF_EXTRA_TYPE_NONE      0 /* never valid */
#define XEN_NETIF_EXTRA_TYPE_GSO       1 /* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD 2 /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL 3 /* u.mcast */
#define XEN_NETIF_EXTRA_TYPE_HASH      4 /* u.hash */
#define XEN_NETIF_EXTRA_TYPE_MAX       5 /* first invalid type */

/* netif_extra_info.flags. */
#define _XEN_NETIF_EXTRA_FLAG_MORE 0
#define XEN_NETIF_EXTRA_FLAG_MORE  (1U << _XEN_NETIF_EXTRA_FLAG_MORE)

/* netif_extra_info.u.gso.type. */
#define XEN_NETIF_GSO_TYPE_NONE  0
#define XEN_NETIF_GSO_TYPE_TCPV4 1
#define XEN_NETIF_GSO_TYPE_TCPV6 2

/* Response status (tx status, rx status when <= 0). */
#define NETIF_RSP_DROPPED (-2) /* packet dropped */
#define NETIF_RSP_ERROR   (-1) /* error */
#define NETIF_RSP_OKAY    0    /* done */
#define NETIF_RSP_NULL    1    /* answer to an extra_info slot */

/*
 * struct netif_tx_request (12 bytes) [frontend].
 *   gref    grant of the page holding the data (backend reads it)
 *   offset  start of the data in that page
 *   flags   NETTXF_*
 *   id      echoed in the response
 *   size    first slot: whole packet size; later slots: this fragment
 */
struct netif_tx_request {
    grant_ref_t gref;
    uint16_t offset;
    uint16_t flags;
    uint16_t id;
    uint16_t size;
};
typedef struct netif_tx_request netif_tx_request_t;

/*
 * struct netif_extra_info (8 bytes); occupies a whole tx or rx slot.
 *   type   XEN_NETIF_EXTRA_TYPE_*
 *   flags  XEN_NETIF_EXTRA_FLAG_*
 *   u.gso  size (MSS), type (XEN_NETIF_GSO_TYPE_*), features
 *   u.mcast.addr  MAC address to add or remove
 *   u.hash type, algorithm, value (LSB first)
 */
struct netif_extra_info {
    uint8_t type;
    uint8_t flags;
    union {
        struct {
            uint16_t size;
            uint8_t type;
            uint8_t pad;
            uint16_t features;
        } gso;
        struct {
            uint8_t addr[6];
        } mcast;
        struct {
            uint8_t type;
            uint8_t algorithm;
            uint8_t value[4];
        } hash;
        uint16_t pad[3];
    } u;
};
typedef struct netif_extra_info netif_extra_info_t;

/* struct netif_tx_response (4 bytes) [backend]: id, status NETIF_RSP_*. */
struct netif_tx_response {
    uint16_t id;
    int16_t status;
};
typedef struct netif_tx_response netif_tx_response_t;

/*
 * struct netif_rx_request (8 bytes) [frontend].
 *   id    echoed in the response
 *   gref  grant of an empty page the backend will write into
 */
struct netif_rx_request {
    uint16_t id;
    uint16_t pad;
    grant_ref_t gref;
};
typedef struct netif_rx_request netif_rx_request_t;

/*
 * struct netif_rx_response (8 bytes) [backend].
 *   id      the request's id
 *   offset  start of the data in the page
 *   flags   NETRXF_*
 *   status  > 0: bytes in this fragment; <= 0: NETIF_RSP_*
 */
struct netif_rx_response {
    uint16_t id;
    uint16_t offset;
    uint16_t flags;
    int16_t status;
};
typedef struct netif_rx_response netif_rx_response_t;

/* The tx and rx rings: 256 slots each per 4 KiB page. */
DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif_tx_request size");
_Static_assert(offsetof(struct netif_tx_request, offset) == 4, "tx offset");
_Static_assert(offsetof(struct netif_tx_request, flags) == 6, "tx flags");
_Static_assert(offsetof(struct netif_tx_request, id) == 8, "tx id");
_Static_assert(offsetof(struct netif_tx_request, size) == 10, "tx size");
_Static_assert(sizeof(struct netif_extra_info) == 8, "netif_extra_info size");
_Static_assert(offsetof(struct netif_extra_info, u) == 2, "extra u");
_Static_assert(offsetof(struct netif_extra_info, u.gso.type) == 4,
               "extra gso.type");
_Static_assert(offsetof(struct netif_extra_info, u.gso.features) == 6,
               "extra gso.features");
_Static_assert(offsetof(struct netif_extra_info, u.hash.value) == 4,
               "extra hash.value");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif_tx_response size");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif_rx_request size");
_Static_assert(offsetof(struct netif_rx_request, gref) == 4, "rx gref");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif_rx_response size");
_Static_assert(offsetof(struct netif_rx_response, flags) == 4, "rx flags");
_Static_assert(offsetof(struct netif_rx_response, status) == 6, "rx status");
_Static_assert(__CONST_RING_SIZE(netif_tx, 4096) == 256, "netif tx ring size");
_Static_assert(__CONST_RING_SIZE(netif_rx, 4096) == 256, "netif rx ring size");

#endif /* VENEER_ABI_XEN_IO_NETIF_H */
