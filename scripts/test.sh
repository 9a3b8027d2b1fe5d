#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test; the output ends with ctest's summary.
#   scripts/test.sh              the suite (unit, integration, fuzzers under ASan+UBSan)
#   scripts/test.sh --sanitize   the whole suite built with ASan+UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
config=()
case "${1:-}" in
  "") ;;
  --sanitize) build=build-asan; config=(-DCARDBRIDGE_SANITIZE=ON -DCARDBRIDGE_FUZZ=OFF) ;;
  *) echo "usage: $0 [--sanitize]" >&2; exit 2 ;;
esac

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja "${config[@]}" >/dev/null
cmake --build "$build"
cd "$build"
ctest -j"$(nproc)" --output-on-failure
