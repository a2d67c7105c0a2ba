/* SPDX-License-Identifier: MIT */
/*
 * gtest: the check-and-report helpers the feature test guests share
 * (mmu, traps, timer, balloon): one line per check on the console, a
 * tally, and the final "<name>: SUCCESS (...)" or "<name>: ABORT ..."
 * line the integration scripts look for.
 *
 * Lines:
 *   <name>: ok <what>                        a positive check passed
 *   <name>: refused <what> -> <rc>           an illegal request was refused
 *                                            with Xen's error
 *   <name>: NOTE <what>: Veneer <rc>, Xen <x> refused with Veneer's
 *                                            documented error, not Xen's
 *                                            (accepted unless strict-xen)
 *   <name>: SKIP <what>                      not checked, and why
 *   <name>: FAIL <what>: ...                 a check failed
 *
 * With "strict-xen" on the command line, NOTE cases fail: the guest then
 * demands Xen's exact answers everywhere.
 */
#ifndef GTEST_H
#define GTEST_H

#include <stdint.h>
#include <xen/xen.h>

/* gtest_refused's veneer_rc when Veneer is meant to answer as Xen does. */
#define GTEST_AS_XEN 1

/*
 * gtest_begin: start a test named name (the line prefix); reads
 * "strict-xen" from the command line. Returns the command line.
 */
const char *gtest_begin(const char *name, const struct start_info *si);

/* gtest_strict: nonzero in strict-xen mode. */
int gtest_strict(void);

/* gtest_arg: nonzero if word is one of the command line's words. */
int gtest_arg(const char *word);

/* gtest_value: the number N of a "key=N" word of the command line
 * (decimal or 0x hex), or def if there is none. */
unsigned long gtest_value(const char *key, unsigned long def);

/* gtest_ok: one positive check. Returns cond. */
int gtest_ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * gtest_refused: one illegal request. Passes if rc == xen_rc; or, outside
 * strict-xen mode, if rc == veneer_rc (a difference from Xen that Veneer
 * documents), which prints a NOTE. veneer_rc GTEST_AS_XEN means none.
 * Returns 1 if it passed.
 */
int gtest_refused(long rc, long xen_rc, long veneer_rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * gtest_xen: a check with three outcomes: as_xen (an ok line); else, if
 * as_veneer and not strict-xen, a NOTE (Veneer's documented difference);
 * else a failure. Returns 1 unless it failed.
 */
int gtest_xen(int as_xen, int as_veneer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* gtest_skip: a check not made, with the reason. */
void gtest_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* gtest_fail: record a failure found some other way. */
void gtest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* gtest_failed: failures so far. */
unsigned int gtest_failed(void);

/*
 * gtest_end: print "<name>: SUCCESS (N ok, M refused, K notes, S
 * skipped)" and return 0, or "<name>: ABORT <first failure> (F failed)"
 * and return 1.
 */
int gtest_end(void);

/*
 * gtest_end_access: end access to grant ref, retrying for up to 20 s
 * while a pin on its way out (a peer's unmap, a copy's, a closed dom0
 * connection's) still holds it. Returns 0, or the last error.
 */
int gtest_end_access(uint32_t ref);

#endif /* GTEST_H */
