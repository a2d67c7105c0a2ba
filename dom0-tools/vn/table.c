// SPDX-License-Identifier: MIT
// Aligned text tables for `vn list` and `vn host status`: columns as wide
// as their widest cell, two spaces apart, numbers right-aligned.
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vn.h"

void table_init(struct table *t, unsigned ncols, const char *right)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
    for (unsigned i = 0; i < t->ncols && right != NULL && right[i]; i++)
        t->right[i] = right[i] == 'r';
}

void table_row(struct table *t, ...)
{
    char **cells =
        realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
    va_list ap;

    if (cells == NULL)
        return;
    t->cells = cells;
    va_start(ap, t);
    for (unsigned i = 0; i < t->ncols; i++) {
        const char *s = va_arg(ap, const char *);

        cells[t->nrows * t->ncols + i] = strdup(s != NULL ? s : "");
    }
    va_end(ap);
    t->nrows++;
}

void table_print(struct table *t, FILE *f)
{
    size_t width[TABLE_MAX_COLS] = {0};

    for (unsigned r = 0; r < t->nrows; r++)
        for (unsigned c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            size_t len = s != NULL ? strlen(s) : 0;

            if (len > width[c])
                width[c] = len;
        }
    for (unsigned r = 0; r < t->nrows; r++) {
        for (unsigned c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            bool last = c + 1 == t->ncols;

            if (s == NULL)
                s = "";
            if (t->right[c])
                fprintf(f, "%*s", (int)width[c], s);
            else if (last)
                fputs(s, f);
            else
                fprintf(f, "%-*s", (int)width[c], s);
            fputs(last ? "\n" : "  ", f);
        }
    }
}

void table_free(struct table *t)
{
    for (unsigned i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = 0;
}
