#!/usr/bin/env bash
# Set-up for a fresh Debian 12 machine (as root): installs missing packages and builds.
# `setup.sh` builds; `setup.sh test` builds and runs every test. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(cmake ninja-build g++ pkg-config tao-pegtl-dev libcli11-dev libgmp-dev
          googletest libgtest-dev libedit-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
if [ "${1:-}" = "test" ]; then
  ctest --test-dir build --output-on-failure
fi
