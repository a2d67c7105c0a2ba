// SPDX-License-Identifier: MIT
// libvstore's node, transaction and domain requests (see vstore.h).
#include <inttypes.h>
#include <stdio.h>

#include "libvstore.h"

int vstore_read(struct vstore *h, uint32_t tx, const char *path, char **value,
                size_t *len)
{
    uint32_t rlen;
    int rc = vs_talk_str(h, XS_READ, tx, path, value, &rlen);

    if (rc == 0 && len != NULL)
        *len = rlen;
    return rc;
}

int vstore_write(struct vstore *h, uint32_t tx, const char *path,
                 const void *value, size_t len)
{
    struct iovec iov[2] = {
        {.iov_base = (void *)path, .iov_len = strlen(path) + 1},
        {.iov_base = (void *)value, .iov_len = len},
    };

    return vs_talk(h, XS_WRITE, tx, iov, 2, NULL, NULL);
}

int vstore_mkdir(struct vstore *h, uint32_t tx, const char *path)
{
    return vs_talk_ok(h, XS_MKDIR, tx, path);
}

int vstore_rm(struct vstore *h, uint32_t tx, const char *path)
{
    return vs_talk_ok(h, XS_RM, tx, path);
}

/* Turn "a\0b\0" (len bytes, malloc'd) into one allocation holding the
 * pointer array followed by the strings. */
static int vs_split(char *buf, uint32_t len, char ***names, unsigned *num)
{
    unsigned n = 0, i = 0;
    char **arr;

    for (uint32_t o = 0; o < len; o++)
        n += buf[o] == '\0';
    arr = malloc(n * sizeof(*arr) + len + 1);
    if (arr == NULL) {
        free(buf);
        return -ENOMEM;
    }
    char *s = (char *)(arr + n);
    memcpy(s, buf, len);
    s[len] = '\0';
    free(buf);
    for (uint32_t o = 0; o < len && i < n; o += (uint32_t)strlen(s + o) + 1)
        arr[i++] = s + o;
    *names = arr;
    *num = n;
    return 0;
}

/* Children lists over one payload come in parts, each led by the node's
 * generation; a change in between restarts the listing. */
#define VS_DIR_PART_TRIES 8

static int vs_directory_part(struct vstore *h, uint32_t tx, const char *path,
                             char **out, uint32_t *outlen)
{
    char gen[32] = "", offs[16], *part = NULL, *acc = NULL;
    uint32_t off = 0, plen, total = 0;
    int rc = -EAGAIN, tries = 0;

    while (tries < VS_DIR_PART_TRIES) {
        struct iovec iov[2] = {
            {.iov_base = (void *)path, .iov_len = strlen(path) + 1},
            {.iov_base = offs, .iov_len = 0},
        };
        size_t glen;
        char *na;

        iov[1].iov_len = (size_t)snprintf(offs, sizeof(offs), "%u", off) + 1;
        rc = vs_talk(h, XS_DIRECTORY_PART, tx, iov, 2, &part, &plen);
        if (rc != 0)
            break;
        glen = strnlen(part, plen) + 1;
        if (glen > plen || glen > sizeof(gen)) {
            rc = -EPROTO;
            break;
        }
        if (off > 0 && strcmp(gen, part) != 0) {
            /* Changed under us: start over. */
            free(part);
            part = NULL;
            off = total = 0;
            tries++;
            rc = -EAGAIN;
            continue;
        }
        memcpy(gen, part, glen);
        na = realloc(acc, total + (plen - glen) + 1);
        rc = -ENOMEM;
        if (na == NULL)
            break;
        acc = na;
        memcpy(acc + total, part + glen, plen - glen);
        total += plen - (uint32_t)glen;
        off += plen - (uint32_t)glen;
        /* An empty name (a second NUL) ends the list. */
        if (plen == glen || (plen - glen >= 2 && part[plen - 2] == '\0')) {
            total--; /* drop the terminator */
            rc = 0;
            break;
        }
        free(part);
        part = NULL;
    }
    free(part);
    if (rc == 0) {
        *out = acc;
        *outlen = total;
        acc = NULL;
    }
    free(acc);
    return rc;
}

int vstore_directory(struct vstore *h, uint32_t tx, const char *path,
                     char ***names, unsigned *num)
{
    char *buf = NULL;
    uint32_t len;
    int rc = vs_talk_str(h, XS_DIRECTORY, tx, path, &buf, &len);

    if (rc == -E2BIG)
        rc = vs_directory_part(h, tx, path, &buf, &len);
    if (rc != 0)
        return rc;
    return vs_split(buf, len, names, num);
}

int vstore_get_perms(struct vstore *h, uint32_t tx, const char *path,
                     struct vstore_perm **perms, unsigned *num)
{
    static const char letters[] = "nrwb";
    char *buf = NULL, **strs = NULL;
    struct vstore_perm *p = NULL;
    uint32_t len;
    unsigned n;
    int rc;

    rc = vs_talk_str(h, XS_GET_PERMS, tx, path, &buf, &len);
    if (rc == 0)
        rc = vs_split(buf, len, &strs, &n);
    if (rc != 0)
        return rc;
    rc = -EPROTO;
    if (n == 0)
        goto out;
    rc = -ENOMEM;
    p = calloc(n, sizeof(*p));
    if (p == NULL)
        goto out;
    rc = -EPROTO;
    for (unsigned i = 0; i < n; i++) {
        const char *l = strs[i][0] ? strchr(letters, strs[i][0]) : NULL;
        char *end;

        if (l == NULL)
            goto out;
        p[i].access = (uint32_t)(l - letters);
        p[i].domid = (uint32_t)strtoul(strs[i] + 1, &end, 10);
        if (end == strs[i] + 1 || *end != '\0')
            goto out;
    }
    *perms = p;
    *num = n;
    p = NULL;
    rc = 0;
out:
    free(p);
    free(strs);
    return rc;
}

int vstore_set_perms(struct vstore *h, uint32_t tx, const char *path,
                     const struct vstore_perm *perms, unsigned num)
{
    static const char letters[] = "nrwb";
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t used = 0;
    struct iovec iov[2] = {
        {.iov_base = (void *)path, .iov_len = strlen(path) + 1},
        {.iov_base = buf, .iov_len = 0},
    };

    if (num == 0)
        return -EINVAL;
    for (unsigned i = 0; i < num; i++) {
        int n = snprintf(buf + used, sizeof(buf) - used, "%c%u",
                         letters[perms[i].access & 3], perms[i].domid);

        if (n < 0 || used + (size_t)n + 1 > sizeof(buf))
            return -E2BIG;
        used += (size_t)n + 1;
    }
    iov[1].iov_len = used;
    return vs_talk(h, XS_SET_PERMS, tx, iov, 2, NULL, NULL);
}

int vstore_txn_start(struct vstore *h, uint32_t *tx)
{
    char *reply, *end;
    unsigned long id;
    int rc = vs_talk_str(h, XS_TRANSACTION_START, 0, "", &reply, NULL);

    if (rc != 0)
        return rc;
    id = strtoul(reply, &end, 10);
    rc = (*reply == '\0' || *end != '\0' || id == 0 || id > UINT32_MAX)
             ? -EPROTO
             : 0;
    free(reply);
    if (rc == 0)
        *tx = (uint32_t)id;
    return rc;
}

int vstore_txn_end(struct vstore *h, uint32_t tx, bool commit)
{
    return vs_talk_ok(h, XS_TRANSACTION_END, tx, commit ? "T" : "F");
}

int vstore_introduce(struct vstore *h, uint32_t domid, uint64_t gfn,
                     uint32_t evtchn)
{
    char buf[64];
    int n = snprintf(buf, sizeof(buf), "%u%c%" PRIu64 "%c%u", domid, 0, gfn, 0,
                     evtchn);
    struct iovec iov = {.iov_base = buf, .iov_len = (size_t)n + 1};

    return vs_talk(h, XS_INTRODUCE, 0, &iov, 1, NULL, NULL);
}

int vstore_release(struct vstore *h, uint32_t domid)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return vs_talk_ok(h, XS_RELEASE, 0, buf);
}

int vstore_is_introduced(struct vstore *h, uint32_t domid)
{
    char buf[16], *reply;
    int rc;

    snprintf(buf, sizeof(buf), "%u", domid);
    rc = vs_talk_str(h, XS_IS_DOMAIN_INTRODUCED, 0, buf, &reply, NULL);
    if (rc != 0)
        return rc;
    rc = strcmp(reply, "T") == 0 ? 1 : strcmp(reply, "F") == 0 ? 0 : -EPROTO;
    free(reply);
    return rc;
}

int vstore_get_domain_path(struct vstore *h, uint32_t domid, char **path)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return vs_talk_str(h, XS_GET_DOMAIN_PATH, 0, buf, path, NULL);
}
