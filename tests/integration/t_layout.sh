#!/bin/bash
# SPDX-License-Identifier: MIT
# t_layout: boots the layout guest, which checks the PV start-of-day layout
# (XEN-ABI-FACTS §3.4a) from inside, at three link bases and two memory
# sizes (the P2M list and so the whole bootstrap region move with nr_pages).
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_layout.out"
# layout is linked at 16 MiB, layout_odd one page below a 4 MiB boundary,
# layout_top so that its region ends exactly at VENEER_GUEST_VA_LIMIT.
for guest in layout layout_odd layout_top; do
    for mem in 16 64; do
        run_guest "$out" "$guest" --memory "$mem"
        [ "$RC" -eq 0 ] || { cat "$out"; fail "$guest --memory $mem: veneerd exited $RC, expected 0"; }
        expect_contains "$out" "layout: SUCCESS"
        expect_absent "$out" "layout: ABORT"
        expect_contains "$out" "nr_pages=$((mem * 256)) "
    done
done
echo "t_layout: ok"
