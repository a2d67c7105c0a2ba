/* SPDX-License-Identifier: MIT */
/* veneerd's logging: everything to stderr, prefixed "veneerd: ". */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "veneerd.h"

int log_verbosity;

static void log_vprint(const char *fmt, va_list ap, int err)
{
    char buf[1024];
    int n;

    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n < 0)
        return;
    if (err)
        fprintf(stderr, "veneerd: %s: %s\n", buf, strerror(err));
    else
        fprintf(stderr, "veneerd: %s\n", buf);
}

void log_warn(const char *fmt, ...)
{
    int err = errno;
    va_list ap;

    va_start(ap, fmt);
    log_vprint(fmt, ap, err);
    va_end(ap);
    errno = err;
}

void log_warnx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint(fmt, ap, 0);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;

    if (log_verbosity < 1)
        return;
    va_start(ap, fmt);
    log_vprint(fmt, ap, 0);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;

    if (log_verbosity < 2)
        return;
    va_start(ap, fmt);
    log_vprint(fmt, ap, 0);
    va_end(ap);
}

void fatal(const char *fmt, ...)
{
    int err = errno;
    va_list ap;

    va_start(ap, fmt);
    log_vprint(fmt, ap, err);
    va_end(ap);
    exit(70);
}

void fatalx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vprint(fmt, ap, 0);
    va_end(ap);
    exit(70);
}
