/* SPDX-License-Identifier: MIT */
/*
 * The xenstore client over the ring page; see <veneer/xenbus.h>. Ring
 * I/O and message framing first, then the requests, the watch-event
 * queue, transactions and the XenBus state helpers.
 */
#include <stdarg.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/hypercall.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/string.h>
#include <veneer/time.h>
#include <veneer/xenbus.h>

#define XB_MSG_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* One queued watch event: path\0token\0. */
struct xb_event {
    uint32_t len;
    char data[XENBUS_EVENT_MAX];
};

static struct {
    struct xenstore_domain_interface *intf;
    evtchn_port_t port;
    int broken; /* a bad index or message from the store: -XEN_EIO */
    /* Our own indices: the page's copies are the server's to read. */
    XENSTORE_RING_IDX req_prod, rsp_cons;
    uint32_t req_id;
    uint64_t events_seen; /* every event received, queued or not */
    /* The message being received: header, then payload. */
    uint32_t in_len;
    char in[XB_MSG_MAX];
    char out[XB_MSG_MAX]; /* the request being sent */
    /* Watch events, oldest at head. */
    unsigned ev_head, ev_count;
    struct xb_event ev[XENBUS_MAX_EVENTS];
} xb;

struct xenbus_stats xenbus_stats;

/* ---- ring I/O ---- */

static void xb_notify(void)
{
    evtchn_send(xb.port);
}

/* Sleep until the store signals (or deadline). The port is masked and
 * its pending bit cleared before the caller looked at the ring, so an
 * event since then ends the poll at once. */
static int xb_sleep(uint64_t deadline)
{
    struct sched_poll p = {.nr_ports = 1, .timeout = deadline};

    if (time_now_ns() >= deadline)
        return -XEN_ETIMEDOUT;
    set_xen_guest_handle(p.ports, &xb.port);
    HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    return 0;
}

/* Bytes the server has produced past our consumer; -1 if it claims more
 * than a ring's worth. */
static int64_t xb_rsp_avail(XENSTORE_RING_IDX *prod)
{
    XENSTORE_RING_IDX used;

    *prod = __atomic_load_n(&xb.intf->rsp_prod, __ATOMIC_ACQUIRE);
    used = *prod - xb.rsp_cons;
    return used > XENSTORE_RING_SIZE ? -1 : (int64_t)used;
}

/*
 * Copy up to len reply bytes out of the rsp stream (acquire on rsp_prod:
 * the rmb before the bytes; the full barrier before rsp_cons: our reads
 * are done before the server may reuse the space). *was_full is set if
 * the stream was full: the server may wait for room then. Returns the
 * count, 0 if none, or -XEN_EIO.
 */
static int64_t xb_ring_read(char *buf, size_t len, int *was_full)
{
    XENSTORE_RING_IDX prod;
    int64_t avail = xb_rsp_avail(&prod);
    uint32_t off = MASK_XENSTORE_IDX(xb.rsp_cons), first;
    size_t n;

    if (avail < 0)
        return -XEN_EIO;
    *was_full |= avail == XENSTORE_RING_SIZE;
    n = len < (size_t)avail ? len : (size_t)avail;
    first = XENSTORE_RING_SIZE - off;
    if (first > n)
        first = (uint32_t)n;
    memcpy(buf, xb.intf->rsp + off, first);
    memcpy(buf + first, xb.intf->rsp, n - first);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    xb.rsp_cons += (XENSTORE_RING_IDX)n;
    __atomic_store_n(&xb.intf->rsp_cons, xb.rsp_cons, __ATOMIC_RELEASE);
    return (int64_t)n;
}

static int xb_pump(uint32_t stop_id, int wait, uint64_t deadline);

/*
 * Write all of data into the req stream, waiting for room. The store is
 * signalled only when it may have gone idle: when it had consumed all we
 * produced before this chunk (as Linux's xenbus does). Otherwise it is
 * still reading and will see the new producer: publishing ours and then
 * reading its consumer, with a full barrier between, against its storing
 * the consumer and then reading our producer (vstored's ring.c does), one
 * of us sees the other's store.
 */
static int xb_ring_write(const void *data, size_t len, uint64_t deadline)
{
    const char *p = data;

    while (len > 0) {
        XENSTORE_RING_IDX cons, used, old;
        uint32_t off, first;
        size_t n;
        int rc;

        evtchn_test_and_clear(xb.port);
        cons = __atomic_load_n(&xb.intf->req_cons, __ATOMIC_ACQUIRE);
        used = xb.req_prod - cons;
        if (used > XENSTORE_RING_SIZE)
            return -XEN_EIO;
        if (used == XENSTORE_RING_SIZE) {
            /* While we wait for room, take what the store sends (watch
             * events): a store whose replies back up stops reading. */
            rc = xb_pump(0, 0, deadline);
            if (rc == 0)
                rc = xb_sleep(deadline);
            if (rc < 0)
                return rc;
            continue;
        }
        n = XENSTORE_RING_SIZE - used;
        if (n > len)
            n = len;
        off = MASK_XENSTORE_IDX(xb.req_prod);
        first = XENSTORE_RING_SIZE - off;
        if (first > n)
            first = (uint32_t)n;
        memcpy(xb.intf->req + off, p, first);
        memcpy(xb.intf->req, p + first, n - first);
        /* wmb: the bytes before the index that publishes them. */
        old = xb.req_prod;
        xb.req_prod += (XENSTORE_RING_IDX)n;
        __atomic_store_n(&xb.intf->req_prod, xb.req_prod, __ATOMIC_RELEASE);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        cons = __atomic_load_n(&xb.intf->req_cons, __ATOMIC_ACQUIRE);
        if ((int32_t)(cons - old) >= 0)
            xb_notify();
        p += n;
        len -= n;
    }
    return 0;
}

/* ---- the watch-event queue ---- */

static void xb_event_push(const char *data, uint32_t len)
{
    struct xb_event *e;

    xb.events_seen++;
    xenbus_stats.events++;
    if (xb.ev_count == XENBUS_MAX_EVENTS || len > XENBUS_EVENT_MAX ||
        strnlen(data, len) == len) {
        xenbus_stats.events_dropped++;
        return;
    }
    e = &xb.ev[(xb.ev_head + xb.ev_count) % XENBUS_MAX_EVENTS];
    memcpy(e->data, data, len);
    e->len = len;
    xb.ev_count++;
}

/* Split an event into path and token (truncated to their buffers). */
static void xb_event_split(const struct xb_event *e, char *path, size_t psize,
                           char *token, size_t tsize)
{
    size_t plen = strnlen(e->data, e->len);
    const char *tok = e->data + plen + 1;
    size_t tlen = plen + 1 < e->len ? strnlen(tok, e->len - plen - 1) : 0;

    if (psize > 0) {
        size_t n = plen < psize - 1 ? plen : psize - 1;
        memcpy(path, e->data, n);
        path[n] = '\0';
    }
    if (tsize > 0) {
        size_t n = tlen < tsize - 1 ? tlen : tsize - 1;
        memcpy(token, tok, n);
        token[n] = '\0';
    }
}

/* Drop queued events whose token is tok (the state helper's own). */
static void xb_event_purge(const char *tok)
{
    unsigned keep = 0;

    for (unsigned i = 0; i < xb.ev_count; i++) {
        struct xb_event *e = &xb.ev[(xb.ev_head + i) % XENBUS_MAX_EVENTS];
        size_t plen = strnlen(e->data, e->len);

        if (plen + 1 < e->len && strcmp(e->data + plen + 1, tok) == 0)
            continue;
        if (keep != i)
            xb.ev[(xb.ev_head + keep) % XENBUS_MAX_EVENTS] = *e;
        keep++;
    }
    xb.ev_count = keep;
}

/* ---- messages ---- */

/*
 * Receive what the ring holds into xb.in. Returns 1 when a whole message
 * is there (header valid, payload complete), 0 if more is needed,
 * -XEN_EIO for a bad index or a payload over XENSTORE_PAYLOAD_MAX.
 */
static int xb_receive(void)
{
    struct xsd_sockmsg hdr;
    size_t want = sizeof(hdr);
    int was_full = 0;
    int64_t n;

    if (xb.in_len >= sizeof(hdr)) {
        memcpy(&hdr, xb.in, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX)
            return -XEN_EIO;
        want += hdr.len;
    }
    while (xb.in_len < want) {
        n = xb_ring_read(xb.in + xb.in_len, want - xb.in_len, &was_full);
        if (n < 0)
            return (int)n;
        if (was_full)
            xb_notify(); /* the server may wait for room */
        was_full = 0;
        if (n == 0)
            return 0;
        xb.in_len += (uint32_t)n;
        if (xb.in_len == sizeof(hdr)) {
            memcpy(&hdr, xb.in, sizeof(hdr));
            if (hdr.len > XENSTORE_PAYLOAD_MAX)
                return -XEN_EIO;
            want += hdr.len;
        }
    }
    return 1;
}

/*
 * Take the messages the ring holds until one satisfies stop: a reply
 * with req_id (stop_id != 0), or any message (stop_id 0: events are
 * queued and pumping ends when the ring is empty). Waits until deadline
 * only when wait is set. Returns 1 if the awaited reply is in xb.in, 0
 * if the ring was drained (no wait), or an error.
 */
static int xb_pump(uint32_t stop_id, int wait, uint64_t deadline)
{
    for (;;) {
        struct xsd_sockmsg hdr;
        int rc;

        evtchn_test_and_clear(xb.port);
        rc = xb_receive();
        if (rc < 0) {
            xb.broken = 1;
            return rc;
        }
        if (rc == 0) {
            if (!wait)
                return 0;
            rc = xb_sleep(deadline);
            if (rc < 0)
                return rc;
            continue;
        }
        memcpy(&hdr, xb.in, sizeof(hdr));
        if (hdr.type == XS_WATCH_EVENT) {
            xb_event_push(xb.in + sizeof(hdr), hdr.len);
        } else if (stop_id != 0 && hdr.req_id == stop_id) {
            return 1; /* xb.in_len is reset by the caller */
        } else {
            xenbus_stats.stale_replies++;
        }
        xb.in_len = 0;
        if (stop_id == 0 && hdr.type == XS_WATCH_EVENT && wait)
            return 1;
    }
}

/* The Xen errno an XS_ERROR payload names. */
static int xb_errno(const char *name, size_t len)
{
    for (size_t i = 0; i < XSD_ERRORS_COUNT; i++) {
        const char *s = xsd_errors[i].errstring;

        if (strnlen(name, len) == strlen(s) && strncmp(name, s, len) == 0)
            return -xsd_errors[i].errnum;
    }
    return -XEN_EINVAL;
}

/* One piece of a request's payload. */
struct xb_part {
    const void *data;
    size_t len;
};

/*
 * Send one request and wait for its reply; the reply's payload is copied
 * to out (at most size bytes; *len gets the full length).
 * Return values: 0; the store's error; -XEN_E2BIG (the request is too
 * long, or the reply longer than size: out then holds its start);
 * -XEN_ETIMEDOUT; -XEN_EIO; -XEN_ENODEV.
 */
static int xb_request(uint32_t type, xenbus_txn_t tx, const struct xb_part *p,
                      unsigned n, void *out, size_t size, size_t *len)
{
    struct xsd_sockmsg hdr = {.type = type, .tx_id = tx};
    uint64_t deadline;
    size_t total = 0;
    int rc;

    if (!xb.intf)
        return -XEN_ENODEV;
    if (xb.broken)
        return -XEN_EIO;
    deadline = time_now_ns() + XENBUS_TIMEOUT_NS;
    for (unsigned i = 0; i < n; i++)
        total += p[i].len;
    if (total > XENSTORE_PAYLOAD_MAX)
        return -XEN_E2BIG;
    /* Whatever is already in the ring (events) goes first. */
    rc = xb_pump(0, 0, deadline);
    if (rc < 0)
        return rc;
    if (++xb.req_id == 0)
        xb.req_id = 1; /* 0 would match nothing */
    hdr.req_id = xb.req_id;
    hdr.len = (uint32_t)total;
    xenbus_stats.requests++;
    /* The whole message in one write: one signal at most. */
    memcpy(xb.out, &hdr, sizeof(hdr));
    total = sizeof(hdr);
    for (unsigned i = 0; i < n; i++) {
        memcpy(xb.out + total, p[i].data, p[i].len);
        total += p[i].len;
    }
    rc = xb_ring_write(xb.out, total, deadline);
    if (rc == 0)
        rc = xb_pump(hdr.req_id, 1, deadline);
    if (rc < 0) {
        if (rc == -XEN_EIO)
            xb.broken = 1;
        return rc;
    }
    memcpy(&hdr, xb.in, sizeof(hdr));
    xb.in_len = 0;
    if (hdr.type == XS_ERROR)
        return xb_errno(xb.in + sizeof(hdr), hdr.len);
    if (hdr.type != type)
        return -XEN_EIO;
    if (len)
        *len = hdr.len;
    if (out)
        memcpy(out, xb.in + sizeof(hdr), hdr.len < size ? hdr.len : size);
    return out && hdr.len > size ? -XEN_E2BIG : 0;
}

/* A request whose payload is one string with its NUL, plus extra bytes. */
static int xb_simple(uint32_t type, xenbus_txn_t tx, const char *arg,
                     const void *extra, size_t elen, void *out, size_t size,
                     size_t *len)
{
    struct xb_part p[2] = {{arg, strlen(arg) + 1}, {extra, elen}};

    return xb_request(type, tx, p, extra ? 2 : 1, out, size, len);
}

/* ---- the calls ---- */

int xenbus_init(void)
{
    const struct start_info *si = runtime_start_info;
    uint64_t pfn;
    int rc;

    if (xb.intf)
        return 0;
    if (si->store_evtchn == 0)
        return -XEN_ENODEV;
    if (pt_mfn_to_pfn(si->store_mfn, &pfn) < 0)
        return -XEN_EFAULT;
    rc = shinfo_map();
    if (rc < 0)
        return rc;
    xb.port = si->store_evtchn;
    evtchn_mask(xb.port);
    xb.intf = (struct xenstore_domain_interface *)(uintptr_t)pt_pfn_to_va(pfn);
    /* Take the indices as they are: ours are the guest-owned ones. */
    xb.req_prod = __atomic_load_n(&xb.intf->req_prod, __ATOMIC_ACQUIRE);
    xb.rsp_cons = __atomic_load_n(&xb.intf->rsp_cons, __ATOMIC_ACQUIRE);
    return 0;
}

struct xenstore_domain_interface *xenbus_ring(void)
{
    return xb.intf;
}

uint32_t xenbus_port(void)
{
    return xb.port;
}

int xenbus_read(xenbus_txn_t tx, const char *path, char *buf, size_t size,
                size_t *len)
{
    size_t got = 0;
    int rc;

    if (size == 0)
        return -XEN_E2BIG;
    rc = xb_simple(XS_READ, tx, path, NULL, 0, buf, size - 1, &got);
    if (rc == 0 || rc == -XEN_E2BIG)
        buf[got < size - 1 ? got : size - 1] = '\0';
    if (rc == 0 && len)
        *len = got;
    return rc;
}

int xenbus_read_ulong(xenbus_txn_t tx, const char *path, unsigned long *val)
{
    char buf[24];
    unsigned long v = 0;
    int rc = xenbus_read(tx, path, buf, sizeof(buf), NULL);

    if (rc < 0)
        return rc;
    if (buf[0] == '\0')
        return -XEN_EINVAL;
    for (const char *p = buf; *p; p++) {
        if (*p < '0' || *p > '9' || v > (~0UL - 9) / 10)
            return -XEN_EINVAL;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *val = v;
    return 0;
}

int xenbus_write_bytes(xenbus_txn_t tx, const char *path, const void *value,
                       size_t len)
{
    static const char none;

    return xb_simple(XS_WRITE, tx, path, len ? value : &none, len, NULL, 0,
                     NULL);
}

int xenbus_write(xenbus_txn_t tx, const char *path, const char *value)
{
    return xenbus_write_bytes(tx, path, value, strlen(value));
}

int xenbus_printf(xenbus_txn_t tx, const char *dir, const char *node,
                  const char *fmt, ...)
{
    char path[XENSTORE_ABS_PATH_MAX + 1], val[256];
    va_list ap;
    int n;

    n = *dir ? snprintf(path, sizeof(path), "%s/%s", dir, node)
             : snprintf(path, sizeof(path), "%s", node);
    if (n < 0 || (size_t)n >= sizeof(path))
        return -XEN_E2BIG;
    va_start(ap, fmt);
    n = vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(val))
        return -XEN_E2BIG;
    return xenbus_write_bytes(tx, path, val, (size_t)n);
}

int xenbus_mkdir(xenbus_txn_t tx, const char *path)
{
    return xb_simple(XS_MKDIR, tx, path, NULL, 0, NULL, 0, NULL);
}

int xenbus_rm(xenbus_txn_t tx, const char *path)
{
    return xb_simple(XS_RM, tx, path, NULL, 0, NULL, 0, NULL);
}

int xenbus_directory(xenbus_txn_t tx, const char *path, char *buf, size_t size,
                     unsigned *count)
{
    size_t len = 0;
    unsigned n = 0;
    int rc = xb_simple(XS_DIRECTORY, tx, path, NULL, 0, buf, size, &len);

    if (rc < 0)
        return rc;
    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\0';
    if (count)
        *count = n;
    return 0;
}

int xenbus_set_perms(xenbus_txn_t tx, const char *path,
                     const char *const *perms, unsigned n)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t len = 0;

    for (unsigned i = 0; i < n; i++) {
        size_t l = strlen(perms[i]) + 1;

        if (len + l > sizeof(buf))
            return -XEN_E2BIG;
        memcpy(buf + len, perms[i], l);
        len += l;
    }
    return xb_simple(XS_SET_PERMS, tx, path, buf, len, NULL, 0, NULL);
}

int xenbus_get_perms(xenbus_txn_t tx, const char *path, char *buf, size_t size)
{
    return xb_simple(XS_GET_PERMS, tx, path, NULL, 0, buf, size, NULL);
}

int xenbus_watch(const char *path, const char *token)
{
    return xb_simple(XS_WATCH, XENBUS_NO_TXN, path, token, strlen(token) + 1,
                     NULL, 0, NULL);
}

int xenbus_unwatch(const char *path, const char *token)
{
    return xb_simple(XS_UNWATCH, XENBUS_NO_TXN, path, token, strlen(token) + 1,
                     NULL, 0, NULL);
}

int xenbus_wait_event(char *path, size_t psize, char *token, size_t tsize,
                      uint64_t deadline_ns)
{
    int rc;

    if (!xb.intf)
        return -XEN_ENODEV;
    if (deadline_ns == 0)
        deadline_ns = time_now_ns() + XENBUS_TIMEOUT_NS;
    while (xb.ev_count == 0) {
        if (xb.broken)
            return -XEN_EIO;
        rc = xb_pump(0, 1, deadline_ns);
        if (rc < 0)
            return rc;
    }
    xb_event_split(&xb.ev[xb.ev_head], path, psize, token, tsize);
    xb.ev_head = (xb.ev_head + 1) % XENBUS_MAX_EVENTS;
    xb.ev_count--;
    return 0;
}

int xenbus_txn_start(xenbus_txn_t *tx)
{
    char id[16];
    size_t len = 0;
    unsigned long v = 0;
    int rc = xb_simple(XS_TRANSACTION_START, XENBUS_NO_TXN, "", NULL, 0, id,
                       sizeof(id) - 1, &len);

    if (rc < 0)
        return rc;
    id[len < sizeof(id) - 1 ? len : sizeof(id) - 1] = '\0';
    for (const char *p = id; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (unsigned long)(*p - '0');
    if (v == 0 || v > 0xffffffffUL)
        return -XEN_EIO;
    *tx = (xenbus_txn_t)v;
    return 0;
}

int xenbus_txn_end(xenbus_txn_t tx, int abort)
{
    return xb_simple(XS_TRANSACTION_END, tx, abort ? "F" : "T", NULL, 0, NULL,
                     0, NULL);
}

int xenbus_transaction(int (*body)(xenbus_txn_t tx, void *arg), void *arg,
                       unsigned tries)
{
    for (unsigned i = 0; i < tries; i++) {
        xenbus_txn_t tx;
        int rc = xenbus_txn_start(&tx);

        if (rc < 0)
            return rc;
        rc = body(tx, arg);
        if (rc < 0) {
            xenbus_txn_end(tx, 1);
            if (rc == -XEN_EAGAIN)
                continue;
            return rc;
        }
        rc = xenbus_txn_end(tx, 0);
        if (rc != -XEN_EAGAIN)
            return rc;
    }
    return -XEN_EAGAIN;
}

int xenbus_domid(uint32_t *domid)
{
    unsigned long v;
    int rc = xenbus_read_ulong(XENBUS_NO_TXN, "domid", &v);

    if (rc == 0 && v >= DOMID_FIRST_RESERVED)
        rc = -XEN_EINVAL;
    if (rc == 0)
        *domid = (uint32_t)v;
    return rc;
}

/* ---- the XenBus state machine ---- */

static int xb_state_path(char *buf, size_t size, const char *dir)
{
    int n = snprintf(buf, size, "%s/state", dir);

    return n < 0 || (size_t)n >= size ? -XEN_E2BIG : 0;
}

int xenbus_switch_state(xenbus_txn_t tx, const char *dir, enum xenbus_state st)
{
    return xenbus_printf(tx, dir, "state", "%u", (unsigned)st);
}

int xenbus_read_state(xenbus_txn_t tx, const char *dir, enum xenbus_state *st)
{
    char path[XENSTORE_ABS_PATH_MAX + 1];
    unsigned long v;
    int rc = xb_state_path(path, sizeof(path), dir);

    if (rc == 0)
        rc = xenbus_read_ulong(tx, path, &v);
    if (rc == -XEN_ENOENT || rc == -XEN_EINVAL ||
        (rc == 0 && v > XenbusStateReconfigured)) {
        *st = XenbusStateUnknown;
        return 0;
    }
    if (rc == 0)
        *st = (enum xenbus_state)v;
    return rc;
}

int xenbus_wait_state(const char *dir, uint32_t mask, enum xenbus_state *st,
                      uint64_t deadline_ns)
{
    static const char token[] = "xenbus_wait_state";
    char path[XENSTORE_ABS_PATH_MAX + 1];
    int rc = xb_state_path(path, sizeof(path), dir);

    if (rc < 0)
        return rc;
    if (deadline_ns == 0)
        deadline_ns = time_now_ns() + XENBUS_TIMEOUT_NS;
    rc = xenbus_watch(path, token);
    if (rc < 0)
        return rc;
    for (;;) {
        uint64_t seen = xb.events_seen;

        rc = xenbus_read_state(XENBUS_NO_TXN, dir, st);
        if (rc < 0 || (mask & xenbus_state_bit(*st)))
            break;
        /* Wait for any event (ours or another watch's, which stays
         * queued), then read the state again. */
        while (rc == 0 && xb.events_seen == seen)
            rc = xb_pump(0, 1, deadline_ns);
        if (rc < 0)
            break;
    }
    xenbus_unwatch(path, token);
    xb_event_purge(token);
    return rc < 0 ? rc : 0;
}

int xenbus_reconnect(void)
{
    uint64_t deadline = time_now_ns() + XENBUS_TIMEOUT_NS;
    struct xenstore_domain_interface *intf = xb.intf;
    int rc;

    if (!intf)
        return -XEN_ENODEV;
    if (!(__atomic_load_n(&intf->server_features, __ATOMIC_ACQUIRE) &
          XENSTORE_SERVER_FEATURE_RECONNECTION))
        return -XEN_EOPNOTSUPP;
    __atomic_store_n(&intf->connection, XENSTORE_RECONNECT, __ATOMIC_SEQ_CST);
    xb_notify();
    for (;;) {
        evtchn_test_and_clear(xb.port);
        if (__atomic_load_n(&intf->connection, __ATOMIC_ACQUIRE) ==
            XENSTORE_CONNECTED)
            break;
        rc = xb_sleep(deadline);
        if (rc < 0)
            return rc;
    }
    /* The store zeroed every index; nothing of the old stream is left. */
    xb.req_prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
    xb.rsp_cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
    xb.in_len = 0;
    xb.ev_count = 0;
    xb.broken = 0;
    return 0;
}
