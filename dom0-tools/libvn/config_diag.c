// SPDX-License-Identifier: MIT
// Config diagnostics: "FILE:LINE:COL: error: ..." lines, how a value is
// described in them, and the "did you mean" suggestion for unknown keys.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void diag_vadd(struct cfg_diag *d, int line, int col, const char *fmt,
                      va_list ap)
{
    struct cfg_msg *msgs;
    char *text = NULL;

    if (d->nmsg == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;

        msgs = realloc(d->msgs, cap * sizeof(*msgs));
        if (msgs == NULL) {
            d->oom = true;
            return;
        }
        d->msgs = msgs;
        d->cap = cap;
    }
    if (vasprintf(&text, fmt, ap) < 0) {
        d->oom = true;
        return;
    }
    d->msgs[d->nmsg].line = line;
    d->msgs[d->nmsg].col = col;
    d->msgs[d->nmsg].seq = (unsigned)d->nmsg;
    d->msgs[d->nmsg].text = text;
    d->nmsg++;
}

/* File order; messages at one position keep the order they came in. */
static int msg_cmp(const void *a, const void *b)
{
    const struct cfg_msg *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

char *cfg_diag_text(struct cfg_diag *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        return NULL;
    qsort(d->msgs, d->nmsg, sizeof(*d->msgs), msg_cmp);
    for (size_t i = 0; i < d->nmsg && i < VN_CFG_MAX_ERRORS; i++) {
        if (d->msgs[i].line > 0)
            fprintf(f, "%s:%d:%d: error: %s\n", d->file, d->msgs[i].line,
                    d->msgs[i].col, d->msgs[i].text);
        else
            fprintf(f, "%s: error: %s\n", d->file, d->msgs[i].text);
    }
    if (d->nmsg > VN_CFG_MAX_ERRORS)
        fprintf(f, "%s: error: too many errors (%zu)\n", d->file, d->nmsg);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

void cfg_diag_free(struct cfg_diag *d)
{
    for (size_t i = 0; i < d->nmsg; i++)
        free(d->msgs[i].text);
    free(d->msgs);
    d->msgs = NULL;
    d->nmsg = d->cap = 0;
}

void cfg_error(struct cfg_diag *d, int line, int col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(d, line, col, fmt, ap);
    va_end(ap);
}

void cfg_error_at(struct cfg_diag *d, const struct cfg_node *n, const char *fmt,
                  ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(d, n->line, n->col, fmt, ap);
    va_end(ap);
}

bool cfg_is_null(const struct cfg_node *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

    if (n->kind != CFG_SCALAR || !n->plain)
        return false;
    for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
        if (strcmp(n->text, nulls[i]) == 0)
            return true;
    return false;
}

const char *cfg_describe(const struct cfg_node *n, char *buf, size_t len)
{
    /* Long values are cut so one line stays one line. */
    enum { SHOWN = 40 };
    size_t shown;

    if (n->kind == CFG_MAP)
        snprintf(buf, len, "a mapping");
    else if (n->kind == CFG_SEQ)
        snprintf(buf, len, "a list");
    else if (cfg_is_null(n))
        snprintf(buf, len, "nothing");
    if (n->kind != CFG_SCALAR || cfg_is_null(n))
        return buf;
    shown = strcspn(n->text, "\n");
    if (shown > SHOWN)
        shown = SHOWN;
    if (n->text[shown] != '\0')
        snprintf(buf, len, "'%.*s...'", (int)shown, n->text);
    else
        snprintf(buf, len, "'%s'", n->text);
    return buf;
}

unsigned cfg_edit_distance(const char *a, const char *b)
{
    enum { MAXLEN = 64 };
    unsigned d[MAXLEN + 1][MAXLEN + 1];
    size_t la = strlen(a), lb = strlen(b);

    if (la > MAXLEN || lb > MAXLEN)
        return ~0u;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned best = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            /* A swap of two neighbours counts once ("memroy"). */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

/* xl's names for things Veneer names differently. */
static const char *const xl_aliases[][2] = {
    {"vif", "nics"},      {"disk", "disks"},    {"extra", "cmdline"},
    {"maxmem", "memory"}, {"bridge", "switch"}, {"path", "target"},
    {"mem", "memory"},    {"vcpu", "vcpus"},    {"cpus", "vcpus"},
    {"file", "target"},   {"image", "kernel"},  {"kernel_path", "kernel"},
};

static bool in_list(const char *w, const char *const *cands)
{
    for (; *cands != NULL; cands++)
        if (strcmp(w, *cands) == 0)
            return true;
    return false;
}

const char *cfg_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    unsigned best_d = ~0u;
    size_t len = strlen(word);
    /* Close enough to be a typo: one edit in a short word, two in a
     * longer one. */
    unsigned limit = len <= 4 ? 1 : 2;

    for (size_t i = 0; i < sizeof(xl_aliases) / sizeof(xl_aliases[0]); i++)
        if (strcmp(word, xl_aliases[i][0]) == 0 &&
            in_list(xl_aliases[i][1], cands))
            return xl_aliases[i][1];
    for (const char *const *c = cands; *c != NULL; c++) {
        unsigned dist = cfg_edit_distance(word, *c);

        if (dist < best_d) {
            best_d = dist;
            best = *c;
        }
    }
    return best_d <= limit ? best : NULL;
}
