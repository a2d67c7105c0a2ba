/* SPDX-License-Identifier: MIT */
/*
 * vnbench, the host driver of `make bench`: what its parts (start-up runs,
 * guest hypercall runs, host peer loops) share. Nothing else is needed to
 * build one of them.
 */
#ifndef VNBENCH_H
#define VNBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "clock.h"
#include "hist.h"

/* [POLICY] Largest number of runs of one kind (start-up, guest runs). */
#define VNBENCH_MAX_RUNS 1000u

/* [POLICY] A child that runs longer than this is killed: the bench fails
 * rather than hangs. */
#define SPAWN_TIMEOUT_MS 60000

/* [POLICY] Output bytes of a child kept for parsing. */
#define SPAWN_OUT_MAX 4096u

/* Wall-time samples of repeated runs, in nanoseconds. */
struct runs {
    double ns[VNBENCH_MAX_RUNS];
    unsigned int n;
};

/* One spawned child's timings and output. */
struct spawn_out {
    uint64_t first_line_ns; /* spawn -> first '\n' on stdout/stderr; 0: none */
    uint64_t exit_ns;       /* spawn -> child reaped */
    int status;             /* wait status */
    struct rusage ru;       /* the child's and its reaped descendants' */
    size_t len;             /* bytes kept in text (NUL-terminated) */
    char text[SPAWN_OUT_MAX];
};

/* Per-call results of a timed loop, in TSC ticks. */
struct loop_result {
    struct hist calls; /* one sample per call, bracket included */
    uint64_t ovh;      /* median empty bracket, to subtract */
    uint64_t loop;     /* ticks of the whole loop */
    int ok;            /* 0: not run (say why in note) */
    char note[96];
};

/* (a): hello guest under veneerd run, and the spawn floor, interleaved. */
struct startup_result {
    struct runs first_line, exit, floor;
};

/* [POLICY] A hypercall at least this long did not complete on the
 * spinning hand-off path (about 5 us here): it slept or was preempted. */
#define HC_SLOW_NS 15000u

/* [POLICY] An n = N guest run stops its timed loop after this long, so
 * that `make bench` stays within about two minutes even when every call
 * takes the slowest path (a scheduler slice, milliseconds). */
#define HC_RUN_BUDGET_NS 4000000000ull

/* (b): one hypercall mode of the hcloop guest. */
struct hcbench_result {
    unsigned long n;                 /* calls asked for per timed run */
    struct runs done;                /* calls each N-run made (budget) */
    struct runs p50, p90, p99, mean; /* per-run, in ns (bracket removed) */
    struct runs wall0, wall_n;       /* wall time of n = 0 and n = N runs */
    struct runs slow;       /* per-run share of calls >= HC_SLOW_NS, in % */
    struct runs csw;        /* per-run context switches per call, N-run
                              minus 0-run, veneerd and stub together */
    uint64_t veneerd_calls; /* hypercalls veneerd counted (last run);
                               UINT64_MAX: veneerd did not say */
    uint64_t guest_calls;   /* timed calls the guest made (last run) */
};

/* What vnbench was asked to run. */
struct opts {
    const char *veneerd, *hello, *floor, *hcloop;
    unsigned int startup_runs, hc_runs;
    unsigned long hc_calls, syscalls, handoffs, traps;
};

/* Everything one run measured. */
struct results {
    struct startup_result startup;
    struct hcbench_result page, raw;
    struct loop_result syscall, handoff, trap, trap_handoff;
    double drift_ppm; /* TSC rate over the run vs the calibration */
    double steal_pct; /* CPU time the VM's host took, over the run */
};

/* vnbench.c (its clock is clock.h's) */
double runs_percentile(const struct runs *r, unsigned int permille);
double runs_mean(const struct runs *r);
void runs_add(struct runs *r, double ns);

/* report.c (its table is table.h's) */
void report_facts(double idle_pct);
void report_table(const struct opts *o, const struct results *r);

/* spawn.c */
int spawn_run(char *const argv[], struct spawn_out *o);

/* startup.c */
int startup_bench(const char *veneerd, const char *guest, const char *floor,
                  unsigned int runs, struct startup_result *r);

/* hypercall.c */
int hcbench_run(const char *veneerd, const char *guest, const char *mode,
                unsigned long n, unsigned int runs, struct hcbench_result *r);

/* handoff.c: the spinning mailbox model (a server thread and a caller). */
struct handoff;
struct handoff *handoff_start(void);
int64_t handoff_call(struct handoff *h, const uint64_t regs[], size_t nregs);
void handoff_stop(struct handoff *h);

/* loops.c */
void loops_getppid(unsigned long n, struct loop_result *r);
void loops_handoff(unsigned long n, struct loop_result *r);

/* trap.c */
int trap_bench(unsigned long n, struct loop_result *trap,
               struct loop_result *trap_handoff);

#endif /* VNBENCH_H */
