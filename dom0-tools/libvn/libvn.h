/* SPDX-License-Identifier: MIT */
/*
 * libvn: Veneer's toolstack library. It talks to veneerd over the control
 * socket (abi/veneer/control.h), builds domains from YAML configs
 * (docs/config.md), writes their store entries through libvstore and
 * applies their on_poweroff / on_reboot / on_crash actions. `vn` is a thin
 * command line over it; any other dom0 tool may link it too.
 *
 * Conventions:
 *  - Calls that can fail return 0 or a negative errno; out-parameters are
 *    set only on success. When veneerd or the library has more to say than
 *    an errno (an unusable kernel, a taken name), vn_errmsg() holds one
 *    line of text until the next call on the same handle.
 *  - A domain is named by a string `dom`: all digits is a domain id,
 *    anything else a name (names are never all digits; docs/config.md).
 *  - A handle holds one connection to veneerd (and, once needed, one to
 *    vstored); it is not thread-safe: use one per thread.
 *  - Run directory: $VENEER_RUNDIR, else VN_RUNDIR_DEFAULT. veneerd listens
 *    on RUNDIR/veneerd.sock, vstored on RUNDIR/xenstored/socket.
 *
 * Link: libvn.a, libvstore.a, -lyaml.
 */
#ifndef LIBVN_H
#define LIBVN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <veneer/control.h>

/* Where the daemons run when $VENEER_RUNDIR is not set. */
#define VN_RUNDIR_DEFAULT "/run/veneer"

/* Names of the files in the run directory. */
#define VN_CTL_SOCKET_NAME   "veneerd.sock"
#define VN_STORE_SOCKET_NAME "xenstored/socket"
#define VN_CONSOLE_DIR_NAME  "console" /* veneerd's NAME.log per domain */

/* Config limits (docs/config.md). [POLICY] unless noted. */
#define VN_CFG_MEMORY_MIN_MIB 4     /* veneerd's VN_MIN_MEMORY_MIB */
#define VN_CFG_MEMORY_MAX_MIB 65536 /* veneerd's VN_MAX_MEMORY_MIB */
#define VN_CFG_MEMORY_DEFAULT 64    /* as `veneerd run` */
#define VN_CFG_VCPUS_MAX      32    /* XEN_LEGACY_MAX_VCPUS: ABI-visible */
#define VN_CFG_MAX_DISKS      16
#define VN_CFG_MAX_NICS       8
#define VN_CFG_FILE_MAX       (1u << 20) /* config file size */
#define VN_CFG_MAX_ERRORS     20         /* diagnostics printed per file */

/* What veneerd does when a domain stops (on_poweroff, on_reboot,
 * on_crash): the values of control.h's VN_ON_*. */
enum vn_action {
    VN_ACTION_DESTROY = VN_ON_DESTROY,   /* tear it down */
    VN_ACTION_RESTART = VN_ON_RESTART,   /* rebuild it in place, same id */
    VN_ACTION_PRESERVE = VN_ON_PRESERVE, /* leave it stopped, for inspection */
};

/* One disk of a config. */
struct vn_disk {
    char *target; /* image path, absolute */
    char vdev[16];
    bool readonly;
    char format[8]; /* "raw" */
};

/* One network interface of a config. */
struct vn_nic {
    bool has_mac; /* false: one is chosen at create time */
    uint8_t mac[6];
    char *sw;    /* the Veneer switch it plugs into */
    char *model; /* "netfront" */
};

/* A parsed, validated domain config (docs/config.md). */
struct vn_config {
    char *file; /* the config file as named by the caller */
    char name[VN_NAME_MAX];
    char *kernel; /* absolute path */
    char *cmdline;
    uint64_t memory_mib;
    uint32_t vcpus;
    struct vn_disk *disks;
    unsigned ndisks;
    struct vn_nic *nics;
    unsigned nnics;
    enum vn_action on_poweroff;
    enum vn_action on_reboot;
    enum vn_action on_crash;
};

struct vn;

/* ---- config ---------------------------------------------------------- */

/*
 * vn_config_parse: parses and validates a YAML domain config held in
 * memory. Relative kernel and disk paths resolve against basedir, and the
 * files they name must exist.
 *
 * Parameters:
 *   file    - the name to put in diagnostics (and in cfg->file)
 *   text    - the YAML text; len bytes, need not be NUL-terminated
 *   basedir - absolute directory for relative paths
 *   cfg     - receives the config; free it with vn_config_free()
 *   errors  - receives malloc'd diagnostics on -EINVAL: one line per
 *             problem, "FILE:LINE:COL: error: WHAT\n", in file order (at
 *             most VN_CFG_MAX_ERRORS); the caller frees it. May be NULL.
 *
 * Return values: 0; -EINVAL if the config is malformed or invalid;
 * -EFBIG if it is larger than VN_CFG_FILE_MAX; -ENOMEM.
 */
int vn_config_parse(const char *file, const char *text, size_t len,
                    const char *basedir, struct vn_config **cfg, char **errors);

/*
 * vn_config_load: reads the file at path and parses it with
 * vn_config_parse, relative paths resolving against the file's directory.
 *
 * Return values: as vn_config_parse; also -errno from open/read (then
 * *errors is "FILE: error: cannot read: REASON\n").
 */
int vn_config_load(const char *path, struct vn_config **cfg, char **errors);

/* vn_config_free: frees a config; NULL is ignored. */
void vn_config_free(struct vn_config *cfg);

/* vn_config_write_json: prints cfg as a JSON object (docs/vn.md,
 * `create --dry-run`), ending with a newline. */
void vn_config_write_json(FILE *f, const struct vn_config *cfg);

/* vn_action_name: "destroy", "restart" or "preserve". */
const char *vn_action_name(enum vn_action a);

/* ---- connection ------------------------------------------------------ */

/* vn_rundir_default: $VENEER_RUNDIR if set and not empty, else
 * VN_RUNDIR_DEFAULT. */
const char *vn_rundir_default(void);

/*
 * vn_open: connects to veneerd's control socket.
 *
 * Parameters:
 *   rundir - the run directory, or NULL for vn_rundir_default()
 *   h      - receives the handle
 *
 * Return values: 0; -ENOENT or -ECONNREFUSED if veneerd is not running
 * there; -EACCES for a caller that is not root; -ENAMETOOLONG; -ENOMEM.
 */
int vn_open(const char *rundir, struct vn **h);

/* vn_close: disconnects and frees the handle; NULL is ignored. */
void vn_close(struct vn *h);

/* vn_errmsg: one line about the last failure on h ("" if none). */
const char *vn_errmsg(const struct vn *h);

/* vn_handle_rundir: the run directory h was opened on. */
const char *vn_handle_rundir(const struct vn *h);

/*
 * vn_dom_parse: turns a domain id or name into a control-ABI reference.
 *
 * Return values: 0; -EINVAL for an empty or over-long name, or an id
 * that does not fit 32 bits.
 */
int vn_dom_parse(const char *dom, struct vn_ctl_dom *ref);

/* ---- domains --------------------------------------------------------- */

/*
 * vn_domain_info: what veneerd reports about one domain.
 *
 * Return values: 0; -ENOENT (no such domain); -EINVAL (bad name);
 * -ECONNRESET (veneerd went away); -EPROTO (a reply that breaks the
 * protocol).
 */
int vn_domain_info(struct vn *h, const char *dom, struct vn_dominfo *info);

/*
 * vn_domain_list: every domain veneerd hosts, in its order.
 *
 * Parameters:
 *   list - receives a malloc'd array (free()); NULL when n is 0
 *   n    - receives the count
 *
 * Return values: 0; -ECONNRESET; -EPROTO; -ENOMEM.
 */
int vn_domain_list(struct vn *h, struct vn_dominfo **list, size_t *n);

/* vn_domain_pause / vn_domain_unpause: stop or resume the domain's
 * vCPUs. Return values: 0; -ENOENT; -EINVAL; others as vn_domain_info. */
int vn_domain_pause(struct vn *h, const char *dom);
int vn_domain_unpause(struct vn *h, const char *dom);

/*
 * vn_domain_destroy: kills the domain at once, then removes its store
 * entries (/local/domain/ID and its /vm path) and releases it from
 * vstored, and those of any domain veneerd destroyed by itself (on_*). A
 * store that is not running is not an error.
 *
 * Return values: 0; -ENOENT; -EINVAL; others as vn_domain_info.
 */
int vn_domain_destroy(struct vn *h, const char *dom);

/*
 * vn_domain_shutdown: forces a shutdown with reason (SHUTDOWN_* from
 * xen/sched.h), as if the guest had asked: the toolstack's last resort.
 *
 * Return values: 0; -ENOENT; -EINVAL (bad reason); others as above.
 */
int vn_domain_shutdown(struct vn *h, const char *dom, uint32_t reason);

/*
 * vn_domain_request: asks the guest to shut down by writing what
 * ("poweroff", "reboot", ...) to /local/domain/ID/control/shutdown, as
 * xl does; a PV-aware guest acts on it.
 *
 * Return values: 0; -ENOENT (no such domain); -ENOTCONN (vstored is not
 * running); -errno from the store.
 */
int vn_domain_request(struct vn *h, const char *dom, const char *what);

/* vn_domain_wait results. */
#define VN_WAIT_GONE      0 /* destroyed (on_* = destroy, or by anyone) */
#define VN_WAIT_PRESERVED 1 /* stopped, and veneerd keeps it (preserve) */
#define VN_WAIT_RESTARTED 2 /* stopped, and veneerd restarted it in place */

/*
 * vn_domain_wait: waits for a domain to stop and for veneerd to have
 * applied its on_* action: until it is gone, kept stopped, or running
 * again in a new domain process.
 *
 * Parameters:
 *   domid      - the domain
 *   timeout_ms - how long to wait; -1 for ever
 *
 * Return values: VN_WAIT_GONE, VN_WAIT_PRESERVED or VN_WAIT_RESTARTED;
 * -ETIMEDOUT; others as vn_domain_info.
 */
int vn_domain_wait(struct vn *h, uint32_t domid, int timeout_ms);

/*
 * vn_domain_set_max_mem: sets the domain's maximum memory.
 *
 * Return values: 0; -ENOENT; -EINVAL; -ENOMEM (veneerd refused the size).
 */
int vn_domain_set_max_mem(struct vn *h, const char *dom, uint64_t max_kib);

/*
 * vn_domain_set_target: `vn mem-set`: writes the balloon target,
 * memory/target, in the store, and moves veneerd's cap to it as xl does:
 * up before the target grows; down after it shrinks, but never below what
 * the guest holds now (veneerd refuses that; the guest balloons down to
 * the target by itself).
 *
 * Return values: 0; -ENOENT; -ERANGE if mib is below VN_CFG_MEMORY_MIN_MIB
 * or above the domain's memory/static-max (vn_errmsg() says so);
 * -ENOTCONN (no vstored); -ENODATA (no store entries); others as
 * vn_domain_set_max_mem.
 */
int vn_domain_set_target(struct vn *h, const char *dom, uint64_t mib);

/*
 * vn_console_open: attaches to the domain's console.
 *
 * Parameters:
 *   fd - receives one end of a stream socket: the guest's console output
 *        arrives on it; closing it detaches. EOF when the domain goes.
 *
 * Return values: 0; -ENOENT; -EPROTO if no descriptor came with the reply.
 */
int vn_console_open(struct vn *h, const char *dom, int *fd);

/* ---- building -------------------------------------------------------- */

/* vn_domain_create flags. */
#define VN_BUILD_PAUSED 0x1u /* leave the new domain paused */

/*
 * vn_domain_create: builds a domain from cfg. Checks the name is free and
 * the memory fits the host, hands the kernel and the on_* actions to
 * veneerd (CREATE, paused, the image fd by SCM_RIGHTS), removes store
 * entries of domains veneerd no longer has, writes the new domain's
 * standard entries (docs/vn.md "Store entries"), introduces it to vstored,
 * and unpauses it unless VN_BUILD_PAUSED. If vstored is not running the
 * store steps are skipped (vn_errmsg() says so). A failure after CREATE
 * destroys what was made: nothing is left behind.
 *
 * Parameters:
 *   info - receives the new domain's info (may be NULL)
 *
 * Return values: 0; -EEXIST (name taken); -ENOEXEC (veneerd refused the
 * kernel; vn_errmsg() says why); -ENOMEM (memory exceeds the host's, or
 * veneerd ran out); -errno opening the kernel; others as vn_domain_info.
 */
int vn_domain_create(struct vn *h, const struct vn_config *cfg, unsigned flags,
                     struct vn_dominfo *info);

/* ---- names and JSON -------------------------------------------------- */

/* vn_state_name: "running", "paused", "shutdown", "crashed", "dying", or
 * "unknown". */
const char *vn_state_name(uint32_t state);

/* vn_shutdown_name: "poweroff", "reboot", "suspend", "crash", "watchdog",
 * "soft_reset", or "unknown". */
const char *vn_shutdown_name(uint32_t reason);

/* vn_dominfo_write_json: prints one domain as a JSON object (docs/vn.md);
 * detail adds the ring and event-channel fields of `vn info`. */
struct vn_json;
void vn_dominfo_write_json(struct vn_json *j, const struct vn_dominfo *d,
                           bool detail);

/* A small JSON writer: pretty-printed (two-space indent), keys in the
 * order written; strings are escaped. Nesting depth at most
 * VN_JSON_MAX_DEPTH. */
#define VN_JSON_MAX_DEPTH 16
struct vn_json {
    FILE *f;
    int depth;
    bool after_key;
    bool nonempty[VN_JSON_MAX_DEPTH];
};

void vn_json_init(struct vn_json *j, FILE *f);
void vn_json_object_begin(struct vn_json *j);
void vn_json_object_end(struct vn_json *j);
void vn_json_array_begin(struct vn_json *j);
void vn_json_array_end(struct vn_json *j);
void vn_json_key(struct vn_json *j, const char *key);
void vn_json_string(struct vn_json *j, const char *s); /* NULL: null */
void vn_json_uint(struct vn_json *j, uint64_t v);
void vn_json_int(struct vn_json *j, int64_t v);
void vn_json_bool(struct vn_json *j, bool v);
void vn_json_null(struct vn_json *j);
/* vn_json_end: a newline after the top-level value. */
void vn_json_end(struct vn_json *j);

#endif /* LIBVN_H */
