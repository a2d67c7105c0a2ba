#!/bin/sh
# SPDX-License-Identifier: MIT
# make fuzz: the guest kernel loader (elf_parse) under libFuzzer with
# ASan+UBSan for a bounded time (VENEER_FUZZ_SECONDS, default 60), seeded
# with the test guests. Exits non-zero on a crash, leak, hang or a parsed
# image that breaks the loader's promises.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
secs=${VENEER_FUZZ_SECONDS:-60}
mk/install-deps.sh clang libclang-rt-dev
make --no-print-directory "$BUILD/fuzz/fuzz_elf" all
corpus="$BUILD/fuzz/elf_corpus"
mkdir -p "$corpus"
cp "$BUILD"/guests/*.elf "$corpus/"
exec "$BUILD/fuzz/fuzz_elf" -max_total_time="$secs" -timeout=10 \
    -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/fuzz/elf-" "$corpus"
