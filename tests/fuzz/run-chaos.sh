#!/bin/bash
# SPDX-License-Identifier: MIT
# make fuzz: the chaos guest (random hypercalls, tests/guests/chaos.c) with
# fresh seeds for a bounded time (VENEER_FUZZ_SECONDS, default 60). Every
# run must end with veneerd's own verdict: exit 0, or 1 with a crash
# report; a signal, a hang or an internal error fails, naming the seed.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
secs=${VENEER_FUZZ_SECONDS:-60}
make --no-print-directory all >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
end=$(($(date +%s) + secs))
runs=0
while [ "$(date +%s)" -lt "$end" ]; do
    seed=$((RANDOM * 32768 + RANDOM))
    timeout 60 "$BUILD/bin/veneerd" run "$BUILD/guests/chaos.elf" --memory 16 \
        --cmdline "seed=$seed calls=50000" >"$out" 2>&1
    rc=$?
    if [ $rc -gt 1 ] || grep -aqE "veneerd bug|fatal" "$out" ||
        { [ $rc -eq 1 ] && ! grep -aq crashed "$out"; }; then
        cat "$out"
        echo "chaos: seed $seed: veneerd exited $rc"
        exit 1
    fi
    runs=$((runs + 1))
done
echo "chaos: $runs runs of 50 000 random hypercalls, veneerd answered all"
