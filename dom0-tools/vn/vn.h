/* SPDX-License-Identifier: MIT */
/*
 * vn, the Veneer command line: internal header. Every command is one row
 * of the table in main.c and one cmd_* handler; exit codes are those of
 * docs/vn.md. vn's code needs nothing else besides libvn.h.
 */
#ifndef VN_H
#define VN_H

#include <stdbool.h>
#include <stdio.h>

#include "libvn.h"

/* Exit statuses (docs/vn.md "EXIT STATUS"). */
enum vn_exit {
    VN_EXIT_OK = 0,
    VN_EXIT_ERROR = 1, /* anything not below */
    VN_EXIT_USAGE = 2, /* bad command line */
    VN_EXIT_NODOM = 3, /* no such domain */
    VN_EXIT_NODAEMON =
        4, /* veneerd (or, for host status, a daemon) not running */
    VN_EXIT_CONFIG = 5,  /* the config is malformed or invalid, or veneerd
                             refused its kernel */
    VN_EXIT_EXISTS = 6,  /* a domain of that name exists already */
    VN_EXIT_TIMEOUT = 7, /* shutdown --wait: still there after forcing */
};

/* One command: a row of the table. */
struct vn_cmd {
    const char *name; /* "list", or "host start" */
    int (*run)(const struct vn_cmd *cmd, int argc, char **argv);
    const char *usage; /* arguments after the name */
    const char *help;  /* one line */
};

/* Handlers (argv[0] is the command's last word; options follow). */
int cmd_create(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_list(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_info(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_console(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_pause(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_unpause(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_shutdown(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_reboot(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_destroy(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_mem_set(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_host_start(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_host_stop(const struct vn_cmd *cmd, int argc, char **argv);
int cmd_host_status(const struct vn_cmd *cmd, int argc, char **argv);

/* vn_usage: "usage: vn NAME USAGE" on f. Returns VN_EXIT_USAGE. */
int vn_usage(const struct vn_cmd *cmd, FILE *f);

/* vn_warnx / vn_errx: "vn: ..." on stderr. */
void vn_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * vn_getopt: getopt_long over a command's options, with -h/--help
 * answered (usage and help on stdout, exit 0) and an unknown option
 * turned into usage on stderr.
 *
 * Return values: the option character, -1 at the end, or '?' after
 * printing usage (the caller returns VN_EXIT_USAGE).
 */
struct option;
int vn_getopt(const struct vn_cmd *cmd, int argc, char **argv,
              const char *shortopts, const struct option *longopts);

/* vn_args: after options, exactly n operands must remain. Returns 0, or
 * VN_EXIT_USAGE after printing usage. */
int vn_args(const struct vn_cmd *cmd, int argc, int n);

/* vn_connect: opens veneerd's control socket; on failure prints why and
 * returns the exit status (4 if veneerd is not running). */
int vn_connect(struct vn **h);

/* vn_fail: prints a failed domain operation (what, on domain dom) and
 * returns its exit status. */
int vn_fail(struct vn *h, int rc, const char *what, const char *dom);

/* vn_check_dom: VN_EXIT_USAGE (after a message) if dom can name no
 * domain, else 0. */
int vn_check_dom(const char *dom);

/* console_relay: copies the console on fd to stdout and stdin to it
 * until EOF, Ctrl-] (a raw terminal meanwhile), or, when h is not NULL,
 * until domain domid has stopped for good. Closes fd. */
int console_relay(int fd, const char *name, struct vn *h, uint32_t domid);

/* An aligned text table: columns left-aligned unless right[col]. */
#define TABLE_MAX_COLS 8
struct table {
    unsigned ncols, nrows;
    bool right[TABLE_MAX_COLS];
    char **cells; /* nrows * ncols strings */
};

void table_init(struct table *t, unsigned ncols, const char *right);
void table_row(struct table *t, ...); /* ncols strings */
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);

#endif /* VN_H */
