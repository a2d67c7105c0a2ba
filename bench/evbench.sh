#!/bin/bash
# SPDX-License-Identifier: MIT
# Event-channel benchmark (issue 4), run by bench/run.sh on its snapshot of
# the binaries, or by hand:
#
#   bench/evbench.sh [--quick] [--runs R] [--rounds N] [DIR]
#
# DIR holds bin/veneerd, libexec/veneer-stub, evchan.elf and vnev-ping
# (default: a copy of build/). Every figure comes from the same run,
# interleaved R times so that a change in the host's load hits all rows
# alike, and is the median over the runs of each run's median (and p99):
#
#   peer         eventfd ping-pong between two host processes: the floor
#   guest<->guest  evchan ping and pong under one `veneerd run`: round
#                trips waiting in SCHEDOP_block (upcall) and SCHEDOP_poll,
#                with the stub's asynchronous sends (async) and with every
#                send a hypercall (sync, VENEER_EVTCHN_SEND=sync)
#   send         what one EVTCHNOP_send costs the sender, back to back and
#                after 300 us idle (veneerd's server thread asleep)
#   guest<->dom0 the evchan guest and vnev-ping (libvnev) on `veneerd
#                daemon`: dom0 sends by the port's send eventfd (notify)
#                or by a control-socket request (send)
set -u
cd "$(dirname "$0")/.."
runs=5 rounds=5000 dir=
while [ $# -gt 0 ]; do
    case $1 in
    --quick) runs=1 rounds=1000 ;;
    --runs) runs=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    *) dir=$1 ;;
    esac
    shift
done
BUILD="${BUILD:-build}"
tmp=$(mktemp -d /tmp/evbench.XXXXXX) || exit 1
raw="$tmp/raw"
daemon=
cleanup() {
    [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon"
    [ -n "${EVBENCH_KEEP:-}" ] && cp "$raw" "$EVBENCH_KEEP"
    rm -rf "$tmp"
}
trap cleanup EXIT
if [ -z "$dir" ]; then
    # A private copy: a rebuild during the run must not change the figures.
    dir="$tmp/snap"
    mkdir -p "$dir/bin" "$dir/libexec"
    cp "$BUILD/bin/veneerd" "$dir/bin/" && cp "$BUILD/libexec/veneer-stub" \
        "$dir/libexec/" && cp "$BUILD/guests/evchan.elf" \
        "$BUILD/tests/vnev-ping" "$dir/" || exit 1
fi
VENEERD="$dir/bin/veneerd"

# record ROW LINE: keep "ROW median p99" from an "... min a median b p99 c"
# line.
record() {
    echo "$2" | awk -v row="$1" '{
        for (i = 1; i < NF; i++) { if ($i == "median") m = $(i + 1);
                                   if ($i == "p99") p = $(i + 1) }
        if (m != "") print row, m, p }' >>"$raw"
}

guests() { # MODE(async|sync) WAIT(block|poll)
    local env=() out="$tmp/g.out"
    [ "$1" = sync ] && env=(VENEER_EVTCHN_SEND=sync)
    env "${env[@]}" timeout 300 "$VENEERD" run "$dir/evchan.elf" \
        "$dir/evchan.elf" --memory 16 \
        --cmdline-1 "ping peer=2 rounds=$rounds wait=$2" \
        --cmdline-2 "pong peer=1 rounds=$rounds" >"$out" 2>&1 ||
        { echo "evbench: guest<->guest $1 $2 failed" >&2; return 1; }
    record "guest<->guest $2, $1 send" "$(grep -F 'evchan: rtt' "$out")"
    [ "$2" = block ] || return 0
    record "send back-to-back, $1" "$(grep -F 'evchan: send back-to-back' "$out")"
    record "send after 300 us idle, $1" "$(grep -F 'evchan: send after' "$out")"
}

start_daemon() {
    "$VENEERD" daemon --rundir "$tmp/run" >"$tmp/veneerd.log" 2>&1 &
    daemon=$!
    for _ in $(seq 100); do
        [ -S "$tmp/run/veneerd.sock" ] && return 0
        sleep 0.05
    done
    echo "evbench: veneerd daemon did not start" >&2
    return 1
}

dom0() { # N (a fresh domain name) [--sync]
    local out="$tmp/d.out" how="notify"
    [ $# -gt 1 ] && how="send"
    timeout 300 "$dir/vnev-ping" --rundir "$tmp/run" \
        --kernel "$dir/evchan.elf" --name "ev$1" --rounds "$rounds" \
        ${2:-} >"$out" 2>&1 ||
        { echo "evbench: guest<->dom0 failed:" >&2; cat "$out" >&2; return 1; }
    record "guest<->dom0 process, dom0 $how" "$(grep -F 'rtt guest' "$out")"
}

status=0
start_daemon || exit 1
for r in $(seq "$runs"); do
    record "peer: eventfd process<->process" \
        "$("$dir/vnev-ping" --peer --rounds "$rounds" | grep -F rtt)"
    for mode in async sync; do
        guests $mode block || status=1
        guests $mode poll || status=1
    done
    dom0 "$r" || status=1
    dom0 "s$r" --sync || status=1
done

echo "== Event channels (bench/evbench.sh): $runs runs x $rounds round trips," \
    "median over the runs"
printf '%-40s %12s %10s %s\n' "" "median us" "p99 us" "(run medians)"
awk '{ row = $0; sub(/ [^ ]+ [^ ]+$/, "", row); m = $(NF - 1); p = $NF;
       if (!(row in n)) { order[k++] = row; n[row] = 0 }
       med[row, n[row]] = m; p99[row, n[row]] = p; n[row]++ }
     function sortmed(a, cnt,   i, j, t) {
         for (i = 1; i < cnt; i++)
             for (j = i; j > 0 && a[j - 1] + 0 > a[j] + 0; j--) {
                 t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
     END { for (x = 0; x < k; x++) { row = order[x]; c = n[row];
             delete a; delete b; list = "";
             for (i = 0; i < c; i++) { a[i] = med[row, i]; b[i] = p99[row, i];
                                       list = list (i ? " " : "") a[i] }
             sortmed(a, c); sortmed(b, c);
             printf "%-40s %12s %10s (%s)\n", row, a[int(c / 2)],
                    b[int(c / 2)], list } }' "$raw"
exit $status
