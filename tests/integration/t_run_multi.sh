#!/bin/bash
# SPDX-License-Identifier: MIT
# t_run_multi: `veneerd run` with several kernels (docs/cli.md): domains
# 1..N in command-line order, per-kernel options, every console line
# prefixed "[name] ", the exit status 0 only when every guest powered off,
# else the first non-zero one in command-line order; bad per-kernel
# options are usage errors.
set -u
. "$(dirname "$0")/lib.sh"

out="$BUILD/test-logs/t_run_multi.out"
H="$GUESTS/hello.elf"
C="$GUESTS/crash.elf"

timeout 60 "$VENEERD" run "$H" "$H" --memory 16 --cmdline-2 "second" -v \
    --name-1 first >"$out" 2>&1
[ $? -eq 0 ] || { cat "$out"; fail "two hellos: expected 0"; }
expect_contains "$out" "[first] Hello from Veneer!"
expect_contains "$out" "[hello.elf] hello: magic=xen-3.0-x86_64 nr_pages=4096 cmdline='second'"
expect_contains "$out" "dom1 (first): stopped"
expect_contains "$out" "dom2 (hello.elf): stopped"

timeout 60 "$VENEERD" run "$H" "$H" --memory 16 >"$out" 2>&1
[ $? -eq 0 ] || { cat "$out"; fail "same kernel twice: expected 0"; }
expect_contains "$out" "[hello.elf-2] Hello from Veneer!"

timeout 60 "$VENEERD" run "$H" "$C" "$H" --memory 16 >"$out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$out"; fail "a crash among three: exit $rc, want 1"; }
expect_contains "$out" "[crash.elf] crash: faulting now"
expect_contains "$out" "[hello.elf-3] Hello from Veneer!"

timeout 60 "$VENEERD" run "$H" --memory 16 >"$out" 2>&1
[ $? -eq 0 ] || fail "one kernel: expected 0"
expect_contains "$out" "Hello from Veneer!"
expect_absent "$out" "[hello.elf]"

for bad in "--cmdline-3 x" "--memory-1 2" "--name-0 x" "--cmdline-2"; do
    # shellcheck disable=SC2086
    timeout 10 "$VENEERD" run "$H" "$H" $bad >"$out" 2>&1
    rc=$?
    [ "$rc" -eq 64 ] || { cat "$out"; fail "'$bad': exit $rc, want 64"; }
done
timeout 10 "$VENEERD" run "$H" "$H" --name-1 a --name-2 a >"$out" 2>&1
[ $? -eq 64 ] || fail "two domains named alike: want 64"
echo "t_run_multi: ok"
