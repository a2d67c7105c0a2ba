#!/bin/bash
# SPDX-License-Identifier: MIT
# While a guest runs, its domain process must hold only guest RAM, the stub
# and its mailbox; only its RAM memfd and its seccomp listener as fds; no
# capability, no privilege, seccomp in filter mode. SIGTERM to veneerd must
# take the domain process with it.
set -u
. "$(dirname "$0")/lib.sh"

out=$(mktemp)
trap 'rm -f "$out"; [ -n "${vp:-}" ] && kill -9 $vp 2>/dev/null' EXIT
"$VENEERD" run "$GUESTS/idle.elf" --memory 16 >"$out" 2>&1 &
vp=$!
for _ in $(seq 100); do
    grep -q "idle: ready" "$out" && break
    sleep 0.05
done
expect_contains "$out" "idle: ready"
dp=$(pgrep -P $vp)
[ -n "$dp" ] || fail "no domain process under veneerd $vp"
echo "veneerd $vp, domain process $dp"

# 1. Address space: every mapping is guest RAM (below the guest limit),
#    the stub image, the stub's data, the mailbox, or [vsyscall].
cat /proc/$dp/maps
while read -r range perms _ _ _ path; do
    lo=$((16#${range%-*}))
    case "$path" in
    /memfd:veneer-dom*-ram*)
        [ $lo -lt $((0x7f0000000000)) ] || fail "RAM mapped in the stub region: $range" ;;
    */libexec/veneer-stub)
        [ "$perms" = "r-xp" ] || fail "stub text is $perms, want r-xp" ;;
    /memfd:veneer-mailbox*)
        [ $lo -eq $((0x7f0100000000)) ] || fail "mailbox at $range" ;;
    "[vsyscall]") ;;
    "")
        [ $lo -eq $((0x7f0000200000)) ] || fail "anonymous mapping at $range" ;;
    *) fail "unexpected mapping: $range $perms $path" ;;
    esac
done </proc/$dp/maps
for m in "[stack]" "[vdso]" "[vvar]" "[heap]"; do
    grep -qF "$m" /proc/$dp/maps && fail "domain process still has $m"
done

# 2. File descriptors: the RAM memfd and the seccomp listener, nothing else.
fds=$(for f in /proc/$dp/fd/*; do readlink "$f"; done | sed 's/ (deleted)$//' |
    sed 's/^\/memfd:veneer-dom[0-9]*-ram$/RAM/' | sort | tr '\n' ' ')
echo "fds: $fds"
[ "$fds" = "RAM anon_inode:seccomp notify " ] || fail "unexpected fds: $fds"

# 3. Credentials: no capability anywhere, unprivileged ids, seccomp filter.
st=/proc/$dp/status
grep -E "^(Uid|Gid|Cap|NoNewPrivs|Seccomp)" $st
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
    grep -q "^$c:[[:space:]]*0000000000000000$" $st || fail "$c is not empty"
done
grep -q "^Seccomp:[[:space:]]*2$" $st || fail "seccomp is not in filter mode"
grep -q "^NoNewPrivs:[[:space:]]*1$" $st || fail "no_new_privs is not set"
grep -q "^Uid:[[:space:]]*0" $st && fail "domain process runs as root"
grep -q "^Gid:[[:space:]]*0" $st && fail "domain process runs with gid 0"

# 4. Stopping veneerd stops the domain, and nothing is left behind.
kill -TERM $vp
wait $vp
rc=$?
[ $rc -eq $((128 + 15)) ] || fail "veneerd exited $rc after SIGTERM, want 143"
sleep 0.1
kill -0 $dp 2>/dev/null && fail "domain process $dp outlived veneerd"
vp=""

# 5. Even SIGKILL of veneerd takes the domain down (parent-death signal).
"$VENEERD" run "$GUESTS/idle.elf" --memory 16 >"$out" 2>&1 &
vp=$!
for _ in $(seq 100); do
    grep -q "idle: ready" "$out" && break
    sleep 0.05
done
dp=$(pgrep -P $vp)
[ -n "$dp" ] || fail "no domain process under veneerd $vp"
kill -KILL $vp
wait $vp 2>/dev/null
vp=""
for _ in $(seq 40); do
    state=$(awk '/^State:/ {print $2}' /proc/$dp/status 2>/dev/null)
    [ -z "$state" ] || [ "$state" = Z ] && break
    sleep 0.05
done
[ -z "$state" ] || [ "$state" = Z ] ||
    fail "domain process $dp survived SIGKILL of veneerd (state $state)"
echo "PASS"
