#!/bin/bash
# SPDX-License-Identifier: MIT
# t_upcall: boots the upcall_probe guest, which checks veneerd's event
# upcalls, timers and blocking with its own entry code: Xen's default
# 100 Hz tick, a spinning vCPU interrupted by its timer (the kick path), a
# blocked vCPU woken by it, register_vcpu_info's copy and spurious upcall,
# Xen's error codes, set_segment_base(FS), a software interrupt through
# the trap table and a native iretq to Xen's flat selectors. It must print no FAIL and "upcall_probe: SUCCESS" and
# power off. Its latency lines are shown, not judged (they depend on the
# host's load; bench/ measures them).
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_upcall.out"
run_guest "$out" upcall_probe --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "upcall_probe: FAIL"
expect_contains "$out" "upcall_probe: ok one spurious upcall"
expect_contains "$out" "upcall_probe: ok a spinning vCPU is interrupted"
expect_contains "$out" "upcall_probe: ok native iretq to FLAT_KERNEL_CS/SS"
expect_contains "$out" "upcall_probe: SUCCESS"
grep "upcall_probe: latency" "$out"
echo "t_upcall: ok"
