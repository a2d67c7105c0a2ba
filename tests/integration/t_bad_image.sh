#!/bin/bash
# SPDX-License-Identifier: MIT
# veneerd run refuses unusable kernels with one clear line and a distinct
# exit status, before creating anything; bad options are usage errors.
set -u
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/out

# expect_run STATUS TEXT ARGS...: veneerd run ARGS exits STATUS, says TEXT.
expect_run() {
    local want=$1 text=$2
    shift 2
    timeout 20 "$VENEERD" run "$@" >"$out" 2>&1
    local rc=$?
    cat "$out"
    [ $rc -eq "$want" ] || fail "veneerd run $* exited $rc, want $want"
    expect_contains "$out" "$text"
}

echo "not an ELF" >"$dir/text.elf"
: >"$dir/empty.elf"
head -c 100 "$GUESTS/hello.elf" >"$dir/truncated.elf"
# A 64-bit executable without Xen notes: strip them from hello.
objcopy --remove-section=.note.Xen "$GUESTS/hello.elf" "$dir/nonotes.elf"

expect_run 66 "No such file" "$dir/missing.elf"
expect_run 66 "not a regular file" "$dir/empty.elf"
expect_run 66 "not a regular file" "$dir"
expect_run 65 "not an ELF file" "$dir/text.elf"
expect_run 65 "outside the file" "$dir/truncated.elf"
expect_run 65 "ET_EXEC" /bin/true
expect_run 65 "no Xen ELF notes" "$dir/nonotes.elf"
expect_run 64 "want 4..65536 MiB" "$GUESTS/hello.elf" --memory 3
expect_run 64 "want 4..65536 MiB" "$GUESTS/hello.elf" --memory 12abc
expect_run 64 "longer than 1023" "$GUESTS/hello.elf" --cmdline "$(head -c 1024 /dev/zero | tr '\0' x)"
# A second positional argument is a second kernel (several domains).
expect_run 66 "extra-argument: No such file" "$GUESTS/hello.elf" extra-argument
expect_run 64 "usage:" --memory 16
echo PASS
