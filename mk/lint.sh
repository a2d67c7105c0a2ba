#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks every tracked C source and header against .clang-format.
set -u
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files -o --exclude-standard '*.c' '*.h' 2>/dev/null)
[ $# -gt 0 ] && files="$files $*"
[ -z "$files" ] && exit 0
if ! clang-format --dry-run -Werror $files; then
    echo "lint: formatting differs; run: clang-format -i <file>" >&2
    exit 1
fi
echo "lint: $(echo $files | wc -w) files formatted"
