/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for grant tables (gnttab*.c): the table and its frames, the
 * entry protocol (GTF_reading/GTF_writing, pins, types), map and unmap
 * with their PTEs, host ops and the stub's acknowledgement, copy and its
 * bounds, the limits, every GNTST code Veneer can return, a mapper's
 * death, and dom0's mappings. Two domains built by the real builder, no
 * domain process: A grants, B maps.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/arch-x86/page.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

#define BASE      0x400000ull
#define MEM_PAGES 2048

static struct fixture fa, fb;
static struct domain *A, *B;
static struct vcpu *va_, *vb;

static void setup(void)
{
    A = fixture_domain(&fa, BASE, MEM_PAGES, "");
    B = fixture_domain(&fb, BASE, MEM_PAGES, "");
    va_ = &A->vcpus[0];
    vb = &B->vcpus[0];
    mm_ops_reset(va_);
    mm_ops_reset(vb);
}

static void teardown(void)
{
    domain_destroy(B);
    domain_destroy(A);
}

TestSuite(gnttab, .init = setup, .fini = teardown);

/* ---- helpers ---- */

/* A page of d above its bootstrap region (RAM, not mapped). */
static uint64_t free_slot(struct domain *d, unsigned int n)
{
    uint64_t s = (d->virt_end - BASE) / PAGE_SIZE + n;

    cr_assert_lt(s, MEM_PAGES);
    return s;
}

/* A scratch address in d's bootstrap padding (mapped RW, has an L1). */
static gva_t scratch(struct domain *d, unsigned int page)
{
    return d->stack_top + PAGE_SIZE * (page + 1);
}

/* grant_table_op as the platform calls it: with the domain's lock. */
static int64_t hc(struct vcpu *v, unsigned int cmd, gva_t uop, uint64_t count)
{
    uint64_t a[5] = {cmd, uop, count};
    int64_t rc;

    pthread_mutex_lock(&v->dom->mm_lock);
    rc = hc_grant_table_op(v, a);
    pthread_mutex_unlock(&v->dom->mm_lock);
    return rc;
}

static void ack(struct vcpu *v)
{
    pthread_mutex_lock(&v->dom->mm_lock);
    gnttab_ops_acked(v);
    pthread_mutex_unlock(&v->dom->mm_lock);
}

/* The granter writes entry ref (domid, frame, then flags). */
static void grant(struct domain *d, grant_ref_t ref, domid_t to, uint64_t slot,
                  uint16_t flags)
{
    volatile struct grant_entry_v1 *e = gnttab_entry(d, ref);

    e->domid = to;
    e->frame = (uint32_t)frames_mfn(d, slot);
    e->flags = flags;
}

static uint16_t flags_of(struct domain *d, grant_ref_t ref)
{
    return gnttab_entry(d, ref)->flags;
}

/* The granter's end of access (§5.3): 0, or -1 while in use. */
static int end_access(struct domain *d, grant_ref_t ref)
{
    volatile uint16_t *f = &gnttab_entry(d, ref)->flags;
    uint16_t old = *f;

    do {
        if (old & (GTF_reading | GTF_writing))
            return -1;
    } while (!__atomic_compare_exchange_n(f, &old, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    return 0;
}

static int16_t map(struct vcpu *v, domid_t dom, grant_ref_t ref, uint32_t flags,
                   uint64_t host_addr, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom};
    gva_t at = scratch(v->dom, 0);

    cr_assert_eq(gmem_copy_to(v, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(v, GNTTABOP_map_grant_ref, at, 1), 0);
    cr_assert_eq(gmem_copy_from(v, &op, at, sizeof(op)), 0);
    if (handle)
        *handle = op.handle;
    return op.status;
}

static int16_t unmap(struct vcpu *v, uint64_t host_addr, uint64_t dev,
                     grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .dev_bus_addr = dev, .handle = handle};
    gva_t at = scratch(v->dom, 0);

    cr_assert_eq(gmem_copy_to(v, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(v, GNTTABOP_unmap_grant_ref, at, 1), 0);
    cr_assert_eq(gmem_copy_from(v, &op, at, sizeof(op)), 0);
    return op.status;
}

static int16_t copy(struct vcpu *v, const struct gnttab_copy *in)
{
    struct gnttab_copy op = *in;
    gva_t at = scratch(v->dom, 0);

    cr_assert_eq(gmem_copy_to(v, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(v, GNTTABOP_copy, at, 1), 0);
    cr_assert_eq(gmem_copy_from(v, &op, at, sizeof(op)), 0);
    return op.status;
}

/* B's L1 entry for va. */
static uint64_t pte_of(struct domain *d, gva_t va)
{
    uint64_t s = (d->pt_base - BASE) / PAGE_SIZE;

    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = ((uint64_t *)domain_slot_ptr(
            d, s))[(va >> (12 + 9 * (level - 1))) & 511];
        cr_assert(e & _PAGE_PRESENT);
        s = ((e & PTE_ADDR_MASK) >> 12) - d->mfn_base;
    }
    return ((uint64_t *)domain_slot_ptr(d, s))[(va >> 12) & 511];
}

static const struct stub_op *last_op(struct vcpu *v)
{
    cr_assert_gt(v->nr_ops, 0);
    return &v->ops[v->nr_ops - 1];
}

/* ---- the table ---- */

Test(gnttab, built_with_one_frame_and_the_toolstack_entries)
{
    volatile struct grant_entry_v1 *con = gnttab_entry(A, 0);
    volatile struct grant_entry_v1 *st = gnttab_entry(A, 1);

    cr_assert_eq(A->gt->nr_frames, VN_GNTTAB_INITIAL_FRAMES);
    cr_assert_eq(A->frames[A->gnttab_slot].type, FRAME_GRANT_TABLE);
    cr_assert_eq(con->flags, GTF_permit_access);
    cr_assert_eq(con->domid, 0);
    cr_assert_eq(con->frame, A->console_mfn);
    cr_assert_eq(st->flags, GTF_permit_access);
    cr_assert_eq(st->domid, 0);
    cr_assert_eq(st->frame, A->store_mfn);
    cr_assert_eq(gnttab_entry(A, 2)->flags, 0);
}

Test(gnttab, setup_table_grows_and_lists_mfns)
{
    gva_t list = scratch(A, 2), at = scratch(A, 1);
    struct gnttab_setup_table op = {
        .dom = DOMID_SELF, .nr_frames = 4, .frame_list = list};
    xen_pfn_t mfns[4];

    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_okay);
    cr_assert_eq(gmem_copy_from(va_, mfns, list, sizeof(mfns)), 0);
    for (unsigned int i = 0; i < 4; i++) {
        cr_assert_eq(mfns[i], frames_mfn(A, A->gnttab_slot + i));
        cr_assert_eq(A->frames[A->gnttab_slot + i].type, FRAME_GRANT_TABLE);
    }
    cr_assert_eq(A->gt->nr_frames, 4);
    cr_assert_eq(gnttab_nr_entries(A), 2048);
    /* The guest may map its table writable, never use it as a table. */
    cr_assert_eq(mm_get_type(A, A->gnttab_slot + 3, FRAME_WRITABLE), 0);
    cr_assert_eq(mm_pin(A, A->gnttab_slot + 3, FRAME_L1), -EINVAL);
    /* More than the limit; another domain; none; count != 1. */
    op = (struct gnttab_setup_table){.dom = DOMID_SELF,
                                     .nr_frames = VN_GNTTAB_MAX_FRAMES + 1,
                                     .frame_list = list};
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_general_error);
    op = (struct gnttab_setup_table){
        .dom = B->id, .nr_frames = 1, .frame_list = list};
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_permission_denied);
    op.dom = 0x7000;
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_bad_domain);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 2), -XEN_EINVAL);
    /* A list the guest cannot write: GNTST_bad_virt_addr; outside the
     * guest range: -EFAULT. */
    op = (struct gnttab_setup_table){
        .dom = DOMID_SELF, .nr_frames = 1, .frame_list = A->pt_base};
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_bad_virt_addr);
    op.frame_list = VENEER_GUEST_VA_LIMIT - 8;
    op.nr_frames = 2;
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_setup_table, at, 1), -XEN_EFAULT);
}

Test(gnttab, query_size_and_versions)
{
    gva_t at = scratch(A, 1);
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_set_version sv = {.version = 2};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};

    cr_assert_eq(gmem_copy_to(va_, at, &q, sizeof(q)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_query_size, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &q, at, sizeof(q)), 0);
    cr_assert_eq(q.status, GNTST_okay);
    cr_assert_eq(q.nr_frames, 1);
    cr_assert_eq(q.max_nr_frames, VN_GNTTAB_MAX_FRAMES);
    q = (struct gnttab_query_size){.dom = B->id};
    cr_assert_eq(gmem_copy_to(va_, at, &q, sizeof(q)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_query_size, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &q, at, sizeof(q)), 0);
    cr_assert_eq(q.status, GNTST_permission_denied);

    cr_assert_eq(gmem_copy_to(va_, at, &sv, sizeof(sv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_set_version, at, 1), -XEN_ENOSYS);
    cr_assert_eq(gmem_copy_from(va_, &sv, at, sizeof(sv)), 0);
    cr_assert_eq(sv.version, 1, "the version in use is written back");
    sv.version = 1;
    cr_assert_eq(gmem_copy_to(va_, at, &sv, sizeof(sv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_set_version, at, 1), 0);
    sv.version = 3;
    cr_assert_eq(gmem_copy_to(va_, at, &sv, sizeof(sv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_set_version, at, 1), -XEN_EINVAL);

    cr_assert_eq(gmem_copy_to(va_, at, &gv, sizeof(gv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_get_version, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &gv, at, sizeof(gv)), 0);
    cr_assert_eq(gv.version, 1);
    gv.dom = B->id;
    cr_assert_eq(gmem_copy_to(va_, at, &gv, sizeof(gv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_get_version, at, 1), -XEN_EPERM);
    gv.dom = 0x7001;
    cr_assert_eq(gmem_copy_to(va_, at, &gv, sizeof(gv)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_get_version, at, 1), -XEN_ESRCH);
}

Test(gnttab, dispatcher_checks)
{
    gva_t at = scratch(A, 1);

    cr_assert_eq(hc(va_, GNTTABOP_transfer, at, 1), -XEN_ENOSYS);
    cr_assert_eq(hc(va_, GNTTABOP_unmap_and_replace, at, 1), -XEN_ENOSYS);
    cr_assert_eq(hc(va_, GNTTABOP_cache_flush, at, 1), -XEN_ENOSYS);
    cr_assert_eq(hc(va_, 99, at, 1), -XEN_ENOSYS);
    cr_assert_eq(hc(va_, GNTTABOP_map_grant_ref | 0x1000, at, 1), -XEN_EINVAL);
    cr_assert_eq(hc(va_, GNTTABOP_map_grant_ref, at, 0x80000000u), -XEN_EINVAL);
    cr_assert_eq(hc(va_, GNTTABOP_map_grant_ref, at, 0), 0);
    /* An array running out of the guest range, or unmapped. */
    cr_assert_eq(hc(va_, GNTTABOP_map_grant_ref, VENEER_GUEST_VA_LIMIT - 32, 2),
                 -XEN_EFAULT);
    cr_assert_eq(hc(va_, GNTTABOP_copy, 0x10, 1), -XEN_EFAULT);
}

Test(gnttab, dump_table_and_status_frames)
{
    gva_t at = scratch(A, 1);
    struct gnttab_dump_table dt = {.dom = DOMID_SELF};
    struct gnttab_get_status_frames sf = {
        .nr_frames = 1, .dom = DOMID_SELF, .frame_list = scratch(A, 2)};

    cr_assert_eq(gmem_copy_to(va_, at, &dt, sizeof(dt)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_dump_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &dt, at, sizeof(dt)), 0);
    cr_assert_eq(dt.status, GNTST_okay);
    dt.dom = B->id;
    cr_assert_eq(gmem_copy_to(va_, at, &dt, sizeof(dt)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_dump_table, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &dt, at, sizeof(dt)), 0);
    cr_assert_eq(dt.status, GNTST_permission_denied);
    cr_assert_eq(gmem_copy_to(va_, at, &sf, sizeof(sf)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_get_status_frames, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &sf, at, sizeof(sf)), 0);
    cr_assert_eq(sf.status, GNTST_general_error, "v1 has no status frames");
}

Test(gnttab, swap_grant_ref)
{
    gva_t at = scratch(A, 1);
    struct gnttab_swap_grant_ref op = {.ref_a = 10, .ref_b = 11};
    uint64_t s = free_slot(A, 0);

    grant(A, 10, B->id, s, GTF_permit_access);
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_swap_grant_ref, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_okay);
    cr_assert_eq(flags_of(A, 10), 0);
    cr_assert_eq(flags_of(A, 11), GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 11, GNTMAP_device_map, 0, NULL), GNTST_okay);
    op = (struct gnttab_swap_grant_ref){.ref_a = 10, .ref_b = 11};
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_swap_grant_ref, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_eagain, "in use");
    op = (struct gnttab_swap_grant_ref){.ref_a = 10, .ref_b = 512};
    cr_assert_eq(gmem_copy_to(va_, at, &op, sizeof(op)), 0);
    cr_assert_eq(hc(va_, GNTTABOP_swap_grant_ref, at, 1), 0);
    cr_assert_eq(gmem_copy_from(va_, &op, at, sizeof(op)), 0);
    cr_assert_eq(op.status, GNTST_bad_gntref);
}

/* ---- map and unmap ---- */

Test(gnttab, map_writable_sets_flags_pte_and_op_until_acked)
{
    uint64_t s = free_slot(A, 0), before = A->frames[s].map_count;
    gva_t at = scratch(B, 4);
    grant_handle_t h;
    const struct stub_op *op;
    uint64_t pte;

    grant(A, 8, B->id, s, GTF_permit_access);
    memcpy(domain_slot_ptr(A, s), "from A", 7);
    cr_assert_eq(map(vb, A->id, 8, GNTMAP_host_map, at, &h), GNTST_okay);
    cr_assert_eq(flags_of(A, 8), GTF_permit_access | GTF_reading | GTF_writing);
    cr_assert_eq(A->frames[s].type, FRAME_WRITABLE, "writable type held");
    cr_assert_eq(A->frames[s].map_count, before + 1);
    cr_assert_eq(end_access(A, 8), -1, "A cannot end access while mapped");
    /* The PTE names A's frame (foreign), writable, never executable. */
    pte = pte_of(B, at);
    cr_assert_eq((pte & PTE_ADDR_MASK) >> 12, frames_mfn(A, s));
    cr_assert(pte & _PAGE_RW);
    cr_assert(pte & _PAGE_NX);
    op = last_op(vb);
    cr_assert_eq(op->kind, STUB_OP_MAP_GRANT);
    cr_assert_eq(op->va, at);
    cr_assert_eq(op->len, PAGE_SIZE);
    cr_assert_eq(op->offset, s * PAGE_SIZE);
    cr_assert_eq(op->prot, STUB_PROT_READ | STUB_PROT_WRITE);
    cr_assert_eq(vb->op_ram[vb->nr_ops - 1], A->gt->ram);
    mm_ops_reset(vb);

    /* Wrong handle, wrong address, wrong bus address. */
    cr_assert_eq(unmap(vb, at, 0, h + 1), GNTST_bad_handle);
    cr_assert_eq(unmap(vb, at, 0, 100000), GNTST_bad_handle);
    cr_assert_eq(unmap(vb, at + PAGE_SIZE, 0, h), GNTST_general_error);
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_okay);
    cr_assert_eq(pte_of(B, at), 0);
    cr_assert_eq(last_op(vb)->kind, STUB_OP_UNMAP);
    cr_assert(vb->ops_ack, "the stub must acknowledge first");
    cr_assert_eq(flags_of(A, 8) & (GTF_reading | GTF_writing),
                 GTF_reading | GTF_writing, "pinned until acknowledged");
    ack(vb);
    cr_assert_not(vb->ops_ack);
    cr_assert_eq(flags_of(A, 8), GTF_permit_access);
    cr_assert_eq(A->frames[s].type_count, 0);
    cr_assert_eq(A->frames[s].map_count, before);
    cr_assert_eq(B->gt->maps_used, 0);
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_bad_handle, "gone");
    cr_assert_eq(end_access(A, 8), 0);
}

Test(gnttab, map_readonly)
{
    uint64_t s = free_slot(A, 1);
    gva_t at = scratch(B, 4);
    grant_handle_t h;

    grant(A, 9, B->id, s, GTF_permit_access | GTF_readonly);
    cr_assert_eq(map(vb, A->id, 9, GNTMAP_host_map, at, &h),
                 GNTST_general_error, "read-only grant mapped writable");
    cr_assert_eq(flags_of(A, 9), GTF_permit_access | GTF_readonly,
                 "flags restored");
    cr_assert_eq(map(vb, A->id, 9, GNTMAP_host_map | GNTMAP_readonly, at, &h),
                 GNTST_okay);
    cr_assert_eq(flags_of(A, 9),
                 GTF_permit_access | GTF_readonly | GTF_reading);
    cr_assert_eq(A->frames[s].type_count, 0, "no writable type");
    cr_assert_not(pte_of(B, at) & _PAGE_RW);
    cr_assert_eq(last_op(vb)->prot, STUB_PROT_READ);
    /* A second, writable mapping of a read-only grant is still refused;
     * the pin stays the reader's. */
    cr_assert_eq(map(vb, A->id, 9, GNTMAP_device_map, 0, NULL),
                 GNTST_general_error);
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_okay);
    ack(vb);
    cr_assert_eq(flags_of(A, 9), GTF_permit_access | GTF_readonly);
}

Test(gnttab, map_errors_are_xens)
{
    uint64_t s = free_slot(A, 2), l4 = (A->pt_base - BASE) / PAGE_SIZE;
    gva_t at = scratch(B, 4);

    grant(A, 12, B->id, s, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 12, 0, at, NULL), GNTST_bad_gntref);
    cr_assert_eq(map(vb, A->id, 12, GNTMAP_readonly, at, NULL),
                 GNTST_bad_gntref, "neither host_map nor device_map");
    cr_assert_eq(map(vb, 0x7002, 12, GNTMAP_host_map, at, NULL),
                 GNTST_bad_domain);
    cr_assert_eq(map(vb, DOMID_SELF, 12, GNTMAP_host_map, at, NULL),
                 GNTST_bad_domain, "DOMID_SELF is not a granter");
    cr_assert_eq(map(vb, A->id, 512, GNTMAP_host_map, at, NULL),
                 GNTST_bad_gntref, "beyond the table");
    cr_assert_eq(map(vb, A->id, 0xffffffffu, GNTMAP_host_map, at, NULL),
                 GNTST_bad_gntref);
    cr_assert_eq(map(vb, A->id, 13, GNTMAP_host_map, at, NULL),
                 GNTST_general_error, "not granted");
    cr_assert_eq(map(vb, A->id, 0, GNTMAP_host_map, at, NULL),
                 GNTST_general_error, "granted to dom0, not B");
    cr_assert_eq(map(va_, A->id, 12, GNTMAP_host_map, scratch(A, 4), NULL),
                 GNTST_general_error, "granted to B, not A");
    grant(A, 14, B->id, s, GTF_accept_transfer);
    cr_assert_eq(map(vb, A->id, 14, GNTMAP_host_map, at, NULL),
                 GNTST_general_error, "not permit_access");
    grant(A, 14, B->id, s, GTF_permit_access | GTF_sub_page);
    cr_assert_eq(map(vb, A->id, 14, GNTMAP_host_map, at, NULL),
                 GNTST_general_error, "sub_page cannot be mapped");
    /* Frames that are not A's RAM. */
    grant(A, 15, B->id, 0, GTF_permit_access);
    gnttab_entry(A, 15)->frame = (uint32_t)frames_mfn(B, s);
    cr_assert_eq(map(vb, A->id, 15, GNTMAP_host_map, at, NULL), GNTST_bad_page);
    cr_assert_eq(flags_of(A, 15), GTF_permit_access, "bits cleared again");
    grant(A, 15, B->id, A->shared_info_slot, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 15, GNTMAP_host_map, at, NULL), GNTST_bad_page);
    /* A's page table cannot be granted writable (the writable type). */
    grant(A, 16, B->id, l4, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 16, GNTMAP_host_map, at, NULL),
                 GNTST_general_error);
    cr_assert_eq(flags_of(A, 16), GTF_permit_access);
    cr_assert_eq(
        map(vb, A->id, 16, GNTMAP_host_map | GNTMAP_readonly, at, NULL),
        GNTST_okay, "read-only is fine");
    /* No L1 at host_addr, or outside the guest range: pins undone. */
    cr_assert_eq(map(vb, A->id, 12, GNTMAP_host_map, 0x7e0000000000ull, NULL),
                 GNTST_general_error);
    cr_assert_eq(
        map(vb, A->id, 12, GNTMAP_host_map, VENEER_GUEST_VA_LIMIT, NULL),
        GNTST_general_error);
    cr_assert_eq(flags_of(A, 12), GTF_permit_access);
    cr_assert_eq(A->frames[s].type_count, 0);
    /* contains_pte: misaligned, not an L1. */
    cr_assert_eq(map(vb, A->id, 12, GNTMAP_host_map | GNTMAP_contains_pte,
                     (frames_mfn(B, 0) << 12) + 3, NULL),
                 GNTST_general_error);
    cr_assert_eq(map(vb, A->id, 12, GNTMAP_host_map | GNTMAP_contains_pte,
                     frames_mfn(B, free_slot(B, 0)) << 12, NULL),
                 GNTST_general_error);
    cr_assert_eq(B->gt->maps_used, 1, "only the read-only L4 mapping");
}

Test(gnttab, contains_pte_and_device_map)
{
    uint64_t s = free_slot(A, 3);
    gva_t at = scratch(B, 5);
    uint64_t l1 = (B->pt_base - BASE) / PAGE_SIZE, pte_ma;
    struct gnttab_map_grant_ref op;
    grant_handle_t h, hd;

    /* Find the L1 holding `at`, then name its entry by machine address. */
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = ((uint64_t *)domain_slot_ptr(
            B, l1))[(at >> (12 + 9 * (level - 1))) & 511];
        l1 = ((e & PTE_ADDR_MASK) >> 12) - B->mfn_base;
    }
    pte_ma = (frames_mfn(B, l1) << 12) + ((at >> 12) & 511) * 8;
    grant(A, 20, B->id, s, GTF_permit_access);
    cr_assert_eq(
        map(vb, A->id, 20, GNTMAP_host_map | GNTMAP_contains_pte, pte_ma, &h),
        GNTST_okay);
    cr_assert_eq((pte_of(B, at) & PTE_ADDR_MASK) >> 12, frames_mfn(A, s));
    cr_assert_eq(last_op(vb)->kind, STUB_OP_MAP_GRANT);
    cr_assert_eq(last_op(vb)->va, at);
    /* A device mapping: the bus address, no host op. */
    mm_ops_reset(vb);
    cr_assert_eq(gmem_copy_from(vb, &op, scratch(B, 0), sizeof(op)), 0);
    cr_assert_eq(map(vb, A->id, 20, GNTMAP_device_map, 0, &hd), GNTST_okay);
    cr_assert_eq(gmem_copy_from(vb, &op, scratch(B, 0), sizeof(op)), 0);
    cr_assert_eq(op.dev_bus_addr, frames_mfn(A, s) << 12);
    cr_assert_eq(vb->nr_ops, 0);
    cr_assert_eq(unmap(vb, 0, (frames_mfn(A, s) + 1) << 12, hd),
                 GNTST_bad_dev_addr);
    cr_assert_eq(unmap(vb, 0, op.dev_bus_addr, hd), GNTST_okay);
    cr_assert_eq(unmap(vb, pte_ma, 0, h), GNTST_okay);
    ack(vb);
    cr_assert_eq(flags_of(A, 20), GTF_permit_access);
    cr_assert_eq(pte_of(B, at), 0);
}

Test(gnttab, overwriting_the_grant_pte_keeps_the_pins)
{
    uint64_t s = free_slot(A, 4), l1;
    gva_t at = scratch(B, 4);
    grant_handle_t h;
    uint64_t own = frames_mfn(B, free_slot(B, 1));
    unsigned int idx;

    grant(A, 21, B->id, s, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 21, GNTMAP_host_map, at, &h), GNTST_okay);
    /* B writes the entry itself: the mapping goes, the maptrack stays. */
    l1 = (B->pt_base - BASE) / PAGE_SIZE;
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = ((uint64_t *)domain_slot_ptr(
            B, l1))[(at >> (12 + 9 * (level - 1))) & 511];
        l1 = ((e & PTE_ADDR_MASK) >> 12) - B->mfn_base;
    }
    idx = (at >> 12) & 511;
    mm_ops_reset(vb);
    cr_assert_eq(
        mm_update_entry(vb, l1, idx,
                        (own << 12) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER),
        0);
    cr_assert_eq(vb->ops[0].kind, STUB_OP_UNMAP);
    cr_assert_eq(vb->ops[1].kind, STUB_OP_MAP);
    /* A guest may not write a foreign frame into its tables itself, nor
     * the grant mark on its own. */
    cr_assert_eq(
        mm_update_entry(vb, l1, idx, (frames_mfn(A, s) << 12) | _PAGE_PRESENT),
        -EPERM);
    cr_assert_eq(
        mm_update_entry(vb, l1, idx, (own << 12) | _PAGE_PRESENT | PTE_GNTTAB),
        -EINVAL);
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_general_error);
    cr_assert_eq(end_access(A, 21), -1, "still pinned, as on Xen");
    /* Until B dies. */
    gnttab_domain_dead(B);
    cr_assert_eq(end_access(A, 21), 0);
    cr_assert_eq(map(vb, A->id, 21, GNTMAP_host_map, at, &h),
                 GNTST_general_error, "a dead mapper maps nothing");
}

Test(gnttab, full_realise_maps_grants_again)
{
    uint64_t s = free_slot(A, 5);
    gva_t at = scratch(B, 6);
    bool found = false;

    grant(A, 22, B->id, s, GTF_permit_access);
    cr_assert_eq(
        map(vb, A->id, 22, GNTMAP_host_map | GNTMAP_readonly, at, NULL),
        GNTST_okay);
    pthread_mutex_lock(&B->mm_lock);
    mm_realise_all(vb);
    pthread_mutex_unlock(&B->mm_lock);
    for (size_t i = 0; i < vb->nr_ops; i++)
        if (vb->ops[i].kind == STUB_OP_MAP_GRANT) {
            cr_assert_eq(vb->ops[i].va, at);
            cr_assert_eq(vb->ops[i].offset, s * PAGE_SIZE);
            cr_assert_eq(vb->ops[i].prot, STUB_PROT_READ);
            cr_assert_eq(vb->op_ram[i], A->gt->ram);
            found = true;
        }
    cr_assert(found);
}

Test(gnttab, self_grant_map)
{
    uint64_t s = free_slot(A, 6);
    gva_t at = scratch(A, 4);
    grant_handle_t h;

    grant(A, 23, A->id, s, GTF_permit_access);
    cr_assert_eq(map(va_, A->id, 23, GNTMAP_host_map, at, &h), GNTST_okay);
    cr_assert_eq(flags_of(A, 23),
                 GTF_permit_access | GTF_reading | GTF_writing);
    cr_assert_eq(unmap(va_, at, 0, h), GNTST_okay);
    ack(va_);
    cr_assert_eq(flags_of(A, 23), GTF_permit_access);
}

Test(gnttab, pin_counters_and_maptrack_are_limited)
{
    uint64_t s = free_slot(A, 7);
    unsigned int n = 0;
    grant_ref_t ref;

    grant(A, 30, B->id, s, GTF_permit_access);
    /* A counter takes 128 pins; the next would overflow it. */
    for (unsigned int i = 0; i < 128; i++)
        cr_assert_eq(
            map(vb, A->id, 30, GNTMAP_device_map | GNTMAP_readonly, 0, NULL),
            GNTST_okay);
    cr_assert_eq(
        map(vb, A->id, 30, GNTMAP_device_map | GNTMAP_readonly, 0, NULL),
        GNTST_general_error);
    /* The maptrack fills at VN_GNTTAB_MAX_MAPTRACK. */
    n = 128;
    for (ref = 31; n < VN_GNTTAB_MAX_MAPTRACK; ref++) {
        grant(A, ref, B->id, s, GTF_permit_access);
        for (unsigned int i = 0; i < 128 && n < VN_GNTTAB_MAX_MAPTRACK;
             i++, n++)
            cr_assert_eq(map(vb, A->id, ref,
                             GNTMAP_device_map | GNTMAP_readonly, 0, NULL),
                         GNTST_okay);
    }
    grant(A, ref, B->id, s, GTF_permit_access);
    cr_assert_eq(
        map(vb, A->id, ref, GNTMAP_device_map | GNTMAP_readonly, 0, NULL),
        GNTST_no_space);
    cr_assert_eq(B->gt->maps_used, VN_GNTTAB_MAX_MAPTRACK);
    gnttab_domain_dead(B);
    cr_assert_eq(A->frames[s].map_count, 0);
    cr_assert_eq(flags_of(A, 30), GTF_permit_access);
    /* The frame's count of mappings never wraps. */
    A->frames[s].map_count = UINT32_MAX;
    cr_assert_eq(map(vb, A->id, 30, GNTMAP_device_map, 0, NULL),
                 GNTST_general_error);
    cr_assert_eq(flags_of(A, 30), GTF_permit_access);
    A->frames[s].map_count = 0;
}

Test(gnttab, granter_destroyed_while_mapped)
{
    uint64_t s = free_slot(A, 8);
    gva_t at = scratch(B, 4);
    struct gnttab_ram *ram = gnttab_ram_get(A->gt->ram);
    grant_handle_t h;

    grant(A, 24, B->id, s, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 24, GNTMAP_host_map, at, &h), GNTST_okay);
    cr_assert_eq(domain_reset(A), -EBUSY, "no restart in place under a map");
    domain_destroy(A);
    A = fixture_domain(&fa, BASE, MEM_PAGES, ""); /* for teardown */
    cr_assert_geq(ram->refs, 2, "B's mapping keeps A's file");
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_okay);
    ack(vb);
    mm_ops_reset(vb); /* the queued map op held one too */
    cr_assert_eq(ram->refs, 1);
    gnttab_ram_put(ram);
}

/* ---- copy ---- */

Test(gnttab, copy_both_ways_and_bounds)
{
    uint64_t sa = free_slot(A, 9), sb = free_slot(B, 2);
    uint8_t *pa = domain_slot_ptr(A, sa), *pb = domain_slot_ptr(B, sb);
    struct gnttab_copy op = {
        .source = {.u.ref = 40, .domid = A->id, .offset = 100},
        .dest = {.u.gmfn = frames_mfn(B, sb),
                 .domid = DOMID_SELF,
                 .offset = 200},
        .len = 50,
        .flags = GNTCOPY_source_gref,
    };

    memset(pa, 0xaa, PAGE_SIZE);
    memset(pb, 0x55, PAGE_SIZE);
    grant(A, 40, B->id, sa, GTF_permit_access | GTF_readonly);
    cr_assert_eq(copy(vb, &op), GNTST_okay);
    cr_assert_eq(pb[199], 0x55);
    cr_assert_eq(pb[200], 0xaa);
    cr_assert_eq(pb[249], 0xaa);
    cr_assert_eq(pb[250], 0x55);
    cr_assert_eq(flags_of(A, 40), GTF_permit_access | GTF_readonly,
                 "unpinned after the copy");
    /* Into a read-only grant: refused. Into a writable one: done. */
    op = (struct gnttab_copy){
        .source = {.u.gmfn = frames_mfn(B, sb), .domid = DOMID_SELF},
        .dest = {.u.ref = 40, .domid = A->id, .offset = 4000},
        .len = 96,
        .flags = GNTCOPY_dest_gref,
    };
    cr_assert_eq(copy(vb, &op), GNTST_general_error);
    grant(A, 41, B->id, sa, GTF_permit_access);
    op.dest.u.ref = 41;
    cr_assert_eq(copy(vb, &op), GNTST_okay);
    cr_assert_eq(pa[4000], 0x55);
    cr_assert_eq(pa[3999], 0xaa);
    cr_assert_eq(flags_of(A, 41), GTF_permit_access);
    cr_assert_eq(A->frames[sa].type_count, 0);
    /* Bounds per segment. */
    op.len = 97;
    cr_assert_eq(copy(vb, &op), GNTST_bad_copy_arg);
    op.len = 96;
    op.source.offset = 4001;
    cr_assert_eq(copy(vb, &op), GNTST_bad_copy_arg);
    cr_assert_eq(flags_of(A, 41), GTF_permit_access, "released on error");
    /* A zero length is fine whatever the rest says. */
    op = (struct gnttab_copy){.source = {.domid = 0x7003},
                              .dest = {.domid = 0x7003}};
    cr_assert_eq(copy(vb, &op), GNTST_okay);
}

Test(gnttab, copy_errors_are_xens)
{
    uint64_t sa = free_slot(A, 10), sb = free_slot(B, 3);
    uint64_t l4b = (B->pt_base - BASE) / PAGE_SIZE;
    struct gnttab_copy op = {
        .source = {.u.ref = 42, .domid = A->id},
        .dest = {.u.gmfn = frames_mfn(B, sb), .domid = DOMID_SELF},
        .len = 8,
        .flags = GNTCOPY_source_gref,
    };

    grant(A, 42, B->id, sa, GTF_permit_access);
    cr_assert_eq(copy(vb, &op), GNTST_okay);
    op.dest.domid = B->id;
    cr_assert_eq(copy(vb, &op), GNTST_permission_denied,
                 "a frame end must be DOMID_SELF");
    op.dest.domid = DOMID_SELF;
    op.source.domid = 0x7004;
    cr_assert_eq(copy(vb, &op), GNTST_bad_domain);
    op.source.domid = A->id;
    op.source.u.ref = 600;
    cr_assert_eq(copy(vb, &op), GNTST_bad_gntref);
    op.source.u.ref = 43;
    cr_assert_eq(copy(vb, &op), GNTST_general_error, "not granted");
    op.source.u.ref = 42;
    op.dest.u.gmfn = frames_mfn(A, sa);
    cr_assert_eq(copy(vb, &op), GNTST_bad_page, "not B's frame");
    op.dest.u.gmfn = frames_mfn(B, l4b);
    cr_assert_eq(copy(vb, &op), GNTST_general_error, "into a page table");
    cr_assert_eq(flags_of(A, 42), GTF_permit_access);
    /* A sub-page flag does not stop a copy (Xen's mapflag). */
    grant(A, 44, B->id, sa, GTF_permit_access | GTF_sub_page);
    op.source.u.ref = 44;
    op.dest.u.gmfn = frames_mfn(B, sb);
    cr_assert_eq(copy(vb, &op), GNTST_okay);
    /* Two grants of the same domain as both ends. */
    op = (struct gnttab_copy){
        .source = {.u.ref = 42, .domid = A->id},
        .dest = {.u.ref = 42, .domid = A->id, .offset = 8},
        .len = 8,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    cr_assert_eq(copy(vb, &op), GNTST_okay);
    cr_assert_eq(flags_of(A, 42), GTF_permit_access);
}

Test(gnttab, copy_batch_with_failures)
{
    uint64_t sa = free_slot(A, 11), sb = free_slot(B, 4);
    struct gnttab_copy ops[3] = {
        {.source = {.u.ref = 45, .domid = A->id},
         .dest = {.u.gmfn = frames_mfn(B, sb), .domid = DOMID_SELF},
         .len = 4096,
         .flags = GNTCOPY_source_gref},
        {.source = {.u.ref = 46, .domid = A->id},
         .dest = {.u.gmfn = frames_mfn(B, sb), .domid = DOMID_SELF},
         .len = 1,
         .flags = GNTCOPY_source_gref},
        {.source = {.u.gmfn = frames_mfn(B, sb), .domid = DOMID_SELF},
         .dest = {.u.ref = 45, .domid = A->id},
         .len = 4096,
         .flags = GNTCOPY_dest_gref},
    };
    gva_t at = scratch(B, 0);

    grant(A, 45, B->id, sa, GTF_permit_access);
    memset(domain_slot_ptr(A, sa), 7, PAGE_SIZE);
    cr_assert_eq(gmem_copy_to(vb, at, ops, sizeof(ops)), 0);
    cr_assert_eq(hc(vb, GNTTABOP_copy, at, 3), 0);
    cr_assert_eq(gmem_copy_from(vb, ops, at, sizeof(ops)), 0);
    cr_assert_eq(ops[0].status, GNTST_okay);
    cr_assert_eq(ops[1].status, GNTST_general_error);
    cr_assert_eq(ops[2].status, GNTST_okay);
    cr_assert_eq(domain_slot_ptr(B, sb)[4095], 7);
}

/* ---- dom0 ---- */

Test(gnttab, dom0_maps_only_what_was_granted_to_it)
{
    uint32_t h, h2;
    uint64_t off;
    int fd;
    uint8_t buf[16];

    /* The store ring page: ref 1, granted to dom0 by the builder. */
    cr_assert_eq(gnttab_dom0_map(7, A->id, GNTTAB_RESERVED_XENSTORE, false, &h,
                                 &off, &fd),
                 GNTST_okay);
    cr_assert_eq(off, (A->store_mfn - A->mfn_base) * PAGE_SIZE);
    cr_assert_eq(fd, A->gt->ram->rw_fd);
    cr_assert_eq(flags_of(A, 1), GTF_permit_access | GTF_reading | GTF_writing);
    cr_assert_eq(gnttab_dom0_map(7, A->id, GNTTAB_RESERVED_CONSOLE, true, &h2,
                                 &off, &fd),
                 GNTST_okay);
    cr_assert_eq(fd, A->gt->ram->ro_fd);
    /* Not granted to dom0; unknown domain; someone else's handle. */
    grant(A, 50, B->id, free_slot(A, 12), GTF_permit_access);
    cr_assert_eq(gnttab_dom0_map(7, A->id, 50, true, &h, &off, &fd),
                 GNTST_general_error);
    cr_assert_eq(gnttab_dom0_map(7, A->id, 51, true, &h, &off, &fd),
                 GNTST_general_error);
    cr_assert_eq(gnttab_dom0_map(7, 0x7005, 1, true, &h, &off, &fd),
                 GNTST_bad_domain);
    cr_assert_eq(gnttab_dom0_unmap(8, h2), GNTST_bad_handle);
    cr_assert_eq(gnttab_dom0_unmap(7, h2), GNTST_okay);
    cr_assert_eq(gnttab_dom0_unmap(7, h2), GNTST_bad_handle);
    cr_assert_eq(flags_of(A, 0), GTF_permit_access);
    /* A connection that closes drops what it held. */
    gnttab_dom0_release(7);
    cr_assert_eq(flags_of(A, 1), GTF_permit_access);
    /* Copies, both ways, within the page. */
    memcpy(domain_slot_ptr(A, A->store_mfn - A->mfn_base) + 10, "ring!", 6);
    cr_assert_eq(gnttab_dom0_copy(A->id, 1, 10, buf, 6, false), GNTST_okay);
    cr_assert_str_eq((char *)buf, "ring!");
    cr_assert_eq(gnttab_dom0_copy(A->id, 1, 4095, buf, 2, false),
                 GNTST_bad_copy_arg);
    cr_assert_eq(gnttab_dom0_copy(A->id, 50, 0, buf, 2, false),
                 GNTST_general_error);
    cr_assert_eq(gnttab_dom0_copy(A->id, 1, 20, "xy", 2, true), GNTST_okay);
    cr_assert_eq(
        memcmp(domain_slot_ptr(A, A->store_mfn - A->mfn_base) + 20, "xy", 2),
        0);
    cr_assert_eq(flags_of(A, 1), GTF_permit_access);
}

Test(gnttab, dom0_mapping_blocks_end_access_and_reset)
{
    uint32_t h;
    uint64_t off;
    int fd;

    cr_assert_eq(gnttab_dom0_map(9, A->id, GNTTAB_RESERVED_CONSOLE, false, &h,
                                 &off, &fd),
                 GNTST_okay);
    cr_assert_eq(end_access(A, 0), -1);
    cr_assert(gnttab_in_use(A));
    cr_assert_eq(gnttab_dom0_unmap(9, h), GNTST_okay);
    cr_assert_not(gnttab_in_use(A));
    cr_assert_eq(end_access(A, 0), 0);
}

Test(gnttab, map_unmap_map_again)
{
    uint64_t s = free_slot(A, 13);
    gva_t at = scratch(A, 4);
    grant_handle_t h;

    /* A self-grant's entry names the domain's own frame: its references
     * are the pins', never mm_pv.c's, so they balance round after round. */
    grant(A, 60, A->id, s, GTF_permit_access);
    for (int i = 0; i < 3; i++) {
        int16_t st = map(va_, A->id, 60, GNTMAP_host_map, at, &h);
        cr_assert_eq(st, GNTST_okay, "round %d: %d", i, st);
        cr_assert_eq(A->frames[s].map_count, 1);
        cr_assert_eq(A->frames[s].type_count, 1);
        cr_assert_eq(last_op(va_)->kind, STUB_OP_MAP_GRANT);
        cr_assert_eq(unmap(va_, at, 0, h), GNTST_okay);
        ack(va_);
        cr_assert_eq(flags_of(A, 60), GTF_permit_access);
        cr_assert_eq(A->frames[s].map_count, 0);
        cr_assert_eq(A->frames[s].type_count, 0);
    }
}

/* The acknowledgement comes through the guest-writable mailbox: before
 * the pins go, the kernel must say the page left the process. Here the
 * "process" is this test's, which maps the granted page itself. */
Test(gnttab, an_unmap_the_process_did_not_make_keeps_the_pins)
{
    uint64_t s = free_slot(A, 14);
    gva_t at = scratch(B, 4);
    grant_handle_t h;
    void *p;

    grant(A, 61, B->id, s, GTF_permit_access);
    cr_assert_eq(map(vb, A->id, 61, GNTMAP_host_map, at, &h), GNTST_okay);
    p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, A->gt->ram->rw_fd,
             (off_t)(s * PAGE_SIZE));
    cr_assert_neq(p, MAP_FAILED);
    B->pid = getpid();
    cr_assert_eq(procmaps_open(B), 0);
    cr_assert_eq(unmap(vb, at, 0, h), GNTST_okay);
    ack(vb);
    cr_assert_eq(B->state, DOM_CRASHED, "kept a mapping it had unmapped");
    cr_assert_eq(flags_of(A, 61) & (GTF_reading | GTF_writing),
                 GTF_reading | GTF_writing, "pinned until B is gone");
    munmap(p, PAGE_SIZE);
    procmaps_close(B);
    B->pid = -1;
    gnttab_domain_dead(B);
    cr_assert_eq(flags_of(A, 61), GTF_permit_access);
}
