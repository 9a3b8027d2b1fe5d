#!/usr/bin/env bash
# Builds the unpacked extension for both browser families from the one source tree:
#   extension/build.sh OUT   →   OUT/chromium/   OUT/firefox/
# The files are the same; only the manifest differs (docs/BROWSER.md "Manifests and ids"):
# Chromium gets a service worker and the public key that fixes its id, Firefox a background
# script and its gecko id.
set -euo pipefail

out=${1:?usage: build.sh OUT}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
key_file="$here/key.pub.der"
[[ -s $key_file ]] || { echo "build.sh: $key_file is missing" >&2; exit 1; }
key=$(base64 -w0 "$key_file")

chromium_extra=$(cat <<JSON
{"background": {"service_worker": "service_worker.js"},
 "key": "$key",
 "minimum_chrome_version": "111"}
JSON
)
# data_collection_permissions: AMO asks every new add-on to declare it; we collect nothing.
# Firefox before 140 does not know the key and only logs a warning about it.
firefox_extra='{"background": {"scripts": ["service_worker.js"]},
 "browser_specific_settings": {"gecko": {"id": "cardbridge@cardbridge.invalid", "strict_min_version": "128.0",
                                         "data_collection_permissions": {"required": ["none"]}}}}'

# base + extra, extra's keys winning; jq when there is one, else Python (always on Debian).
merge() {
  if command -v jq >/dev/null; then
    jq --argjson extra "$2" '. + $extra' "$1"
  else
    python3 -c 'import json, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
base.update(json.loads(sys.argv[2]))
print(json.dumps(base, ensure_ascii=False, indent=2))' "$1" "$2"
  fi
}

for flavour in chromium firefox; do
  dir="$out/$flavour"
  rm -rf -- "$dir"
  mkdir -p -- "$dir"
  cp -R -- "$here/src/." "$dir/"
  extra=chromium_extra
  [[ $flavour == firefox ]] && extra=firefox_extra
  merge "$here/manifest.base.json" "${!extra}" >"$dir/manifest.json"
done
echo "extension built in $out/chromium and $out/firefox"
