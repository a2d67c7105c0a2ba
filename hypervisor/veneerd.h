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
};

#define FRAME_ALLOCATED 0x1u /* backs a pseudo-physical page or special */
#define FRAME_PINNED    0x2u /* pinned page table (holds a type ref) */
#define FRAME_VALIDATED 0x4u

struct frame {
    uint32_t type;       /* enum frame_type */
    uint32_t type_count; /* references holding the type */
    uint32_t flags;      /* FRAME_* */
    uint32_t map_count;  /* present L1 entries naming this frame */
    pfn_t pfn;           /* M2P: the guest frame it backs, INVALID_PFN */
    /* Page-table frames only: where they sit in the current tree. */
    gva_t va_base;       /* first address the table's entries cover */
    uint32_t tree_links; /* times the current tree references the table */
    uint32_t tree_prot;  /* STUB_PROT_* rights of the path down to it */
};

struct domain;

int frames_assign(struct domain *d, uint64_t nr_slots);
void frames_release(struct domain *d);
struct domain *frames_owner(mfn_t mfn, uint64_t *slot);
static inline mfn_t frames_mfn(const struct domain *d, uint64_t slot);
static inline bool frames_slot(const struct domain *d, mfn_t mfn,
                               uint64_t *slot);

/* ---- the domain and its vCPUs ---- */
enum domain_state {
    DOM_BUILDING,
    DOM_RUNNING,
    DOM_SHUTDOWN, /* the guest asked: reason in shutdown_reason */
    DOM_CRASHED,  /* faulted, or its process died */
};

struct vcpu {
    unsigned int id;
    struct domain *dom;
    mfn_t cr3; /* current base pointer (an L4 frame) */
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
};

/* A mapping the stub may make once (seccomp user notification). */
struct mm_approval {
    uint64_t va, len, offset;
    uint32_t prot;
    bool live;
};

struct domain {
    domid_t id;
    char name[64];
    enum domain_state state;
    unsigned int shutdown_reason; /* SHUTDOWN_*, valid in DOM_SHUTDOWN */
    uint64_t nr_pages;            /* pseudo-physical pages populated */
    uint64_t max_pages;           /* limit for nr_pages */
    uint64_t vm_assist;           /* enabled VMASST_TYPE_* bits */
    char cmdline[MAX_GUEST_CMDLINE];

    /* RAM: a memfd of nr_slots pages; slot s is machine frame base + s. */
    int ram_fd;
    uint8_t *ram;
    uint64_t nr_slots;
    mfn_t mfn_base;
    struct frame *frames;
    uint64_t shared_info_slot;

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
    int con_fd;                           /* the sink, or -1 */
    int con_clients[CONSOLE_MAX_CLIENTS]; /* attached consoles, or -1 */
    pthread_mutex_t con_lock;             /* guards con_clients */

    /* platform_trap.c */
    pid_t pid;
    int pidfd;
    int mbox_fd;
    uint8_t *mbox;
    int notify_fd;
    bool started; /* the guest was told to run */
    bool paused;  /* not running: not started yet, or stopped */
    pthread_t notifier;
    bool notifier_started;
    struct mm_approval approvals[STUB_MAX_OPS];
    pthread_mutex_t approvals_lock;

    /* mm_realise.c */
    bool realise_full;     /* the incremental view was lost: redo it all */
    bool realise_walking;  /* mm_realise_all is walking the whole tree */
    bool realise_overflow; /* even the full walk overflowed: too scattered */

    pthread_mutex_t mm_lock; /* hypercalls: frames, tables, mappings */
    pthread_mutex_t lock;    /* state, shutdown reason */
};

static inline mfn_t frames_mfn(const struct domain *d, uint64_t slot)
{
    return d->mfn_base + slot;
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

/* console.c */
void console_write(struct domain *d, const char *buf, size_t len);
void console_flush(struct domain *d);
int console_attach(struct domain *d, int fd);
void console_detach_all(struct domain *d);

/* crash_dump.c */
void crash_dump(struct domain *d, const struct stub_mailbox *req);

/* platform_trap.c: the trap platform (the only file that knows the stub) */
int platform_start(struct domain *d, const char *stub_path, bool paused);
void platform_pause(struct domain *d);
void platform_unpause(struct domain *d);
int platform_pidfd(const struct domain *d);
void platform_reap(struct domain *d);
int platform_wait(struct domain *d, int sigfd);
void platform_stop(struct domain *d);
void platform_release(struct domain *d);

#endif /* VENEER_VENEERD_H */
