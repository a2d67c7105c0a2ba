#!/bin/bash
# SPDX-License-Identifier: MIT
# t_rawcall: boots a guest built without XEN_ELFNOTE_HYPERCALL_PAGE. The
# builder must leave its page alone, and raw `syscall` hypercalls alone must
# carry its console output and its poweroff (exit 0).
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_rawcall.out"
run_guest "$out" rawcall --memory 16
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_contains "$out" "rawcall: xen_version -> 0x"
expect_contains "$out" "rawcall: SUCCESS"
expect_absent "$out" "rawcall: ABORT"
echo "t_rawcall: ok"
