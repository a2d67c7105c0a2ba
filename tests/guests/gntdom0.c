/* SPDX-License-Identifier: MIT */
/*
 * gntdom0: grants pages to domain 0 for a host process (the vngnt-check
 * driver, t_gnttab_dom0.sh), which maps and copies them through veneerd.
 *
 * Refs: DATA (10) writable "veneer-dom0-grant", RO (11) read-only, OTHER
 * (12) granted to domain 7 instead, CTL (15) the control page the host
 * reads and writes with copies only: a state word each.
 *
 *   guest 1: granted           host 1: mapped DATA, wrote at +100
 *   guest 2: saw it; end access of DATA refused while the host maps it
 *   host 2: unmapped DATA, copied "host copied" to +200, refusals checked
 *   guest 3: DATA's bits clear, access ends
 *   host 3: a map of the ended DATA refused; a child mapped RO and died
 *   guest: RO and CTL end (the dead child's mapping was released).
 */
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <veneer/console.h>
#include <veneer/gnttab.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>
#include <veneer/time.h>

#include "gtest.h"

#define DATA_REF  10
#define RO_REF    11
#define OTHER_REF 12
#define CTL_REF   15

#define WAIT_STEP_NS 1000000ULL
#define WAIT_MAX_NS  20000000000ULL

struct ctl {
    volatile uint32_t guest_state, host_state;
};

static uint64_t alloc_pfn(void)
{
    uint64_t pfn = 0;

    if (pages_alloc(&pfn) < 0)
        panic("gntdom0: out of padding pages");
    return pfn;
}

static char *page_of(uint64_t pfn)
{
    return (char *)(uintptr_t)pt_pfn_to_va(pfn);
}

static void put(char *dst, const char *s)
{
    memcpy(dst, s, strlen(s) + 1);
}

static int wait_for(volatile uint32_t *word, uint32_t want)
{
    uint64_t end = time_now_ns() + WAIT_MAX_NS;

    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) < want) {
        if (time_now_ns() > end)
            return -1;
        time_sleep_ns(WAIT_STEP_NS);
    }
    return 0;
}

int guest_main(struct start_info *si)
{
    uint64_t data = alloc_pfn(), ro = alloc_pfn(), c = alloc_pfn();
    struct ctl *ctl = (struct ctl *)page_of(c);

    gtest_begin("gntdom0", si);
    if (time_init() < 0 || gnttab_init() < 0)
        panic("gntdom0: time_init or gnttab_init failed");
    memset(page_of(data), 0, 4096);
    memset(ctl, 0, 4096);
    put(page_of(data), "veneer-dom0-grant");
    put(page_of(ro), "read-only page");
    gnttab_grant_access_ref(DATA_REF, 0, pt_pfn_to_mfn(data), 0);
    gnttab_grant_access_ref(RO_REF, 0, pt_pfn_to_mfn(ro), 1);
    gnttab_grant_access_ref(OTHER_REF, 7, pt_pfn_to_mfn(ro), 0);
    gnttab_grant_access_ref(CTL_REF, 0, pt_pfn_to_mfn(c), 0);
    __atomic_store_n(&ctl->guest_state, 1, __ATOMIC_RELEASE);
    printf("gntdom0: granted\n");

    gtest_ok(wait_for(&ctl->host_state, 1) == 0, "the host mapped the page");
    gtest_ok(strcmp(page_of(data) + 100, "host wrote") == 0,
             "its write through the mapping is here");
    gtest_ok((gnttab_table[DATA_REF].flags & (GTF_reading | GTF_writing)) ==
                 (GTF_reading | GTF_writing),
             "GTF_reading|GTF_writing while dom0 maps it");
    gtest_refused(gnttab_end_access_ref(DATA_REF), -XEN_EBUSY, GTEST_AS_XEN,
                  "end access while dom0 maps the page");
    __atomic_store_n(&ctl->guest_state, 2, __ATOMIC_RELEASE);

    gtest_ok(wait_for(&ctl->host_state, 2) == 0, "the host unmapped, copied");
    gtest_ok(strcmp(page_of(data) + 200, "host copied") == 0,
             "its grant copy is here");
    gtest_ok((gnttab_table[DATA_REF].flags & (GTF_reading | GTF_writing)) == 0,
             "no bit left once dom0 unmapped");
    gtest_ok(gnttab_end_access_ref(DATA_REF) == 0, "access ends");
    __atomic_store_n(&ctl->guest_state, 3, __ATOMIC_RELEASE);

    gtest_ok(wait_for(&ctl->host_state, 3) == 0, "the host is done");
    gtest_ok(strcmp(page_of(ro), "read-only page") == 0,
             "the read-only page is untouched");
    gtest_ok(gtest_end_access(RO_REF) == 0,
             "a dead host process's mapping was released");
    gtest_ok(gtest_end_access(CTL_REF) == 0 &&
                 gnttab_end_access_ref(OTHER_REF) == 0,
             "every grant ends");
    return gtest_end();
}
