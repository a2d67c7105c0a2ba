// SPDX-License-Identifier: MIT
// Node names: validation, relative-to-absolute canonicalisation and the
// parent/child relations watches and deletion need (XEN-ABI-FACTS §10.1).
#include <stdio.h>

#include "vstored.h"

static bool path_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '_' ||
           ch == '@';
}

/* Xen's rules: allowed characters only, no "//", no trailing '/' except
 * on the root itself. */
static bool path_valid(const char *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!path_char_ok(p[i]))
            return false;
        if (p[i] == '/' && i + 1 < len && p[i + 1] == '/')
            return false;
    }
    return len == 1 || p[len - 1] != '/';
}

/*
 * path_canonical: checks a client's path and makes it absolute. A path
 * not starting with '/' or '@' is relative to /local/domain/<domid>.
 *
 * Parameters:
 *   in      - NUL-terminated path from the request
 *   domid   - the requesting connection's domain
 *   out     - PATH_BUF bytes; receives the canonical path, NUL-terminated
 *   outlen  - receives its length
 *   relskip - receives how many leading bytes to strip to give the path
 *             back in the client's relative form (0 if it was absolute)
 *
 * Return values: 0, or EINVAL for a bad or too long path.
 */
int path_canonical(const char *in, uint32_t domid, char *out, size_t *outlen,
                   size_t *relskip)
{
    size_t len = strlen(in);
    int pre;

    if (in[0] == '/' || in[0] == '@') {
        if (len > VS_ABS_PATH_MAX || !path_valid(in, len))
            return EINVAL;
        memcpy(out, in, len + 1);
        *outlen = len;
        *relskip = 0;
        return 0;
    }
    if (len > VS_REL_PATH_MAX || !path_valid(in, len) || in[0] == '@')
        return EINVAL;
    pre = snprintf(out, PATH_BUF, "/local/domain/%u/", domid);
    if (pre < 0 || (size_t)pre + len >= PATH_BUF)
        return EINVAL;
    memcpy(out + pre, in, len + 1);
    *outlen = (size_t)pre + len;
    *relskip = (size_t)pre;
    return 0;
}

/* path_is_special: "@introduceDomain" and friends, only for watches and
 * permissions. */
bool path_is_special(const char *path)
{
    return path[0] == '@';
}

/* path_parent_len: length of the parent's path ("/" for a top-level node).
 * Not for the root. */
size_t path_parent_len(const char *path, size_t len)
{
    size_t i = len;

    while (i > 0 && path[i - 1] != '/')
        i--;
    /* i is one past the last '/'; the root keeps its slash. */
    return i > 1 ? i - 1 : 1;
}

/* path_basename: the leaf name, a pointer into path. */
const char *path_basename(const char *path, size_t len)
{
    size_t i = len;

    while (i > 0 && path[i - 1] != '/')
        i--;
    return path + i;
}

/*
 * path_is_child: true if child equals parent or lies below it (Xen's
 * definition: "/" is everyone's parent).
 */
bool path_is_child(const char *child, size_t clen, const char *parent,
                   size_t plen)
{
    if (plen == 1 && parent[0] == '/')
        return child[0] == '/';
    if (clen < plen || memcmp(child, parent, plen) != 0)
        return false;
    return clen == plen || child[plen] == '/';
}

/* path_depth_below: how many levels child lies below its ancestor whose
 * path is plen bytes long (0 for the ancestor itself). */
unsigned path_depth_below(const char *child, size_t clen, size_t plen)
{
    /* Below "/" the first level has no separator of its own. */
    unsigned depth = plen == 1 && clen > 1;

    for (size_t i = plen; i < clen; i++)
        depth += child[i] == '/';
    return depth;
}
