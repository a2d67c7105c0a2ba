/* SPDX-License-Identifier: MIT */
/*
 * XenBus device states: the handshake every split driver (frontend in the
 * guest, backend in dom0) runs through XenStore (XEN-ABI-FACTS §10.7,
 * §10.8).
 *
 * Each side writes its own state to <its device dir>/state as a decimal
 * string and watches the peer's.
 *
 * Directories (libxl layout):
 *   frontend  /local/domain/<feid>/device/<type>/<devid>/
 *             perms (n<feid>, r<beid>): owned by the frontend
 *   backend   /local/domain/<beid>/backend/<type>/<feid>/<devid>/
 *             perms (n<beid>, r<feid>): owned by the backend
 *   The first console is special: /local/domain/<id>/console/ (console.h).
 *
 * Keys every device has:
 *   key           where     written by  meaning
 *   backend       frontend  toolstack   full backend path
 *   backend-id    frontend  toolstack   backend domid
 *   frontend      backend   toolstack   full frontend path
 *   frontend-id   backend   toolstack   frontend domid
 *   online        backend   toolstack   "1"
 *   state         both      toolstack starts both at "1"; then each
 *                                       driver owns its own
 *   hotplug-status backend  hotplug     "connected" once the script ran
 *
 * Handshake (a driver must tolerate skipped states):
 *
 *   frontend                            backend
 *   1 Initialising                      1 Initialising
 *                                       publish features
 *                                       2 InitWait
 *   read features; allocate rings,
 *   grants, event channels; write
 *   keys (ideally in one transaction)
 *   3 Initialised  (netfront: 4)
 *                                       map rings, bind channels,
 *                                       publish device properties
 *                                       4 Connected
 *   read properties
 *   4 Connected
 *
 *   Teardown: either side goes to 5 Closing; the peer follows to 5 and
 *   then 6 Closed; the first side then goes to 6 Closed.
 */
#ifndef VENEER_ABI_XEN_IO_XENBUS_H
#define VENEER_ABI_XEN_IO_XENBUS_H

enum xenbus_state {
    XenbusStateUnknown = 0,       /* no state written yet */
    XenbusStateInitialising = 1,  /* driver is starting */
    XenbusStateInitWait = 2,      /* early init done; waiting for peer */
    XenbusStateInitialised = 3,   /* frontend ready; waiting for backend */
    XenbusStateConnected = 4,     /* data flows */
    XenbusStateClosing = 5,       /* shutting down: stop using the device */
    XenbusStateClosed = 6,        /* no connection; resources released */
    XenbusStateReconfiguring = 7, /* reconfiguration in progress */
    XenbusStateReconfigured = 8   /* reconfiguration done */
};
typedef enum xenbus_state XenbusState;

#endif /* VENEER_ABI_XEN_IO_XENBUS_H */
