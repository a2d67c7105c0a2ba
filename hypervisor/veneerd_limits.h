/* SPDX-License-Identifier: MIT */
/*
 * Every limit in veneerd, each with its reason (STYLE rule 13).
 * [POLICY] limits are ours to change; ABI-visible ones are not.
 */
#ifndef VENEER_VENEERD_LIMITS_H
#define VENEER_VENEERD_LIMITS_H

/* Largest guest image file veneerd reads. [POLICY] */
#define VN_MAX_IMAGE_BYTES (256ull << 20)

/* Guest memory bounds in MiB: one 4 MiB bootstrap region at least;
 * at most what one process maps comfortably here. [POLICY] */
#define VN_MIN_MEMORY_MIB 4
#define VN_MAX_MEMORY_MIB (64 * 1024)

/* Console: bytes held for a line before it is forced out. [POLICY] */
#define CONSOLE_LINE_MAX 256

/* Bytes of console output the daemon keeps in one domain's log file
 * (RUNDIR is often tmpfs, i.e. host RAM). [POLICY] */
#define CONSOLE_LOG_MAX (16ull << 20)

/* Longest prefix before each console line written to the sink: "[name] "
 * when `veneerd run` boots several domains. [POLICY] */
#define CONSOLE_PREFIX_MAX 72

/* Kernels one `veneerd run` boots at once. [POLICY] */
#define VN_RUN_MAX_DOMAINS 16

/* Console clients attached to one domain at once. [POLICY] */
#define CONSOLE_MAX_CLIENTS 4

/* Largest single console_io write (Xen's count is 32 bits). ABI-visible */
#define CONSOLE_IO_MAX 0xffffffffull

/* Domains one veneerd process hosts. [POLICY] */
#define VN_MAX_DOMAINS 1024

/* First machine frame handed out: keeps MFNs distinct from PFNs so that a
 * guest confusing the two fails at once. [POLICY] */
#define VN_MFN_FIRST 0x100000ull

/* vCPU server spin before sleeping on the mailbox futex (ns). [POLICY]
 * Measured: a futex wake costs ~31 us here, a spinning hand-off ~5 us. */
#define VN_SERVER_SPIN_NS 50000ull

/* Host-mapping ops one hypercall may queue before veneerd gives up on
 * the incremental view and realises the whole tree again. [POLICY] */
#define VN_MAX_PENDING_OPS 65536

/* Restarts (on_reboot/on_crash = restart) of one domain before veneerd
 * gives up on it: a guest that crashes at boot must not loop. [POLICY] */
#define VN_MAX_RESTARTS 100

/* How long a domain that is to restart in place waits for the pages
 * others map (vstored's store ring, a backend's rings) to be unmapped
 * before veneerd destroys it instead (ns). vstored unmaps as soon as it
 * sees the domain's store channel closed. [POLICY] */
#define VN_RESTART_WAIT_NS 5000000000ull

/* Messages to the store (releases, restarts) waiting for the daemon's
 * store thread; more are dropped with a warning (libvn's sweep removes
 * what a missed release leaves). [POLICY] */
#define VN_STORE_QUEUE 256

/* How long the daemon's exit waits for the store thread to send what is
 * queued (ms). [POLICY] */
#define VN_STORE_DRAIN_MS 5000

/* After its timer kicked the running vCPU, the server thread spins this
 * long (ns), yielding the CPU as it goes, so that it is awake when the
 * KICK request comes: the signal takes ~60 us to come back as a request
 * here, and a sleeping server costs another futex wake (~30-60 us); the
 * yield lets a stub thread that shares the server's CPU take it at once
 * (without it, a 50 ms timer's kick took ~900 us then). [POLICY] */
#define VN_KICK_SPIN_NS 250000ull

/* Page-table entries one realisation may visit (each table visited costs
 * 512): aliased tables can make a small tree mean an exponential number of
 * mappings, and walking them must stay bounded (a few ms). A guest past it
 * is crashed: its address space cannot be realised. [POLICY] */
#define VN_MAX_WALK_ENTRIES (1ull << 22)

/* Seconds veneerd waits for a stub to finish start-up. [POLICY] */
#define VN_STUB_START_TIMEOUT_S 10

/* Event-channel ports per domain, port 0 (reserved) included: Xen's
 * default for a domU (libxl max_event_channels 1023, so ports 0..1023).
 * The 2-level ABI could address 4096. [POLICY] */
#define VN_EVTCHN_MAX_PORTS 1024

/* Ports dom0's host processes may hold at once, over every control
 * connection (interdomain and VIRQ bindings). Each holds two eventfds in
 * veneerd, so this also keeps veneerd within its 20000 open files beside
 * VN_MAX_DOMAINS domains (about five fds each). [POLICY] */
#define VN_EVTCHN_DOM0_MAX_PORTS 4096

/* Ring entries one drain of a vCPU's asynchronous send ring handles
 * (evtchn_fast.c): the whole ring, so a guest that scribbles its indices
 * costs its own server thread at most this many sends per drain.
 * [POLICY] */
#define VN_EVTCHN_DRAIN_MAX STUB_SEND_RING_SIZE

/* How long veneerd measures the host TSC against CLOCK_MONOTONIC_RAW,
 * once, before the first domain starts (ns). Measured here: 1 ms is within
 * 0.2 ppm of a 1 s calibration, 2 ms within 0.05 ppm. [POLICY] */
#define VN_TSC_CALIBRATE_NS 2000000ull

/* Period of the timer every new PV vCPU starts with: Xen gives PV guests
 * a 100 Hz tick until they stop it (VCPUOP_stop_periodic_timer).
 * ABI-visible */
#define VN_PV_DEFAULT_PERIOD_NS 10000000ull

/* set_timer_op deadlines more than 2^50 ns (~13 days) ahead, or negative,
 * fire after this instead, as Xen does (a Linux jiffies-wrap workaround).
 * ABI-visible */
#define VN_TIMER_HUGE_FALLBACK_NS 100000000ull

/* Longest period VCPUOP_set_periodic_timer takes (Xen's STIME_DELTA_MAX:
 * now + period cannot overflow in 200 years of uptime). ABI-visible */
#define VN_TIMER_PERIOD_MAX_NS (~0ull >> 2)

/* Unprivileged ids the domain processes switch to. [POLICY] */
#define VN_STUB_UID_BASE 0x7f000000u /* + domain id, for uid and gid */

/* Grant-table frames a domain may grow its table to (setup_table), 512
 * v1 entries each: Xen's default gnttab_max_frames. The slots are
 * reserved in the RAM memfd at creation (sparse until written), so this
 * costs no memory until used. ABI-visible (query_size's max_nr_frames). */
#define VN_GNTTAB_MAX_FRAMES 64

/* Frames a fresh table has: Xen's INITIAL_NR_GRANT_FRAMES on x86.
 * ABI-visible (query_size's nr_frames before any setup_table). */
#define VN_GNTTAB_INITIAL_FRAMES 1

/* Grant mappings (maptrack entries) one domain may hold at once. Each
 * host mapping is a VMA of its own in the domain process, which
 * vm.max_map_count (65530) bounds per process. [POLICY] */
#define VN_GNTTAB_MAX_MAPTRACK 4096

/* Grant mappings dom0's host processes may hold at once, over every
 * control connection. [POLICY] */
#define VN_GNTTAB_DOM0_MAX_MAPS 4096

/* Retries of the cmpxchg that sets GTF_reading/GTF_writing before the
 * entry counts as unstable (GNTST_general_error): the granter may write
 * the entry faster than veneerd can, so an unbounded loop would let it
 * livelock a server thread. Xen's bound. ABI-visible */
#define VN_GNTTAB_CMPXCHG_RETRIES 5

#endif /* VENEER_VENEERD_LIMITS_H */
