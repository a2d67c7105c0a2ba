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

/* Seconds veneerd waits for a stub to finish start-up. [POLICY] */
#define VN_STUB_START_TIMEOUT_S 10

/* Unprivileged ids the domain processes switch to. [POLICY] */
#define VN_STUB_UID 65534
#define VN_STUB_GID 65534

#endif /* VENEER_VENEERD_LIMITS_H */
