// SPDX-License-Identifier: MIT
// vstored_bench: the store's throughput and latency over its unix
// socket, side by side with a trivial echo server on the same socket type
// (vstored_bench_echo.c), so every figure comes with the transport's
// floor from the same run:
//   READ and WRITE ops/s with one client and with eight at once;
//   transactions/s (start, 8 writes, commit), one and eight clients;
//   watch-fire latency (a write on one connection until the event
//   arrives on another), against the echo round trip.
//
// usage: vstored_bench --vstored PATH [--peer NAME=SOCKET]... [--seconds S]
//        [--rounds N]
// A peer is another store already listening (bench/vstored_vs_xenstored.sh
// starts Debian's xenstored for that).
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vstored_bench.h"

#define MAX_CLIENTS 8
#define LAT_SAMPLES 2000

double vsb_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int vsb_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int vsb_send(int fd, uint32_t type, uint32_t tx, const void *a, size_t alen,
             const void *b, size_t blen)
{
    struct xsd_sockmsg h = {.type = type,
                            .req_id = type,
                            .tx_id = tx,
                            .len = (uint32_t)(alen + blen)};
    char buf[sizeof(h) + XENSTORE_PAYLOAD_MAX];

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), a, alen);
    if (blen)
        memcpy(buf + sizeof(h) + alen, b, blen);
    return send(fd, buf, sizeof(h) + alen + blen, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static int read_full(int fd, void *p, size_t len)
{
    while (len > 0) {
        ssize_t n = recv(fd, p, len, 0);

        if (n <= 0)
            return -1;
        p = (char *)p + n;
        len -= (size_t)n;
    }
    return 0;
}

int vsb_recv(int fd, struct vsb_msg *m)
{
    if (read_full(fd, &m->hdr, sizeof(m->hdr)) != 0 ||
        m->hdr.len > XENSTORE_PAYLOAD_MAX ||
        read_full(fd, m->data, m->hdr.len) != 0)
        return -1;
    m->data[m->hdr.len] = '\0';
    return 0;
}

/* One request and its reply (watch events on the way are skipped). */
int vsb_rpc(int fd, uint32_t type, uint32_t tx, const void *a, size_t alen,
            const void *b, size_t blen, struct vsb_msg *m)
{
    if (vsb_send(fd, type, tx, a, alen, b, blen) != 0)
        return -1;
    do {
        if (vsb_recv(fd, m) != 0)
            return -1;
    } while (m->hdr.type == XS_WATCH_EVENT);
    return 0;
}

/* ---- the workloads ---- */

enum work { W_READ, W_WRITE, W_TXN };

struct worker {
    pthread_t th;
    const char *sock;
    enum work work;
    int id;
    atomic_bool *stop;
    unsigned long ops;
    unsigned long retries;
    int failed;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct vsb_msg m;
    char path[64], key[64];
    int fd = vsb_connect(w->sock);

    if (fd < 0) {
        w->failed = 1;
        return NULL;
    }
    snprintf(path, sizeof(path), "/bench/c%d/key", w->id);
    /* The node READ reads; also primes each client's subtree. */
    if (vsb_rpc(fd, XS_WRITE, 0, path, strlen(path) + 1, "value", 5, &m))
        w->failed = 1;
    while (!w->failed && !atomic_load_explicit(w->stop, memory_order_relaxed)) {
        uint32_t tx;

        switch (w->work) {
        case W_READ:
            w->failed |= vsb_rpc(fd, XS_READ, 0, path, strlen(path) + 1, NULL,
                                 0, &m) != 0 ||
                         m.hdr.type == XS_ERROR;
            break;
        case W_WRITE:
            w->failed |= vsb_rpc(fd, XS_WRITE, 0, path, strlen(path) + 1,
                                 "value", 5, &m) != 0 ||
                         m.hdr.type == XS_ERROR;
            break;
        case W_TXN:
            w->failed |=
                vsb_rpc(fd, XS_TRANSACTION_START, 0, "", 1, NULL, 0, &m) != 0 ||
                m.hdr.type == XS_ERROR;
            tx = (uint32_t)strtoul(m.data, NULL, 10);
            for (int i = 0; i < 8 && !w->failed; i++) {
                snprintf(key, sizeof(key), "/bench/c%d/t%d", w->id, i);
                w->failed |= vsb_rpc(fd, XS_WRITE, tx, key, strlen(key) + 1,
                                     "v", 1, &m) != 0 ||
                             m.hdr.type == XS_ERROR;
            }
            w->failed |=
                vsb_rpc(fd, XS_TRANSACTION_END, tx, "T", 2, NULL, 0, &m) != 0;
            if (!w->failed && m.hdr.type == XS_ERROR) {
                w->retries++; /* EAGAIN: a real client would redo it */
                continue;
            }
            break;
        }
        w->ops++;
    }
    close(fd);
    return NULL;
}

/* Runs nclients workers for secs; returns operations per second, or -1. */
static double run_workers(const char *sock, enum work work, int nclients,
                          double secs, unsigned long *retries)
{
    struct worker w[MAX_CLIENTS];
    atomic_bool stop = false;
    unsigned long ops = 0;
    int failed = 0;
    double t0, t1;

    memset(w, 0, sizeof(w));
    t0 = vsb_now();
    for (int i = 0; i < nclients; i++) {
        w[i] =
            (struct worker){.sock = sock, .work = work, .id = i, .stop = &stop};
        pthread_create(&w[i].th, NULL, worker_run, &w[i]);
    }
    usleep((useconds_t)(secs * 1e6));
    atomic_store(&stop, true);
    for (int i = 0; i < nclients; i++) {
        pthread_join(w[i].th, NULL);
        ops += w[i].ops;
        failed |= w[i].failed;
        if (retries)
            *retries += w[i].retries;
    }
    t1 = vsb_now();
    return failed ? -1 : (double)ops / (t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/*
 * Watch-fire latency: a watcher connection watches /bench/w; a writer
 * writes /bench/w/x; the time from the write's send until the watcher
 * has the event. With echo (no watches), the same send-until-received
 * shape is one message's round trip. Fills median and p99 in us.
 */
static int watch_latency(const char *sock, bool echo, double *med, double *p99)
{
    static double lat[LAT_SAMPLES];
    int wfd = vsb_connect(sock), xfd = vsb_connect(sock);
    static const char wp[] = "/bench/w", xp[] = "/bench/w/x";
    struct vsb_msg m;
    int rc = -1;

    if (wfd < 0 || xfd < 0)
        goto out;
    if (!echo && (vsb_rpc(wfd, XS_WATCH, 0, wp, sizeof(wp), "t", 2, &m) ||
                  vsb_recv(wfd, &m) != 0)) /* the initial event */
        goto out;
    for (int i = 0; i < LAT_SAMPLES; i++) {
        double t0 = vsb_now();

        if (vsb_send(xfd, XS_WRITE, 0, xp, sizeof(xp), "v", 1) != 0 ||
            vsb_recv(echo ? xfd : wfd, &m) != 0)
            goto out;
        lat[i] = (vsb_now() - t0) * 1e6;
        if (!echo && vsb_recv(xfd, &m) != 0) /* the writer's OK */
            goto out;
    }
    qsort(lat, LAT_SAMPLES, sizeof(lat[0]), cmp_double);
    *med = lat[LAT_SAMPLES / 2];
    *p99 = lat[LAT_SAMPLES * 99 / 100];
    rc = 0;
out:
    if (wfd >= 0)
        close(wfd);
    if (xfd >= 0)
        close(xfd);
    return rc;
}

/* ---- the two servers ---- */

static int wait_listening(const char *path)
{
    for (int i = 0; i < 500; i++) {
        int fd = vsb_connect(path);

        if (fd >= 0) {
            close(fd);
            return 0;
        }
        usleep(10000);
    }
    return -1;
}

static pid_t vstored_start(const char *bin, const char *path)
{
    pid_t pid = fork();

    if (pid == 0) {
        execl(bin, bin, "--foreground", "--socket", path, "--log-file",
              "/dev/null", "--quota-transactions", "64", (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

#define MAX_TARGETS 4

/* A server under test and its figures. */
struct target {
    const char *name;
    const char *sock;
    bool echo;        /* no store semantics: watch latency is its round trip */
    double ops[3][2]; /* work x {1, 8 clients} */
    unsigned long retries;
    double lat_med, lat_p99;
};

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
    return v[n / 2];
}

/*
 * Every figure is taken rounds times, cycling through the targets so that
 * all see the same machine (others may be busy on it), and the median is
 * kept.
 */
static int measure(struct target *t, int nt, double secs, int rounds)
{
    static const int nclients[2] = {1, MAX_CLIENTS};
    double s[MAX_TARGETS][16], m[MAX_TARGETS][16], p[MAX_TARGETS][16];

    for (int w = W_READ; w <= W_TXN; w++) {
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < nt; i++) {
                    s[i][r] = run_workers(t[i].sock, (enum work)w, nclients[c],
                                          secs, &t[i].retries);
                    if (s[i][r] < 0) {
                        fprintf(stderr, "vstored_bench: %s failed\n",
                                t[i].name);
                        return -1;
                    }
                }
            }
            for (int i = 0; i < nt; i++)
                t[i].ops[w][c] = median_of(s[i], rounds);
        }
    }
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < nt; i++) {
            if (watch_latency(t[i].sock, t[i].echo, &m[i][r], &p[i][r])) {
                fprintf(stderr, "vstored_bench: %s: watch failed\n", t[i].name);
                return -1;
            }
        }
    }
    for (int i = 0; i < nt; i++) {
        t[i].lat_med = median_of(m[i], rounds);
        t[i].lat_p99 = median_of(p[i], rounds);
    }
    return 0;
}

/* One table row: the figure for each target, then vstored / echo. */
static void row(const struct target *t, int nt, const char *what,
                const char *unit, int w, int c)
{
    double v = t[0].ops[w][c], e = t[nt - 1].ops[w][c];

    printf("  %-32s %-5s", what, unit);
    for (int i = 0; i < nt; i++)
        printf(" %11.0f", t[i].ops[w][c]);
    printf(" %8.2f\n", e > 0 ? v / e : 0.0);
}

static void row_lat(const struct target *t, int nt, const char *what, bool p99)
{
    double v = p99 ? t[0].lat_p99 : t[0].lat_med;
    double e = p99 ? t[nt - 1].lat_p99 : t[nt - 1].lat_med;

    printf("  %-32s %-5s", what, "us");
    for (int i = 0; i < nt; i++)
        printf(" %11.1f", p99 ? t[i].lat_p99 : t[i].lat_med);
    printf(" %8.2f\n", e > 0 ? v / e : 0.0);
}

static void report(const struct target *t, int nt, double secs, int rounds,
                   const char *load)
{
    printf("== stores over a unix socket, with an echo server on the same "
           "socket type\n   (median of %d interleaved runs of %.1f s; "
           "load average at start %s)\n",
           rounds, secs, load);
    printf("  %-32s %-5s", "", "");
    for (int i = 0; i < nt; i++)
        printf(" %11s", t[i].name);
    printf(" %8s\n", "vs/echo");
    row(t, nt, "READ, 1 client", "ops/s", W_READ, 0);
    row(t, nt, "READ, 8 clients", "ops/s", W_READ, 1);
    row(t, nt, "WRITE, 1 client", "ops/s", W_WRITE, 0);
    row(t, nt, "WRITE, 8 clients", "ops/s", W_WRITE, 1);
    row(t, nt, "txn (start, 8 writes, commit)", "txn/s", W_TXN, 0);
    row(t, nt, "txn, 8 clients", "txn/s", W_TXN, 1);
    row_lat(t, nt, "watch fire latency, median", false);
    row_lat(t, nt, "watch fire latency, p99", true);
    printf("  (echo: the round trip of one message; transactions retried "
           "after EAGAIN:");
    for (int i = 0; i < nt - 1; i++)
        printf(" %s %lu", t[i].name, t[i].retries);
    printf(")\n");
}

static const char usage[] =
    "usage: vstored_bench --vstored PATH [--peer NAME=SOCKET]... "
    "[--seconds S] [--rounds N]\n"
    "  --peer: also measure a store already listening on SOCKET\n";

int main(int argc, char **argv)
{
    struct target t[MAX_TARGETS] = {{.name = "vstored"}};
    char dir[] = "/tmp/vstored-bench.XXXXXX", vpath[128], epath[128];
    const char *bin = NULL;
    double secs = 0.5;
    int rounds = 3, nt = 1;
    pid_t vpid = -1, epid = -1;
    char load[64] = "?";
    FILE *la;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        char *eq;

        if (strcmp(argv[i], "--vstored") == 0 && i + 1 < argc) {
            bin = argv[++i];
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            secs = atof(argv[++i]);
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc &&
                   (eq = strchr(argv[i + 1], '=')) != NULL &&
                   nt < MAX_TARGETS - 1) {
            *eq = '\0';
            t[nt].name = argv[++i];
            t[nt++].sock = eq + 1;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (bin == NULL || secs <= 0 || rounds < 1 || rounds > 16) {
        fputs(usage, stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    la = fopen("/proc/loadavg", "r");
    if (la != NULL) {
        if (fscanf(la, "%63s", load) != 1)
            strcpy(load, "?");
        fclose(la);
    }
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(vpath, sizeof(vpath), "%s/vstored.sock", dir);
    snprintf(epath, sizeof(epath), "%s/echo.sock", dir);
    t[0].sock = vpath;
    t[nt++] = (struct target){.name = "echo", .sock = epath, .echo = true};
    vpid = vstored_start(bin, vpath);
    epid = vsb_echo_start(epath);
    for (int i = 0; i < nt; i++) {
        if (wait_listening(t[i].sock) != 0) {
            fprintf(stderr, "vstored_bench: nothing listens on %s (%s)\n",
                    t[i].sock, t[i].name);
            goto out;
        }
    }
    if (vpid < 0 || epid < 0 || measure(t, nt, secs, rounds) != 0)
        goto out;
    report(t, nt, secs, rounds, load);
    rc = 0;
out:
    stop(vpid);
    stop(epid);
    unlink(vpath);
    unlink(epath);
    rmdir(dir);
    return rc;
}
