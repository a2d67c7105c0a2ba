# SPDX-License-Identifier: MIT
# Helpers for integration tests (sourced). BUILD is the absolute build dir.
VENEERD="$BUILD/bin/veneerd"
GUESTS="$BUILD/guests"

# fail MSG: print and exit non-zero.
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_contains FILE PATTERN: FILE must contain the fixed string PATTERN.
expect_contains() {
    grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "missing '$2'"; }
}

# expect_absent FILE PATTERN: FILE must not contain the fixed string PATTERN.
expect_absent() {
    ! grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "unexpected '$2'"; }
}

# run_guest OUT GUEST [veneerd args...]: boot a guest with veneerd run,
# stdout+stderr to OUT; sets RC to veneerd's exit status.
run_guest() {
    local out=$1 guest=$2
    shift 2
    timeout 60 "$VENEERD" run "$GUESTS/$guest.elf" "$@" >"$out" 2>&1
    RC=$?
}

# private_vn_host NAME: a private run directory for `vn host` under
# /tmp/NAME.XXXXXX, in $dir, with VENEER_RUNDIR and XENSTORED_PATH
# pointing into it, stopped and removed when the test exits (left in place
# when KEEP is set, to look at after a failure). Sets VN.
private_vn_host() {
    VN="$BUILD/bin/vn"
    dir=$(mktemp -d "/tmp/$1.XXXXXX")
    export VENEER_RUNDIR="$dir/run"
    export XENSTORED_PATH="$VENEER_RUNDIR/xenstored/socket"
    unset XENSTORED_RUNDIR
    trap private_vn_host_cleanup EXIT
}

private_vn_host_cleanup() {
    [ -n "${KEEP:-}" ] && return
    timeout 30 "$VN" host stop --purge >/dev/null 2>&1
    rm -rf "$dir"
}
