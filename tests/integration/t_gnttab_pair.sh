#!/bin/bash
# SPDX-License-Identifier: MIT
# t_gnttab_pair: two guests under the daemon share a page by grant
# (tests/guests/gntpair.c). A grants pages to B; B maps one, reads A's
# words and writes its own, which A reads back; A cannot end access while
# B maps the page, and can once B unmapped; B copies from A's read-only
# grant and into A's control page, and gets Xen's codes for wrong refs,
# wrong domains, a writable map or a copy into a read-only grant. Then a
# second pair where B dies holding the mapping: A must get its page back
# (security invariant 4).
set -u
. "$(dirname "$0")/lib.sh"

private_vn_host gnttab-pair

# domid NAME: the domain's id from vn list.
domid() {
    timeout 10 "$VN" list | awk -v n="$1" '$1 == n { print $2 }'
}

# guest NAME CMDLINE: create a gntpair domain, kept once it stops.
guest() {
    cat >"$dir/$1.yaml" <<YAML
name: $1
kernel: $GUESTS/gntpair.elf
memory: 16
cmdline: "$2"
on_poweroff: preserve
on_crash: preserve
YAML
    timeout 30 "$VN" create "$dir/$1.yaml" >"$dir/create.out" 2>&1 ||
        { cat "$dir/create.out"; fail "vn create $1"; }
}

# wait_stopped NAME: up to 30 s for the domain to stop.
wait_stopped() {
    for _ in $(seq 300); do
        timeout 10 "$VN" list | awk -v n="$1" '$1 == n { print $5 }' |
            grep -qE '^(shutdown|crashed)' && return 0
        sleep 0.1
    done
    fail "$1 did not stop"
}

timeout 60 "$VN" host start >"$dir/host.out" 2>&1 || { cat "$dir/host.out"; fail "vn host start"; }

# A's command line must name B before B exists. Domain ids are handed
# out in order and a fresh daemon starts at 1: A gets `next`, B the one
# after (checked).
next=1

# -- the pair that unmaps.
guest gpa "role=granter peer=$((next + 1))"
[ "$(domid gpa)" = "$next" ] || fail "gpa got id $(domid gpa), expected $next"
guest gpb "role=mapper peer=$(domid gpa)"
[ "$(domid gpb)" = "$((next + 1))" ] || fail "gpb got id $(domid gpb), expected $((next + 1))"
wait_stopped gpa
wait_stopped gpb
logs="$VENEER_RUNDIR/console"
for g in gpa gpb; do
    expect_absent "$logs/$g.log" "gntpair: FAIL"
    expect_contains "$logs/$g.log" "gntpair: SUCCESS"
done
expect_contains "$logs/gpa.log" "gntpair: ok B wrote into the page through its mapping"
expect_contains "$logs/gpa.log" "gntpair: refused end access while B maps the page -> -16"
expect_contains "$logs/gpa.log" "gntpair: ok access ends once B unmapped"
expect_contains "$logs/gpb.log" "gntpair: ok read A's words"
expect_contains "$logs/gpb.log" "gntpair: refused map a ref A never granted -> -1"
expect_contains "$logs/gpb.log" "gntpair: refused map from domain 999 -> -2"
expect_contains "$logs/gpb.log" "gntpair: refused copy into A's read-only grant -> -1"

# -- the pair whose mapper dies holding the page.
next=$(( $(domid gpb) + 1 ))
guest gda "role=granter death peer=$((next + 1))"
[ "$(domid gda)" = "$next" ] || fail "gda got id $(domid gda), expected $next"
guest gdb "role=mapper crash peer=$(domid gda)"
[ "$(domid gdb)" = "$((next + 1))" ] || fail "gdb got id $(domid gdb), expected $((next + 1))"
wait_stopped gda
wait_stopped gdb
expect_contains "$logs/gdb.log" "gntpair: crashing with the page mapped"
expect_contains "$logs/gda.log" "gntpair: refused end access while B maps the page -> -16"
expect_contains "$logs/gda.log" "gntpair: ok access ends once the mapper died"
expect_contains "$logs/gda.log" "gntpair: SUCCESS"
expect_absent "$logs/gda.log" "gntpair: FAIL"
echo "t_gnttab_pair: ok"
