#!/bin/bash
# Builds what the daemon bench needs and runs it under the harness: a private pcscd with one
# virtual test-PKI card per entry of BENCH_CARDS (default an RSA and an SM2 E-Port card).
#   bench/run.sh [BUILD_DIR] [-- daemon_bench options]
#   bench/run.sh build-bench -- --idle-seconds 5      (a quick run)
# BUILD_DIR defaults to build/; a missing one is configured without the fuzz sub-build. Builds
# with two jobs at most: the machine is shared.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
if [[ $# -gt 0 && $1 != -- ]]; then build=$(realpath -m "$1"); shift; fi
if [[ ${1:-} == -- ]]; then shift; fi

if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$src" -B "$build" -G Ninja -DCARDBRIDGE_FUZZ=OFF
fi
cmake --build "$build" -j2 --target cardbridged cardbridge-vcard pcsc-wait test_pki daemon_bench

cards=()
for name in ${BENCH_CARDS:-trade-legal-rsa trade-legal-sm2}; do
    cards+=(--card "$build/test-pki/cards/$name")
done
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$build/tests/harness/vcard-env" "${cards[@]}" -- "$build/bench/daemon_bench" "$@"
