#!/bin/bash
# SPDX-License-Identifier: MIT
# t_gnttab_dom0: a guest grants pages to domain 0 (tests/guests/gntdom0.c)
# and a host process maps and copies them through veneerd with libvngnt
# (dom0-tools/libvngnt/vngnt_check.c): the mapping is the guest's page
# (writes go both ways), the guest cannot end access while it is mapped,
# read-only stays read-only, the toolstack's refs 0 and 1 (console and
# store rings) are mappable, a grant to another domain, an ended or an
# unknown ref, and an unknown domain are refused with Xen's codes, and a
# host process that dies holding a mapping releases it.
set -u
. "$(dirname "$0")/lib.sh"
CHECK="$BUILD/tests/vngnt-check"

private_vn_host gnttab-dom0

timeout 60 "$VN" host start >"$dir/host.out" 2>&1 ||
    { cat "$dir/host.out"; fail "vn host start"; }
cat >"$dir/gd0.yaml" <<YAML
name: gd0
kernel: $GUESTS/gntdom0.elf
memory: 16
on_poweroff: preserve
on_crash: preserve
YAML
timeout 30 "$VN" create "$dir/gd0.yaml" >"$dir/create.out" 2>&1 ||
    { cat "$dir/create.out"; fail "vn create"; }
id=$(timeout 10 "$VN" list | awk '$1 == "gd0" { print $2 }')
[ -n "$id" ] || fail "no domain gd0"

timeout 60 "$CHECK" --domid "$id" >"$dir/check.out" 2>&1
rc=$?
cat "$dir/check.out"
[ $rc -eq 0 ] || fail "vngnt-check exited $rc"
expect_contains "$dir/check.out" "vngnt-check: SUCCESS"
expect_absent "$dir/check.out" "vngnt-check: FAIL"
expect_contains "$dir/check.out" "vngnt-check: ok map ref 1 (store ring)"
expect_contains "$dir/check.out" "vngnt-check: refused map a grant to another domain -> rc -22, GNTST -1"

log="$VENEER_RUNDIR/console/gd0.log"
for _ in $(seq 200); do
    grep -qE '^gntdom0: (SUCCESS|ABORT)' "$log" 2>/dev/null && break
    sleep 0.05
done
cat "$log"
expect_absent "$log" "gntdom0: FAIL"
expect_contains "$log" "gntdom0: refused end access while dom0 maps the page -> -16"
expect_contains "$log" "gntdom0: ok a dead host process's mapping was released"
expect_contains "$log" "gntdom0: SUCCESS"
echo "t_gnttab_dom0: ok"
