/* SPDX-License-Identifier: MIT */
/*
 * Guest-side memset/memcpy/memmove/memcmp and the few string functions the
 * runtime and test guests use.
 *
 * memset and memcpy are written with `rep stosb` / `rep movsb` rather than
 * C loops: at -O2 GCC recognises such loops and turns them back into calls
 * to memset/memcpy, which here would recurse forever.
 */
#include <veneer/string.h>

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;

    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;

    asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    /* Overlap with dst above src: copy backwards with the direction flag
     * set, and clear it again as the ABI requires. */
    d += n - 1;
    s += n - 1;
    asm volatile("std; rep movsb; cld"
                 : "+D"(d), "+S"(s), "+c"(n)
                 :
                 : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n] != '\0')
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x != '\0' && *x == *y) {
        x++;
        y++;
    }
    return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (; n > 0; n--, x++, y++) {
        if (*x != *y || *x == '\0')
            return *x - *y;
    }
    return 0;
}
