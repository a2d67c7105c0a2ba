/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console a guest writes with console_io: kept to printable
 * characters, as Xen does for a domU, and written out a line at a time to
 * the domain's sink (stdout under `veneerd run`, a log file under the
 * daemon) and to every attached console client.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "veneerd.h"

/* Write all of buf to fd; false if fd is gone or would block. */
static bool console_put(int fd, const char *buf, size_t len, int flags)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = flags ? send(fd, buf + off, len - off, flags)
                          : write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        off += (size_t)n;
    }
    return true;
}

/* The line to the sink, after the domain's prefix, in one write: lines
 * of domains sharing stdout (`veneerd run` with several) never mix. */
static bool console_sink(struct domain *d)
{
    char buf[CONSOLE_PREFIX_MAX + CONSOLE_LINE_MAX];
    size_t n = strnlen(d->con_prefix, CONSOLE_PREFIX_MAX - 1);

    memcpy(buf, d->con_prefix, n);
    memcpy(buf + n, d->con_line, d->con_len);
    return console_put(d->con_fd, buf, n + d->con_len, 0);
}

static void console_emit(struct domain *d)
{
    /* A log file (the daemon's sink) holds at most CONSOLE_LOG_MAX bytes
     * per domain: past that, output still reaches attached clients but
     * the host's disk (or tmpfs) is not the guest's to fill. */
    if (d->con_fd >= 0 && d->con_log_max &&
        d->con_logged + d->con_len > d->con_log_max) {
        if (!d->con_log_full) {
            static const char note[] = "[veneerd: console log full]\n";
            console_put(d->con_fd, note, sizeof(note) - 1, 0);
            d->con_log_full = true;
        }
    } else if (d->con_fd >= 0 && console_sink(d)) {
        d->con_logged += d->con_len;
    }
    pthread_mutex_lock(&d->con_lock);
    for (unsigned int i = 0; i < CONSOLE_MAX_CLIENTS; i++) {
        int fd = d->con_clients[i];
        /* A client that cannot keep up is detached, never waited for. */
        if (fd >= 0 && !console_put(fd, d->con_line, d->con_len,
                                    MSG_DONTWAIT | MSG_NOSIGNAL)) {
            close(fd);
            d->con_clients[i] = -1;
        }
    }
    pthread_mutex_unlock(&d->con_lock);
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

/*
 * console_attach - send the domain's console output to fd (a stream
 * socket) too, from now on. The console takes fd over.
 * Return values: 0; -EBUSY when CONSOLE_MAX_CLIENTS are attached.
 */
int console_attach(struct domain *d, int fd)
{
    int rc = -EBUSY;

    pthread_mutex_lock(&d->con_lock);
    for (unsigned int i = 0; i < CONSOLE_MAX_CLIENTS && rc < 0; i++) {
        if (d->con_clients[i] < 0) {
            d->con_clients[i] = fd;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&d->con_lock);
    return rc;
}

/* Detach every client (the domain is going away). */
void console_detach_all(struct domain *d)
{
    pthread_mutex_lock(&d->con_lock);
    for (unsigned int i = 0; i < CONSOLE_MAX_CLIENTS; i++) {
        if (d->con_clients[i] >= 0)
            close(d->con_clients[i]);
        d->con_clients[i] = -1;
    }
    pthread_mutex_unlock(&d->con_lock);
}
