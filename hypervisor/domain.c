/* SPDX-License-Identifier: MIT */
/*
 * Domain lifecycle: creating a domain's RAM and frames, finding it by id,
 * recording how it stopped, and releasing everything it held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/sched.h>

#include "veneerd.h"

static struct {
    struct domain *dom[VN_MAX_DOMAINS];
    domid_t next_id;
    pthread_mutex_t lock;
} domains = {.next_id = 1, .lock = PTHREAD_MUTEX_INITIALIZER};

uint8_t *domain_slot_ptr(struct domain *d, uint64_t slot)
{
    if (slot >= d->nr_slots)
        fatalx("%s: dom%u: slot %llu out of range (a veneerd bug)", __func__,
               d->id, (unsigned long long)slot);
    return d->ram + slot * PAGE_SIZE;
}

static int domain_register(struct domain *d)
{
    int rc = -ENOSPC;

    pthread_mutex_lock(&domains.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++) {
        if (domains.dom[i])
            continue;
        domains.dom[i] = d;
        d->id = domains.next_id++;
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&domains.lock);
    return rc;
}

static void domain_unregister(struct domain *d)
{
    pthread_mutex_lock(&domains.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (domains.dom[i] == d)
            domains.dom[i] = NULL;
    pthread_mutex_unlock(&domains.lock);
}

/*
 * domain_get - look up a live domain and hold it: domain_destroy waits
 * until every holder has called domain_put. For a thread acting on another
 * domain (a grant map, a copy); hold it only for the length of one op.
 * Return values: the domain, or NULL.
 */
struct domain *domain_get(domid_t id)
{
    struct domain *found = NULL;

    pthread_mutex_lock(&domains.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (domains.dom[i] && domains.dom[i]->id == id)
            found = domains.dom[i];
    if (found)
        __atomic_add_fetch(&found->refs, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_unlock(&domains.lock);
    return found;
}

/* domain_put - drop what domain_get took. */
void domain_put(struct domain *d)
{
    if (d)
        __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL);
}

/* No new holders (unregistered), then wait for the current ones: each
 * holds the domain for one op, microseconds. */
static void domain_wait_unused(struct domain *d)
{
    domain_unregister(d);
    while (__atomic_load_n(&d->refs, __ATOMIC_ACQUIRE))
        usleep(100);
}

/*
 * domain_by_id - look up a live domain.
 * Return values: the domain, or NULL.
 */
struct domain *domain_by_id(domid_t id)
{
    struct domain *found = NULL;

    pthread_mutex_lock(&domains.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (domains.dom[i] && domains.dom[i]->id == id)
            found = domains.dom[i];
    pthread_mutex_unlock(&domains.lock);
    return found;
}

/* The RAM memfd: mem_pages of RAM, one slot for shared_info, then the
 * grant-table frames' slots. */
static int domain_alloc_ram(struct domain *d, uint64_t mem_pages)
{
    char name[32];
    uint64_t slots = mem_pages + 1 + VN_GNTTAB_MAX_FRAMES;
    int rc;

    snprintf(name, sizeof(name), "veneer-dom%u-ram", d->id);
    d->ram_fd = memfd_create(name, MFD_CLOEXEC);
    if (d->ram_fd < 0)
        return -errno;
    if (ftruncate(d->ram_fd, (off_t)(slots * PAGE_SIZE)) < 0)
        return -errno;
    d->ram = mmap(NULL, slots * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                  d->ram_fd, 0);
    if (d->ram == MAP_FAILED) {
        d->ram = NULL;
        return -errno;
    }
    rc = frames_assign(d, slots);
    if (rc < 0)
        return rc;
    d->nr_pages = mem_pages;
    d->max_pages = mem_pages;
    d->shared_info_slot = mem_pages;
    d->gnttab_slot = mem_pages + 1;
    return gnttab_domain_init(d);
}

/*
 * domain_create - a new domain with mem_pages of RAM and one vCPU, not yet
 * built or started.
 * Return values: the domain, or NULL with errno set.
 */
struct domain *domain_create(const char *name, uint64_t mem_pages)
{
    struct domain *d = NULL;
    int rc;

    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->ram_fd = -1;
    d->pidfd = -1;
    d->mbox_fd = -1;
    d->notify_fd = -1;
    d->maps_fd = -1;
    d->con_fd = STDOUT_FILENO;
    d->pid = -1;
    d->state = DOM_BUILDING;
    d->nr_vcpus = 1;
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->con_lock, NULL);
    for (unsigned int i = 0; i < CONSOLE_MAX_CLIENTS; i++)
        d->con_clients[i] = -1;
    pthread_mutex_init(&d->mm_lock, NULL);
    pthread_mutex_init(&d->approvals_lock, NULL);
    for (unsigned int i = 0; i < STUB_MAX_VCPUS; i++) {
        d->vcpus[i].id = i;
        d->vcpus[i].dom = d;
        vcpu_init(&d->vcpus[i]);
    }
    rc = domain_register(d);
    if (rc == 0)
        rc = evtchn_domain_init(d); /* after register: it needs the id */
    if (rc == 0) {
        snprintf(d->name, sizeof(d->name), "%s", name);
        rc = domain_alloc_ram(d, mem_pages);
    }
    if (rc < 0) {
        domain_destroy(d);
        errno = -rc;
        return NULL;
    }
    return d;
}

/*
 * domain_reset - make a stopped domain fresh again for a restart in place:
 * same id, same machine frames (so the store and console pages keep their
 * MFNs), all memory zeroed, no process.
 * Return values: 0; -EBUSY if another domain or dom0 maps one of its
 * pages; -errno if the RAM could not be reset.
 */
int domain_reset(struct domain *d)
{
    uint64_t bytes = d->nr_slots * PAGE_SIZE;
    int rc;

    evtchn_domain_close(d); /* no other domain reaches it from here on */
    platform_release(d);
    /* Another domain mapping one of its pages would see the new guest's
     * memory there: no restart in place then (the caller destroys it). */
    rc = gnttab_domain_reset(d);
    if (rc < 0)
        return rc;
    console_flush(d);
    /* Dropping and re-extending the memfd frees and zeroes every page;
     * veneerd's own mapping stays valid. */
    if (ftruncate(d->ram_fd, 0) < 0 || ftruncate(d->ram_fd, (off_t)bytes) < 0)
        return -errno;
    mm_release(d);
    /* Zero: every RAM slot in use, M2P the identity (frames_is_ram). */
    memset(d->frames, 0, d->nr_slots * sizeof(*d->frames));
    d->nr_pages = d->max_pages = d->shared_info_slot;
    d->state = DOM_BUILDING;
    d->shutdown_reason = 0;
    d->vm_assist = 0;
    d->started = d->paused = false;
    d->realise_full = d->realise_walking = d->realise_overflow = false;
    for (unsigned int i = 0; i < STUB_MAX_VCPUS; i++) {
        struct vcpu *v = &d->vcpus[i];
        v->cr3 = 0;
        v->last_req = 0;
        v->nr_hypercalls = 0;
        v->stop = 0;
        mm_ops_reset(v);
        vcpu_reset(v);
    }
    evtchn_domain_reset(d);
    return 0;
}

/* Release everything the domain holds; its process must be gone. */
void domain_destroy(struct domain *d)
{
    if (!d)
        return;
    evtchn_domain_close(d); /* no other domain reaches it from here on */
    platform_release(d);
    domain_wait_unused(d);
    gnttab_domain_destroy(d);
    console_flush(d);
    console_detach_all(d);
    frames_release(d);
    if (d->ram)
        munmap(d->ram, d->nr_slots ? d->nr_slots * PAGE_SIZE
                                   : (d->nr_pages + 1) * PAGE_SIZE);
    if (d->ram_fd >= 0)
        close(d->ram_fd);
    domain_unregister(d);
    pthread_mutex_destroy(&d->lock);
    pthread_mutex_destroy(&d->con_lock);
    pthread_mutex_destroy(&d->mm_lock);
    pthread_mutex_destroy(&d->approvals_lock);
    for (unsigned int i = 0; i < STUB_MAX_VCPUS; i++) {
        mm_ops_reset(&d->vcpus[i]); /* drops grant ops' references */
        free(d->vcpus[i].ops);
        free(d->vcpus[i].op_ram);
        vcpu_release(&d->vcpus[i]);
    }
    evtchn_domain_destroy(d);
    free(d);
    evtchn_dom0_virq(VIRQ_DOM_EXC); /* as Xen's domain_destroy */
}

bool domain_is_stopping(const struct domain *d)
{
    return d->state == DOM_SHUTDOWN || d->state == DOM_CRASHED;
}

/* The guest asked to stop (SCHEDOP_shutdown); the first reason wins.
 * dom0's VIRQ_DOM_EXC listeners hear of it, as from Xen. */
void domain_shutdown(struct domain *d, unsigned int reason)
{
    bool first = false;

    pthread_mutex_lock(&d->lock);
    if (!domain_is_stopping(d)) {
        d->state = reason == SHUTDOWN_crash ? DOM_CRASHED : DOM_SHUTDOWN;
        d->shutdown_reason = reason;
        first = true;
    }
    pthread_mutex_unlock(&d->lock);
    platform_stop(d);
    if (first)
        evtchn_dom0_virq(VIRQ_DOM_EXC);
}

/* The domain cannot go on: say why, and stop it. */
void domain_crash(struct domain *d, const char *why)
{
    bool first = false;

    pthread_mutex_lock(&d->lock);
    if (!domain_is_stopping(d)) {
        d->state = DOM_CRASHED;
        d->shutdown_reason = SHUTDOWN_crash;
        log_warnx("domain %u (%s) crashed: %s", d->id, d->name, why);
        first = true;
    }
    pthread_mutex_unlock(&d->lock);
    platform_stop(d);
    if (first)
        evtchn_dom0_virq(VIRQ_DOM_EXC);
}
