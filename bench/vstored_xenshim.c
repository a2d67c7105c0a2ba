// SPDX-License-Identifier: MIT
// Stand-ins for the three Xen libraries Debian's C xenstored links
// (libxenevtchn, libxengnttab, libxenctrl), and an LD_PRELOAD part, so it
// can run on a host without Xen for vstored_bench's comparison. Built
// four times by bench/vstored_vs_xenstored.sh: once per library
// (SHIM_EVTCHN, SHIM_GNTTAB, SHIM_CTRL, each with that library's symbol
// versions) and once as the preload (SHIM_PRELOAD), which hands
// xenstored's dom0 set-up a file for /proc/xen/xsd_port (the event
// channel number) and one for /proc/xen/xsd_kva (the ring page it maps),
// and hides a refused setrlimit from oxenstored.
// No event ever fires and no guest exists: xenstored serves its local
// socket, which is all the benchmark uses. Only the calls xenstored
// makes exist.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef SHIM_EVTCHN
/* An event channel handle: a pipe whose read end never becomes readable
 * stands for the device fd xenstored polls. */
struct shim_evtchn {
    int fds[2];
    int next_port;
};

void *xenevtchn_open(void *logger, unsigned flags);
void *xenevtchn_fdopen(void *logger, int fd, unsigned flags);
int xenevtchn_close(void *h);
int xenevtchn_fd(void *h);
int xenevtchn_notify(void *h, uint32_t port);
int xenevtchn_bind_virq(void *h, unsigned virq);
int xenevtchn_bind_interdomain(void *h, uint32_t domid, uint32_t port);
int xenevtchn_unbind(void *h, uint32_t port);
int xenevtchn_pending(void *h);
int xenevtchn_unmask(void *h, uint32_t port);

void *xenevtchn_open(void *logger, unsigned flags)
{
    struct shim_evtchn *e = calloc(1, sizeof(*e));

    (void)logger;
    (void)flags;
    if (e == NULL || pipe(e->fds) != 0) {
        free(e);
        return NULL;
    }
    e->next_port = 1;
    return e;
}

void *xenevtchn_fdopen(void *logger, int fd, unsigned flags)
{
    (void)fd;
    return xenevtchn_open(logger, flags);
}

int xenevtchn_close(void *h)
{
    struct shim_evtchn *e = h;

    if (e != NULL) {
        close(e->fds[0]);
        close(e->fds[1]);
        free(e);
    }
    return 0;
}

int xenevtchn_fd(void *h)
{
    return ((struct shim_evtchn *)h)->fds[0];
}

int xenevtchn_notify(void *h, uint32_t port)
{
    (void)h;
    (void)port;
    return 0;
}

int xenevtchn_bind_virq(void *h, unsigned virq)
{
    (void)virq;
    return ((struct shim_evtchn *)h)->next_port++;
}

int xenevtchn_bind_interdomain(void *h, uint32_t domid, uint32_t port)
{
    (void)domid;
    (void)port;
    return ((struct shim_evtchn *)h)->next_port++;
}

int xenevtchn_unbind(void *h, uint32_t port)
{
    (void)h;
    (void)port;
    return 0;
}

int xenevtchn_pending(void *h)
{
    (void)h;
    errno = EAGAIN;
    return -1;
}

int xenevtchn_unmask(void *h, uint32_t port)
{
    (void)h;
    (void)port;
    return 0;
}
#endif

#ifdef SHIM_GNTTAB
void *xengnttab_open(void *logger, unsigned flags);
int xengnttab_close(void *h);
int xengnttab_set_max_grants(void *h, uint32_t count);
void *xengnttab_map_grant_ref(void *h, uint32_t domid, uint32_t ref, int prot);
int xengnttab_unmap(void *h, void *addr, uint32_t count);

static int gnttab_token;

void *xengnttab_open(void *logger, unsigned flags)
{
    (void)logger;
    (void)flags;
    return &gnttab_token;
}

int xengnttab_close(void *h)
{
    (void)h;
    return 0;
}

int xengnttab_set_max_grants(void *h, uint32_t count)
{
    (void)h;
    (void)count;
    return 0;
}

void *xengnttab_map_grant_ref(void *h, uint32_t domid, uint32_t ref, int prot)
{
    (void)h;
    (void)domid;
    (void)ref;
    (void)prot;
    errno = ENOSYS; /* no guest rings here */
    return NULL;
}

int xengnttab_unmap(void *h, void *addr, uint32_t count)
{
    (void)h;
    (void)addr;
    (void)count;
    return 0;
}
#endif

#ifdef SHIM_CTRL
void *xc_interface_open(void *logger, void *dombuild_logger, unsigned flags);
int xc_interface_close(void *xch);
int xc_domain_getinfo(void *xch, uint32_t first, unsigned max, void *info);

static int ctrl_token;

void *xc_interface_open(void *logger, void *dombuild_logger, unsigned flags)
{
    (void)logger;
    (void)dombuild_logger;
    (void)flags;
    return &ctrl_token;
}

int xc_interface_close(void *xch)
{
    (void)xch;
    return 0;
}

/* No domains exist. */
int xc_domain_getinfo(void *xch, uint32_t first, unsigned max, void *info)
{
    (void)xch;
    (void)first;
    (void)max;
    (void)info;
    return 0;
}
#endif

#ifdef SHIM_PRELOAD
#include <sys/resource.h>

int open(const char *path, int flags, ...);
FILE *fopen(const char *path, const char *mode);
int setrlimit(__rlimit_resource_t res, const struct rlimit *rl);

/* oxenstored raises its file limit and dies if it may not (a container
 * may forbid it); the benchmark needs few files, so the refusal is
 * hidden. */
int setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
    static int (*real_setrlimit)(__rlimit_resource_t, const struct rlimit *);

    if (real_setrlimit == NULL)
        real_setrlimit =
            (int (*)(__rlimit_resource_t, const struct rlimit *))dlsym(
                RTLD_NEXT, "setrlimit");
    if (real_setrlimit(res, rl) != 0 && errno != EPERM)
        return -1;
    return 0;
}

/* /proc/xen/xsd_port and /proc/xen/xsd_kva, redirected to the files named
 * by VXSHIM_PORT_FILE and VXSHIM_KVA_FILE. */
static const char *shim_path(const char *path)
{
    const char *alt = NULL;

    if (strcmp(path, "/proc/xen/xsd_port") == 0)
        alt = getenv("VXSHIM_PORT_FILE");
    else if (strcmp(path, "/proc/xen/xsd_kva") == 0)
        alt = getenv("VXSHIM_KVA_FILE");
    return alt != NULL ? alt : path;
}

int open(const char *path, int flags, ...)
{
    static int (*real_open)(const char *, int, ...);
    mode_t mode = 0;
    va_list ap;

    if (real_open == NULL)
        real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    return real_open(shim_path(path), flags, mode);
}

FILE *fopen(const char *path, const char *mode)
{
    static FILE *(*real_fopen)(const char *, const char *);

    if (real_fopen == NULL)
        real_fopen =
            (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
    return real_fopen(shim_path(path), mode);
}
#endif
