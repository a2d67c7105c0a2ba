// SPDX-License-Identifier: MIT
// vstored unit tests: the tree (READ, WRITE, MKDIR, RM, DIRECTORY,
// DIRECTORY_PART, implicit parents, paths) and permissions.
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_vstore.h"

static struct store *st;
static struct conn *c0;

static void setup(void)
{
    st = t_store(NULL);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
}

static void teardown(void)
{
    store_destroy(st);
}

TestSuite(tree, .init = setup, .fini = teardown);

Test(tree, write_then_read)
{
    char v[XENSTORE_PAYLOAD_MAX + 1];

    cr_assert_eq(t_write(c0, 0, "/a", "hello"), 0);
    cr_assert_eq(t_read(c0, 0, "/a", v), 0);
    cr_assert_str_eq(v, "hello");
    cr_assert_eq(t_write(c0, 0, "/a", ""), 0);
    cr_assert_eq(t_read(c0, 0, "/a", v), 0);
    cr_assert_str_eq(v, "");
}

Test(tree, read_missing_is_enoent)
{
    cr_assert_eq(t_read(c0, 0, "/nope", NULL), ENOENT);
}

Test(tree, write_creates_empty_parents_in_order)
{
    char v[XENSTORE_PAYLOAD_MAX + 1];

    cr_assert_eq(t_write(c0, 0, "/x/y/z", "1"), 0);
    cr_assert_eq(t_write(c0, 0, "/x/b", "2"), 0);
    cr_assert_eq(t_write(c0, 0, "/x/a", "3"), 0);
    cr_assert_eq(t_read(c0, 0, "/x/y", v), 0);
    cr_assert_str_eq(v, "");
    cr_assert_eq(t_dir(c0, 0, "/x", v), 0);
    cr_assert_str_eq(v, "y,b,a"); /* creation order, as Xen */
    cr_assert_eq(t_dir(c0, 0, "/", v), 0);
    cr_assert_str_eq(v, "tool,x"); /* /tool/xenstored is there from start */
}

Test(tree, mkdir_keeps_existing_value)
{
    char v[XENSTORE_PAYLOAD_MAX + 1];

    cr_assert_eq(t_write(c0, 0, "/m", "keep"), 0);
    cr_assert_eq(t_mkdir(c0, 0, "/m"), 0);
    cr_assert_eq(t_read(c0, 0, "/m", v), 0);
    cr_assert_str_eq(v, "keep");
    cr_assert_eq(t_mkdir(c0, 0, "/m/n/o"), 0);
    cr_assert_eq(t_dir(c0, 0, "/m/n", v), 0);
    cr_assert_str_eq(v, "o");
}

Test(tree, rm_is_recursive_and_lenient)
{
    char v[XENSTORE_PAYLOAD_MAX + 1];

    cr_assert_eq(t_write(c0, 0, "/r/a/b", "1"), 0);
    cr_assert_eq(t_write(c0, 0, "/r/c", "2"), 0);
    cr_assert_eq(t_rm(c0, 0, "/r/a"), 0);
    cr_assert_eq(t_read(c0, 0, "/r/a/b", NULL), ENOENT);
    cr_assert_eq(t_dir(c0, 0, "/r", v), 0);
    cr_assert_str_eq(v, "c");
    /* Missing node, existing parent: fine. Missing parent: ENOENT. */
    cr_assert_eq(t_rm(c0, 0, "/r/a"), 0);
    cr_assert_eq(t_rm(c0, 0, "/r/a/b"), ENOENT);
    cr_assert_eq(t_rm(c0, 0, "/"), EINVAL);
    cr_assert_eq(t_rm(c0, 0, "/r"), 0);
    cr_assert_eq(t_dir(c0, 0, "/", v), 0);
    cr_assert_str_eq(v, "tool");
    /* "/", /tool, /tool/xenstored and the two specials */
    cr_assert_eq(st->nodes.count, 5);
}

Test(tree, relative_paths_are_under_the_domain_home)
{
    char v[XENSTORE_PAYLOAD_MAX + 1];

    cr_assert_eq(t_write(c0, 0, "rel/key", "v"), 0);
    cr_assert_eq(t_read(c0, 0, "/local/domain/0/rel/key", v), 0);
    cr_assert_str_eq(v, "v");
}

Test(tree, bad_paths_are_einval)
{
    char longp[VS_ABS_PATH_MAX + 8];

    cr_assert_eq(t_write(c0, 0, "/a//b", "v"), EINVAL);
    cr_assert_eq(t_write(c0, 0, "/a/", "v"), EINVAL);
    cr_assert_eq(t_write(c0, 0, "/a b", "v"), EINVAL);
    cr_assert_eq(t_write(c0, 0, "/a.b", "v"), EINVAL);
    cr_assert_eq(t_read(c0, 0, "", NULL), EINVAL);
    cr_assert_eq(t_read(c0, 0, "@introduceDomain", NULL), EINVAL);
    memset(longp, 'a', sizeof(longp));
    longp[0] = '/';
    longp[VS_ABS_PATH_MAX + 1] = '\0';
    cr_assert_eq(t_write(c0, 0, longp, "v"), EINVAL);
    longp[VS_ABS_PATH_MAX] = '\0';
    cr_assert_eq(t_write(c0, 0, longp, "v"), 0);
}

Test(tree, binary_values_round_trip)
{
    static const char val[] = "a\0b\xff";
    char buf[64] = "/bin";
    struct treply r;

    memcpy(buf + 5, val, sizeof(val) - 1);
    cr_assert_eq(t_req(c0, XS_WRITE, 0, buf, 5 + sizeof(val) - 1, NULL), 0);
    cr_assert_eq(t_req(c0, XS_READ, 0, "/bin", 5, &r), 0);
    cr_assert_eq(r.len, sizeof(val) - 1);
    cr_assert_eq(memcmp(r.data, val, r.len), 0);
}

Test(tree, directory_part_covers_long_lists)
{
    char path[64], *list;
    struct treply r;
    uint32_t off = 0;
    size_t got = 0;
    unsigned n = 0;
    char req[128];

    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "/big/child-number-%04d", i);
        cr_assert_eq(t_mkdir(c0, 0, path), 0);
    }
    cr_assert_eq(t_dir(c0, 0, "/big", NULL), E2BIG);
    list = calloc(1, 65536);
    for (;;) {
        int l = snprintf(req, sizeof(req), "/big%c%u", 0, off);

        cr_assert_eq(t_req(c0, XS_DIRECTORY_PART, 0, req, (size_t)l + 1, &r),
                     0);
        size_t glen = strlen(r.data) + 1;
        size_t part = r.len - glen;

        cr_assert(r.len <= XENSTORE_PAYLOAD_MAX);
        memcpy(list + got, r.data + glen, part);
        got += part;
        off += (uint32_t)part;
        if (part > 0 && r.data[r.len - 1] == '\0' && r.data[r.len - 2] == '\0')
            break;
        cr_assert(part > 0);
    }
    for (size_t i = 0; i < got; i++)
        n += list[i] == '\0' && i > 0 && list[i - 1] != '\0';
    cr_assert_eq(n, 400);
    cr_assert_str_eq(list, "child-number-0000");
    free(list);
}

Test(tree, root_and_new_nodes_default_to_dom0_only)
{
    char p[256];
    struct conn *c5 = t_conn(st, 5);

    cr_assert_eq(t_get_perms(c0, 0, "/", p), 0);
    cr_assert_str_eq(p, "n0");
    cr_assert_eq(t_get_perms(c0, 0, "/tool/xenstored", p), 0);
    cr_assert_str_eq(p, "n0");
    cr_assert_eq(t_write(c0, 0, "/d/x", "v"), 0);
    cr_assert_eq(t_get_perms(c0, 0, "/d/x", p), 0);
    cr_assert_str_eq(p, "n0");
    cr_assert_eq(t_read(c5, 0, "/d/x", NULL), EACCES);
    cr_assert_eq(t_write(c5, 0, "/d/x", "w"), EACCES);
    cr_assert_eq(t_write(c5, 0, "/d/new", "w"), EACCES);
    cr_assert_eq(t_dir(c5, 0, "/d", NULL), EACCES);
}

Test(tree, permission_letters)
{
    struct conn *c5 = t_conn(st, 5), *c6 = t_conn(st, 6), *c7 = t_conn(st, 7);
    char v[64];

    cr_assert_eq(t_write(c0, 0, "/p", "v"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/p", "n0,r5,w6"), 0);
    cr_assert_eq(t_read(c5, 0, "/p", v), 0);
    cr_assert_eq(t_write(c5, 0, "/p", "x"), EACCES);
    cr_assert_eq(t_read(c6, 0, "/p", NULL), EACCES);
    cr_assert_eq(t_write(c6, 0, "/p", "x"), 0);
    cr_assert_eq(t_read(c7, 0, "/p", NULL), EACCES); /* default: n */
    cr_assert_eq(t_set_perms(c0, 0, "/p", "r0"), 0);
    cr_assert_eq(t_read(c7, 0, "/p", v), 0); /* default: r */
    cr_assert_str_eq(v, "x");
}

Test(tree, domu_owns_what_it_creates)
{
    struct conn *c5 = t_conn(st, 5);
    char p[64];

    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/5"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/5", "n5"), 0);
    cr_assert_eq(t_write(c5, 0, "data/key", "v"), 0);
    cr_assert_eq(t_get_perms(c5, 0, "/local/domain/5/data/key", p), 0);
    cr_assert_str_eq(p, "n5");
    cr_assert_eq(domain_nodes(st, 5), 3);
    /* Owner may change access but not the owner; others may do neither. */
    cr_assert_eq(t_set_perms(c5, 0, "data/key", "n5,r6"), 0);
    cr_assert_eq(t_set_perms(c5, 0, "data/key", "n6"), EPERM);
    struct conn *c6 = t_conn(st, 6);
    cr_assert_eq(t_set_perms(c6, 0, "/local/domain/5/data/key", "n6"), EACCES);
    /* dom0 may give it away; the count follows. */
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/5/data/key", "n6"), 0);
    cr_assert_eq(domain_nodes(st, 5), 2);
    cr_assert_eq(domain_nodes(st, 6), 1);
}

Test(tree, set_perms_rejects_bad_lists)
{
    cr_assert_eq(t_write(c0, 0, "/q", "v"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/q", "x0"), EINVAL);
    cr_assert_eq(t_set_perms(c0, 0, "/q", "r"), EINVAL);
    cr_assert_eq(t_set_perms(c0, 0, "/q", "r5a"), EINVAL);
    cr_assert_eq(t_set_perms(c0, 0, "/q", "r99999"), EINVAL);
    cr_assert_eq(t_set_perms(c0, 0, "/missing", "r0"), ENOENT);
}

Test(tree, domain_requests)
{
    struct treply r;
    struct conn *c5 = t_conn(st, 5);

    cr_assert_eq(t_domid_op(c0, XS_GET_DOMAIN_PATH, "7", &r), 0);
    cr_assert_str_eq(r.data, "/local/domain/7");
    cr_assert_eq(t_domid_op(c0, XS_IS_DOMAIN_INTRODUCED, "7", &r), 0);
    cr_assert_str_eq(r.data, "F");
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "7,1234,3", &r), 0);
    /* Again: xenstored re-attaches the ring (a new event channel). */
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "7,1234,4", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_IS_DOMAIN_INTRODUCED, "7", &r), 0);
    cr_assert_str_eq(r.data, "T");
    cr_assert_eq(t_domid_op(c5, XS_INTRODUCE, "8,1,1", &r), EACCES);
    cr_assert_eq(t_domid_op(c5, XS_RELEASE, "7", &r), EACCES);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "7", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "7", &r), ENOENT);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "0,1,1", &r), EINVAL);
    cr_assert_eq(t_domid_op(c0, XS_GET_DOMAIN_PATH, "x", &r), EINVAL);
}

/* Released: the domain's nodes go (with watches firing as for RM), and
 * no permission entry names it any more, so a new domain reusing the id
 * inherits nothing. */
Test(tree, release_removes_what_the_domain_owned)
{
    struct conn *w = t_conn(st, 0);
    char p[64], ev[2 * PATH_BUF];
    struct treply r;

    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/7/device"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/7", "n7"), 0);
    cr_assert_eq(t_write(c0, 0, "/local/domain/7/name", "vm"), 0);
    cr_assert_eq(t_write(c0, 0, "/shared", "v"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/shared", "n0,r7,b8"), 0);
    cr_assert_eq(domain_nodes(st, 7), 2);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "7,1,1", &r), 0);
    cr_assert_eq(t_watch(w, "/local/domain", "w"), 0);
    cr_assert(t_event(w, ev));
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "7", &r), 0);
    cr_assert_eq(t_read(c0, 0, "/local/domain/7", NULL), ENOENT);
    cr_assert_eq(domain_nodes(st, 7), 0);
    cr_assert(t_event(w, ev));
    cr_assert_str_eq(ev, "/local/domain/7 w");
    cr_assert_eq(t_get_perms(c0, 0, "/shared", p), 0);
    cr_assert_str_eq(p, "n0,b8");
}

Test(tree, release_with_keep_orphans_gives_nodes_to_dom0)
{
    struct treply r;
    char p[64];

    st->keep_orphans = true;
    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/7/device"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/7/device", "r7"), 0);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "7,1,1", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "7", &r), 0);
    cr_assert_eq(t_get_perms(c0, 0, "/local/domain/7/device", p), 0);
    cr_assert_str_eq(p, "r0");
    cr_assert_eq(domain_nodes(st, 7), 0);
}

/* SET_TARGET: a stub domain (6) acting for its guest (5) gets the
 * guest's access, and nobody else does; releasing it ends that. */
Test(tree, set_target_lends_the_targets_access)
{
    struct conn *c6 = t_conn(st, 6), *c7 = t_conn(st, 7);
    struct treply r;
    char v[64];

    cr_assert_eq(t_write(c0, 0, "/guest/own", "g"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/guest/own", "n5"), 0);
    cr_assert_eq(t_write(c0, 0, "/guest/shared", "s"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/guest/shared", "n0,r5"), 0);
    cr_assert_eq(t_domid_op(c0, XS_SET_TARGET, "6,5", &r), ENOENT);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "5,1,1", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "6,2,2", &r), 0);
    cr_assert_eq(t_domid_op(c7, XS_SET_TARGET, "6,5", &r), EACCES);
    cr_assert_eq(t_domid_op(c0, XS_SET_TARGET, "6,6", &r), EINVAL);
    cr_assert_eq(t_read(c6, 0, "/guest/own", NULL), EACCES);
    cr_assert_eq(t_domid_op(c0, XS_SET_TARGET, "6,5", &r), 0);
    cr_assert_eq(t_read(c6, 0, "/guest/own", v), 0);
    cr_assert_eq(t_write(c6, 0, "/guest/own", "by stubdom"), 0);
    cr_assert_eq(t_set_perms(c6, 0, "/guest/own", "n5,r7"), 0);
    cr_assert_eq(t_set_perms(c6, 0, "/guest/own", "n6"), EPERM);
    cr_assert_eq(t_read(c6, 0, "/guest/shared", v), 0);
    cr_assert_eq(t_write(c6, 0, "/guest/shared", "x"), EACCES);
    cr_assert_eq(t_read(c7, 0, "/guest/own", v), 0); /* given r7 above */
    cr_assert_eq(t_read(c7, 0, "/guest/shared", NULL), EACCES);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "6", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "6,2,2", &r), 0);
    cr_assert_eq(t_read(c6, 0, "/guest/shared", NULL), EACCES);
}
