/* SPDX-License-Identifier: MIT */
/* Unit tests for the ELF + Xen notes loader: valid and malformed images. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

static struct fixture f;
static struct elf_image img;
static char err[256];

static int parse(void)
{
    err[0] = '\0';
    return elf_parse(&img, f.bytes, sizeof(f.bytes), err, sizeof(err));
}

/* The image must be refused with a message containing `what`. */
static void expect_refused(const char *what)
{
    cr_assert_eq(parse(), -1, "accepted a bad image (wanted: %s)", what);
    cr_assert(strstr(err, what), "message '%s' lacks '%s'", err, what);
}

Test(elf, valid_image_at_va_zero)
{
    fixture_make(&f, 0);
    cr_assert_eq(parse(), 0, "%s", err);
    cr_assert_eq(img.entry, 0x10);
    cr_assert_eq(img.virt_base, 0);
    cr_assert_eq(img.hypercall_page, 0x1000);
    cr_assert_eq(img.vstart, 0);
    cr_assert_eq(img.vend, 0x3000);
    cr_assert_eq(img.nr_segments, 1);
    cr_assert_str_eq(img.guest_os, "fixture");
}

Test(elf, valid_image_high)
{
    fixture_make(&f, 0x7e0000000000ull);
    cr_assert_eq(parse(), 0, "%s", err);
    cr_assert_eq(img.entry, 0x7e0000000010ull);
}

Test(elf, entry_from_header_without_note)
{
    fixture_make(&f, 0x400000);
    *f.entry_desc = 0; /* note says 0: outside the image */
    expect_refused("entry point");
}

Test(elf, too_small_and_not_elf)
{
    fixture_make(&f, 0);
    cr_assert_eq(elf_parse(&img, f.bytes, 10, err, sizeof(err)), -1);
    cr_assert(strstr(err, "not an ELF file"));
    f.bytes[1] = 'X';
    expect_refused("not an ELF file");
}

Test(elf, wrong_class_data_machine)
{
    fixture_make(&f, 0);
    f.eh->e_ident[EI_CLASS] = ELFCLASS32;
    expect_refused("64-bit");
    fixture_make(&f, 0);
    f.eh->e_ident[EI_DATA] = ELFDATA2MSB;
    expect_refused("little-endian");
    fixture_make(&f, 0);
    f.eh->e_machine = EM_AARCH64;
    expect_refused("x86-64");
}

Test(elf, not_an_executable)
{
    fixture_make(&f, 0);
    f.eh->e_type = ET_DYN;
    expect_refused("ET_EXEC");
}

Test(elf, bad_program_headers)
{
    fixture_make(&f, 0);
    f.eh->e_phnum = 0;
    expect_refused("program header table");
    fixture_make(&f, 0);
    f.eh->e_phentsize = 20;
    expect_refused("program header table");
    fixture_make(&f, 0);
    f.eh->e_phoff = FIX_FILE_SIZE - 8;
    expect_refused("outside the file");
    fixture_make(&f, 0);
    f.eh->e_phoff = ~0ull - 8; /* offset + size wraps */
    expect_refused("outside the file");
}

Test(elf, segment_sizes)
{
    fixture_make(&f, 0);
    f.load->p_filesz = 0x4000;
    expect_refused("filesz > memsz");
    fixture_make(&f, 0);
    f.load->p_offset = FIX_FILE_SIZE;
    expect_refused("outside the file");
    fixture_make(&f, 0);
    f.load->p_offset = ~0ull - 0x10;
    expect_refused("outside the file");
}

Test(elf, segment_above_guest_limit)
{
    fixture_make(&f, VENEER_GUEST_VA_LIMIT);
    expect_refused("guest limit");
    fixture_make(&f, VENEER_GUEST_VA_LIMIT - 0x1000); /* ends above */
    expect_refused("guest limit");
    fixture_make(&f, 0xffff800000000000ull); /* a Linux-style kernel */
    expect_refused("lower half");
    fixture_make(&f, 0x1000);
    f.load->p_memsz = ~0ull - 0x800; /* vaddr + memsz wraps */
    f.load->p_filesz = 0;
    expect_refused("guest limit");
}

Test(elf, overlapping_segments)
{
    fixture_make(&f, 0x400000);
    f.note->p_type = PT_LOAD;
    f.note->p_vaddr = f.note->p_paddr = 0x401000;
    f.note->p_memsz = 0x1000;
    f.note->p_filesz = 0;
    expect_refused("overlap");
}

Test(elf, no_xen_notes)
{
    fixture_make(&f, 0);
    f.note->p_type = PT_NULL;
    expect_refused("no Xen ELF notes");
}

Test(elf, note_past_its_segment)
{
    fixture_make(&f, 0);
    f.note->p_filesz -= 4;
    expect_refused("note runs past");
    fixture_make(&f, 0);
    f.note->p_offset = FIX_FILE_SIZE - 4;
    expect_refused("outside the file");
}

Test(elf, numeric_note_of_odd_size)
{
    fixture_make(&f, 0);
    ((Elf64_Nhdr *)((uint8_t *)f.entry_desc - 4 - sizeof(Elf64_Nhdr)))
        ->n_descsz = 3;
    /* The descriptor shrank: following notes are misparsed, but the
     * entry note itself must be refused first. */
    expect_refused("3-byte value");
}

Test(elf, bad_hypercall_page)
{
    fixture_make(&f, 0);
    *f.hypercall_desc = 0x1800; /* misaligned */
    expect_refused("hypercall page");
    fixture_make(&f, 0);
    *f.hypercall_desc = 0x3000; /* just past the image */
    expect_refused("hypercall page");
}

Test(elf, wrong_xen_version)
{
    fixture_make(&f, 0);
    memcpy(f.version_desc, "xen-2.0", 8);
    expect_refused("xen-3.0");
}

Test(elf, virt_base_above_image)
{
    fixture_make(&f, 0x400000);
    /* Loaded at paddr - PADDR_OFFSET + VIRT_BASE = 0x400000, below the
     * VIRT_BASE the notes claim. */
    *f.virt_base_desc = 0x800000;
    *f.paddr_offset_desc = 0x800000;
    expect_refused("VIRT_BASE");
}

Test(elf, misaligned_tables)
{
    fixture_make(&f, 0);
    memmove(f.bytes + f.eh->e_phoff + 4, f.bytes + f.eh->e_phoff,
            2 * sizeof(Elf64_Phdr));
    f.eh->e_phoff += 4;
    expect_refused("misaligned");
}
