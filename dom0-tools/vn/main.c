// SPDX-License-Identifier: MIT
// vn: the command table (one row per command: name, handler, usage and
// help, as xl's xl_cmdtable.c), dispatch and the helpers every command
// shares.
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vn.h"

static const struct vn_cmd commands[] = {
    {"create", cmd_create, "FILE.yaml [--console] [--paused] [--dry-run]",
     "build a domain from a config file and start it"},
    {"list", cmd_list, "[--json]", "list the domains"},
    {"info", cmd_info, "DOM [--json]", "show one domain in detail"},
    {"console", cmd_console, "DOM",
     "attach to a domain's console (Ctrl-] detaches)"},
    {"pause", cmd_pause, "DOM", "stop running a domain's vCPUs"},
    {"unpause", cmd_unpause, "DOM", "resume a paused domain"},
    {"shutdown", cmd_shutdown, "DOM [--wait [--timeout S]] [--force]",
     "ask a domain to power off; with --wait, force it after S seconds"},
    {"reboot", cmd_reboot, "DOM [--force]", "ask a domain to reboot"},
    {"destroy", cmd_destroy, "DOM", "kill a domain at once"},
    {"mem-set", cmd_mem_set, "DOM MiB",
     "set a domain's memory target (and cap), up to its configured memory"},
    {"host start", cmd_host_start, "",
     "start veneerd and vstored under $VENEER_RUNDIR"},
    {"host stop", cmd_host_stop, "[--purge]",
     "destroy every domain, stop the daemons, remove their files"},
    {"host status", cmd_host_status, "[--json]",
     "show whether the daemons run"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void vn_warnx(const char *fmt, ...)
{
    va_list ap;

    fputs("vn: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int vn_usage(const struct vn_cmd *cmd, FILE *f)
{
    fprintf(f, "usage: vn %s%s%s\n", cmd->name, cmd->usage[0] ? " " : "",
            cmd->usage);
    return VN_EXIT_USAGE;
}

static void help_all(FILE *f)
{
    fprintf(f, "usage: vn COMMAND [ARGS]\n\n"
               "DOM is a domain name or id. Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'vn help COMMAND' or 'vn COMMAND --help' for its usage; "
               "see vn(1), docs/vn.md.\n");
}

int vn_getopt(const struct vn_cmd *cmd, int argc, char **argv,
              const char *shortopts, const struct option *longopts)
{
    char opts[32];
    int c;

    /* A leading ':' makes a missing value ':' rather than '?'. */
    snprintf(opts, sizeof(opts), ":%s", shortopts);
    c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c == 'h') {
        vn_usage(cmd, stdout);
        printf("%s\n", cmd->help);
        exit(VN_EXIT_OK);
    }
    if (c == '?' || c == ':') {
        vn_warnx("%s: %s '%s'", cmd->name,
                 c == ':' ? "missing value for" : "unknown option",
                 argv[optind - 1]);
        vn_usage(cmd, stderr);
        return '?';
    }
    return c;
}

int vn_args(const struct vn_cmd *cmd, int argc, int n)
{
    if (argc - optind == n)
        return 0;
    vn_warnx("%s: %s", cmd->name,
             argc - optind < n ? "missing arguments" : "too many arguments");
    return vn_usage(cmd, stderr);
}

/* The row for argv, by one word or two ("host start"). */
static const struct vn_cmd *lookup(int argc, char **argv, int *used)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const char *name = commands[i].name;
        const char *sp = strchr(name, ' ');

        if (sp == NULL && strcmp(argv[0], name) == 0) {
            *used = 1;
            return &commands[i];
        }
        if (sp != NULL && argc >= 2 &&
            strncmp(argv[0], name, (size_t)(sp - name)) == 0 &&
            argv[0][sp - name] == '\0' && strcmp(argv[1], sp + 1) == 0) {
            *used = 2;
            return &commands[i];
        }
    }
    return NULL;
}

static int help_cmd(int argc, char **argv)
{
    const struct vn_cmd *cmd;
    int used;

    if (argc < 2) {
        help_all(stdout);
        return VN_EXIT_OK;
    }
    cmd = lookup(argc - 1, argv + 1, &used);
    if (cmd == NULL) {
        vn_warnx("no command '%s'", argv[1]);
        return VN_EXIT_USAGE;
    }
    vn_usage(cmd, stdout);
    printf("%s\n", cmd->help);
    return VN_EXIT_OK;
}

int main(int argc, char **argv)
{
    const struct vn_cmd *cmd;
    int used = 0;

    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        help_all(stderr);
        return VN_EXIT_USAGE;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0)
        return help_cmd(argc - 1, argv + 1);
    cmd = lookup(argc - 1, argv + 1, &used);
    if (cmd == NULL) {
        if (strcmp(argv[1], "host") == 0)
            vn_warnx("host: expected start, stop or status");
        else
            vn_warnx("no command '%s'; 'vn help' lists them", argv[1]);
        return VN_EXIT_USAGE;
    }
    /* argv[0] of the handler is the command's last word. */
    optind = 1;
    opterr = 0;
    return cmd->run(cmd, argc - used, argv + used);
}
