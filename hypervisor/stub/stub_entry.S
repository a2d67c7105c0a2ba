/* SPDX-License-Identifier: MIT */
/*
 * Stub entry points in assembly: process start, the system-call gate, the
 * signal restorer and the jump into the guest.
 */
    .section .text.entry, "ax"

/*
 * Process entry. The kernel's stack, vDSO and everything else outside the
 * stub image are about to be unmapped, so switch to the stub's own stack
 * first.
 */
    .globl _start
_start:
    lea stub_boot_stack_top(%rip), %rsp
    xor %ebp, %ebp
    call stub_main
    ud2

/*
 * The gate: the stub's only system-call instruction. The seccomp filter lets
 * a call through only if it was made here (instruction pointer = gate + 2),
 * and then only from a checked whitelist; every other `syscall` in the
 * process is a hypercall. Arguments follow the C ABI (rdi = nr, then
 * rsi rdx rcx r8 r9 and one on the stack) and are moved into the kernel's
 * registers (rax; rdi rsi rdx r10 r8 r9) by stub_gate_c below, so that the
 * gate itself stays the three bytes 0f 05 c3.
 */
    .globl stub_gate
    .type stub_gate, @function
stub_gate:
    syscall
    ret
    .size stub_gate, . - stub_gate

/* long stub_syscall(nr, a1..a6): C calling convention onto the gate. */
    .globl stub_syscall
    .type stub_syscall, @function
stub_syscall:
    mov %rdi, %rax
    mov %rsi, %rdi
    mov %rdx, %rsi
    mov %rcx, %rdx
    mov %r8, %r10
    mov %r9, %r8
    mov 8(%rsp), %r9
    call stub_gate
    ret
    .size stub_syscall, . - stub_syscall

/*
 * Signal restorer: rt_sigreturn must be entered with rsp at the frame, so
 * jump (not call) to the gate.
 */
    .globl stub_restorer
    .type stub_restorer, @function
stub_restorer:
    mov $15, %eax
    jmp stub_gate
    .size stub_restorer, . - stub_restorer

/*
 * uint64_t stub_probe_u32(uint64_t va): the 32-bit word at va,
 * zero-extended, or ~0 if reading it faults: stub_on_fault sees the
 * fault at stub_probe_insn and resumes at stub_probe_fault. For reading a
 * guest argument the stub cannot vouch for (stub_evtchn.c).
 */
    .globl stub_probe_u32, stub_probe_insn, stub_probe_fault
    .type stub_probe_u32, @function
stub_probe_u32:
stub_probe_insn:
    movl (%rdi), %eax
    ret
stub_probe_fault:
    mov $-1, %rax
    ret
    .size stub_probe_u32, . - stub_probe_u32

/*
 * Start the guest: rip in rdi, rsp in rsi, start_info in rdx (-> rsi).
 * Every other register is cleared so that nothing of the stub leaks in.
 */
    .globl stub_enter_guest
    .type stub_enter_guest, @function
stub_enter_guest:
    mov %rdi, %r11
    mov %rsi, %rsp
    mov %rdx, %rsi
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %edi, %edi
    xor %ebp, %ebp
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r12d, %r12d
    xor %r13d, %r13d
    xor %r14d, %r14d
    xor %r15d, %r15d
    cld
    push %r11
    xor %r11d, %r11d
    ret
    .size stub_enter_guest, . - stub_enter_guest

    .section .note.GNU-stack, "", @progbits
