#!/bin/bash
# SPDX-License-Identifier: MIT
# t_layout: boots the layout guest, which checks the PV start-of-day layout
# (XEN-ABI-FACTS §3.4a) from inside, at two memory sizes (the P2M list and
# so the whole bootstrap region move with nr_pages).
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_layout.out"
for mem in 16 64; do
    run_guest "$out" layout --memory "$mem"
    [ "$RC" -eq 0 ] || { cat "$out"; fail "--memory $mem: veneerd exited $RC, expected 0"; }
    expect_contains "$out" "layout: SUCCESS"
    expect_absent "$out" "layout: ABORT"
    expect_contains "$out" "nr_pages=$((mem * 256)) "
done
echo "t_layout: ok"
