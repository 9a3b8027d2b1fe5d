#!/usr/bin/env bash
# Installs what is missing, builds, and runs the daemon in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build --target cardbridged
exec build/daemon/cardbridged "$@"
