#!/bin/bash
# SPDX-License-Identifier: MIT
# pending_xen_strict (rename to t_xen_strict.sh once veneerd answers as Xen
# does everywhere): runs the hostile, mmu, balloon, traps and timer guests
# with "strict-xen", where each case must get Xen's exact error or result,
# without the NOTE allowance for Veneer's documented differences. Each
# guest must power off with SUCCESS and print no NOTE line; every guest
# runs, and every difference is listed, before the verdict.
set -u
. tests/integration/lib.sh

bad=""
for g in hostile mmu balloon traps timer; do
    out="$BUILD/test-logs/t_xen_strict_$g.out"
    run_guest "$out" $g --memory 16 --cmdline strict-xen
    grep -E "^$g: (FAIL|NOTE|ABORT)" "$out"
    if [ "$RC" -ne 0 ] || grep -q "^$g: NOTE" "$out" ||
        ! grep -q "^$g: SUCCESS" "$out"; then
        echo "== $g (strict-xen): exit $RC"
        bad="$bad $g"
    fi
done
[ -z "$bad" ] || fail "not as Xen answers:$bad"
echo "t_xen_strict: ok"
