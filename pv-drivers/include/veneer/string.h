/* SPDX-License-Identifier: MIT */
/*
 * Freestanding memory and string helpers for guest code: the runtime has
 * no libc, and the compiler may emit calls to memset/memcpy on its own
 * (struct copies and initialisers), so these must exist.
 */
#ifndef VENEER_STRING_H
#define VENEER_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif /* VENEER_STRING_H */
