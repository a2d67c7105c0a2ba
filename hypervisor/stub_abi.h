/* SPDX-License-Identifier: MIT */
/*
 * The contract between veneerd and the domain stub: the mailbox file's
 * layout, the boot block and the hand-off protocol.
 *
 * Both sides are built from this tree, but the mailbox is mapped writable
 * in the domain process, so the guest can write any of it at any time:
 * veneerd copies a request out once, then validates the copy, and never
 * follows a pointer found here.
 *
 * Freestanding: the stub includes it without a libc.
 */
#ifndef VENEER_STUB_ABI_H
#define VENEER_STUB_ABI_H

#include <stdint.h>
#include <veneer/platform.h>

/* Bump on any change below; the stub refuses a boot block of another.
 * 3: grant-map ops (STUB_OP_MAP_GRANT, stub_op.fd).
 * 4: the event page, the per-vCPU send rings, veneerd_waiting. */
#define STUB_ABI_VERSION 4u

#define STUB_PAGE_SIZE 4096u

/* vCPUs one domain process can hold (one mailbox page each). [POLICY] */
#define STUB_MAX_VCPUS 32u

/*
 * The mailbox file: STUB_MBOX_VCPU_PAGES per vCPU (the mailbox, then its
 * mapping-op area), then the boot block, then the event page. veneerd
 * maps all of it; the stub maps it at VENEER_STUB_MAILBOX.
 */
#define STUB_MBOX_VCPU_PAGES 4u
#define STUB_MBOX_VCPU_OFFSET(n)                                               \
    ((uint64_t)(n)*STUB_MBOX_VCPU_PAGES * STUB_PAGE_SIZE)
#define STUB_MBOX_OPS_OFFSET(n) (STUB_MBOX_VCPU_OFFSET(n) + STUB_PAGE_SIZE)
#define STUB_MBOX_BOOT_OFFSET   STUB_MBOX_VCPU_OFFSET(STUB_MAX_VCPUS)
#define STUB_MBOX_BOOT_PAGES    4u
#define STUB_MBOX_EVTCHN_OFFSET                                                \
    (STUB_MBOX_BOOT_OFFSET + (uint64_t)STUB_MBOX_BOOT_PAGES * STUB_PAGE_SIZE)
#define STUB_MBOX_FILE_SIZE (STUB_MBOX_EVTCHN_OFFSET + STUB_PAGE_SIZE)

/* File descriptors the stub is started with. */
#define STUB_FD_RAM  3 /* the guest's RAM memfd (kept) */
#define STUB_FD_MBOX 4 /* the mailbox memfd (closed after mapping) */

/* Per-vCPU signal stacks live in the stub's data area. */
#define STUB_SIGSTACK_SIZE 0x10000u

/*
 * The kick signal (SIGUSR1): veneerd sends it to a vCPU's thread when an
 * event becomes deliverable while the guest runs; the stub answers with a
 * STUB_REQ_KICK carrying the registers. Every stub handler blocks it, so a
 * kick never interrupts a request in flight: it waits for the handler to
 * return and then interrupts the guest.
 */
#define STUB_SIG_KICK 10

/* Guest registers as the stub saw them at a trap, and as it resumes them. */
struct stub_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t fs_base, gs_base; /* not filled yet: 0 */
};

/* Why the stub posted a request (mailbox.kind). */
enum stub_req_kind {
    STUB_REQ_NONE = 0,
    STUB_REQ_HYPERCALL = 1,  /* guest `syscall`: number in rax, args in regs */
    STUB_REQ_FAULT = 2,      /* guest fault: signo/code/addr/trapno/err */
    STUB_REQ_BADCALL = 3,    /* a system call from a refused entry (int 0x80) */
    STUB_REQ_MORE_OPS = 4,   /* ops done; send the next chunk of them */
    STUB_REQ_OPS_FAILED = 5, /* mapping op `op_failed` failed: op_errno */
    STUB_REQ_KICK = 6,       /* the kick signal interrupted the guest */
};

/* What veneerd wants done (mailbox.action). */
enum stub_action {
    STUB_ACT_RETURN = 1,   /* set the guest's rax to ret, resume */
    STUB_ACT_HALT = 2,     /* the domain is stopping: wait to be killed */
    STUB_ACT_RESUME = 3,   /* resume the guest exactly as it was */
    STUB_ACT_SET_REGS = 4, /* load `out` (and out_flags' bases), resume */
};

/* mailbox.out_flags with STUB_ACT_SET_REGS: segment bases to load too
 * (wrfsbase/wrgsbase; veneerd checked that they are canonical). */
#define STUB_OUT_FS_BASE 0x1u
#define STUB_OUT_GS_BASE 0x2u

/*
 * Hand-off: the poster fills the body, then increments its sequence word
 * (release); if the peer's *_sleeping flag is set it issues FUTEX_WAKE on
 * that word. A waiter spins a bounded time on the sequence word, then sets
 * its sleeping flag, issues a full barrier, re-checks, and FUTEX_WAITs.
 * The barrier pair (store seq; fence; load flag) against (store flag;
 * fence; load seq) is the Dekker pattern: no wake-up is lost. A stub
 * stops spinning early when veneerd sets veneerd_waiting.
 */
struct stub_mailbox {
    uint32_t req_seq;          /* stub -> veneerd: request posted */
    uint32_t rsp_seq;          /* veneerd -> stub: response posted */
    uint32_t veneerd_sleeping; /* veneerd waits on req_seq */
    uint32_t stub_sleeping;    /* stub waits on rsp_seq */
    /* veneerd: the answer waits for an event (SCHEDOP_block/poll), so the
     * stub sleeps at once instead of spinning: on a host with few CPUs a
     * spinning stub would hold the CPU the event's sender needs. */
    uint32_t veneerd_waiting;
    uint32_t pad0;
    /* Request (stub writes). */
    uint32_t kind;   /* enum stub_req_kind */
    uint32_t signo;  /* STUB_REQ_FAULT: host signal number */
    int32_t si_code; /* STUB_REQ_FAULT: host si_code */
    uint32_t arch;   /* STUB_REQ_BADCALL: the AUDIT_ARCH of the call */
    uint64_t addr;   /* STUB_REQ_FAULT: faulting address (si_addr) */
    uint64_t trapno; /* STUB_REQ_FAULT: x86 vector (SIGSEGV only) */
    uint64_t err;    /* STUB_REQ_FAULT: host error code (SIGSEGV only) */
    struct stub_regs regs;
    uint32_t op_failed; /* STUB_REQ_OPS_FAILED: index of the op */
    int32_t op_errno;   /* STUB_REQ_OPS_FAILED: its -errno */
    /* Response (veneerd writes). */
    uint32_t action;    /* enum stub_action */
    uint32_t nr_ops;    /* mapping ops to run first, in the op area */
    int64_t ret;        /* STUB_ACT_RETURN: the guest's new rax */
    uint32_t ops_more;  /* 1: more ops follow (ask with STUB_REQ_MORE_OPS) */
    uint32_t out_flags; /* STUB_ACT_SET_REGS: STUB_OUT_* */
    /* STUB_ACT_SET_REGS: the guest's whole new register state (a bounce
     * frame's entry, an iret's return); rflags is sanitised by the host
     * kernel's sigreturn, cs and ss are never changed. */
    struct stub_regs out;
};

/*
 * Asynchronous event-channel sends (stub_evtchn.c, evtchn_fast.c).
 *
 * veneerd keeps, in the event page, a bitmap of the ports on which
 * EVTCHNOP_send always succeeds (unbound, interdomain and IPI ports: Xen
 * returns 0 for all three). For a send on such a port the stub posts the
 * port in its vCPU's send ring and resumes the guest at once with 0,
 * waking veneerd's server thread (FUTEX_WAKE on req_seq) if it sleeps.
 * veneerd drains the ring before it serves the vCPU's next request, and
 * whenever it finds entries while it waits for one. Any other send (a
 * port not in the bitmap, a full ring, an argument the stub cannot read)
 * is an ordinary hypercall, which gets Xen's exact error.
 *
 * Both the bitmap and the ring are guest-writable. veneerd never reads
 * the bitmap, keeps its own consumer index, reads each ring entry once
 * and treats it as a fresh EVTCHNOP_send checked against its own table.
 * So a scribbling guest can only make a send on one of its own ports
 * return 0 and be dropped, or raise an event it could have raised anyway.
 */
#define STUB_SEND_RING_SIZE   256u  /* per vCPU, a power of two [POLICY] */
#define STUB_SEND_RING_OFFSET 2048u /* in the vCPU's mailbox page */

struct stub_send_ring {
    uint32_t prod; /* stub: entries posted (free-running) */
    uint32_t cons; /* veneerd: entries drained (the stub's full test) */
    uint32_t port[STUB_SEND_RING_SIZE];
};

/* Ports the bitmap covers: all of the 2-level ABI's. */
#define STUB_EVTCHN_PORTS 4096u

/* The event page (veneerd writes, the stub reads). */
struct stub_evtchn_page {
    uint64_t sendable[STUB_EVTCHN_PORTS / 64]; /* bit set: post async */
};

_Static_assert(STUB_SEND_RING_OFFSET >= sizeof(struct stub_mailbox),
               "the send ring follows the mailbox");
_Static_assert(STUB_SEND_RING_OFFSET + sizeof(struct stub_send_ring) <=
                   STUB_PAGE_SIZE,
               "the send ring fits the mailbox page");
_Static_assert(sizeof(struct stub_evtchn_page) <= STUB_PAGE_SIZE,
               "the event page fits");

/*
 * A mapping op: how the stub realises a validated page-table change.
 * MAP is mmap(va, len, prot, MAP_SHARED|MAP_FIXED, STUB_FD_RAM, offset),
 * which the seccomp filter sends to veneerd for approval; UNMAP is munmap.
 *
 * MAP_GRANT maps a page another domain granted (gnttab_map.c):
 * mmap(va, len, prot, MAP_SHARED|MAP_FIXED, fd, offset), then close(fd).
 * fd is a number in [STUB_FD_GRANT_BASE, STUB_FD_GRANT_BASE +
 * STUB_FD_GRANT_COUNT) that is not open in the process: the mmap goes to
 * veneerd as a user notification, and only if it matches the op veneerd
 * sent does veneerd install the granter's RAM file at exactly fd
 * (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SETFD) and let the
 * call continue. The granter's file is never reachable any other way.
 */
enum stub_op_kind {
    STUB_OP_MAP = 1,
    STUB_OP_UNMAP = 2,
    STUB_OP_MAP_GRANT = 3,
};

struct stub_op {
    uint64_t va;
    uint64_t len;
    uint64_t offset;
    uint32_t prot; /* STUB_PROT_* */
    uint16_t kind; /* enum stub_op_kind */
    uint16_t fd;   /* STUB_OP_MAP_GRANT: the file number to map */
};

/* File numbers of grant-map ops: above every file the stub keeps, below
 * its RLIMIT_NOFILE (64), which also bounds SECCOMP_ADDFD_FLAG_SETFD.
 * The filter lets the stub close these and no others. */
#define STUB_FD_GRANT_BASE  32u
#define STUB_FD_GRANT_COUNT 32u

_Static_assert(sizeof(struct stub_op) == 32, "stub_op layout");

#define STUB_MAX_OPS                                                           \
    ((STUB_MBOX_VCPU_PAGES - 1) * STUB_PAGE_SIZE / sizeof(struct stub_op))

_Static_assert(sizeof(struct stub_mailbox) <= STUB_PAGE_SIZE,
               "a vCPU mailbox fits in one page");

/* One guest-virtual range the stub maps from the RAM memfd at start-up. */
struct stub_map {
    uint64_t va;       /* page-aligned guest virtual address */
    uint64_t offset;   /* page-aligned offset in the RAM memfd */
    uint64_t len;      /* page-aligned length */
    uint32_t prot;     /* STUB_PROT_* */
    uint32_t populate; /* 1: pre-fault the range (MAP_POPULATE) */
};

#define STUB_PROT_READ  1u
#define STUB_PROT_WRITE 2u
#define STUB_PROT_EXEC  4u

#define STUB_BOOT_MAGIC 0x56454e4242ULL /* "BBNEV" */

/* Boot states (boot.state), a futex word. */
enum stub_boot_state {
    STUB_BOOT_WRITTEN = 1, /* veneerd: the block is ready */
    STUB_BOOT_LOCKED = 2,  /* stub: mapped, sandboxed; notify_fd is valid */
    STUB_BOOT_GO = 3,      /* veneerd: listener taken, start the guest */
    STUB_BOOT_FAILED = 4,  /* stub: start-up failed at step `error_step` */
};

#define STUB_BOOT_MAX_MAPS                                                     \
    ((STUB_MBOX_BOOT_PAGES * STUB_PAGE_SIZE - 256u) / sizeof(struct stub_map))

/* Written by veneerd before the stub starts; read once by the stub. */
struct stub_boot {
    uint64_t magic;      /* STUB_BOOT_MAGIC */
    uint32_t version;    /* STUB_ABI_VERSION */
    uint32_t state;      /* enum stub_boot_state (futex word) */
    uint32_t uid, gid;   /* unprivileged ids the stub switches to */
    int32_t notify_fd;   /* stub: its seccomp listener fd */
    int32_t error_step;  /* stub: which start-up step failed */
    int32_t error_errno; /* stub: with which errno */
    uint32_t nr_maps;
    uint64_t entry_rip, entry_rsp, entry_rsi; /* guest entry state */
    int32_t parent; /* veneerd's pid: the stub dies with it */
    uint32_t pad;
    uint64_t reserved[23];
    struct stub_map maps[STUB_BOOT_MAX_MAPS];
};

_Static_assert(sizeof(struct stub_boot) <=
                   STUB_MBOX_BOOT_PAGES * STUB_PAGE_SIZE,
               "the boot block fits its pages");

#endif /* VENEER_STUB_ABI_H */
