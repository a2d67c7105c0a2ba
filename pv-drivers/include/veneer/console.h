/* SPDX-License-Identifier: MIT */
/*
 * Guest console output: a line-buffered writer over
 * console_io(CONSOLEIO_write) and a small printf family.
 *
 * Supported conversions: %d %i %u %x %X %o %c %s %p %%, with the flags
 * '-', '0' and '#', a field width (digits or '*'), a precision for %s (digits
 * or '*'), and the length modifiers hh h l ll z j t. Anything else is
 * printed literally, so a wrong format shows up in the output rather
 * than crashing the guest.
 */
#ifndef VENEER_CONSOLE_H
#define VENEER_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define CONSOLE_LINE_MAX 256 /* [POLICY] bytes buffered before a flush */

/*
 * console_write: append len bytes to the line buffer; the buffer goes out
 * through console_io when it holds a newline or is full.
 */
void console_write(const char *buf, size_t len);

/* console_flush: send whatever is buffered, even without a newline. */
void console_flush(void);

/*
 * console_break_line: if a partial line is buffered, end it with a newline
 * and send it, so that what follows starts on a line of its own.
 */
void console_break_line(void);

/*
 * console_write_raw: one console_io(CONSOLEIO_write) of exactly these bytes,
 * bypassing the buffer.
 *
 * Return values: the hypercall's result (0 or a negative Xen errno).
 */
long console_write_raw(const char *buf, size_t len);

/*
 * printf / vprintf: format onto the console through the line buffer.
 *
 * Return values: the number of characters produced. Console errors are
 * not reported: there is nowhere else to report them.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * snprintf / vsnprintf: format into buf, always NUL-terminated when
 * size > 0.
 *
 * Return values: the length the full output would have had.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * format_emit: the formatter behind all of the above; calls put(ctx, c)
 * once per output character.
 *
 * Return values: the number of characters produced.
 */
int format_emit(void (*put)(void *ctx, char c), void *ctx, const char *fmt,
                va_list ap) __attribute__((format(printf, 3, 0)));

#endif /* VENEER_CONSOLE_H */
