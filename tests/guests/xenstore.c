/* SPDX-License-Identifier: MIT */
/*
 * xenstore: a guest talking to vstored over its store ring with
 * <veneer/xenbus.h>, under the daemons (t_xenstore_guest.sh):
 *
 *   name=NAME other=ID [reboot-once] [hostile] [die-mid-request] [bench=MS]
 *
 * 0. reboot-once: the first boot writes data/rebooted and reboots; the
 *    domain restarts in place (on_reboot: restart) and the second boot,
 *    which finds the key, runs the rest: vstored let go of the old ring
 *    and serves the new one;
 * 1. its id from the "domid" key and its name from "name" (NAME);
 * 2. its own area: writes, reads back (relative and absolute paths,
 *    raw bytes, a value larger than the 1 KiB ring, hundreds of requests
 *    that wrap the indices), mkdir, directory, rm, permissions;
 * 3. refusals with EACCES: domain ID's keys (read, write, mkdir, rm,
 *    directory), /local/domain/0, a dom0-owned key of its own area,
 *    /local/domain itself; the client's own E2BIG for a payload over
 *    XENSTORE_PAYLOAD_MAX;
 * 4. watches on its data/ subtree: the initial event, its own writes,
 *    relative and absolute paths, unwatch; then the host's write
 *    (the script writes data/from-host once data/ready appears);
 * 5. the XenBus state helpers against the script: data/fe goes to
 *    Initialised, waits for data/be Connected, goes Connected;
 * 6. transactions: commit, abort, a conflict answered EAGAIN, the retry
 *    helper, an unknown id;
 * 7. hostile: a producer index far beyond the ring, and a header with a
 *    payload over 4096 bytes: vstored sets the error field (RINGIDX,
 *    PROTO) and drops the connection; reconnect brings it back;
 * 8. bench=MS (instead of 0..7): READ and WRITE round trips per second
 *    for MS ms each (bench/xsring.sh);
 * then data/result = "ok" and "xenstore: SUCCESS (...)"; with
 * die-mid-request, half a request header is left in the ring as the
 * guest powers off.
 */
#include <xen/errno.h>
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/evtchn.h>
#include <veneer/runtime.h>
#include <veneer/string.h>
#include <veneer/time.h>
#include <veneer/xenbus.h>

#include "gtest.h"

#define MS          1000000ULL
#define HOST_WAIT   (30000 * MS) /* for the script's writes */
#define BIG_VALUE   3000         /* bytes: three times the ring */
#define MANY_WRITES 300
/* What vstored advertises in server_features. */
#define VS_FEATURES                                                            \
    (XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR |    \
     XENSTORE_SERVER_FEATURE_WATCHDEPTH)

static uint32_t me;
static char home[64]; /* /local/domain/<me> */
static char buf[XENSTORE_PAYLOAD_MAX + 1];

/* The value of "key=value" on the command line, into out. */
static int cmd_word(const struct start_info *si, const char *key, char *out,
                    size_t size)
{
    const char *p = (const char *)si->cmd_line;
    size_t n = strlen(key);

    for (; *p; p++) {
        if ((p == (const char *)si->cmd_line || p[-1] == ' ') &&
            strncmp(p, key, n) == 0 && p[n] == '=') {
            size_t i = 0;

            for (p += n + 1; *p && *p != ' ' && i + 1 < size; p++)
                out[i++] = *p;
            out[i] = '\0';
            return 1;
        }
    }
    return 0;
}

static int read_is(const char *path, const char *want)
{
    int rc = xenbus_read(XENBUS_NO_TXN, path, buf, sizeof(buf), NULL);

    return rc == 0 && strcmp(buf, want) == 0;
}

/* ---- 1. who am I ---- */

static void check_identity(const struct start_info *si)
{
    char name[64] = "", path[96];
    unsigned long v = 0;
    int rc = xenbus_domid(&me);

    gtest_ok(rc == 0 && me > 0, "domid key: %u", me);
    snprintf(home, sizeof(home), "/local/domain/%u", me);
    snprintf(path, sizeof(path), "%s/domid", home);
    rc = xenbus_read_ulong(XENBUS_NO_TXN, path, &v);
    gtest_ok(rc == 0 && v == me, "%s = %lu", path, v);
    if (cmd_word(si, "name", name, sizeof(name)))
        gtest_ok(read_is("name", name), "name = %s", buf);
    else
        gtest_skip("name: no name= on the command line");
    gtest_ok((xenbus_ring()->server_features & VS_FEATURES) == VS_FEATURES,
             "server features: reconnection, error, watch depth");
}

/* ---- 0. a restart in place ---- */

static void reboot_once(void)
{
    if (xenbus_read(0, "data/rebooted", buf, sizeof(buf), NULL) ==
        -XEN_ENOENT) {
        gtest_ok(xenbus_write(0, "data/rebooted", "1") == 0,
                 "first boot: data/rebooted = 1, rebooting");
        runtime_shutdown(SHUTDOWN_reboot);
    }
    gtest_ok(read_is("data/rebooted", "1"),
             "restarted in place: the store serves the new ring");
}

/* ---- 2. its own area ---- */

static void check_values(void)
{
    static char big[BIG_VALUE + 1], back[BIG_VALUE + 1];
    char path[96];
    size_t len = 0;
    int rc;

    rc = xenbus_write(0, "data/greeting", "hello from the guest");
    gtest_ok(rc == 0 && read_is("data/greeting", "hello from the guest"),
             "write and read back data/greeting");
    snprintf(path, sizeof(path), "%s/data/greeting", home);
    gtest_ok(read_is(path, "hello from the guest"), "read it as %s", path);
    rc = xenbus_write_bytes(0, "data/bin", "a\0b", 3);
    if (rc == 0)
        rc = xenbus_read(0, "data/bin", buf, sizeof(buf), &len);
    gtest_ok(rc == 0 && len == 3 && memcmp(buf, "a\0b", 3) == 0,
             "a raw value with a NUL: %lu bytes", (unsigned long)len);
    for (unsigned i = 0; i < BIG_VALUE; i++)
        big[i] = (char)('a' + i % 26);
    rc = xenbus_write(0, "data/big", big);
    if (rc == 0)
        rc = xenbus_read(0, "data/big", back, sizeof(back), &len);
    gtest_ok(rc == 0 && len == BIG_VALUE && memcmp(big, back, BIG_VALUE) == 0,
             "a %u-byte value through the 1 KiB ring", BIG_VALUE);
    gtest_refused(xenbus_read(0, "data/big", buf, 100, NULL), -XEN_E2BIG,
                  GTEST_AS_XEN, "read into a buffer too small");
    gtest_refused(xenbus_read(0, "data/none", buf, sizeof(buf), NULL),
                  -XEN_ENOENT, GTEST_AS_XEN, "read a missing node");
}

static void check_many(void)
{
    struct xenstore_domain_interface *intf = xenbus_ring();
    uint32_t before = intf->req_prod;
    unsigned ok = 0;

    for (unsigned i = 0; i < MANY_WRITES; i++) {
        char val[16];

        snprintf(val, sizeof(val), "%u", i);
        ok += xenbus_write(0, "data/count", val) == 0 &&
              read_is("data/count", val);
    }
    gtest_ok(ok == MANY_WRITES, "%u write+read pairs (%u bytes of requests)",
             ok, intf->req_prod - before);
}

static void check_dirs(void)
{
    static const char *const perms[] = {"n0", "r0"};
    char want[32];
    unsigned n = 0;
    int rc;

    rc = xenbus_mkdir(0, "data/dir");
    if (rc == 0)
        rc = xenbus_write(0, "data/dir/a", "1");
    if (rc == 0)
        rc = xenbus_write(0, "data/dir/b", "2");
    gtest_ok(rc == 0, "mkdir data/dir, two children");
    rc = xenbus_directory(0, "data/dir", buf, sizeof(buf), &n);
    gtest_ok(rc == 0 && n == 2 && strcmp(buf, "a") == 0 &&
                 strcmp(buf + 2, "b") == 0,
             "directory data/dir: %u names", n);
    gtest_ok(xenbus_rm(0, "data/dir") == 0, "rm data/dir (recursive)");
    gtest_refused(xenbus_read(0, "data/dir/a", buf, sizeof(buf), NULL),
                  -XEN_ENOENT, GTEST_AS_XEN, "a removed child");
    gtest_ok(xenbus_rm(0, "data/dir") == 0, "rm of a missing node: 0");
    gtest_refused(xenbus_rm(0, "data/dir/a/b"), -XEN_ENOENT, GTEST_AS_XEN,
                  "rm under a missing parent");
    snprintf(want, sizeof(want), "n%u", me);
    rc = xenbus_get_perms(0, "data/greeting", buf, sizeof(buf));
    gtest_ok(rc == 0 && strcmp(buf, want) == 0, "data/greeting is ours: %s",
             buf);
    gtest_refused(xenbus_set_perms(0, "data/greeting", perms, 2), -XEN_EPERM,
                  GTEST_AS_XEN, "give our node to dom0");
}

/* ---- 3. refusals ---- */

static void check_refusals(uint32_t other)
{
    char p[96];

    snprintf(p, sizeof(p), "/local/domain/%u/name", other);
    gtest_refused(xenbus_read(0, p, buf, sizeof(buf), NULL), -XEN_EACCES,
                  GTEST_AS_XEN, "read %s", p);
    gtest_refused(xenbus_rm(0, p), -XEN_EACCES, GTEST_AS_XEN, "rm %s", p);
    snprintf(p, sizeof(p), "/local/domain/%u/data/x", other);
    gtest_refused(xenbus_write(0, p, "1"), -XEN_EACCES, GTEST_AS_XEN,
                  "write %s", p);
    gtest_refused(xenbus_mkdir(0, p), -XEN_EACCES, GTEST_AS_XEN, "mkdir %s", p);
    snprintf(p, sizeof(p), "/local/domain/%u", other);
    gtest_refused(xenbus_directory(0, p, buf, sizeof(buf), NULL), -XEN_EACCES,
                  GTEST_AS_XEN, "directory %s", p);
    gtest_refused(xenbus_write(0, "/local/domain/0/x", "1"), -XEN_EACCES,
                  GTEST_AS_XEN, "write /local/domain/0/x");
    gtest_refused(xenbus_read(0, "/local/domain", buf, sizeof(buf), NULL),
                  -XEN_EACCES, GTEST_AS_XEN, "read /local/domain");
    gtest_refused(xenbus_write(0, "name", "thief"), -XEN_EACCES, GTEST_AS_XEN,
                  "write our own name (dom0's key)");
    gtest_refused(xenbus_write(0, "/tool/x", "1"), -XEN_EACCES, GTEST_AS_XEN,
                  "write /tool/x");
    memset(buf, 'x', sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    gtest_refused(xenbus_write(0, "data/huge", buf), -XEN_E2BIG, GTEST_AS_XEN,
                  "a request over XENSTORE_PAYLOAD_MAX (the client's own)");
}

/* ---- 4. watches ---- */

/* The next event must be path with token. */
static int event_is(const char *path, const char *token)
{
    char p[128], t[64];
    int rc = xenbus_wait_event(p, sizeof(p), t, sizeof(t),
                               time_now_ns() + 5000 * MS);

    if (rc != 0) {
        printf("xenstore: no event (%d), wanted %s %s\n", rc, path, token);
        return 0;
    }
    if (strcmp(p, path) != 0 || strcmp(t, token) != 0)
        printf("xenstore: event %s %s, wanted %s %s\n", p, t, path, token);
    return strcmp(p, path) == 0 && strcmp(t, token) == 0;
}

/* The next two events are these two, in either order. */
static int two_events(const char *p1, const char *t1, const char *p2,
                      const char *t2)
{
    char p[2][128], t[2][64];

    for (int i = 0; i < 2; i++)
        if (xenbus_wait_event(p[i], sizeof(p[i]), t[i], sizeof(t[i]),
                              time_now_ns() + 5000 * MS) != 0)
            return 0;
    if (strcmp(t[0], t1) != 0) {
        const char *sp = p1, *st = t1;

        p1 = p2;
        t1 = t2;
        p2 = sp;
        t2 = st;
    }
    return strcmp(p[0], p1) == 0 && strcmp(t[0], t1) == 0 &&
           strcmp(p[1], p2) == 0 && strcmp(t[1], t2) == 0;
}

static void check_watches(void)
{
    char abs[96];

    gtest_ok(xenbus_watch("data", "rel") == 0 && event_is("data", "rel"),
             "watch data: the initial event");
    gtest_ok(xenbus_write(0, "data/w1", "1") == 0 && event_is("data/w1", "rel"),
             "our write fires it, the path relative");
    snprintf(abs, sizeof(abs), "%s/data/w2", home);
    gtest_ok(xenbus_watch(abs, "abs") == 0 && event_is(abs, "abs"),
             "watch %s: the initial event", abs);
    gtest_ok(xenbus_write(0, "data/w2", "2") == 0 &&
                 two_events("data/w2", "rel", abs, "abs"),
             "one write, both watches, each with its own path");
    gtest_refused(xenbus_watch("data", "rel"), -XEN_EEXIST, GTEST_AS_XEN,
                  "the same watch twice");
    gtest_ok(xenbus_unwatch("data", "rel") == 0 &&
                 xenbus_unwatch(abs, "abs") == 0,
             "unwatch both");
    gtest_ok(xenbus_write(0, "data/w3", "3") == 0 &&
                 xenbus_wait_event(abs, sizeof(abs), buf, 64,
                                   time_now_ns() + 100 * MS) == -XEN_ETIMEDOUT,
             "no event after unwatch");
    gtest_refused(xenbus_unwatch("data", "rel"), -XEN_ENOENT, GTEST_AS_XEN,
                  "unwatch it again");
}

/* The script writes data/from-host once it sees data/ready. */
static void check_host_event(void)
{
    uint64_t until = time_now_ns() + HOST_WAIT;
    char p[128], t[32];
    int rc, seen = 0;

    gtest_ok(xenbus_watch("data", "host") == 0 && event_is("data", "host"),
             "watch data for the host");
    gtest_ok(xenbus_write(0, "data/ready", "1") == 0, "data/ready = 1");
    while (!seen &&
           (rc = xenbus_wait_event(p, sizeof(p), t, sizeof(t), until)) == 0)
        seen = strcmp(p, "data/from-host") == 0 && strcmp(t, "host") == 0;
    gtest_ok(seen, "the host's write fired our watch: %s", seen ? p : "none");
    gtest_ok(read_is("data/from-host", "hello-guest"),
             "data/from-host = hello-guest");
    xenbus_unwatch("data", "host");
}

/* ---- 5. the XenBus state machine ---- */

static void check_states(void)
{
    enum xenbus_state st = XenbusStateConnected;
    uint32_t connected = xenbus_state_bit(XenbusStateConnected);
    int rc;

    rc = xenbus_read_state(0, "data/be", &st);
    gtest_ok(rc == 0 && st == XenbusStateUnknown,
             "data/be/state missing: Unknown");
    rc = xenbus_switch_state(0, "data/fe", XenbusStateInitialised);
    gtest_ok(rc == 0 && read_is("data/fe/state", "3"),
             "switch data/fe to Initialised");
    st = XenbusStateUnknown;
    rc =
        xenbus_wait_state("data/be", connected, &st, time_now_ns() + HOST_WAIT);
    gtest_ok(rc == 0 && st == XenbusStateConnected,
             "the host took data/be to Connected (%d)", (int)st);
    gtest_ok(xenbus_switch_state(0, "data/fe", XenbusStateConnected) == 0,
             "switch data/fe to Connected");
    gtest_ok(xenbus_wait_state("data/fe", connected, &st, 0) == 0,
             "wait for a state that is there already");
}

/* ---- 6. transactions ---- */

static unsigned txn_tries;
static int txn_interfere;

/* Add one to data/counter; the first time, change it behind our back. */
static int txn_increment(xenbus_txn_t tx, void *arg)
{
    unsigned long v = 0;
    int rc;

    (void)arg;
    txn_tries++;
    rc = xenbus_read_ulong(tx, "data/counter", &v);
    if (rc < 0 && rc != -XEN_ENOENT)
        return rc;
    if (txn_interfere-- > 0)
        xenbus_write(XENBUS_NO_TXN, "data/counter", "100");
    return xenbus_printf(tx, "data", "counter", "%lu", v + 1);
}

static void check_transactions(void)
{
    xenbus_txn_t tx = 0;
    int rc;

    rc = xenbus_txn_start(&tx);
    if (rc == 0)
        rc = xenbus_write(tx, "data/txn/a", "1");
    if (rc == 0 &&
        xenbus_read(0, "data/txn/a", buf, sizeof(buf), NULL) != -XEN_ENOENT)
        rc = -XEN_EEXIST;
    if (rc == 0)
        rc = xenbus_txn_end(tx, 0);
    gtest_ok(rc == 0 && tx != 0 && read_is("data/txn/a", "1"),
             "a write in transaction %u shows only at commit", tx);
    rc = xenbus_txn_start(&tx);
    if (rc == 0)
        rc = xenbus_write(tx, "data/txn/b", "1");
    if (rc == 0)
        rc = xenbus_txn_end(tx, 1);
    gtest_ok(rc == 0 && xenbus_read(0, "data/txn/b", buf, sizeof(buf), NULL) ==
                            -XEN_ENOENT,
             "an aborted transaction leaves nothing");
    rc = xenbus_txn_start(&tx);
    if (rc == 0)
        rc = xenbus_read(tx, "data/txn/a", buf, sizeof(buf), NULL);
    if (rc == 0)
        rc = xenbus_write(tx, "data/txn/a", "2");
    if (rc == 0)
        rc = xenbus_write(0, "data/txn/a", "3");
    gtest_ok(rc == 0, "a transaction and a conflicting write outside it");
    gtest_refused(xenbus_txn_end(tx, 0), -XEN_EAGAIN, GTEST_AS_XEN,
                  "its commit");
    gtest_ok(read_is("data/txn/a", "3"), "the outside write stands");
    txn_interfere = 1;
    rc = xenbus_transaction(txn_increment, NULL, 5);
    gtest_ok(rc == 0 && txn_tries == 2 && read_is("data/counter", "101"),
             "the retry helper redid the transaction (%u tries)", txn_tries);
    gtest_refused(xenbus_read(0xdead, "data/counter", buf, sizeof(buf), NULL),
                  -XEN_ENOENT, GTEST_AS_XEN, "an unknown transaction id");
}

/* ---- 7. a hostile ring ---- */

/* Put bytes into the req stream behind the client's back. */
static void raw_put(const void *data, uint32_t len, uint32_t skew)
{
    struct xenstore_domain_interface *intf = xenbus_ring();
    uint32_t prod = intf->req_prod;

    for (uint32_t i = 0; i < len; i++)
        intf->req[MASK_XENSTORE_IDX(prod + i)] = ((const char *)data)[i];
    __atomic_store_n(&intf->req_prod, prod + len + skew, __ATOMIC_RELEASE);
    evtchn_send(xenbus_port());
}

static int wait_error(uint32_t want)
{
    uint64_t until = time_now_ns() + 5000 * MS;

    while (__atomic_load_n(&xenbus_ring()->error, __ATOMIC_ACQUIRE) != want &&
           time_now_ns() < until)
        time_sleep_ns(MS);
    return xenbus_ring()->error == want;
}

static void check_hostile(void)
{
    struct xsd_sockmsg big = {.type = XS_READ, .req_id = 77, .len = 5000};
    uint32_t id = 0;
    int rc;

    raw_put("", 0, 2000);
    gtest_ok(wait_error(XENSTORE_ERROR_RINGIDX),
             "a producer 2000 bytes ahead: error RINGIDX");
    rc = xenbus_reconnect();
    if (rc == 0)
        rc = xenbus_domid(&id);
    gtest_ok(rc == 0 && id == me, "reconnect, and the store answers again");
    gtest_ok(xenbus_ring()->error == XENSTORE_ERROR_NONE,
             "the error field is clear");
    raw_put(&big, sizeof(big), 0);
    gtest_ok(wait_error(XENSTORE_ERROR_PROTO),
             "a 5000-byte payload: error PROTO");
    gtest_ok(xenbus_reconnect() == 0 &&
                 read_is("data/greeting", "hello from the guest"),
             "reconnect again; our nodes are still there");
}

/* ---- 8. bench ---- */

static void bench(unsigned long ms)
{
    uint64_t end, n;

    xenbus_write(0, "data/bench", "0123456789");
    n = 0;
    for (end = time_now_ns() + ms * MS; time_now_ns() < end; n++)
        xenbus_read(0, "data/bench", buf, sizeof(buf), NULL);
    printf("xenstore: bench READ %lu ops/s\n", (unsigned long)(n * 1000 / ms));
    n = 0;
    for (end = time_now_ns() + ms * MS; time_now_ns() < end; n++)
        xenbus_write(0, "data/bench", "0123456789");
    printf("xenstore: bench WRITE %lu ops/s\n", (unsigned long)(n * 1000 / ms));
}

/* Everything but the bench: the checks of 0..7. */
static void check_all(void)
{
    if (gtest_arg("reboot-once"))
        reboot_once();
    check_values();
    check_many();
    check_dirs();
    if (gtest_value("other", 0))
        check_refusals((uint32_t)gtest_value("other", 0));
    else
        gtest_skip("another domain's keys: no other= on the command line");
    check_watches();
    check_host_event();
    check_states();
    check_transactions();
    if (gtest_arg("hostile"))
        check_hostile();
}

int guest_main(struct start_info *si)
{
    struct xsd_sockmsg half = {.type = XS_READ, .req_id = 1, .len = 10};
    unsigned long bench_ms;
    int rc;

    gtest_begin("xenstore", si);
    bench_ms = gtest_value("bench", 0);
    gtest_ok(time_init() == 0, "time_init");
    rc = xenbus_init();
    if (!gtest_ok(rc == 0, "xenbus_init: port %u (%d)", si->store_evtchn, rc))
        return gtest_end();
    check_identity(si);
    if (bench_ms)
        bench(bench_ms);
    else
        check_all();
    gtest_ok(xenbus_write(0, "data/result", "ok") == 0, "data/result = ok");
    printf("xenstore: %lu requests, %lu events (%lu dropped)\n",
           (unsigned long)xenbus_stats.requests,
           (unsigned long)xenbus_stats.events,
           (unsigned long)xenbus_stats.events_dropped);
    rc = gtest_end();
    if (gtest_arg("die-mid-request"))
        raw_put(&half, 8, 0); /* half a header, and gone */
    return rc;
}
