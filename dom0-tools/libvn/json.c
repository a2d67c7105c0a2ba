// SPDX-License-Identifier: MIT
// A small JSON writer for --json output and `create --dry-run`:
// pretty-printed, keys in the order written, strings escaped (RFC 8259).
#include <inttypes.h>
#include <stdio.h>

#include "libvn.h"

void vn_json_init(struct vn_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->after_key = false;
    j->nonempty[0] = false;
}

static void indent(struct vn_json *j)
{
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->f);
}

/* Before any value: a comma and a new line inside a container, nothing
 * after a key. */
static void before_value(struct vn_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth == 0)
        return;
    if (j->nonempty[j->depth])
        fputc(',', j->f);
    j->nonempty[j->depth] = true;
    indent(j);
}

static void open_container(struct vn_json *j, char c)
{
    before_value(j);
    fputc(c, j->f);
    if (j->depth + 1 < VN_JSON_MAX_DEPTH)
        j->depth++;
    j->nonempty[j->depth] = false;
}

static void close_container(struct vn_json *j, char c)
{
    bool had = j->nonempty[j->depth];

    if (j->depth > 0)
        j->depth--;
    if (had)
        indent(j);
    fputc(c, j->f);
}

void vn_json_object_begin(struct vn_json *j)
{
    open_container(j, '{');
}

void vn_json_object_end(struct vn_json *j)
{
    close_container(j, '}');
}

void vn_json_array_begin(struct vn_json *j)
{
    open_container(j, '[');
}

void vn_json_array_end(struct vn_json *j)
{
    close_container(j, ']');
}

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void vn_json_key(struct vn_json *j, const char *key)
{
    before_value(j);
    put_string(j->f, key);
    fputs(": ", j->f);
    j->after_key = true;
}

void vn_json_string(struct vn_json *j, const char *s)
{
    before_value(j);
    if (s == NULL)
        fputs("null", j->f);
    else
        put_string(j->f, s);
}

void vn_json_uint(struct vn_json *j, uint64_t v)
{
    before_value(j);
    fprintf(j->f, "%" PRIu64, v);
}

void vn_json_int(struct vn_json *j, int64_t v)
{
    before_value(j);
    fprintf(j->f, "%" PRId64, v);
}

void vn_json_bool(struct vn_json *j, bool v)
{
    before_value(j);
    fputs(v ? "true" : "false", j->f);
}

void vn_json_null(struct vn_json *j)
{
    before_value(j);
    fputs("null", j->f);
}

void vn_json_end(struct vn_json *j)
{
    fputc('\n', j->f);
}
