/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the guest-memory accessor, on a domain built by the real
 * PV builder from a synthetic image (no domain process is started).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <xen/arch-x86/page.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

#define BASE 0x400000ull

static struct fixture f;
static struct domain *d;
static struct vcpu *v;

static void setup(void)
{
    d = fixture_domain(&f, BASE, 1024, "console=hvc0");
    v = &d->vcpus[0];
}

static void teardown(void)
{
    domain_destroy(d);
    d = NULL;
}

TestSuite(gmem, .init = setup, .fini = teardown);

Test(gmem, reads_the_loaded_image)
{
    char buf[14];

    cr_assert_eq(gmem_copy_from(v, buf, BASE + 0x100, sizeof(buf)), 0);
    cr_assert_eq(memcmp(buf, "VENEER-FIXTURE", 14), 0);
}

Test(gmem, bss_is_zero_and_writable)
{
    uint8_t buf[64], zero[64] = {0};

    cr_assert_eq(gmem_copy_from(v, buf, BASE + 0x2000, sizeof(buf)), 0);
    cr_assert_eq(memcmp(buf, zero, sizeof(buf)), 0);
    memset(buf, 0xab, sizeof(buf));
    cr_assert_eq(gmem_copy_to(v, BASE + 0x2ff0, buf, sizeof(buf)), 0);
    memset(buf, 0, sizeof(buf));
    cr_assert_eq(gmem_copy_from(v, buf, BASE + 0x2ff0, sizeof(buf)), 0);
    cr_assert_eq(buf[0], 0xab);
    cr_assert_eq(buf[63], 0xab);
}

Test(gmem, start_info_is_what_the_builder_wrote)
{
    start_info_t si;

    cr_assert_eq(gmem_copy_from(v, &si, d->start_info_va, sizeof(si)), 0);
    cr_assert_str_eq(si.magic, "xen-3.0-x86_64");
    cr_assert_eq(si.nr_pages, 1024);
    cr_assert_eq(si.pt_base, d->pt_base);
    cr_assert_str_eq((char *)si.cmd_line, "console=hvc0");
    cr_assert_eq(si.shared_info >> PAGE_SHIFT,
                 d->mfn_base + d->shared_info_slot);
}

Test(gmem, unmapped_and_out_of_range_addresses_fault)
{
    uint8_t buf[16];

    cr_assert_eq(gmem_copy_from(v, buf, 0, sizeof(buf)), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, d->virt_end, sizeof(buf)), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, VENEER_GUEST_VA_LIMIT, 1), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, VENEER_STUB_MAILBOX, 1), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, 0xffff800000000000ull, 1), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, ~0ull - 4, sizeof(buf)), -EFAULT);
    /* Straddling the end of the mapped region. */
    cr_assert_eq(gmem_copy_from(v, buf, d->virt_end - 8, sizeof(buf)), -EFAULT);
    cr_assert_eq(gmem_copy_from(v, buf, d->virt_end - 8, 8), 0);
}

Test(gmem, huge_lengths_fault_without_overflow)
{
    uint8_t buf[8];

    cr_assert_eq(gmem_copy_from(v, buf, BASE, ~0ull), -EFAULT);
    cr_assert_eq(gmem_copy_to(v, BASE, buf, 1ull << 47), -EFAULT);
}

Test(gmem, page_tables_are_read_only)
{
    uint64_t l4e;

    cr_assert_eq(gmem_copy_from(v, &l4e, d->pt_base, sizeof(l4e)), 0);
    cr_assert(l4e & _PAGE_PRESENT);
    cr_assert_eq(gmem_copy_to(v, d->pt_base, &l4e, sizeof(l4e)), -EFAULT);
}

Test(gmem, zero_length_is_fine_anywhere_mapped)
{
    cr_assert_eq(gmem_copy_from(v, NULL, BASE, 0), 0);
}

/* The realised mappings: image..ring pages RW, tables RO, stack+pad RW. */
struct ranges {
    unsigned int n;
    gva_t va[8];
    uint64_t len[8];
    uint32_t prot[8];
};

static int collect(void *arg, gva_t va, uint64_t slot, uint64_t len,
                   uint32_t prot)
{
    struct ranges *r = arg;

    (void)slot;
    cr_assert_lt(r->n, 8);
    r->va[r->n] = va;
    r->len[r->n] = len;
    r->prot[r->n++] = prot;
    return 0;
}

Test(gmem, bootstrap_mappings_coalesce_to_three_ranges)
{
    struct ranges r = {0};
    uint32_t rwx = STUB_PROT_READ | STUB_PROT_WRITE | STUB_PROT_EXEC;

    cr_assert_eq(pt_for_each_mapping(d, v->cr3, collect, &r), 0);
    cr_assert_eq(r.n, 3);
    cr_assert_eq(r.va[0], BASE);
    cr_assert_eq(r.prot[0], rwx);
    cr_assert_eq(r.va[1], d->pt_base);
    cr_assert_eq(r.len[1], d->nr_pt_frames * PAGE_SIZE);
    cr_assert_eq(r.prot[1], STUB_PROT_READ | STUB_PROT_EXEC);
    cr_assert_eq(r.va[2] + r.len[2], d->virt_end);
    cr_assert_eq(d->virt_end % (4u << 20), 0);
    cr_assert_geq(d->virt_end - d->stack_top, 512u << 10);
}

Test(gmem, too_little_memory_is_refused)
{
    struct elf_image img;
    struct domain *small;
    char err[256];

    cr_assert_eq(elf_parse(&img, f.bytes, sizeof(f.bytes), err, sizeof(err)),
                 0);
    small = domain_create("tiny", 16);
    cr_assert_not_null(small);
    cr_assert_eq(builder_build(small, &img, "", err, sizeof(err)), -1);
    cr_assert(strstr(err, "too small"), "%s", err);
    domain_destroy(small);
}
