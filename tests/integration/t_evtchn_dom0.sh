#!/bin/bash
# SPDX-License-Identifier: MIT
# t_evtchn_dom0: a host process as dom0's end of a guest's event channel
# through libvnev, against `veneerd daemon`: vnev-ping creates the evchan
# guest (pong role, its channel unbound for domain 0), binds to it, checks
# Xen's answers from dom0's side, plays 2000 round trips (the guest's
# notifications arrive on an eventfd; dom0's go back by the send eventfd),
# closes its end and sees VIRQ_DOM_EXC when the guest powers off. The
# guest's console must end in SUCCESS.
set -u
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d /tmp/t_evtchn_dom0.XXXXXX)
run="$dir/run"
"$VENEERD" daemon --rundir "$run" >"$dir/veneerd.log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 100); do
    [ -S "$run/veneerd.sock" ] && break
    sleep 0.05
done
[ -S "$run/veneerd.sock" ] || { cat "$dir/veneerd.log"; fail "no control socket"; }

out="$BUILD/test-logs/t_evtchn_dom0.out"
timeout 120 "$BUILD/tests/vnev-ping" --rundir "$run" \
    --kernel "$GUESTS/evchan.elf" --name pong --rounds 2000 >"$out" 2>&1
rc=$?
cat "$out"
[ "$rc" -eq 0 ] || { cat "$dir/veneerd.log"; fail "vnev-ping exited $rc"; }
expect_contains "$out" "vnev-ping: SUCCESS"
log="$run/console/pong.log"
for _ in $(seq 100); do
    grep -qF "evchan: SUCCESS" "$log" 2>/dev/null && break
    sleep 0.05
done
expect_contains "$log" "evchan: SUCCESS"
expect_contains "$log" "evchan: ok 2000 events answered"
timeout 30 "$BUILD/tests/vnev-ping" --peer --rounds 2000 | grep -F "rtt"
echo "t_evtchn_dom0: ok"
