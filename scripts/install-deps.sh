#!/usr/bin/env bash
# Installs everything cardbridge builds, tests and runs with, from Debian 12 packages only.
# Idempotent: apt-get skips what is already there; the package index is refreshed at most
# once a day so repeated runs stay fast and still work on a machine that was never updated.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  libboost-dev libpcsclite-dev libssl-dev libsodium-dev nlohmann-json3-dev doctest-dev
  # PKCS#11 modules (USB keys) are loaded through p11-kit
  libp11-kit-dev
  # socket activation and readiness under systemd (sd_listen_fds, sd_notify)
  libsystemd-dev
  # the Debian package (packaging/): manual pages from --help, and lintian to check it
  help2man lintian
  # the reference portal (examples/portal) keeps its accounts in SQLite
  libsqlite3-dev
  # fuzzing (libFuzzer + sanitizer runtimes)
  clang-14 libclang-rt-14-dev
  # run and test against the real PC/SC stack
  pcscd vsmartcard-vpcd opensc yubico-piv-tool softhsm2 openssl python3
  # the legacy API's Python test client (tests/integration/legacy), for /usr/bin/python3
  python3-websockets
  # the harness runs pcscd in private mount, network and PID namespaces
  iproute2 util-linux
  # the browser end-to-end tests (tests/e2e): Chromium and Firefox ESR with the extension
  chromium firefox-esr
  # the portal's Chinese pages render in boxes without a CJK font (the demo opens Chromium)
  fonts-wqy-microhei
)
# tests/e2e runs npm. Debian 12 has it as `nodejs npm`; a machine with another nodejs
# (NodeSource's bundles npm) keeps its own. The e2e packages want Node.js 20 or later, and
# Debian 12's nodejs is 18: there tests/e2e/npm_ci.sh says so and the e2e tests fail.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get needs it), or install these yourself: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

stamp=/var/lib/apt/periodic/cardbridge-update-stamp
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
echo "install-deps: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
