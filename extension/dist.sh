#!/usr/bin/env bash
# What the package ships for browsers (docs/BROWSER.md, "Installed from the package"):
#   extension/dist.sh OUT STAGE_TOOL
#   OUT/cardbridge-chromium.zip, OUT/cardbridge-firefox.xpi   the two flavours of build.sh, packed
#   OUT/root/                                                 every file at its install path
# STAGE_TOOL is tools/cli's stage_browser_manifests: the native-messaging manifests come from
# the code `cardbridge install-browser-integration --system` uses.
set -euo pipefail

out=${1:?usage: dist.sh OUT STAGE_TOOL}
stage_tool=${2:?usage: dist.sh OUT STAGE_TOOL}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $out == /* ]] || { echo "dist.sh: OUT must be an absolute path" >&2; exit 1; }
host=/usr/bin/cardbridge-host
# Firefox's application id: sideloaded add-ons go in a folder named after it.
firefox_app_id='{ec8030f7-c20a-464f-9b0e-13a3a9e97384}'

root=$out/root
shipped=$root/usr/share/cardbridge/extension
# From scratch, so that nothing a previous layout put there is installed by mistake.
rm -rf -- "$root"
mkdir -p -- "$shipped"
bash "$here/build.sh" "$shipped" >/dev/null
python3 "$here/zip_dir.py" "$shipped/chromium" "$out/cardbridge-chromium.zip"
python3 "$here/zip_dir.py" "$shipped/firefox" "$out/cardbridge-firefox.xpi"
cp -- "$out/cardbridge-chromium.zip" "$out/cardbridge-firefox.xpi" "$shipped/"

"$stage_tool" "$root" "$host" >/dev/null

# Debian's chromium loads every directory in /usr/share/chromium/extensions
# (/etc/chromium.d/extensions adds them to --load-extension), as the webext-* packages use it.
mkdir -p -- "$root/usr/share/chromium/extensions"
ln -s ../../cardbridge/extension/chromium "$root/usr/share/chromium/extensions/cardbridge"
# Debian's firefox-esr enables the add-ons of this system-wide sideload folder, unsigned ones too
# (built with MOZ_UNSIGNED_SYSTEM_SCOPE; autoDisableScopes leaves the system scope on). The file
# must be named after the add-on's id.
firefox_extension_id=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["browser_specific_settings"]["gecko"]["id"])' "$shipped/firefox/manifest.json")
mkdir -p -- "$root/usr/share/mozilla/extensions/$firefox_app_id"
ln -s ../../../cardbridge/extension/cardbridge-firefox.xpi \
  "$root/usr/share/mozilla/extensions/$firefox_app_id/$firefox_extension_id.xpi"
echo "browser files for the package in $out"
