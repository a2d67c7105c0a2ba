#!/bin/bash
# SPDX-License-Identifier: MIT
# t_evtchn_pingpong: two guests of one `veneerd run` (evchan, ping and
# pong) share an event channel: Xen's error codes for wrong, foreign and
# out-of-range ports and domids, IPIs, loopback, the port limit, then
# 10 000 round trips with none lost, with the stub's asynchronous sends
# (the default) and with synchronous ones, waiting in SCHEDOP_block and in
# SCHEDOP_poll. Both guests must print SUCCESS and power off.
set -u
. "$(dirname "$0")/lib.sh"

out="$BUILD/test-logs/t_evtchn_pingpong.out"

# pingpong ROUNDS PING_ARGS: boot ping (dom1) and pong (dom2).
pingpong() {
    local rounds=$1
    shift
    timeout 120 "$VENEERD" run "$GUESTS/evchan.elf" "$GUESTS/evchan.elf" \
        --memory 16 --name-1 ping --name-2 pong \
        --cmdline-1 "ping peer=2 rounds=$rounds maxports=1024 $*" \
        --cmdline-2 "pong peer=1 rounds=$rounds" >"$out" 2>&1
    RC=$?
    [ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC (ping $*)"; }
    expect_absent "$out" "FAIL"
    expect_contains "$out" "[ping] evchan: SUCCESS"
    expect_contains "$out" "[pong] evchan: SUCCESS"
    expect_contains "$out" "[ping] evchan: ok $rounds round trips"
    expect_contains "$out" "[pong] evchan: ok $rounds events answered"
    expect_contains "$out" "the limit: 1023 ports besides port 0"
    grep -F "evchan: rtt" "$out"
}

pingpong 10000
pingpong 2000 wait=poll
VENEER_EVTCHN_SEND=sync pingpong 2000
VENEER_EVTCHN_SEND=sync pingpong 2000 wait=poll
echo "t_evtchn_pingpong: ok"
