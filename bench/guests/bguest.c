/* SPDX-License-Identifier: MIT */
/*
 * Command-line numbers and result lines for the bench guests (bguest.h).
 */
#include <veneer/console.h>
#include <veneer/runtime.h>

#include "bguest.h"

void bguest_cmdline(const struct start_info *si, char *buf, unsigned int len)
{
    unsigned int i;

    for (i = 0; i + 1 < len && i < MAX_GUEST_CMDLINE && si->cmd_line[i]; i++)
        buf[i] = (char)si->cmd_line[i];
    buf[i] = '\0';
}

/* Where "key=" starts a word in cmdline: its value, or NULL. */
static const char *bguest_find(const char *cmdline, const char *key)
{
    unsigned int klen = 0;

    while (key[klen])
        klen++;
    for (const char *p = cmdline; *p; p++) {
        unsigned int i = 0;

        if (p != cmdline && p[-1] != ' ')
            continue;
        while (i < klen && p[i] == key[i])
            i++;
        if (i == klen && p[i] == '=')
            return p + klen + 1;
    }
    return NULL;
}

uint64_t bguest_number(const char *cmdline, const char *key, uint64_t def)
{
    const char *s = bguest_find(cmdline, key);
    uint64_t v = 0;

    if (!s)
        return def;
    while (*s >= '0' && *s <= '9') {
        if (v > BGUEST_NUM_MAX / 10)
            return BGUEST_NUM_MAX;
        v = v * 10 + (uint64_t)(*s++ - '0');
    }
    return v;
}

void bguest_print_hist(const char *head, const struct hist *h)
{
    printf("%s n=%llu p50=%llu p90=%llu p99=%llu max=%llu sum=%llu\n", head,
           (unsigned long long)h->n,
           (unsigned long long)hist_percentile(h, 500),
           (unsigned long long)hist_percentile(h, 900),
           (unsigned long long)hist_percentile(h, 990),
           (unsigned long long)h->max, (unsigned long long)h->sum);
    console_flush();
}
