#!/bin/bash
# SPDX-License-Identifier: MIT
# vstored against Debian's C xenstored and oxenstored (and the echo floor)
# in one vstored_bench run. Both daemons need Xen's libraries and
# /proc/xen: the binaries come from the xen-utils package (apt-get
# download; only they are kept, in $BUILD/bench/xenshim; nothing is
# installed); the libraries are stand-ins built from
# bench/vstored_xenshim.c (oxenstored binds some 40 more libxenctrl entry
# points, generated here as ENOSYS stubs); an LD_PRELOAD part hands
# xenstored's dom0 set-up a fake event-channel number and ring page and
# hides a refused setrlimit; oxenstored takes those two files from its
# config file and runs in a private mount namespace with a scratch
# directory over /run, since its socket path is compiled in. A daemon
# that cannot be had is left out.
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

# The daemons from xen-utils-<version> of the running Debian. Only the
# binaries are kept: the rest of the package must not land under $BUILD
# (make includes every *.d file there).
fetch_daemons() {
    local pkg tmp
    [ -x "$shim/xenstored" ] && [ -x "$shim/oxenstored" ] && return 0
    pkg=$(apt-cache search --names-only '^xen-utils-4\.[0-9]+$' 2>/dev/null |
        awk '{print $1}' | sort -V | tail -1)
    [ -n "$pkg" ] || { echo "no xen-utils package known to apt"; return 1; }
    tmp=$(mktemp -d /tmp/vstored-xen-deb.XXXXXX)
    if (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1) &&
        dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"; then
        mkdir -p "$shim"
        cp "$tmp"/root/usr/lib/xen-*/bin/xenstored \
            "$tmp"/root/usr/lib/xen-*/bin/oxenstored "$shim/"
    else
        echo "apt-get download $pkg failed"
    fi
    rm -rf "$tmp"
    [ -x "$shim/xenstored" ]
}

# The stand-in libraries, with the symbol versions the daemons ask for.
build_shims() {
    local src=bench/vstored_xenshim.c sym
    mkdir -p "$shim"
    cat >"$shim/evtchn.map" <<'MAP'
VERS_1.0 { global: xenevtchn_open; xenevtchn_close; xenevtchn_fd;
  xenevtchn_notify; xenevtchn_bind_virq; xenevtchn_bind_interdomain;
  xenevtchn_unbind; xenevtchn_pending; xenevtchn_unmask; local: *; };
VERS_1.2 { global: xenevtchn_fdopen; } VERS_1.0;
MAP
    echo 'VERS_1.0 { global: xengnttab_*; local: *; };' >"$shim/gnttab.map"
    echo 'VERS_4.17.0 { global: xc_*; local: *; };' >"$shim/ctrl.map"
    # oxenstored binds every entry point at load time: those the shim
    # does not implement fail with ENOSYS.
    {
        echo '#include <errno.h>'
        for sym in $(readelf --dyn-syms -W "$shim/oxenstored" 2>/dev/null |
            grep -oE 'xc_[a-z_0-9]+@VERS_4' | cut -d@ -f1 | sort -u); do
            case $sym in
            xc_interface_open | xc_interface_close | xc_domain_getinfo) ;;
            *) echo "long $sym(void) { errno = ENOSYS; return -1; }" ;;
            esac
        done
    } >"$shim/xc_enosys.c"
    $CC -shared -fPIC -O2 -DSHIM_EVTCHN -Wl,--version-script="$shim/evtchn.map" \
        -Wl,-soname,libxenevtchn.so.1 -o "$shim/libxenevtchn.so.1" $src &&
    $CC -shared -fPIC -O2 -DSHIM_GNTTAB -Wl,--version-script="$shim/gnttab.map" \
        -Wl,-soname,libxengnttab.so.1 -o "$shim/libxengnttab.so.1" $src &&
    $CC -shared -fPIC -O2 -DSHIM_CTRL -Wl,--version-script="$shim/ctrl.map" \
        -Wl,-soname,libxenctrl.so.4.17 -o "$shim/libxenctrl.so.4.17" $src \
        "$shim/xc_enosys.c" &&
    $CC -shared -fPIC -O2 -DSHIM_CTRL -Wl,--version-script="$shim/ctrl.map" \
        -Wl,-soname,libxenguest.so.4.17 -o "$shim/libxenguest.so.4.17" $src \
        "$shim/xc_enosys.c" &&
    $CC -shared -fPIC -O2 -DSHIM_PRELOAD -o "$shim/preload.so" $src -ldl
}

run=$(mktemp -d /tmp/vstored-vs-xs.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    rm -rf "$run"
}
trap cleanup EXIT

# wait_socket NAME PATH LOG: add NAME as a peer once PATH listens.
wait_socket() {
    for _ in $(seq 100); do
        [ -S "$2" ] && break
        sleep 0.05
    done
    if [ -S "$2" ]; then
        peer+=(--peer "$1=$2")
        echo "$1: running with stand-in Xen libraries"
    else
        echo "$1 did not start:"
        tail -5 "$3"
    fi
}

start_xenstored() {
    mkdir -p "$run/xs"
    echo 1 >"$run/xs/xsd_port"
    truncate -s 4096 "$run/xs/xsd_kva"
    env -u XENSTORED_PATH XENSTORED_RUNDIR="$run/xs" \
        LD_LIBRARY_PATH="$shim" LD_PRELOAD="$shim/preload.so" \
        VXSHIM_PORT_FILE="$run/xs/xsd_port" VXSHIM_KVA_FILE="$run/xs/xsd_kva" \
        "$shim/xenstored" --no-fork >"$run/xs/log" 2>&1 &
    pids+=($!)
    wait_socket xenstored "$run/xs/socket" "$run/xs/log"
}

# Logging is kept to a minimum (xenstored traces nothing by default).
# oxenstored's access log goes to a file of its own in the run directory:
# oxenstored rotates that file by renaming it, and rotating /dev/null
# replaced the host's /dev/null with a regular file.
# unshare, sh and oxenstored exec one another, so the pid is the daemon's.
start_oxenstored() {
    local d="$run/ox"
    [ -x "$shim/oxenstored" ] || return 0
    mkdir -p "$d/run"
    printf 1 >"$d/xsd_port" # read as a bare integer
    truncate -s 4096 "$d/xsd_kva"
    cat >"$d/oxenstored.conf" <<CONF
xenstored-port = $d/xsd_port
xenstored-kva = $d/xsd_kva
pid-file = $d/run/oxenstored.pid
xenstored-log-file = $d/oxenstored.log
xenstored-log-level = error
access-log-file = $d/access.log
access-log-read-ops = false
access-log-transactions-ops = false
access-log-special-ops = false
CONF
    unshare -m sh -c "mount --bind '$d/run' /run && exec env \
        LD_LIBRARY_PATH='$shim' LD_PRELOAD='$shim/preload.so' \
        '$shim/oxenstored' --no-fork --config-file '$d/oxenstored.conf'" \
        >"$d/log" 2>&1 &
    pids+=($!)
    wait_socket oxenstored "$d/run/xenstored/socket" "$d/log"
}

if fetch_daemons && build_shims; then
    start_xenstored
    start_oxenstored
else
    echo "xenstored unavailable: measuring vstored against echo only"
fi
"$BUILD/bench/vstored_bench" --vstored "$BUILD/bin/vstored" "${peer[@]}" "$@"
