#!/bin/bash
# SPDX-License-Identifier: MIT
# make fuzz: builds the vstored message fuzzer with clang
# (-fsanitize=fuzzer,address,undefined) and runs it for a bounded time
# (VSTORED_FUZZ_SECONDS, default 60) from a small seed corpus of valid
# requests. Exits non-zero if the fuzzer finds a crash, leak or hang.
set -eu
cd "$(dirname "$0")/../../.."
BUILD=${BUILD:-build}
secs=${VSTORED_FUZZ_SECONDS:-60}
# clang and its libFuzzer runtime, if this machine lacks them.
mk/install-deps.sh clang libclang-rt-dev
make --no-print-directory "$BUILD/fuzz/fuzz_vstore_msg"

corpus="$BUILD/fuzz/vstore_msg_corpus"
mkdir -p "$corpus"
# seed NAME SEL HEX-PAYLOAD-BYTES...: one step (selector, length, message)
# of the harness's input format, with a 16-byte header for TYPE.
seed() {
    local name=$1 sel=$2 type=$3 tx=$4 payload=$5
    local len=$(printf '%s' "$payload" | wc -c)
    {
        printf "\\x$(printf %02x "$sel")\\x$(printf %02x $((16 + len)))"
        printf "\\x$(printf %02x "$type")\\0\\0\\0\\x01\\0\\0\\0"
        printf "\\x$(printf %02x "$tx")\\0\\0\\0\\x$(printf %02x "$len")\\0\\0\\0"
        printf '%s' "$payload"
    } >"$corpus/seed-$name"
}
seed write 2 11 0 $'/a/b\0value'
seed read 2 2 0 $'/a/b\0'
seed dir 2 1 0 $'/\0'
seed perms 2 14 0 $'/a\0n0\0r5\0'
seed watch 0 4 0 $'/a\0tok\0'
seed txn 2 6 0 $'\0'
seed txwrite 2 11 1 $'/a/c\0v'
seed commit 2 7 1 $'T\0'
seed domu 3 11 0 $'data/x\0v'
seed intro 2 8 0 $'7\0001\0002\0'
seed part 2 22 0 $'/\0000\0'
exec "$BUILD/fuzz/fuzz_vstore_msg" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/fuzz/" "$corpus"
