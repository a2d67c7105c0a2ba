/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1: the guest's table and reference allocator, the
 * granter's protocol, and the map, unmap and copy calls; see
 * <veneer/gnttab.h>.
 */
#include <xen/errno.h>
#include <veneer/gnttab.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>

volatile struct grant_entry_v1 *gnttab_table;

/* The pages the table frames are mapped over; their own frames are given
 * up. */
static uint8_t gnttab_pages[GNTTAB_RT_FRAMES][XEN_PAGE_SIZE]
    __attribute__((aligned(XEN_PAGE_SIZE)));

/* Free references, a stack; the reserved ones are never on it. */
static grant_ref_t gnttab_free[GNTTAB_RT_ENTRIES];
static unsigned int gnttab_nr_free;

int gnttab_init(void)
{
    uint64_t frames[GNTTAB_RT_FRAMES];
    struct gnttab_setup_table op = {
        .dom = DOMID_SELF,
        .nr_frames = GNTTAB_RT_FRAMES,
        .frame_list = (uintptr_t)frames,
    };
    long rc;

    if (gnttab_table)
        return 0;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
    if (rc < 0)
        return (int)rc;
    if (op.status != GNTST_okay)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < GNTTAB_RT_FRAMES; i++) {
        rc = mmu_map((uintptr_t)gnttab_pages[i], frames[i], MMU_PTE_RW);
        if (rc < 0)
            return (int)rc;
    }
    gnttab_table = (volatile struct grant_entry_v1 *)gnttab_pages;
    for (grant_ref_t ref = GNTTAB_RT_ENTRIES;
         ref-- > GNTTAB_NR_RESERVED_ENTRIES;)
        gnttab_free[gnttab_nr_free++] = ref;
    return 0;
}

int gnttab_grant_access_ref(grant_ref_t ref, domid_t domid, uint64_t mfn,
                            int readonly)
{
    volatile struct grant_entry_v1 *e;

    if (!gnttab_table || ref >= GNTTAB_RT_ENTRIES || mfn > UINT32_MAX)
        return -XEN_EINVAL;
    e = &gnttab_table[ref];
    e->domid = domid;
    e->frame = (uint32_t)mfn;
    /* The hypervisor must see domid and frame before the flags that make
     * them valid (§5.3). */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
    return 0;
}

int gnttab_grant_access(domid_t domid, uint64_t mfn, int readonly,
                        grant_ref_t *ref)
{
    int rc;

    if (!gnttab_table)
        return -XEN_EINVAL;
    if (gnttab_nr_free == 0)
        return -XEN_ENOSPC;
    rc = gnttab_grant_access_ref(gnttab_free[gnttab_nr_free - 1], domid, mfn,
                                 readonly);
    if (rc == 0)
        *ref = gnttab_free[--gnttab_nr_free];
    return rc;
}

int gnttab_end_access_ref(grant_ref_t ref)
{
    volatile uint16_t *flags;
    uint16_t old;

    if (!gnttab_table || ref >= GNTTAB_RT_ENTRIES)
        return -XEN_EINVAL;
    flags = &gnttab_table[ref].flags;
    old = *flags;
    do {
        if (old & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
        /* A failed exchange reloads old: the hypervisor changed it. */
    } while (!__atomic_compare_exchange_n(flags, &old, 0, 0, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    return 0;
}

int gnttab_end_access(grant_ref_t ref)
{
    int rc = gnttab_end_access_ref(ref);

    if (rc == 0 && ref >= GNTTAB_NR_RESERVED_ENTRIES)
        gnttab_free[gnttab_nr_free++] = ref;
    return rc;
}

long gnttab_map(domid_t dom, grant_ref_t ref, uint64_t va, int readonly,
                grant_handle_t *handle, int16_t *status)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = va,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = dom,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    *status = op.status;
    *handle = op.handle;
    return rc;
}

long gnttab_unmap(uint64_t va, grant_handle_t handle, int16_t *status)
{
    struct gnttab_unmap_grant_ref op = {.host_addr = va, .handle = handle};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    *status = op.status;
    return rc;
}

long gnttab_copy(struct gnttab_copy *ops, unsigned int n)
{
    return HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, n);
}
