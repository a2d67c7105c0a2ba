/* SPDX-License-Identifier: MIT */
/*
 * exit0: the spawn floor of `make bench` (a). A static program without
 * libc, like the domain stub, whose only instruction stream is
 * exit_group(0): timing its posix_spawn to reap is the least any
 * vfork+exec-based domain start can cost on this host.
 */
asm(".pushsection .text\n"
    ".globl _start\n"
    "_start:\n"
    "\tmovl $231, %eax\n" /* __NR_exit_group */
    "\txorl %edi, %edi\n"
    "\tsyscall\n"
    "\thlt\n"
    ".popsection\n");
