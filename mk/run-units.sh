#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each Criterion test program; fails if any fails.
set -u
fail=0
for t in "$@"; do
    printf '== %s\n' "$t"
    "$t" --jobs=2 || { echo "FAILED: $t"; fail=1; }
done
exit $fail
