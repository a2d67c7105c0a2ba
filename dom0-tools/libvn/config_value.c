// SPDX-License-Identifier: MIT
// Config values: each checker turns one YAML node into a typed value or
// reports, at the node, what was expected and what was found.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* "a, b or c" */
static void join_words(const char *const *w, char *buf, size_t len)
{
    size_t n = 0, used = 0;

    while (w[n] != NULL)
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int k = snprintf(buf + used, len - used, "%s%s", sep, w[i]);

        if (k < 0)
            break;
        used += (size_t)k;
    }
}

int cfg_get_string(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, char **out)
{
    char what[64];
    char *s;

    if (v->kind != CFG_SCALAR || cfg_is_null(v)) {
        cfg_error_at(d, v, "'%s' must be a string, found %s", key,
                     cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    s = strdup(v->text);
    if (s == NULL) {
        d->oom = true;
        return -1;
    }
    free(*out);
    *out = s;
    return 0;
}

/* Decimal digits only: no sign, no 0x, no YAML 1.1 underscores. */
static bool parse_decimal(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;

    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

int cfg_get_uint(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 unsigned min, unsigned max, uint32_t *out)
{
    char what[64];
    uint64_t n;

    if (v->kind != CFG_SCALAR || !v->plain ||
        !parse_decimal(v->text, strlen(v->text), &n) || n < min || n > max) {
        cfg_error_at(d, v,
                     "'%s' must be a whole number from %u to %u, found %s", key,
                     min, max, cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    *out = (uint32_t)n;
    return 0;
}

/* A size: digits, then nothing or M/MiB (MiB) or G/GiB (GiB). */
static bool parse_size_mib(const char *s, uint64_t *mib)
{
    static const struct {
        const char *suffix;
        unsigned shift;
    } units[] = {{"", 0},   {"M", 0},    {"MiB", 0}, {"m", 0},
                 {"G", 10}, {"GiB", 10}, {"g", 10}};
    size_t digits = strspn(s, "0123456789");
    uint64_t n;

    if (!parse_decimal(s, digits, &n))
        return false;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(s + digits, units[i].suffix) != 0)
            continue;
        if (n > (UINT64_MAX >> units[i].shift))
            return false;
        *mib = n << units[i].shift;
        return true;
    }
    return false;
}

int cfg_get_memory(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, uint64_t *mib)
{
    char what[64];
    uint64_t n;

    if (v->kind != CFG_SCALAR || cfg_is_null(v) ||
        !parse_size_mib(v->text, &n)) {
        cfg_error_at(d, v,
                     "'%s' must be a number of MiB or a size such as \"512M\" "
                     "or \"1G\", found %s",
                     key, cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    if (n < VN_CFG_MEMORY_MIN_MIB || n > VN_CFG_MEMORY_MAX_MIB) {
        cfg_error_at(d, v, "'%s' must be from %d to %d MiB, found %s", key,
                     VN_CFG_MEMORY_MIN_MIB, VN_CFG_MEMORY_MAX_MIB,
                     cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    *mib = n;
    return 0;
}

int cfg_get_word(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 const char *const *allowed, char *out, size_t len)
{
    char what[64], words[128];
    const char *hint;

    if (v->kind == CFG_SCALAR && !cfg_is_null(v)) {
        for (const char *const *w = allowed; *w != NULL; w++) {
            if (strcmp(v->text, *w) == 0) {
                snprintf(out, len, "%s", *w);
                return 0;
            }
        }
    }
    join_words(allowed, words, sizeof(words));
    cfg_describe(v, what, sizeof(what));
    hint = v->kind == CFG_SCALAR ? cfg_suggest(v->text, allowed) : NULL;
    if (hint != NULL)
        cfg_error_at(d, v, "'%s' must be %s, found %s (did you mean '%s'?)",
                     key, words, what, hint);
    else
        cfg_error_at(d, v, "'%s' must be %s, found %s", key, words, what);
    return -1;
}

int cfg_get_action(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, enum vn_action *out)
{
    static const char *const names[] = {"destroy", "restart", "preserve", NULL};
    char word[16];

    if (cfg_get_word(d, v, key, names, word, sizeof(word)) != 0)
        return -1;
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(word, names[i]) == 0)
            *out = (enum vn_action)i;
    return 0;
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

int cfg_get_name(struct cfg_diag *d, const struct cfg_node *v, char *out)
{
    char what[64];
    const char *s = v->text;
    size_t len;

    if (v->kind != CFG_SCALAR || cfg_is_null(v)) {
        cfg_error_at(d, v, "'name' must be a string, found %s",
                     cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    cfg_describe(v, what, sizeof(what));
    len = strlen(s);
    if (len >= VN_NAME_MAX) {
        cfg_error_at(d, v, "'name' must be at most %d characters, found %s",
                     VN_NAME_MAX - 1, what);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (!name_char(s[i]) || (i == 0 && (s[0] == '-' || s[0] == '.'))) {
            cfg_error_at(d, v,
                         "'name' must be letters, digits, '.', '_' and '-', "
                         "not starting with '.' or '-', found %s",
                         what);
            return -1;
        }
    }
    if (strspn(s, "0123456789") == len) {
        cfg_error_at(d, v,
                     "'name' must not be all digits (it would read as a "
                     "domain id), found %s",
                     what);
        return -1;
    }
    memcpy(out, s, len + 1);
    return 0;
}

/* basedir/rel, or rel itself when absolute. */
static char *path_resolve(const char *basedir, const char *rel)
{
    char *out = NULL;

    if (rel[0] == '/')
        return strdup(rel);
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    if (asprintf(&out, "%s/%s", basedir, rel) < 0)
        return NULL;
    return out;
}

int cfg_get_path(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 const char *label, const char *basedir, char **out)
{
    char what[64];
    struct stat st;
    char *path;

    if (v->kind != CFG_SCALAR || cfg_is_null(v) || v->text[0] == '\0') {
        cfg_error_at(d, v, "'%s' must be a file name, found %s", key,
                     cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    path = path_resolve(basedir, v->text);
    if (path == NULL) {
        d->oom = true;
        return -1;
    }
    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        cfg_error_at(d, v, "%s '%s': %s", label, v->text, strerror(errno));
        free(path);
        return -1;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        cfg_error_at(d, v, "%s '%s': not a regular file", label, v->text);
        free(path);
        return -1;
    }
    free(*out);
    *out = path;
    return 0;
}

/* xx:xx:xx:xx:xx:xx, exactly. */
static bool parse_mac(const char *s, uint8_t mac[6])
{
    if (strlen(s) != 17)
        return false;
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)strtoul(s + 3 * i, NULL, 16);
    return true;
}

int cfg_get_mac(struct cfg_diag *d, const struct cfg_node *v, uint8_t mac[6])
{
    char what[64];
    uint8_t b[6];

    cfg_describe(v, what, sizeof(what));
    if (v->kind != CFG_SCALAR || !parse_mac(v->text, b)) {
        cfg_error_at(d, v,
                     "'mac' must be six hex bytes such as 00:16:3e:12:34:56, "
                     "found %s",
                     what);
        return -1;
    }
    if (b[0] & 1) {
        cfg_error_at(d, v,
                     "'mac' must be a unicast address (first byte even), "
                     "found %s",
                     what);
        return -1;
    }
    memcpy(mac, b, 6);
    return 0;
}
