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
// usage: vstored_bench --vstored PATH [--seconds S] [--rounds N]
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

struct figures {
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
 * Every figure is taken rounds times, alternating vstored and echo so
 * that both see the same machine (others may be busy on it), and the
 * median is kept.
 */
static int measure(const char *vsock, const char *esock, double secs,
                   int rounds, struct figures *v, struct figures *e)
{
    static const int nclients[2] = {1, MAX_CLIENTS};
    double a[16], b[16], am[16], ap[16], bm[16], bp[16];

    for (int w = W_READ; w <= W_TXN; w++) {
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < rounds; r++) {
                a[r] = run_workers(vsock, (enum work)w, nclients[c], secs,
                                   &v->retries);
                b[r] =
                    run_workers(esock, (enum work)w, nclients[c], secs, NULL);
                if (a[r] < 0 || b[r] < 0)
                    return -1;
            }
            v->ops[w][c] = median_of(a, rounds);
            e->ops[w][c] = median_of(b, rounds);
        }
    }
    for (int r = 0; r < rounds; r++) {
        if (watch_latency(vsock, false, &am[r], &ap[r]) != 0 ||
            watch_latency(esock, true, &bm[r], &bp[r]) != 0)
            return -1;
    }
    v->lat_med = median_of(am, rounds);
    v->lat_p99 = median_of(ap, rounds);
    e->lat_med = median_of(bm, rounds);
    e->lat_p99 = median_of(bp, rounds);
    return 0;
}

static void row(const char *what, const char *unit, double v, double e)
{
    printf("  %-36s %-6s %12.0f %12.0f %8.2f\n", what, unit, v, e,
           e > 0 ? v / e : 0.0);
}

int main(int argc, char **argv)
{
    const char *bin = NULL;
    double secs = 0.5;
    int rounds = 3;
    char dir[] = "/tmp/vstored-bench.XXXXXX", vpath[128], epath[128];
    struct figures v = {0}, e = {0};
    pid_t vpid = -1, epid = -1;
    char load[64] = "?";
    FILE *la;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--vstored") == 0 && i + 1 < argc)
            bin = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            secs = atof(argv[++i]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
    }
    if (bin == NULL || secs <= 0 || rounds < 1 || rounds > 16) {
        fprintf(stderr, "usage: vstored_bench --vstored PATH [--seconds S] "
                        "[--rounds N]\n");
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
    vpid = vstored_start(bin, vpath);
    epid = vsb_echo_start(epath);
    if (vpid < 0 || epid < 0 || wait_listening(vpath) ||
        wait_listening(epath)) {
        fprintf(stderr, "vstored_bench: cannot start the servers\n");
        goto out;
    }
    if (measure(vpath, epath, secs, rounds, &v, &e) != 0) {
        fprintf(stderr, "vstored_bench: a request failed\n");
        goto out;
    }
    printf("== vstored over its unix socket vs an echo server on the same "
           "socket type\n   (median of %d alternating runs of %.1f s; "
           "load average at start %s)\n",
           rounds, secs, load);
    printf("  %-36s %-6s %12s %12s %8s\n", "", "", "vstored", "echo", "ratio");
    row("READ, 1 client", "ops/s", v.ops[W_READ][0], e.ops[W_READ][0]);
    row("READ, 8 clients", "ops/s", v.ops[W_READ][1], e.ops[W_READ][1]);
    row("WRITE, 1 client", "ops/s", v.ops[W_WRITE][0], e.ops[W_WRITE][0]);
    row("WRITE, 8 clients", "ops/s", v.ops[W_WRITE][1], e.ops[W_WRITE][1]);
    row("txn (start, 8 writes, commit), 1 cl.", "txn/s", v.ops[W_TXN][0],
        e.ops[W_TXN][0]);
    row("txn, 8 clients", "txn/s", v.ops[W_TXN][1], e.ops[W_TXN][1]);
    printf("  %-36s %-6s %12.1f %12.1f %8.2f\n",
           "watch fire latency, median (echo RTT)", "us", v.lat_med, e.lat_med,
           v.lat_med / e.lat_med);
    printf("  %-36s %-6s %12.1f %12.1f %8.2f\n", "watch fire latency, p99",
           "us", v.lat_p99, e.lat_p99, v.lat_p99 / e.lat_p99);
    printf("  transactions retried after EAGAIN: %lu\n", v.retries);
    rc = 0;
out:
    stop(vpid);
    stop(epid);
    unlink(vpath);
    unlink(epath);
    rmdir(dir);
    return rc;
}
