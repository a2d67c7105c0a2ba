/* SPDX-License-Identifier: MIT */
/*
 * The toolstack figures' daemons: `vn host start` of veneerd and vstored
 * under a private run directory (VENEER_RUNDIR, inherited by every vn
 * that vnbench2 spawns), domain configs beside it, and the stop that
 * removes it all again.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnbench2.h"

/* vnhost_start - start the daemons in a fresh scratch directory. */
int vnhost_start(struct vnhost *h, const char *vn)
{
    char *const argv[] = {(char *)vn, "host", "start", NULL};
    struct child c;
    char path[160];
    FILE *f;
    int rc, pid = 0;

    memset(h, 0, sizeof(*h));
    h->vn = vn;
    snprintf(h->dir, sizeof(h->dir), "/tmp/vnbench2.XXXXXX");
    if (!mkdtemp(h->dir))
        return -errno;
    snprintf(h->rundir, sizeof(h->rundir), "%s/run", h->dir);
    setenv("VENEER_RUNDIR", h->rundir, 1);
    rc = child_run(&c, argv);
    if (rc == 0 && !child_exited_ok(&c, 0)) {
        child_report(&c, "vn host start");
        rc = -EIO;
    }
    child_free(&c);
    h->up = 1; /* stop even a half-started host */
    if (rc < 0)
        return rc;
    snprintf(path, sizeof(path), "%s/veneerd.pid", h->rundir);
    f = fopen(path, "r");
    if (!f || fscanf(f, "%d", &pid) != 1 || pid <= 0)
        rc = -ESRCH;
    if (f)
        fclose(f);
    h->veneerd = (pid_t)pid;
    return rc;
}

static int vnhost_rm(const char *path, const struct stat *st, int flag,
                     struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* vnhost_stop - destroy every domain, stop the daemons, remove it all. */
void vnhost_stop(struct vnhost *h)
{
    char *const argv[] = {(char *)h->vn, "host", "stop", "--purge", NULL};
    struct child c;

    if (!h->up)
        return;
    if (child_run(&c, argv) == 0 && !child_exited_ok(&c, 0))
        child_report(&c, "vn host stop");
    child_free(&c);
    nftw(h->dir, vnhost_rm, 16, FTW_DEPTH | FTW_PHYS);
    h->up = 0;
}

/*
 * vnhost_config - write DIR/NAME.yaml: kernel, memory, on_poweroff
 * destroy.
 * Parameters: path, len - OUT: the file's path.
 * Return values: 0; -errno.
 */
int vnhost_config(const struct vnhost *h, const char *name, const char *kernel,
                  unsigned int memory_mib, char *path, size_t len)
{
    char abs[4096];
    FILE *f;
    int rc = 0;

    if (!realpath(kernel, abs))
        return -errno;
    snprintf(path, len, "%s/%s.yaml", h->dir, name);
    f = fopen(path, "w");
    if (!f)
        return -errno;
    fprintf(f,
            "# vnbench2\nname: %s\nkernel: %s\nmemory: %u\n"
            "on_poweroff: destroy\non_crash: destroy\n",
            name, abs, memory_mib);
    if (fclose(f) != 0)
        rc = -errno;
    return rc;
}
