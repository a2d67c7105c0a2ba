#!/bin/bash
# SPDX-License-Identifier: MIT
# t_gnttab: boots the gnttab guest, which grants pages to itself and maps,
# copies and unmaps them (tests/guests/gnttab.c): a mapping shows the
# granted page and writes land in it, GTF_reading/GTF_writing are set
# while it is mapped and clear once unmap returns, the granter cannot end
# access meanwhile, read-only grants stay read-only, copies go both ways
# within one page, and every bad request gets Xen's GNTST code. It must
# power off (exit 0) with "gnttab: SUCCESS" and no failed check.
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_gnttab.out"
run_guest "$out" gnttab --memory 16 --cmdline "domid=1"
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "gnttab: FAIL"
expect_absent "$out" "gnttab: ABORT"
expect_absent "$out" "gnttab: NOTE"
expect_contains "$out" "gnttab: ok a write through it lands in the page"
expect_contains "$out" "gnttab: refused end access while mapped -> -16"
expect_contains "$out" "gnttab: ok both bits clear once unmap returns"
expect_contains "$out" "gnttab: ok a write through it faults"
line=$(grep '^gnttab: SUCCESS' "$out") || { cat "$out"; fail "no 'gnttab: SUCCESS' line"; }
refused=$(grep -c '^gnttab: refused ' "$out")
[ "$refused" -ge 18 ] || fail "only $refused refusals, expected >= 18"
echo "t_gnttab: ok: $line"
