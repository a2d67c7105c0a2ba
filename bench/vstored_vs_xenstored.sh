#!/bin/bash
# SPDX-License-Identifier: MIT
# vstored against Debian's C xenstored (and the echo floor) in one
# vstored_bench run. xenstored needs Xen's libraries and /proc/xen: the
# binary comes from the xen-utils package (apt-get download; only the
# binary is kept, in $BUILD/bench/xenshim; nothing is installed), the
# libraries are stand-ins
# built from bench/vstored_xenshim.c, and an LD_PRELOAD part hands its
# dom0 set-up a fake event-channel number and ring page. If xenstored
# cannot be had, vstored is measured against echo alone.
#
# All processes run on one CPU (VSTORED_BENCH_CPU, default the last; "none"
# to let them spread): a one-client ping-pong is otherwise bimodal,
# depending on whether client and server share a CPU or pay for a
# cross-CPU wake-up on every message.
#
# usage: bench/vstored_vs_xenstored.sh [vstored_bench options...]
set -u
cd "$(dirname "$0")/.."
cpu=${VSTORED_BENCH_CPU:-$(($(nproc) - 1))}
if [ "$cpu" != none ] && [ -z "${VSTORED_BENCH_PINNED:-}" ]; then
    echo "pinned to CPU $cpu"
    VSTORED_BENCH_PINNED=1 exec taskset -c "$cpu" "$0" "$@"
fi
BUILD=${BUILD:-build}
CC=${CC:-cc}
make --no-print-directory "$BUILD/bin/vstored" "$BUILD/bench/vstored_bench" \
    >/dev/null || exit 1

shim="$BUILD/bench/xenshim"
peer=()

# The xenstored binary from xen-utils-<version> of the running Debian.
# Only the binary is kept: the rest of the package must not land under
# $BUILD (make includes every *.d file there).
fetch_xenstored() {
    local pkg tmp
    XENSTORED="$shim/xenstored"
    [ -x "$XENSTORED" ] && return 0
    pkg=$(apt-cache search --names-only '^xen-utils-4\.[0-9]+$' 2>/dev/null |
        awk '{print $1}' | sort -V | tail -1)
    [ -n "$pkg" ] || { echo "no xen-utils package known to apt"; return 1; }
    tmp=$(mktemp -d /tmp/vstored-xen-deb.XXXXXX)
    if (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) &&
        dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"; then
        mkdir -p "$shim"
        cp "$tmp"/root/usr/lib/xen-*/bin/xenstored "$XENSTORED"
    else
        echo "apt-get download $pkg failed"
    fi
    rm -rf "$tmp"
    [ -x "$XENSTORED" ]
}

# The stand-in libraries, with the symbol versions xenstored asks for.
build_shims() {
    local src=bench/vstored_xenshim.c
    mkdir -p "$shim"
    cat >"$shim/evtchn.map" <<'MAP'
VERS_1.0 { global: xenevtchn_open; xenevtchn_close; xenevtchn_fd;
  xenevtchn_notify; xenevtchn_bind_virq; xenevtchn_bind_interdomain;
  xenevtchn_unbind; xenevtchn_pending; xenevtchn_unmask; local: *; };
VERS_1.2 { global: xenevtchn_fdopen; } VERS_1.0;
MAP
    echo 'VERS_1.0 { global: xengnttab_*; local: *; };' >"$shim/gnttab.map"
    echo 'VERS_4.17.0 { global: xc_*; local: *; };' >"$shim/ctrl.map"
    $CC -shared -fPIC -O2 -DSHIM_EVTCHN -Wl,--version-script="$shim/evtchn.map" \
        -Wl,-soname,libxenevtchn.so.1 -o "$shim/libxenevtchn.so.1" $src &&
    $CC -shared -fPIC -O2 -DSHIM_GNTTAB -Wl,--version-script="$shim/gnttab.map" \
        -Wl,-soname,libxengnttab.so.1 -o "$shim/libxengnttab.so.1" $src &&
    $CC -shared -fPIC -O2 -DSHIM_CTRL -Wl,--version-script="$shim/ctrl.map" \
        -Wl,-soname,libxenctrl.so.4.17 -o "$shim/libxenctrl.so.4.17" $src &&
    $CC -shared -fPIC -O2 -DSHIM_PRELOAD -o "$shim/preload.so" $src -ldl
}

run=$(mktemp -d /tmp/vstored-vs-xs.XXXXXX)
xpid=
cleanup() {
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null
    rm -rf "$run"
}
trap cleanup EXIT

if fetch_xenstored && build_shims; then
    echo 1 >"$run/xsd_port"
    truncate -s 4096 "$run/xsd_kva"
    env -u XENSTORED_PATH XENSTORED_RUNDIR="$run" \
        LD_LIBRARY_PATH="$shim" LD_PRELOAD="$shim/preload.so" \
        VXSHIM_PORT_FILE="$run/xsd_port" VXSHIM_KVA_FILE="$run/xsd_kva" \
        "$XENSTORED" --no-fork >"$run/xenstored.log" 2>&1 &
    xpid=$!
    for _ in $(seq 100); do
        [ -S "$run/socket" ] && break
        sleep 0.05
    done
    if [ -S "$run/socket" ]; then
        peer=(--peer "xenstored=$run/socket")
        echo "xenstored: $XENSTORED (with stand-in Xen libraries)"
    else
        echo "xenstored did not start:"; cat "$run/xenstored.log"
    fi
else
    echo "xenstored unavailable: measuring vstored against echo only"
fi
"$BUILD/bench/vstored_bench" --vstored "$BUILD/bin/vstored" "${peer[@]}" "$@"
