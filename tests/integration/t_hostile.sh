#!/bin/bash
# SPDX-License-Identifier: MIT
# t_hostile: boots the hostile guest, which gives every core and PV
# hypercall bad numbers, subcommands, pointers and values and checks each
# gets Xen's error code (or, with a NOTE line, Veneer's documented one;
# pending_xen_strict.sh runs it without that allowance), with positive
# controls. It must power off (exit 0) having refused at least MIN_CASES
# cases, so a guest that skipped cases fails. The guest skips a hypercall
# that answers -ENOSYS (not implemented); veneerd has them all, so none
# may be skipped.
set -u
. tests/integration/lib.sh

MIN_CASES=315
out="$BUILD/test-logs/t_hostile.out"
run_guest "$out" hostile --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "hostile: FAIL"
expect_absent "$out" "hostile: ABORT"
expect_absent "$out" "WRONG"
expect_absent "$out" "hostile: SKIP"
n=$(sed -n 's/^hostile: SUCCESS (\([0-9]*\) cases refused)$/\1/p' "$out")
[ -n "$n" ] || { cat "$out"; fail "no 'hostile: SUCCESS (N cases refused)' line"; }
[ "$n" -ge "$MIN_CASES" ] || fail "only $n cases refused, expected >= $MIN_CASES"
# Each refused case printed its own line.
lines=$(grep -c '^hostile: .* -> -[0-9]*$' "$out")
[ "$lines" -ge "$n" ] || fail "$n cases claimed, $lines case lines printed"
echo "t_hostile: ok ($n cases refused)"
