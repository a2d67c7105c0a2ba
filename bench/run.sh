#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: runs vnbench (bench/vnbench.c) on the programs `make all`
# and $(BENCHES) built, and prints its table. Extra arguments go to
# vnbench (e.g. --quick, --runs 100).
#
# The binaries are copied first: the tree is shared, and a rebuild of
# veneerd in the middle of a run must not change what is measured.
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
snap=$(mktemp -d "$BUILD/bench/run.XXXXXX")
trap 'rm -rf "$snap"' EXIT INT TERM
mkdir "$snap/bin" "$snap/libexec"
# veneerd finds its stub in ../libexec next to its own bin/.
cp "$BUILD/bin/veneerd" "$snap/bin/"
cp "$BUILD/libexec/veneer-stub" "$snap/libexec/"
cp "$BUILD/guests/hello.elf" "$BUILD/bench/guests/hcloop.elf" \
   "$BUILD/bench/exit0" "$BUILD/bench/vnbench" "$snap/"
echo "== Veneer core I benchmarks ($(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'))"
"$snap/vnbench" \
    --veneerd "$snap/bin/veneerd" \
    --hello "$snap/hello.elf" \
    --floor "$snap/exit0" \
    --hcloop "$snap/hcloop.elf" "$@"
