#!/bin/bash
# Builds what the legacy bench needs and runs it under the harness, once per card: the legacy
# API uses the one card present, so each run has a private pcscd with a single virtual card.
#   bench/legacy_run.sh [BUILD_DIR] [-- legacy_bench options]
#   BENCH_CARD=trade-legal-rsa bench/legacy_run.sh build-bench -- --rounds 50 --uploads 1
# Without BENCH_CARD: trade-legal-rsa, then trade-legal-sm2; BENCH_CARD set but empty:
# trade-legal-sm2. BUILD_DIR defaults to build/; a missing one is configured without the fuzz
# sub-build. Builds with two jobs at most: the machine is shared.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
if [[ $# -gt 0 && $1 != -- ]]; then build=$(realpath -m "$1"); shift; fi
if [[ ${1:-} == -- ]]; then shift; fi

if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$src" -B "$build" -G Ninja -DCARDBRIDGE_FUZZ=OFF
fi
cmake --build "$build" -j2 --target cardbridged cardbridge-vcard pcsc-wait test_pki legacy_bench

if [[ -v BENCH_CARD ]]; then
    cards=("${BENCH_CARD:-trade-legal-sm2}")
else
    cards=(trade-legal-rsa trade-legal-sm2)
fi
status=0
for name in "${cards[@]}"; do
    echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$build/tests/harness/vcard-env" --card "$build/test-pki/cards/$name" -- \
        "$build/bench/legacy_bench" "$@" || status=$?
    echo
done
exit $status
