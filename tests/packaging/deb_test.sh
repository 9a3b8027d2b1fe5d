#!/usr/bin/env bash
# The Debian package as an administrator gets it: packed from the build tree, lintian-clean,
# installed with dpkg, every file where it belongs, the installed daemon started by socket
# activation on the first connection to port 61232 with `cardbridge doctor` green against it,
# and `apt-get purge` leaving /etc, /usr and /opt as they were.
#   deb_test.sh BUILD_DIR VCARD_ENV CARD_PROFILE        (as root: it installs the package)
set -euo pipefail
build=$1 vcard_env=$2 card=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(mktemp -d)
installed=
cleanup() {
    [[ -n $installed ]] && dpkg --purge cardbridge >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

[[ $(id -u) == 0 ]] || fail "this test installs a package: run it as root"
if dpkg-query -W -f='${Status}' cardbridge 2>/dev/null | grep -q installed; then
    fail "a cardbridge package is already installed here; the test would replace it (dpkg --purge cardbridge first)"
fi

step "pack"
cpack --config "$build/CPackConfig.cmake" -B "$dir/package" >"$dir/cpack.log" 2>&1 ||
    { cat "$dir/cpack.log"; fail "cpack failed"; }
deb=$(echo "$dir"/package/cardbridge_*.deb)
[[ -f $deb ]] || fail "cpack made no cardbridge_*.deb"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Depends) == pcscd,* ]] || fail "Depends does not start with pcscd: $(field Depends)"
[[ $(field Recommends) == *pinentry-curses* ]] || fail "Recommends names no pinentry: $(field Recommends)"
[[ $(field Suggests) == opensc ]] || fail "Suggests is not opensc: $(field Suggests)"

step "lintian"
lintian --fail-on error "$deb" >"$dir/lintian.log" 2>&1 || status=$?
grep -v 'running with root privileges' "$dir/lintian.log" || true
((${status:-0} == 0)) || fail "lintian reports errors"

# Everything of ours lives under these; /var is dpkg's own bookkeeping.
snapshot() { find /etc /usr /opt -xdev 2>/dev/null | LC_ALL=C sort; }
snapshot >"$dir/before"
# dpkg removes a directory the package shipped once it is empty on purge, even one that was there
# (empty, unowned) before: /etc/opt on many machines. Only those may go missing.
find /etc /usr /opt -xdev -type d -empty 2>/dev/null | LC_ALL=C sort >"$dir/empty-before"

step "install"
installed=1
dpkg -i "$deb" >"$dir/dpkg.log" 2>&1 || { cat "$dir/dpkg.log"; fail "dpkg -i failed"; }

step "files"
for program in cardbridged cardbridge cardbridge-host; do
    [[ -x /usr/bin/$program ]] || fail "/usr/bin/$program is not installed"
    [[ -f /usr/share/man/man1/$program.1.gz ]] || fail "no manual page for $program"
    zcat "/usr/share/man/man1/$program.1.gz" | grep -q "^\.TH ${program^^} " ||
        fail "$program's manual page has no title"
    "/usr/bin/$program" --version | grep -qx "$program [0-9.]*" || fail "$program --version"
done
for unit in cardbridged.socket cardbridged.service; do
    [[ -f /usr/lib/systemd/user/$unit ]] || fail "no user unit $unit"
done
XDG_RUNTIME_DIR=$dir systemd-analyze verify --user /usr/lib/systemd/user/cardbridged.socket \
    /usr/lib/systemd/user/cardbridged.service >"$dir/verify.log" 2>&1 ||
    { cat "$dir/verify.log"; fail "systemd-analyze verify finds fault with the units"; }
[[ -f /usr/lib/systemd/user-preset/90-cardbridge.preset ]] || fail "no preset"
[[ $(readlink /etc/systemd/user/sockets.target.wants/cardbridged.socket) == /usr/lib/systemd/user/cardbridged.socket ]] ||
    fail "cardbridged.socket is not enabled for every user after install"
[[ ! -e /etc/systemd/user/default.target.wants/cardbridged.service ]] ||
    fail "the service itself is enabled: it would start at login, not on first use"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' /etc/cardbridge/config.json ||
    fail "/etc/cardbridge/config.json is not JSON"
grep -qx /etc/cardbridge/config.json /var/lib/dpkg/info/cardbridge.conffiles ||
    fail "/etc/cardbridge/config.json is not a conffile"
# Chromium; Google Chrome and Brave (Brave reads Chrome's); Edge; Firefox.
for manifest in /etc/chromium/native-messaging-hosts /etc/opt/chrome/native-messaging-hosts \
    /etc/opt/edge/native-messaging-hosts /usr/lib/mozilla/native-messaging-hosts; do
    file=$manifest/cn.cardbridge.host.json
    [[ -f $file ]] || fail "no native-messaging manifest $file"
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(m["path"] != "/usr/bin/cardbridge-host")' "$file" ||
        fail "$file does not name /usr/bin/cardbridge-host"
done
for archive in cardbridge-chromium.zip cardbridge-firefox.xpi; do
    [[ -s /usr/share/cardbridge/extension/$archive ]] || fail "no $archive in /usr/share/cardbridge/extension"
done
# Debian's chromium loads what /usr/share/chromium/extensions holds; firefox-esr what its system
# sideload folder holds.
[[ -f /usr/share/chromium/extensions/cardbridge/manifest.json ]] ||
    fail "the extension is not where Debian's chromium loads extensions from"
[[ -f "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/cardbridge@cardbridge.invalid.xpi" ]] ||
    fail "the add-on is not in Firefox's system sideload folder"
[[ -f /usr/share/doc/cardbridge/copyright ]] || fail "no copyright file"

step "socket activation"
"$vcard_env" --card "$card" -- unshare --net -- "$here/deb_activation.sh" "$dir/user" ||
    fail "the installed daemon was not activated, or doctor was not green"

step "purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y cardbridge >"$dir/dpkg.log" 2>&1 || { cat "$dir/dpkg.log"; fail "apt-get purge failed"; }
installed=
snapshot >"$dir/after"
LC_ALL=C comm -13 "$dir/before" "$dir/after" >"$dir/left"
[[ ! -s $dir/left ]] || { cat "$dir/left"; fail "purge left these behind"; }
LC_ALL=C comm -23 "$dir/before" "$dir/after" | LC_ALL=C comm -23 - "$dir/empty-before" >"$dir/taken"
[[ ! -s $dir/taken ]] || { cat "$dir/taken"; fail "install and purge took these away"; }
echo "ok: packed, lintian-clean, installed, activated, doctor green, purged without a trace"
