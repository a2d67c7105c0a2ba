/* SPDX-License-Identifier: MIT */
/*
 * gntpair: two guests and a grant between them, under the daemon
 * (t_gnttab_pair.sh). A is the granter, B the mapper; each is told the
 * other's domain id on its command line. They talk through a control
 * page A grants to B (ref CTL_REF), each side writing its own state word.
 *
 * role=granter peer=B:
 *   grants page P (ref DATA_REF, writable), page R (ref RO_REF,
 *   read-only) and the control page; waits for B to write into P through
 *   its mapping; checks GTF_reading|GTF_writing and that it cannot end
 *   access while B maps P; once B unmapped, ends access; checks what B's
 *   copies wrote. With "death": B maps P and crashes, and A must get P
 *   back (end access) once B's process is gone.
 * role=mapper peer=A [crash]:
 *   maps the control page and P, reads A's words and writes its own, then
 *   unmaps (or, with "crash", dies holding the mapping); copies from R
 *   and into the control page; checks Xen's codes for wrong refs, wrong
 *   domains, a writable map of R, a copy into R.
 *
 * Each side prints gtest lines and "gntpair: SUCCESS" when it is done.
 */
#include <stddef.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/grant_table.h>
#include <veneer/console.h>
#include <veneer/gnttab.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pages.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>
#include <veneer/time.h>

#include "gtest.h"

#define DATA_REF 10
#define CTL_REF  11
#define RO_REF   12

#define WAIT_STEP_NS 1000000ULL     /* poll every 1 ms */
#define WAIT_MAX_NS  20000000000ULL /* give up after 20 s */

/* The control page: one state word per side, and room for copies. */
struct ctl {
    volatile uint32_t a_state, b_state;
    char note[64];   /* A writes it */
    char copied[64]; /* B's grant copy lands here */
};

static domid_t peer;

static uint64_t arg_number(const char *cmdline, const char *key)
{
    size_t n = strlen(key);

    for (const char *p = cmdline; *p; p++)
        if (strncmp(p, key, n) == 0 && p[n] == '=' &&
            (p == cmdline || p[-1] == ' ')) {
            uint64_t v = 0;
            for (p += n + 1; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (uint64_t)(*p - '0');
            return v;
        }
    return 0;
}

static void put(char *dst, const char *s)
{
    memcpy(dst, s, strlen(s) + 1);
}

static uint64_t alloc_pfn(void)
{
    uint64_t pfn = 0;

    if (pages_alloc(&pfn) < 0)
        panic("gntpair: out of padding pages");
    return pfn;
}

static char *page_of(uint64_t pfn)
{
    return (char *)(uintptr_t)pt_pfn_to_va(pfn);
}

/* Wait until *word reaches want; 0, or -1 after WAIT_MAX_NS. */
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

static int wait_text(const char *where, const char *text)
{
    uint64_t end = time_now_ns() + WAIT_MAX_NS;

    while (strncmp((const char *)where, text, strlen(text)) != 0) {
        if (time_now_ns() > end)
            return -1;
        time_sleep_ns(WAIT_STEP_NS);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    }
    return 0;
}

static void set_state(volatile uint32_t *word, uint32_t v)
{
    __atomic_store_n(word, v, __ATOMIC_RELEASE);
}

/* ---- A: the granter ---- */

static int granter(int death)
{
    uint64_t p = alloc_pfn(), r = alloc_pfn(), c = alloc_pfn();
    struct ctl *ctl = (struct ctl *)page_of(c);
    int rc;

    memset(ctl, 0, 4096);
    memset(page_of(p), 0, 4096);
    put(page_of(p), "hello from A");
    put(page_of(r), "read-only from A");
    put(ctl->note, "A's note");
    gnttab_grant_access_ref(DATA_REF, peer, pt_pfn_to_mfn(p), 0);
    gnttab_grant_access_ref(RO_REF, peer, pt_pfn_to_mfn(r), 1);
    gnttab_grant_access_ref(CTL_REF, peer, pt_pfn_to_mfn(c), 0);
    set_state(&ctl->a_state, 1);
    printf("gntpair: granted refs %u %u %u to dom%u\n", DATA_REF, RO_REF,
           CTL_REF, peer);
    gtest_ok(wait_text(page_of(p) + 2048, "hello from B") == 0,
             "B wrote into the page through its mapping");
    gtest_ok((gnttab_table[DATA_REF].flags & (GTF_reading | GTF_writing)) ==
                 (GTF_reading | GTF_writing),
             "GTF_reading|GTF_writing while B maps it");
    gtest_refused(gnttab_end_access_ref(DATA_REF), -XEN_EBUSY, GTEST_AS_XEN,
                  "end access while B maps the page");
    set_state(&ctl->a_state, 2);
    if (death) {
        /* B dies holding the mapping; its death must give P back. */
        rc = gtest_end_access(DATA_REF);
        gtest_ok(rc == 0, "access ends once the mapper died (rc %d)", rc);
        gtest_ok(gtest_end_access(CTL_REF) == 0,
                 "the control page comes back too");
        return gtest_end();
    }
    gtest_ok(wait_for(&ctl->b_state, 2) == 0, "B unmapped");
    gtest_ok(gnttab_end_access_ref(DATA_REF) == 0,
             "access ends once B unmapped");
    gtest_ok(wait_for(&ctl->b_state, 3) == 0, "B did its copies");
    gtest_ok(strcmp(ctl->copied, "copied by B") == 0,
             "B's copy landed in the control page");
    gtest_ok(strcmp(page_of(r), "read-only from A") == 0,
             "the read-only page is untouched");
    gtest_ok(gnttab_table[RO_REF].flags == (GTF_permit_access | GTF_readonly),
             "no bit left on the read-only grant");
    set_state(&ctl->a_state, 3);
    gtest_ok(wait_for(&ctl->b_state, 4) == 0, "B unmapped the control page");
    gtest_ok(gtest_end_access(CTL_REF) == 0 &&
                 gnttab_end_access_ref(RO_REF) == 0,
             "every grant ends");
    return gtest_end();
}

/* ---- B: the mapper ---- */

static int16_t map_at(grant_ref_t ref, uint64_t va, int readonly,
                      grant_handle_t *h)
{
    int16_t st = GNTST_general_error;

    if (gnttab_map(peer, ref, va, readonly, h, &st) != 0)
        gtest_fail("map_grant_ref hypercall failed");
    return st;
}

static void mapper_refusals(uint64_t win)
{
    grant_handle_t h;
    int16_t st;

    gtest_refused(map_at(13, win, 0, &h), GNTST_general_error, GTEST_AS_XEN,
                  "map a ref A never granted");
    gtest_refused(map_at(100000, win, 0, &h), GNTST_bad_gntref, GTEST_AS_XEN,
                  "map a ref beyond A's table");
    gtest_refused(map_at(RO_REF, win, 0, &h), GNTST_general_error, GTEST_AS_XEN,
                  "map A's read-only grant writable");
    gtest_refused(gnttab_map(999, DATA_REF, win, 0, &h, &st) == 0 ? st : -99,
                  GNTST_bad_domain, GTEST_AS_XEN, "map from domain 999");
    gtest_refused(map_at(GNTTAB_RESERVED_XENSTORE, win, 1, &h),
                  GNTST_general_error, GTEST_AS_XEN,
                  "map A's store ring (granted to dom0)");
}

static void mapper_copies(uint64_t own)
{
    struct gnttab_copy op = {
        .source = {.u.ref = RO_REF, .domid = peer},
        .dest = {.u.gmfn = pt_pfn_to_mfn(own), .domid = DOMID_SELF},
        .len = 32,
        .flags = GNTCOPY_source_gref,
    };
    static const char text[] = "copied by B";

    memset(page_of(own), 0, 4096);
    gtest_ok(gnttab_copy(&op, 1) == 0 && op.status == GNTST_okay &&
                 strcmp(page_of(own), "read-only from A") == 0,
             "copy from A's read-only grant");
    op = (struct gnttab_copy){
        .source = {.u.gmfn = pt_pfn_to_mfn(own), .domid = DOMID_SELF},
        .dest = {.u.ref = RO_REF, .domid = peer},
        .len = 8,
        .flags = GNTCOPY_dest_gref,
    };
    gtest_refused(gnttab_copy(&op, 1) == 0 ? op.status : -99,
                  GNTST_general_error, GTEST_AS_XEN,
                  "copy into A's read-only grant");
    put(page_of(own) + 100, text);
    op = (struct gnttab_copy){
        .source = {.u.gmfn = pt_pfn_to_mfn(own),
                   .domid = DOMID_SELF,
                   .offset = 100},
        .dest = {.u.ref = CTL_REF,
                 .domid = peer,
                 .offset = offsetof(struct ctl, copied)},
        .len = sizeof(text),
        .flags = GNTCOPY_dest_gref,
    };
    gtest_ok(gnttab_copy(&op, 1) == 0 && op.status == GNTST_okay,
             "copy into A's control page");
    op.dest.domid = 0x7ff0 - 1; /* an id no domain has */
    gtest_refused(gnttab_copy(&op, 1) == 0 ? op.status : -99, GNTST_bad_domain,
                  GTEST_AS_XEN, "copy to an unknown domain");
}

static int mapper(int crash)
{
    uint64_t cwin = pt_pfn_to_va(alloc_pfn()), dwin = pt_pfn_to_va(alloc_pfn());
    uint64_t own = alloc_pfn(), end = time_now_ns() + WAIT_MAX_NS;
    struct ctl *ctl = (struct ctl *)(uintptr_t)cwin;
    grant_handle_t hc, hd;
    int16_t st;

    /* A may not have granted yet: retry while the entry is not ours. */
    while ((st = map_at(CTL_REF, cwin, 0, &hc)) == GNTST_general_error &&
           time_now_ns() < end)
        time_sleep_ns(WAIT_STEP_NS);
    gtest_ok(st == GNTST_okay, "map A's control page -> %d", st);
    if (st != GNTST_okay)
        return gtest_end();
    gtest_ok(wait_for(&ctl->a_state, 1) == 0 &&
                 strcmp(ctl->note, "A's note") == 0,
             "A's note shows through the mapping");
    st = map_at(DATA_REF, dwin, 0, &hd);
    gtest_ok(st == GNTST_okay, "map A's data page -> %d", st);
    gtest_ok(strcmp((char *)(uintptr_t)dwin, "hello from A") == 0,
             "read A's words");
    put((char *)(uintptr_t)dwin + 2048, "hello from B");
    gtest_ok(wait_for(&ctl->a_state, 2) == 0, "A saw them and is refused");
    if (crash) {
        printf("gntpair: crashing with the page mapped\n");
        runtime_shutdown(SHUTDOWN_crash);
    }
    gtest_ok(gnttab_unmap(dwin, hd, &st) == 0 && st == GNTST_okay,
             "unmap the data page");
    set_state(&ctl->b_state, 2);
    mapper_refusals(dwin);
    mapper_copies(own);
    set_state(&ctl->b_state, 3);
    gtest_ok(wait_for(&ctl->a_state, 3) == 0, "A checked the copies");
    set_state(&ctl->b_state, 4);
    gtest_ok(gnttab_unmap(cwin, hc, &st) == 0 && st == GNTST_okay,
             "unmap the control page");
    return gtest_end();
}

int guest_main(struct start_info *si)
{
    const char *cmdline = gtest_begin("gntpair", si);

    peer = (domid_t)arg_number(cmdline, "peer");
    if (time_init() < 0 || gnttab_init() < 0)
        panic("gntpair: time_init or gnttab_init failed");
    if (gtest_arg("role=granter"))
        return granter(gtest_arg("death"));
    if (gtest_arg("role=mapper"))
        return mapper(gtest_arg("crash"));
    panic("gntpair: no role= on the command line");
}
