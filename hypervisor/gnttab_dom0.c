/* SPDX-License-Identifier: MIT */
/*
 * Grants to domain 0: host processes (backends, vstored) map or copy the
 * pages guests granted to domid 0, over the control socket (control.c,
 * VN_CTL_GNT_*).
 *
 * A map checks and pins the guest's entry exactly as a domU mapping would
 * (GTF_reading, and GTF_writing with the writable type for a writable
 * one), records it under the client's connection, and hands the client
 * the granter's RAM file (read-only for a read-only grant) and the page's
 * offset in it, for one mmap. Dom0 processes are root and trusted as
 * Xen's dom0 is (its privcmd could map any page): what bounds them is the
 * library (dom0-tools/libvngnt), which maps exactly the granted page and
 * closes the file; veneerd trusts its unmap, and drops whatever a
 * connection still holds when it closes. A copy pins the entry just for
 * the copy, which veneerd makes itself.
 *
 * Runs on the daemon's control thread; the table has its own lock.
 */
#include <pthread.h>
#include <string.h>

#include "veneerd.h"

/* One mapping held by a host process. */
struct gnttab_dom0_map {
    bool used;
    int owner; /* the control connection it was made on */
    domid_t dom;
    grant_ref_t ref;
    uint32_t pins; /* GNTPIN_HSTR or GNTPIN_HSTW */
    struct gnttab_ram *ram;
};

static struct {
    struct gnttab_dom0_map maps[VN_GNTTAB_DOM0_MAX_MAPS];
    pthread_mutex_t lock;
} gnttab_dom0 = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Pin rd's grant ref for dom0; GNTST_*. */
static int gnttab_dom0_pin(domid_t dom, grant_ref_t ref, uint32_t pins,
                           bool map, struct domain **rd, uint64_t *slot)
{
    int st;

    *rd = domain_get(dom);
    if (!*rd)
        return GNTST_bad_domain;
    pthread_mutex_lock(&(*rd)->mm_lock);
    st = gnttab_pin(*rd, ref, 0, pins, map, slot);
    pthread_mutex_unlock(&(*rd)->mm_lock);
    return st;
}

/*
 * gnttab_dom0_map - map grant (dom, ref) for a host process.
 *
 * Parameters: owner - the control connection (its fd); readonly - a
 * read-only mapping (required if the grant is GTF_readonly); handle, offset,
 * fd - OUT: the mapping's handle, the page's offset in the file and the
 * file to pass (veneerd's own: the caller sends it, never closes it).
 * Return values: GNTST_okay; GNTST_bad_domain; GNTST_no_space (every
 * dom0 mapping slot is taken); gnttab_pin's answers.
 */
int gnttab_dom0_map(int owner, domid_t dom, grant_ref_t ref, bool readonly,
                    uint32_t *handle, uint64_t *offset, int *fd)
{
    uint32_t pins = readonly ? GNTPIN_HSTR : GNTPIN_HSTW, h;
    struct domain *rd = NULL;
    uint64_t slot;
    int st;

    pthread_mutex_lock(&gnttab_dom0.lock);
    for (h = 0; h < VN_GNTTAB_DOM0_MAX_MAPS; h++)
        if (!gnttab_dom0.maps[h].used)
            break;
    st = h == VN_GNTTAB_DOM0_MAX_MAPS ? GNTST_no_space : GNTST_okay;
    if (st == GNTST_okay)
        st = gnttab_dom0_pin(dom, ref, pins, true, &rd, &slot);
    if (st == GNTST_okay) {
        gnttab_dom0.maps[h] = (struct gnttab_dom0_map){
            .used = true,
            .owner = owner,
            .dom = dom,
            .ref = ref,
            .pins = pins,
            .ram = gnttab_ram_get(rd->gt->ram),
        };
        *handle = h;
        *offset = slot * PAGE_SIZE;
        *fd = readonly ? rd->gt->ram->ro_fd : rd->gt->ram->rw_fd;
    }
    pthread_mutex_unlock(&gnttab_dom0.lock);
    domain_put(rd);
    return st;
}

/* Drop mapping h; the table's lock held. */
static void gnttab_dom0_drop(uint32_t h)
{
    struct gnttab_dom0_map *m = &gnttab_dom0.maps[h];

    gnttab_unpin_remote(NULL, m->dom, m->ref, m->pins, m->ram);
    gnttab_ram_put(m->ram);
    *m = (struct gnttab_dom0_map){0};
}

/*
 * gnttab_dom0_unmap - the host process unmapped mapping handle (made on
 * connection owner): unpin it.
 * Return values: GNTST_okay; GNTST_bad_handle (no such mapping of owner).
 */
int gnttab_dom0_unmap(int owner, uint32_t handle)
{
    int st = GNTST_bad_handle;

    pthread_mutex_lock(&gnttab_dom0.lock);
    if (handle < VN_GNTTAB_DOM0_MAX_MAPS && gnttab_dom0.maps[handle].used &&
        gnttab_dom0.maps[handle].owner == owner) {
        gnttab_dom0_drop(handle);
        st = GNTST_okay;
    }
    pthread_mutex_unlock(&gnttab_dom0.lock);
    return st;
}

/* gnttab_dom0_release - connection owner closed: drop its mappings (its
 * process has unmapped them, or died and so lost them). */
void gnttab_dom0_release(int owner)
{
    pthread_mutex_lock(&gnttab_dom0.lock);
    for (uint32_t h = 0; h < VN_GNTTAB_DOM0_MAX_MAPS; h++)
        if (gnttab_dom0.maps[h].used && gnttab_dom0.maps[h].owner == owner)
            gnttab_dom0_drop(h);
    pthread_mutex_unlock(&gnttab_dom0.lock);
}

/*
 * gnttab_dom0_copy - copy len bytes between buf and offset in the page of
 * grant (dom, ref), which must be granted to dom0 (and writable, to
 * write it).
 * Return values: GNTST_okay (also for len 0); GNTST_bad_copy_arg (past
 * the page); GNTST_bad_domain; gnttab_pin's answers.
 */
int gnttab_dom0_copy(domid_t dom, grant_ref_t ref, uint32_t offset, void *buf,
                     uint32_t len, bool to_guest)
{
    uint32_t pins = to_guest ? GNTPIN_HSTW : GNTPIN_HSTR;
    struct domain *rd = NULL;
    uint64_t slot;
    int st;

    if (len == 0)
        return GNTST_okay;
    if (offset > PAGE_SIZE || len > PAGE_SIZE - offset)
        return GNTST_bad_copy_arg;
    st = gnttab_dom0_pin(dom, ref, pins, false, &rd, &slot);
    if (st == GNTST_okay) {
        uint8_t *page = domain_slot_ptr(rd, slot);

        if (to_guest)
            memcpy(page + offset, buf, len);
        else
            memcpy(buf, page + offset, len);
        pthread_mutex_lock(&rd->mm_lock);
        gnttab_unpin(rd, ref, pins);
        pthread_mutex_unlock(&rd->mm_lock);
    }
    domain_put(rd);
    return st;
}
