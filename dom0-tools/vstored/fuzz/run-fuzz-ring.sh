#!/bin/bash
# SPDX-License-Identifier: MIT
# make fuzz: builds the vstored ring-page fuzzer (fuzz_ring.c) with clang
# (-fsanitize=fuzzer,address,undefined) and runs it for a bounded time
# (VSTORED_FUZZ_SECONDS, default 60) from a few seed scripts: a request,
# a request split across the ring, bad indices, a reconnect. Exits
# non-zero if the fuzzer finds a crash, leak or hang.
set -eu
cd "$(dirname "$0")/../../.."
BUILD=${BUILD:-build}
secs=${VSTORED_FUZZ_SECONDS:-60}
mk/install-deps.sh clang libclang-rt-dev
make --no-print-directory "$BUILD/fuzz/fuzz_vstore_ring"

corpus="$BUILD/fuzz/vstore_ring_corpus"
mkdir -p "$corpus"
# A READ of "data" (16-byte header + 5 bytes) as one op-0 chunk: op byte
# (len << 3), then the bytes.
read_msg='\x02\0\0\0\x01\0\0\0\0\0\0\0\x05\0\0\0data\0'
printf "\\xa8$read_msg\\x03" >"$corpus/seed-read"
printf "\\x04\\xfc\\xff\\xff\\xff\\x01\\xfc\\xff\\xff\\xff\\xa8$read_msg\\x03" \
    >"$corpus/seed-wrap"
printf '\x01\x00\x08\x00\x00\x05\xa8'"$read_msg"'\x03' >"$corpus/seed-badidx"
printf '\x06\x02\x00\x00\x10\x00\x03\x05\x07\x03' >"$corpus/seed-reconnect"
exec "$BUILD/fuzz/fuzz_vstore_ring" -max_total_time="$secs" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/fuzz/" "$corpus"
