/* SPDX-License-Identifier: MIT */
/*
 * vstored's internal header: everything the store needs besides libc and
 * the wire ABI. Two layers share it:
 *
 *  - the core (htab, obuf, path, perms, tree, access, txn, watch, domain,
 *    conn, ops_*, dispatch): a store that takes request bytes and produces
 *    reply bytes, with no sockets, so unit tests and the fuzzer drive it
 *    directly;
 *  - the core also holds ring.c, the xenstore ring page protocol, which
 *    moves a domain connection's bytes through a page it is given;
 *  - the daemon (unix, guest, loop, main): the epoll loop, the
 *    local-socket transport and the guest-ring transport (mapping rings
 *    and binding event channels through veneerd), both behind struct
 *    conn_ops.
 */
#ifndef VSTORED_H
#define VSTORED_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen/io/xs_wire.h"
#include "limits.h"

/* ---- htab.c: intrusive hash table keyed by byte strings ---- */

struct hnode {
    struct hnode *next;
    const char *key;
    uint32_t klen;
    uint32_t hash;
};

struct htab {
    struct hnode **slot;
    size_t mask;
    size_t count;
};

uint32_t htab_hash(const char *key, size_t len);
int htab_init(struct htab *t);
void htab_destroy(struct htab *t);
void htab_insert(struct htab *t, struct hnode *n);
void htab_remove(struct htab *t, struct hnode *n);
struct hnode *htab_find(const struct htab *t, const char *key, size_t klen,
                        uint32_t hash);
struct hnode *htab_next(const struct hnode *prev);
struct hnode *htab_first(const struct htab *t, size_t *pos);
struct hnode *htab_iter_next(const struct htab *t, const struct hnode *n,
                             size_t *pos);

#define container_of(ptr, type, member)                                        \
    ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- obuf.c: a connection's queue of outgoing bytes ---- */

struct obuf {
    char *buf;
    size_t head; /* first unsent byte */
    size_t tail; /* end of queued bytes */
    size_t cap;
};

int obuf_append(struct obuf *o, const void *data, size_t len);
void obuf_consume(struct obuf *o, size_t len);
void obuf_free(struct obuf *o);

static inline size_t obuf_len(const struct obuf *o)
{
    return o->tail - o->head;
}

static inline const char *obuf_data(const struct obuf *o)
{
    return o->buf + o->head;
}

/* ---- path.c: node names ---- */

/* Longest canonical path, plus its NUL. */
#define PATH_BUF (VS_ABS_PATH_MAX + 1)

int path_canonical(const char *in, uint32_t domid, char *out, size_t *outlen,
                   size_t *relskip);
bool path_is_special(const char *path);
size_t path_parent_len(const char *path, size_t len);
const char *path_basename(const char *path, size_t len);
bool path_is_child(const char *child, size_t clen, const char *parent,
                   size_t plen);
unsigned path_depth_below(const char *child, size_t clen, size_t plen);

/* ---- perms.c: permission lists ---- */

#define PERM_NONE  0u
#define PERM_READ  1u
#define PERM_WRITE 2u
#define PERM_BOTH  (PERM_READ | PERM_WRITE)

struct perm {
    uint32_t domid;
    uint32_t access; /* PERM_* */
};

int perms_parse(const char *data, size_t len, struct perm **out,
                uint32_t *nout);
size_t perms_format(const struct perm *p, uint32_t n, char *out, size_t size);
/* A domain acting for no other (see SET_TARGET). */
#define VS_NO_TARGET UINT32_MAX

bool perms_allow(const struct perm *p, uint32_t n, uint32_t domid,
                 uint32_t target, unsigned want);

/* ---- tree.c: the store and its nodes ---- */

/*
 * One node. Children are kept as Xen keeps them, the leaf names in
 * creation order each followed by a NUL, so DIRECTORY is one copy.
 */
struct node {
    struct hnode hn; /* key = path */
    uint64_t gen;    /* store generation of the last change; never 0 */
    char *value;
    uint32_t vlen;
    uint32_t clen;
    uint32_t ccap;
    uint32_t nperms;
    char *children;
    struct perm *perms; /* perms[0] names the owner */
    char path[];
};

struct limits {
    unsigned nodes;      /* per unprivileged domain */
    unsigned value_size; /* bytes */
    unsigned watches;    /* per connection */
    unsigned txns;       /* open per connection */
    unsigned txn_nodes;  /* touched per transaction */
    size_t output;       /* queued bytes per connection */
};

struct conn;
struct domain;

/*
 * What a transport wants to hear about domains (guest.c maps the ring
 * and binds the event channel here). introduce is called for a domain
 * not yet introduced (again = false) and, as xenstored's repeated
 * INTRODUCE, for one that is (again = true: attach afresh); a nonzero
 * errno fails the INTRODUCE. release is called before the store forgets
 * the domain.
 */
struct store_hooks {
    int (*introduce)(void *arg, uint32_t domid, uint64_t gfn, uint32_t evtchn,
                     bool again);
    void (*release)(void *arg, uint32_t domid);
    void *arg;
};

#define DOM_PAGE   256
#define DOM_NPAGES ((VS_DOMID_MAX + DOM_PAGE - 1) / DOM_PAGE)

struct store {
    struct htab nodes;
    struct htab watches;
    uint64_t gen;
    struct conn *conns;
    /* Domain records by domid, in pages of DOM_PAGE allocated on first
     * use: a store is cheap to create (tests and the fuzzer make many). */
    struct domain **dom_pages[DOM_NPAGES];
    struct limits lim;
    bool keep_orphans; /* released domains' nodes pass to dom0 */
    struct store_hooks hooks;
    uint64_t nwatch_events; /* statistics */
};

void limits_default(struct limits *lim);
struct store *store_create(const struct limits *lim);
void store_destroy(struct store *st);
struct node *tree_lookup(const struct store *st, const char *path, size_t len);
struct node *node_new(const char *path, size_t len);
struct node *node_dup(const struct node *n);
void node_free(struct node *n);
int node_set_value(struct node *n, const char *data, size_t len);
int node_set_perms(struct node *n, const struct perm *p, uint32_t np);
int node_add_child(struct node *n, const char *name, size_t len);
void node_del_child(struct node *n, const char *name, size_t len);
void tree_insert(struct store *st, struct node *n);
void tree_remove(struct store *st, struct node *n);

static inline uint32_t node_owner(const struct node *n)
{
    return n->perms[0].domid;
}

/* ---- domain.c: domains known to the store ---- */

struct domain {
    uint32_t domid;
    uint32_t target; /* the domain it acts for (SET_TARGET), or
                        VS_NO_TARGET */
    unsigned nnodes; /* nodes this domain owns */
    bool introduced;
    uint64_t gfn;
    uint32_t evtchn;
};

struct domain *domain_get(struct store *st, uint32_t domid);
void domain_count_node(struct store *st, uint32_t owner, int delta);
unsigned domain_nodes(const struct store *st, uint32_t domid);
int domain_introduce(struct store *st, uint32_t domid, uint64_t gfn,
                     uint32_t evtchn);
int domain_release(struct store *st, uint32_t domid);
bool domain_is_introduced(const struct store *st, uint32_t domid);
uint32_t domain_target(const struct store *st, uint32_t domid);
int domain_set_target(struct store *st, uint32_t domid, uint32_t target);
void domain_free_all(struct store *st);

/* ---- conn.c: one client connection, transport-independent ---- */

struct conn_ops {
    /* Output became pending: the transport should flush it soon. */
    void (*kick)(struct conn *c);
};

enum conn_state {
    CONN_OK,
    CONN_DRAIN, /* protocol violation: flush what is queued, then close */
    CONN_DEAD,  /* cut off: close without flushing */
};

struct txn;
struct watch;

struct conn {
    struct store *st;
    uint32_t domid;
    enum conn_state state;
    const struct conn_ops *ops;
    void *priv; /* the transport's */
    bool kicked;
    uint32_t inlen;
    uint32_t next_txid;
    unsigned ntxns;
    unsigned nwatches;
    struct txn *txns;
    struct watch *watches;
    struct conn *prev;
    struct conn *next;
    struct obuf out;
    char in[VS_INBUF_SIZE];
};

struct conn *conn_create(struct store *st, uint32_t domid,
                         const struct conn_ops *ops, void *priv);
void conn_destroy(struct conn *c);
size_t conn_input(struct conn *c, const void *data, size_t len);
void conn_process(struct conn *c);
bool conn_wants_input(const struct conn *c);
char *conn_in_space(struct conn *c, size_t *room);
void conn_in_commit(struct conn *c, size_t n);
void conn_send(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
               const void *a, size_t alen, const void *b, size_t blen);
void conn_kill(struct conn *c, const char *why);

static inline bool conn_privileged(const struct conn *c)
{
    return c->domid == 0;
}

/* May c have the access in want to a node with permissions p? */
static inline bool conn_may(const struct conn *c, const struct perm *p,
                            uint32_t np, unsigned want)
{
    return perms_allow(p, np, c->domid, domain_target(c->st, c->domid), want);
}

/* Does c own the node (itself, or through the domain it targets)? */
static inline bool conn_owns(const struct conn *c, uint32_t owner)
{
    return conn_privileged(c) || owner == c->domid ||
           owner == domain_target(c->st, c->domid);
}

/* ---- access.c: node access, directly or through a transaction ---- */

struct access {
    struct store *st;
    struct conn *conn;
    struct txn *tx; /* NULL: act on the live tree */
};

int access_get(struct access *a, const char *path, size_t len,
               const struct node **out);
int access_modify(struct access *a, const char *path, size_t len,
                  struct node **out);
int access_create(struct access *a, const char *path, size_t len,
                  struct node **out);
int access_delete(struct access *a, const char *path, size_t len);
int access_set_perms(struct access *a, struct node *n, const struct perm *p,
                     uint32_t np);
void access_changed(struct access *a, const char *path, size_t len,
                    bool recurse, const struct perm *p, uint32_t np);

/* ---- txn.c: optimistic transactions ---- */

enum tent_state { TENT_READ, TENT_WRITTEN, TENT_DELETED };

/* One node a transaction touched: the generation it first saw (0 = the
 * node was absent) and, once written, its private copy. */
struct tent {
    struct hnode hn;
    struct tent *next;
    uint64_t base_gen;
    struct node *node;
    enum tent_state state;
    char path[];
};

/* A watch event to fire when the transaction commits. */
struct change {
    struct change *next;
    bool recurse;
    uint32_t nperms;
    struct perm *perms;
    uint32_t plen;
    char path[];
};

struct txn {
    uint32_t id;
    int error; /* a failed operation left the transaction unusable */
    unsigned nents;
    int own_nodes; /* net nodes created for the connection's domain */
    struct conn *conn;
    struct txn *next;
    struct tent *ents;
    struct change *changes;
    struct change **ctail;
    struct htab etab;
};

int txn_start(struct conn *c, uint32_t *id);
struct txn *txn_lookup(struct conn *c, uint32_t id);
int txn_end(struct conn *c, struct txn *t, bool commit);
void txn_free_all(struct conn *c);
struct tent *txn_entry(struct txn *t, const char *path, size_t len, int *err);
int txn_record_change(struct txn *t, const char *path, size_t len, bool recurse,
                      const struct perm *p, uint32_t np);

/* ---- watch.c: watches and their events ---- */

struct watch {
    struct hnode hn; /* key = absolute or special path */
    struct conn *conn;
    struct watch *cnext;
    char *token;
    uint32_t relskip; /* prefix stripped from event paths (relative) */
    int depth;        /* -1: unlimited */
    char path[];
};

int watch_add(struct conn *c, const char *path, size_t len, size_t relskip,
              const char *token, int depth);
int watch_remove(struct conn *c, const char *path, size_t len,
                 const char *token);
void watch_remove_all(struct conn *c);
void watch_fire(struct store *st, const char *path, size_t len, bool recurse,
                const struct perm *p, uint32_t np);
void watch_fire_special(struct store *st, const char *special, uint32_t domid);

/* ---- dispatch.c, ops_*.c: request handling ---- */

struct req {
    struct conn *conn;
    struct xsd_sockmsg hdr;
    const char *data; /* hdr.len bytes */
    struct access acc;
};

void dispatch_message(struct conn *c, const struct xsd_sockmsg *hdr,
                      const char *data);
const char *dispatch_errname(int err);
unsigned msg_count_strings(const char *data, size_t len);
const char *msg_arg(const struct req *r, unsigned idx);
int req_path(struct req *r, const char *arg, char *buf, size_t *len,
             size_t *relskip);
void req_reply(struct req *r, const void *data, size_t len);
void req_reply_str(struct req *r, const char *s);

int op_read(struct req *r);
int op_write(struct req *r);
int op_mkdir(struct req *r);
int op_rm(struct req *r);
int op_directory(struct req *r);
int op_directory_part(struct req *r);
int op_get_perms(struct req *r);
int op_set_perms(struct req *r);
int op_watch(struct req *r);
int op_unwatch(struct req *r);
int op_reset_watches(struct req *r);
int op_txn_start(struct req *r);
int op_txn_end(struct req *r);
int op_introduce(struct req *r);
int op_release(struct req *r);
int op_is_introduced(struct req *r);
int op_get_domain_path(struct req *r);
int op_control(struct req *r);
int op_resume(struct req *r);
int op_set_target(struct req *r);

/* ---- ring.c: the xenstore ring page of a domain ---- */

/* Features every ring advertises in server_features: reconnection, the
 * error field, and XS_WATCH's depth argument. */
#define VS_RING_FEATURES                                                       \
    (XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR |    \
     XENSTORE_SERVER_FEATURE_WATCHDEPTH)

/* ring_pump results. */
#define RING_NOTIFY 0x1u /* indices or state changed: signal the guest */
#define RING_AGAIN  0x2u /* budget spent with work left: pump again soon */
#define RING_BROKE  0x4u /* the connection was dropped just now */

struct ring {
    struct xenstore_domain_interface *intf; /* the page, guest-writable */
    struct store *st;
    uint32_t domid;
    const struct conn_ops *ops; /* for the connections the ring makes */
    void *priv;
    struct conn *conn; /* NULL once broken, until the guest reconnects */
    /* The server's indices: ours, written to the page, never read back. */
    XENSTORE_RING_IDX req_cons;
    XENSTORE_RING_IDX rsp_prod;
};

int ring_open(struct ring *r, struct store *st, uint32_t domid, void *page,
              const struct conn_ops *ops, void *priv);
void ring_close(struct ring *r);
int ring_reset(struct ring *r);
unsigned ring_pump(struct ring *r);

/* ---- loop.c: the daemon's epoll loop ---- */

/* Something the loop watches; ready() gets the epoll event bits. */
struct loop_src {
    int fd;
    uint32_t events;
    void (*ready)(struct loop_src *src, uint32_t events);
};

struct loop {
    int epfd;
    bool stop;
    void (*after)(void *arg); /* after each batch of events */
    void *after_arg;
};

int loop_init(struct loop *l);
void loop_fini(struct loop *l);
int loop_add(struct loop *l, struct loop_src *s, uint32_t events);
int loop_mod(struct loop *l, struct loop_src *s, uint32_t events);
void loop_del(struct loop *l, struct loop_src *s);
int loop_run(struct loop *l);

/* ---- unix.c: the local socket transport (dom0, privileged) ---- */

struct unix_srv;

struct unix_srv *unix_open(struct store *st, struct loop *l, const char *path);
void unix_close(struct unix_srv *s);
void unix_after(void *arg);

/* ---- guest.c: the guest-ring transport (domains, through veneerd) ---- */

struct guest_srv;

struct guest_srv *guest_open(struct store *st, struct loop *l,
                             const char *rundir);
void guest_close(struct guest_srv *srv);
void guest_after(void *arg);

/* ---- log.c ---- */

enum log_dest { LOG_TO_STDERR, LOG_TO_FILE, LOG_TO_SYSLOG };

int log_init(enum log_dest dest, const char *file, int verbose);
void log_close(void);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif /* VSTORED_H */
