// SPDX-License-Identifier: MIT
// vngnt-check: the dom0 side of t_gnttab_dom0.sh, against the gntdom0
// guest (tests/guests/gntdom0.c) under a live veneerd: maps and copies
// what the guest granted to dom0, and is refused everything else.
//
// usage: vngnt-check --domid N [--rundir DIR]
// Prints one line per check and "vngnt-check: SUCCESS", or exits 1.
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xen/grant_table.h>

#include "vngnt.h"

#define DATA_REF  10
#define RO_REF    11
#define OTHER_REF 12
#define CTL_REF   15
#define WAIT_S    20

static unsigned int failures;

static void check(int ok, const char *what, int rc)
{
    printf("vngnt-check: %s %s (rc %d)\n", ok ? "ok" : "FAIL", what, rc);
    if (!ok)
        failures++;
}

/* A refusal: rc and the GNTST code must both be the expected ones. */
static void refused(struct vngnt *h, int rc, int want_rc, int want_st,
                    const char *what)
{
    printf("vngnt-check: %s %s -> rc %d, GNTST %d\n",
           rc == want_rc && vngnt_status(h) == want_st ? "refused" : "FAIL",
           what, rc, vngnt_status(h));
    if (rc != want_rc || vngnt_status(h) != want_st)
        failures++;
}

static uint32_t ctl_word(struct vngnt *h, uint32_t domid, uint16_t off)
{
    uint32_t v = 0;

    if (vngnt_copy_from(h, domid, CTL_REF, off, &v, sizeof(v)) != 0)
        return 0;
    return v;
}

/* Wait for the guest's state word to reach want. */
static int wait_guest(struct vngnt *h, uint32_t domid, uint32_t want)
{
    for (int i = 0; i < WAIT_S * 1000; i++) {
        if (ctl_word(h, domid, 0) >= want)
            return 0;
        usleep(1000);
    }
    fprintf(stderr, "vngnt-check: the guest never reached state %u\n", want);
    return -1;
}

static void set_host(struct vngnt *h, uint32_t domid, uint32_t v)
{
    check(vngnt_copy_to(h, domid, CTL_REF, 4, &v, sizeof(v)) == 0,
          "host state written", (int)v);
}

/* The toolstack's two entries: mapped, they show what a copy reads. */
static void check_reserved(struct vngnt *h, uint32_t domid)
{
    static uint8_t copy[4096];
    void *p = NULL;
    int rc;

    for (uint32_t ref = 0; ref <= 1; ref++) {
        rc = vngnt_map(h, domid, ref, 0, &p);
        check(rc == 0,
              ref ? "map ref 1 (store ring)"
                  : "map ref 0 (console "
                    "ring)",
              rc);
        if (rc != 0)
            continue;
        rc = vngnt_copy_from(h, domid, ref, 0, copy, sizeof(copy));
        check(rc == 0 && memcmp(p, copy, sizeof(copy)) == 0,
              "the mapping and a copy agree", rc);
        check(vngnt_unmap(h, p) == 0, "unmap it", 0);
    }
}

static void check_refusals(struct vngnt *h, uint32_t domid)
{
    uint8_t buf[16];
    void *p = NULL;
    int rc;

    rc = vngnt_map(h, domid, RO_REF, VNGNT_READONLY, &p);
    check(rc == 0 && strcmp(p, "read-only page") == 0,
          "map the read-only grant read-only", rc);
    if (rc == 0)
        vngnt_unmap(h, p);
    refused(h, vngnt_map(h, domid, RO_REF, 0, &p), -EINVAL, GNTST_general_error,
            "map the read-only grant writable");
    refused(h, vngnt_copy_to(h, domid, RO_REF, 0, "x", 1), -EINVAL,
            GNTST_general_error, "copy into the read-only grant");
    refused(h, vngnt_map(h, domid, OTHER_REF, 0, &p), -EINVAL,
            GNTST_general_error, "map a grant to another domain");
    refused(h, vngnt_copy_from(h, domid, OTHER_REF, 0, buf, 4), -EINVAL,
            GNTST_general_error, "copy a grant to another domain");
    refused(h, vngnt_map(h, domid, 13, 0, &p), -EINVAL, GNTST_general_error,
            "map a ref never granted");
    refused(h, vngnt_map(h, domid, 70000, 0, &p), -ENOENT, GNTST_bad_gntref,
            "map a ref beyond the table");
    refused(h, vngnt_map(h, 999, DATA_REF, 0, &p), -ESRCH, GNTST_bad_domain,
            "map from domain 999");
    refused(h, vngnt_map(h, 0x10000 + domid, DATA_REF, 0, &p), -ESRCH,
            GNTST_bad_domain, "map from a domid above 16 bits");
    refused(h, vngnt_copy_from(h, domid, DATA_REF, 4090, buf, 10), -ERANGE,
            GNTST_bad_copy_arg, "copy past the end of the page");
}

/* A child maps RO_REF and dies without unmapping: veneerd must release
 * the grant when its connection closes. */
static void check_dying_mapper(const char *rundir, uint32_t domid)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        struct vngnt *c;
        void *p;

        if (vngnt_open(rundir, &c) != 0 ||
            vngnt_map(c, domid, RO_REF, VNGNT_READONLY, &p) != 0)
            _exit(2);
        _exit(0); /* no unmap, no close */
    }
    check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "a child mapped the read-only grant and died", status);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"domid", required_argument, NULL, 'd'},
        {"rundir", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *rundir = NULL;
    uint32_t domid = 0;
    struct vngnt *h = NULL;
    void *p = NULL;
    int c, rc;

    while ((c = getopt_long(argc, argv, "d:r:", longopts, NULL)) != -1) {
        if (c == 'd')
            domid = (uint32_t)strtoul(optarg, NULL, 0);
        else if (c == 'r')
            rundir = optarg;
        else
            return 64;
    }
    if (!domid || vngnt_open(rundir, &h) != 0) {
        fprintf(stderr, "usage: vngnt-check --domid N [--rundir DIR] (and a "
                        "running veneerd)\n");
        return 64;
    }
    if (wait_guest(h, domid, 1) < 0)
        return 1;
    rc = vngnt_map(h, domid, DATA_REF, 0, &p);
    check(rc == 0 && strcmp(p, "veneer-dom0-grant") == 0,
          "map the granted page and read it", rc);
    if (rc != 0)
        return 1;
    strcpy((char *)p + 100, "host wrote");
    set_host(h, domid, 1);
    if (wait_guest(h, domid, 2) < 0)
        return 1;
    check(vngnt_unmap(h, p) == 0, "unmap it", 0);
    check(vngnt_unmap(h, p) == -EINVAL, "unmap it twice", 0);
    rc = vngnt_copy_to(h, domid, DATA_REF, 200, "host copied", 12);
    check(rc == 0, "copy into the granted page", rc);
    check_reserved(h, domid);
    check_refusals(h, domid);
    set_host(h, domid, 2);
    if (wait_guest(h, domid, 3) < 0)
        return 1;
    refused(h, vngnt_map(h, domid, DATA_REF, 0, &p), -EINVAL,
            GNTST_general_error, "map the page after the guest ended access");
    check_dying_mapper(rundir, domid);
    set_host(h, domid, 3);
    vngnt_close(h);
    if (failures) {
        printf("vngnt-check: ABORT (%u failed)\n", failures);
        return 1;
    }
    printf("vngnt-check: SUCCESS\n");
    return 0;
}
