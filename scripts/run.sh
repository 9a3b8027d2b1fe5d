#!/usr/bin/env bash
# The README's first command: installs what is missing, builds what the demo needs, and runs the
# demo (scripts/demo.sh, docs/DEMO.md) in the foreground; Ctrl-C stops everything it started.
#   scripts/run.sh [--build DIR] [DEMO OPTION]...      the demo; scripts/demo.sh --help lists them
#   scripts/run.sh --daemon [CARDBRIDGED OPTION]...    only cardbridged in the foreground (Ctrl-C
#                                                      stops it), with pcscd when nothing starts it
set -euo pipefail

# The build tree: build/ (the one scripts/test.sh uses too), or the one --build DIR names (from
# where run.sh was called). The demo takes --build itself; the daemon does not, so it is taken
# out of the daemon's options.
build=build
rest=()
while (($#)); do
    if [[ $1 == --build && $# -ge 2 ]]; then
        build=$(realpath -m -- "$2")
        shift 2
    else
        rest+=("$1")
        shift
    fi
done
set -- "${rest[@]}"
cd "$(dirname "$0")/.."

run_daemon() {
    cmake --build "$build" --target cardbridged
    # The daemon waits for pcscd if it is not there, but readers need it: start it where nothing
    # (systemd's socket activation) would.
    if ! pgrep -x pcscd >/dev/null && ! systemctl is-active --quiet pcscd.socket 2>/dev/null; then
        pcscd
    fi
    exec "$build/daemon/cardbridged" "$@"
}

run_demo() {
    # Exactly the programs the demo starts, the preload of its pcscd, the test PKI its cards
    # come from, and soft-skf's library and CLI for its virtual USB key.
    cmake --build "$build" --target cardbridged cardbridge cardbridge-host cardbridge-vcard \
        cardbridge-vcard-ctl pcsc-wait test_pki cardbridge-portal cardbridge-vpcd-loopback \
        cardbridge_soft_skf cardbridge-soft-skf
    exec scripts/demo.sh --build "$build" "$@"
}

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja >/dev/null
if [[ ${1:-} == --daemon ]]; then
    shift
    run_daemon "$@"
fi
run_demo "$@"
