/* SPDX-License-Identifier: MIT */
/*
 * The control protocol's event-channel ops (VN_CTL_EVTCHN_*,
 * abi/veneer/control.h): a host process as dom0's end of a guest's event
 * channel. The ports belong to the connection (its fd is their owner,
 * evtchn_dom0.c); the daemon closes them when the connection goes.
 */
#include <errno.h>
#include <string.h>

#include <xen/event_channel.h>

#include "daemon.h"

/* The binds: a new dom0 port, passed back with its two eventfds. */
static int control_evtchn_bind(int fd, uint16_t op,
                               const struct vn_ctl_evtchn *req,
                               struct vn_ctl_evtchn *rep, int fds[2])
{
    if (op != VN_CTL_EVTCHN_BIND_VIRQ && req->domid > UINT16_MAX)
        return op == VN_CTL_EVTCHN_ALLOC_UNBOUND ? -EINVAL : -ESRCH;
    switch (op) {
    case VN_CTL_EVTCHN_BIND_INTERDOMAIN:
        return evtchn_dom0_bind_interdomain(fd, (domid_t)req->domid,
                                            req->remote_port, &rep->port, fds);
    case VN_CTL_EVTCHN_ALLOC_UNBOUND:
        return evtchn_dom0_alloc_unbound(fd, (domid_t)req->domid, &rep->port,
                                         fds);
    default:
        return evtchn_dom0_bind_virq(fd, req->remote_port, &rep->port, fds);
    }
}

/* VN_CTL_EVTCHN_STATUS */
static void control_evtchn_status(int fd, const struct vn_ctl_hdr *h,
                                  uint32_t port)
{
    struct vn_ctl_evtchn_status st = {.port = port};
    struct evtchn chn;
    int rc = evtchn_dom0_status(fd, port, &chn);

    if (rc == 0) {
        switch (chn.state) {
        case ECS_UNBOUND:
            st.status = EVTCHNSTAT_unbound;
            st.domid = chn.remote_dom;
            break;
        case ECS_INTERDOMAIN:
            st.status = EVTCHNSTAT_interdomain;
            st.domid = chn.remote_dom;
            st.remote_port = chn.remote_port;
            break;
        case ECS_VIRQ:
            st.status = EVTCHNSTAT_virq;
            st.virq = chn.virq;
            break;
        default:
            st.status = EVTCHNSTAT_closed;
            break;
        }
    }
    control_reply_fds(fd, h, rc, rc ? NULL : &st, rc ? 0 : sizeof(st), NULL, 0);
}

/*
 * control_evtchn - answer one VN_CTL_EVTCHN_* request h (payload p) on
 * connection fd.
 */
void control_evtchn(int fd, const struct vn_ctl_hdr *h, const void *p)
{
    struct vn_ctl_evtchn req, rep;
    int fds[2] = {-1, -1};
    int rc;

    if (!control_payload(p, h->len, &req, sizeof(req))) {
        control_reply_fds(fd, h, -EINVAL, NULL, 0, NULL, 0);
        return;
    }
    rep = req;
    switch (h->op) {
    case VN_CTL_EVTCHN_SEND:
        rc = evtchn_dom0_send(fd, req.port);
        break;
    case VN_CTL_EVTCHN_CLOSE:
        rc = evtchn_dom0_close(fd, req.port);
        break;
    case VN_CTL_EVTCHN_STATUS:
        control_evtchn_status(fd, h, req.port);
        return;
    default:
        rc = control_evtchn_bind(fd, h->op, &req, &rep, fds);
        /* veneerd's own descriptors: passed, never closed here. */
        control_reply_fds(fd, h, rc, rc ? NULL : &rep, rc ? 0 : sizeof(rep),
                          rc ? NULL : fds, rc ? 0 : 2);
        return;
    }
    control_reply_fds(fd, h, rc, NULL, 0, NULL, 0);
}
