/* SPDX-License-Identifier: MIT */
/*
 * The PV domain builder: lays out a fresh domain's memory exactly as Xen's
 * x86-64 PV builder does (XEN-ABI-FACTS §3.4a) and fills it: kernel image,
 * P2M list, start_info, xenstore and console ring pages, bootstrap page
 * tables (L4 first, pinned; page-table frames mapped read-only), bootstrap
 * stack; shared_info outside the pseudo-physical map; the hypercall page;
 * the grant table's first frame, with the toolstack's two reserved
 * entries (console and store rings, granted to domain 0); the store and
 * console event channels, unbound for domain 0.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <xen/arch-x86/page.h>

#include "veneerd.h"

#define MIB(x)         ((uint64_t)(x) << 20)
#define KIB(x)         ((uint64_t)(x) << 10)
#define ROUND_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

struct layout {
    gva_t v_start, v_end;
    gva_t p2m, start_info, store, console, pt, stack;
    uint64_t n3, n2, n1, nr_pt;
};

static int build_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int build_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Tables at one level needed to cover [s, e), one per 2^shift bytes. */
static uint64_t tables_for(gva_t s, gva_t e, unsigned int shift)
{
    return ((e - 1) >> shift) - (s >> shift) + 1;
}

/*
 * Place the bootstrap elements after the image. The page-table count
 * depends on the region's end, which depends on the count: grow it until
 * it covers the region, as Xen's builder does.
 */
static void build_layout(struct layout *l, const struct elf_image *img,
                         uint64_t nr_pages)
{
    gva_t pos;

    l->v_start = img->virt_base & PAGE_MASK;
    pos = img->vend;
    l->p2m = pos;
    pos += ROUND_UP(nr_pages * 8, PAGE_SIZE);
    l->start_info = pos;
    pos += PAGE_SIZE;
    l->store = pos;
    pos += PAGE_SIZE;
    l->console = pos;
    pos += PAGE_SIZE;
    l->pt = pos;
    for (l->nr_pt = 4;; l->nr_pt++) {
        l->stack = l->pt + l->nr_pt * PAGE_SIZE;
        l->v_end = ROUND_UP(l->stack + PAGE_SIZE + KIB(512), MIB(4));
        l->n3 = tables_for(l->v_start, l->v_end, 39);
        l->n2 = tables_for(l->v_start, l->v_end, 30);
        l->n1 = tables_for(l->v_start, l->v_end, 21);
        if (1 + l->n3 + l->n2 + l->n1 <= l->nr_pt)
            break;
    }
}

static uint64_t *build_table(struct domain *d, const struct layout *l,
                             uint64_t index)
{
    uint64_t slot = (l->pt - l->v_start) / PAGE_SIZE + index;

    return (uint64_t *)domain_slot_ptr(d, slot);
}

/* Fill the bootstrap page tables mapping [v_start, v_end) 1:1 to pfns. */
static void build_pagetables(struct domain *d, const struct layout *l)
{
    const uint64_t upper =
        _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED;
    const uint64_t leaf = upper | _PAGE_DIRTY;
    uint64_t i3 = 1, i2 = 1 + l->n3, i1 = 1 + l->n3 + l->n2;
    gva_t pt_end = l->pt + l->nr_pt * PAGE_SIZE;

    for (gva_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        uint64_t pfn = (va - l->v_start) / PAGE_SIZE;
        uint64_t t3 = i3 + ((va >> 39) - (l->v_start >> 39));
        uint64_t t2 = i2 + ((va >> 30) - (l->v_start >> 30));
        uint64_t t1 = i1 + ((va >> 21) - (l->v_start >> 21));
        uint64_t *l4 = build_table(d, l, 0);
        uint64_t pte = frames_mfn(d, pfn) << PAGE_SHIFT;

        if (!l4[(va >> 39) & 511]) {
            l4[(va >> 39) & 511] =
                (frames_mfn(d, (l->pt - l->v_start) / PAGE_SIZE + t3)
                 << PAGE_SHIFT) |
                upper;
        }
        if (!build_table(d, l, t3)[(va >> 30) & 511]) {
            build_table(d, l, t3)[(va >> 30) & 511] =
                (frames_mfn(d, (l->pt - l->v_start) / PAGE_SIZE + t2)
                 << PAGE_SHIFT) |
                upper;
        }
        if (!build_table(d, l, t2)[(va >> 21) & 511]) {
            build_table(d, l, t2)[(va >> 21) & 511] =
                (frames_mfn(d, (l->pt - l->v_start) / PAGE_SIZE + t1)
                 << PAGE_SHIFT) |
                upper;
        }
        /* Page-table frames are mapped read-only (§8.4). */
        if (va >= l->pt && va < pt_end) {
            pte |= upper & ~(uint64_t)_PAGE_RW;
        } else {
            pte |= leaf;
        }
        build_table(d, l, t1)[(va >> 12) & 511] = pte;
    }
}

static void build_copy_image(struct domain *d, const struct layout *l,
                             const struct elf_image *img)
{
    for (unsigned int i = 0; i < img->nr_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        for (uint64_t off = 0; off < s->filesz;) {
            gva_t va = s->vaddr + off;
            uint64_t pfn = (va - l->v_start) / PAGE_SIZE;
            uint64_t in_page = va & (PAGE_SIZE - 1);
            uint64_t n = PAGE_SIZE - in_page;

            if (n > s->filesz - off)
                n = s->filesz - off;
            memcpy(domain_slot_ptr(d, pfn) + in_page,
                   img->data + s->offset + off, n);
            off += n;
        }
        /* Bytes past filesz are zero: the memfd's pages start zeroed. */
    }
}

/*
 * The store and console event channels, as Xen's toolstack makes them
 * (libxl__build_pre: xc_evtchn_alloc_unbound for the store domain, then
 * for the console domain): ports of the new domain, unbound, that domain 0
 * may bind to. vstored binds the store port when the toolstack introduces
 * the domain, so the guest just sends on it. 0 if the table is full
 * (it is empty here).
 */
static uint32_t build_port(struct domain *d)
{
    int64_t port = evtchn_alloc_unbound_port(&d->evtchn, 0, NULL);

    return port > 0 ? (uint32_t)port : 0;
}

static void build_start_info(struct domain *d, const struct layout *l,
                             uint64_t nr_pages, const char *cmdline)
{
    start_info_t *si = (start_info_t *)domain_slot_ptr(
        d, (l->start_info - l->v_start) / PAGE_SIZE);
    uint64_t *p2m = NULL;

    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = nr_pages;
    si->shared_info = frames_mfn(d, d->shared_info_slot) << PAGE_SHIFT;
    si->flags = 0;
    si->store_mfn = frames_mfn(d, (l->store - l->v_start) / PAGE_SIZE);
    si->store_evtchn = build_port(d);
    si->console.domU.mfn = frames_mfn(d, (l->console - l->v_start) / PAGE_SIZE);
    si->console.domU.evtchn = build_port(d);
    d->store_mfn = si->store_mfn;
    d->console_mfn = si->console.domU.mfn;
    d->store_evtchn = si->store_evtchn;
    d->console_evtchn = si->console.domU.evtchn;
    si->pt_base = l->pt;
    si->nr_pt_frames = l->nr_pt;
    si->mfn_list = l->p2m;
    si->mod_start = 0;
    si->mod_len = 0;
    snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", cmdline);
    si->first_p2m_pfn = 0;
    si->nr_p2m_frames = 0;

    for (uint64_t pfn = 0; pfn < nr_pages; pfn++) {
        if ((pfn & 511) == 0)
            p2m = (uint64_t *)domain_slot_ptr(
                d, (l->p2m - l->v_start) / PAGE_SIZE + pfn / 512);
        p2m[pfn & 511] = frames_mfn(d, pfn);
    }
}

/* shared_info: upcalls masked until the guest unmasks; wallclock at boot. */
static void build_shared_info(struct domain *d, uint64_t nr_pages)
{
    struct shared_info *sh =
        (struct shared_info *)domain_slot_ptr(d, d->shared_info_slot);
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        sh->vcpu_info[i].evtchn_upcall_mask = 1;
    sh->wc_version = 2;
    sh->wc_sec = (uint32_t)now.tv_sec;
    sh->wc_sec_hi = (uint32_t)((uint64_t)now.tv_sec >> 32);
    sh->wc_nsec = (uint32_t)now.tv_nsec;
    sh->arch.max_pfn = nr_pages;
    d->frames[d->shared_info_slot].type = FRAME_SHARED_INFO;
}

/*
 * Validate the bootstrap tables through the same rules as any guest update
 * (which types every frame and takes every reference), pin the L4 and make
 * it vCPU 0's base pointer, as Xen's builder does.
 */
static int build_pin_root(struct domain *d, const struct layout *l, char *err,
                          size_t errlen)
{
    uint64_t root = (l->pt - l->v_start) / PAGE_SIZE;
    struct vcpu *v = &d->vcpus[0];

    if (mm_pin(d, root, FRAME_L4) < 0 || mm_get_type(d, root, FRAME_L4) < 0)
        return build_error(err, errlen,
                           "the bootstrap page tables do not validate "
                           "(a veneerd bug)");
    v->cr3 = frames_mfn(d, root);
    mm_realise_all(v); /* records each table's place in the tree */
    mm_ops_reset(v);   /* the boot block maps the tree instead */
    return 0;
}

/*
 * builder_build - lay out and fill a new domain from a parsed image.
 *
 * d must have nr_pages of RAM plus one slot for shared_info (domain.c).
 * Return values: 0; -1 with err set when the image does not fit.
 */
int builder_build(struct domain *d, const struct elf_image *img,
                  const char *cmdline, char *err, size_t errlen)
{
    struct layout l;

    if (img->virt_base & (PAGE_SIZE - 1))
        return build_error(err, errlen, "VIRT_BASE 0x%llx is not page-aligned",
                           (unsigned long long)img->virt_base);
    build_layout(&l, img, d->nr_pages);
    if (l.v_end > VENEER_GUEST_VA_LIMIT || l.v_end < l.v_start)
        return build_error(err, errlen,
                           "the bootstrap region ends at 0x%llx, "
                           "above the guest limit 0x%llx",
                           (unsigned long long)l.v_end,
                           (unsigned long long)VENEER_GUEST_VA_LIMIT);
    if ((l.v_end - l.v_start) / PAGE_SIZE > d->nr_pages)
        return build_error(err, errlen,
                           "%llu KiB of memory is too small: the image and "
                           "bootstrap region need %llu KiB",
                           (unsigned long long)(d->nr_pages * 4),
                           (unsigned long long)((l.v_end - l.v_start) >> 10));
    /* The builder writes every page up to the stack: allocate them in one
     * call rather than one page fault each (~30 us apiece here). */
    madvise(domain_slot_ptr(d, 0), l.stack + PAGE_SIZE - l.v_start,
            MADV_POPULATE_WRITE);
    build_copy_image(d, &l, img);
    build_pagetables(d, &l);
    build_start_info(d, &l, d->nr_pages, cmdline);
    build_shared_info(d, d->nr_pages);
    if (gnttab_build(d) < 0)
        return build_error(err, errlen, "out of memory for the grant table");
    if (img->hypercall_page)
        hypercall_page_fill(
            domain_slot_ptr(d, (img->hypercall_page - l.v_start) / PAGE_SIZE));

    d->start_info_va = l.start_info;
    d->pt_base = l.pt;
    d->nr_pt_frames = l.nr_pt;
    d->stack_top = l.stack + PAGE_SIZE;
    d->virt_end = l.v_end;
    d->entry = img->entry;
    snprintf(d->cmdline, sizeof(d->cmdline), "%s", cmdline);
    return build_pin_root(d, &l, err, errlen);
}
