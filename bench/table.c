/* SPDX-License-Identifier: MIT */
/*
 * vnbench2's table, in the format of vnbench's (report.c): one aligned
 * row per figure, median, p90, p99 and mean, the samples behind it, and
 * the peer or limit it is measured against.
 */
#include <stdio.h>
#include <string.h>

#include "vnbench2.h"

#define COL_LABEL 44

/* table_fmt - v in its unit, 10 characters wide ("-" for nothing). */
const char *table_fmt(char *buf, size_t len, double v, enum unit u)
{
    if (u == UNIT_KIB)
        snprintf(buf, len, "%7.0f KiB", v);
    else if (u == UNIT_RATE)
        snprintf(buf, len, "%8.1f/s", v);
    else if (v <= 0)
        snprintf(buf, len, "%s", v < 0 ? "<0" : "0");
    else if (v >= 1e9)
        snprintf(buf, len, "%7.2f  s", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, len, "%7.2f ms", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, len, "%7.2f us", v / 1e3);
    else
        snprintf(buf, len, "%7.1f ns", v);
    return buf;
}

void table_header(void)
{
    printf("\n  %-*s %10s %10s %10s %10s %11s  %s\n", COL_LABEL, "figure",
           "median", "p90", "p99", "mean", "samples", "measured against");
}

/* table_section - a heading line (may hold newlines) before its rows. */
void table_section(const char *title)
{
    printf("%s\n", title);
}

/* table_row - one figure; a column that does not apply is "-". */
void table_row(const char *label, const struct fig *f, enum unit u,
               const char *samples, const char *against)
{
    char a[24] = "-", b[24] = "-", c[24] = "-", d[24] = "-";

    if (f->n) {
        table_fmt(a, sizeof(a), f->p50, u);
        if (f->n > 1) {
            table_fmt(b, sizeof(b), f->p90, u);
            table_fmt(c, sizeof(c), f->p99, u);
        }
        table_fmt(d, sizeof(d), f->mean, u);
    }
    printf("  %-*s %10s %10s %10s %10s %11s  %s\n", COL_LABEL, label, a, b, c,
           d, f->n ? samples : "-", against);
    fflush(stdout);
}

/* table_versus - "4.20x name (+1.30 us)": how v compares with its peer. */
const char *table_versus(char *buf, size_t len, double v, double peer,
                         const char *name, enum unit u)
{
    char d[24];

    if (peer == 0 && v > 0) {
        snprintf(buf, len, "%s: 0", name);
        return buf;
    }
    if (peer <= 0 || v <= 0) {
        snprintf(buf, len, "%s: -", name);
        return buf;
    }
    table_fmt(d, sizeof(d), v > peer ? v - peer : peer - v, u);
    snprintf(buf, len, "%.2fx %s (%s%s)", v / peer, name, v >= peer ? "+" : "-",
             d + strspn(d, " "));
    return buf;
}
