/* SPDX-License-Identifier: MIT */
/*
 * Start-of-day handover to guest_main, shutdown, and panic.
 */
#include <stdarg.h>
#include <xen/sched.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>

/* Written once at entry, before guest code runs. */
struct start_info *runtime_start_info;
uint64_t runtime_boot_sp;
int hypercall_raw_only;

/* The int3 filler hypercall_page.S ships the page with. */
#define HYPERCALL_PAGE_FILLER 0xcc

void runtime_start(struct start_info *si)
{
    int rc;

    runtime_start_info = si;
    /* Xen's stubs start with push %rcx (0x51); an untouched page means
     * the builder was not asked to fill it (no HYPERCALL_PAGE note). */
    hypercall_raw_only =
        (unsigned char)hypercall_page[0] == HYPERCALL_PAGE_FILLER;
    rc = guest_main(si);
    runtime_shutdown(rc == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void runtime_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = {.reason = reason};

    console_flush();
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
    /* A refused shutdown must not let the guest run on as if nothing
     * happened: crash instead, and if even that returns, fault so that
     * the hypervisor's default trap handling kills the domain. */
    sd.reason = SHUTDOWN_crash;
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
    for (;;)
        asm volatile("ud2");
}

void panic(const char *fmt, ...)
{
    va_list ap;
    size_t len = 0;

    while (fmt[len] != '\0')
        len++;
    /* Whatever was half-written goes out first, on its own line, so the
     * PANIC line always starts a line (tests grep for it). */
    console_break_line();
    printf("PANIC: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (len == 0 || fmt[len - 1] != '\n')
        printf("\n");
    runtime_shutdown(SHUTDOWN_crash);
}
