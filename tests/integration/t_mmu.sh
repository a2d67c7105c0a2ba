#!/bin/bash
# SPDX-License-Identifier: MIT
# t_mmu: boots the mmu guest, which maps, remaps and unmaps pages, builds,
# pins and links new tables, switches base pointers, and tries every
# illegal page-table update of XEN-ABI-FACTS §8.4. It must power off
# (exit 0) with "mmu: SUCCESS" and no failed check. NOTE lines (Veneer's
# documented errors where Xen's differ) are allowed here and counted;
# pending_xen_strict.sh demands Xen's answers. veneerd bounces traps and
# balloons, so no check may be skipped: the fault checks (unmapped and
# read-only pages through probes) and the pinned-table free all run.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_mmu.out"
run_guest "$out" mmu --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "mmu: FAIL"
expect_absent "$out" "mmu: ABORT"
expect_contains "$out" "mmu: ok new L1 built, pinned, linked -> 0"
expect_contains "$out" "mmu: ok write via the window, read via A's 1:1 alias"
expect_contains "$out" "mmu: ok NEW_BASEPTR back to the bootstrap L4 -> 0"
line=$(grep '^mmu: SUCCESS' "$out") || { cat "$out"; fail "no 'mmu: SUCCESS' line"; }
# Every illegal update was answered, Xen's way or Veneer's documented way.
refused=$(grep -c '^mmu: refused ' "$out")
notes=$(grep -c '^mmu: NOTE ' "$out")
[ $((refused + notes)) -ge 20 ] || fail "only $refused refused + $notes notes, expected >= 20"
expect_absent "$out" "mmu: SKIP"
expect_contains "$out" "mmu: ok read of the unmapped page faults: rc -14"
echo "t_mmu: ok: $line"
