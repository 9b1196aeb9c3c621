#!/usr/bin/env bash
# Set-up for a fresh Debian 12 machine (as root): installs missing packages and builds.
#   setup.sh           build, then run examples/hello.csp
#   setup.sh test      build, then run every test (unit, script, example)
#   setup.sh sanitize  build with AddressSanitizer + UBSan in build-sanitize/, run every test
# Idempotent: packages already present are not reinstalled; builds are incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(cmake ninja-build g++ pkg-config tao-pegtl-dev libcli11-dev libgmp-dev
          googletest libgtest-dev libedit-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
jobs=$(nproc)
case "${1:-}" in
  "")
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build build
    ./build/csp run examples/hello.csp
    ;;
  test)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
    cmake --build build
    ctest --test-dir build --output-on-failure -j"$jobs"
    ;;
  sanitize)
    # -O1 with line tables only: ASan's recommended level, and cheaper to build than
    # RelWithDebInfo's full debug information of the PEGTL templates.
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O1 -g1" -DCSP_SANITIZE=ON
    cmake --build build-sanitize
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-sanitize --output-on-failure -j"$jobs"
    ;;
  *)
    echo "usage: scripts/setup.sh [test|sanitize]" >&2
    exit 1
    ;;
esac
