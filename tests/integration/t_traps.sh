#!/bin/bash
# SPDX-License-Identifier: MIT
# t_traps: boots the traps guest, which takes #PF (repaired by its
# handler), int3, ud2, #DE and #GP through its own trap table and carries
# on, and checks cr2, error codes and the bounce frame; it must print
# "traps: SUCCESS" and power off. Then with "unhandled", a fault no handler claims must end the
# domain (exit 1) with the runtime's register dump and cr2.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_traps.out"
run_guest "$out" traps --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "traps: FAIL"
expect_contains "$out" "traps: ok write to an unmapped page: cr2"
expect_contains "$out" "traps: ok int3: rip"
expect_contains "$out" "traps: ok ud2: #UD at its rip"
expect_contains "$out" "traps: SUCCESS"

run_guest "$out" traps --memory 16 --cmdline unhandled
[ "$RC" -eq 1 ] || { cat "$out"; fail "unhandled: veneerd exited $RC, expected 1"; }
expect_contains "$out" "traps: unhandled #PF now"
expect_contains "$out" "trap: vector 14 error 0x2 cr2 0xbadc0de000"
expect_contains "$out" "PANIC: unhandled trap 14"
expect_absent "$out" "the unhandled fault returned"
echo "t_traps: ok"
