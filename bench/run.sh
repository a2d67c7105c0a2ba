#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: runs vnbench (bench/vnbench.c) on the programs `make all`
# and $(BENCHES) built, and prints its table. Extra arguments go to
# vnbench (e.g. --quick, --runs 100).
set -eu
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
for f in "$BUILD/bin/veneerd" "$BUILD/libexec/veneer-stub" \
         "$BUILD/guests/hello.elf" "$BUILD/bench/vnbench" \
         "$BUILD/bench/exit0" "$BUILD/bench/guests/hcloop.elf"; do
    if [ ! -e "$f" ]; then
        echo "bench: $f is missing; run: make all \$(BENCHES)" >&2
        exit 1
    fi
done
echo "== Veneer core I benchmarks ($(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'))"
exec "$BUILD/bench/vnbench" \
    --veneerd "$BUILD/bin/veneerd" \
    --hello "$BUILD/guests/hello.elf" \
    --floor "$BUILD/bench/exit0" \
    --hcloop "$BUILD/bench/guests/hcloop.elf" "$@"
