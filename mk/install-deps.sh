#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs whichever of the named Debian packages are missing (needs root).
set -eu
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
    echo "error: installing packages needs root (run as root on Debian 12)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
    { apt-get update -q >/dev/null && \
      apt-get install -y -q --no-install-recommends $missing >/dev/null; }
