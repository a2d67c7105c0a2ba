#!/bin/bash
# SPDX-License-Identifier: MIT
# The toolstack end to end (issue 6's acceptance): vn host start; three
# guests from YAML, their console output captured; vn list --json parsed
# and checked; the store entries; refusals that leave nothing behind (a
# taken name, an unusable kernel); pause, mem-set; shutdown --wait of a
# guest that ignores the request (forced after the timeout); crashes
# applying on_crash (preserve, destroy); destroy; vn host stop leaving no
# process and no file but the logs, and --purge not even those.
set -u
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || { echo "SKIP: jq missing (apt-get install jq)"; exit 77; }
command -v xenstore-ls >/dev/null ||
    { echo "SKIP: xenstore-ls missing (apt-get install xenstore-utils)"; exit 77; }

private_vn_host vn-e2e

# vn ARGS...: run vn (bounded), output to $dir/out and $dir/err, status RC.
vn() {
    timeout 60 "$VN" "$@" >"$dir/out" 2>"$dir/err"
    RC=$?
}

# ok ARGS...: vn must succeed.
ok() {
    vn "$@"
    [ $RC = 0 ] || { cat "$dir/err"; fail "vn $* exited $RC"; }
}

# status WANT ARGS...: vn must exit WANT.
status() {
    local want=$1
    shift
    vn "$@"
    [ $RC = "$want" ] || { cat "$dir/out" "$dir/err"; fail "vn $* exited $RC, want $want"; }
}

# field DOM JQ: a field of one domain in vn list --json.
field() {
    ok list --json
    jq -r --arg n "$1" ".[] | select(.name == \$n) | $2" "$dir/out"
}

# wait_state DOM STATE: up to 10 s for the domain to reach STATE.
wait_state() {
    for _ in $(seq 200); do
        [ "$(field "$1" .state)" = "$2" ] && return 0
        sleep 0.05
    done
    fail "$1 never reached state $2 (now: $(field "$1" .state))"
}

# alive PID: the process exists and is not a zombie.
alive() {
    [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

config() {
    cat >"$dir/$1.yaml"
}

config hello <<EOF
name: hello
kernel: $GUESTS/hello.elf
memory: 16
cmdline: "console=hvc0 e2e"
on_poweroff: preserve
EOF
config idle <<EOF
name: idle
kernel: $GUESTS/idle.elf
memory: 16M
EOF
config crash <<EOF
name: crash
kernel: $GUESTS/crash.elf
memory: 16
on_crash: preserve
EOF
config crash2 <<EOF
name: crash2
kernel: $GUESTS/crash.elf
memory: 16
on_crash: destroy
EOF
echo "not an ELF image" >"$dir/junk.elf"
config junk <<EOF
name: junk
kernel: junk.elf
memory: 16
EOF

# -- start: both daemons, sockets, pid files, logs; status says so.
status 4 host status
ok host start
[ "$(stat -c %a "$VENEER_RUNDIR")" = 700 ] || fail "run directory is not 0700"
for f in veneerd.sock xenstored/socket; do
    [ -S "$VENEER_RUNDIR/$f" ] || fail "no socket $f"
done
ok host status --json
[ "$(jq -r '[.daemons[] | .state] | join(",")' "$dir/out")" = running,running ] ||
    { cat "$dir/out"; fail "host status: not both running"; }
pids=$(jq -r '.daemons[].pid' "$dir/out")
ok host start # again: nothing to do

# -- three guests; the first on its console until it powers off.
ok create "$dir/hello.yaml" --console
expect_contains "$dir/out" "Hello from Veneer!"
expect_contains "$dir/out" "cmdline='console=hvc0 e2e'"
ok create "$dir/idle.yaml"
ok create "$dir/crash.yaml"
wait_state crash crashed
wait_state idle running

ok list --json
jq -e 'length == 3' "$dir/out" >/dev/null || { cat "$dir/out"; fail "list: not 3 domains"; }
jq -e '[.[].name] | sort == ["crash", "hello", "idle"]' "$dir/out" >/dev/null ||
    fail "list: names"
jq -e '[.[].domid] | unique | length == 3' "$dir/out" >/dev/null || fail "list: ids"
jq -e 'all(.[]; .memory_kib == 16384 and .vcpus == 1)' "$dir/out" >/dev/null ||
    fail "list: memory or vcpus"
[ "$(field hello '.state + "/" + .shutdown_reason')" = shutdown/poweroff ] ||
    fail "hello: not shut down by poweroff (preserved)"
[ "$(field crash '.state + "/" + .shutdown_reason')" = crashed/crash ] ||
    fail "crash: on_crash=preserve did not keep it crashed"
[ "$(field idle '.shutdown_reason')" = null ] || fail "idle: a shutdown reason"
for d in hello idle crash; do domain_pids="${domain_pids:-} $(field $d .pid)"; done
idle_id=$(field idle .domid)

ok list
head -1 "$dir/out" | grep -q '^NAME *ID *MEM(MiB) *VCPUS *STATE *TIME(s)$' ||
    { cat "$dir/out"; fail "list: table header"; }
grep -q '^idle .* running ' "$dir/out" || fail "list: idle row"

# Console output is captured in the run directory too.
expect_contains "$VENEER_RUNDIR/console/idle.log" "idle: ready"
expect_contains "$VENEER_RUNDIR/console/crash.log" "crash: faulting now"

# -- the store entries of a running domain, with xl's permissions.
dp=/local/domain/$idle_id
[ "$(xenstore-read $dp/name)" = idle ] || fail "store: name"
[ "$(xenstore-read $dp/domid)" = "$idle_id" ] || fail "store: domid"
[ "$(xenstore-read $dp/memory/target)" = 16384 ] || fail "store: memory/target"
[ "$(xenstore-read $dp/memory/static-max)" = 16384 ] || fail "store: static-max"
vm=$(xenstore-read $dp/vm) || fail "store: vm"
[ "$(xenstore-read "$vm/name")" = idle ] || fail "store: $vm/name"
for k in console/ring-ref console/port store/ring-ref store/port control/shutdown; do
    xenstore-exists $dp/$k || fail "store: no $k"
done
[ "$(xenstore-ls -p $dp | grep '^name = ' | sed 's/.*(\(.*\))$/\1/')" = "n0,r$idle_id" ] ||
    fail "store: name is not dom0's, readable by the domain"
[ "$(xenstore-ls -p $dp/control | grep '^shutdown = ' | sed 's/.*(\(.*\))$/\1/')" = "n$idle_id" ] ||
    fail "store: control/shutdown is not the domain's"

# -- refusals leave nothing behind.
status 6 create "$dir/idle.yaml"
expect_contains "$dir/err" "a domain named 'idle' already exists"
status 5 create "$dir/junk.yaml"
expect_contains "$dir/err" "junk.elf"
ok list --json
jq -e 'length == 3' "$dir/out" >/dev/null || fail "a refused create left a domain"
[ "$(xenstore-list /local/domain | wc -l)" = 3 ] || fail "a refused create left store entries"
status 3 info nosuch
status 3 destroy nosuch
status 2 info
status 2 create

# -- pause, unpause, mem-set.
ok pause idle
wait_state idle paused
ok unpause idle
wait_state idle running
ok mem-set idle 8
[ "$(xenstore-read $dp/memory/target)" = 8192 ] || fail "mem-set: memory/target"
status 1 mem-set idle 32
expect_contains "$dir/err" "memory must be from 4 to 16 MiB"

# -- shutdown --wait: idle ignores control/shutdown, so it is forced.
start=$(date +%s)
ok shutdown idle --wait --timeout 2
expect_contains "$dir/err" "did not stop within 2 s; forcing it"
[ $(($(date +%s) - start)) -lt 15 ] || fail "shutdown --wait took too long"
[ -z "$(field idle .name)" ] || fail "idle still listed after shutdown --wait"
xenstore-exists $dp && fail "idle's store entries left behind"

# -- a crash with on_crash=destroy: the domain goes by itself.
ok create "$dir/crash2.yaml"
for _ in $(seq 200); do
    [ -z "$(field crash2 .name)" ] && break
    sleep 0.05
done
[ -z "$(field crash2 .name)" ] || fail "crash2: on_crash=destroy did not destroy it"

# -- destroy.
ok destroy crash
ok destroy hello
ok list --json
[ "$(jq length "$dir/out")" = 0 ] || fail "domains left after destroy"
[ -z "$(xenstore-list /local/domain)" ] || fail "store entries left after destroy"

# -- stop: no process, no socket or pid file; the logs stay.
ok host stop
status 4 list
for p in $pids $domain_pids; do
    [ "$p" -gt 0 ] 2>/dev/null || continue
    for _ in $(seq 100); do alive "$p" || break; sleep 0.05; done
    alive "$p" && fail "process $p left running"
done
left=$(cd "$VENEER_RUNDIR" && find . -mindepth 1 ! -name '*.log' ! -name console | sort)
[ -z "$left" ] || fail "left in the run directory: $left"
[ -s "$VENEER_RUNDIR/veneerd.log" ] || fail "no veneerd.log"
ok host stop --purge
[ -e "$VENEER_RUNDIR" ] && fail "--purge left $VENEER_RUNDIR"
echo "PASS: vn end to end"
