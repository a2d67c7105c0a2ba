// SPDX-License-Identifier: MIT
// vstored's one logging API (STYLE rule 9): stderr in the foreground, a
// file, or syslog once daemonised.
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "vstored.h"

static enum log_dest log_dest = LOG_TO_STDERR;
static FILE *log_file;
static int log_verbose;

/*
 * log_init: chooses where messages go. verbose > 0 enables log_debug.
 *
 * Return values: 0, or errno if the file cannot be opened (messages
 * then stay on stderr).
 */
int log_init(enum log_dest dest, const char *file, int verbose)
{
    log_verbose = verbose;
    if (dest == LOG_TO_FILE) {
        FILE *f = fopen(file, "ae");

        if (f == NULL)
            return errno;
        setvbuf(f, NULL, _IOLBF, 0);
        log_close();
        log_file = f;
    } else if (dest == LOG_TO_SYSLOG) {
        openlog("vstored", LOG_PID | LOG_NDELAY, LOG_DAEMON);
    }
    log_dest = dest;
    return 0;
}

void log_close(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
    log_dest = LOG_TO_STDERR;
}

static void log_vwrite(int prio, const char *fmt, va_list ap, int err)
{
    char msg[1024];
    FILE *out = log_dest == LOG_TO_FILE ? log_file : stderr;
    struct timespec ts;
    struct tm tm;
    int n;

    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n >= 0 && err != 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(err));
    if (log_dest == LOG_TO_SYSLOG) {
        syslog(prio, "%s", msg);
        return;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    fprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ vstored: %s\n",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
            tm.tm_sec, ts.tv_nsec / 1000000, msg);
}

/* log_warn: a warning with the current errno's text appended. */
void log_warn(const char *fmt, ...)
{
    int err = errno;
    va_list ap;

    va_start(ap, fmt);
    log_vwrite(LOG_WARNING, fmt, ap, err);
    va_end(ap);
    errno = err;
}

void log_warnx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vwrite(LOG_WARNING, fmt, ap, 0);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vwrite(LOG_INFO, fmt, ap, 0);
    va_end(ap);
}

void log_debug(const char *fmt, ...)
{
    va_list ap;

    if (log_verbose <= 0)
        return;
    va_start(ap, fmt);
    log_vwrite(LOG_DEBUG, fmt, ap, 0);
    va_end(ap);
}

/* fatal / fatalx: only before the store serves anyone. */
void fatal(const char *fmt, ...)
{
    int err = errno;
    va_list ap;

    va_start(ap, fmt);
    log_vwrite(LOG_ERR, fmt, ap, err);
    va_end(ap);
    exit(1);
}

void fatalx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vwrite(LOG_ERR, fmt, ap, 0);
    va_end(ap);
    exit(1);
}
