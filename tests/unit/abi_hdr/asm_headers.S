/* SPDX-License-Identifier: MIT */
/*
 * Proves the headers that promise assembly support preprocess and
 * assemble with -D__ASSEMBLY__ (abi/abi.mk builds this file; it is not
 * linked anywhere).
 */
#include <xen/xen.h>
#include <xen/arch-x86/xen.h>
#include <xen/arch-x86/xen-x86_64.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/page.h>
#include <xen/errno.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/elfnote.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

	/* A few constants used as assembler operands. */
	.data
	.quad HYPERVISOR_VIRT_START
	.quad _PAGE_NX | _PAGE_PRESENT | _PAGE_RW
	.long __HYPERVISOR_iret, FLAT_KERNEL_CS, VGCF_in_syscall
	.long XEN_ELFNOTE_HYPERCALL_PAGE, XEN_EINVAL, SCHEDOP_block
	.text
	XEN_EMULATE_PREFIX_ASM cpuid
