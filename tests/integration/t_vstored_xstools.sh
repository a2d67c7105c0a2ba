#!/bin/bash
# SPDX-License-Identifier: MIT
# Debian's unmodified xenstore-* tools (libxenstore over the local socket)
# against vstored: write, read, ls, list, exists, rm, chmod and watch,
# with their output checked exactly; then vstored stops and leaves
# nothing behind.
set -u
. "$(dirname "$0")/lib.sh"
VSTORED="$BUILD/bin/vstored"

for tool in xenstore-write xenstore-read xenstore-ls xenstore-list \
    xenstore-exists xenstore-rm xenstore-chmod xenstore-watch; do
    command -v $tool >/dev/null ||
        { echo "SKIP: $tool missing (apt-get install xenstore-utils)"; exit 77; }
done

dir=$(mktemp -d /tmp/vstored-test.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

# The tools find the socket the way libxenstore always does.
export XENSTORED_PATH="$dir/run/socket"
"$VSTORED" --socket "$XENSTORED_PATH" --pid-file "$dir/pid" \
    --log-file "$dir/log" || fail "vstored did not start"
pid=$(cat "$dir/pid")
[ -S "$XENSTORED_PATH" ] || fail "no socket at $XENSTORED_PATH"
[ "$(stat -c %a "$XENSTORED_PATH")" = 600 ] || fail "socket is not mode 0600"

# expect NAME CMD...: CMD's stdout must equal stdin.
expect() {
    local name=$1
    shift
    cat >"$dir/want"
    timeout 10 "$@" >"$dir/got" 2>"$dir/err" || {
        cat "$dir/err"; fail "$name: '$*' exited $?"; }
    diff -u "$dir/want" "$dir/got" || fail "$name: output differs"
}

# expect_fail NAME CMD...: CMD must exit non-zero.
expect_fail() {
    local name=$1
    shift
    if timeout 10 "$@" >/dev/null 2>&1; then fail "$name: '$*' succeeded"; fi
}

expect write xenstore-write /vm/1/name alpha /vm/1/memory 16 \
    /vm/2/name "beta gamma" </dev/null
expect read-p xenstore-read -p /vm/1/name /vm/2/name <<'OUT'
/vm/1/name: alpha
/vm/2/name: beta gamma
OUT
expect ls xenstore-ls /vm <<'OUT'
1 = ""
 name = "alpha"
 memory = "16"
2 = ""
 name = "beta gamma"
OUT
expect ls-f xenstore-ls -f /vm <<'OUT'
/vm/1 = ""
/vm/1/name = "alpha"
/vm/1/memory = "16"
/vm/2 = ""
/vm/2/name = "beta gamma"
OUT
expect list xenstore-list /vm <<'OUT'
1
2
OUT
expect list-p xenstore-list -p /vm/1 <<'OUT'
/vm/1/name
/vm/1/memory
OUT
expect exists xenstore-exists /vm/1/name </dev/null
expect_fail exists-missing xenstore-exists /vm/9
expect_fail read-missing xenstore-read /vm/9
expect_fail write-bad-path xenstore-write /bad//path v
expect_fail list-missing xenstore-list /nope
expect_fail rm-missing-parent xenstore-rm /nope/nope

# Permissions: recursive chmod, then one node given to domain 3.
expect chmod-r xenstore-chmod -r /vm n0 r5 </dev/null
expect chmod xenstore-chmod /vm/1/memory b3 </dev/null
expect ls-p xenstore-ls -p /vm/1 <<'OUT'
name = "alpha" . . . . . . . . . . . . . . . . . . . . . . .  (n0,r5)
memory = "16"  . . . . . . . . . . . . . . . . . . . . . . .  (b3)
OUT

# rm -t also removes the emptied parent.
expect rm-t xenstore-rm -t /vm/2/name </dev/null
expect ls-root xenstore-ls / <<'OUT'
tool = ""
 xenstored = ""
vm = ""
 1 = ""
  name = "alpha"
  memory = "16"
OUT

# A directory too long for one reply: libxenstore falls back to
# DIRECTORY_PART after E2BIG.
args=()
for i in $(seq -w 1 300); do args+=("/big/child-with-a-long-name-$i" "$i"); done
expect write-big xenstore-write "${args[@]}" </dev/null
xenstore-list /big >"$dir/big" || fail "list /big"
[ "$(wc -l <"$dir/big")" = 300 ] || fail "list /big: $(wc -l <"$dir/big") names"
[ "$(head -1 "$dir/big")" = child-with-a-long-name-001 ] || fail "list order"
expect rm-big xenstore-rm /big </dev/null

# Watch: the initial event, a child written, the watched node's subtree
# removed, a permission change; the unrelated write stays silent.
timeout 10 xenstore-watch -n 4 /vm >"$dir/watch" 2>&1 &
wpid=$!
for _ in $(seq 100); do
    grep -q . "$dir/watch" && break
    sleep 0.05
done
[ -s "$dir/watch" ] || fail "no initial watch event"
xenstore-write /vm/3/name gamma /other 1 || fail "write under watch"
xenstore-rm /vm/1 || fail "rm under watch"
xenstore-chmod /vm n0 || fail "chmod under watch"
wait $wpid || fail "xenstore-watch exited $?"
diff -u - "$dir/watch" <<'OUT' || fail "watch events differ"
/vm
/vm/3/name
/vm/1
/vm
OUT

# Stop: the daemon exits and removes its socket and pid file.
kill "$pid"
for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
kill -0 "$pid" 2>/dev/null && fail "vstored still running after SIGTERM"
pid=
[ -e "$XENSTORED_PATH" ] && fail "socket left behind"
[ -e "$dir/pid" ] && fail "pid file left behind"
expect_contains "$dir/log" "stopped"
echo "PASS: xenstore-utils against vstored"
