/* SPDX-License-Identifier: MIT */
/*
 * The table `make bench` prints (vnbench's report.c and every vnbench2
 * part); see table.h.
 */
#include <stdio.h>
#include <string.h>

#include "table.h"

#define COL_LABEL 44

void table_header(void)
{
    printf("\n  %-*s %10s %10s %10s %10s %11s  %s\n", COL_LABEL, "figure",
           "median", "p90", "p99", "mean", "samples", "measured against");
}

void table_section(const char *title)
{
    printf("%s\n", title);
}

void table_line(const char *label, const char *p50, const char *p90,
                const char *p99, const char *mean, const char *samples,
                const char *against)
{
    printf("  %-*s %10s %10s %10s %10s %11s  %s\n", COL_LABEL, label, p50, p90,
           p99, mean, samples, against);
}

const char *table_fmt_ns(char *buf, size_t len, double ns)
{
    if (ns >= 1e6)
        snprintf(buf, len, "%7.2f ms", ns / 1e6);
    else if (ns >= 1e3)
        snprintf(buf, len, "%7.2f us", ns / 1e3);
    else
        snprintf(buf, len, "%7.1f ns", ns);
    return buf;
}

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
    else
        table_fmt_ns(buf, len, v);
    return buf;
}

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
    table_line(label, a, b, c, d, f->n ? samples : "-", against);
    fflush(stdout);
}

const char *table_ratio(char *buf, size_t len, double v, double peer,
                        const char *name, const char *diff)
{
    snprintf(buf, len, "%.2fx %s (%s%s)", v / peer, name, v >= peer ? "+" : "-",
             diff + strspn(diff, " "));
    return buf;
}

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
    return table_ratio(buf, len, v, peer, name, d);
}
