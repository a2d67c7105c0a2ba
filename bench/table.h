/* SPDX-License-Identifier: MIT */
/*
 * The table `make bench` prints, vnbench's and vnbench2's alike: one
 * aligned row per figure with its median, p90, p99 and mean, the samples
 * behind it, and the peer or limit it is measured against.
 */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

#include <stddef.h>

/* One figure: percentiles and mean of its samples, in its unit. */
struct fig {
    double p50, p90, p99, mean;
    unsigned long n; /* samples behind it; 0: not measured */
};

/* The unit of a figure's values. */
enum unit { UNIT_NS, UNIT_KIB, UNIT_RATE };

/* table_header: the column heads, after a blank line. */
void table_header(void);

/* table_section: a heading line (may hold newlines) before its rows. */
void table_section(const char *title);

/* table_line: one row of cells already formatted (each 10 wide, as
 * table_fmt makes them). */
void table_line(const char *label, const char *p50, const char *p90,
                const char *p99, const char *mean, const char *samples,
                const char *against);

/* table_row: one figure in unit u; a column that does not apply is "-";
 * flushes stdout, so that rows show as they are measured. */
void table_row(const char *label, const struct fig *f, enum unit u,
               const char *samples, const char *against);

/* table_fmt_ns: ns (> 0) in ms, us or ns, 10 characters wide. */
const char *table_fmt_ns(char *buf, size_t len, double ns);

/* table_fmt: v in its unit, 10 characters wide ("0" or "<0" for nothing
 * or less; times of a second or more in s). */
const char *table_fmt(char *buf, size_t len, double v, enum unit u);

/* table_ratio: "4.20x name (+1.30 us)" for v against peer (both > 0),
 * diff being |v - peer| as table_fmt* made it. */
const char *table_ratio(char *buf, size_t len, double v, double peer,
                        const char *name, const char *diff);

/* table_versus: table_ratio in unit u; "name: 0" when only peer is 0,
 * "name: -" when either is missing. */
const char *table_versus(char *buf, size_t len, double v, double peer,
                         const char *name, enum unit u);

#endif /* BENCH_TABLE_H */
