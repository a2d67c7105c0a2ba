#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: runs vnbench (bench/vnbench.c) on the programs `make all`
# and $(BENCHES) built, and prints its table. Extra arguments go to
# vnbench (e.g. --quick, --runs 100). Then the store's comparison
# (bench/vstored_vs_xenstored.sh) and vnbench2 (bench/vnbench2.c: core II
# and the toolstack), which take only --quick from them; QEMU, vnbench2's
# peer in (f), is installed for the bench alone (BENCH_DEB_PACKAGES).
# Then the event channels (bench/evbench.sh); last, the store over a
# guest's ring (bench/xsring.sh).
#
# The binaries are copied first: the tree is shared, and a rebuild of
# veneerd in the middle of a run must not change what is measured.
set -eu
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
for f in "$BUILD/bin/veneerd" "$BUILD/libexec/veneer-stub" \
         "$BUILD/guests/hello.elf" "$BUILD/bench/vnbench" \
         "$BUILD/bench/exit0" "$BUILD/bench/guests/hcloop.elf" \
         "$BUILD/bin/vn" "$BUILD/bin/vstored" "$BUILD/bench/vnbench2" \
         "$BUILD/bench/sleep0" "$BUILD/bench/qemu_pvh.elf" \
         "$BUILD/bench/guests/ptloop.elf" "$BUILD/bench/guests/uplat.elf" \
         "$BUILD/bench/guests/idle_block.elf"; do
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
# vnbench2's programs; vn finds veneerd and vstored next to itself.
cp "$BUILD/bin/vn" "$BUILD/bin/vstored" "$snap/bin/"
cp "$BUILD/bench/vnbench2" "$BUILD/bench/sleep0" "$BUILD/bench/qemu_pvh.elf" \
   "$BUILD/bench/guests/ptloop.elf" "$BUILD/bench/guests/uplat.elf" \
   "$BUILD/bench/guests/idle_block.elf" "$snap/"
quick=
for a in "$@"; do
    case $a in --quick) quick=--quick ;; esac
done
status=0
"$snap/vnbench" \
    --veneerd "$snap/bin/veneerd" \
    --hello "$snap/hello.elf" \
    --floor "$snap/exit0" \
    --hcloop "$snap/hcloop.elf" "$@" || status=1

echo
echo "== vstored against xenstored and oxenstored (bench/vstored_vs_xenstored.sh)"
bash bench/vstored_vs_xenstored.sh ${quick:+--seconds 0.1} || status=1

BENCH_DEB_PACKAGES="qemu-system-x86"
mk/install-deps.sh $BENCH_DEB_PACKAGES ||
    echo "bench: $BENCH_DEB_PACKAGES not installed: (f) runs without QEMU"
"$snap/vnbench2" \
    --veneerd "$snap/bin/veneerd" \
    --vn "$snap/bin/vn" \
    --hello "$snap/hello.elf" \
    --floor "$snap/exit0" \
    --sleeper "$snap/sleep0" \
    --qemu-kernel "$snap/qemu_pvh.elf" \
    --ptloop "$snap/ptloop.elf" \
    --uplat "$snap/uplat.elf" \
    --idle "$snap/idle_block.elf" $quick || status=1

echo
echo "== Grant tables (bench/gntbench.c)"
if [ -e "$BUILD/bench/gntbench" ] && [ -e "$BUILD/bench/guests/gntloop.elf" ]; then
    cp "$BUILD/bench/gntbench" "$BUILD/bench/guests/gntloop.elf" "$snap/"
    "$snap/gntbench" --veneerd "$snap/bin/veneerd" \
        --gntloop "$snap/gntloop.elf" $quick || status=1
else
    echo "bench: gntbench or gntloop.elf is missing; run: make all \$(BENCHES)" >&2
    status=1
fi

# Event channels: guest<->guest, guest<->dom0 and the eventfd peer.
echo
cp "$BUILD/guests/evchan.elf" "$BUILD/tests/vnev-ping" "$snap/"
bash bench/evbench.sh $quick "$snap" || status=1

# The store from a guest over its ring, beside the store over its socket.
echo
echo "== The store over a guest's ring and over its socket (bench/xsring.sh)"
bash bench/xsring.sh $quick "$BUILD" || status=1
exit $status
