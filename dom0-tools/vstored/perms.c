// SPDX-License-Identifier: MIT
// Permission lists (XEN-ABI-FACTS §10.3): parsing "b0\0r5\0...", printing
// them back, and deciding whether a domain may read or write a node.
#include <stdio.h>

#include "vstored.h"

static int perm_letter(char ch, uint32_t *access)
{
    switch (ch) {
    case 'n':
        *access = PERM_NONE;
        return 0;
    case 'r':
        *access = PERM_READ;
        return 0;
    case 'w':
        *access = PERM_WRITE;
        return 0;
    case 'b':
        *access = PERM_BOTH;
        return 0;
    default:
        return EINVAL;
    }
}

static int perm_parse_one(const char *s, struct perm *p)
{
    uint32_t domid = 0;

    if (perm_letter(s[0], &p->access) != 0 || s[1] == '\0')
        return EINVAL;
    for (s++; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return EINVAL;
        domid = domid * 10 + (uint32_t)(*s - '0');
        if (domid > 0xFFFF)
            return EINVAL;
    }
    p->domid = domid;
    return 0;
}

/*
 * perms_parse: a list of NUL-terminated permission strings.
 *
 * Parameters:
 *   data, len - the strings; the last must be NUL-terminated
 *   out, nout - receive a malloc'd array and its length (at least 1)
 *
 * Return values: 0; EINVAL for an empty list, an unknown letter or a
 * domid that is not a decimal number up to 65535; ENOMEM.
 */
int perms_parse(const char *data, size_t len, struct perm **out, uint32_t *nout)
{
    unsigned n = msg_count_strings(data, len);
    struct perm *p = NULL;
    const char *s = data;
    int rc = EINVAL;

    if (n == 0 || data[len - 1] != '\0')
        goto out;
    p = malloc(n * sizeof(*p));
    rc = ENOMEM;
    if (p == NULL)
        goto out;
    for (unsigned i = 0; i < n; i++) {
        rc = perm_parse_one(s, &p[i]);
        if (rc != 0)
            goto out;
        s += strlen(s) + 1;
    }
    *out = p;
    *nout = n;
    p = NULL;
    rc = 0;
out:
    free(p);
    return rc;
}

/*
 * perms_format: prints the list as the wire wants it, each entry followed
 * by a NUL.
 *
 * Return values: bytes written, or 0 if size is too small.
 */
size_t perms_format(const struct perm *p, uint32_t n, char *out, size_t size)
{
    static const char letter[] = "nrwb";
    size_t used = 0;

    for (uint32_t i = 0; i < n; i++) {
        int w = snprintf(out + used, size - used, "%c%u",
                         letter[p[i].access & PERM_BOTH], p[i].domid);

        if (w < 0 || used + (size_t)w + 1 > size)
            return 0;
        used += (size_t)w + 1; /* keep snprintf's NUL */
    }
    return used;
}

/*
 * perms_allow: may domid (acting also for target, or VS_NO_TARGET) have
 * the access in want? Dom0 and the owner may do anything; a domain
 * targeting the owner too (SET_TARGET). Otherwise the domain's own entry,
 * or its target's, decides; without one, the owner entry's letter (the
 * default for everyone else).
 */
bool perms_allow(const struct perm *p, uint32_t n, uint32_t domid,
                 uint32_t target, unsigned want)
{
    if (domid == 0 || p[0].domid == domid || p[0].domid == target)
        return true;
    for (uint32_t i = 1; i < n; i++) {
        if (p[i].domid == domid || p[i].domid == target)
            return (p[i].access & want) == want;
    }
    return (p[0].access & want) == want;
}
