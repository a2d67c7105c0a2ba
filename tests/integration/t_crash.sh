#!/bin/bash
# SPDX-License-Identifier: MIT
# t_crash: boots the crash guest, which writes to an unmapped address with
# no trap table; veneerd must crash the domain (exit 1) and print a register
# dump naming rip and the faulting address.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_crash.out"
run_guest "$out" crash --memory 16
[ "$RC" -eq 1 ] || { cat "$out"; fail "veneerd exited $RC, expected 1 (crash)"; }
expect_contains "$out" "crash: faulting now"
expect_absent "$out" "did not fault"
grep -qiw "rip" "$out" || { cat "$out"; fail "no rip in the register dump"; }
grep -qi "badc0de000" "$out" || { cat "$out"; fail "faulting address 0xbadc0de000 not reported"; }
echo "t_crash: ok"
