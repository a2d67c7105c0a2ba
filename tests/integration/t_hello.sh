#!/bin/bash
# SPDX-License-Identifier: MIT
# t_hello: boots the hello guest (linked at virtual address 0) and checks
# its greeting, what it read from start_info, and a clean poweroff (exit 0).
# Two memory sizes and command lines, so a hard-coded answer cannot pass.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_hello.out"

# expect_line FILE LINE: FILE must hold LINE as a whole line.
expect_line() {
    grep -qxF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "missing line '$2'"; }
}

run_guest "$out" hello --memory 16 --cmdline "hello world 42"
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0 (poweroff)"; }
expect_line "$out" "Hello from Veneer!"
expect_line "$out" "hello: magic=xen-3.0-x86_64 nr_pages=4096 cmdline='hello world 42'"
expect_absent "$out" "PANIC"

run_guest "$out" hello --memory 32 --cmdline "second run"
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0 (poweroff)"; }
expect_line "$out" "Hello from Veneer!"
expect_line "$out" "hello: magic=xen-3.0-x86_64 nr_pages=8192 cmdline='second run'"
echo "t_hello: ok"
