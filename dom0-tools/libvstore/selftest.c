// SPDX-License-Identifier: MIT
// libvstore-selftest: drives every libvstore call against a running
// store (tests/integration/t_vstored_libvstore.sh starts one) and checks
// each result. Exits 0 if all checks pass.
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vstore.h"

static int failures;

#define CHECK(cond) check_at((cond), #cond, __LINE__)

static void check_at(bool ok, const char *what, int line)
{
    if (!ok) {
        fprintf(stderr, "FAIL line %d: %s\n", line, what);
        failures++;
    }
}

/* Wait up to ms for the event fd, then read one event. */
static int next_event(struct vstore *h, int ms, char **path, char **token)
{
    struct pollfd p = {.fd = vstore_event_fd(h), .events = POLLIN};
    int rc = vstore_read_event(h, path, token);

    if (rc != -EAGAIN)
        return rc;
    if (poll(&p, 1, ms) <= 0)
        return -ETIMEDOUT;
    return vstore_read_event(h, path, token);
}

static bool event_is(struct vstore *h, const char *path, const char *token)
{
    char *p = NULL, *t = NULL;
    int rc = next_event(h, 2000, &p, &t);
    bool ok = rc == 0 && strcmp(p, path) == 0 && strcmp(t, token) == 0;

    if (!ok)
        fprintf(stderr, "  event: rc %d '%s' '%s', wanted '%s' '%s'\n", rc,
                p ? p : "", t ? t : "", path, token);
    free(p);
    free(t);
    return ok;
}

static void test_nodes(struct vstore *h)
{
    char *v = NULL, **names = NULL;
    unsigned n = 0;
    size_t len = 0;

    CHECK(vstore_write(h, VSTORE_NO_TXN, "/lib/a", "one", 3) == 0);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/lib/a", &v, &len) == 0);
    CHECK(v != NULL && len == 3 && strcmp(v, "one") == 0);
    free(v);
    CHECK(vstore_write(h, VSTORE_NO_TXN, "/lib/bin", "x\0y", 3) == 0);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/lib/bin", &v, &len) == 0);
    CHECK(len == 3 && memcmp(v, "x\0y", 3) == 0);
    free(v);
    CHECK(vstore_mkdir(h, VSTORE_NO_TXN, "/lib/dir/sub") == 0);
    CHECK(vstore_directory(h, VSTORE_NO_TXN, "/lib", &names, &n) == 0);
    CHECK(n == 3 && strcmp(names[0], "a") == 0 &&
          strcmp(names[1], "bin") == 0 && strcmp(names[2], "dir") == 0);
    free(names);
    CHECK(vstore_rm(h, VSTORE_NO_TXN, "/lib/dir") == 0);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/lib/dir/sub", &v, NULL) == -ENOENT);
    CHECK(vstore_rm(h, VSTORE_NO_TXN, "/lib/no/such") == -ENOENT);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/bad//path", &v, NULL) == -EINVAL);
}

static void test_big_directory(struct vstore *h)
{
    char path[64], **names = NULL;
    unsigned n = 0;

    for (int i = 0; i < 500; i++) {
        snprintf(path, sizeof(path), "/lib/big/entry-%04d", i);
        CHECK(vstore_write(h, VSTORE_NO_TXN, path, "", 0) == 0);
    }
    CHECK(vstore_directory(h, VSTORE_NO_TXN, "/lib/big", &names, &n) == 0);
    CHECK(n == 500);
    CHECK(n == 500 && strcmp(names[0], "entry-0000") == 0 &&
          strcmp(names[499], "entry-0499") == 0);
    free(names);
    CHECK(vstore_rm(h, VSTORE_NO_TXN, "/lib/big") == 0);
}

static void test_perms(struct vstore *h)
{
    struct vstore_perm set[2] = {{0, VSTORE_PERM_NONE}, {5, VSTORE_PERM_READ}};
    struct vstore_perm *got = NULL;
    unsigned n = 0;

    CHECK(vstore_set_perms(h, VSTORE_NO_TXN, "/lib/a", set, 2) == 0);
    CHECK(vstore_get_perms(h, VSTORE_NO_TXN, "/lib/a", &got, &n) == 0);
    CHECK(n == 2 && got[0].domid == 0 && got[0].access == VSTORE_PERM_NONE &&
          got[1].domid == 5 && got[1].access == VSTORE_PERM_READ);
    free(got);
    CHECK(vstore_get_perms(h, VSTORE_NO_TXN, "/lib/none", &got, &n) == -ENOENT);
}

/* Two handles, two transactions on one node: one commits, the other
 * must redo (EAGAIN); the redo then succeeds. */
static void test_transactions(struct vstore *h, struct vstore *h2)
{
    uint32_t t1, t2;
    char *v = NULL;

    CHECK(vstore_write(h, VSTORE_NO_TXN, "/lib/count", "0", 1) == 0);
    CHECK(vstore_txn_start(h, &t1) == 0);
    CHECK(vstore_txn_start(h2, &t2) == 0);
    CHECK(vstore_read(h, t1, "/lib/count", &v, NULL) == 0);
    free(v);
    CHECK(vstore_read(h2, t2, "/lib/count", &v, NULL) == 0);
    free(v);
    CHECK(vstore_write(h, t1, "/lib/count", "1", 1) == 0);
    CHECK(vstore_write(h2, t2, "/lib/count", "1", 1) == 0);
    CHECK(vstore_txn_end(h, t1, true) == 0);
    CHECK(vstore_txn_end(h2, t2, true) == -EAGAIN);
    CHECK(vstore_txn_start(h2, &t2) == 0);
    CHECK(vstore_read(h2, t2, "/lib/count", &v, NULL) == 0);
    CHECK(v != NULL && strcmp(v, "1") == 0);
    free(v);
    CHECK(vstore_write(h2, t2, "/lib/count", "2", 1) == 0);
    CHECK(vstore_txn_end(h2, t2, true) == 0);
    CHECK(vstore_txn_start(h, &t1) == 0);
    CHECK(vstore_write(h, t1, "/lib/aborted", "x", 1) == 0);
    CHECK(vstore_txn_end(h, t1, false) == 0);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/lib/aborted", &v, NULL) == -ENOENT);
    CHECK(vstore_txn_end(h, 12345, true) == -ENOENT);
}

/* Events arrive on the event fd, also those that came in while the
 * handle was busy with other requests. */
static void test_watches(struct vstore *h, struct vstore *h2)
{
    char *p = NULL, *t = NULL;

    CHECK(vstore_watch(h, "/lib/w", "tok") == 0);
    CHECK(event_is(h, "/lib/w", "tok"));
    CHECK(vstore_watch(h, "/lib/w", "tok") == -EEXIST);
    CHECK(vstore_write(h2, VSTORE_NO_TXN, "/lib/w/child", "1", 1) == 0);
    CHECK(event_is(h, "/lib/w/child", "tok"));
    /* Queued behind a reply of our own. */
    CHECK(vstore_write(h, VSTORE_NO_TXN, "/lib/w/self", "1", 1) == 0);
    CHECK(event_is(h, "/lib/w/self", "tok"));
    CHECK(vstore_rm(h2, VSTORE_NO_TXN, "/lib/w") == 0);
    CHECK(event_is(h, "/lib/w", "tok"));
    CHECK(vstore_read_event(h, &p, &t) == -EAGAIN);
    CHECK(vstore_unwatch(h, "/lib/w", "tok") == 0);
    CHECK(vstore_unwatch(h, "/lib/w", "tok") == -ENOENT);
    CHECK(vstore_write(h2, VSTORE_NO_TXN, "/lib/w", "2", 1) == 0);
    CHECK(next_event(h, 200, &p, &t) == -ETIMEDOUT);
}

static void test_domains(struct vstore *h, struct vstore *h2)
{
    char *path = NULL;

    CHECK(vstore_watch(h, "@introduceDomain", "intro") == 0);
    CHECK(vstore_watch(h, "@releaseDomain", "rel") == 0);
    CHECK(event_is(h, "@introduceDomain", "intro"));
    CHECK(event_is(h, "@releaseDomain", "rel"));
    CHECK(vstore_is_introduced(h2, 12) == 0);
    CHECK(vstore_introduce(h2, 12, 0x1234, 7) == 0);
    CHECK(event_is(h, "@introduceDomain", "intro"));
    CHECK(vstore_is_introduced(h2, 12) == 1);
    CHECK(vstore_release(h2, 12) == 0);
    CHECK(event_is(h, "@releaseDomain", "rel"));
    CHECK(vstore_release(h2, 12) == -ENOENT);
    CHECK(vstore_get_domain_path(h2, 12, &path) == 0);
    CHECK(path != NULL && strcmp(path, "/local/domain/12") == 0);
    free(path);
}

/* A client that watches and never reads is cut off once its queue passes
 * the output quota; the writer never notices. */
static void test_cutoff(struct vstore *h)
{
    struct vstore *silent = vstore_open(NULL);
    static char token[1024];
    char *v = NULL;
    int rc = 0;

    CHECK(silent != NULL);
    if (silent == NULL)
        return;
    memset(token, 't', sizeof(token) - 1);
    CHECK(vstore_watch(silent, "/lib/flood", token) == 0);
    /* Each event carries the 1 KiB token: 4000 of them pass 1 MiB, plus
     * whatever the socket buffers hold. */
    for (int i = 0; i < 4000 && rc == 0; i++)
        rc = vstore_write(h, VSTORE_NO_TXN, "/lib/flood/x", "v", 1);
    CHECK(rc == 0);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/lib/flood/x", &v, NULL) == 0);
    free(v);
    rc = vstore_read(silent, VSTORE_NO_TXN, "/lib/flood/x", &v, NULL);
    CHECK(rc == -ECONNRESET || rc == -EPIPE);
    vstore_close(silent);
}

/* --wait-reset: block on the event fd until the daemon goes away; the
 * handle must then report the reset, and refuse further requests. */
static int wait_reset(void)
{
    struct vstore *h = vstore_open(NULL);
    struct pollfd p = {.events = POLLIN};
    char *path, *token, *v;
    int rc;

    if (h == NULL)
        return 1;
    p.fd = vstore_event_fd(h);
    printf("ready\n");
    fflush(stdout);
    if (poll(&p, 1, 30000) != 1)
        return 1;
    rc = vstore_read_event(h, &path, &token);
    CHECK(rc == -ECONNRESET);
    CHECK(vstore_read(h, VSTORE_NO_TXN, "/", &v, NULL) == -ECONNRESET);
    vstore_close(h);
    if (failures == 0)
        printf("reset seen\n");
    return failures != 0;
}

int main(int argc, char **argv)
{
    struct vstore *h, *h2;

    if (argc > 1 && strcmp(argv[1], "--wait-reset") == 0)
        return wait_reset();
    h = vstore_open(NULL);
    h2 = vstore_open(NULL);

    if (h == NULL || h2 == NULL) {
        fprintf(stderr, "cannot connect to %s: %s\n", vstore_socket_path(),
                strerror(errno));
        return 1;
    }
    test_nodes(h);
    test_big_directory(h);
    test_perms(h);
    test_transactions(h, h2);
    test_watches(h, h2);
    test_domains(h, h2);
    test_cutoff(h);
    vstore_close(h2);
    vstore_close(h);
    if (failures != 0) {
        fprintf(stderr, "libvstore-selftest: %d checks failed\n", failures);
        return 1;
    }
    printf("libvstore-selftest: all checks passed\n");
    return 0;
}
