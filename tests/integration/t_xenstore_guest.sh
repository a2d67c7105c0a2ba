#!/bin/bash
# SPDX-License-Identifier: MIT
# t_xenstore_guest: a guest talks to vstored over its store ring
# (tests/guests/xenstore.c, <veneer/xenbus.h>) under `vn host start`:
# it reads and writes its own /local/domain/<id> area, is refused
# another domain's keys and dom0's, gets watch events for its own writes
# and for the host's (this script plays the host: xenstore-write), runs
# the XenBus state handshake against the script, transactions with a
# conflict, reboots once (a restart in place: vstored lets go of the old
# ring and serves the new one), breaks its ring twice on purpose and
# reconnects, and dies with half a request in the ring. From the host:
# the guest's writes landed, with the guest as owner; vstored is healthy
# afterwards; destroying the domain removes its nodes.
set -u
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "SKIP: jq missing (apt-get install jq)"; exit 77; }
command -v xenstore-read >/dev/null ||
    { echo "SKIP: xenstore-read missing (apt-get install xenstore-utils)"; exit 77; }

private_vn_host xs-guest

vn() {
    timeout 60 "$VN" "$@" >"$dir/out" 2>"$dir/err" ||
        { cat "$dir/out" "$dir/err"; fail "vn $* exited $?"; }
}

# field DOM JQ: a field of one domain in vn list --json.
field() {
    vn list --json
    jq -r --arg n "$1" ".[] | select(.name == \$n) | $2" "$dir/out"
}

# wait_key PATH VALUE: up to 30 s for the store to hold VALUE at PATH.
wait_key() {
    for _ in $(seq 600); do
        [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.05
    done
    fail "$1 never became '$2' (now: '$(xenstore-read "$1" 2>&1)')"
}

vn host start
cat >"$dir/other.yaml" <<EOF
name: other
kernel: $GUESTS/idle.elf
memory: 16
EOF
vn create "$dir/other.yaml"
other=$(field other .domid)
[ -n "$other" ] || fail "no domain 'other'"

cat >"$dir/xs.yaml" <<EOF
name: xsguest
kernel: $GUESTS/xenstore.elf
memory: 16
cmdline: "name=xsguest other=$other reboot-once hostile die-mid-request"
on_poweroff: preserve
on_reboot: restart
on_crash: preserve
EOF
vn create "$dir/xs.yaml"
id=$(field xsguest .domid)
[ -n "$id" ] || fail "no domain 'xsguest'"
dp=/local/domain/$id
log="$VENEER_RUNDIR/console/xsguest.log"

# The host's part: answer data/ready, then the state handshake.
wait_key "$dp/data/ready" 1
xenstore-write "$dp/data/from-host" hello-guest || fail "xenstore-write from-host"
wait_key "$dp/data/fe/state" 3
xenstore-write "$dp/data/be/state" 4 || fail "xenstore-write be/state"

for _ in $(seq 600); do
    grep -qE '^xenstore: (SUCCESS|ABORT)' "$log" 2>/dev/null && break
    sleep 0.05
done
for _ in $(seq 200); do
    [ "$(field xsguest .state)" = shutdown ] && break
    sleep 0.05
done
cat "$log"
expect_absent "$log" "xenstore: FAIL"
expect_contains "$log" "xenstore: ok first boot: data/rebooted = 1, rebooting"
expect_contains "$log" "xenstore: ok restarted in place: the store serves the new ring"
expect_contains "$log" "xenstore: ok domid key: $id"
expect_contains "$log" "xenstore: ok name = xsguest"
expect_contains "$log" "xenstore: ok a 3000-byte value through the 1 KiB ring"
expect_contains "$log" "xenstore: refused read /local/domain/$other/name -> -13"
expect_contains "$log" "xenstore: refused write /local/domain/$other/data/x -> -13"
expect_contains "$log" "xenstore: refused write /local/domain/0/x -> -13"
expect_contains "$log" "xenstore: ok our write fires it, the path relative"
expect_contains "$log" "xenstore: ok the host's write fired our watch: data/from-host"
expect_contains "$log" "xenstore: ok the host took data/be to Connected (4)"
expect_contains "$log" "xenstore: refused its commit -> -11"
expect_contains "$log" "xenstore: ok the retry helper redid the transaction (2 tries)"
expect_contains "$log" "xenstore: ok a producer 2000 bytes ahead: error RINGIDX"
expect_contains "$log" "xenstore: ok a 5000-byte payload: error PROTO"
expect_contains "$log" "xenstore: SUCCESS"
[ "$(field xsguest '.state + "/" + .shutdown_reason')" = shutdown/poweroff ] ||
    fail "xsguest did not power off: $(field xsguest '.state + "/" + .shutdown_reason')"

# From the host: the guest's writes are in the store, owned by the guest.
[ "$(xenstore-read "$dp/data/greeting")" = "hello from the guest" ] ||
    fail "data/greeting from the host"
[ "$(xenstore-read "$dp/data/counter")" = 101 ] || fail "data/counter from the host"
[ "$(xenstore-read "$dp/data/result")" = ok ] || fail "data/result from the host"
[ "$(xenstore-read "$dp/data/fe/state")" = 4 ] || fail "data/fe/state from the host"
perms=$(xenstore-ls -p "$dp/data" | grep '^greeting = ' | sed 's/.*(\(.*\))$/\1/')
[ "$perms" = "n$id" ] || fail "data/greeting's permissions: '$perms', not n$id"
xenstore-exists "/local/domain/$other/data/x" && fail "the guest wrote another domain's key"
xenstore-exists /local/domain/0/x && fail "the guest wrote dom0's key"

# vstored took the ring, dropped it on purpose twice, and is healthy after
# the guest died with half a request in its ring.
vlog="$VENEER_RUNDIR/vstored.log"
expect_contains "$vlog" "domain $id: ring attached"
expect_contains "$vlog" "domain $id ring connection dropped: bad ring index"
expect_contains "$vlog" "domain $id asked to reconnect"
xenstore-write /health/check yes && [ "$(xenstore-read /health/check)" = yes ] ||
    fail "vstored does not answer after the guest died mid-request"
vn host status
[ "$(field other .state)" = running ] || fail "the other domain is not running"

# Destroying the domain releases it: its nodes go, vstored stays up.
vn destroy xsguest
xenstore-exists "$dp" && fail "the destroyed guest's nodes are still there"
xenstore-write /health/check again || fail "vstored after the destroy"
vn destroy other
vn host stop
echo "PASS: t_xenstore_guest"
