/* SPDX-License-Identifier: MIT */
/*
 * gntloop: the grant-table bench guest, run under `veneerd run` by
 * bench/gntbench.c. It grants GNTLOOP_PAGES of its pages to itself (a
 * domain may map and copy its own grants, on Xen as here; the path
 * through veneerd is the one another domain's grant takes, but for the
 * second domain's lock) and times with the TSC:
 *
 *  - map+unmap, one grant per call: map_grant_ref of one page at a
 *    window address, then unmap_grant_ref (the unmap returns once the
 *    stub acknowledged the host munmap and the pins are gone);
 *  - map+unmap, GNTLOOP_PAGES grants per call (both directions batched);
 *  - grant copy: GNTLOOP_PAGES segments of 4 KiB per call, from the
 *    granted pages into as many of its own frames (GNTCOPY_source_gref);
 *  - the same bytes copied by the guest itself (rep movsb), for scale.
 *
 * Every call's statuses are checked, and one mapping and one copy are
 * checked for content first.
 *
 * Every call (or batch of calls) is timed on its own, and the medians
 * are reported, so that a loaded host's occasional long wait for a CPU
 * does not decide the figure.
 *
 * Command line: "domid=N maps=N copies=N" (domid: its own, 1 under
 * veneerd run; maps: map+unmap pairs one at a time, and as many in
 * batches; copies: copy calls).
 * Output: "gntloop: pages=P map1=T mapN=T copy=T memcpy=T maps=M
 * copies=C", T the median TSC ticks of one pair (map1), one batch of P
 * pairs (mapN), one copy call of P x 4 KiB (copy), and the guest's memcpy
 * of those bytes; or "gntloop: FAIL ...".
 */
#include <xen/grant_table.h>
#include <veneer/console.h>
#include <veneer/gnttab.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>

#include "bguest.h"
#include "tsc.h"

#define GNTLOOP_PAGES 32u /* grants per batched call */
#define PAGE          4096u

static struct {
    domid_t self;
    uint64_t src[GNTLOOP_PAGES]; /* granted pages (pfns) */
    uint64_t dst[GNTLOOP_PAGES]; /* copy destinations (pfns) */
    uint64_t win[GNTLOOP_PAGES]; /* window addresses for mappings */
    grant_ref_t ref[GNTLOOP_PAGES];
    struct gnttab_map_grant_ref map[GNTLOOP_PAGES];
    struct gnttab_unmap_grant_ref unmap[GNTLOOP_PAGES];
    struct gnttab_copy copy[GNTLOOP_PAGES];
} g;

static uint64_t gntloop_page(void)
{
    uint64_t pfn = 0;

    if (pages_alloc(&pfn) < 0)
        panic("gntloop: out of padding pages");
    return pfn;
}

static void gntloop_setup(void)
{
    for (unsigned int i = 0; i < GNTLOOP_PAGES; i++) {
        g.src[i] = gntloop_page();
        g.dst[i] = gntloop_page();
        g.win[i] = pt_pfn_to_va(gntloop_page());
        memset((void *)(uintptr_t)pt_pfn_to_va(g.src[i]), (int)i + 1, PAGE);
        if (gnttab_grant_access(g.self, pt_pfn_to_mfn(g.src[i]), 0, &g.ref[i]) <
            0)
            panic("gntloop: grant_access failed");
        g.map[i] = (struct gnttab_map_grant_ref){
            .host_addr = g.win[i],
            .flags = GNTMAP_host_map,
            .ref = g.ref[i],
            .dom = g.self,
        };
        g.copy[i] = (struct gnttab_copy){
            .source = {.u.ref = g.ref[i], .domid = g.self},
            .dest = {.u.gmfn = pt_pfn_to_mfn(g.dst[i]), .domid = DOMID_SELF},
            .len = PAGE,
            .flags = GNTCOPY_source_gref,
        };
    }
}

/* Map then unmap the first n grants, n per call; 0 or -1. */
static int gntloop_map_unmap(unsigned int n)
{
    if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, g.map, n) != 0)
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        if (g.map[i].status != GNTST_okay) {
            printf("gntloop: map %u of %u: status %d\n", i, n, g.map[i].status);
            return -1;
        }
        g.unmap[i] = (struct gnttab_unmap_grant_ref){.host_addr = g.win[i],
                                                     .handle = g.map[i].handle};
    }
    if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, g.unmap, n) != 0)
        return -1;
    for (unsigned int i = 0; i < n; i++)
        if (g.unmap[i].status != GNTST_okay) {
            printf("gntloop: unmap %u of %u: status %d\n", i, n,
                   g.unmap[i].status);
            return -1;
        }
    return 0;
}

static int gntloop_copy(void)
{
    if (gnttab_copy(g.copy, GNTLOOP_PAGES) != 0)
        return -1;
    for (unsigned int i = 0; i < GNTLOOP_PAGES; i++)
        if (g.copy[i].status != GNTST_okay)
            return -1;
    return 0;
}

/* One mapping and one copy, checked for content. */
static int gntloop_check(void)
{
    const volatile uint8_t *w = (const volatile uint8_t *)(uintptr_t)g.win[0];
    int ok;

    if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, g.map, 1) != 0 ||
        g.map[0].status != GNTST_okay)
        return -1;
    ok = w[0] == 1 && w[PAGE - 1] == 1;
    g.unmap[0] = (struct gnttab_unmap_grant_ref){.host_addr = g.win[0],
                                                 .handle = g.map[0].handle};
    if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, g.unmap, 1) != 0 ||
        g.unmap[0].status != GNTST_okay || !ok || gntloop_copy() < 0)
        return -1;
    return ((uint8_t *)(uintptr_t)pt_pfn_to_va(g.dst[5]))[100] == 6 ? 0 : -1;
}

/* Large: in .bss rather than on the runtime stack. */
static struct hist h_map1, h_mapn, h_copy, h_mcpy;

int guest_main(struct start_info *si)
{
    char cmdline[MAX_GUEST_CMDLINE];
    uint64_t maps, copies, t0;

    bguest_cmdline(si, cmdline, sizeof(cmdline));
    g.self = (domid_t)bguest_number(cmdline, "domid", 1);
    maps = bguest_number(cmdline, "maps", 2000);
    copies = bguest_number(cmdline, "copies", 2000);
    if (gnttab_init() < 0)
        panic("gntloop: gnttab_init failed");
    gntloop_setup();
    if (gntloop_check() < 0) {
        printf("gntloop: FAIL the first mapping or copy\n");
        return 1;
    }
    hist_init(&h_map1);
    hist_init(&h_mapn);
    hist_init(&h_copy);
    hist_init(&h_mcpy);
    for (uint64_t i = 0; i < maps; i++) {
        t0 = tsc_read();
        if (gntloop_map_unmap(1) < 0)
            panic("gntloop: map/unmap of one failed");
        hist_add(&h_map1, tsc_read() - t0);
    }
    for (uint64_t i = 0; i < maps / GNTLOOP_PAGES; i++) {
        t0 = tsc_read();
        if (gntloop_map_unmap(GNTLOOP_PAGES) < 0)
            panic("gntloop: map/unmap of %u failed", GNTLOOP_PAGES);
        hist_add(&h_mapn, tsc_read() - t0);
    }
    for (uint64_t i = 0; i < copies; i++) {
        t0 = tsc_read();
        if (gntloop_copy() < 0)
            panic("gntloop: copy failed");
        hist_add(&h_copy, tsc_read() - t0);
    }
    for (uint64_t i = 0; i < copies; i++) {
        t0 = tsc_read();
        for (unsigned int k = 0; k < GNTLOOP_PAGES; k++)
            memcpy((void *)(uintptr_t)pt_pfn_to_va(g.dst[k]),
                   (const void *)(uintptr_t)pt_pfn_to_va(g.src[k]), PAGE);
        hist_add(&h_mcpy, tsc_read() - t0);
    }
    printf("gntloop: pages=%u map1=%llu mapN=%llu copy=%llu memcpy=%llu "
           "maps=%llu copies=%llu\n",
           GNTLOOP_PAGES, (unsigned long long)hist_percentile(&h_map1, 500),
           (unsigned long long)hist_percentile(&h_mapn, 500),
           (unsigned long long)hist_percentile(&h_copy, 500),
           (unsigned long long)hist_percentile(&h_mcpy, 500),
           (unsigned long long)maps, (unsigned long long)copies);
    return 0;
}
