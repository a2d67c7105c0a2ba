/* SPDX-License-Identifier: MIT */
/*
 * libvn's config parser, internal: the YAML tree (config_yaml.c), the
 * diagnostics it and the schema share (config_diag.c), the schema walk
 * (config_schema.c) and the value checkers (config_value.c). Code in
 * these files needs nothing else.
 */
#ifndef LIBVN_CONFIG_H
#define LIBVN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "libvn.h"

/* Limits on the YAML itself. [POLICY] */
#define CFG_MAX_DEPTH 8    /* nesting of mappings and lists */
#define CFG_MAX_NODES 4096 /* nodes in one file */

/* A node of the YAML tree. Mappings hold keys at even and values at odd
 * indices of items. */
enum cfg_kind { CFG_SCALAR, CFG_SEQ, CFG_MAP };

struct cfg_node {
    enum cfg_kind kind;
    int line, col; /* 1-based, where the node starts */
    char *text;    /* scalars: the value, NUL-terminated */
    bool plain;    /* scalars: unquoted (so "~" is null, 12 a number) */
    struct cfg_node **items;
    unsigned n;
};

/* Diagnostics, collected as found and printed in file order. */
struct cfg_msg {
    int line, col; /* 0: the message is about the whole file */
    unsigned seq;  /* arrival order, for a stable sort */
    char *text;
};

struct cfg_diag {
    const char *file;
    struct cfg_msg *msgs;
    size_t nmsg, cap;
    bool oom;
};

/* cfg_diag_text: the messages as "FILE:LINE:COL: error: WHAT\n" lines
 * in file order, at most VN_CFG_MAX_ERRORS of them (malloc'd; NULL if out
 * of memory). */
char *cfg_diag_text(struct cfg_diag *d);

/* cfg_diag_free: frees the messages. */
void cfg_diag_free(struct cfg_diag *d);

/* cfg_error: adds one diagnostic at line:col (line 0: none given). */
void cfg_error(struct cfg_diag *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* cfg_error_at: adds one diagnostic at node n's position. */
void cfg_error_at(struct cfg_diag *d, const struct cfg_node *n, const char *fmt,
                  ...) __attribute__((format(printf, 3, 4)));

/*
 * cfg_yaml_load: parses text into a tree. Reports YAML syntax errors,
 * aliases, tags, duplicate keys, non-scalar keys and a document that is
 * not a single mapping.
 *
 * Return values: the root mapping, or NULL (after at least one
 * diagnostic, or with d->oom set).
 */
struct cfg_node *cfg_yaml_load(struct cfg_diag *d, const char *text,
                               size_t len);

/* cfg_node_free: frees a tree; NULL is ignored. */
void cfg_node_free(struct cfg_node *n);

/* cfg_is_null: a plain "", "~" or "null" scalar (YAML's null). */
bool cfg_is_null(const struct cfg_node *n);

/* cfg_describe: how a node reads in an error message: "a mapping", "a
 * list", "nothing", or 'text' (shortened). Returns buf. */
const char *cfg_describe(const struct cfg_node *n, char *buf, size_t len);

/* cfg_suggest: the candidate closest to word (edit distance with
 * transpositions, or an xl name from a table of aliases), or NULL if none
 * is close. */
const char *cfg_suggest(const char *word, const char *const *cands);

/* cfg_edit_distance: optimal-string-alignment distance of a and b. */
unsigned cfg_edit_distance(const char *a, const char *b);

/* Schema walk over the root mapping: fills cfg, reports every problem. */
void cfg_schema_apply(struct cfg_diag *d, const struct cfg_node *root,
                      const char *basedir, struct vn_config *cfg);

/* Value checkers used by the schema; each reports its own error and
 * returns 0 or -1. */
int cfg_get_string(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, char **out);
int cfg_get_uint(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 unsigned min, unsigned max, uint32_t *out);
int cfg_get_memory(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, uint64_t *mib);
int cfg_get_action(struct cfg_diag *d, const struct cfg_node *v,
                   const char *key, enum vn_action *out);
int cfg_get_name(struct cfg_diag *d, const struct cfg_node *v, char *out);
/* cfg_get_path: a file that must exist and be readable, resolved
 * against basedir; label names it in messages ("kernel"). */
int cfg_get_path(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 const char *label, const char *basedir, char **out);
int cfg_get_mac(struct cfg_diag *d, const struct cfg_node *v, uint8_t mac[6]);
int cfg_get_word(struct cfg_diag *d, const struct cfg_node *v, const char *key,
                 const char *const *allowed, char *out, size_t len);

#endif /* LIBVN_CONFIG_H */
