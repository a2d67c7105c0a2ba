// SPDX-License-Identifier: MIT
// vstored unit tests: watches (initial event, recursive firing on
// children, removal of ancestors, depth, relative paths, transactions,
// permissions) and the @introduceDomain / @releaseDomain specials.
#include <criterion/criterion.h>

#include "test_vstore.h"

static struct store *st;
static struct conn *c0, *w;

static void setup(void)
{
    st = t_store(NULL);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
    w = t_conn(st, 0);
}

static void teardown(void)
{
    store_destroy(st);
}

TestSuite(watch, .init = setup, .fini = teardown);

static void expect_event(struct conn *c, const char *text)
{
    char ev[2 * PATH_BUF];

    cr_assert(t_event(c, ev), "no event, expected '%s'", text);
    cr_assert_str_eq(ev, text);
}

static void expect_none(struct conn *c)
{
    char ev[2 * PATH_BUF];

    cr_assert_not(t_event(c, ev), "unexpected event '%s'", ev);
}

Test(watch, fires_at_once_then_on_children)
{
    cr_assert_eq(t_watch(w, "/vm", "tok"), 0);
    expect_event(w, "/vm tok");
    expect_none(w);
    cr_assert_eq(t_write(c0, 0, "/vm/1/name", "a"), 0);
    expect_event(w, "/vm/1/name tok");
    cr_assert_eq(t_write(c0, 0, "/vm", "x"), 0);
    expect_event(w, "/vm tok");
    cr_assert_eq(t_write(c0, 0, "/vmx", "x"), 0); /* not a child */
    cr_assert_eq(t_write(c0, 0, "/other", "x"), 0);
    expect_none(w);
}

Test(watch, root_watch_sees_everything)
{
    cr_assert_eq(t_watch(w, "/", "r"), 0);
    expect_event(w, "/ r");
    cr_assert_eq(t_write(c0, 0, "/a/b", "1"), 0);
    expect_event(w, "/a/b r");
    cr_assert_eq(t_set_perms(c0, 0, "/a", "r0"), 0);
    expect_event(w, "/a r");
}

Test(watch, removing_an_ancestor_fires_with_the_watched_path)
{
    cr_assert_eq(t_write(c0, 0, "/dev/vbd/51712/state", "1"), 0);
    cr_assert_eq(t_watch(w, "/dev/vbd/51712/state", "s"), 0);
    cr_assert_eq(t_watch(w, "/dev", "d"), 0);
    expect_event(w, "/dev/vbd/51712/state s");
    expect_event(w, "/dev d");
    cr_assert_eq(t_rm(c0, 0, "/dev/vbd"), 0);
    /* One event per watch: the ancestor's watch sees the removed path,
     * the descendant's its own. */
    cr_assert_eq(t_nevents(w), 2);
    char a[2 * PATH_BUF], b[2 * PATH_BUF];
    cr_assert(t_event(w, a));
    cr_assert(t_event(w, b));
    cr_assert((strcmp(a, "/dev/vbd d") == 0 &&
               strcmp(b, "/dev/vbd/51712/state s") == 0) ||
              (strcmp(b, "/dev/vbd d") == 0 &&
               strcmp(a, "/dev/vbd/51712/state s") == 0));
}

Test(watch, depth_limits_levels)
{
    char buf[64] = "/d\0t\0"
                   "0";

    cr_assert_eq(t_req(w, XS_WATCH, 0, buf, 7, NULL), 0);
    expect_event(w, "/d t");
    cr_assert_eq(t_write(c0, 0, "/d/child", "1"), 0); /* creates /d too */
    expect_none(w);
    cr_assert_eq(t_write(c0, 0, "/d", "1"), 0);
    expect_event(w, "/d t");
}

Test(watch, relative_watch_gets_relative_paths)
{
    cr_assert_eq(t_watch(w, "device", "rel"), 0);
    expect_event(w, "device rel");
    cr_assert_eq(t_write(c0, 0, "/local/domain/0/device/vif/0", "x"), 0);
    expect_event(w, "device/vif/0 rel");
}

Test(watch, transaction_fires_on_commit_only)
{
    uint32_t tx;

    cr_assert_eq(t_watch(w, "/t", "x"), 0);
    expect_event(w, "/t x");
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_write(c0, tx, "/t/a", "1"), 0);
    expect_none(w);
    cr_assert_eq(t_txn_end(c0, tx, true), 0);
    expect_event(w, "/t/a x");
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_write(c0, tx, "/t/b", "1"), 0);
    cr_assert_eq(t_txn_end(c0, tx, false), 0);
    expect_none(w);
}

Test(watch, unwatch_and_duplicates)
{
    cr_assert_eq(t_watch(w, "/u", "1"), 0);
    cr_assert_eq(t_watch(w, "/u", "1"), EEXIST);
    cr_assert_eq(t_watch(w, "/u", "2"), 0); /* another token is fine */
    cr_assert_eq(t_nevents(w), 2);
    expect_event(w, "/u 1");
    expect_event(w, "/u 2");
    cr_assert_eq(t_unwatch(w, "/u", "1"), 0);
    cr_assert_eq(t_unwatch(w, "/u", "1"), ENOENT);
    cr_assert_eq(t_write(c0, 0, "/u", "v"), 0);
    expect_event(w, "/u 2");
    expect_none(w);
}

Test(watch, unreadable_nodes_stay_silent_for_domus)
{
    struct conn *w5 = t_conn(st, 5);

    cr_assert_eq(t_watch(w5, "/s", "t"), 0);
    expect_event(w5, "/s t");
    cr_assert_eq(t_write(c0, 0, "/s/secret", "x"), 0); /* n0 */
    expect_none(w5);
    cr_assert_eq(t_write(c0, 0, "/s/open", "x"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/s/open", "n0,r5"), 0);
    expect_event(w5, "/s/open t");
}

Test(watch, introduce_and_release_domain)
{
    struct treply r;

    cr_assert_eq(t_watch(w, "@introduceDomain", "i"), 0);
    cr_assert_eq(t_watch(w, "@releaseDomain", "r"), 0);
    expect_event(w, "@introduceDomain i");
    expect_event(w, "@releaseDomain r");
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "3,100,1", &r), 0);
    expect_event(w, "@introduceDomain i");
    expect_none(w);
    /* A repeated INTRODUCE re-attaches the ring; it fires nothing. */
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "3,100,1", &r), 0);
    expect_none(w);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "3", &r), 0);
    expect_event(w, "@releaseDomain r");
    expect_none(w);
    /* Writes never fire the specials. */
    cr_assert_eq(t_write(c0, 0, "/x", "1"), 0);
    expect_none(w);
}

Test(watch, release_with_depth_names_the_domain)
{
    struct treply r;
    char buf[64] = "@releaseDomain\0d\0"
                   "1";

    cr_assert_eq(t_req(w, XS_WATCH, 0, buf, 19, NULL), 0);
    cr_assert_eq(t_watch(w, "@releaseDomain/9", "one"), 0);
    expect_event(w, "@releaseDomain d");
    expect_event(w, "@releaseDomain/9 one");
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "9,1,1", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "4,1,1", &r), 0);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "4", &r), 0);
    expect_event(w, "@releaseDomain/4 d");
    expect_none(w);
    cr_assert_eq(t_domid_op(c0, XS_RELEASE, "9", &r), 0);
    cr_assert_eq(t_nevents(w), 2);
}

Test(watch, special_watch_needs_permission_for_domus)
{
    struct conn *w5 = t_conn(st, 5);
    struct treply r;

    cr_assert_eq(t_watch(w5, "@introduceDomain", "i"), 0);
    expect_event(w5, "@introduceDomain i");
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "6,1,1", &r), 0);
    expect_none(w5);
    cr_assert_eq(t_set_perms(c0, 0, "@introduceDomain", "n0,r5"), 0);
    cr_assert_eq(t_domid_op(c0, XS_INTRODUCE, "7,1,1", &r), 0);
    expect_event(w5, "@introduceDomain i");
}

Test(watch, closing_a_connection_drops_its_watches)
{
    cr_assert_eq(t_watch(w, "/z", "1"), 0);
    cr_assert_eq(st->watches.count, 1);
    conn_destroy(w);
    w = NULL;
    cr_assert_eq(st->watches.count, 0);
    cr_assert_eq(t_write(c0, 0, "/z", "1"), 0);
}
