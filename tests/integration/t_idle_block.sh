#!/bin/bash
# SPDX-License-Identifier: MIT
# t_idle_block: a guest blocked in SCHEDOP_block uses no CPU. The
# idle_block guest sleeps 1 s on its one-shot timer; in the middle of that
# second, over WINDOW_S, the CPU time of veneerd (all threads) and of the
# domain process is read from /proc/PID/task/*/schedstat (ns). Both must
# stay under BUDGET_US; then the guest must wake on time and succeed.
set -u
. "$(dirname "$0")/lib.sh"

WINDOW_S=0.6
BUDGET_US=2000 # [POLICY] 0.3% of the window, for timer and /proc noise

out=$(mktemp)
trap 'rm -f "$out"; [ -n "${vp:-}" ] && kill -9 $vp 2>/dev/null' EXIT

# cpu_ns PID: CPU time of every thread of PID, in ns.
cpu_ns() {
    local sum=0 run _
    for f in /proc/$1/task/*/schedstat; do
        read -r run _ <"$f" || continue
        sum=$((sum + run))
    done
    echo $sum
}

"$VENEERD" run "$GUESTS/idle_block.elf" --memory 16 >"$out" 2>&1 &
vp=$!
for _ in $(seq 200); do
    grep -q "idle_block: blocking" "$out" && break
    sleep 0.02
done
expect_contains "$out" "idle_block: blocking"
dp=$(pgrep -P $vp)
[ -n "$dp" ] || fail "no domain process under veneerd $vp"
sleep 0.1
v0=$(cpu_ns $vp)
d0=$(cpu_ns $dp)
sleep $WINDOW_S
v1=$(cpu_ns $vp)
d1=$(cpu_ns $dp)
wait $vp
rc=$?
vp=
cat "$out"
[ $rc -eq 0 ] || fail "veneerd exited $rc"
expect_contains "$out" "idle_block: SUCCESS"
vus=$(((v1 - v0) / 1000))
dus=$(((d1 - d0) / 1000))
echo "t_idle_block: blocked ${WINDOW_S} s: veneerd used ${vus} us of CPU, the domain process ${dus} us"
[ $vus -le $BUDGET_US ] || fail "veneerd used ${vus} us while the guest was blocked"
[ $dus -le $BUDGET_US ] || fail "the domain process used ${dus} us while blocked"
echo "t_idle_block: ok"
