#!/bin/bash
# SPDX-License-Identifier: MIT
# Golden config tests: for every tests/configs/NAME.yaml, `vn create
# --dry-run NAME.yaml` must either print exactly NAME.err on stderr (and
# nothing on stdout) and exit 5, or print NAME.json on stdout (and nothing
# on stderr) and exit 0. Each config has exactly one of the two. The
# configs run from a scratch copy of the directory holding the files they
# name (hello.elf, disk.img, somedir/), so the .json files spell that
# directory @DIR@. UPDATE_GOLDEN=1 rewrites the expected files instead.
set -u
. "$(dirname "$0")/lib.sh"
VN="$BUILD/bin/vn"
SRC="$(cd "$(dirname "$0")/../configs" && pwd)"
EXIT_CONFIG=5

dir=$(mktemp -d /tmp/vn-golden.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$SRC"/*.yaml "$dir"/
ln -s "$GUESTS/hello.elf" "$dir/hello.elf"
: >"$dir/disk.img"
mkdir "$dir/somedir"
dir=$(cd "$dir" && pwd -P)

n=0 bad=0
for cfg in "$SRC"/*.yaml; do
    name=$(basename "$cfg" .yaml)
    err="$SRC/$name.err" json="$SRC/$name.json"
    n=$((n + 1))
    (cd "$dir" && timeout 10 "$VN" create --dry-run "$name.yaml" \
        >"$dir/out" 2>"$dir/errout")
    rc=$?
    sed -i "s|$dir|@DIR@|g" "$dir/out"
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        if [ $rc = 0 ]; then cp "$dir/out" "$json"; rm -f "$err"
        else cp "$dir/errout" "$err"; rm -f "$json"; fi
        continue
    fi
    if [ -e "$err" ] && [ -e "$json" ] || [ ! -e "$err" ] && [ ! -e "$json" ]
    then
        echo "$name: needs exactly one of $name.err and $name.json"
        bad=$((bad + 1))
    elif [ -e "$err" ]; then
        if [ $rc != $EXIT_CONFIG ] || [ -s "$dir/out" ] ||
            ! diff -u "$err" "$dir/errout"; then
            echo "$name: exit $rc (want $EXIT_CONFIG), stdout:"
            cat "$dir/out"
            bad=$((bad + 1))
        fi
    else
        if [ $rc != 0 ] || [ -s "$dir/errout" ] ||
            ! diff -u "$json" "$dir/out"; then
            echo "$name: exit $rc (want 0), stderr:"
            cat "$dir/errout"
            bad=$((bad + 1))
        fi
    fi
done
[ "${UPDATE_GOLDEN:-0}" = 1 ] && { echo "updated $n golden files"; exit 0; }
[ $n -ge 40 ] || fail "only $n configs in $SRC"
[ $bad = 0 ] || fail "$bad of $n configs differ from their golden output"

# The file name is printed as given, and an unreadable file is exit 5 too.
(cd "$SRC/.." && "$VN" create --dry-run configs/nope.yaml) 2>"$dir/errout"
[ $? = $EXIT_CONFIG ] || fail "missing config: exit status"
expect_contains "$dir/errout" \
    "configs/nope.yaml: error: cannot read: No such file or directory"
echo "PASS: $n golden configs"
