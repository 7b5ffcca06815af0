#!/bin/sh
# Install what the libFuzzer targets need on top of scripts/deps.sh, if any
# of it is missing: clang, its sanitizer and libFuzzer runtime (Debian ships
# it apart, and clang only recommends it) and llvm for llvm-symbolizer, so
# that a crash report names files and lines. The metapackages follow
# Debian's default clang version. Uses sudo when not root. Safe to run
# again: it installs only what is absent.
set -eu

PACKAGES="clang libclang-rt-dev llvm"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "fuzz deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "fuzz deps: need root (or sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
