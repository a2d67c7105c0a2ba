#!/bin/bash
# SPDX-License-Identifier: MIT
# pending_xen_strict (rename to t_xen_strict.sh once veneerd answers as Xen
# does everywhere): runs the hostile, mmu, balloon, traps and timer guests
# with "strict-xen", where each case must get Xen's exact error or result,
# without the NOTE allowance for Veneer's documented differences. Each
# guest must still power off with SUCCESS and print no NOTE line.
set -u
. tests/integration/lib.sh

for g in hostile mmu balloon traps timer; do
    out="$BUILD/test-logs/t_xen_strict_$g.out"
    run_guest "$out" $g --memory 16 --cmdline strict-xen
    grep -E "^$g: (FAIL|NOTE)" "$out"
    [ "$RC" -eq 0 ] || fail "$g (strict-xen): veneerd exited $RC, expected 0"
    expect_absent "$out" "$g: NOTE"
    expect_contains "$out" "$g: SUCCESS"
done
echo "t_xen_strict: ok"
