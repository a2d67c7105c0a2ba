/* SPDX-License-Identifier: MIT */
/*
 * Core of the Xen guest ABI as Veneer implements it: hypercall numbers and
 * calling convention, domain ids, the PV MMU hypercalls, multicall, and the
 * three shared structures every PV guest starts from (start_info,
 * shared_info, vcpu_info).
 *
 * Every number is a Xen ABI fact from shared/design/XEN-ABI-FACTS.md; the
 * identifiers are Xen's so that ported guest code compiles unchanged; the
 * text is Veneer's. Layouts are x86-64 only and checked at compile time.
 *
 * Conventions used in every header under abi/xen/:
 *   IN        written by the caller, read by the hypervisor
 *   OUT       written by the hypervisor, read by the caller
 *   [guest], [hypervisor], [frontend], [backend]
 *             who writes a field of a shared page
 *   handle    a guest virtual address held in a 64-bit field
 *             (XEN_GUEST_HANDLE); never a C pointer, so that the layout is
 *             identical in guests, veneerd and dom0 tools
 *
 * Usable from C and from assembly (-D__ASSEMBLY__): assembly sees only
 * the constants.
 */
#ifndef VENEER_ABI_XEN_XEN_H
#define VENEER_ABI_XEN_XEN_H

#include "arch-x86/xen.h"

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#endif

/*
 * Hypercall calling convention (64-bit PV, XEN-ABI-FACTS §1.1):
 *
 *   rax = hypercall number; rdi, rsi, rdx, r10, r8 = arguments 1..5;
 *   `syscall`; result in rax (negative XEN_E* on failure, errno.h).
 *
 * 1. Only rax is defined on return: every argument register, and rcx/r11
 *    (clobbered by `syscall`), may be changed.
 * 2. An unknown number returns -XEN_ENOSYS.
 * 3. Hypercall page: a guest that names one with XEN_ELFNOTE_HYPERCALL_PAGE
 *    gets a page of 128 stubs of 32 bytes; hypercall N is `call page+N*32`.
 *    Each stub saves rcx and r11, loads eax, issues `syscall`, restores
 *    them and returns. The iret stub (23) does not return: `jmp` to it with
 *    a struct iret_context on the stack. Unused bytes are 0xCC.
 * 4. Veneer: the guest kernel runs at CPL 3 in a host process; every
 *    `syscall` it executes is a hypercall (ARCHITECTURE.md).
 */
#define __HYPERVISOR_set_trap_table                0  /* virtual IDT */
#define __HYPERVISOR_mmu_update                    1  /* PT/M2P writes */
#define __HYPERVISOR_set_gdt                       2  /* load a GDT */
#define __HYPERVISOR_stack_switch                  3  /* kernel ss:sp */
#define __HYPERVISOR_set_callbacks                 4  /* PV entry points */
#define __HYPERVISOR_fpu_taskswitch                5  /* set/clear CR0.TS */
#define __HYPERVISOR_sched_op_compat               6  /* legacy; use 29 */
#define __HYPERVISOR_platform_op                   7  /* privileged */
#define __HYPERVISOR_set_debugreg                  8  /* write a DR */
#define __HYPERVISOR_get_debugreg                  9  /* read a DR */
#define __HYPERVISOR_update_descriptor             10 /* write a descriptor */
#define __HYPERVISOR_memory_op                     12 /* memory.h */
#define __HYPERVISOR_multicall                     13 /* batch of calls */
#define __HYPERVISOR_update_va_mapping             14 /* write one L1 PTE */
#define __HYPERVISOR_set_timer_op                  15 /* one-shot timer */
#define __HYPERVISOR_event_channel_op_compat       16 /* legacy; use 32 */
#define __HYPERVISOR_xen_version                   17 /* version.h */
#define __HYPERVISOR_console_io                    18 /* debug console */
#define __HYPERVISOR_physdev_op_compat             19 /* legacy */
#define __HYPERVISOR_grant_table_op                20 /* grant_table.h */
#define __HYPERVISOR_vm_assist                     21 /* VMASST_* */
#define __HYPERVISOR_update_va_mapping_otherdomain 22 /* PTE, foreign */
#define __HYPERVISOR_iret                          23 /* return from bounce */
#define __HYPERVISOR_vcpu_op                       24 /* vcpu.h */
#define __HYPERVISOR_set_segment_base              25 /* FS/GS bases */
#define __HYPERVISOR_mmuext_op                     26 /* pin, baseptr, flush */
#define __HYPERVISOR_xsm_op                        27 /* FLASK */
#define __HYPERVISOR_nmi_op                        28 /* NMI callback */
#define __HYPERVISOR_sched_op                      29 /* sched.h */
#define __HYPERVISOR_callback_op                   30 /* callback.h */
#define __HYPERVISOR_xenoprof_op                   31 /* dropped in Xen 4.22 */
#define __HYPERVISOR_event_channel_op              32 /* event_channel.h */
#define __HYPERVISOR_physdev_op                    33 /* physical devices */
#define __HYPERVISOR_hvm_op                        34 /* HVM params */
#define __HYPERVISOR_sysctl                        35 /* privileged */
#define __HYPERVISOR_domctl                        36 /* privileged */
#define __HYPERVISOR_kexec_op                      37 /* privileged */
#define __HYPERVISOR_tmem_op                       38 /* removed; reserved */
#define __HYPERVISOR_argo_op                       39 /* Argo IPC */
#define __HYPERVISOR_xenpmu_op                     40 /* PMU */
#define __HYPERVISOR_dm_op                         41 /* device models */
#define __HYPERVISOR_hypfs_op                      42 /* hypervisor FS */

/* Architecture-specific hypercalls (x86 uses: arch-x86/xen.h). */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/*
 * Virtual interrupts (VIRQs), bound to ports with EVTCHNOP_bind_virq
 * (XEN-ABI-FACTS §4.3). Class V is per vCPU (bind once per vCPU, fixed);
 * D is per domain and G global (bind on vCPU 0, move with bind_vcpu).
 */
#define VIRQ_TIMER      0  /* V: timer expired (set_timer_op, VCPUOP) */
#define VIRQ_DEBUG      1  /* V: request to dump debug state */
#define VIRQ_CONSOLE    2  /* G: bytes on the hypervisor console (dom0) */
#define VIRQ_DOM_EXC    3  /* G: a domain shut down or crashed (dom0) */
#define VIRQ_TBUF       4  /* G: trace buffer */
#define VIRQ_DEBUGGER   6  /* G: a domain paused for the debugger */
#define VIRQ_XENOPROF   7  /* V: profiling */
#define VIRQ_CON_RING   8  /* G: console ring */
#define VIRQ_PCPU_STATE 9  /* G: physical CPU state changed */
#define VIRQ_MEM_EVENT  10 /* G: memory event */
#define VIRQ_ARGO       11 /* D: Argo message */
#define VIRQ_ENOMEM     12 /* G: hypervisor low on memory */
#define VIRQ_XENPMU     13 /* V: PMU interrupt */
#define VIRQ_ARCH_0     16 /* 16..23: per-architecture; x86 uses none */
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24 /* valid VIRQs are < NR_VIRQS (5 is unused) */

/*
 * mmu_update(struct mmu_update *req, unsigned count, unsigned *done,
 *            unsigned foreigndom)                      (hypercall 1)
 *
 * Applies `count` requests in order. The command is in ptr bits 1:0:
 *
 * MMU_NORMAL_PT_UPDATE: write `val` into the PTE at machine address
 *   ptr & ~3 (8-byte aligned), after validating it against the rules of
 *   XEN-ABI-FACTS §8.4: the table frame must belong to the PFD domain and
 *   have a page-table type; a present entry must reference a frame the FD
 *   domain owns (L1) or a valid lower-level table (L2..L4); a frame used
 *   as a page table is never mappable writable.
 * MMU_MACHPHYS_UPDATE: M2P[ptr >> 12] = val (keeps the M2P in step when the
 *   guest swaps P2M entries). The frame must belong to the caller.
 * MMU_PT_UPDATE_PRESERVE_AD: as NORMAL, but the old Accessed/Dirty bits are
 *   ORed into the new value atomically.
 * MMU_PT_UPDATE_NO_TRANSLATE: as NORMAL; `val` is never translated through
 *   the foreign domain's P2M.
 *
 * foreigndom: bits 15:0 = FD, owner expected for mapped data frames
 * (DOMID_SELF, DOMID_IO, DOMID_XEN or a domain the caller may map);
 * bits 31:16 = PFD + 1, owner of the page-table frames (0 = self).
 * done (OUT, may be NULL): number of requests completed.
 * Returns 0, or -errno at the first failing request (done says where).
 */
#define MMU_NORMAL_PT_UPDATE       0 /* checked PTE write */
#define MMU_MACHPHYS_UPDATE        1 /* M2P entry write */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* PTE write keeping A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* PTE write, no foreign P2M */

/*
 * mmuext_op(struct mmuext_op *op, unsigned count, unsigned *done,
 *           unsigned foreigndom)                      (hypercall 26)
 *
 * Extended MMU commands, applied in order; done/foreigndom as mmu_update.
 *
 *  #  command             arg1         arg2      effect
 *  0  PIN_L1_TABLE        mfn          -         validate as L1 and pin
 *  1  PIN_L2_TABLE        mfn          -         ... as L2
 *  2  PIN_L3_TABLE        mfn          -         ... as L3
 *  3  PIN_L4_TABLE        mfn          -         ... as L4 (Xen slots filled)
 *  4  UNPIN_TABLE         mfn          -         drop the pin
 *  5  NEW_BASEPTR         mfn          -         new kernel CR3 (validated L4)
 *  6  TLB_FLUSH_LOCAL     -            -         flush this vCPU's TLB
 *  7  INVLPG_LOCAL        linear_addr  -         flush one VA, this vCPU
 *  8  TLB_FLUSH_MULTI     -            vcpumask  flush listed vCPUs
 *  9  INVLPG_MULTI        linear_addr  vcpumask  one VA, listed vCPUs
 * 10  TLB_FLUSH_ALL       -            -         flush all vCPUs
 * 11  INVLPG_ALL          linear_addr  -         one VA, all vCPUs
 * 12  FLUSH_CACHE         -            -         wbinvd (privileged)
 * 13  SET_LDT             linear_addr  nr_ents   load an LDT (page aligned)
 * 15  NEW_USER_BASEPTR    mfn          -         user-mode CR3 (x86-64)
 * 16  CLEAR_PAGE          mfn          -         zero a frame
 * 17  COPY_PAGE           mfn (dest)   src_mfn   copy a frame
 * 18  FLUSH_CACHE_GLOBAL  -            -         wbinvd on all CPUs
 * 19  MARK_SUPER          mfn          -         legacy superpage interface
 * 20  UNMARK_SUPER        mfn          -         legacy superpage interface
 *
 * Notes:
 * 1. Pinning holds a type reference so a table stays validated while not
 *    in use. Build bottom-up: fill, remap read-only, pin, install.
 * 2. UNPIN_TABLE of the current base pointer fails; switch first.
 * 3. vcpumask is a handle to a bitmap of vCPU ids (xen_ulong_t words).
 * 4. Number 14 is unused.
 */
#define MMUEXT_PIN_L1_TABLE       0
#define MMUEXT_PIN_L2_TABLE       1
#define MMUEXT_PIN_L3_TABLE       2
#define MMUEXT_PIN_L4_TABLE       3
#define MMUEXT_UNPIN_TABLE        4
#define MMUEXT_NEW_BASEPTR        5
#define MMUEXT_TLB_FLUSH_LOCAL    6
#define MMUEXT_INVLPG_LOCAL       7
#define MMUEXT_TLB_FLUSH_MULTI    8
#define MMUEXT_INVLPG_MULTI       9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

/*
 * update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
 *                                                     (hypercall 14)
 * update_va_mapping_otherdomain(va, val, flags, domid) (hypercall 22)
 *
 * Writes the L1 PTE that maps `va` in the current page tables, validated as
 * MMU_NORMAL_PT_UPDATE, then flushes as `flags` say: the flush type in bits
 * 1:0 and the scope in the remaining bits (UVMF_LOCAL, UVMF_ALL, or else a
 * guest pointer to a vCPU bitmap, UVMF_MULTI).
 */
#define UVMF_NONE           (xen_mk_ulong(0) << 0) /* no flush */
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0) /* flush whole TLB */
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0) /* flush this VA only */
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0) /* flush-type bits */
#define UVMF_MULTI          (xen_mk_ulong(0) << 2) /* scope: vCPU bitmap ptr */
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2) /* scope: this vCPU */
#define UVMF_ALL            (xen_mk_ulong(1) << 2) /* scope: all vCPUs */

/*
 * console_io(int cmd, unsigned count, char *buffer)   (hypercall 18)
 *
 * CONSOLEIO_write: write `count` bytes to the hypervisor's console; for a
 *   domU only printable characters are kept and output may be buffered up
 *   to a newline. Returns 0 or -errno.
 * CONSOLEIO_read: read up to `count` bytes (console/hardware domain only);
 *   returns the number of bytes read.
 * Permission: on Xen only the console or hardware domain may use it (a
 * domU gets -XEN_EPERM unless Xen is a debug build); Veneer's policy is set
 * by veneerd and documented there.
 */
#define CONSOLEIO_write 0 /* output bytes */
#define CONSOLEIO_read  1 /* input bytes (privileged) */

/*
 * vm_assist(unsigned cmd, unsigned type)              (hypercall 21)
 *
 * Enables or disables an optional hypervisor assist for the domain.
 * Returns 0, or -XEN_EINVAL for an unknown or unsupported type.
 */
#define VMASST_CMD_enable                0  /* turn the assist on */
#define VMASST_CMD_disable               1  /* turn it off */
#define VMASST_TYPE_4gb_segments         0  /* emulate 4GiB segments (x86-32) */
#define VMASST_TYPE_4gb_segments_notify  1  /* notify on such emulation */
#define VMASST_TYPE_writable_pagetables  2  /* trap+validate L1 writes (PV) */
#define VMASST_TYPE_pae_extended_cr3     3  /* PAE L3 above 4GiB (x86-32) */
#define VMASST_TYPE_architectural_iopl   4  /* IOPL as hardware defines it */
#define VMASST_TYPE_runstate_update_flag 5  /* XEN_RUNSTATE_UPDATE bit */
#define VMASST_TYPE_m2p_strict           32 /* strict M2P view (PV64) */

/*
 * Domain ids. Ordinary domains are 0..DOMID_FIRST_RESERVED-1; the values
 * from DOMID_FIRST_RESERVED up have fixed meanings wherever a domid_t is
 * accepted.
 */
#define DOMID_FIRST_RESERVED 0x7FF0 /* first special value */
#define DOMID_SELF           0x7FF0 /* the calling domain */
#define DOMID_IO             0x7FF1 /* owner of I/O (MMIO) frames */
#define DOMID_XEN            0x7FF2 /* owner of hypervisor frames */
#define DOMID_COW            0x7FF3 /* owner of shared copy-on-write frames */
#define DOMID_INVALID        0x7FF4 /* no domain */
#define DOMID_ANY            0x7FF5 /* any domain (wildcard) */
#define DOMID_IDLE           0x7FFF /* the idle domain */
#define DOMID_MASK           0x7FFF /* bits that hold a domid */

/*
 * vcpu_time_info.flags bits.
 */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0) /* TSC is stable across vCPUs */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1) /* guest was paused */

/*
 * start_info.flags (SIF_*); also hvm_start_info.flags.
 */
#define SIF_PRIVILEGED      (1 << 0) /* domain is privileged */
#define SIF_INITDOMAIN      (1 << 1) /* domain is the initial domain (dom0) */
#define SIF_MULTIBOOT_MOD   (1 << 2) /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1 << 3) /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1 << 4) /* toolstack uses the virtual P2M */
#define SIF_PM_MASK         (0xFF << 8) /* power-management bits (dom0) */

/* Bytes in start_info.cmd_line, including the terminating NUL. */
#define MAX_GUEST_CMDLINE 1024

#ifndef __ASSEMBLY__

/*
 * XEN_GUEST_HANDLE(type): a field holding a guest virtual address of
 * `type` objects. It is a plain uint64_t so the layout never depends on
 * the compiler's pointer size; `type` only documents what the address
 * points at. set_xen_guest_handle(field, ptr) stores a pointer into one.
 * The hypervisor never dereferences it directly: it copies through its
 * checked guest-memory accessor (STYLE.md rule 6).
 */
#define XEN_GUEST_HANDLE(type)         uint64_t
#define XEN_GUEST_HANDLE_64(type)      uint64_t
#define set_xen_guest_handle(hnd, val) ((hnd) = (uint64_t)(uintptr_t)(val))

/* A domain id (0..0x7FEF, or one of the DOMID_* values). */
typedef uint16_t domid_t;

/* A domain's 16-byte UUID, as the toolstack set it. */
typedef uint8_t xen_domain_handle_t[16];

/*
 * struct mmu_update: one mmu_update request (16 bytes).
 *
 * IN:
 *   ptr  machine address of the target, command in bits 1:0 (MMU_*)
 *   val  new PTE value (or M2P value for MMU_MACHPHYS_UPDATE)
 */
struct mmu_update {
    uint64_t ptr;
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;

/*
 * struct mmuext_op: one mmuext_op command (24 bytes).
 *
 * IN:
 *   cmd             MMUEXT_*
 *   arg1.mfn        frame for PIN/UNPIN/BASEPTR/CLEAR/COPY/MARK commands
 *   arg1.linear_addr  VA for INVLPG_* and SET_LDT
 *   arg2.nr_ents    SET_LDT: number of LDT entries
 *   arg2.vcpumask   *_MULTI: handle to a vCPU bitmap
 *   arg2.src_mfn    COPY_PAGE: source frame
 */
struct mmuext_op {
    uint32_t cmd;
    uint32_t _pad;
    union {
        xen_pfn_t mfn;
        uint64_t linear_addr;
    } arg1;
    union {
        uint32_t nr_ents;
        XEN_GUEST_HANDLE(const_void) vcpumask;
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;

/*
 * multicall(struct multicall_entry *entries, unsigned nr)  (hypercall 13)
 *
 * Issues `nr` hypercalls in order, as if the guest had made each one; the
 * result of each goes to its entry. The multicall itself returns 0 unless
 * the array cannot be read (-XEN_EFAULT). A call that fails does not stop
 * the batch. multicall may not be nested.
 *
 * struct multicall_entry (64 bytes):
 * IN:  op       hypercall number
 *      args[6]  arguments (only the first 5 are used)
 * OUT: result   the hypercall's return value
 */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;

/*
 * struct vcpu_time_info: per-vCPU pvclock (32 bytes). [hypervisor]
 *
 *   version            seqlock: odd while an update is in progress
 *   tsc_timestamp      TSC at the last update
 *   system_time        ns since domain start, at tsc_timestamp
 *   tsc_to_system_mul  32.32 fixed-point ns-per-tick multiplier
 *   tsc_shift          signed shift applied to the TSC delta first
 *   flags              XEN_PVCLOCK_*
 *
 * Writer (hypervisor): version++ (odd); wmb; fields; wmb; version++ (even).
 * Reader (guest):
 * 1. v = version; if odd, retry; rmb.
 * 2. Copy the fields; rmb; if version != v, retry.
 * 3. delta = rdtsc() - tsc_timestamp; shift left by tsc_shift if >= 0,
 *    else right by -tsc_shift.
 * 4. now = system_time + ((delta * tsc_to_system_mul) >> 32), computed
 *    with a 96-bit (64x32) product.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

/*
 * struct vcpu_info: per-vCPU event and time state (64 bytes), in
 * shared_info.vcpu_info[n] or wherever VCPUOP_register_vcpu_info put it.
 *
 *   evtchn_upcall_pending  [hypervisor sets 1, guest clears] an event is
 *                          pending for this vCPU; the guest clears it
 *                          *before* scanning evtchn_pending_sel
 *   evtchn_upcall_mask     [guest] nonzero blocks upcalls (like CLI); the
 *                          hypervisor sets it when delivering a bounce
 *                          through an interrupt gate or masked callback
 *   evtchn_pending_sel     [hypervisor sets bits, guest xchg's to 0] bit i
 *                          set: word i of shared_info.evtchn_pending may
 *                          hold pending unmasked ports
 *   arch                   struct arch_vcpu_info (cr2)
 *   time                   struct vcpu_time_info
 *
 * Upcall handler recipe (XEN-ABI-FACTS §4.4), all bit ops atomic:
 * 1. evtchn_upcall_pending = 0.
 * 2. sel = xchg(&evtchn_pending_sel, 0).
 * 3. For each bit i in sel: bits = evtchn_pending[i] & ~evtchn_mask[i];
 *    for each bit j: clear evtchn_pending bit 64*i+j, dispatch that port.
 * 4. Repeat while evtchn_upcall_pending is set again.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    uint8_t pad0[6];
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * struct shared_info: the domain's shared page (3136 bytes used of 4 KiB).
 * A PV guest finds its machine address in start_info.shared_info and maps
 * it itself (update_va_mapping or mmu_update); it is not in the P2M.
 *
 *   vcpu_info[32]       per-vCPU state for vCPUs 0..31 (vCPU n at 64*n)
 *   evtchn_pending[64]  [hypervisor sets, guest clears] one bit per port
 *   evtchn_mask[64]     [guest] one bit per port; set = no upcall
 *   wc_version          [hypervisor] seqlock for the wallclock, as
 *                       vcpu_time_info.version
 *   wc_sec, wc_nsec     [hypervisor] UTC at system_time 0 (low 32 bits of
 *   wc_sec_hi           seconds in wc_sec, high 32 bits in wc_sec_hi)
 *   arch                struct arch_shared_info
 *
 * Port p is bit p % 64 of word p / 64; the 2-level ABI has 4096 ports.
 * Wall time now = wc + system_time now.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

/*
 * struct start_info: what the PV domain builder leaves for the guest
 * (1168 bytes). At entry rsi holds its *virtual* address; it lies in the
 * bootstrap region after the P2M list (XEN-ABI-FACTS §3.4a). [builder]
 *
 *   magic          "xen-3.0-x86_64", NUL-padded
 *   nr_pages       pages of RAM given to the domain
 *   shared_info    machine address of the shared_info page
 *   flags          SIF_*
 *   store_mfn      frame of the xenstore ring (io/xs_wire.h)
 *   store_evtchn   event channel of the xenstore ring
 *   console.domU   frame and event channel of the console ring
 *                  (io/console.h); for dom0, console.dom0 gives the
 *                  offset and size of a VGA console info block instead
 *   pt_base        virtual address of the bootstrap L4
 *   nr_pt_frames   bootstrap page-table frames (L4 first, contiguous)
 *   mfn_list       virtual address of the P2M array (nr_pages entries)
 *   mod_start      virtual address (or PFN if SIF_MOD_START_PFN) of the
 *                  initial ramdisk; 0 if none
 *   mod_len        its length in bytes
 *   cmd_line       NUL-terminated kernel command line
 *   first_p2m_pfn  first PFN of a separately mapped P2M, if any
 *   nr_p2m_frames  number of frames of that P2M
 */
struct start_info {
    char magic[32];
    uint64_t nr_pages;
    uint64_t shared_info;
    uint32_t flags;
    uint32_t _pad0;
    xen_pfn_t store_mfn;
    uint32_t store_evtchn;
    uint32_t _pad1;
    union {
        struct {
            xen_pfn_t mfn;
            uint32_t evtchn;
        } domU;
        struct {
            uint32_t info_off;
            uint32_t info_size;
        } dom0;
    } console;
    uint64_t pt_base;
    uint64_t nr_pt_frames;
    uint64_t mfn_list;
    uint64_t mod_start;
    uint64_t mod_len;
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn;
    uint64_t nr_p2m_frames;
};
typedef struct start_info start_info_t;

/* start_info.magic of a 64-bit PV guest (name ours; value is Xen's). */
#define XEN_START_INFO_MAGIC_X86_64 "xen-3.0-x86_64"

_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update size");
_Static_assert(offsetof(struct mmu_update, val) == 8, "mmu_update val");

_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op size");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op arg1");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op arg2");

_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry size");
_Static_assert(offsetof(struct multicall_entry, result) == 8,
               "multicall_entry result");
_Static_assert(offsetof(struct multicall_entry, args) == 16,
               "multicall_entry args");

_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info size");
_Static_assert(offsetof(struct vcpu_time_info, tsc_timestamp) == 8,
               "vcpu_time_info tsc_timestamp");
_Static_assert(offsetof(struct vcpu_time_info, system_time) == 16,
               "vcpu_time_info system_time");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24,
               "vcpu_time_info tsc_to_system_mul");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28,
               "vcpu_time_info tsc_shift");
_Static_assert(offsetof(struct vcpu_time_info, flags) == 29,
               "vcpu_time_info flags");

_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info size");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1,
               "vcpu_info evtchn_upcall_mask");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8,
               "vcpu_info evtchn_pending_sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info time");

_Static_assert(sizeof(struct shared_info) == 3136, "shared_info size");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048,
               "shared_info evtchn_pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560,
               "shared_info evtchn_mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072,
               "shared_info wc_version");
_Static_assert(offsetof(struct shared_info, wc_sec_hi) == 3084,
               "shared_info wc_sec_hi");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "shared_info arch");

_Static_assert(sizeof(struct start_info) == 1168, "start_info size");
_Static_assert(offsetof(struct start_info, nr_pages) == 32,
               "start_info nr_pages");
_Static_assert(offsetof(struct start_info, shared_info) == 40,
               "start_info shared_info");
_Static_assert(offsetof(struct start_info, flags) == 48, "start_info flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 56,
               "start_info store_mfn");
_Static_assert(offsetof(struct start_info, store_evtchn) == 64,
               "start_info store_evtchn");
_Static_assert(offsetof(struct start_info, console.domU.mfn) == 72,
               "start_info console.domU.mfn");
_Static_assert(offsetof(struct start_info, console.domU.evtchn) == 80,
               "start_info console.domU.evtchn");
_Static_assert(offsetof(struct start_info, console.dom0.info_size) == 76,
               "start_info console.dom0.info_size");
_Static_assert(offsetof(struct start_info, pt_base) == 88,
               "start_info pt_base");
_Static_assert(offsetof(struct start_info, nr_pt_frames) == 96,
               "start_info nr_pt_frames");
_Static_assert(offsetof(struct start_info, mfn_list) == 104,
               "start_info mfn_list");
_Static_assert(offsetof(struct start_info, mod_start) == 112,
               "start_info mod_start");
_Static_assert(offsetof(struct start_info, mod_len) == 120,
               "start_info mod_len");
_Static_assert(offsetof(struct start_info, cmd_line) == 128,
               "start_info cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152,
               "start_info first_p2m_pfn");
_Static_assert(offsetof(struct start_info, nr_p2m_frames) == 1160,
               "start_info nr_p2m_frames");

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_ABI_XEN_XEN_H */
