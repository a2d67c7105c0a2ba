/* SPDX-License-Identifier: MIT */
/*
 * What the daemon tells the store (vstored, at RUNDIR/xenstored/socket)
 * about domains it handles on its own: a domain it tears down is released
 * (vstored fires @releaseDomain and drops its nodes), and a domain it
 * restarts in place gets its one-shot keys reset. The store is optional:
 * if it is not running, there is nothing to tell.
 */
#include <stdio.h>

#include "../dom0-tools/libvstore/vstore.h"
#include "daemon.h"

static char daemon_store_sock[4096];

void daemon_store_init(const char *rundir)
{
    snprintf(daemon_store_sock, sizeof(daemon_store_sock),
             "%s/xenstored/socket", rundir);
}

static struct vstore *daemon_store_open(void)
{
    return daemon_store_sock[0] ? vstore_open(daemon_store_sock) : NULL;
}

/* The domain is gone: the store forgets it (as xenstored does when Xen
 * reports a dead domain). */
void daemon_store_release(uint32_t domid)
{
    struct vstore *h = daemon_store_open();

    if (!h)
        return;
    if (vstore_release(h, domid) < 0)
        log_debug("dom%u: the store did not know the domain", domid);
    vstore_close(h);
}

/* The domain restarted in place: clear the request that stopped it and
 * put the memory target back to what it now has. */
void daemon_store_restarted(uint32_t domid, uint64_t memory_kib)
{
    struct vstore *h = daemon_store_open();
    char path[64], val[32];
    int n;

    if (!h)
        return;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    if (vstore_write(h, 0, path, "", 0) < 0)
        log_debug("dom%u: cannot reset control/shutdown", domid);
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", domid);
    n = snprintf(val, sizeof(val), "%llu", (unsigned long long)memory_kib);
    if (vstore_write(h, 0, path, val, (size_t)n) < 0)
        log_debug("dom%u: cannot reset memory/target", domid);
    vstore_close(h);
}
