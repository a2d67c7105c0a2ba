#!/bin/bash
# SPDX-License-Identifier: MIT
# libvstore end to end: libvstore-selftest drives every library call
# against a private vstored (nodes, long directories, permissions, a
# conflicting transaction pair, watches through the event fd,
# @introduceDomain / @releaseDomain, a silent watcher cut off while the
# writer goes on); then the daemon is stopped under a connected client,
# which must see the connection reset.
set -u
. "$(dirname "$0")/lib.sh"
VSTORED="$BUILD/bin/vstored"
SELFTEST="$BUILD/tests/libvstore-selftest"

dir=$(mktemp -d /tmp/vstored-lib.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

# The library finds the socket through XENSTORED_RUNDIR here.
export XENSTORED_RUNDIR="$dir/run"
unset XENSTORED_PATH
"$VSTORED" --pid-file "$dir/pid" --log-file "$dir/log" ||
    fail "vstored did not start"
pid=$(cat "$dir/pid")
[ -S "$dir/run/socket" ] || fail "no socket at \$XENSTORED_RUNDIR/socket"

timeout 60 "$SELFTEST" >"$dir/out" 2>&1
rc=$?
cat "$dir/out"
[ $rc = 0 ] || fail "libvstore-selftest exited $rc"
expect_contains "$dir/out" "all checks passed"
expect_contains "$dir/log" "cut off: output queue over quota"

# A client blocked on its event fd sees the daemon go away.
timeout 30 "$SELFTEST" --wait-reset >"$dir/reset" 2>&1 &
wpid=$!
for _ in $(seq 100); do
    grep -q ready "$dir/reset" && break
    sleep 0.05
done
expect_contains "$dir/reset" "ready"

kill "$pid"
wait $wpid || { cat "$dir/reset"; fail "waiting client exited $?"; }
expect_contains "$dir/reset" "reset seen"
for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$pid" 2>/dev/null && fail "vstored still running after SIGTERM"
pid=
[ -e "$dir/run/socket" ] && fail "socket left behind"
echo "PASS: libvstore against vstored"
