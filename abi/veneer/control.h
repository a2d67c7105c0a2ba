/* SPDX-License-Identifier: MIT */
/*
 * Veneer's control ABI: the messages dom0 tools (libvn, vn, the backends)
 * exchange with veneerd over its control socket.
 *
 * Transport: a Unix stream socket, `$VENEER_RUNDIR/veneerd.sock` (default
 * /run/veneer/veneerd.sock), mode 0600, owned by root: only root talks to
 * the hypervisor. Each request is one struct vn_ctl_hdr followed by
 * `len` bytes of payload; file descriptors travel as SCM_RIGHTS ancillary
 * data on the first byte of the header. veneerd answers every request, in
 * order, with one header (same `op`, `seq`; `status` set) and its payload.
 *
 * Versioning: VN_CTL_VERSION changes only by an explicit, commented bump;
 * structs are only ever extended at the end (a peer reads `len` bytes and
 * zero-fills what it does not get).
 *
 * Freestanding: usable by veneerd and by any dom0 tool.
 */
#ifndef VENEER_ABI_CONTROL_H
#define VENEER_ABI_CONTROL_H

#include <stddef.h>
#include <stdint.h>

/* "VNCT": the first four bytes of every message. */
#define VN_CTL_MAGIC 0x54434e56u

/* Version 1: the first control ABI. */
#define VN_CTL_VERSION 1u

/* Largest payload either side sends or accepts: a LIST of the most
 * domains one veneerd hosts (1024 x struct vn_dominfo) fits. */
#define VN_CTL_MAX_PAYLOAD 262144u

/* Domain names: printable ASCII, no '/', unique per host. */
#define VN_NAME_MAX 64

/* Guest command line (Xen's MAX_GUEST_CMDLINE). */
#define VN_CMDLINE_MAX 1024

/*
 * Every message starts with this header.
 * IN (request):  magic, version, op, seq (any value; echoed), len.
 * OUT (reply):   the same magic, version, op, seq; len of the reply's
 *                payload; status = 0 or a negative errno.
 */
struct vn_ctl_hdr {
    uint32_t magic;   /* VN_CTL_MAGIC */
    uint16_t version; /* VN_CTL_VERSION */
    uint16_t op;      /* enum vn_ctl_op */
    uint32_t seq;     /* chosen by the client, echoed in the reply */
    uint32_t len;     /* payload bytes after the header */
    int32_t status;   /* reply only: 0, or -errno */
    uint32_t pad;
};
_Static_assert(sizeof(struct vn_ctl_hdr) == 24, "vn_ctl_hdr size");

/*
 * Operations. Requests name a domain by struct vn_ctl_dom unless noted.
 * Errors common to all: -EINVAL (malformed), -ENOENT (no such domain),
 * -EPROTO (bad magic or version: veneerd then closes the connection).
 */
enum vn_ctl_op {
    /* IN: struct vn_ctl_create + SCM_RIGHTS: the kernel image fd.
     * OUT: struct vn_dominfo of the new domain (paused if asked).
     * -EEXIST: the name is taken; -ENOEXEC: the image is unusable (the
     * reply payload is then a NUL-terminated message); -ENOMEM. */
    VN_CTL_CREATE = 1,
    /* Kill the domain at once and release everything it held. */
    VN_CTL_DESTROY = 2,
    /* Stop / resume running the domain's vCPUs. */
    VN_CTL_PAUSE = 3,
    VN_CTL_UNPAUSE = 4,
    /* OUT: struct vn_dominfo. */
    VN_CTL_INFO = 5,
    /* No payload. OUT: an array of struct vn_dominfo, one per domain. */
    VN_CTL_LIST = 6,
    /* IN: struct vn_ctl_shutdown. Force a shutdown with that reason, as if
     * the guest had asked (the toolstack's last resort after asking via
     * the store's control/shutdown). */
    VN_CTL_SHUTDOWN = 7,
    /* IN: struct vn_ctl_memory. Set the domain's maximum memory. */
    VN_CTL_SET_MAX_MEM = 8,
    /* OUT: SCM_RIGHTS: one end of a stream socket carrying the domain's
     * console output (and, later, input). Closing it detaches. */
    VN_CTL_CONSOLE = 9,

    /*
     * Event channels of domain 0 (10..19): a host process (a backend,
     * vstored) as dom0's end of a guest's event channel, with Xen's
     * semantics (XEN-ABI-FACTS §4.2). These ops take struct
     * vn_ctl_evtchn, not struct vn_ctl_dom. Errors are Xen's, as
     * negative errnos in the header's status.
     *
     * 1. A port made here belongs to this connection: only it may send
     *    on, query or close the port, and closing the connection closes
     *    them all (a linked guest port then goes back to unbound,
     *    waiting for domain 0, as when a Xen domain closes its end).
     * 2. A bind's reply carries two eventfds (SCM_RIGHTS, in this order),
     *    both non-blocking; keep them so:
     *      notify  veneerd adds 1 whenever the port is raised: the guest
     *              sent on its end; the bind itself (bind_interdomain:
     *              Xen raises a new interdomain port, so that an event
     *              sent before the bind is not lost); a VIRQ. Read it
     *              (8 bytes) to clear it; poll it for POLLIN.
     *      send    write 8 bytes (a count > 0) to send on the port, as
     *              EVTCHNOP_send without a round trip; several writes
     *              before veneerd reads it are one event. Never read it.
     * 3. dom0 has VN_EVTCHN_DOM0_MAX_PORTS ports (veneerd_limits.h) for
     *    all connections together: -ENOSPC beyond.
     */

    /* IN: struct vn_ctl_evtchn: domid, remote_port (the guest's port,
     * unbound for domain 0). OUT: struct vn_ctl_evtchn: port (dom0's new
     * port), and the eventfds; notify starts at 1. -ESRCH (no such
     * domain), -EINVAL (remote_port out of range, not unbound or not for
     * domain 0), -ENOSPC, -ENFILE (no eventfd). */
    VN_CTL_EVTCHN_BIND_INTERDOMAIN = 10,
    /* IN: struct vn_ctl_evtchn: domid (the guest that may bind). OUT:
     * port, a new unbound dom0 port the guest may bind to with
     * EVTCHNOP_bind_interdomain(0, port), and the eventfds. -EINVAL
     * (domid above 0xffff), -ENOSPC, -ENFILE. */
    VN_CTL_EVTCHN_ALLOC_UNBOUND = 11,
    /* IN: struct vn_ctl_evtchn: remote_port = a global VIRQ (only
     * VIRQ_DOM_EXC fires: a domain shut down, crashed or was destroyed).
     * OUT: port and the eventfds. -EINVAL (a per-vCPU or unknown VIRQ),
     * -EEXIST (bound on this connection already), -ENOSPC, -ENFILE. */
    VN_CTL_EVTCHN_BIND_VIRQ = 12,
    /* IN: struct vn_ctl_evtchn: port. EVTCHNOP_send on it, with
     * veneerd's answer (writing its send eventfd is the fast way). 0
     * also for an unbound port (the event is dropped); -EINVAL (not this
     * connection's port, or a VIRQ port). */
    VN_CTL_EVTCHN_SEND = 13,
    /* IN: struct vn_ctl_evtchn: port. EVTCHNOP_close: a linked guest
     * port goes back to unbound. -EINVAL (not this connection's port). */
    VN_CTL_EVTCHN_CLOSE = 14,
    /* IN: struct vn_ctl_evtchn: port. OUT: struct vn_ctl_evtchn_status.
     * -EINVAL (not this connection's port). */
    VN_CTL_EVTCHN_STATUS = 15,

    /*
     * Grants to domain 0 (20..29). A guest's grant to domid 0 is usable
     * by any process on the control socket (root); veneerd checks the
     * grant entry exactly as for a domU mapper (XEN-ABI-FACTS §5) and
     * keeps GTF_reading/GTF_writing set in it while the page is mapped,
     * so the guest cannot end access meanwhile. These ops do not name a
     * domain by struct vn_ctl_dom: the granter is a numeric domid. A
     * refused grant is a GNTST_* code (xen/grant_table.h) in the reply's
     * `status` field of the payload; the header's status stays 0 unless
     * the request itself is malformed (-EINVAL).
     */

    /* IN: struct vn_ctl_gnt_map. OUT: struct vn_ctl_gnt_mapped and, if
     * its status is GNTST_okay, SCM_RIGHTS: the granter's memory file,
     * opened read-only for a read-only mapping. Map exactly one page of
     * it at `offset` (MAP_SHARED), then close it; the grant stays pinned
     * until VN_CTL_GNT_UNMAP, or until this connection closes (veneerd
     * then takes the process's word, or its death, that it unmapped). */
    VN_CTL_GNT_MAP = 20,
    /* IN: struct vn_ctl_gnt_unmap, sent after munmap. OUT: struct
     * vn_ctl_gnt_result (GNTST_bad_handle: not a mapping made on this
     * connection). */
    VN_CTL_GNT_UNMAP = 21,
    /* IN: struct vn_ctl_gnt_copy, then for VN_GNT_COPY_TO_GUEST its `len`
     * bytes. OUT: struct vn_ctl_gnt_result, then for a copy from the
     * guest its `len` bytes (if GNTST_okay). veneerd pins the grant
     * (writable for a copy to the guest) only for the copy. */
    VN_CTL_GNT_COPY = 22,
};

/* Names a domain: by id, or by name when domid is VN_DOMID_BY_NAME. */
#define VN_DOMID_BY_NAME 0xffffffffu
struct vn_ctl_dom {
    uint32_t domid;
    char name[VN_NAME_MAX]; /* NUL-terminated; used with VN_DOMID_BY_NAME */
};

/* VN_CTL_CREATE request. */
struct vn_ctl_create {
    char name[VN_NAME_MAX];       /* unique; required */
    uint64_t memory_mib;          /* initial and maximum memory */
    uint32_t vcpus;               /* 1 today */
    uint32_t flags;               /* VN_CREATE_* */
    char cmdline[VN_CMDLINE_MAX]; /* start_info.cmd_line */
    /* What veneerd does when the guest powers off, reboots or crashes
     * (VN_ON_*); veneerd applies it, since it outlives any tool. */
    uint8_t on_poweroff; /* default VN_ON_DESTROY */
    uint8_t on_reboot;   /* default VN_ON_DESTROY: set VN_ON_RESTART */
    uint8_t on_crash;    /* default VN_ON_DESTROY */
    uint8_t pad[5];
};
_Static_assert(sizeof(struct vn_ctl_create) == 1112, "vn_ctl_create size");
#define VN_CREATE_PAUSED 0x1u /* build, but do not run, the guest */

/* Actions for vn_ctl_create.on_*. */
#define VN_ON_DESTROY  0 /* tear the domain down; it leaves the list */
#define VN_ON_RESTART  1 /* rebuild it in place: same id, same frames */
#define VN_ON_PRESERVE 2 /* keep it, stopped, until destroyed */

/* VN_CTL_SHUTDOWN request. */
struct vn_ctl_shutdown {
    struct vn_ctl_dom dom;
    uint32_t reason; /* SHUTDOWN_* (xen/sched.h) */
    uint32_t pad;
};

/* VN_CTL_SET_MAX_MEM request. */
struct vn_ctl_memory {
    struct vn_ctl_dom dom;
    uint64_t max_kib;
};

/* VN_CTL_GNT_MAP request: map grant `ref` of domain `domid`. */
struct vn_ctl_gnt_map {
    uint32_t domid; /* the granter */
    uint32_t ref;   /* its grant reference, granted to domid 0 */
    uint32_t flags; /* VN_GNT_READONLY */
    uint32_t pad;
};
#define VN_GNT_READONLY 0x1u /* a read-only mapping (GTF_readonly grants) */

/* VN_CTL_GNT_MAP reply. */
struct vn_ctl_gnt_mapped {
    int32_t status;  /* GNTST_* */
    uint32_t handle; /* for VN_CTL_GNT_UNMAP */
    uint64_t offset; /* the page's offset in the passed file */
};

/* VN_CTL_GNT_UNMAP request. */
struct vn_ctl_gnt_unmap {
    uint32_t handle;
    uint32_t pad;
};

/* VN_CTL_GNT_UNMAP and VN_CTL_GNT_COPY reply. */
struct vn_ctl_gnt_result {
    int32_t status; /* GNTST_* */
    uint32_t pad;
};

/* VN_CTL_GNT_COPY request: len bytes at offset in the granted page
 * (offset + len at most 4096). */
struct vn_ctl_gnt_copy {
    uint32_t domid;
    uint32_t ref;
    uint16_t offset;
    uint16_t len;
    uint32_t flags; /* VN_GNT_COPY_TO_GUEST, else from the guest */
};
#define VN_GNT_COPY_TO_GUEST 0x1u

_Static_assert(sizeof(struct vn_ctl_gnt_map) == 16, "vn_ctl_gnt_map size");
_Static_assert(sizeof(struct vn_ctl_gnt_mapped) == 16, "vn_ctl_gnt_mapped");
_Static_assert(sizeof(struct vn_ctl_gnt_copy) == 16, "vn_ctl_gnt_copy size");
/* VN_CTL_EVTCHN_* request and bind reply. */
struct vn_ctl_evtchn {
    uint32_t domid;       /* IN: the guest (bind_interdomain, alloc_unbound) */
    uint32_t remote_port; /* IN: the guest's port; bind_virq: the VIRQ */
    uint32_t port;        /* IN: dom0's port (send, close, status);
                             OUT: the new dom0 port (binds) */
    uint32_t pad;
};
_Static_assert(sizeof(struct vn_ctl_evtchn) == 16, "vn_ctl_evtchn size");

/* VN_CTL_EVTCHN_STATUS reply: EVTCHNOP_status of a dom0 port. */
struct vn_ctl_evtchn_status {
    uint32_t port;
    uint32_t status;      /* EVTCHNSTAT_* (xen/event_channel.h) */
    uint32_t domid;       /* unbound: who may bind; interdomain: the peer */
    uint32_t remote_port; /* interdomain: the peer's port */
    uint32_t virq;        /* EVTCHNSTAT_virq: which */
    uint32_t pad;
};
_Static_assert(sizeof(struct vn_ctl_evtchn_status) == 24,
               "vn_ctl_evtchn_status size");

/* Domain states in struct vn_dominfo. */
enum vn_dom_state {
    VN_DOM_RUNNING = 1,
    VN_DOM_PAUSED = 2,
    VN_DOM_SHUTDOWN = 3, /* stopped by the guest; reason in shutdown */
    VN_DOM_CRASHED = 4,
    VN_DOM_DYING = 5, /* being torn down */
};

/* What veneerd reports of a domain. */
struct vn_dominfo {
    uint32_t domid;
    uint32_t state;    /* enum vn_dom_state */
    uint32_t shutdown; /* SHUTDOWN_* when state is SHUTDOWN or CRASHED */
    uint32_t vcpus;
    char name[VN_NAME_MAX];
    uint64_t memory_kib;     /* pages populated, in KiB */
    uint64_t max_memory_kib; /* maximum_reservation, in KiB */
    uint64_t cpu_time_ns;    /* CPU time of the domain process */
    uint64_t hypercalls;     /* hypercalls served */
    int32_t pid;             /* the domain process; -1 once it is gone */
    uint32_t pad;
    uint64_t store_mfn;    /* xenstore ring page */
    uint32_t store_evtchn; /* its event channel, or 0 */
    uint32_t console_evtchn;
    uint64_t console_mfn; /* console ring page */
};

#endif /* VENEER_ABI_CONTROL_H */
