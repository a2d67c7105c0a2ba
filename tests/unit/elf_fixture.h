/* SPDX-License-Identifier: MIT */
/* Builds small synthetic Xen PV kernel images for the unit tests. */
#ifndef VENEER_TEST_ELF_FIXTURE_H
#define VENEER_TEST_ELF_FIXTURE_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Layout of a fixture image: ELF header, two program headers (PT_LOAD,
 * PT_NOTE), the Xen notes, then one page of code at file offset 0x1000
 * loaded at `base`, with memsz three pages (bss after it).
 */
#define FIX_FILE_SIZE 0x2000
#define FIX_CODE_OFF  0x1000

struct fixture {
    uint8_t bytes[FIX_FILE_SIZE];
    Elf64_Ehdr *eh;
    Elf64_Phdr *load, *note;
    /* Where the descriptor of each Xen note sits, to corrupt them. */
    uint64_t *entry_desc, *hypercall_desc, *virt_base_desc, *paddr_offset_desc;
    char *version_desc;
};

/* A valid image linked at base (page-aligned): entry point base + 0x10,
 * hypercall page base + 0x1000 (in the bss). */
void fixture_make(struct fixture *f, uint64_t base);

struct domain;

/* A domain of `pages` pages built by the real builder from a fixture
 * image linked at base (the test fails if it cannot be built). */
struct domain *fixture_domain(struct fixture *f, uint64_t base, uint64_t pages,
                              const char *cmdline);

#endif
