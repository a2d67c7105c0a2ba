/* SPDX-License-Identifier: MIT */
/*
 * sleep0: the idle process of `make bench` (g, h). A static program
 * without libc, like the domain stub, that sleeps in pause() until a
 * signal ends it: the least a process per domain can cost, in memory
 * and in spawning.
 */
asm(".pushsection .text\n"
    ".globl _start\n"
    "_start:\n"
    "\tmovl $34, %eax\n" /* __NR_pause */
    "\tsyscall\n"
    "\tjmp _start\n"
    ".popsection\n");
