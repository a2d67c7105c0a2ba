/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the guest kernel loader: any bytes as an image.
 * elf_parse must answer with an image description or a one-line error,
 * never read outside the input; a parsed image must describe only what
 * the checks promise (segments inside the file and below the guest limit,
 * entry and hypercall page inside the image).
 */
#include <stdlib.h>
#include <string.h>

#include "../../hypervisor/veneerd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    char err[256];
    /* A copy of exactly `size` bytes, so ASan sees any read past it. */
    uint8_t *copy = malloc(size ? size : 1);

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (elf_parse(&img, copy, size, err, sizeof(err)) == 0) {
        for (unsigned int i = 0; i < img.nr_segments; i++) {
            const struct elf_segment *s = &img.seg[i];
            if (s->offset > size || s->filesz > size - s->offset ||
                s->filesz > s->memsz || s->vaddr >= VENEER_GUEST_VA_LIMIT ||
                s->memsz > VENEER_GUEST_VA_LIMIT - s->vaddr)
                abort();
        }
        if (img.entry < img.vstart || img.entry >= img.vend)
            abort();
    } else if (!memchr(err, '\0', sizeof(err)) || !err[0]) {
        abort();
    }
    free(copy);
    return 0;
}
