#!/bin/sh
# Install what the libFuzzer targets need on top of scripts/deps.sh, if any
# of it is missing: clang, its sanitizer and libFuzzer runtime (Debian ships
# it apart, and clang only recommends it) and llvm for llvm-symbolizer, so
# that a crash report names files and lines. The metapackages follow
# Debian's default clang version. scripts/deps.sh installs them (with sudo
# when not root); safe to run again: it installs only what is absent.
set -eu

DEPS_NAME="fuzz deps" exec sh "$(dirname "$0")/../scripts/deps.sh" \
    clang libclang-rt-dev llvm
