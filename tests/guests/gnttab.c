/* SPDX-License-Identifier: MIT */
/*
 * gnttab: grant tables in one guest, granting to itself (Xen allows a
 * domain to map and copy its own grants), under `veneerd run`.
 *
 * 1. The table: setup_table and query_size, version 1 only, the
 *    toolstack's entries 0 (console ring) and 1 (store ring) granted to
 *    domain 0, dump_table.
 * 2. Map: a page granted writable is mapped at another address (a
 *    STUB_OP_MAP_GRANT: the stub maps the file veneerd installed for that
 *    one mmap); a write through the mapping is read back through the
 *    page's own address; while mapped the entry shows GTF_reading and
 *    GTF_writing and the granter cannot end access; after unmap the
 *    bits are clear at once, the address faults, and access ends.
 * 3. Read-only: a read-only grant mapped read-only reads the page, and a
 *    write through it faults; mapped writable it is refused.
 * 4. Copy, both ways, and its bounds.
 * 5. Xen's GNTST code for each bad request.
 *
 * Command line: "domid=N" (default 1: veneerd run's first domain).
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <veneer/console.h>
#include <veneer/gnttab.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>
#include <veneer/traps.h>

#include "gtest.h"

static domid_t self = 1;

static uint64_t alloc_pfn(void)
{
    uint64_t pfn = 0;

    if (pages_alloc(&pfn) < 0)
        panic("gnttab: out of padding pages");
    return pfn;
}

static volatile uint8_t *bytes(uint64_t pfn)
{
    return (volatile uint8_t *)(uintptr_t)pt_pfn_to_va(pfn);
}

static void parse_domid(const char *cmdline)
{
    for (const char *p = cmdline; *p; p++)
        if (strncmp(p, "domid=", 6) == 0 && (p == cmdline || p[-1] == ' ')) {
            unsigned int v = 0;
            for (p += 6; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (unsigned int)(*p - '0');
            self = (domid_t)v;
            return;
        }
}

static int16_t map_one(domid_t dom, grant_ref_t ref, uint64_t va,
                       uint32_t flags, grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = va, .flags = flags, .ref = ref, .dom = dom};
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (rc != 0)
        gtest_fail("map_grant_ref hypercall -> %ld", rc);
    if (h)
        *h = op.handle;
    return op.status;
}

static int16_t copy_one(struct gnttab_copy *op)
{
    long rc = gnttab_copy(op, 1);

    if (rc != 0)
        gtest_fail("copy hypercall -> %ld", rc);
    return op->status;
}

static void check_table(void)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_set_version sv = {.version = 2};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    struct gnttab_dump_table dt = {.dom = DOMID_SELF};
    const struct start_info *si = runtime_start_info;
    long rc;

    gtest_ok(gnttab_init() == 0, "setup_table and map %u frames",
             GNTTAB_RT_FRAMES);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    gtest_ok(rc == 0 && q.status == GNTST_okay &&
                 q.nr_frames == GNTTAB_RT_FRAMES && q.max_nr_frames == 64,
             "query_size: %u of %u frames", q.nr_frames, q.max_nr_frames);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_set_version, &sv, 1);
    gtest_refused(rc, -XEN_ENOSYS, GTEST_AS_XEN, "set_version 2");
    gtest_ok(sv.version == 1, "the version in use is 1");
    rc = HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1);
    gtest_ok(rc == 0 && gv.version == 1, "get_version -> 1");
    gtest_ok(gnttab_table[GNTTAB_RESERVED_CONSOLE].flags == GTF_permit_access &&
                 gnttab_table[GNTTAB_RESERVED_CONSOLE].domid == 0 &&
                 gnttab_table[GNTTAB_RESERVED_CONSOLE].frame ==
                     si->console.domU.mfn,
             "ref 0 grants the console ring to dom0");
    gtest_ok(gnttab_table[GNTTAB_RESERVED_XENSTORE].flags ==
                     GTF_permit_access &&
                 gnttab_table[GNTTAB_RESERVED_XENSTORE].domid == 0 &&
                 gnttab_table[GNTTAB_RESERVED_XENSTORE].frame == si->store_mfn,
             "ref 1 grants the store ring to dom0");
    rc = HYPERVISOR_grant_table_op(GNTTABOP_dump_table, &dt, 1);
    gtest_ok(rc == 0 && dt.status == GNTST_okay, "dump_table");
}

static void check_map(void)
{
    uint64_t page = alloc_pfn(), win = alloc_pfn();
    uint64_t wva = pt_pfn_to_va(win), v = 0;
    grant_handle_t h;
    grant_ref_t ref;
    int16_t st;

    for (unsigned int i = 0; i < 4096; i++)
        bytes(page)[i] = (uint8_t)i;
    st = (int16_t)gnttab_grant_access(self, pt_pfn_to_mfn(page), 0, &ref);
    gtest_ok(st == 0, "grant a page to itself: ref %u", ref);
    st = map_one(self, ref, wva, GNTMAP_host_map, &h);
    gtest_ok(st == GNTST_okay, "map it writable at %#lx -> %d",
             (unsigned long)wva, st);
    gtest_ok(bytes(win)[77] == 77 && bytes(win)[4095] == (uint8_t)4095,
             "the mapping shows the granted page");
    bytes(win)[100] = 0xee;
    gtest_ok(bytes(page)[100] == 0xee, "a write through it lands in the page");
    gtest_ok((gnttab_table[ref].flags & (GTF_reading | GTF_writing)) ==
                 (GTF_reading | GTF_writing),
             "GTF_reading|GTF_writing while mapped");
    gtest_refused(gnttab_end_access_ref(ref), -XEN_EBUSY, GTEST_AS_XEN,
                  "end access while mapped");
    gtest_refused(gnttab_unmap(wva, h + 1, &st) == 0 ? st : -99,
                  GNTST_bad_handle, GTEST_AS_XEN, "unmap a bad handle");
    gtest_refused(gnttab_unmap(wva + 4096, h, &st) == 0 ? st : -99,
                  GNTST_general_error, GTEST_AS_XEN,
                  "unmap at the wrong address");
    gtest_ok(gnttab_unmap(wva, h, &st) == 0 && st == GNTST_okay, "unmap");
    gtest_ok((gnttab_table[ref].flags & (GTF_reading | GTF_writing)) == 0,
             "both bits clear once unmap returns");
    gtest_ok(trap_probe_read64(wva, &v) == -XEN_EFAULT,
             "the address faults after unmap");
    for (unsigned int i = 0; i < 3; i++) {
        st = map_one(self, ref, wva, GNTMAP_host_map, &h);
        if (st == GNTST_okay && bytes(win)[100] == 0xee)
            gnttab_unmap(wva, h, &st);
        if (st != GNTST_okay)
            break;
    }
    gtest_ok(st == GNTST_okay, "mapped and unmapped again, three times");
    gtest_ok(gnttab_end_access(ref) == 0, "access ends");
    gtest_ok(mmu_map(wva, pt_pfn_to_mfn(win), MMU_PTE_RW) == 0,
             "the window maps its own frame again");
}

static void check_readonly(void)
{
    uint64_t page = alloc_pfn(), win = alloc_pfn();
    uint64_t wva = pt_pfn_to_va(win), v = 0;
    grant_handle_t h;
    grant_ref_t ref;
    int16_t st;

    *(volatile uint64_t *)(uintptr_t)pt_pfn_to_va(page) = 0x1234567812345678;
    gnttab_grant_access(self, pt_pfn_to_mfn(page), 1, &ref);
    gtest_refused(map_one(self, ref, wva, GNTMAP_host_map, NULL),
                  GNTST_general_error, GTEST_AS_XEN,
                  "a read-only grant mapped writable");
    gtest_ok(gnttab_table[ref].flags == (GTF_permit_access | GTF_readonly),
             "no bit left behind");
    st = map_one(self, ref, wva, GNTMAP_host_map | GNTMAP_readonly, &h);
    gtest_ok(st == GNTST_okay &&
                 gnttab_table[ref].flags ==
                     (GTF_permit_access | GTF_readonly | GTF_reading),
             "mapped read-only: GTF_reading only");
    gtest_ok(trap_probe_read64(wva, &v) == 0 && v == 0x1234567812345678,
             "it reads the page");
    gtest_ok(trap_probe_write64(wva, 1) == -XEN_EFAULT,
             "a write through it faults");
    gtest_ok(gnttab_unmap(wva, h, &st) == 0 && st == GNTST_okay &&
                 gnttab_end_access(ref) == 0,
             "unmapped; access ends");
    mmu_map(wva, pt_pfn_to_mfn(win), MMU_PTE_RW);
}

static void check_copy(void)
{
    uint64_t a = alloc_pfn(), b = alloc_pfn();
    struct gnttab_copy op;
    grant_ref_t ref;

    memset((void *)bytes(a), 0x11, 4096);
    memset((void *)bytes(b), 0x22, 4096);
    gnttab_grant_access(self, pt_pfn_to_mfn(a), 0, &ref);
    op = (struct gnttab_copy){
        .source = {.u.ref = ref, .domid = self, .offset = 10},
        .dest = {.u.gmfn = pt_pfn_to_mfn(b), .domid = DOMID_SELF, .offset = 20},
        .len = 30,
        .flags = GNTCOPY_source_gref,
    };
    gtest_ok(copy_one(&op) == GNTST_okay && bytes(b)[19] == 0x22 &&
                 bytes(b)[20] == 0x11 && bytes(b)[49] == 0x11 &&
                 bytes(b)[50] == 0x22,
             "copy from a grant into a frame");
    op = (struct gnttab_copy){
        .source = {.u.gmfn = pt_pfn_to_mfn(b), .domid = DOMID_SELF},
        .dest = {.u.ref = ref, .domid = self, .offset = 4000},
        .len = 96,
        .flags = GNTCOPY_dest_gref,
    };
    gtest_ok(copy_one(&op) == GNTST_okay && bytes(a)[4000] == 0x22 &&
                 bytes(a)[3999] == 0x11,
             "copy from a frame into a grant");
    op.len = 97;
    gtest_refused(copy_one(&op), GNTST_bad_copy_arg, GTEST_AS_XEN,
                  "a copy past the end of the page");
    op.len = 8;
    op.source.domid = self;
    gtest_refused(copy_one(&op), GNTST_permission_denied, GTEST_AS_XEN,
                  "a frame end that is not DOMID_SELF");
    op.source.domid = DOMID_SELF;
    op.dest.domid = 0x7000;
    gtest_refused(copy_one(&op), GNTST_bad_domain, GTEST_AS_XEN,
                  "a copy to an unknown domain");
    op.dest.domid = self;
    op.dest.u.ref = GNTTAB_RT_ENTRIES * 64;
    gtest_refused(copy_one(&op), GNTST_bad_gntref, GTEST_AS_XEN,
                  "a copy to a ref beyond the table");
    gtest_ok((gnttab_table[ref].flags & (GTF_reading | GTF_writing)) == 0,
             "no copy leaves its bits behind");
    gtest_ok(gnttab_end_access(ref) == 0, "access ends");
}

static void check_refusals(void)
{
    uint64_t page = alloc_pfn(), win = alloc_pfn();
    uint64_t wva = pt_pfn_to_va(win);
    grant_ref_t ref, ungranted;
    int16_t st;

    gnttab_grant_access(self, pt_pfn_to_mfn(page), 0, &ref);
    gnttab_grant_access(self, pt_pfn_to_mfn(page), 0, &ungranted);
    gnttab_end_access(ungranted);
    gtest_refused(map_one(0x7000, ref, wva, GNTMAP_host_map, NULL),
                  GNTST_bad_domain, GTEST_AS_XEN, "map from an unknown domain");
    gtest_refused(map_one(DOMID_SELF, ref, wva, GNTMAP_host_map, NULL),
                  GNTST_bad_domain, GTEST_AS_XEN, "map from DOMID_SELF");
    gtest_refused(
        map_one(self, GNTTAB_RT_ENTRIES * 64, wva, GNTMAP_host_map, NULL),
        GNTST_bad_gntref, GTEST_AS_XEN, "map a ref beyond the table");
    gtest_refused(map_one(self, ref, wva, 0, NULL), GNTST_bad_gntref,
                  GTEST_AS_XEN, "map without host_map or device_map");
    gtest_refused(map_one(self, ungranted, wva, GNTMAP_host_map, NULL),
                  GNTST_general_error, GTEST_AS_XEN, "map an ended grant");
    gtest_refused(
        map_one(self, GNTTAB_RESERVED_CONSOLE, wva, GNTMAP_host_map, NULL),
        GNTST_general_error, GTEST_AS_XEN, "map a grant meant for dom0");
    gtest_refused(map_one(self, ref, 0x7e0000000000ull, GNTMAP_host_map, NULL),
                  GNTST_general_error, GTEST_AS_XEN,
                  "map where no L1 table is");
    gnttab_grant_access_ref(ungranted, self,
                            runtime_start_info->shared_info >> 12, 0);
    gtest_refused(map_one(self, ungranted, wva, GNTMAP_host_map, NULL),
                  GNTST_bad_page, GTEST_AS_XEN, "map a grant of shared_info");
    gnttab_end_access(ungranted);
    gtest_refused(gnttab_unmap(wva, 4000, &st) == 0 ? st : -99,
                  GNTST_bad_handle, GTEST_AS_XEN, "unmap a handle never made");
    gtest_ok((gnttab_table[ref].flags & (GTF_reading | GTF_writing)) == 0,
             "refused maps leave no bit behind");
    gnttab_end_access(ref);
}

int guest_main(struct start_info *si)
{
    parse_domid(gtest_begin("gnttab", si));
    if (trap_init() < 0)
        panic("gnttab: trap_init failed");
    check_table();
    check_map();
    check_readonly();
    check_copy();
    check_refusals();
    return gtest_end();
}
