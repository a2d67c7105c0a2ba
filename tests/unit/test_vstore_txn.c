// SPDX-License-Identifier: MIT
// vstored unit tests: transactions (isolation, commit, abort, conflicts
// answered with EAGAIN, non-overlapping transactions both committing).
#include <criterion/criterion.h>

#include "test_vstore.h"

static struct store *st;
static struct conn *c0, *c1;

static void setup(void)
{
    st = t_store(NULL);
    cr_assert_not_null(st);
    c0 = t_conn(st, 0);
    c1 = t_conn(st, 0);
}

static void teardown(void)
{
    store_destroy(st);
}

TestSuite(txn, .init = setup, .fini = teardown);

Test(txn, writes_are_private_until_commit)
{
    char v[64];
    uint32_t tx;

    cr_assert_eq(t_write(c0, 0, "/k", "old"), 0);
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_neq(tx, 0);
    cr_assert_eq(t_write(c0, tx, "/k", "new"), 0);
    cr_assert_eq(t_write(c0, tx, "/n/m", "made"), 0);
    cr_assert_eq(t_read(c0, tx, "/k", v), 0);
    cr_assert_str_eq(v, "new");
    cr_assert_eq(t_read(c1, 0, "/k", v), 0);
    cr_assert_str_eq(v, "old");
    cr_assert_eq(t_read(c1, 0, "/n", NULL), ENOENT);
    cr_assert_eq(t_txn_end(c0, tx, true), 0);
    cr_assert_eq(t_read(c1, 0, "/k", v), 0);
    cr_assert_str_eq(v, "new");
    cr_assert_eq(t_read(c1, 0, "/n/m", v), 0);
    cr_assert_str_eq(v, "made");
    cr_assert_eq(t_dir(c1, 0, "/", v), 0);
    cr_assert_str_eq(v, "tool,k,n");
}

Test(txn, abort_discards)
{
    uint32_t tx;

    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_write(c0, tx, "/gone", "v"), 0);
    cr_assert_eq(t_txn_end(c0, tx, false), 0);
    cr_assert_eq(t_read(c0, 0, "/gone", NULL), ENOENT);
    cr_assert_eq(t_txn_end(c0, tx, true), ENOENT); /* id is closed */
}

Test(txn, conflicting_pair_gets_eagain)
{
    uint32_t t0, t1;
    char v[64];

    cr_assert_eq(t_write(c0, 0, "/counter", "0"), 0);
    cr_assert_eq(t_txn_start(c0, &t0), 0);
    cr_assert_eq(t_txn_start(c1, &t1), 0);
    cr_assert_eq(t_read(c0, t0, "/counter", v), 0);
    cr_assert_eq(t_read(c1, t1, "/counter", v), 0);
    cr_assert_eq(t_write(c0, t0, "/counter", "1"), 0);
    cr_assert_eq(t_write(c1, t1, "/counter", "1"), 0);
    cr_assert_eq(t_txn_end(c0, t0, true), 0);
    cr_assert_eq(t_txn_end(c1, t1, true), EAGAIN);
    cr_assert_eq(t_read(c0, 0, "/counter", v), 0);
    cr_assert_str_eq(v, "1");
}

Test(txn, disjoint_pair_both_commit)
{
    uint32_t t0, t1;
    char v[64];

    cr_assert_eq(t_write(c0, 0, "/a", "0"), 0);
    cr_assert_eq(t_write(c0, 0, "/b", "0"), 0);
    cr_assert_eq(t_txn_start(c0, &t0), 0);
    cr_assert_eq(t_txn_start(c1, &t1), 0);
    cr_assert_eq(t_write(c0, t0, "/a", "1"), 0);
    cr_assert_eq(t_write(c1, t1, "/b", "1"), 0);
    cr_assert_eq(t_txn_end(c1, t1, true), 0);
    cr_assert_eq(t_txn_end(c0, t0, true), 0);
    cr_assert_eq(t_read(c0, 0, "/a", v), 0);
    cr_assert_str_eq(v, "1");
    cr_assert_eq(t_read(c0, 0, "/b", v), 0);
    cr_assert_str_eq(v, "1");
}

Test(txn, direct_write_to_read_node_conflicts)
{
    uint32_t tx;

    cr_assert_eq(t_write(c0, 0, "/x", "0"), 0);
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_read(c0, tx, "/x", NULL), 0);
    cr_assert_eq(t_write(c0, tx, "/y", "1"), 0);
    cr_assert_eq(t_write(c1, 0, "/x", "changed"), 0);
    cr_assert_eq(t_txn_end(c0, tx, true), EAGAIN);
    cr_assert_eq(t_read(c0, 0, "/y", NULL), ENOENT);
}

Test(txn, creation_after_absent_read_conflicts)
{
    uint32_t tx;

    cr_assert_eq(t_mkdir(c0, 0, "/dir"), 0);
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_read(c0, tx, "/dir/flag", NULL), ENOENT);
    cr_assert_eq(t_write(c1, 0, "/dir/flag", "1"), 0);
    cr_assert_eq(t_txn_end(c0, tx, true), EAGAIN);
}

Test(txn, rm_inside_transaction)
{
    uint32_t tx;
    char v[64];

    cr_assert_eq(t_write(c0, 0, "/t/a/b", "1"), 0);
    cr_assert_eq(t_write(c0, 0, "/t/c", "2"), 0);
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_rm(c0, tx, "/t/a"), 0);
    cr_assert_eq(t_read(c0, tx, "/t/a/b", NULL), ENOENT);
    cr_assert_eq(t_read(c1, 0, "/t/a/b", v), 0);
    cr_assert_eq(t_dir(c0, tx, "/t", v), 0);
    cr_assert_str_eq(v, "c");
    cr_assert_eq(t_txn_end(c0, tx, true), 0);
    cr_assert_eq(t_read(c1, 0, "/t/a/b", NULL), ENOENT);
    cr_assert_eq(t_read(c1, 0, "/t/a", NULL), ENOENT);
    cr_assert_eq(t_dir(c1, 0, "/t", v), 0);
    cr_assert_str_eq(v, "c");
}

Test(txn, protocol_errors)
{
    uint32_t tx;
    struct treply r;

    cr_assert_eq(t_read(c0, 77, "/", NULL), ENOENT); /* unknown tx id */
    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_req(c0, XS_TRANSACTION_START, tx, "", 1, &r), EBUSY);
    cr_assert_eq(t_req(c0, XS_TRANSACTION_END, tx, "X", 2, &r), EINVAL);
    cr_assert_eq(t_req(c0, XS_TRANSACTION_END, 0, "T", 2, &r), ENOENT);
    /* Another connection cannot use our id. */
    cr_assert_eq(t_read(c1, tx, "/", NULL), ENOENT);
    cr_assert_eq(t_txn_end(c0, tx, true), 0);
}

Test(txn, reset_watches_drops_transactions)
{
    uint32_t tx;

    cr_assert_eq(t_txn_start(c0, &tx), 0);
    cr_assert_eq(t_req(c0, XS_RESET_WATCHES, 0, "", 1, NULL), 0);
    cr_assert_eq(t_txn_end(c0, tx, true), ENOENT);
    cr_assert_eq(c0->ntxns, 0);
}

Test(txn, node_counts_follow_commit)
{
    struct conn *c5 = t_conn(st, 5);
    uint32_t tx;

    cr_assert_eq(t_mkdir(c0, 0, "/local/domain/5"), 0);
    cr_assert_eq(t_set_perms(c0, 0, "/local/domain/5", "n5"), 0);
    cr_assert_eq(domain_nodes(st, 5), 1);
    cr_assert_eq(t_txn_start(c5, &tx), 0);
    cr_assert_eq(t_write(c5, tx, "a", "1"), 0);
    cr_assert_eq(t_write(c5, tx, "b", "1"), 0);
    cr_assert_eq(domain_nodes(st, 5), 1);
    cr_assert_eq(t_txn_end(c5, tx, true), 0);
    cr_assert_eq(domain_nodes(st, 5), 3);
    cr_assert_eq(t_txn_start(c5, &tx), 0);
    cr_assert_eq(t_rm(c5, tx, "a"), 0);
    cr_assert_eq(t_txn_end(c5, tx, true), 0);
    cr_assert_eq(domain_nodes(st, 5), 2);
}
