/* SPDX-License-Identifier: MIT */
/*
 * The hostile guest's shared case helpers and bad pointers (hostile.c)
 * and its PV-hypercall cases (hostile_pv.c).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdint.h>
#include <xen/xen.h>

/* Any negative result is acceptable for this case. */
#define ANY_NEGATIVE 1

/* Addresses no hypercall may read or write through. */
struct bad_ptr {
    const char *name;
    uint64_t addr;
};

#define HOSTILE_NR_BAD_PTRS 9
extern struct bad_ptr hostile_bad_ptrs[HOSTILE_NR_BAD_PTRS];

/* Record one case: want is a negative errno, or ANY_NEGATIVE. */
void hostile_expect(long rc, long want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Record one case where Veneer documents its own error: xen_want passes;
 * veneer_want passes with a NOTE line unless strict-xen.
 */
void hostile_expect_xen(long rc, long xen_want, long veneer_want,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record a positive control: ok says whether rc was right. */
void hostile_control(int ok, long rc, const char *what);

/*
 * hostile_have: rc is a hypercall's answer to a positive control; -ENOSYS
 * means the hypercall is missing: print a SKIP line and return 0.
 */
int hostile_have(long rc, const char *hypercall);

/* The PV-hypercall cases (hostile_pv.c). */
void hostile_pv_cases(const struct start_info *si);

#endif /* HOSTILE_H */
