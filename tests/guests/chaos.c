/* SPDX-License-Identifier: MIT */
/*
 * chaos: a hypercall fuzzer inside a guest. From a seed on its command line
 * ("seed=N calls=M") it issues M hypercalls with pseudo-random numbers,
 * sub-commands and arguments: zeros, small and huge integers, all-ones,
 * and pointers into three scratch pages filled with random words, just
 * below the guest limit, into the stub region and the upper half. Security invariant 2: every one gets an answer (an error, mostly)
 * and veneerd survives. A few calls are never made because they would only
 * end this guest's run early (shutdown, block/poll without a timer, iret,
 * callbacks and traps pointing at random code, taking its vCPU down).
 *
 * Output: progress lines, then "chaos: SUCCESS (N calls made, E errors)" and
 * poweroff. A random call may still legitimately stop the domain (say, an
 * mmu_update that unmaps its own stack): the integration test accepts a
 * clean crash report, never a veneerd that died or hung.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <veneer/console.h>
#include <veneer/hypercall.h>
#include <veneer/platform.h>
#include <veneer/runtime.h>
#include <veneer/string.h>

static uint64_t chaos_state;
/* Three pages the hypercalls may read and write at will: pointers made
 * by chaos_arg land only here (or outside the guest's memory). They sit in
 * the bootstrap region's padding, past the page tables and the bootstrap
 * stack, so that an array a call runs past them (a huge count) reaches
 * only more padding and then unmapped space, never the guest's own state. */
static uint64_t *scratch;

static uint64_t chaos_next(void)
{
    /* xorshift64*: fast, good enough, and the same sequence per seed. */
    chaos_state ^= chaos_state >> 12;
    chaos_state ^= chaos_state << 25;
    chaos_state ^= chaos_state >> 27;
    return chaos_state * 0x2545f4914f6cdd1dull;
}

static uint64_t chaos_arg(void)
{
    static const uint64_t edges[] = {
        0,
        1,
        2,
        7,
        64,
        4095,
        4096,
        0x7ff0,
        0x7fff,
        0xffffffffull,
        0x100000000ull,
        VENEER_GUEST_VA_LIMIT - 8,
        VENEER_STUB_BASE,
        VENEER_STUB_MAILBOX,
        0xffff800000000000ull,
        ~0ull,
        1ull << 47,
    };
    uint64_t r = chaos_next();

    switch (r % 6) {
    case 0:
        return edges[(r >> 8) % (sizeof(edges) / sizeof(*edges))];
    case 1: /* anywhere in the middle scratch page */
        return (uint64_t)(uintptr_t)scratch + 4096 + ((r >> 8) % 4096);
    case 2: /* the start of a scratch page */
        return (uint64_t)(uintptr_t)scratch + ((r >> 8) % 3) * 4096;
    case 3: {
        /* Small numbers double as multicall ops in the scratch pages:
         * never the ones chaos_skip keeps out of direct calls. */
        uint64_t v = (r >> 8) % 64;
        return v == 0 || v == 4 || v == 23 || v == 29 || v == 30 ? v + 1 : v;
    }
    default:
        return chaos_next();
    }
}

/* Calls that would only stop this run, not test veneerd. */
static int chaos_skip(uint64_t nr, uint64_t cmd)
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:
    case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_iret:
    case __HYPERVISOR_callback_op:
        return 1;
    case __HYPERVISOR_sched_op:
        return cmd != SCHEDOP_yield && cmd < 64;
    case __HYPERVISOR_vcpu_op:
        return cmd == VCPUOP_down;
    default:
        return 0;
    }
}

static uint64_t chaos_param(const char *cmd, const char *key, uint64_t dflt)
{
    const char *p = cmd;
    size_t n = strlen(key);

    for (; *p; p++) {
        if (strncmp(p, key, n) == 0 && p[n] == '=') {
            uint64_t v = 0;
            for (p += n + 1; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (uint64_t)(*p - '0');
            return v;
        }
    }
    return dflt;
}

/* True if word appears in the command line. */
static int strstr_simple(const char *hay, const char *word)
{
    size_t n = strlen(word);

    for (; *hay; hay++)
        if (strncmp(hay, word, n) == 0)
            return 1;
    return 0;
}

int guest_main(struct start_info *si)
{
    const char *cmd = (const char *)si->cmd_line;
    uint64_t calls = chaos_param(cmd, "calls", 20000);
    uint64_t errors = 0, made = 0;
    int trace = strstr_simple(cmd, "trace");

    scratch =
        (uint64_t *)(uintptr_t)(si->pt_base + (si->nr_pt_frames + 4) * 4096);
    chaos_state = chaos_param(cmd, "seed", 1) * 0x9e3779b97f4a7c15ull + 1;
    printf("chaos: seed %lu, %lu calls\n",
           (unsigned long)chaos_param(cmd, "seed", 1), (unsigned long)calls);
    for (uint64_t i = 0; i < calls; i++) {
        uint64_t r = chaos_next();
        uint64_t nr = r % 8 == 0 ? chaos_next() : r % 48;
        uint64_t a[5];
        long rc;

        for (int k = 0; k < 5; k++)
            a[k] = chaos_arg();
        if (r % 3)
            a[0] %= 32; /* a sub-command most of the time */
        for (int k = 0; k < 3 * 512; k++)
            scratch[k] = chaos_next() % 4 ? chaos_arg() : chaos_next();
        if (chaos_skip(nr, a[0]))
            continue;
        /* update_va_mapping of a non-present entry is always legal: aim
         * it away from the image, or the guest unmaps itself at once. */
        if (nr == __HYPERVISOR_update_va_mapping)
            a[0] = 0x300000000ull + (a[0] & 0xfffffff000ull);
        if (trace)
            printf("chaos: #%lu nr %lu %lx %lx %lx %lx %lx\n", (unsigned long)i,
                   (unsigned long)nr, (unsigned long)a[0], (unsigned long)a[1],
                   (unsigned long)a[2], (unsigned long)a[3],
                   (unsigned long)a[4]);
        rc = _hypercall5(nr, a[0], a[1], a[2], a[3], a[4]);
        made++;
        errors += rc < 0;
        if ((i + 1) % 5000 == 0)
            printf("chaos: %lu tries, %lu calls made, %lu errors\n",
                   (unsigned long)(i + 1), (unsigned long)made,
                   (unsigned long)errors);
    }
    printf("chaos: SUCCESS (%lu calls made, %lu errors)\n", (unsigned long)made,
           (unsigned long)errors);
    return 0;
}
