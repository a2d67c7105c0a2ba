#!/bin/bash
# SPDX-License-Identifier: MIT
# t_balloon: boots the balloon guest and measures the domain process's
# memory at each of its markers: the pages of its RAM memfd that hold
# memory (stat blocks of /proc/PID/fd/N), and RssShmem. After "released
# N pages" the memfd must hold at least 3/4 of N pages less than after
# "touched"; after "repopulated" it must have grown by as much again. The
# guest must power off with "balloon: SUCCESS".
set -u
. tests/integration/lib.sh

out="$BUILD/test-logs/t_balloon.out"
rm -f "$out"
"$VENEERD" run "$GUESTS/balloon.elf" --memory 16 >"$out" 2>&1 &
vp=$!
trap 'kill -9 $vp 2>/dev/null' EXIT

dp=""
ramfd=""
# ram_kib: KiB of the RAM memfd that hold memory (stat counts 512-byte
# blocks); rss: RssShmem in kB.
ram_kib() { echo $(($(stat -L -c %b "/proc/$dp/fd/$ramfd") / 2)); }
rss() { sed -n 's/^RssShmem:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$dp/status"; }

# wait_for MARKER: poll the console until MARKER shows up (10 s at most).
wait_for() {
    for _ in $(seq 1000); do
        grep -q "$1" "$out" && return 0
        kill -0 $vp 2>/dev/null || break
        sleep 0.01
    done
    cat "$out"
    fail "no '$1' on the console"
}

wait_for "balloon: touched"
dp=$(pgrep -P $vp | head -1)
[ -n "$dp" ] || fail "no domain process under veneerd $vp"
for f in /proc/$dp/fd/*; do
    case "$(readlink "$f")" in
    /memfd:veneer-dom*-ram*) ramfd=${f##*/} ;;
    esac
done
[ -n "$ramfd" ] || fail "no RAM memfd in domain process $dp"
touched=$(ram_kib); rss_touched=$(rss)
n=$(sed -n 's/^balloon: touched \([0-9]*\) pages$/\1/p' "$out")

wait_for "balloon: released"
released=$(ram_kib); rss_released=$(rss)
r=$(sed -n 's/^balloon: released \([0-9]*\) pages$/\1/p' "$out")

wait_for "balloon: repopulated"
repop=$(ram_kib); rss_repop=$(rss)

wait $vp
RC=$?
trap - EXIT
echo "memfd KiB: touched $touched, released $released, repopulated $repop"
echo "RssShmem kB: touched $rss_touched, released $rss_released, repopulated $rss_repop"
[ "$RC" -eq 0 ] || { cat "$out"; fail "veneerd exited $RC, expected 0"; }
expect_contains "$out" "balloon: SUCCESS"
expect_absent "$out" "balloon: FAIL"
[ -n "$n" ] && [ -n "$r" ] || fail "markers without page counts"
want=$((r * 4 * 3 / 4)) # KiB: 3/4 of the released pages
[ $((touched - released)) -ge $want ] ||
    fail "memfd shrank by $((touched - released)) KiB after releasing $r pages (want >= $want)"
[ $((repop - released)) -ge $want ] ||
    fail "memfd grew by $((repop - released)) KiB after repopulating (want >= $want)"
[ $((rss_touched - rss_released)) -ge $want ] ||
    fail "RssShmem fell by $((rss_touched - rss_released)) kB (want >= $want)"
echo "t_balloon: ok ($n pages touched, $r released and taken back)"
