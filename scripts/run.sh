#!/usr/bin/env bash
# Installs what is missing, builds, and runs the daemon in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
cmake --build build --target cardbridged
# The daemon waits for pcscd if it is not there, but readers need it: start it where nothing
# (systemd's socket activation) would.
if ! pgrep -x pcscd >/dev/null && ! systemctl is-active --quiet pcscd.socket 2>/dev/null; then
    pcscd
fi
exec build/daemon/cardbridged "$@"
