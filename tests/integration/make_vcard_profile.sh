#!/usr/bin/env bash
# A throwaway virtual-card profile (tools/virtual-card/PROFILE.md) for the transport and
# harness tests: one P-256 key with a self-signed certificate in slot 9A.
#   make_vcard_profile.sh DIR
set -euo pipefail
dir=${1:?usage: make_vcard_profile.sh DIR}
mkdir -p "$dir"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/9a.key.pem" 2>/dev/null
openssl req -new -x509 -key "$dir/9a.key.pem" -subj "/CN=cardbridge harness test card" \
    -days 30 -outform DER -out "$dir/9a.crt.der"
cat >"$dir/card.json" <<'JSON'
{
  "description": "harness test card, P-256 (throwaway)",
  "chuid_guid": "00112233445566778899aabbccddeeff",
  "pin": "123456", "pin_retries": 3,
  "puk": "12345678", "puk_retries": 3,
  "slots": {"9a": {"key": "9a.key.pem", "certificate": "9a.crt.der"}}
}
JSON
