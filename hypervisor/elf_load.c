/* SPDX-License-Identifier: MIT */
/*
 * The guest kernel image: an x86-64 ELF executable with Xen's ELF notes
 * (XEN-ABI-FACTS §3.7). Everything in the file is untrusted: each offset,
 * size and address is checked, overflow-safe, before use, and a malformed
 * image gets a message saying what is wrong.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/elfnote.h>

#include "veneerd.h"

#define ELF_MAX_PHDRS 64  /* [POLICY] */
#define ELF_MAX_SHDRS 256 /* [POLICY] */

static int elf_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int elf_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* True if [off, off+len) lies inside a file of `size` bytes. */
static bool elf_in_file(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static int elf_check_header(const Elf64_Ehdr *eh, size_t size, char *err,
                            size_t errlen)
{
    if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return elf_error(err, errlen, "not an ELF file");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
        return elf_error(err, errlen,
                         "not a 64-bit little-endian x86-64 ELF image");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return elf_error(err, errlen, "unknown ELF version");
    if (eh->e_type != ET_EXEC)
        return elf_error(err, errlen,
                         "ELF type %u: a PV kernel must be an executable "
                         "(ET_EXEC)",
                         eh->e_type);
    if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHDRS ||
        eh->e_phentsize != sizeof(Elf64_Phdr))
        return elf_error(err, errlen,
                         "bad program header table (%u entries "
                         "of %u bytes)",
                         eh->e_phnum, eh->e_phentsize);
    if (!elf_in_file(size, eh->e_phoff,
                     (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return elf_error(err, errlen,
                         "program header table lies outside the file");
    /* The ELF spec aligns the tables; reading a misaligned one through
     * its struct would be undefined behaviour (found by fuzzing). */
    if (eh->e_phoff % 8)
        return elf_error(err, errlen, "program header table is misaligned");
    return 0;
}

/* Read a note's numeric descriptor (4 or 8 bytes). */
static int elf_note_u64(const uint8_t *desc, uint32_t descsz, uint64_t *out)
{
    uint32_t v32;

    if (descsz == 8) {
        memcpy(out, desc, 8);
        return 0;
    }
    if (descsz == 4) {
        memcpy(&v32, desc, 4);
        *out = v32;
        return 0;
    }
    return -1;
}

struct elf_notes {
    bool has_entry, has_virt_base, has_paddr_offset;
    uint64_t entry, virt_base, paddr_offset, hypercall_page;
    bool any;
    char xen_version[16];
    char loader[16];
};

static void elf_note_string(char *dst, size_t dstlen, const uint8_t *desc,
                            uint32_t descsz)
{
    size_t n = descsz < dstlen - 1 ? descsz : dstlen - 1;

    memcpy(dst, desc, n);
    dst[n] = '\0';
}

static int elf_note_one(struct elf_notes *n, uint32_t type, const uint8_t *desc,
                        uint32_t descsz, char *err, size_t errlen)
{
    uint64_t v = 0;
    bool numeric =
        type == XEN_ELFNOTE_ENTRY || type == XEN_ELFNOTE_HYPERCALL_PAGE ||
        type == XEN_ELFNOTE_VIRT_BASE || type == XEN_ELFNOTE_PADDR_OFFSET;

    if (numeric && elf_note_u64(desc, descsz, &v) < 0)
        return elf_error(err, errlen,
                         "Xen note %u has a %u-byte value (want 4 or 8)", type,
                         descsz);
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        n->has_entry = true;
        n->entry = v;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        n->hypercall_page = v;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        n->has_virt_base = true;
        n->virt_base = v;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        n->has_paddr_offset = true;
        n->paddr_offset = v;
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        elf_note_string(n->xen_version, sizeof(n->xen_version), desc, descsz);
        break;
    case XEN_ELFNOTE_LOADER:
        elf_note_string(n->loader, sizeof(n->loader), desc, descsz);
        break;
    default:
        break;
    }
    return 0;
}

static int elf_note_guest_os(struct elf_image *img, uint32_t type,
                             const uint8_t *desc, uint32_t descsz)
{
    if (type == XEN_ELFNOTE_GUEST_OS)
        elf_note_string(img->guest_os, sizeof(img->guest_os), desc, descsz);
    return 0;
}

/* Walk the notes in [off, off+len) of the file, keeping owner "Xen". */
static int elf_scan_notes(struct elf_image *img, struct elf_notes *n,
                          uint64_t off, uint64_t len, char *err, size_t errlen)
{
    const uint8_t *p = img->data + off;
    uint64_t pos = 0;

    while (len - pos >= sizeof(Elf64_Nhdr)) {
        Elf64_Nhdr nh;
        uint64_t name_al, desc_al;

        memcpy(&nh, p + pos, sizeof(nh));
        pos += sizeof(nh);
        name_al = ((uint64_t)nh.n_namesz + 3) & ~3ull;
        desc_al = ((uint64_t)nh.n_descsz + 3) & ~3ull;
        if (name_al > len - pos || desc_al > len - pos - name_al)
            return elf_error(err, errlen, "ELF note runs past its segment");
        if (nh.n_namesz == 4 && memcmp(p + pos, "Xen", 4) == 0) {
            const uint8_t *desc = p + pos + name_al;
            n->any = true;
            if (elf_note_one(n, nh.n_type, desc, nh.n_descsz, err, errlen))
                return -1;
            elf_note_guest_os(img, nh.n_type, desc, nh.n_descsz);
        }
        pos += name_al + desc_al;
    }
    return 0;
}

/* Notes from PT_NOTE segments, else from SHT_NOTE sections (as libelf). */
static int elf_find_notes(struct elf_image *img, const Elf64_Ehdr *eh,
                          struct elf_notes *n, char *err, size_t errlen)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(img->data + eh->e_phoff);
    const Elf64_Shdr *sh;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE)
            continue;
        if (!elf_in_file(img->size, ph[i].p_offset, ph[i].p_filesz))
            return elf_error(err, errlen, "note segment lies outside the file");
        if (elf_scan_notes(img, n, ph[i].p_offset, ph[i].p_filesz, err, errlen))
            return -1;
    }
    if (n->any || eh->e_shnum == 0)
        return 0;
    if (eh->e_shnum > ELF_MAX_SHDRS || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !elf_in_file(img->size, eh->e_shoff,
                     (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
        eh->e_shoff % 8)
        return elf_error(err, errlen, "bad section header table");
    sh = (const Elf64_Shdr *)(img->data + eh->e_shoff);
    for (unsigned int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOTE)
            continue;
        if (!elf_in_file(img->size, sh[i].sh_offset, sh[i].sh_size))
            return elf_error(err, errlen, "note section lies outside the file");
        if (elf_scan_notes(img, n, sh[i].sh_offset, sh[i].sh_size, err, errlen))
            return -1;
    }
    return 0;
}

static int elf_add_segment(struct elf_image *img, const Elf64_Phdr *ph,
                           const struct elf_notes *n, char *err, size_t errlen)
{
    struct elf_segment *s;
    uint64_t dest;

    if (img->nr_segments == ELF_MAX_SEGMENTS)
        return elf_error(err, errlen, "more than %d loadable segments",
                         ELF_MAX_SEGMENTS);
    if (ph->p_filesz > ph->p_memsz)
        return elf_error(err, errlen, "segment at 0x%llx has filesz > memsz",
                         (unsigned long long)ph->p_vaddr);
    if (!elf_in_file(img->size, ph->p_offset, ph->p_filesz))
        return elf_error(err, errlen, "segment at 0x%llx lies outside the file",
                         (unsigned long long)ph->p_vaddr);
    /* Xen loads at paddr - PADDR_OFFSET + VIRT_BASE (libelf). */
    dest = ph->p_paddr - n->paddr_offset + n->virt_base;
    if (dest >= VENEER_GUEST_VA_LIMIT ||
        ph->p_memsz > VENEER_GUEST_VA_LIMIT - dest)
        return elf_error(err, errlen,
                         "segment at 0x%llx+0x%llx is not below the guest "
                         "limit 0x%llx (guests must live in the lower half)",
                         (unsigned long long)dest,
                         (unsigned long long)ph->p_memsz,
                         (unsigned long long)VENEER_GUEST_VA_LIMIT);
    for (unsigned int i = 0; i < img->nr_segments; i++) {
        const struct elf_segment *o = &img->seg[i];
        if (dest < o->vaddr + o->memsz && o->vaddr < dest + ph->p_memsz)
            return elf_error(err, errlen,
                             "segments at 0x%llx and 0x%llx "
                             "overlap",
                             (unsigned long long)o->vaddr,
                             (unsigned long long)dest);
    }
    s = &img->seg[img->nr_segments++];
    s->offset = ph->p_offset;
    s->vaddr = dest;
    s->filesz = ph->p_filesz;
    s->memsz = ph->p_memsz;
    s->flags = ph->p_flags;
    return 0;
}

/* True if [va, va+len) lies inside one loaded segment. */
static bool elf_in_image(const struct elf_image *img, uint64_t va, uint64_t len)
{
    for (unsigned int i = 0; i < img->nr_segments; i++) {
        const struct elf_segment *s = &img->seg[i];
        if (va >= s->vaddr && len <= s->memsz &&
            va - s->vaddr <= s->memsz - len)
            return true;
    }
    return false;
}

static int elf_check_notes(struct elf_image *img, const struct elf_notes *n,
                           char *err, size_t errlen)
{
    if (!n->any)
        return elf_error(err, errlen, "no Xen ELF notes: not a Xen PV kernel");
    if (n->xen_version[0] && strcmp(n->xen_version, "xen-3.0") != 0)
        return elf_error(err, errlen,
                         "XEN_VERSION note is '%s', want "
                         "'xen-3.0'",
                         n->xen_version);
    if (n->loader[0] && strcmp(n->loader, "generic") != 0)
        return elf_error(err, errlen, "LOADER note is '%s', want 'generic'",
                         n->loader);
    if (!elf_in_image(img, img->entry, 1))
        return elf_error(err, errlen, "entry point 0x%llx is outside the image",
                         (unsigned long long)img->entry);
    if (img->hypercall_page &&
        ((img->hypercall_page & (PAGE_SIZE - 1)) ||
         !elf_in_image(img, img->hypercall_page, PAGE_SIZE)))
        return elf_error(err, errlen,
                         "hypercall page 0x%llx is not a "
                         "page-aligned page of the image",
                         (unsigned long long)img->hypercall_page);
    if (img->virt_base > img->vstart)
        return elf_error(err, errlen,
                         "VIRT_BASE 0x%llx is above the image "
                         "start 0x%llx",
                         (unsigned long long)img->virt_base,
                         (unsigned long long)img->vstart);
    return 0;
}

/*
 * elf_parse - check a guest kernel image and describe how to load it.
 *
 * Parameters: img (OUT), the file's bytes and size (kept by the caller
 * while img is used), err/errlen for a one-line reason on failure.
 * Return values: 0, or -1 with err set.
 */
int elf_parse(struct elf_image *img, const uint8_t *data, size_t size,
              char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
    const Elf64_Phdr *ph;
    struct elf_notes n;

    memset(img, 0, sizeof(*img));
    memset(&n, 0, sizeof(n));
    img->data = data;
    img->size = size;
    if (elf_check_header(eh, size, err, errlen))
        return -1;
    if (elf_find_notes(img, eh, &n, err, errlen))
        return -1;
    if (!n.has_virt_base)
        n.virt_base = 0;
    if (!n.has_paddr_offset)
        n.paddr_offset = n.virt_base;
    ph = (const Elf64_Phdr *)(data + eh->e_phoff);
    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && ph[i].p_memsz > 0 &&
            elf_add_segment(img, &ph[i], &n, err, errlen))
            return -1;
    }
    if (img->nr_segments == 0)
        return elf_error(err, errlen, "no loadable segments");
    img->vstart = UINT64_MAX;
    for (unsigned int i = 0; i < img->nr_segments; i++) {
        uint64_t end = img->seg[i].vaddr + img->seg[i].memsz;
        if (img->seg[i].vaddr < img->vstart)
            img->vstart = img->seg[i].vaddr;
        if (end > img->vend)
            img->vend = end;
    }
    img->vstart &= PAGE_MASK;
    img->vend = (img->vend + PAGE_SIZE - 1) & PAGE_MASK;
    img->virt_base = n.virt_base;
    img->entry = n.has_entry ? n.entry : eh->e_entry;
    img->hypercall_page = n.hypercall_page;
    img->has_xen_notes = n.any;
    return elf_check_notes(img, &n, err, errlen);
}
