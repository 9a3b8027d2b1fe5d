#!/bin/bash
# Cold start under socket activation, as the package's user units run the daemon: how long a page
# waits from its connect() to port 61232 until the E-Port hello, when that connection is what
# starts cardbridged (systemd-socket-activate stands in for the user's systemd), next to the
# same with the daemon already running. One virtual card behind a private pcscd, in a network
# namespace of its own so that port 61232 is free.
#   bench/activation.sh [BUILD_DIR] [RUNS]          (as root; RUNS defaults to 20)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$src/build}")
runs=${2:-20}
if [[ ${INSIDE_ACTIVATION_BENCH:-} != 1 ]]; then
    cmake --build "$build" -j2 --target cardbridged cardbridge-vcard pcsc-wait test_pki
    echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    exec "$build/tests/harness/vcard-env" --card "$build/test-pki/cards/trade-legal-sm2" -- \
        unshare --net -- env INSIDE_ACTIVATION_BENCH=1 "$0" "$build" "$runs"
fi

ip link set lo up
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/config.json" <<CONF
{"socket": "$dir/daemon.sock", "auditLog": "$dir/audit.log"}
CONF
daemon=("$build/daemon/cardbridged" --config "$dir/config.json")

cold=() warm=()
for ((i = 0; i < runs; i++)); do
    rm -f "$dir/daemon.sock"
    systemd-socket-activate -l 127.0.0.1:61232 -l "$dir/daemon.sock" "${daemon[@]}" 2>>"$dir/daemon.log" &
    pid=$!
    for _ in $(seq 200); do [[ -S $dir/daemon.sock ]] && break; sleep 0.01; done
    cold+=("$("$src/tests/harness/ws-hello" 127.0.0.1 61232 --time)")
    warm+=("$("$src/tests/harness/ws-hello" 127.0.0.1 61232 --time)")
    kill "$pid"
    wait "$pid" || { cat "$dir/daemon.log" >&2; exit 1; }
done
summary() {
    printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {
        printf "median %.1f ms, p90 %.1f ms, max %.1f ms (%d runs)\n",
               v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], v[NR], NR }'
}
echo "first connection, starting cardbridged: $(summary "${cold[@]}")"
echo "next connection, cardbridged running:   $(summary "${warm[@]}")"
