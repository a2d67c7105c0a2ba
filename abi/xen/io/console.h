/* SPDX-License-Identifier: MIT */
/*
 * PV console ring (XEN-ABI-FACTS §13): one 4 KiB page shared between the
 * guest and the console backend, carrying two byte streams.
 *
 * Finding it: a PV guest uses start_info.console.domU.mfn and .evtchn
 * (already bound by the backend). The toolstack also grants the page to
 * the backend domain in grant ref GNTTAB_RESERVED_CONSOLE.
 *
 * XenStore, first console: /local/domain/<id>/console/
 *   key       written by  meaning
 *   ring-ref  toolstack   the page's frame number (NOT a grant ref)
 *   port      toolstack   event channel
 *   limit     toolstack   output rate limit
 *   type      toolstack   "xenconsoled" or "ioemu"
 *   output    toolstack   where output goes
 *   tty       backend     host pty of the console
 * Later consoles use the normal device layout, device/console/<n>/, with
 * ring-ref a grant ref and the XenBus state machine (xenbus.h).
 *
 * Guest output (out[], guest -> backend):
 * 1. cons = out_cons; xen_mb (read the index before reusing slots).
 * 2. Copy bytes to out[MASK_XENCONS_IDX(out_prod + i, out)] while
 *    out_prod + i - cons < sizeof(out).
 * 3. xen_wmb: bytes before index. out_prod += n. Notify the port.
 * Guest input (in[], backend -> guest):
 * 1. prod = in_prod; xen_rmb.
 * 2. Read in[MASK_XENCONS_IDX(in_cons + i, in)] while in_cons + i != prod.
 * 3. xen_mb; in_cons += n; notify the port.
 */
#ifndef VENEER_ABI_XEN_IO_CONSOLE_H
#define VENEER_ABI_XEN_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* A free-running byte index into in[] or out[]. */
typedef uint32_t XENCONS_RING_IDX;

/* Array position of stream byte idx in ring array `ring` (in or out). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

/* xencons_interface.connection values [backend]. */
#define XENCONSOLE_CONNECTED    0 /* backend is serving the ring */
#define XENCONSOLE_DISCONNECTED 1 /* backend is not (yet) serving it */

/*
 * struct xencons_interface (3092 bytes used of 4 KiB).
 *   in[]        [backend] input bytes for the guest
 *   out[]       [guest]   output bytes from the guest
 *   in_cons     [guest]   input consumed
 *   in_prod     [backend] input produced
 *   out_cons    [backend] output consumed
 *   out_prod    [guest]   output produced
 *   connection  [backend] XENCONSOLE_*. A page zeroed by the builder
 *               reads as CONNECTED, so rely on it only when the backend
 *               is known to set it.
 */
struct xencons_interface {
    char in[1024];
    char out[2048];
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
    uint8_t connection;
};

_Static_assert(sizeof(struct xencons_interface) == 3092,
               "xencons_interface size");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "xencons out");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072,
               "xencons in_cons");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076,
               "xencons in_prod");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080,
               "xencons out_cons");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084,
               "xencons out_prod");
_Static_assert(offsetof(struct xencons_interface, connection) == 3088,
               "xencons connection");

#endif /* VENEER_ABI_XEN_IO_CONSOLE_H */
