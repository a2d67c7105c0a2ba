/* SPDX-License-Identifier: MIT */
/*
 * The daemon's own declarations, shared by daemon.c (the event loop and
 * domain lifecycle policy) and control.c (the control protocol). Beside
 * veneerd.h, which everything else needs.
 */
#ifndef VENEER_DAEMON_H
#define VENEER_DAEMON_H

#include <stdio.h>

#include <veneer/control.h>

#include "veneerd.h"

/* A domain the daemon runs, with what it needs to restart it. */
struct managed {
    struct domain *d;
    uint8_t *image; /* the kernel file, kept for restarts */
    size_t image_size;
    uint8_t on_poweroff, on_reboot, on_crash; /* VN_ON_* */
    uint32_t restarts;
    bool registered;     /* its pidfd is in the event loop (as `watch`) */
    bool dead;           /* destroyed; freed after the current loop batch */
    bool restarting;     /* stopped; restarts once its pages are unmapped */
    bool restart_told;   /* dom0 was told to unmap them (VIRQ_DOM_EXC) */
    uint64_t restart_by; /* CLOCK_MONOTONIC ns; then destroyed instead */
    void *watch;
};

/* daemon.c */
struct managed *daemon_find(const struct vn_ctl_dom *who);
struct managed *daemon_find_name(const char *name);
unsigned int daemon_list(struct managed **out, unsigned int max);
int daemon_create(const struct vn_ctl_create *c, int image_fd, bool paused,
                  struct managed **out, char *err, size_t errlen);
void daemon_destroy(struct managed *m);
void daemon_dominfo(const struct managed *m, struct vn_dominfo *info);

int daemon_main(int argc, char **argv, const char *stub);

/* daemon_store.c */
void daemon_store_init(const char *rundir);
void daemon_store_fini(void);
void daemon_store_release(uint32_t domid);
void daemon_store_restarted(const struct domain *d);

/* control.c */
#define CONTROL_MAX_FDS 2 /* descriptors one reply passes */
void control_serve(int fd);
void control_reply_fds(int fd, const struct vn_ctl_hdr *req, int status,
                       const void *payload, size_t len, const int *fds,
                       unsigned int nr_fds);
bool control_payload(const void *p, uint32_t len, void *out, size_t size);

/* control_evtchn.c */
void control_evtchn(int fd, const struct vn_ctl_hdr *h, const void *p);

/* run.c: `veneerd run` */
int run_main(int argc, char **argv, const char *stub);
void run_usage(FILE *f);

#endif /* VENEER_DAEMON_H */
