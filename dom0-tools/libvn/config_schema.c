// SPDX-License-Identifier: MIT
// The domain config schema (docs/config.md): one table of keys per
// mapping (the top level, a disk, a nic), walked by one function that
// reports unknown keys with a suggestion and missing required keys.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

struct schema {
    struct cfg_diag *d;
    const char *basedir;
};

/* One key of a mapping: get() checks the value into obj. */
struct field {
    const char *name;
    bool required;
    int (*get)(struct schema *s, const struct cfg_node *v, void *obj);
};

static int get_name(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_name(s->d, v, ((struct vn_config *)obj)->name);
}

static int get_kernel(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_path(s->d, v, "kernel", "kernel", s->basedir,
                        &((struct vn_config *)obj)->kernel);
}

static int get_cmdline(struct schema *s, const struct cfg_node *v, void *obj)
{
    struct vn_config *c = obj;
    size_t len;

    if (cfg_is_null(v))
        return 0; /* "cmdline:" alone: empty */
    if (cfg_get_string(s->d, v, "cmdline", &c->cmdline) != 0)
        return -1;
    len = strlen(c->cmdline);
    if (len >= VN_CMDLINE_MAX) {
        cfg_error_at(s->d, v, "'cmdline' must be at most %d bytes, found %zu",
                     VN_CMDLINE_MAX - 1, len);
        return -1;
    }
    return 0;
}

static int get_memory(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_memory(s->d, v, "memory",
                          &((struct vn_config *)obj)->memory_mib);
}

static int get_vcpus(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_uint(s->d, v, "vcpus", 1, VN_CFG_VCPUS_MAX,
                        &((struct vn_config *)obj)->vcpus);
}

static int get_on_poweroff(struct schema *s, const struct cfg_node *v,
                           void *obj)
{
    return cfg_get_action(s->d, v, "on_poweroff",
                          &((struct vn_config *)obj)->on_poweroff);
}

static int get_on_reboot(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_action(s->d, v, "on_reboot",
                          &((struct vn_config *)obj)->on_reboot);
}

static int get_on_crash(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_action(s->d, v, "on_crash",
                          &((struct vn_config *)obj)->on_crash);
}

/* ---- disks -------------------------------------------------------- */

static int get_target(struct schema *s, const struct cfg_node *v, void *obj)
{
    return cfg_get_path(s->d, v, "target", "disk target", s->basedir,
                        &((struct vn_disk *)obj)->target);
}

/* xvda, xvdab, sda, hdc: a whole disk, not a partition. */
static int get_vdev(struct schema *s, const struct cfg_node *v, void *obj)
{
    static const char *const prefixes[] = {"xvd", "sd", "hd"};
    struct vn_disk *dk = obj;
    char what[64];

    for (size_t i = 0; v->kind == CFG_SCALAR && i < 3; i++) {
        size_t p = strlen(prefixes[i]);
        size_t letters = strspn(v->text + p, "abcdefghijklmnopqrstuvwxyz");

        if (strncmp(v->text, prefixes[i], p) == 0 && letters >= 1 &&
            letters <= 3 && v->text[p + letters] == '\0') {
            snprintf(dk->vdev, sizeof(dk->vdev), "%s", v->text);
            return 0;
        }
    }
    cfg_error_at(s->d, v,
                 "'vdev' must name a whole virtual disk such as xvda, found %s",
                 cfg_describe(v, what, sizeof(what)));
    return -1;
}

static int get_access(struct schema *s, const struct cfg_node *v, void *obj)
{
    static const char *const modes[] = {"ro", "rw", NULL};
    char word[4];

    if (cfg_get_word(s->d, v, "access", modes, word, sizeof(word)) != 0)
        return -1;
    ((struct vn_disk *)obj)->readonly = strcmp(word, "ro") == 0;
    return 0;
}

static int get_format(struct schema *s, const struct cfg_node *v, void *obj)
{
    static const char *const formats[] = {"raw", NULL};
    struct vn_disk *dk = obj;

    return cfg_get_word(s->d, v, "format", formats, dk->format,
                        sizeof(dk->format));
}

/* ---- nics --------------------------------------------------------- */

static int get_mac(struct schema *s, const struct cfg_node *v, void *obj)
{
    struct vn_nic *nic = obj;

    if (cfg_get_mac(s->d, v, nic->mac) != 0)
        return -1;
    nic->has_mac = true;
    return 0;
}

/* A switch name: 1..15 of [A-Za-z0-9._-] (it may name a host bridge). */
static int get_switch(struct schema *s, const struct cfg_node *v, void *obj)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
    struct vn_nic *nic = obj;
    char what[64];
    size_t len = v->kind == CFG_SCALAR ? strlen(v->text) : 0;

    if (v->kind != CFG_SCALAR || len == 0 || len > 15 ||
        strspn(v->text, ok) != len) {
        cfg_error_at(s->d, v,
                     "'switch' must be 1 to 15 letters, digits, '.', '_' or "
                     "'-', found %s",
                     cfg_describe(v, what, sizeof(what)));
        return -1;
    }
    return cfg_get_string(s->d, v, "switch", &nic->sw);
}

static int get_model(struct schema *s, const struct cfg_node *v, void *obj)
{
    static const char *const models[] = {"netfront", NULL};
    char word[16];

    if (cfg_get_word(s->d, v, "model", models, word, sizeof(word)) != 0)
        return -1;
    return cfg_get_string(s->d, v, "model", &((struct vn_nic *)obj)->model);
}

static void apply_disks(struct schema *s, const struct cfg_node *v,
                        struct vn_config *c);
static void apply_nics(struct schema *s, const struct cfg_node *v,
                       struct vn_config *c);

static int get_disks(struct schema *s, const struct cfg_node *v, void *obj)
{
    apply_disks(s, v, obj);
    return 0;
}

static int get_nics(struct schema *s, const struct cfg_node *v, void *obj)
{
    apply_nics(s, v, obj);
    return 0;
}

static const struct field top_fields[] = {
    {"name", true, get_name},
    {"kernel", true, get_kernel},
    {"cmdline", false, get_cmdline},
    {"memory", false, get_memory},
    {"vcpus", false, get_vcpus},
    {"disks", false, get_disks},
    {"nics", false, get_nics},
    {"on_poweroff", false, get_on_poweroff},
    {"on_reboot", false, get_on_reboot},
    {"on_crash", false, get_on_crash},
    {NULL, false, NULL},
};

static const struct field disk_fields[] = {
    {"target", true, get_target},  {"vdev", true, get_vdev},
    {"access", false, get_access}, {"format", false, get_format},
    {NULL, false, NULL},
};

static const struct field nic_fields[] = {
    {"mac", false, get_mac},
    {"switch", false, get_switch},
    {"model", false, get_model},
    {NULL, false, NULL},
};

/* The key names of a table, for suggestions and messages. */
static void field_names(const struct field *f, const char **names, char *list,
                        size_t len)
{
    size_t used = 0;
    int i;

    for (i = 0; f[i].name != NULL; i++) {
        int k =
            snprintf(list + used, len - used, "%s%s", i ? ", " : "", f[i].name);

        names[i] = f[i].name;
        if (k > 0 && (size_t)k < len - used)
            used += (size_t)k;
    }
    names[i] = NULL;
}

static void unknown_key(struct schema *s, const struct cfg_node *key,
                        const struct field *fields, const char *what)
{
    const char *names[16];
    char list[256];
    const char *hint;

    field_names(fields, names, list, sizeof(list));
    hint = cfg_suggest(key->text, names);
    if (hint != NULL)
        cfg_error_at(s->d, key, "unknown %skey '%s' (did you mean '%s'?)", what,
                     key->text, hint);
    else
        cfg_error_at(s->d, key, "unknown %skey '%s' (expected one of: %s)",
                     what, key->text, list);
}

/*
 * walk_map: checks every key of map against fields, hands each value to
 * its get(), and reports missing required keys at the mapping. seen[i]
 * receives the value node of field i (NULL if absent). what is "" or
 * "disk " / "nic " for messages.
 */
static void walk_map(struct schema *s, const struct cfg_node *map,
                     const struct field *fields, const char *what, void *obj,
                     const struct cfg_node **seen)
{
    int nf = 0;

    while (fields[nf].name != NULL)
        seen[nf++] = NULL;
    for (unsigned i = 0; i + 1 < map->n; i += 2) {
        const struct cfg_node *k = map->items[i], *v = map->items[i + 1];
        int f;

        if (k->kind != CFG_SCALAR)
            continue; /* reported by the loader */
        for (f = 0; f < nf && strcmp(fields[f].name, k->text) != 0; f++)
            ;
        if (f == nf) {
            unknown_key(s, k, fields, what);
            continue;
        }
        if (seen[f] != NULL)
            continue; /* a duplicate: reported by the loader */
        seen[f] = v;
        if (fields[f].get != NULL)
            fields[f].get(s, v, obj);
    }
    for (int f = 0; f < nf; f++)
        if (fields[f].required && seen[f] == NULL)
            cfg_error_at(s->d, map, "missing required %skey '%s'", what,
                         fields[f].name);
}

/* A disk's cross-field rules: a rw image must be writable; vdevs are
 * unique. */
static void check_disk(struct schema *s, struct vn_config *c, unsigned idx,
                       const struct cfg_node **seen)
{
    struct vn_disk *dk = &c->disks[idx];

    if (dk->target != NULL && !dk->readonly && access(dk->target, W_OK) != 0)
        cfg_error_at(s->d, seen[0],
                     "disk target '%s' is not writable; use 'access: ro' or "
                     "fix its permissions",
                     seen[0]->text);
    for (unsigned j = 0; dk->vdev[0] != '\0' && j < idx; j++)
        if (strcmp(c->disks[j].vdev, dk->vdev) == 0)
            cfg_error_at(s->d, seen[1],
                         "duplicate vdev '%s' (disk %u has it already)",
                         dk->vdev, j + 1);
}

static void check_nic(struct schema *s, struct vn_config *c, unsigned idx,
                      const struct cfg_node **seen)
{
    struct vn_nic *nic = &c->nics[idx];

    for (unsigned j = 0; nic->has_mac && j < idx; j++)
        if (c->nics[j].has_mac && memcmp(c->nics[j].mac, nic->mac, 6) == 0)
            cfg_error_at(s->d, seen[0],
                         "duplicate mac '%s' (nic %u has it already)",
                         seen[0]->text, j + 1);
}

static int disk_init(struct vn_config *c, unsigned i)
{
    snprintf(c->disks[i].format, sizeof(c->disks[i].format), "raw");
    return 0;
}

static int nic_init(struct vn_config *c, unsigned i)
{
    c->nics[i].sw = strdup("vnsw0");
    c->nics[i].model = strdup("netfront");
    return c->nics[i].sw != NULL && c->nics[i].model != NULL ? 0 : -1;
}

/* The list checks shared by disks and nics; returns false if v is no
 * usable list. */
static bool list_ok(struct schema *s, const struct cfg_node *v, const char *key,
                    const char *item, unsigned max)
{
    char what[64];

    if (v->kind != CFG_SEQ) {
        cfg_error_at(s->d, v, "'%s' must be a list of %ss, found %s", key, item,
                     cfg_describe(v, what, sizeof(what)));
        return false;
    }
    if (v->n > max) {
        cfg_error_at(s->d, v->items[max], "more than %u %ss", max, item);
        return false;
    }
    for (unsigned i = 0; i < v->n; i++) {
        if (v->items[i]->kind != CFG_MAP) {
            cfg_error_at(s->d, v->items[i],
                         "each %s must be a mapping of keys to values, found "
                         "%s",
                         item, cfg_describe(v->items[i], what, sizeof(what)));
            return false;
        }
    }
    return true;
}

static void apply_disks(struct schema *s, const struct cfg_node *v,
                        struct vn_config *c)
{
    const struct cfg_node *seen[8];

    if (cfg_is_null(v) || !list_ok(s, v, "disks", "disk", VN_CFG_MAX_DISKS))
        return;
    c->disks = calloc(v->n, sizeof(*c->disks));
    if (v->n > 0 && c->disks == NULL) {
        s->d->oom = true;
        return;
    }
    for (unsigned i = 0; i < v->n; i++) {
        c->ndisks++;
        disk_init(c, i);
        walk_map(s, v->items[i], disk_fields, "disk ", &c->disks[i], seen);
        check_disk(s, c, i, seen);
    }
}

static void apply_nics(struct schema *s, const struct cfg_node *v,
                       struct vn_config *c)
{
    const struct cfg_node *seen[8];

    if (cfg_is_null(v) || !list_ok(s, v, "nics", "nic", VN_CFG_MAX_NICS))
        return;
    c->nics = calloc(v->n, sizeof(*c->nics));
    if (v->n > 0 && c->nics == NULL) {
        s->d->oom = true;
        return;
    }
    for (unsigned i = 0; i < v->n; i++) {
        c->nnics++;
        if (nic_init(c, i) != 0) {
            s->d->oom = true;
            return;
        }
        walk_map(s, v->items[i], nic_fields, "nic ", &c->nics[i], seen);
        check_nic(s, c, i, seen);
    }
}

void cfg_schema_apply(struct cfg_diag *d, const struct cfg_node *root,
                      const char *basedir, struct vn_config *cfg)
{
    struct schema s = {.d = d, .basedir = basedir};
    const struct cfg_node *seen[16];

    walk_map(&s, root, top_fields, "", cfg, seen);
}
