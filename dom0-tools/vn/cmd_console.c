// SPDX-License-Identifier: MIT
// vn console, and the relay `create --console` shares: guest output to
// stdout, keyboard to the guest, Ctrl-] detaches; the terminal is raw
// meanwhile and restored after.
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "vn.h"

/* Ctrl-]: telnet's and xl console's escape. */
#define CONSOLE_ESCAPE 0x1d

/* How often an idle relay asks whether the domain has stopped for good
 * (veneerd keeps a preserved domain's console open). [POLICY] */
#define CONSOLE_CHECK_MS 250

/* Writes all of buf; false if the other side is gone. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Keyboard input: forwards up to the escape; true on the escape. */
static bool relay_input(int fd, const char *buf, size_t len)
{
    const char *esc = memchr(buf, CONSOLE_ESCAPE, len);
    size_t n = esc != NULL ? (size_t)(esc - buf) : len;

    /* veneerd may not read console input yet: input it refuses is
     * dropped, and never blocks the output. */
    if (n > 0)
        send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    return esc != NULL;
}

/* True once the domain is gone, or stopped with no process left (kept
 * by on_* = preserve): no more output can come. */
static bool domain_finished(struct vn *h, uint32_t domid)
{
    struct vn_dominfo d;
    char id[16];
    int rc;

    snprintf(id, sizeof(id), "%u", domid);
    rc = vn_domain_info(h, id, &d);
    if (rc != 0)
        return true;
    return (d.state == VN_DOM_SHUTDOWN || d.state == VN_DOM_CRASHED) &&
           d.pid <= 0;
}

/* What is left in the socket, without waiting. */
static void drain(int fd)
{
    char buf[4096];
    ssize_t k;

    while ((k = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
        if (!write_all(STDOUT_FILENO, buf, (size_t)k))
            return;
}

static void relay_loop(int fd, struct vn *h, uint32_t domid)
{
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                          {.fd = STDIN_FILENO, .events = POLLIN}};
    char buf[4096];
    nfds_t n = 2;

    for (;;) {
        ssize_t k;
        int ready = poll(p, n, h != NULL ? CONSOLE_CHECK_MS : -1);

        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (ready == 0) {
            if (domain_finished(h, domid)) {
                drain(fd);
                return;
            }
            continue;
        }
        if (p[0].revents) {
            k = read(fd, buf, sizeof(buf));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0 || !write_all(STDOUT_FILENO, buf, (size_t)k))
                return; /* the domain went away, or stdout did */
        }
        if (n == 2 && p[1].revents) {
            k = read(STDIN_FILENO, buf, sizeof(buf));
            if (k <= 0)
                n = 1; /* no more input; keep showing output */
            else if (relay_input(fd, buf, (size_t)k))
                return;
        }
    }
}

int console_relay(int fd, const char *name, struct vn *h, uint32_t domid)
{
    struct termios saved, raw;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;

    if (tty) {
        fprintf(stderr, "vn: connected to %s's console; Ctrl-] detaches\n",
                name);
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    relay_loop(fd, h, domid);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        fputc('\n', stderr);
    }
    close(fd);
    return VN_EXIT_OK;
}

int cmd_console(const struct vn_cmd *cmd, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct vn_dominfo info;
    struct vn *h = NULL;
    const char *dom;
    int rc, fd = -1;

    while ((rc = vn_getopt(cmd, argc, argv, "h", opts)) != -1)
        return VN_EXIT_USAGE;
    if ((rc = vn_args(cmd, argc, 1)) != 0)
        return rc;
    dom = argv[optind];
    if ((rc = vn_check_dom(dom)) != 0 || (rc = vn_connect(&h)) != 0)
        return rc;
    rc = vn_domain_info(h, dom, &info);
    if (rc == 0)
        rc = vn_console_open(h, dom, &fd);
    if (rc != 0) {
        rc = vn_fail(h, rc, "console", dom);
        vn_close(h);
        return rc;
    }
    rc = console_relay(fd, info.name, h, info.domid);
    vn_close(h);
    return rc;
}
