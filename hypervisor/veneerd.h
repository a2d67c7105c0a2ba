/* SPDX-License-Identifier: MIT */
/*
 * veneerd's internal header: the one header every hypervisor file includes,
 * and all it needs besides the ABI headers and libc.
 *
 * Guest addresses have their own types (gva_t, pfn_t, mfn_t) and become
 * host pointers only through gmem.c.
 */
#ifndef VENEER_VENEERD_H
#define VENEER_VENEERD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xen/grant_table.h>
#include <xen/xen.h>
#include <veneer/platform.h>

#include "veneerd_limits.h"
#include "stub_abi.h"

typedef uint64_t gva_t; /* guest virtual address: never dereferenced */
typedef uint64_t pfn_t; /* guest pseudo-physical frame number */
typedef uint64_t mfn_t; /* machine frame number (veneerd's global space) */

#define PAGE_SHIFT  12
#define PAGE_SIZE   4096ull
#define PAGE_MASK   (~(PAGE_SIZE - 1))
#define INVALID_MFN (~0ull)
#define INVALID_PFN (~0ull)

/* ---- log.c: one logging API (STYLE rule 9) ---- */
extern int log_verbosity;
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* ---- elf_load.c: the guest kernel image ---- */
#define ELF_MAX_SEGMENTS 16 /* [POLICY] PT_LOAD segments per kernel */

struct elf_segment {
    uint64_t offset; /* file offset */
    uint64_t vaddr;  /* where it is loaded (guest virtual) */
    uint64_t filesz;
    uint64_t memsz;
    uint32_t flags; /* PF_R / PF_W / PF_X */
};

struct elf_image {
    const uint8_t *data; /* the whole file, owned by the caller */
    size_t size;
    uint64_t entry;          /* XEN_ELFNOTE_ENTRY, else e_entry */
    uint64_t virt_base;      /* XEN_ELFNOTE_VIRT_BASE, else 0 */
    uint64_t hypercall_page; /* XEN_ELFNOTE_HYPERCALL_PAGE, 0 if none */
    uint64_t vstart, vend;   /* page-aligned extent of all segments */
    bool has_xen_notes;
    char guest_os[32];
    unsigned int nr_segments;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
};

int elf_parse(struct elf_image *img, const uint8_t *data, size_t size,
              char *err, size_t errlen);

/* ---- frames.c: machine frames, owners and types ---- */
enum frame_type {
    FRAME_NONE = 0,
    FRAME_L1,
    FRAME_L2,
    FRAME_L3,
    FRAME_L4,
    FRAME_WRITABLE,
    FRAME_SHARED_INFO,
    FRAME_GRANT_TABLE, /* a grant-table frame: writable, never a table */
};

#define FRAME_FREE      0x1u /* a RAM slot given back (balloon): no page */
#define FRAME_PINNED    0x2u /* pinned page table (holds a type ref) */
#define FRAME_VALIDATED 0x4u

struct frame {
    uint32_t type;       /* enum frame_type */
    uint32_t type_count; /* references holding the type */
    uint32_t flags;      /* FRAME_* */
    uint32_t map_count;  /* present L1 entries naming it, + grant pins */
    uint64_t m2p;        /* M2P, encoded: see frames_pfn() */
    /* Page-table frames only: where they sit in the current tree. */
    gva_t va_base;       /* first address the table's entries cover */
    uint32_t tree_links; /* times the current tree references the table */
    uint32_t tree_prot;  /* STUB_PROT_* rights of the path down to it */
    uint64_t *shadow;    /* validated tables: veneerd's copy (mm_pv.c) */
    uint64_t shadow_idx; /* its place in domain.shadows */
};

struct domain;
struct gnttab_ram;

int frames_assign(struct domain *d, uint64_t nr_slots);
void frames_release(struct domain *d);
struct domain *frames_owner(mfn_t mfn, uint64_t *slot);
static inline mfn_t frames_mfn(const struct domain *d, uint64_t slot);
static inline bool frames_slot(const struct domain *d, mfn_t mfn,
                               uint64_t *slot);

/* ---- evtchn.c: event-channel port tables ---- */
/* Port states, as Xen's ECS_* (EVTCHNSTAT_* on the wire). */
enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,    /* port 0, never allocated */
    ECS_UNBOUND,     /* waits for remote_dom to bind to it */
    ECS_INTERDOMAIN, /* linked to remote_port of table `remote` */
    ECS_VIRQ,        /* raised by veneerd: virq */
    ECS_IPI,         /* a send raises it on notify_vcpu of the same domain */
};

struct evtchn_table;

/*
 * One port. Guarded by its table's lock, except notify_vcpu, which a
 * sender in another domain reads atomically without it (evtchn_link.c).
 */
struct evtchn {
    uint8_t state; /* enum evtchn_state */
    uint8_t pad;
    uint16_t notify_vcpu; /* the vCPU whose vcpu_info gets the selector */
    uint32_t virq;        /* ECS_VIRQ: which */
    domid_t remote_dom;   /* ECS_UNBOUND: who may bind; INTERDOMAIN: peer */
    uint16_t pad2;
    uint32_t remote_port;        /* ECS_INTERDOMAIN: the peer's port */
    struct evtchn_table *remote; /* ECS_INTERDOMAIN: the peer's table */
    /* dom0's ports only (evtchn_dom0.c): the host process's eventfds and
     * its control connection (owner 0: none). Zero in a guest's table. */
    int32_t notify_fd; /* veneerd writes 1 when the port is raised */
    int32_t send_fd;   /* the process writes it to send on the port */
    int32_t owner;
    uint32_t pad3;
};

/*
 * A domain's ports: a guest's (dom set), or dom0's (evtchn_dom0.c: no
 * process; its ports notify host processes through eventfds).
 */
struct evtchn_table {
    domid_t id;
    bool dying;         /* torn down: no new links (under the link lock) */
    bool registered;    /* peers can find it by id (evtchn_link.c) */
    uint32_t nr_ports;  /* entries in ports[], port 0 included */
    struct domain *dom; /* the guest, or NULL for dom0 */
    struct evtchn *ports;
    pthread_mutex_t lock; /* ports[]; see evtchn_link.c for the order */
    /* evtchn_fast.c: the sendable-port bitmap in the mailbox, or NULL. */
    uint64_t *fast_map;
};

/* ---- the domain and its vCPUs ---- */
enum domain_state {
    DOM_BUILDING,
    DOM_RUNNING,
    DOM_SHUTDOWN, /* the guest asked: reason in shutdown_reason */
    DOM_CRASHED,  /* faulted, or its process died */
};

/* Where a vCPU is, for kicks (vcpu.c): running guest code, in veneerd
 * serving a request, or asleep in SCHEDOP_block/poll. */
enum vcpu_run_state {
    VCPU_RUNNING = 0,
    VCPU_IN_HV,
    VCPU_BLOCKED,
};

/* What the vCPU asked to sleep for (sched_block.c). */
enum vcpu_block_kind {
    VCPU_BLOCK_NONE = 0,
    VCPU_BLOCK_EVENT, /* SCHEDOP_block */
    VCPU_BLOCK_POLL,  /* SCHEDOP_poll */
};

/* The guest-visible virtual CPU state of a PV vCPU (Xen's arch.pv). */
struct vcpu_pv {
    gva_t event_callback;    /* CALLBACKTYPE_event entry */
    gva_t failsafe_callback; /* CALLBACKTYPE_failsafe entry */
    gva_t syscall_callback;  /* CALLBACKTYPE_syscall entry (no user mode) */
    gva_t nmi_callback;      /* CALLBACKTYPE_nmi entry (never raised) */
    uint32_t vgc_flags;      /* VGCF_*_disables_events */
    bool cr0_ts;             /* fpu_taskswitch: virtual CR0.TS */
    uint64_t kernel_ss, kernel_sp; /* stack_switch */
    uint64_t gs_base_user;         /* SEGBASE_GS_USER (no user mode yet) */
    struct trap_info *traps;       /* virtual IDT, 256 entries, or NULL */
};

struct vcpu {
    unsigned int id;
    struct domain *dom;
    mfn_t cr3; /* current base pointer (an L4 frame) */
    struct vcpu_pv pv;
    /* The guest's registers while veneerd serves it (vcpu.c): loaded from
     * each request; a handler that changes them sets regs_dirty and the
     * stub resumes with the whole set (STUB_ACT_SET_REGS). */
    struct stub_regs regs;
    bool regs_dirty;
    uint32_t out_flags; /* STUB_OUT_* bases to load with the regs */
    /* upcall.c: this vCPU's vcpu_info, in shared_info or wherever
     * VCPUOP_register_vcpu_info moved it (a RAM slot of the domain). */
    struct vcpu_info *vinfo;
    bool vinfo_registered;
    /* vcpu.c: run state and kicks, under run_lock. */
    pthread_mutex_t run_lock;
    enum vcpu_run_state run_state;
    bool kick_sent;      /* a kick signal is in flight, not yet served */
    uint32_t wake_seq;   /* futex word a blocked server thread sleeps on */
    uint64_t nr_kicks;   /* kick signals sent */
    uint64_t nr_upcalls; /* event upcalls delivered */
    /* sched_block.c: the pending SCHEDOP_block/poll. */
    enum vcpu_block_kind block_kind;
    int64_t poll_port;     /* one port polled, -1 for any, 0 for none */
    uint64_t poll_timeout; /* absolute system time, 0 for none */
    uint32_t block_seq;    /* wake_seq when the block began */
    /* timer.c: deadlines in system time (ns). */
    bool timer_armed;
    uint64_t timer_deadline;
    uint64_t periodic_period, periodic_last; /* period 0: stopped */
    /* evtchn.c: the port each per-vCPU VIRQ is bound to, 0 if none. */
    uint32_t virq_to_evtchn[NR_VIRQS];
    /* evtchn_fast.c: entries of the mailbox's send ring drained so far
     * (veneerd's own count; the ring's copy is guest-writable). */
    uint32_t send_cons;
    /* runstate.c: runstate accounting (ns of system time) and the guest's
     * registered copy (0: none). */
    uint64_t rs_entry, rs_time[4];
    unsigned int rs_state;
    gva_t rs_area;
    /* platform_trap.c */
    struct stub_mailbox *mbox; /* veneerd's view of the mailbox page */
    pthread_t server;
    bool server_started;
    volatile int stop; /* veneerd-private: the server thread should exit */
    uint32_t last_req;
    uint64_t nr_hypercalls;
    int64_t held_ret; /* result owed while mapping ops are still sent */
    /* mm_realise.c: host-mapping ops owed to the stub */
    struct stub_op *ops;
    size_t nr_ops, ops_cap, ops_sent;
    /* The granter's file of each queued STUB_OP_MAP_GRANT (a reference
     * held until the op is sent), NULL for other ops; ops_cap entries. */
    struct gnttab_ram **op_ram;
    /* gnttab_map.c: a grant unmap waits for the stub to say it ran the
     * ops (STUB_REQ_MORE_OPS) before the pins go. */
    bool ops_ack;
};

/* A mapping the stub may make once (seccomp user notification). */
struct mm_approval {
    uint64_t va, len, offset;
    uint32_t prot;
    bool live;
    int32_t fd;             /* STUB_FD_RAM, or a grant op's file number */
    struct gnttab_ram *ram; /* grant ops: the file to install at fd */
};

struct domain {
    domid_t id;
    char name[64];
    enum domain_state state;
    unsigned int shutdown_reason; /* SHUTDOWN_*, valid in DOM_SHUTDOWN */
    uint64_t nr_pages;            /* pseudo-physical pages populated */
    uint64_t max_pages;           /* limit for nr_pages */
    uint64_t vm_assist;           /* enabled VMASST_TYPE_* bits */
    uint64_t balloon_hint;        /* mm_balloon.c: lowest possibly free slot */
    char cmdline[MAX_GUEST_CMDLINE];

    /* RAM: a memfd of nr_slots pages; slot s is machine frame base + s. */
    int ram_fd;
    uint8_t *ram;
    uint64_t nr_slots;
    mfn_t mfn_base;
    struct frame *frames;
    uint64_t shared_info_slot; /* = the RAM pages the domain was made with */
    uint64_t gnttab_slot;      /* first of VN_GNTTAB_MAX_FRAMES table slots */

    /* gnttab*.c: the grant table and maptrack (mm_lock). */
    struct gnttab *gt;
    /* domain.c: references taken by domain_get (atomic). */
    uint32_t refs;

    /* Start-of-day layout (builder_x86.c). */
    gva_t start_info_va;
    gva_t pt_base;
    uint64_t nr_pt_frames;
    gva_t stack_top;
    gva_t virt_end;
    gva_t entry;
    mfn_t store_mfn, console_mfn;          /* the ring pages */
    uint32_t store_evtchn, console_evtchn; /* their ports, 0 if none */

    unsigned int nr_vcpus;
    struct vcpu vcpus[STUB_MAX_VCPUS];

    /* Console line buffer for console_io writes. */
    char con_line[CONSOLE_LINE_MAX];
    size_t con_len;
    int con_fd;           /* the sink, or -1 */
    uint64_t con_log_max; /* cap on bytes written to con_fd, 0: none */
    uint64_t con_logged;  /* bytes written to con_fd so far */
    bool con_log_full;    /* the cap was reached (noted once) */
    char con_prefix[CONSOLE_PREFIX_MAX];  /* put before each line to con_fd */
    int con_clients[CONSOLE_MAX_CLIENTS]; /* attached consoles, or -1 */
    pthread_mutex_t con_lock;             /* guards con_clients */

    /* platform_trap.c */
    pid_t pid;
    int pidfd;
    int mbox_fd;
    uint8_t *mbox;
    int notify_fd;
    int maps_fd;  /* procmaps.c: /proc/PID/maps of the domain process */
    bool started; /* the guest was told to run */
    bool paused;  /* not running: not started yet, or stopped */
    pthread_t notifier;
    bool notifier_started;
    struct mm_approval approvals[STUB_MAX_OPS];
    pthread_mutex_t approvals_lock;
    bool approvals_live; /* some approval is live (under approvals_lock) */

    /* mm_realise.c */
    bool realise_full;     /* the incremental view was lost: redo it all */
    bool realise_walking;  /* mm_realise_all is walking the whole tree */
    bool realise_overflow; /* even the full walk overflowed: too scattered */
    uint64_t walk_budget;  /* table entries a walk may still visit */
    /* mm_pv.c: the slots that have a shadow (the validated tables), so
     * that nothing walks the whole frame table, which stays untouched. */
    uint64_t *shadows;
    uint64_t nr_shadows, shadows_cap;

    /* time.c: TSC value at system time 0. */
    uint64_t tsc_base;

    /* evtchn.c: the port table (VN_EVTCHN_MAX_PORTS entries). */
    struct evtchn_table evtchn;

    pthread_mutex_t mm_lock; /* hypercalls: frames, tables, mappings */
    pthread_mutex_t lock;    /* state, shutdown reason */
};

static inline mfn_t frames_mfn(const struct domain *d, uint64_t slot)
{
    return d->mfn_base + slot;
}

/*
 * The frame table starts zeroed and untouched (its pages cost nothing until
 * written): a zero entry is a RAM frame in use whose M2P entry is its own
 * slot, as the builder lays memory out. So "in use" is the absence of
 * FRAME_FREE, and m2p holds pfn + 1 once set (0: the slot itself,
 * UINT64_MAX: invalid).
 */
static inline bool frames_is_ram(const struct domain *d, uint64_t slot)
{
    return slot < d->shared_info_slot && !(d->frames[slot].flags & FRAME_FREE);
}

static inline pfn_t frames_pfn(const struct domain *d, uint64_t slot)
{
    uint64_t m = d->frames[slot].m2p;

    return m == 0 ? slot : m == UINT64_MAX ? INVALID_PFN : m - 1;
}

static inline void frames_set_pfn(struct domain *d, uint64_t slot, pfn_t pfn)
{
    d->frames[slot].m2p = pfn >= UINT64_MAX - 1 ? UINT64_MAX : pfn + 1;
}

/* True (and *slot set) if d owns machine frame mfn. */
static inline bool frames_slot(const struct domain *d, mfn_t mfn,
                               uint64_t *slot)
{
    if (mfn < d->mfn_base || mfn - d->mfn_base >= d->nr_slots)
        return false;
    *slot = mfn - d->mfn_base;
    return true;
}

/* domain.c */
struct domain *domain_create(const char *name, uint64_t mem_pages);
void domain_destroy(struct domain *d);
int domain_reset(struct domain *d);
struct domain *domain_by_id(domid_t id);
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why);
bool domain_is_stopping(const struct domain *d);
uint8_t *domain_slot_ptr(struct domain *d, uint64_t slot);
struct domain *domain_get(domid_t id);
void domain_put(struct domain *d);

/* builder_x86.c: the PV domain builder */
int builder_build(struct domain *d, const struct elf_image *img,
                  const char *cmdline, char *err, size_t errlen);

/* hypercall_page.c */
void hypercall_page_fill(uint8_t *page);

/* pagetable_x86.c */
#define PT_ENTRIES 512
int pt_for_each_mapping(struct domain *d, mfn_t l4,
                        int (*fn)(void *arg, gva_t va, uint64_t slot,
                                  uint64_t len, uint32_t prot),
                        void *arg);
uint32_t pt_rights(uint64_t pte);
int pt_lookup(struct domain *d, mfn_t l4, gva_t va, uint64_t *slot,
              uint32_t *prot);

/* mm_pv.c: Xen's page-type and reference rules for PV page tables */
int mm_get_type(struct domain *d, uint64_t slot, enum frame_type type);
void mm_put_type(struct domain *d, uint64_t slot);
int mm_get_entry(struct domain *d, unsigned int level, uint64_t pte);
void mm_put_entry(struct domain *d, unsigned int level, uint64_t pte);
int mm_update_entry(struct vcpu *v, uint64_t slot, unsigned int idx,
                    uint64_t val);
uint64_t mm_entry(const struct domain *d, uint64_t slot, unsigned int idx);
void mm_release(struct domain *d);
uint64_t mm_tables(const struct domain *d, const uint64_t **slots);
void mm_entry_set(struct domain *d, uint64_t slot, unsigned int idx,
                  uint64_t val);
int mm_write_data(struct domain *d, uint64_t slot, unsigned int idx,
                  uint64_t val);
int mm_pin(struct domain *d, uint64_t slot, enum frame_type type);
int mm_unpin(struct domain *d, uint64_t slot);
int mm_new_baseptr(struct vcpu *v, uint64_t slot);
unsigned int mm_level_of(const struct frame *f);

/* mm_balloon.c */
int64_t balloon_op(struct vcpu *v, unsigned int op, uint64_t start, gva_t arg);

/* mm_realise.c: keeping host mappings equal to the validated tables */
void mm_tree_entry_changed(struct vcpu *v, uint64_t slot, unsigned int idx,
                           uint64_t old, uint64_t val);
void mm_realise_all(struct vcpu *v);
int mm_ops_add(struct vcpu *v, uint32_t kind, gva_t va, uint64_t len,
               uint64_t offset, uint32_t prot);
void mm_ops_reset(struct vcpu *v);
int mm_ops_add_grant(struct vcpu *v, gva_t va, uint64_t offset, uint32_t prot,
                     struct gnttab_ram *ram);

/* ---- gnttab*.c: grant tables, version 1 ---- */
/* The L1 entry of a grant mapping carries Xen's _PAGE_GNTTAB (bit 22 of
 * its flag encoding, PTE bit 62): veneerd writes it, a guest may not. */
#define PTE_GNTTAB (1ull << 62)

/*
 * A granter's RAM file as the mappers of its pages hold it: it outlives
 * the domain for as long as anyone maps one of its pages (a maptrack
 * entry, a queued or approved grant-map op, a dom0 mapping), so a
 * mapping never names a file veneerd closed. Counted atomically.
 */
struct gnttab_ram {
    int rw_fd;     /* a duplicate of the RAM memfd */
    int ro_fd;     /* the same file opened read-only (read-only grants) */
    uint32_t refs; /* holders */
    domid_t domid; /* the granter, for logs */
};

/*
 * Pin counts of an active grant, as Xen encodes them: four 8-bit
 * counters; a counter with its top bit set takes no more pins.
 */
#define GNTPIN_HSTW         0x00000001u /* writable host mapping or copy */
#define GNTPIN_HSTR         0x00000100u /* read-only host mapping or copy */
#define GNTPIN_DEVW         0x00010000u /* writable device mapping */
#define GNTPIN_DEVR         0x01000000u /* read-only device mapping */
#define GNTPIN_WRITERS_MASK 0x00ff00ffu /* HSTW and DEVW counters */

/* An entry in use (Xen's active_grant_entry): under the granter's
 * mm_lock. */
struct gnttab_active {
    uint32_t pin;  /* GNTPIN_* counts; 0: not in use */
    domid_t domid; /* the domain holding the pins */
    uint64_t slot; /* the granter's RAM slot, fixed by the first pin */
};

/* States of a maptrack entry (gnttab_map.c). */
enum gnttab_map_state {
    GNTTAB_MAP_FREE = 0,
    GNTTAB_MAP_LIVE,      /* mapped; `flags` says how */
    GNTTAB_MAP_RELEASING, /* a thread is dropping its pins, unlocked */
};

/* A mapping made by map_grant_ref (Xen's maptrack entry): under the
 * mapper's mm_lock. */
struct gnttab_map {
    uint32_t state;     /* enum gnttab_map_state */
    uint32_t flags;     /* GNTMAP_host_map/device_map still held, +ro */
    uint32_t pend;      /* GNTPIN_* to drop once the stub acknowledges */
    grant_ref_t ref;    /* in the granter's table */
    domid_t dom;        /* the granter */
    bool listed;        /* on the list waiting for the acknowledgement */
    mfn_t mfn;          /* the granted frame */
    uint64_t offset;    /* its page in the granter's RAM file */
    uint64_t host_addr; /* as mapped: a va, or a PTE's machine address */
    struct gnttab_ram *ram;
    uint32_t next; /* free list, or the acknowledgement list */
};

/* One domain's grant table and maptrack. */
struct gnttab {
    uint32_t nr_frames; /* table frames in use (setup_table grows it) */
    struct gnttab_active *active[VN_GNTTAB_MAX_FRAMES]; /* per frame */
    struct gnttab_ram *ram;  /* this domain's RAM file, as granter */
    struct gnttab_map *maps; /* maptrack, grown on demand */
    uint32_t maps_cap;       /* entries allocated */
    uint32_t maps_free;      /* head of the free list, or UINT32_MAX */
    uint32_t maps_used;      /* entries not free */
    uint32_t acks;           /* head of the acknowledgement list */
    bool dead;               /* the process is gone: no new mappings */
};

/* gnttab.c */
int gnttab_domain_init(struct domain *d);
int gnttab_build(struct domain *d);
int gnttab_domain_reset(struct domain *d);
void gnttab_domain_destroy(struct domain *d);
struct gnttab_ram *gnttab_ram_get(struct gnttab_ram *r);
void gnttab_ram_put(struct gnttab_ram *r);
void gnttab_lock_pair(struct domain *own, struct domain *rd);
void gnttab_unlock_other(struct domain *own, struct domain *rd);
void gnttab_unpin_remote(struct domain *own, domid_t dom, grant_ref_t ref,
                         uint32_t inc, const struct gnttab_ram *ram);
int64_t hc_grant_table_op(struct vcpu *v, const uint64_t a[5]);

/* gnttab_pin.c: the grant-entry protocol and pin counts */
uint32_t gnttab_nr_entries(const struct domain *d);
volatile struct grant_entry_v1 *gnttab_entry(struct domain *d, grant_ref_t ref);
int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, uint32_t inc,
               bool map, uint64_t *slot);
void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t inc);
bool gnttab_in_use(const struct domain *d);
void gnttab_seed(struct domain *d, grant_ref_t ref, domid_t domid, mfn_t mfn);

/* gnttab_map.c: map_grant_ref and unmap_grant_ref for PV mappers */
int64_t gnttab_op_map(struct vcpu *v, gva_t uop, uint32_t count);
int64_t gnttab_op_unmap(struct vcpu *v, gva_t uop, uint32_t count);
bool gnttab_map_source(struct domain *d, uint64_t pte, struct gnttab_ram **ram,
                       uint64_t *offset);
void gnttab_ops_acked(struct vcpu *v);
void gnttab_domain_dead(struct domain *d);

/* gnttab_copy.c */
int64_t gnttab_op_copy(struct vcpu *v, gva_t uop, uint32_t count);

/* gnttab_dom0.c: grants to dom0's host processes, over the control
 * socket */
int gnttab_dom0_map(int owner, domid_t dom, grant_ref_t ref, bool readonly,
                    uint32_t *handle, uint64_t *offset, int *fd);
int gnttab_dom0_unmap(int owner, uint32_t handle);
int gnttab_dom0_copy(domid_t dom, grant_ref_t ref, uint32_t offset, void *buf,
                     uint32_t len, bool to_guest);
void gnttab_dom0_release(int owner);

/* gmem.c: the one checked guest-memory accessor */
int gmem_copy_from(struct vcpu *v, void *dst, gva_t src, size_t len);
int gmem_copy_to(struct vcpu *v, gva_t dst, const void *src, size_t len);

/* hypercall.c */
struct hypercall_args {
    uint64_t nr;
    uint64_t a[5];
};
typedef int64_t (*hypercall_fn)(struct vcpu *v, const uint64_t a[5]);
int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *hc);

int64_t hc_xen_version(struct vcpu *v, const uint64_t a[5]);
int64_t hc_console_io(struct vcpu *v, const uint64_t a[5]);
int64_t hc_sched_op(struct vcpu *v, const uint64_t a[5]);
int64_t hc_vm_assist(struct vcpu *v, const uint64_t a[5]);
int64_t hc_memory_op(struct vcpu *v, const uint64_t a[5]);
int64_t hc_multicall(struct vcpu *v, const uint64_t a[5]);
int64_t hc_mmu_update(struct vcpu *v, const uint64_t a[5]);
int64_t hc_update_va_mapping(struct vcpu *v, const uint64_t a[5]);
int64_t hc_mmuext_op(struct vcpu *v, const uint64_t a[5]);

int64_t hc_set_trap_table(struct vcpu *v, const uint64_t a[5]);
int64_t hc_stack_switch(struct vcpu *v, const uint64_t a[5]);
int64_t hc_fpu_taskswitch(struct vcpu *v, const uint64_t a[5]);
int64_t hc_set_segment_base(struct vcpu *v, const uint64_t a[5]);
int64_t hc_set_callbacks(struct vcpu *v, const uint64_t a[5]);
int64_t hc_callback_op(struct vcpu *v, const uint64_t a[5]);
int64_t hc_iret(struct vcpu *v, const uint64_t a[5]);
int64_t hc_vcpu_op(struct vcpu *v, const uint64_t a[5]);
int64_t hc_set_timer_op(struct vcpu *v, const uint64_t a[5]);
int64_t hc_event_channel_op(struct vcpu *v, const uint64_t a[5]);

/* hc_version.c: the Xen interface version Veneer follows: 4.19. */
#define VN_XEN_MAJOR 4
#define VN_XEN_MINOR 19

/* ---- time.c: system time, pvclock and wallclock ---- */
/* TSC -> ns as pvclock does it: ((tsc_delta <<>> shift) * mul) >> 32. */
struct time_scale {
    uint32_t mul;
    int8_t shift;
};

void time_scale_from_ratio(struct time_scale *ts, uint64_t ns, uint64_t cycles);
uint64_t time_scale_delta(uint64_t delta, const struct time_scale *ts);
const struct time_scale *time_host_scale(void);
uint64_t time_tsc_khz(void);
uint64_t time_now(const struct domain *d);
uint64_t time_ns_until(const struct domain *d, uint64_t deadline);
void time_domain_start(struct domain *d);
void time_vcpu_update(struct vcpu *v, bool force);

/* ---- timer.c: the per-vCPU singleshot and periodic timers ---- */
void timer_set_singleshot(struct vcpu *v, uint64_t deadline);
void timer_stop_singleshot(struct vcpu *v);
void timer_set_periodic(struct vcpu *v, uint64_t period_ns);
uint64_t timer_next(const struct vcpu *v);
void timer_run(struct vcpu *v);

/* ---- evtchn_2l.c: Xen's 2-level pending/mask/selector bits ---- */
#define EVTCHN_2L_NEWLY_PENDING 0x1u /* the port went pending: pollers */
#define EVTCHN_2L_NOTIFY        0x2u /* selector bit set: mark vCPU */
unsigned int evtchn_2l_set_pending(struct shared_info *s, struct vcpu_info *vi,
                                   uint32_t port);
bool evtchn_2l_unmask(struct shared_info *s, struct vcpu_info *vi,
                      uint32_t port);
bool evtchn_2l_is_pending(const struct shared_info *s, uint32_t port);
void evtchn_2l_clear_pending(struct shared_info *s, uint32_t port);
bool evtchn_2l_mark_events_pending(struct vcpu_info *vi);

/* ---- evtchn.c: port tables, local ports and event_channel_op ---- */
int evtchn_table_init(struct evtchn_table *t, domid_t id, struct domain *d,
                      uint32_t nr_ports);
int evtchn_domain_init(struct domain *d);
void evtchn_domain_close(struct domain *d);
void evtchn_domain_reset(struct domain *d);
void evtchn_domain_destroy(struct domain *d);
void evtchn_set_pending(struct domain *d, uint32_t port);
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
bool evtchn_port_valid(const struct domain *d, uint32_t port);
bool evtchn_port_pending(struct domain *d, uint32_t port);
int64_t evtchn_get_free_port(struct evtchn_table *t);
void evtchn_port_set(struct evtchn_table *t, uint32_t port,
                     const struct evtchn *e);
void evtchn_port_free(struct evtchn_table *t, uint32_t port);
void evtchn_notify(struct evtchn_table *t, uint32_t port);

/* ---- evtchn_link.c: interdomain channels, send, close, status ---- */
void evtchn_link_register(struct evtchn_table *t);
void evtchn_link_teardown(struct evtchn_table *t, bool unregister);
void evtchn_link_reopen(struct evtchn_table *t);
int64_t evtchn_alloc_unbound_port(struct evtchn_table *t, domid_t remote,
                                  const struct evtchn *tmpl);
int64_t evtchn_bind_interdomain_port(struct evtchn_table *t, domid_t remote,
                                     uint32_t remote_port,
                                     const struct evtchn *tmpl);
int64_t evtchn_close_port(struct evtchn_table *t, uint32_t port);
int64_t evtchn_send_port(struct evtchn_table *t, uint32_t port);
int64_t evtchn_op_alloc_unbound(struct vcpu *v, gva_t arg);
int64_t evtchn_op_bind_interdomain(struct vcpu *v, gva_t arg);
int64_t evtchn_op_status(struct vcpu *v, gva_t arg);
int64_t evtchn_op_reset(struct vcpu *v, gva_t arg);

/* ---- evtchn_dom0.c: dom0's ports, for host processes ---- */
struct evtchn_table *evtchn_dom0_table(void);
void evtchn_dom0_notify(uint32_t port);
void evtchn_dom0_virq(unsigned int virq);
int evtchn_dom0_alloc_unbound(int owner, domid_t remote, uint32_t *port,
                              int fds[2]);
int evtchn_dom0_bind_interdomain(int owner, domid_t remote,
                                 uint32_t remote_port, uint32_t *port,
                                 int fds[2]);
int evtchn_dom0_bind_virq(int owner, uint32_t virq, uint32_t *port, int fds[2]);
int evtchn_dom0_close(int owner, uint32_t port);
int evtchn_dom0_send(int owner, uint32_t port);
int evtchn_dom0_status(int owner, uint32_t port, struct evtchn *out);
void evtchn_dom0_release(int owner);
int evtchn_dom0_pollfd(void);
void evtchn_dom0_service(void);

/* ---- evtchn_fast.c: sends the stub posts without waiting ---- */
void evtchn_fast_attach(struct domain *d, uint64_t *map);
void evtchn_fast_detach(struct domain *d);
void evtchn_fast_update(struct evtchn_table *t, uint32_t port);
bool evtchn_fast_pending(struct vcpu *v);
void evtchn_fast_drain(struct vcpu *v);

/* ---- upcall.c: event upcalls to the guest's callback ---- */
struct shared_info *upcall_shared_info(struct domain *d);
struct vcpu_info *upcall_vcpu_info(struct vcpu *v);
void upcall_mark_pending(struct vcpu *v);
bool upcall_deliverable(struct vcpu *v);
void upcall_on_resume(struct vcpu *v);
int upcall_register_vcpu_info(struct vcpu *v, uint64_t mfn, uint32_t offset);

/* ---- bounce_x86.c: Xen's x86-64 PV bounce frame ---- */
/* RFLAGS bits the bounce and iret paths rewrite (SDM vol. 1, 3.4.3). */
#define X86_EFLAGS_TF   0x00000100ull
#define X86_EFLAGS_IF   0x00000200ull
#define X86_EFLAGS_IOPL 0x00003000ull
#define X86_EFLAGS_NT   0x00004000ull
#define X86_EFLAGS_RF   0x00010000ull
#define X86_EFLAGS_VM   0x00020000ull
#define X86_EFLAGS_AC   0x00040000ull

/* A canonical x86-64 address: bits 63..47 all equal (SDM vol. 1, 3.3.7.1). */
static inline bool x86_is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

#define BOUNCE_ERRCODE   0x1u /* push an error code */
#define BOUNCE_INTERRUPT 0x2u /* mask events (evtchn_upcall_mask = 1) */
#define BOUNCE_FRAME_MAX 8    /* words: rcx r11 [err] rip cs rflags rsp ss */

struct bounce_frame {
    gva_t va;              /* where the frame goes (the new rsp) */
    unsigned int nr_words; /* 7, or 8 with an error code */
    uint64_t w[BOUNCE_FRAME_MAX];
};

int bounce_build(struct stub_regs *r, uint8_t saved_mask, gva_t entry,
                 unsigned int flags, uint32_t err, struct bounce_frame *f);
int bounce_push(struct vcpu *v, gva_t entry, unsigned int flags, uint32_t err);

/* ---- trap_x86.c: guest faults bounced to the virtual IDT ---- */
uint32_t trap_pf_error_code(uint64_t host_err, bool guest_present);
void trap_fault(struct vcpu *v, const struct stub_mailbox *req);

/* ---- emul_x86.c: native instructions Xen allows and the host refuses ---- */
bool emul_iretq(struct vcpu *v);

/* ---- cpuid_x86.c: Xen's forced-emulation CPUID ---- */
struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};
void cpuid_leaf(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
bool cpuid_emulate(struct vcpu *v);

/* ---- vcpu.c: run state, kicks and sleeping without CPU ---- */
void vcpu_init(struct vcpu *v);
void vcpu_reset(struct vcpu *v);
void vcpu_release(struct vcpu *v);
void vcpu_enter(struct vcpu *v, const struct stub_regs *regs, bool kicked);
void vcpu_resume(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
void vcpu_unblock(struct vcpu *v);
void vcpu_wake_pollers(struct domain *d, uint32_t port);
void vcpu_wait(struct vcpu *v);
uint64_t vcpu_next_deadline(const struct vcpu *v);

/* ---- runstate.c: time spent running and blocked ---- */
struct vcpu_runstate_info;
void runstate_get(struct vcpu *v, struct vcpu_runstate_info *rs);
void runstate_change(struct vcpu *v, unsigned int state);
int runstate_register(struct vcpu *v, gva_t area);

/* ---- sched_block.c: SCHEDOP_block and SCHEDOP_poll ---- */
int64_t sched_block(struct vcpu *v);
int64_t sched_poll(struct vcpu *v, gva_t arg);

/* console.c */
void console_write(struct domain *d, const char *buf, size_t len);
void console_flush(struct domain *d);
int console_attach(struct domain *d, int fd);
void console_detach_all(struct domain *d);

/* crash_dump.c */
void crash_dump(struct domain *d, const struct stub_mailbox *req);
void crash_dump_regs(struct domain *d, const char *why,
                     const struct stub_regs *r);

/* procmaps.c: what the kernel says the domain process maps */
int procmaps_open(struct domain *d);
void procmaps_close(struct domain *d);
int procmaps_maps_page(struct domain *d, int fd, uint64_t offset);

/* platform_trap.c: the trap platform (the only file that knows the stub) */
int platform_start(struct domain *d, const char *stub_path, bool paused);
void platform_pause(struct domain *d);
void platform_unpause(struct domain *d);
int platform_pidfd(const struct domain *d);
void platform_reap(struct domain *d);
int platform_wait(struct domain *d, int sigfd);
void platform_stop(struct domain *d);
void platform_release(struct domain *d);
void platform_kick(struct vcpu *v);

#endif /* VENEER_VENEERD_H */
