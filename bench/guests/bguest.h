/* SPDX-License-Identifier: MIT */
/*
 * What the core II bench guests (ptloop, uplat, idle_block) share: reading
 * numbers from the command line, and printing a histogram as one result
 * line that the host driver parses (bench/child.c, bench/result.c).
 * Freestanding.
 *
 * A result line is "NAME: key=value ..." followed by the histogram as
 * "n=N p50=A p90=B p99=C max=D sum=S": the samples, three percentiles,
 * the largest sample and their total, all in the histogram's unit (TSC
 * ticks or pvclock ns, as the line says).
 */
#ifndef BENCH_BGUEST_H
#define BENCH_BGUEST_H

#include <stdint.h>
#include <xen/xen.h>

#include "hist.h"

/* [POLICY] Larger command-line numbers saturate rather than wrap. */
#define BGUEST_NUM_MAX (1ull << 60)

/*
 * bguest_cmdline: copy start_info.cmd_line into buf (NUL-terminated).
 * Parameters: si - start_info; buf, len - where to put it.
 */
void bguest_cmdline(const struct start_info *si, char *buf, unsigned int len);

/*
 * bguest_number: the decimal value of "key=" in cmdline.
 * Return values: the number (saturating at BGUEST_NUM_MAX); def if the
 * key is absent.
 */
uint64_t bguest_number(const char *cmdline, const char *key, uint64_t def);

/*
 * bguest_print_hist: print "<head> n=.. p50=.. p90=.. p99=.. max=..
 * sum=..\n" and flush the console. head is printed as is.
 */
void bguest_print_hist(const char *head, const struct hist *h);

#endif /* BENCH_BGUEST_H */
