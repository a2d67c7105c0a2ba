#!/bin/bash
# SPDX-License-Identifier: MIT
# t_traps: boots the traps guest, which takes #PF (repaired by its
# handler), int3, ud2, #DE and #GP through its own trap table and carries
# on, and checks cr2, error codes and the bounce frame; it must print
# "traps: SUCCESS" and power off, with a hypercall page and without one
# (traps_raw). Then with "unhandled", a fault no
# handler claims must end the domain (exit 1) with the runtime's register
# dump and cr2. Last, hostile iret frames (to user mode, to a
# non-canonical rip, from a stack that runs off the region) must end the
# domain (exit 1), and one with every rflags bit set must end it or come
# back; veneerd reports each and a fresh guest still boots.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_traps.out"
run_guest "$out" traps --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_contains "$out" "hypercalls by the page"
expect_absent "$out" "traps: FAIL"
expect_contains "$out" "traps: ok write to an unmapped page: cr2"
expect_contains "$out" "traps: ok int3: rip"
expect_contains "$out" "traps: ok ud2: #UD at its rip"
expect_contains "$out" "traps: ok a #PF inside the int3 handler nested"
expect_contains "$out" "traps: SUCCESS"

# Without a hypercall page the stubs return with a raw iret syscall.
run_guest "$out" traps_raw --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "traps_raw: veneerd exited $RC, expected 0"; }
expect_contains "$out" "hypercalls by raw syscall"
expect_absent "$out" "traps: FAIL"
expect_contains "$out" "traps: SUCCESS"

run_guest "$out" traps --memory 16 --cmdline unhandled
[ "$RC" -eq 1 ] || { cat "$out"; fail "unhandled: veneerd exited $RC, expected 1"; }
expect_contains "$out" "traps: unhandled #PF now"
expect_contains "$out" "trap: vector 14 error 0x2 cr2 0xbadc0de000"
expect_contains "$out" "PANIC: unhandled trap 14"
expect_absent "$out" "the unhandled fault returned"

for mode in iret-user iret-noncanonical iret-badstack iret-flags; do
    run_guest "$out" traps --memory 16 --cmdline $mode
    expect_contains "$out" "traps: $mode now"
    case "$mode:$RC" in
    iret-flags:0) expect_contains "$out" "traps: iret-flags returned" ;;
    *:1) expect_absent "$out" "traps: $mode returned" ;;
    *) cat "$out"; fail "$mode: veneerd exited $RC, expected 1 (crash)" ;;
    esac
done
run_guest "$out" hello --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "hello after the iret runs: exit $RC"; }
echo "t_traps: ok"
