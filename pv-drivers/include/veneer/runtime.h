/* SPDX-License-Identifier: MIT */
/*
 * The minimal PV guest runtime: entry, start-of-day state, shutdown and
 * panic. A guest links libpvfront.a with pv-drivers/guest.ld and provides
 * guest_main(); the runtime enters it on its own stack and turns its return
 * value into a shutdown.
 *
 * Usable from assembly (-D__ASSEMBLY__): only the constants are visible.
 */
#ifndef VENEER_RUNTIME_H
#define VENEER_RUNTIME_H

/* [POLICY] Size of the runtime stack in .bss that guest_main runs on. */
#define RUNTIME_STACK_SIZE (64 * 1024)

#ifndef __ASSEMBLY__

#include <stdint.h>
#include <xen/xen.h>

/*
 * guest_main: the guest's C entry point, provided by the guest.
 *
 * Parameters: si - the builder's start_info (also in runtime_start_info).
 * Return values: 0 powers the domain off (SHUTDOWN_poweroff); anything
 * else crashes it (SHUTDOWN_crash).
 */
int guest_main(struct start_info *si);

/* start_info as handed over in rsi at entry. */
extern struct start_info *runtime_start_info;

/* rsp at entry: the top of the builder's bootstrap stack page. */
extern uint64_t runtime_boot_sp;

/* Linker-script symbols (guest.ld): image start (= GUEST_BASE = VIRT_BASE),
 * end of text+rodata, start of data, end of bss (page-aligned). */
extern char _text[], _etext[], _data[], _end[];

/* runtime_virt_base: the guest's VIRT_BASE, i.e. its link base. */
static inline uint64_t runtime_virt_base(void)
{
    return (uint64_t)(uintptr_t)_text;
}

/*
 * runtime_start: called by _start on the runtime stack; records si, runs
 * guest_main and shuts down with its outcome. Never returns.
 */
void runtime_start(struct start_info *si) __attribute__((noreturn));

/*
 * runtime_shutdown: flush the console and SCHEDOP_shutdown with reason
 * (SHUTDOWN_*). If the hypervisor refuses, try SHUTDOWN_crash, then fault.
 */
void runtime_shutdown(unsigned int reason) __attribute__((noreturn));

/*
 * panic: print "PANIC: <message>" on the console and shut down with
 * SHUTDOWN_crash.
 */
void panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

#endif /* !__ASSEMBLY__ */

#endif /* VENEER_RUNTIME_H */
