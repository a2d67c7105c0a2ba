/* SPDX-License-Identifier: MIT */
/*
 * layout: checks, from inside the guest, the PV start-of-day state that
 * Xen's domain builder guarantees (XEN-ABI-FACTS §3.4, §3.4a, §1.2) and
 * prints "layout: SUCCESS", or "layout: ABORT <what>" and crashes.
 *
 * Checked: start_info magic and flags; the order, packing and 4 KiB
 * alignment of image, P2M list, start_info, xenstore/console pages, page
 * tables and bootstrap stack; that pt_base is the L4 and the first of
 * nr_pt_frames contiguous table frames, and that exactly that many tables
 * map the region; that every page of the region (which ends on a 4 MiB
 * boundary with at least 512 KiB of padding) is mapped 1:1 onto the P2M
 * list, read-write except the page tables, which are read-only; that the
 * P2M has nr_pages valid entries and does not contain shared_info; and
 * that the hypercall page holds Xen's PV64 stubs.
 */
#include <stdarg.h>
#include <xen/errno.h>
#include <xen/arch-x86/page.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/string.h>

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

/* §3.4a: at least this much mapped padding after the bootstrap stack, and
 * the region ends on a multiple of REGION_ALIGN. */
#define REGION_PAD   (512 * KiB)
#define REGION_ALIGN (4 * MiB)

/* What the guest derives from start_info and its own link. */
struct layout {
    struct start_info *si;
    const uint64_t *p2m;
    uint64_t virt_base; /* VIRT_BASE: our link base */
    uint64_t image_end; /* _end, page-aligned */
    uint64_t si_va;
    uint64_t pt_end; /* end of the nr_pt_frames page-table frames */
    uint64_t stack_top;
    uint64_t region_end; /* first unmapped page after the region */
};

static uint64_t round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

static int is_page_aligned(uint64_t v)
{
    return (v & (XEN_PAGE_SIZE - 1)) == 0;
}

/* Print the failure and return nonzero, so that callers can write
 * `return layout_abort(...)`. */
static int layout_abort(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int layout_abort(const char *fmt, ...)
{
    va_list ap;

    printf("layout: ABORT ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    return 1;
}

static int check_start_info(const struct layout *l)
{
    const struct start_info *si = l->si;
    const char magic[] = "xen-3.0-x86_64";

    if (memcmp(si->magic, magic, sizeof(magic)) != 0)
        return layout_abort("magic '%.32s'", si->magic);
    if (si->nr_pages == 0)
        return layout_abort("nr_pages is 0");
    if (si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN))
        return layout_abort("domU has flags %#x", si->flags);
    if (strnlen((const char *)si->cmd_line, sizeof(si->cmd_line)) ==
        sizeof(si->cmd_line))
        return layout_abort("cmd_line is not NUL-terminated");
    return 0;
}

/* Where the page holding machine frame mfn sits; nonzero after an abort. */
static int va_of_mfn(uint64_t mfn, uint64_t *va)
{
    uint64_t pfn;

    if (pt_mfn_to_pfn(mfn, &pfn) != 0)
        return layout_abort("mfn %#lx is not in the P2M list",
                            (unsigned long)mfn);
    *va = pt_pfn_to_va(pfn);
    return 0;
}

/* (e) and (f): the xenstore and console pages follow start_info when the
 * builder provides them; returns where the page tables must start. */
static int check_ring_pages(const struct layout *l, uint64_t *next)
{
    const struct start_info *si = l->si;
    uint64_t va = 0;

    *next = l->si_va + XEN_PAGE_SIZE;
    if (si->store_mfn != 0) {
        if (va_of_mfn(si->store_mfn, &va) != 0)
            return 1;
        if (va != *next)
            return layout_abort("xenstore page at %#lx, expected %#lx",
                                (unsigned long)va, (unsigned long)*next);
        *next += XEN_PAGE_SIZE;
    }
    if (si->console.domU.mfn != 0) {
        if (va_of_mfn(si->console.domU.mfn, &va) != 0)
            return 1;
        if (va != *next)
            return layout_abort("console page at %#lx, expected %#lx",
                                (unsigned long)va, (unsigned long)*next);
        *next += XEN_PAGE_SIZE;
    }
    return 0;
}

/* (a)..(h): every element page-aligned and packed in order. */
static int check_order(struct layout *l)
{
    const struct start_info *si = l->si;
    uint64_t expect = l->image_end, pt_start;

    if (!is_page_aligned(si->mfn_list) || !is_page_aligned(l->si_va) ||
        !is_page_aligned(si->pt_base) || !is_page_aligned(l->stack_top))
        return layout_abort("an element is not 4 KiB-aligned");
    if (si->mod_len != 0) {
        if (si->mod_start != expect)
            return layout_abort("ramdisk at %#lx, expected %#lx",
                                (unsigned long)si->mod_start,
                                (unsigned long)expect);
        expect = round_up(expect + si->mod_len, XEN_PAGE_SIZE);
    }
    if (si->mfn_list != expect)
        return layout_abort("mfn_list at %#lx, expected %#lx after the image",
                            (unsigned long)si->mfn_list, (unsigned long)expect);
    expect = round_up(expect + si->nr_pages * 8, XEN_PAGE_SIZE);
    if (l->si_va != expect)
        return layout_abort("start_info at %#lx, expected %#lx after the P2M",
                            (unsigned long)l->si_va, (unsigned long)expect);
    if (check_ring_pages(l, &pt_start) != 0)
        return 1;
    if (si->pt_base != pt_start)
        return layout_abort("pt_base at %#lx, expected %#lx",
                            (unsigned long)si->pt_base,
                            (unsigned long)pt_start);
    if (si->nr_pt_frames < 4)
        return layout_abort("nr_pt_frames %lu < 4 levels",
                            (unsigned long)si->nr_pt_frames);
    l->pt_end = si->pt_base + si->nr_pt_frames * XEN_PAGE_SIZE;
    if (l->stack_top != l->pt_end + XEN_PAGE_SIZE)
        return layout_abort("boot stack top %#lx, expected %#lx",
                            (unsigned long)l->stack_top,
                            (unsigned long)(l->pt_end + XEN_PAGE_SIZE));
    return 0;
}

/* pt_base is the L4: the walk of any address starts in it. */
static int check_l4(const struct layout *l)
{
    struct pt_walk w;
    int rc = pt_walk(l->si_va, &w);

    if (rc != 0)
        return layout_abort("walk to start_info failed (%d) at level %d", rc,
                            w.level);
    if (w.table_va[4] != l->si->pt_base)
        return layout_abort("L4 is not at pt_base");
    return 0;
}

/* Per-level bookkeeping while walking the region page by page. */
struct walk_state {
    uint64_t last_table[5];
    uint64_t tables; /* distinct page-table frames reached */
};

static void count_tables(struct walk_state *ws, const struct pt_walk *w)
{
    for (int level = 4; level >= 1; level--) {
        if (w->table_va[level] != ws->last_table[level]) {
            ws->last_table[level] = w->table_va[level];
            ws->tables++;
        }
    }
}

/* One page of the region: present, 1:1 with the P2M, RW unless a table. */
static int check_pte(const struct layout *l, uint64_t va, uint64_t pte)
{
    uint64_t pfn = (va - l->virt_base) >> XEN_PAGE_SHIFT;
    int is_pt = va >= l->si->pt_base && va < l->pt_end;

    if (pt_mfn_of(pte) != l->p2m[pfn])
        return layout_abort("va %#lx maps mfn %#lx, P2M[%lu] = %#lx",
                            (unsigned long)va, (unsigned long)pt_mfn_of(pte),
                            (unsigned long)pfn, (unsigned long)l->p2m[pfn]);
    if (is_pt && (pte & _PAGE_RW))
        return layout_abort("page-table frame %#lx is mapped writable",
                            (unsigned long)va);
    if (!is_pt && !(pte & _PAGE_RW))
        return layout_abort("va %#lx is mapped read-only", (unsigned long)va);
    return 0;
}

/* Walk from VIRT_BASE until the first unmapped page; sets region_end. */
static int check_region(struct layout *l)
{
    struct walk_state ws = {.tables = 0};
    uint64_t va = l->virt_base;
    uint64_t limit = l->virt_base + l->si->nr_pages * XEN_PAGE_SIZE;
    struct pt_walk w;

    for (; va < limit; va += XEN_PAGE_SIZE) {
        int rc = pt_walk(va, &w);

        if (rc == -XEN_EFAULT)
            return layout_abort("va %#lx: a table is outside the PT frames",
                                (unsigned long)va);
        if (rc != 0 || !(w.entry[1] & _PAGE_PRESENT))
            break;
        count_tables(&ws, &w);
        if (check_pte(l, va, w.entry[1]) != 0)
            return 1;
    }
    l->region_end = va;
    if (va < round_up(l->stack_top + REGION_PAD, REGION_ALIGN))
        return layout_abort("region ends at %#lx, < 512 KiB after the stack",
                            (unsigned long)va);
    if (va != limit && va % REGION_ALIGN != 0)
        return layout_abort("region ends at %#lx, not on a 4 MiB boundary",
                            (unsigned long)va);
    if (ws.tables != l->si->nr_pt_frames)
        return layout_abort("%lu tables map the region, nr_pt_frames = %lu",
                            (unsigned long)ws.tables,
                            (unsigned long)l->si->nr_pt_frames);
    return 0;
}

/* The two PTEs the brief names explicitly, reported on their own. */
static int check_rights(const struct layout *l)
{
    struct pt_walk w;
    uint64_t si_pte;

    if (pt_walk(l->si_va, &w) != 0 || !(w.entry[1] & _PAGE_PRESENT) ||
        !(w.entry[1] & _PAGE_RW))
        return layout_abort("start_info page PTE %#lx: not present+RW",
                            (unsigned long)w.entry[1]);
    si_pte = w.entry[1];
    if (pt_walk(l->si->pt_base, &w) != 0 || !(w.entry[1] & _PAGE_PRESENT) ||
        (w.entry[1] & _PAGE_RW))
        return layout_abort("pt_base PTE %#lx: not present+read-only",
                            (unsigned long)w.entry[1]);
    printf("layout: start_info pte=%#lx pt_base pte=%#lx\n",
           (unsigned long)si_pte, (unsigned long)w.entry[1]);
    return 0;
}

/* The P2M has nr_pages valid entries; shared_info is not one of them. */
static int check_p2m(const struct layout *l)
{
    uint64_t sinfo = l->si->shared_info, pfn;

    for (uint64_t i = 0; i < l->si->nr_pages; i++) {
        if (l->p2m[i] == PT_INVALID_MFN)
            return layout_abort("P2M[%lu] is invalid", (unsigned long)i);
    }
    if (!is_page_aligned(sinfo))
        return layout_abort("shared_info %#lx is not page-aligned",
                            (unsigned long)sinfo);
    if (pt_mfn_to_pfn(sinfo >> XEN_PAGE_SHIFT, &pfn) == 0)
        return layout_abort("shared_info mfn is P2M[%lu]", (unsigned long)pfn);
    return 0;
}

/* Compare one hypercall-page slot with Xen's PV64 stub (§1.2). */
static int check_slot(unsigned int nr)
{
    const unsigned char *p =
        (const unsigned char *)hypercall_page + nr * HYPERCALL_SLOT_SIZE;
    /* push %rcx; push %r11; mov $nr,%eax; syscall; pop %r11; pop %rcx;
     * ret. The iret slot also pushes rax and does not return. */
    unsigned char normal[14] = {0x51, 0x41, 0x53, 0xb8, nr,   0,    0,
                                0,    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
    unsigned char iret[11] = {0x51, 0x41, 0x53, 0x50, 0xb8, nr,
                              0,    0,    0,    0x0f, 0x05};

    if (nr == __HYPERVISOR_iret)
        return memcmp(p, iret, sizeof(iret)) != 0;
    return memcmp(p, normal, sizeof(normal)) != 0;
}

static int check_hypercall_page(void)
{
    for (unsigned int nr = 0; nr < HYPERCALL_PAGE_SLOTS; nr++) {
        if (check_slot(nr) != 0)
            return layout_abort("hypercall page slot %u is not Xen's stub", nr);
    }
    return 0;
}

/* The host mapping must agree with the PTEs: touch the padding. */
static int check_padding_usable(const struct layout *l)
{
    volatile uint64_t *last =
        (volatile uint64_t *)(uintptr_t)(l->region_end - 8);

    *last = 0x5a5a5a5a5a5a5a5aULL;
    if (*last != 0x5a5a5a5a5a5a5a5aULL)
        return layout_abort("padding at %#lx did not keep a write",
                            (unsigned long)(l->region_end - 8));
    return 0;
}

int guest_main(struct start_info *si)
{
    struct layout l = {
        .si = si,
        .p2m = (const uint64_t *)(uintptr_t)si->mfn_list,
        .virt_base = runtime_virt_base(),
        .image_end = (uint64_t)(uintptr_t)_end,
        .si_va = (uint64_t)(uintptr_t)si,
        .stack_top = runtime_boot_sp,
    };

    printf("layout: virt_base=%#lx image_end=%#lx mfn_list=%#lx "
           "start_info=%#lx\n",
           (unsigned long)l.virt_base, (unsigned long)l.image_end,
           (unsigned long)si->mfn_list, (unsigned long)l.si_va);
    printf("layout: pt_base=%#lx nr_pt_frames=%lu boot_sp=%#lx "
           "nr_pages=%lu shared_info=%#lx\n",
           (unsigned long)si->pt_base, (unsigned long)si->nr_pt_frames,
           (unsigned long)l.stack_top, (unsigned long)si->nr_pages,
           (unsigned long)si->shared_info);
    if (check_start_info(&l) || check_order(&l) || check_l4(&l) ||
        check_rights(&l) || check_p2m(&l) || check_region(&l) ||
        check_hypercall_page() || check_padding_usable(&l))
        return 1;
    printf("layout: region [%#lx, %#lx) mapped 1:1, %lu table frames\n",
           (unsigned long)l.virt_base, (unsigned long)l.region_end,
           (unsigned long)si->nr_pt_frames);
    printf("layout: SUCCESS\n");
    return 0;
}
