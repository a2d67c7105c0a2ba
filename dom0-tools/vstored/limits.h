/* SPDX-License-Identifier: MIT */
/*
 * Every limit vstored enforces, in one place (STYLE rule 13). The quotas
 * (QUOTA_*) are defaults that vstored's command line can override; the
 * others are fixed. "[ABI]" marks values clients can see and rely on,
 * "[POLICY]" values we chose.
 */
#ifndef VSTORED_LIMITS_H
#define VSTORED_LIMITS_H

/* [ABI] Longest absolute path, and longest relative path, in bytes (Xen's
 * XENSTORE_ABS_PATH_MAX / XENSTORE_REL_PATH_MAX). */
#define VS_ABS_PATH_MAX 3072
#define VS_REL_PATH_MAX 2048

/* [POLICY] Nodes an unprivileged domain may own (Xen's default quota). */
#define VS_QUOTA_NODES 1000

/* [POLICY] Largest value in bytes. Xen's default entry size is smaller
 * (2048); we allow a whole payload minus nothing so that any value a
 * client can send fits. */
#define VS_QUOTA_VALUE_SIZE 4096

/* [POLICY] Watches one connection may hold. Xen's per-domain default is
 * 128; dom0 tools watch more, so we are a little more generous. */
#define VS_QUOTA_WATCHES 256

/* [POLICY] Transactions one connection may have open at once (Xen: 10). */
#define VS_QUOTA_TXNS 16

/* [POLICY] Distinct nodes one transaction may touch (read, write or
 * delete); bounds the memory of a single transaction (Xen's
 * "transaction-nodes" quota is 1024). */
#define VS_QUOTA_TXN_NODES 1024

/* [POLICY] Output queued for one connection, in bytes. Past SOFT the
 * daemon stops reading that connection's requests until the peer drains
 * its replies (backpressure: replies alone never exceed SOFT plus one
 * message). Watch events are queued regardless, so a peer that never
 * reads grows its queue only by events; past MAX it is cut off. */
#define VS_OUTPUT_SOFT  (64 * 1024)
#define VS_QUOTA_OUTPUT (1024 * 1024)

/* [ABI] Bytes of one message: header plus the largest payload. */
#define VS_MSG_MAX (16 + 4096)

/* [POLICY] Input buffer per connection: room for two whole messages so a
 * read() usually brings in complete requests. */
#define VS_INBUF_SIZE (2 * VS_MSG_MAX)

/* [POLICY] Connections on the local socket at once; further accepts are
 * refused so fds stay available (the default RLIMIT_NOFILE here is
 * 20000). */
#define VS_MAX_CONNS 4096

/* [ABI] Domain ids: real domains are below DOMID_FIRST_RESERVED. */
#define VS_DOMID_MAX 0x7FF0

/* [POLICY] Rounds of (replies out, requests in) one service of a guest
 * ring makes before other clients get their turn: with 1 KiB streams,
 * at most 4 KiB of requests per ring per loop batch. */
#define VS_RING_PUMP_ROUNDS 4

/* [POLICY] Guest rings served at once: one per domain veneerd can host
 * (VN_MAX_DOMAINS). Each holds a mapped page and a dom0 event channel
 * port (veneerd allows dom0 VN_EVTCHN_DOM0_MAX_PORTS in all). */
#define VS_MAX_RINGS 1024

/* [POLICY] Largest CONTROL reply we build (help text, quota listing). */
#define VS_CONTROL_REPLY_MAX 1024

#endif /* VSTORED_LIMITS_H */
