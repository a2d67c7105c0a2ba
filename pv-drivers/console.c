/* SPDX-License-Identifier: MIT */
/*
 * Console output through console_io(CONSOLEIO_write), buffered per line:
 * one hypercall per line rather than per character, which matters when
 * each hypercall is a trap round trip of several microseconds.
 */
#include <veneer/console.h>
#include <veneer/hypercall.h>

/* Single vCPU, no upcalls into console code: no locking needed yet. */
static char console_line[CONSOLE_LINE_MAX];
static size_t console_len;

long console_write_raw(const char *buf, size_t len)
{
    return HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, buf);
}

void console_flush(void)
{
    if (console_len == 0)
        return;
    console_write_raw(console_line, console_len);
    console_len = 0;
}

void console_break_line(void)
{
    if (console_len != 0)
        console_write("\n", 1);
}

void console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        console_line[console_len++] = buf[i];
        if (buf[i] == '\n' || console_len == sizeof(console_line))
            console_flush();
    }
}

static void console_put(void *ctx, char c)
{
    (void)ctx;
    console_write(&c, 1);
}

int vprintf(const char *fmt, va_list ap)
{
    return format_emit(console_put, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
