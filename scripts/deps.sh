#!/bin/sh
# Install the Debian packages jobtally needs, if any are missing.
# Uses sudo when not root. Safe to run again: it installs only what is absent.
set -eu

# scdoc turns man/*.scd into the manual pages.
# chromium renders the HTML summary in tests/test_html.c (headless); the
# Noto CJK fonts let it draw the Chinese page (--lang zh) and its Latin text.
PACKAGES="gcc libc6-dev make cmake pkg-config
libzmq3-dev libczmq-dev libprotobuf-c-dev protobuf-c-compiler
libcmocka-dev libcsv-dev libjansson-dev valgrind scdoc
chromium fonts-noto-cjk"
NAME="deps"

# Other packages given as arguments are installed instead, named in
# messages as $DEPS_NAME (fuzz/deps.sh: the fuzzers' own).
if [ $# -gt 0 ]; then
    PACKAGES="$*"
    NAME="${DEPS_NAME:-deps}"
fi

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "$NAME: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "$NAME: need root (or sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
