#!/bin/bash
# SPDX-License-Identifier: MIT
# t_escape: boots the escape guest in each mode and checks the host after:
#   calls          host system calls through the stub's gate: all refused,
#                  writable or moved mappings of the page-table frames
#                  included; guest powers off (exit 0);
#   int80          the 32-bit entry: the domain must crash (exit 1);
#   vsyscall       the legacy vsyscall page: refused or crashed, never run;
#   scribble,      garbage in the mailbox / over the stub's data: errors or
#   scribble-data  a domain crash (exit 0 or 1), but veneerd must report
#                  and exit normally (no signal, no hang).
# Afterwards the marker file the guest tries to create must not exist, PID
# 1 must be alive and not stopped, and a fresh hello guest must still boot.
set -u
. tests/integration/lib.sh

MARKER=/tmp/veneer-escape-marker
out="$BUILD/test-logs/t_escape.out"

check_host() {
    [ ! -e "$MARKER" ] || fail "$1: $MARKER exists: a host call got through"
    kill -0 1 2>/dev/null || fail "$1: PID 1 is gone"
    case "$(ps -o stat= -p 1)" in
    *T* | *t*) fail "$1: PID 1 is stopped or traced" ;;
    esac
}

rm -f "$MARKER"
[ ! -e "$MARKER" ] || fail "cannot remove $MARKER before the run"

run_guest "$out" escape --memory 16 --cmdline calls
[ "$RC" -eq 0 ] || { cat "$out"; fail "calls: veneerd exited $RC, expected 0"; }
expect_contains "$out" "escape: gate at"
expect_contains "$out" "escape: SUCCESS ("
expect_absent "$out" "escape: ALLOWED"
expect_absent "$out" "escape: SKIPPED"
expect_contains "$out" "escape: kill(1, SIGKILL) refused"
expect_contains "$out" "escape: execve(/bin/sh) refused"
# The page-table frames stay read-only however the gate is asked.
expect_contains "$out" "escape: mmap(fd 3 over PT frame 0, RW) refused"
expect_contains "$out" "escape: pkey_mprotect(PT frame 0, RW) refused"
expect_contains "$out" "escape: mremap(pt_base to a fresh address) refused"
expect_contains "$out" "escape: pt_base still holds the L4"
expect_contains "$out" "escape: mprotect(new L1, RW) refused"
expect_contains "$out" "escape: new L1 unlinked -> 0"
# Grant ops' file numbers: no mmap without veneerd's op, close only there.
expect_contains "$out" "escape: mmap(grant fd 32, MAP_SHARED|MAP_FIXED) refused rc=-1"
expect_contains "$out" "escape: mmap(grant fd 63, MAP_SHARED|MAP_FIXED) refused rc=-1"
expect_contains "$out" "escape: close(3) refused rc=-1"
expect_contains "$out" "escape: close(2^32 + 3) refused rc=-1"
expect_contains "$out" "escape: close(grant fd 40, not open) refused rc=-9"
check_host calls

run_guest "$out" escape --memory 16 --cmdline int80
[ "$RC" -eq 1 ] || { cat "$out"; fail "int80: veneerd exited $RC, expected 1 (crash)"; }
expect_contains "$out" "escape: int80 now"
expect_absent "$out" "int80 ALLOWED"
check_host int80

# vsyscall: each entry refused (exit 0, SUCCESS) or the domain crashed
# (exit 1); never ALLOWED.
run_guest "$out" escape --memory 16 --cmdline vsyscall
expect_contains "$out" "escape: vsyscall now"
expect_absent "$out" "escape: ALLOWED"
case "$RC" in
0) expect_contains "$out" "escape: SUCCESS (3 refused)" ;;
1) expect_absent "$out" "escape: SUCCESS" ;;
*) cat "$out"; fail "vsyscall: veneerd exited $RC, expected 0 or 1" ;;
esac
check_host vsyscall

for mode in scribble scribble-data; do
    run_guest "$out" escape --memory 16 --cmdline "$mode"
    case "$RC" in
    0 | 1) ;;
    *) cat "$out"; fail "$mode: veneerd exited $RC (expected 0 or 1; 124 = hung, >128 = killed)" ;;
    esac
    expect_contains "$out" "escape: scribble "
    check_host "$mode"
done

run_guest "$out" hello --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "hello after the escape runs: exit $RC"; }
expect_contains "$out" "Hello from Veneer!"
echo "t_escape: ok"
