// SPDX-License-Identifier: MIT
// The YAML layer of config parsing: libyaml's event stream turned into a
// small tree with positions, refusing what a domain config never needs
// (aliases, tags, several documents, non-scalar keys, duplicate keys).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config.h"

struct loader {
    yaml_parser_t p;
    struct cfg_diag *d;
    unsigned nodes;
    bool failed; /* a fatal problem was reported: stop */
};

static struct cfg_node *node_new(struct loader *l, enum cfg_kind kind,
                                 const yaml_mark_t *m)
{
    struct cfg_node *n;

    if (++l->nodes > CFG_MAX_NODES) {
        cfg_error(l->d, (int)m->line + 1, (int)m->column + 1,
                  "more than %d YAML nodes", CFG_MAX_NODES);
        l->failed = true;
        return NULL;
    }
    n = calloc(1, sizeof(*n));
    if (n == NULL) {
        l->d->oom = true;
        l->failed = true;
        return NULL;
    }
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

static int node_append(struct loader *l, struct cfg_node *parent,
                       struct cfg_node *child)
{
    struct cfg_node **items;

    items = realloc(parent->items, (parent->n + 1) * sizeof(*items));
    if (items == NULL) {
        l->d->oom = true;
        l->failed = true;
        cfg_node_free(child);
        return -1;
    }
    items[parent->n++] = child;
    parent->items = items;
    return 0;
}

void cfg_node_free(struct cfg_node *n)
{
    if (n == NULL)
        return;
    for (unsigned i = 0; i < n->n; i++)
        cfg_node_free(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

/* libyaml's own message, at the position it names. */
static void syntax_error(struct loader *l)
{
    const yaml_parser_t *p = &l->p;
    const yaml_mark_t *m = &p->problem_mark;
    const char *what = p->problem != NULL ? p->problem : "invalid YAML";

    if (p->error == YAML_MEMORY_ERROR) {
        l->d->oom = true;
    } else if (p->error == YAML_READER_ERROR) {
        cfg_error(l->d, 0, 0, "%s at byte %zu", what, p->problem_offset);
    } else if (p->context != NULL) {
        cfg_error(l->d, (int)m->line + 1, (int)m->column + 1,
                  "%s (%s at line %zu, column %zu)", what, p->context,
                  p->context_mark.line + 1, p->context_mark.column + 1);
    } else {
        cfg_error(l->d, (int)m->line + 1, (int)m->column + 1, "%s", what);
    }
    l->failed = true;
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&l->p, ev)) {
        syntax_error(l);
        return -1;
    }
    return 0;
}

static struct cfg_node *load_node(struct loader *l, yaml_event_t *ev,
                                  int depth);

/* The key must be a scalar and must not repeat an earlier one. */
static void check_key(struct loader *l, const struct cfg_node *map,
                      const struct cfg_node *key)
{
    if (key->kind != CFG_SCALAR) {
        cfg_error_at(l->d, key, "a key must be a plain word, found %s",
                     key->kind == CFG_MAP ? "a mapping" : "a list");
        return;
    }
    for (unsigned i = 0; i + 1 < map->n; i += 2) {
        const struct cfg_node *k = map->items[i];

        if (k->kind == CFG_SCALAR && strcmp(k->text, key->text) == 0) {
            cfg_error_at(l->d, key,
                         "duplicate key '%s' (first given at line %d, "
                         "column %d)",
                         key->text, k->line, k->col);
            return;
        }
    }
}

/* Children of a mapping or sequence until its end event. */
static int load_children(struct loader *l, struct cfg_node *n, int depth,
                         yaml_event_type_t end)
{
    for (;;) {
        yaml_event_t ev;
        struct cfg_node *child;

        if (next_event(l, &ev) != 0)
            return -1;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        child = load_node(l, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (child == NULL)
            return -1;
        if (n->kind == CFG_MAP && n->n % 2 == 0)
            check_key(l, n, child);
        if (node_append(l, n, child) != 0)
            return -1;
    }
}

static struct cfg_node *load_scalar(struct loader *l, const yaml_event_t *ev)
{
    struct cfg_node *n = node_new(l, CFG_SCALAR, &ev->start_mark);

    if (n == NULL)
        return NULL;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    n->text =
        strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    if (n->text == NULL) {
        l->d->oom = true;
        l->failed = true;
        free(n);
        return NULL;
    }
    return n;
}

/* An explicit tag changes what a value means; configs never need one. */
static bool has_tag(const yaml_event_t *ev)
{
    const yaml_char_t *tag = NULL;
    bool implicit = true;

    if (ev->type == YAML_SCALAR_EVENT) {
        tag = ev->data.scalar.tag;
        implicit =
            ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit;
    } else if (ev->type == YAML_MAPPING_START_EVENT) {
        tag = ev->data.mapping_start.tag;
        implicit = ev->data.mapping_start.implicit;
    } else if (ev->type == YAML_SEQUENCE_START_EVENT) {
        tag = ev->data.sequence_start.tag;
        implicit = ev->data.sequence_start.implicit;
    }
    return tag != NULL && !implicit;
}

static struct cfg_node *load_node(struct loader *l, yaml_event_t *ev, int depth)
{
    const yaml_mark_t *m = &ev->start_mark;
    struct cfg_node *n = NULL;

    if (ev->type == YAML_ALIAS_EVENT || has_tag(ev)) {
        cfg_error(l->d, (int)m->line + 1, (int)m->column + 1,
                  "YAML %s are not supported in a domain config",
                  ev->type == YAML_ALIAS_EVENT ? "aliases" : "tags");
        l->failed = true;
        return NULL;
    }
    if (depth > CFG_MAX_DEPTH) {
        cfg_error(l->d, (int)m->line + 1, (int)m->column + 1,
                  "nested more than %d levels deep", CFG_MAX_DEPTH);
        l->failed = true;
        return NULL;
    }
    if (ev->type == YAML_SCALAR_EVENT)
        return load_scalar(l, ev);
    if (ev->type == YAML_MAPPING_START_EVENT)
        n = node_new(l, CFG_MAP, m);
    else if (ev->type == YAML_SEQUENCE_START_EVENT)
        n = node_new(l, CFG_SEQ, m);
    if (n == NULL)
        return NULL;
    if (load_children(l, n, depth,
                      n->kind == CFG_MAP ? YAML_MAPPING_END_EVENT
                                         : YAML_SEQUENCE_END_EVENT) != 0) {
        cfg_node_free(n);
        return NULL;
    }
    return n;
}

/* Expects one event of type want (stream or document boundaries). */
static int expect_event(struct loader *l, yaml_event_type_t want,
                        yaml_event_t *ev)
{
    if (next_event(l, ev) != 0)
        return -1;
    if (ev->type == want)
        return 0;
    yaml_event_delete(ev);
    return 1;
}

/* The one document's root; anything after it is an error. */
static struct cfg_node *load_document(struct loader *l)
{
    struct cfg_node *root = NULL;
    yaml_event_t ev;

    if (next_event(l, &ev) != 0)
        return NULL;
    root = load_node(l, &ev, 0);
    yaml_event_delete(&ev);
    if (root == NULL)
        return NULL;
    if (expect_event(l, YAML_DOCUMENT_END_EVENT, &ev) != 0)
        goto fail;
    yaml_event_delete(&ev);
    if (next_event(l, &ev) != 0)
        goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        cfg_error(l->d, (int)ev.start_mark.line + 1,
                  (int)ev.start_mark.column + 1,
                  "a second YAML document; a config holds exactly one");
        yaml_event_delete(&ev);
        goto fail;
    }
    yaml_event_delete(&ev);
    return root;
fail:
    cfg_node_free(root);
    return NULL;
}

struct cfg_node *cfg_yaml_load(struct cfg_diag *d, const char *text, size_t len)
{
    struct loader l = {.d = d};
    struct cfg_node *root = NULL;
    yaml_event_t ev;
    int rc;

    if (!yaml_parser_initialize(&l.p)) {
        d->oom = true;
        return NULL;
    }
    yaml_parser_set_input_string(&l.p, (const unsigned char *)text, len);
    if (expect_event(&l, YAML_STREAM_START_EVENT, &ev) != 0)
        goto out;
    yaml_event_delete(&ev);
    rc = expect_event(&l, YAML_DOCUMENT_START_EVENT, &ev);
    if (rc < 0)
        goto out;
    if (rc > 0) {
        cfg_error(d, 1, 1,
                  "the file is empty; expected a mapping with at least "
                  "'name' and 'kernel'");
        goto out;
    }
    yaml_event_delete(&ev);
    root = load_document(&l);
    if (root != NULL && root->kind != CFG_MAP) {
        char what[64];

        cfg_error_at(d, root,
                     "expected a mapping of keys to values at the top "
                     "level, found %s",
                     cfg_describe(root, what, sizeof(what)));
        cfg_node_free(root);
        root = NULL;
    }
out:
    yaml_parser_delete(&l.p);
    return root;
}
