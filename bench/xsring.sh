#!/bin/bash
# SPDX-License-Identifier: MIT
# The store from a guest, over its xenstore ring, next to the store over
# its local socket: READ and WRITE round trips per second, one client.
#
#   bench/xsring.sh [--quick] [BUILD]
#
# Ring: tests/guests/xenstore.c with bench=MS under `vn host start` on a
# private run directory; each round trip is the guest's request into the
# 1 KiB req stream, an event to vstored (the stub posts the send), vstored
# serving it and signalling back through veneerd, and the guest's
# SCHEDOP_poll waking. Socket: bench/vstored_bench's one-client READ and
# WRITE against a vstored of its own (a unix-socket round trip). The
# median of RUNS guest runs is printed beside the socket's median of
# three.
set -u
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
BUILD="$(cd "${1:-${BUILD:-build}}" && pwd)"
VN="$BUILD/bin/vn"
runs=5 ms=500 secs=0.5
[ $quick = 1 ] && { runs=1 ms=100 secs=0.1; }

for f in "$VN" "$BUILD/bin/vstored" "$BUILD/guests/xenstore.elf" \
         "$BUILD/bench/vstored_bench"; do
    [ -e "$f" ] || { echo "xsring: $f is missing; run: make all \$(BENCHES)" >&2; exit 1; }
done
dir=$(mktemp -d /tmp/xsring.XXXXXX)
export VENEER_RUNDIR="$dir/run"
cleanup() {
    timeout 30 "$VN" host stop --purge >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
timeout 30 "$VN" host start >"$dir/host.out" 2>&1 ||
    { cat "$dir/host.out"; echo "xsring: vn host start failed" >&2; exit 1; }

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

: >"$dir/read"
: >"$dir/write"
for i in $(seq "$runs"); do
    cat >"$dir/b$i.yaml" <<EOF
name: xsbench$i
kernel: $BUILD/guests/xenstore.elf
memory: 16
cmdline: "bench=$ms"
on_poweroff: preserve
EOF
    timeout 30 "$VN" create "$dir/b$i.yaml" >"$dir/out" 2>&1 ||
        { cat "$dir/out"; echo "xsring: vn create failed" >&2; exit 1; }
    log="$VENEER_RUNDIR/console/xsbench$i.log"
    for _ in $(seq 400); do
        grep -qE '^xenstore: (SUCCESS|ABORT)' "$log" 2>/dev/null && break
        sleep 0.05
    done
    grep -q '^xenstore: SUCCESS' "$log" || { cat "$log"; echo "xsring: the guest failed" >&2; exit 1; }
    sed -n 's/^xenstore: bench READ \([0-9]*\) ops\/s$/\1/p' "$log" >>"$dir/read"
    sed -n 's/^xenstore: bench WRITE \([0-9]*\) ops\/s$/\1/p' "$log" >>"$dir/write"
    timeout 30 "$VN" destroy "xsbench$i" >/dev/null 2>&1
done
timeout 120 "$BUILD/bench/vstored_bench" --vstored "$BUILD/bin/vstored" \
    --seconds "$secs" >"$dir/sock" 2>&1 ||
    { cat "$dir/sock"; echo "xsring: vstored_bench failed" >&2; exit 1; }
sread=$(awk '/READ, 1 client/ { print $5 }' "$dir/sock")
swrite=$(awk '/WRITE, 1 client/ { print $5 }' "$dir/sock")
echo "   ring runs: READ $(tr "\n" " " <"$dir/read")/ WRITE $(tr "\n" " " <"$dir/write")"
rread=$(median <"$dir/read")
rwrite=$(median <"$dir/write")
echo "   (guest ring: median of $runs runs of $ms ms; socket: vstored_bench, median of 3 runs of $secs s; load average $(cut -d' ' -f1 /proc/loadavg))"
printf '  %-28s %12s %12s %8s\n' "" "guest ring" "socket" "ring/sock"
for w in READ WRITE; do
    if [ $w = READ ]; then r=$rread s=$sread; else r=$rwrite s=$swrite; fi
    printf '  %-28s %12s %12s %8s\n' "$w, 1 client (ops/s)" "$r" "$s" \
        "$(awk -v a="$r" -v b="$s" 'BEGIN { if (b > 0) printf "%.2f", a / b }')"
done
