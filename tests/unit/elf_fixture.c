/* SPDX-License-Identifier: MIT */
/* Synthetic Xen PV kernel images for the unit tests. */
#include <string.h>

#include <xen/elfnote.h>

#include <criterion/criterion.h>

#include "../../hypervisor/veneerd.h"
#include "elf_fixture.h"

/* Append one Xen note with an 8-byte (or string) descriptor. */
static uint8_t *fixture_note(uint8_t *p, uint32_t type, const void *desc,
                             uint32_t descsz, uint8_t **desc_at)
{
    Elf64_Nhdr nh = {4, descsz, type};

    memcpy(p, &nh, sizeof(nh));
    p += sizeof(nh);
    memcpy(p, "Xen", 4);
    p += 4;
    *desc_at = p;
    memcpy(p, desc, descsz);
    return p + ((descsz + 3) & ~3u);
}

void fixture_make(struct fixture *f, uint64_t base)
{
    uint64_t entry = base + 0x10, hpage = base + 0x1000, vbase = base;
    uint8_t *p, *notes, *d;

    memset(f, 0, sizeof(*f));
    f->eh = (Elf64_Ehdr *)f->bytes;
    memcpy(f->eh->e_ident, ELFMAG, SELFMAG);
    f->eh->e_ident[EI_CLASS] = ELFCLASS64;
    f->eh->e_ident[EI_DATA] = ELFDATA2LSB;
    f->eh->e_ident[EI_VERSION] = EV_CURRENT;
    f->eh->e_type = ET_EXEC;
    f->eh->e_machine = EM_X86_64;
    f->eh->e_version = EV_CURRENT;
    f->eh->e_entry = entry;
    f->eh->e_phoff = sizeof(Elf64_Ehdr);
    f->eh->e_ehsize = sizeof(Elf64_Ehdr);
    f->eh->e_phentsize = sizeof(Elf64_Phdr);
    f->eh->e_phnum = 2;
    f->load = (Elf64_Phdr *)(f->bytes + f->eh->e_phoff);
    f->note = f->load + 1;

    notes = (uint8_t *)(f->note + 1);
    p = fixture_note(notes, XEN_ELFNOTE_ENTRY, &entry, 8, &d);
    f->entry_desc = (uint64_t *)d;
    p = fixture_note(p, XEN_ELFNOTE_HYPERCALL_PAGE, &hpage, 8, &d);
    f->hypercall_desc = (uint64_t *)d;
    p = fixture_note(p, XEN_ELFNOTE_VIRT_BASE, &vbase, 8, &d);
    f->virt_base_desc = (uint64_t *)d;
    p = fixture_note(p, XEN_ELFNOTE_PADDR_OFFSET, &vbase, 8, &d);
    f->paddr_offset_desc = (uint64_t *)d;
    p = fixture_note(p, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, &d);
    f->version_desc = (char *)d;
    p = fixture_note(p, XEN_ELFNOTE_GUEST_OS, "fixture", 8, &d);

    f->note->p_type = PT_NOTE;
    f->note->p_offset = (uint64_t)(notes - f->bytes);
    f->note->p_filesz = (uint64_t)(p - notes);
    f->note->p_align = 4;

    f->load->p_type = PT_LOAD;
    f->load->p_flags = PF_R | PF_W | PF_X;
    f->load->p_offset = FIX_CODE_OFF;
    f->load->p_vaddr = base;
    f->load->p_paddr = base;
    f->load->p_filesz = 0x1000;
    f->load->p_memsz = 0x3000;
    f->load->p_align = 0x1000;
    /* Code: the page starts with a recognisable pattern. */
    memset(f->bytes + FIX_CODE_OFF, 0x90, 0x1000);
    memcpy(f->bytes + FIX_CODE_OFF + 0x100, "VENEER-FIXTURE", 14);
}

struct domain *fixture_domain(struct fixture *f, uint64_t base, uint64_t pages,
                              const char *cmdline)
{
    struct elf_image img;
    struct domain *d;
    char err[256];

    fixture_make(f, base);
    cr_assert_eq(elf_parse(&img, f->bytes, sizeof(f->bytes), err, sizeof(err)),
                 0, "%s", err);
    d = domain_create("fixture", pages);
    cr_assert_not_null(d);
    cr_assert_eq(builder_build(d, &img, cmdline, err, sizeof(err)), 0, "%s",
                 err);
    /* The builder made the store and console channels as Xen's toolstack
     * does: ports 1 and 2, unbound for domain 0, in start_info. */
    cr_assert_eq(d->store_evtchn, 1, "the store's port");
    cr_assert_eq(d->console_evtchn, 2, "the console's port");
    cr_assert_eq(d->evtchn.ports[1].state, ECS_UNBOUND);
    cr_assert_eq(d->evtchn.ports[1].remote_dom, 0, "for domain 0");
    cr_assert_eq(d->evtchn.ports[2].state, ECS_UNBOUND);
    /* The tests start from an empty port table. */
    evtchn_domain_reset(d);
    return d;
}
