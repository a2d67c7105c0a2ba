#!/bin/bash
# SPDX-License-Identifier: MIT
# t_timer: boots the timer guest (pvclock, wallclock, three 50 ms sleeps
# woken by VIRQ_TIMER through the upcall, a singleshot timer, a past
# deadline, cancel, SCHEDOP_poll). It must print "timer: SUCCESS" and power
# off, and the wallclock it reports at start and end must lie within the
# host's clock readings around the run (1 s either side).
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_timer.out"
before=$(date +%s)
run_guest "$out" timer --memory 16
after=$(date +%s)
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_absent "$out" "timer: FAIL"
expect_contains "$out" "timer: SUCCESS"
for when in start end; do
    s=$(sed -n "s/^timer: wallclock $when \([0-9]*\)\.[0-9]*$/\1/p" "$out")
    [ -n "$s" ] || fail "no 'timer: wallclock $when' line"
    [ "$s" -ge $((before - 1)) ] && [ "$s" -le $((after + 1)) ] ||
        fail "guest wallclock $when $s is outside the host's [$before, $after]"
done
echo "t_timer: ok"
