/* SPDX-License-Identifier: MIT */
/*
 * Reading the bench guests' result lines (bench/guests/bguest.h):
 * "NAME: key=value ... n=N p50=A p90=B p99=C max=D sum=S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnbench2.h"

/*
 * guest_line - the first line of out that starts with prefix (which
 * should name the line uniquely, e.g. "ptloop: op=map k=64 order=desc ").
 * Return values: the line (up to its '\n'); NULL if there is none.
 */
const char *guest_line(const char *out, const char *prefix)
{
    size_t plen = strlen(prefix);

    for (const char *p = out; p && *p;) {
        if (strncmp(p, prefix, plen) == 0)
            return p;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return NULL;
}

/* guest_value - the number after " key=" in line (before its end). */
unsigned long long guest_value(const char *line, const char *key)
{
    const char *end = strchr(line, '\n');
    size_t klen = strlen(key);

    for (const char *p = line; *p && (!end || p < end); p++) {
        if (*p == ' ' && strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '=')
            return strtoull(p + 2 + klen, NULL, 10);
    }
    return 0;
}

/* guest_hist - a histogram line's numbers. Return values: 0; -1 if the
 * line has none. */
int guest_hist(const char *line, struct ghist *g)
{
    const char *n = line ? strstr(line, " n=") : NULL;

    if (!n || sscanf(n, " n=%llu p50=%llu p90=%llu p99=%llu max=%llu sum=%llu",
                     &g->n, &g->p50, &g->p90, &g->p99, &g->max, &g->sum) != 6)
        return -1;
    return 0;
}
