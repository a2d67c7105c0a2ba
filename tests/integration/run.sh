#!/bin/bash
# SPDX-License-Identifier: MIT
# Integration test runner: runs every tests/integration/t_*.sh (or the ones
# named), each with BUILD set to the absolute build directory. A test exits
# 0 to pass, 77 to skip (it must print "SKIP: why"), anything else to fail.
# Skips fail the run unless VENEER_ALLOW_SKIP=1: on the machines we test on,
# nothing may be missing.
set -u
cd "$(dirname "$0")/../.."
export BUILD="$(cd "${BUILD:-build}" && pwd)"
logs="$BUILD/test-logs"
mkdir -p "$logs"
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(tests/integration/t_*.sh)
pass=0 fail=0 skip=0
for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    start=$(date +%s.%N)
    timeout 300 bash "$t" >"$logs/$name.log" 2>&1
    rc=$?
    secs=$(printf '%.2f' "$(echo "$(date +%s.%N) - $start" | bc)")
    case $rc in
    0) pass=$((pass + 1)); printf '  PASS  %-40s %6ss\n' "$name" "$secs" ;;
    77) skip=$((skip + 1)); printf '  SKIP  %-40s %s\n' "$name" \
            "$(grep -m1 'SKIP:' "$logs/$name.log")" ;;
    *) fail=$((fail + 1)); printf '  FAIL  %-40s (exit %d)\n' "$name" "$rc"
       sed 's/^/      | /' "$logs/$name.log" | tail -40 ;;
    esac
done
printf 'integration: %d passed, %d failed, %d skipped\n' $pass $fail $skip
[ $fail -eq 0 ] || exit 1
if [ $skip -ne 0 ] && [ "${VENEER_ALLOW_SKIP:-0}" != 1 ]; then
    echo "integration: skips are failures here (set VENEER_ALLOW_SKIP=1 elsewhere)"
    exit 1
fi
exit 0
