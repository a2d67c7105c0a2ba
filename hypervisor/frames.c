/* SPDX-License-Identifier: MIT */
/*
 * Machine frames: veneerd's global frame space. Each domain owns one
 * contiguous range of machine frame numbers, [mfn_base, mfn_base+nr_slots);
 * frame mfn_base+s is page s of the domain's RAM memfd. Each frame keeps
 * its type, type count, flags and M2P entry.
 */
#include <errno.h>
#include <stdlib.h>

#include "veneerd.h"

/* Registered ranges, for mfn -> owner lookups. */
static struct {
    struct domain *dom[VN_MAX_DOMAINS];
    mfn_t next; /* first never-used machine frame */
    pthread_mutex_t lock;
} frame_space = {.next = VN_MFN_FIRST, .lock = PTHREAD_MUTEX_INITIALIZER};

/*
 * frames_assign - give a domain nr_slots machine frames.
 *
 * Ranges are never reused while veneerd runs (the space is 2^40 frames),
 * so a stale MFN held anywhere can never name another domain's page.
 * Return values: 0; -ENOMEM; -ENOSPC when VN_MAX_DOMAINS are registered.
 */
int frames_assign(struct domain *d, uint64_t nr_slots)
{
    int rc = -ENOSPC;

    d->frames = calloc(nr_slots, sizeof(*d->frames));
    if (!d->frames)
        return -ENOMEM;
    pthread_mutex_lock(&frame_space.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++) {
        if (frame_space.dom[i])
            continue;
        frame_space.dom[i] = d;
        d->mfn_base = frame_space.next;
        d->nr_slots = nr_slots;
        frame_space.next += nr_slots;
        rc = 0;
        break;
    }
    pthread_mutex_unlock(&frame_space.lock);
    if (rc < 0) {
        free(d->frames);
        d->frames = NULL;
    }
    return rc;
}

void frames_release(struct domain *d)
{
    mm_release(d);
    pthread_mutex_lock(&frame_space.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++)
        if (frame_space.dom[i] == d)
            frame_space.dom[i] = NULL;
    pthread_mutex_unlock(&frame_space.lock);
    free(d->frames);
    d->frames = NULL;
    d->nr_slots = 0;
}

/*
 * frames_owner - the domain owning machine frame mfn, and its slot.
 * Return values: the domain, or NULL if no domain owns mfn.
 */
struct domain *frames_owner(mfn_t mfn, uint64_t *slot)
{
    struct domain *owner = NULL;

    pthread_mutex_lock(&frame_space.lock);
    for (unsigned int i = 0; i < VN_MAX_DOMAINS; i++) {
        struct domain *d = frame_space.dom[i];
        if (d && mfn >= d->mfn_base && mfn - d->mfn_base < d->nr_slots) {
            owner = d;
            *slot = mfn - d->mfn_base;
            break;
        }
    }
    pthread_mutex_unlock(&frame_space.lock);
    return owner;
}
