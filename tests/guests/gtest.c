/* SPDX-License-Identifier: MIT */
/*
 * gtest: check-and-report helpers for the feature test guests; see
 * gtest.h.
 */
#include <stdarg.h>
#include <xen/errno.h>
#include <veneer/console.h>
#include <veneer/gnttab.h>
#include <veneer/string.h>
#include <veneer/time.h>

#include "gtest.h"

#define GTEST_WHAT_MAX 120

static struct {
    const char *name;
    const char *cmdline;
    int strict;
    unsigned int ok, refused, notes, skipped, failed;
    char first_failure[GTEST_WHAT_MAX];
} gt = {.name = "gtest", .cmdline = ""};

int gtest_arg(const char *word)
{
    size_t n = strlen(word);

    for (const char *p = gt.cmdline; *p;) {
        while (*p == ' ')
            p++;
        if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

static unsigned long gtest_parse(const char *p)
{
    unsigned long v = 0, base = 10;

    if (p[0] == '0' && p[1] == 'x') {
        base = 16;
        p += 2;
    }
    for (; *p && *p != ' '; p++) {
        unsigned long digit;

        if (*p >= '0' && *p <= '9')
            digit = (unsigned long)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            digit = (unsigned long)(*p - 'a' + 10);
        else
            break;
        v = v * base + digit;
    }
    return v;
}

unsigned long gtest_value(const char *key, unsigned long def)
{
    size_t n = strlen(key);

    for (const char *p = gt.cmdline; *p;) {
        while (*p == ' ')
            p++;
        if (strncmp(p, key, n) == 0 && p[n] == '=')
            return gtest_parse(p + n + 1);
        while (*p && *p != ' ')
            p++;
    }
    return def;
}

const char *gtest_begin(const char *name, const struct start_info *si)
{
    gt.name = name;
    gt.cmdline = (const char *)si->cmd_line;
    gt.strict = gtest_arg("strict-xen");
    if (gt.strict)
        printf("%s: strict-xen: Xen's exact answers required\n", name);
    return gt.cmdline;
}

int gtest_strict(void)
{
    return gt.strict;
}

static void gtest_record_failure(const char *what)
{
    if (gt.failed++ == 0)
        snprintf(gt.first_failure, sizeof(gt.first_failure), "%s", what);
}

int gtest_ok(int cond, const char *fmt, ...)
{
    char what[GTEST_WHAT_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (cond) {
        gt.ok++;
        printf("%s: ok %s\n", gt.name, what);
        return 1;
    }
    printf("%s: FAIL %s\n", gt.name, what);
    gtest_record_failure(what);
    return 0;
}

int gtest_refused(long rc, long xen_rc, long veneer_rc, const char *fmt, ...)
{
    char what[GTEST_WHAT_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (rc == xen_rc) {
        gt.refused++;
        printf("%s: refused %s -> %ld\n", gt.name, what, rc);
        return 1;
    }
    if (veneer_rc != GTEST_AS_XEN && rc == veneer_rc && !gt.strict) {
        gt.notes++;
        printf("%s: NOTE %s: Veneer %ld, Xen %ld\n", gt.name, what, rc, xen_rc);
        return 1;
    }
    printf("%s: FAIL %s: got %ld, Xen gives %ld\n", gt.name, what, rc, xen_rc);
    gtest_record_failure(what);
    return 0;
}

int gtest_xen(int as_xen, int as_veneer, const char *fmt, ...)
{
    char what[GTEST_WHAT_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (as_xen) {
        gt.ok++;
        printf("%s: ok %s\n", gt.name, what);
        return 1;
    }
    if (as_veneer && !gt.strict) {
        gt.notes++;
        printf("%s: NOTE %s: differs from Xen\n", gt.name, what);
        return 1;
    }
    printf("%s: FAIL %s\n", gt.name, what);
    gtest_record_failure(what);
    return 0;
}

void gtest_skip(const char *fmt, ...)
{
    va_list ap;

    gt.skipped++;
    printf("%s: SKIP ", gt.name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

void gtest_fail(const char *fmt, ...)
{
    char what[GTEST_WHAT_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    printf("%s: FAIL %s\n", gt.name, what);
    gtest_record_failure(what);
}

unsigned int gtest_failed(void)
{
    return gt.failed;
}

int gtest_end(void)
{
    if (gt.failed) {
        printf("%s: ABORT %s (%u failed)\n", gt.name, gt.first_failure,
               gt.failed);
        return 1;
    }
    printf("%s: SUCCESS (%u ok, %u refused, %u notes, %u skipped)\n", gt.name,
           gt.ok, gt.refused, gt.notes, gt.skipped);
    return 0;
}

int gtest_end_access(uint32_t ref)
{
    uint64_t end = time_now_ns() + 20000000000ULL;
    int rc;

    while ((rc = gnttab_end_access_ref(ref)) == -XEN_EBUSY &&
           time_now_ns() < end)
        time_sleep_ns(1000000ULL); /* every 1 ms */
    return rc;
}
