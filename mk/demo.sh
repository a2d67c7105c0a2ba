#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: start veneerd and vstored on a private run directory, boot
# examples/hello.yaml through them with its console attached, show the
# domain list while it lives, and stop the daemons again.
set -eu
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
VN="$BUILD/bin/vn"
export VENEER_RUNDIR="$(mktemp -d /tmp/veneer-demo.XXXXXX)"
trap '"$VN" host stop --purge >/dev/null 2>&1 || true; rm -rf "$VENEER_RUNDIR"' EXIT

echo "== vn host start (run directory $VENEER_RUNDIR)"
"$VN" host start
"$VN" host status
echo "== vn create examples/hello.yaml --console"
"$VN" create examples/hello.yaml --console
echo "== vn list (the domain powered off and was destroyed: on_poweroff)"
"$VN" list
echo "== vn host stop"
"$VN" host stop
