/* SPDX-License-Identifier: MIT */
/*
 * The virtual IDT and the C side of trap entry: registration with
 * set_trap_table, per-vector handlers, the probe fix-up, the upcall hook
 * and the register dump; see <veneer/traps.h>.
 */
#include <stddef.h>
#include <xen/errno.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>
#include <veneer/traps.h>

/* The entry stubs hard-code these offsets (trap_entry_x86_64.S). */
_Static_assert(offsetof(struct trap_frame, rdi) == 112, "trap_frame rdi");
_Static_assert(offsetof(struct trap_frame, cr2) == 120, "trap_frame cr2");
_Static_assert(offsetof(struct trap_frame, vector) == 128, "trap_frame vector");
_Static_assert(offsetof(struct trap_frame, error_code) == 136,
               "trap_frame error_code");
_Static_assert(offsetof(struct trap_frame, rip) == 144, "trap_frame rip");
_Static_assert(sizeof(struct trap_frame) == 184, "trap_frame size");

/* trap_info.flags: DPL in bits 1:0, bit 2 masks upcalls on entry. */
#define TI_DPL3      3
#define TI_INTR_GATE 4

static trap_handler_t trap_handlers[TRAP_NR_VECTORS];
static void (*trap_upcall)(struct trap_frame *f);
static int trap_ready;

struct trap_probe_fault trap_probe_last;

/* Probe instruction and fix-up addresses (trap_entry_x86_64.S). */
TRAP_ASM_SYMBOL extern char trap_probe_read_insn[], trap_probe_write_insn[];
TRAP_ASM_SYMBOL extern char trap_probe_fixup[];

int trap_init(void)
{
    const struct trap_info table[] = {
        {TRAP_DIVIDE_ERROR, 0, FLAT_KERNEL_CS, 0,
         (uintptr_t)trap_entry_divide_error},
        {TRAP_INT3, TI_DPL3, FLAT_KERNEL_CS, 0, (uintptr_t)trap_entry_int3},
        {TRAP_INVALID_OP, 0, FLAT_KERNEL_CS, 0,
         (uintptr_t)trap_entry_invalid_op},
        {TRAP_GP_FAULT, 0, FLAT_KERNEL_CS, 0, (uintptr_t)trap_entry_gp_fault},
        {TRAP_PAGE_FAULT, TI_INTR_GATE, FLAT_KERNEL_CS, 0,
         (uintptr_t)trap_entry_page_fault},
        {0, 0, 0, 0, 0}, /* address 0 ends the table */
    };
    long rc;

    if (trap_ready)
        return 0;
    rc = shinfo_map();
    if (rc == 0)
        rc = HYPERVISOR_set_trap_table(table);
    if (rc == 0)
        trap_ready = 1;
    return (int)rc;
}

int trap_set_handler(unsigned int vector, trap_handler_t h)
{
    if (vector >= TRAP_NR_VECTORS)
        return -XEN_EINVAL;
    trap_handlers[vector] = h;
    return 0;
}

void trap_set_upcall(void (*fn)(struct trap_frame *f))
{
    trap_upcall = fn;
}

void trap_dump(const struct trap_frame *f)
{
    console_break_line();
    printf("trap: vector %lu error %#lx cr2 %#lx upcall mask %lu\n",
           (unsigned long)f->vector, (unsigned long)f->error_code,
           (unsigned long)f->cr2, (unsigned long)((f->cs >> 32) & 0xff));
    printf("trap: rip %#018lx cs %#06lx rflags %#010lx rsp %#018lx ss %#lx\n",
           (unsigned long)f->rip, (unsigned long)(f->cs & 0xffff),
           (unsigned long)f->rflags, (unsigned long)f->rsp,
           (unsigned long)f->ss);
    printf("trap: rax %#018lx rbx %#018lx rcx %#018lx rdx %#018lx\n",
           (unsigned long)f->rax, (unsigned long)f->rbx, (unsigned long)f->rcx,
           (unsigned long)f->rdx);
    printf("trap: rsi %#018lx rdi %#018lx rbp %#018lx r8  %#018lx\n",
           (unsigned long)f->rsi, (unsigned long)f->rdi, (unsigned long)f->rbp,
           (unsigned long)f->r8);
    printf("trap: r9  %#018lx r10 %#018lx r11 %#018lx r12 %#018lx\n",
           (unsigned long)f->r9, (unsigned long)f->r10, (unsigned long)f->r11,
           (unsigned long)f->r12);
    printf("trap: r13 %#018lx r14 %#018lx r15 %#018lx\n", (unsigned long)f->r13,
           (unsigned long)f->r14, (unsigned long)f->r15);
}

/* A #PF or #GP at a probe's access: make the probe return -EFAULT. */
static int trap_probe_fixed(struct trap_frame *f)
{
    if (f->vector != TRAP_PAGE_FAULT && f->vector != TRAP_GP_FAULT)
        return 0;
    if (f->rip != (uintptr_t)trap_probe_read_insn &&
        f->rip != (uintptr_t)trap_probe_write_insn)
        return 0;
    trap_probe_last.count++;
    trap_probe_last.vector = f->vector;
    trap_probe_last.error_code = f->error_code;
    trap_probe_last.cr2 = f->cr2;
    f->rip = (uintptr_t)trap_probe_fixup;
    return 1;
}

void trap_dispatch(struct trap_frame *f)
{
    trap_handler_t h;

    if (f->vector == TRAP_VECTOR_UPCALL) {
        if (trap_upcall)
            trap_upcall(f);
        return;
    }
    /* #PF arrives with upcalls masked (interrupt gate): nothing can have
     * replaced cr2 since the hypervisor wrote it. */
    if (f->vector == TRAP_PAGE_FAULT && shinfo)
        f->cr2 = __atomic_load_n(&shinfo_vcpu()->arch.cr2, __ATOMIC_RELAXED);
    if (trap_probe_fixed(f))
        return;
    h = f->vector < TRAP_NR_VECTORS ? trap_handlers[f->vector] : NULL;
    if (h && h(f) == 0)
        return;
    trap_dump(f);
    if (f->vector == TRAP_VECTOR_FAILSAFE)
        panic("failsafe callback: the hypervisor could not return to rip "
              "%#lx",
              (unsigned long)f->rip);
    panic("unhandled trap %lu at rip %#lx", (unsigned long)f->vector,
          (unsigned long)f->rip);
}
