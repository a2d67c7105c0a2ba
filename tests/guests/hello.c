/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest useful guest. Linked at virtual address 0; prints a
 * greeting and what start_info says, then powers off.
 *
 * t_hello.sh expects exactly:
 *   Hello from Veneer!
 *   hello: magic=xen-3.0-x86_64 nr_pages=<N> cmdline='<cmdline>'
 * and veneerd exiting 0.
 */
#include <veneer/console.h>
#include <veneer/runtime.h>

int guest_main(struct start_info *si)
{
    printf("Hello from Veneer!\n");
    /* Neither field is guaranteed NUL-terminated: bound both. */
    printf("hello: magic=%.*s nr_pages=%lu cmdline='%.*s'\n",
           (int)sizeof(si->magic), si->magic, (unsigned long)si->nr_pages,
           (int)sizeof(si->cmd_line), (const char *)si->cmd_line);
    return 0;
}
