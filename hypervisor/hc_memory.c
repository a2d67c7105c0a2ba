/* SPDX-License-Identifier: MIT */
/*
 * memory_op (hypercall 12): the reservation queries, the memory map, and
 * ballooning (mm_balloon.c).
 */
#include <xen/errno.h>
#include <xen/memory.h>

#include "veneerd.h"

/* E820 RAM entry, packed as Xen's memory_map buffer holds them. */
struct e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

#define E820_RAM 1

/* The domain a DOMID_SELF-or-id argument names, if the caller may ask. */
static int64_t memory_target(struct vcpu *v, gva_t arg, struct domain **out)
{
    struct xen_memory_domain md;
    struct domain *d;

    if (gmem_copy_from(v, &md, arg, sizeof(md)))
        return -XEN_EFAULT;
    if (md.domid == DOMID_SELF || md.domid == v->dom->id) {
        *out = v->dom;
        return 0;
    }
    d = domain_by_id(md.domid);
    return d ? -XEN_EPERM : -XEN_ESRCH;
}

static int64_t memory_reservation_query(struct vcpu *v, gva_t arg, bool max)
{
    struct domain *d = NULL;
    int64_t rc;

    rc = memory_target(v, arg, &d);
    if (rc < 0)
        return rc;
    return (int64_t)(max ? d->max_pages : d->nr_pages);
}

/* With no map set by a toolstack, Xen reports one RAM range for a PV
 * domain; so does Veneer. */
static int64_t memory_map(struct vcpu *v, gva_t arg)
{
    struct xen_memory_map map;
    struct e820_entry e = {0, v->dom->max_pages * PAGE_SIZE, E820_RAM};

    if (gmem_copy_from(v, &map, arg, sizeof(map)))
        return -XEN_EFAULT;
    if (map.nr_entries < 1)
        return -XEN_EINVAL;
    if (gmem_copy_to(v, map.buffer, &e, sizeof(e)))
        return -XEN_EFAULT;
    map.nr_entries = 1;
    if (gmem_copy_to(v, arg, &map.nr_entries, sizeof(map.nr_entries)))
        return -XEN_EFAULT;
    return 0;
}

int64_t hc_memory_op(struct vcpu *v, const uint64_t a[5])
{
    uint64_t start = a[0] >> MEMOP_EXTENT_SHIFT;

    switch (a[0] & MEMOP_CMD_MASK) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return balloon_op(v, a[0] & MEMOP_CMD_MASK, start, a[1]);
    case XENMEM_current_reservation:
        return memory_reservation_query(v, a[1], false);
    case XENMEM_maximum_reservation:
        return memory_reservation_query(v, a[1], true);
    case XENMEM_memory_map:
        return memory_map(v, a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
