/* SPDX-License-Identifier: MIT */
/*
 * What the daemon tells the store (vstored, at RUNDIR/xenstored/socket)
 * about domains it handles on its own: a domain it tears down is released
 * (vstored fires @releaseDomain and drops its nodes), and a domain it
 * restarts in place gets its one-shot keys reset and is introduced again
 * (vstored attaches the new incarnation's store ring, as xenstored does
 * on a repeated XS_INTRODUCE). The store is optional: if it is not
 * running, there is nothing to tell.
 *
 * The messages go from a thread of their own, never from the event loop:
 * vstored itself calls veneerd's control socket (to map a store ring and
 * bind its event channel) while it serves a request, so a loop waiting
 * for vstored's answer could wait for itself. Jobs queue in order, at
 * most VN_STORE_QUEUE of them; the daemon's exit waits up to
 * VN_STORE_DRAIN_MS for the queue to empty.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../dom0-tools/libvstore/vstore.h"
#include "daemon.h"

enum store_job_kind { STORE_RELEASE, STORE_RESTARTED };

struct store_job {
    enum store_job_kind kind;
    uint32_t domid;
    uint32_t store_evtchn;
    uint32_t console_evtchn;
    uint64_t memory_kib;
    uint64_t store_mfn;
};

static struct {
    char sock[4096];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool started, stopping, idle;
    unsigned int head, count;
    struct store_job q[VN_STORE_QUEUE];
} st = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* The domain is gone: the store forgets it (as xenstored does when Xen
 * reports a dead domain). */
static void store_release(struct vstore *h, const struct store_job *j)
{
    if (vstore_release(h, j->domid) < 0)
        log_debug("dom%u: the store did not know the domain", j->domid);
}

static void store_put(struct vstore *h, uint32_t domid, const char *node,
                      unsigned long long val, bool empty)
{
    char path[80], buf[32];
    int n = 0;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, node);
    if (!empty)
        n = snprintf(buf, sizeof(buf), "%llu", val);
    if (vstore_write(h, 0, path, empty ? "" : buf, (size_t)n) < 0)
        log_debug("dom%u: cannot reset %s", domid, node);
}

/* The domain restarted in place: clear the request that stopped it, put
 * the memory target back to what it now has, record its new channels and
 * introduce it again, so that vstored serves the new guest's ring. */
static void store_restarted(struct vstore *h, const struct store_job *j)
{
    int rc;

    store_put(h, j->domid, "control/shutdown", 0, true);
    store_put(h, j->domid, "memory/target", j->memory_kib, false);
    store_put(h, j->domid, "store/port", j->store_evtchn, false);
    store_put(h, j->domid, "console/port", j->console_evtchn, false);
    if (vstore_is_introduced(h, j->domid) != 1)
        return;
    rc = vstore_introduce(h, j->domid, j->store_mfn, j->store_evtchn);
    if (rc < 0)
        log_warnx("dom%u: the store refused to introduce it again: %s",
                  j->domid, strerror(-rc));
}

static void store_run(const struct store_job *j)
{
    struct vstore *h = vstore_open(st.sock);

    if (!h)
        return;
    if (j->kind == STORE_RELEASE)
        store_release(h, j);
    else
        store_restarted(h, j);
    vstore_close(h);
}

static void *store_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&st.lock);
    for (;;) {
        struct store_job j;

        while (st.count == 0 && !st.stopping) {
            st.idle = true;
            pthread_cond_broadcast(&st.cond);
            pthread_cond_wait(&st.cond, &st.lock);
        }
        if (st.count == 0)
            break;
        st.idle = false;
        j = st.q[st.head];
        st.head = (st.head + 1) % VN_STORE_QUEUE;
        st.count--;
        pthread_mutex_unlock(&st.lock);
        store_run(&j);
        pthread_mutex_lock(&st.lock);
    }
    st.idle = true;
    pthread_cond_broadcast(&st.cond);
    pthread_mutex_unlock(&st.lock);
    return NULL;
}

/*
 * daemon_store_init - where the store listens, and start the thread that
 * talks to it. Without the thread (it could not start), nothing is told.
 */
void daemon_store_init(const char *rundir)
{
    int rc;

    snprintf(st.sock, sizeof(st.sock), "%s/xenstored/socket", rundir);
    rc = pthread_create(&st.thread, NULL, store_thread, NULL);
    if (rc != 0)
        log_warnx("%s: no store thread: %s", __func__, strerror(rc));
    st.started = rc == 0;
}

/*
 * daemon_store_fini - let the thread finish the queued jobs, waiting at
 * most VN_STORE_DRAIN_MS (a store that hangs must not hold the daemon's
 * exit); then stop it.
 */
void daemon_store_fini(void)
{
    struct timespec until;
    int rc = 0;

    if (!st.started)
        return;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += VN_STORE_DRAIN_MS / 1000;
    until.tv_nsec += (VN_STORE_DRAIN_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&st.lock);
    st.stopping = true;
    pthread_cond_broadcast(&st.cond);
    while (!(st.idle && st.count == 0) && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&st.cond, &st.lock, &until);
    pthread_mutex_unlock(&st.lock);
    if (rc == ETIMEDOUT) {
        log_warnx("%s: the store did not answer; %u jobs dropped", __func__,
                  st.count);
        pthread_detach(st.thread);
    } else {
        pthread_join(st.thread, NULL);
    }
    st.started = false;
}

static void store_queue(const struct store_job *j)
{
    if (!st.started)
        return;
    pthread_mutex_lock(&st.lock);
    if (st.count < VN_STORE_QUEUE) {
        st.q[(st.head + st.count) % VN_STORE_QUEUE] = *j;
        st.count++;
        pthread_cond_broadcast(&st.cond);
    } else {
        log_warnx("dom%u: store queue full: the store is not told", j->domid);
    }
    pthread_mutex_unlock(&st.lock);
}

/* daemon_store_release - the domain is gone; tell the store (queued). */
void daemon_store_release(uint32_t domid)
{
    store_queue(&(struct store_job){.kind = STORE_RELEASE, .domid = domid});
}

/* daemon_store_restarted - d restarted in place; tell the store
 * (queued). */
void daemon_store_restarted(const struct domain *d)
{
    store_queue(&(struct store_job){
        .kind = STORE_RESTARTED,
        .domid = d->id,
        .memory_kib = d->nr_pages * 4,
        .store_mfn = d->store_mfn,
        .store_evtchn = d->store_evtchn,
        .console_evtchn = d->console_evtchn,
    });
}
