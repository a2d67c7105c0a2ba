/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console a guest writes with console_io: kept to printable
 * characters, as Xen does for a domU, and written out a line at a time.
 */
#include <unistd.h>

#include "veneerd.h"

static void console_emit(struct domain *d)
{
    size_t off = 0;

    while (off < d->con_len) {
        ssize_t n = write(d->con_fd, d->con_line + off, d->con_len - off);
        if (n <= 0)
            break; /* a closed stdout loses console output, nothing else */
        off += (size_t)n;
    }
    d->con_len = 0;
}

void console_flush(struct domain *d)
{
    if (d->con_len) {
        d->con_line[d->con_len++] = '\n';
        console_emit(d);
    }
}

void console_write(struct domain *d, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        if (c == '\r')
            continue;
        if (c != '\n' && c != '\t' && (c < 0x20 || c > 0x7e))
            continue;
        d->con_line[d->con_len++] = c;
        if (c == '\n' || d->con_len == CONSOLE_LINE_MAX - 1)
            console_emit(d);
    }
}
