#!/bin/bash
# SPDX-License-Identifier: MIT
# Security invariant 2 by brute force: the chaos guest issues 20 000
# pseudo-random hypercalls per seed (tests/guests/chaos.c). Whatever they
# do to the guest itself, veneerd must answer every one and end the run
# itself: exit 0 (the guest got through) or 1 (the domain crashed, with
# veneerd's crash report), never a signal, a hang or an internal error.
set -u
. "$(dirname "$0")/lib.sh"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
ok=0
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
    timeout 60 "$VENEERD" run "$GUESTS/chaos.elf" --memory 16 \
        --cmdline "seed=$seed calls=20000" >"$out" 2>&1
    rc=$?
    last=$(grep -a 'chaos:' "$out" | tail -1)
    echo "seed $seed: exit $rc; $last"
    case $rc in
    0) expect_contains "$out" "chaos: SUCCESS"
       ok=$((ok + 1)) ;;
    1) grep -aq "crashed" "$out" || { cat "$out"; fail "seed $seed: exit 1 without a crash report"; } ;;
    *) cat "$out"; fail "seed $seed: veneerd exited $rc" ;;
    esac
    grep -aE "veneerd bug|fatal|Assertion" "$out" && fail "seed $seed: veneerd reported an internal error"
done
echo "$ok of 12 seeds ran all their calls"
# Its scratch pages keep the guest's own state out of reach, so nearly
# every seed should get through: fewer means the test lost its coverage.
[ $ok -ge 10 ] || fail "only $ok of 12 seeds ran all their calls"
# Invariant 2's other half: no harm to another domain. The timer guest
# runs its whole checked suite beside a chaos domain in the same veneerd.
timeout 120 "$VENEERD" run "$GUESTS/chaos.elf" "$GUESTS/timer.elf" \
    --memory-1 16 --memory-2 16 --cmdline-1 "seed=5 calls=20000" >"$out" 2>&1
rc=$?
cat "$out" | grep -a "SUCCESS\|crashed" || true
[ $rc -le 1 ] || fail "veneerd with chaos beside timer exited $rc"
expect_contains "$out" "[timer.elf] timer: SUCCESS"
# The same veneerd binary still boots a guest normally afterwards.
run_guest "$out" hello
[ "$RC" -eq 0 ] || fail "hello after chaos exited $RC"
echo PASS
