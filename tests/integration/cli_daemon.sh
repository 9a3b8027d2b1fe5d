#!/usr/bin/env bash
# The cardbridge CLI against a running cardbridged and one virtual card, as a user runs it.
#   cli_daemon.sh CARDBRIDGED CARDBRIDGE CA_BUNDLE PINENTRY_STUB   (under vcard-env, one card)
set -euo pipefail
daemon_bin=$1 cli=$2 ca=$3 stub=$4
dir=$(mktemp -d)
daemon_pid=
cleanup() {
    [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- daemon log" >&2; cat "$dir/daemon.log" >&2; exit 1; }
# json FILTER: evaluates a Python expression over the JSON on stdin (as `j`), prints it.
json() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

cat >"$dir/config.json" <<CONF
{"socket": "$dir/daemon.sock", "auditLog": "$dir/audit.log", "pinentry": "$stub",
 "origins": [{"pattern": "https://www.singlewindow.cn", "login": true, "sign": true, "sendPin": true}]}
CONF
cb() { "$cli" --config "$dir/config.json" "$@"; }

# Not running yet: its own exit status, and JSON that says so.
status=0; cb --json readers >"$dir/out" || status=$?
[[ $status == 3 ]] || fail "readers without a daemon exited $status, not 3"
[[ $(json 'j["running"]' <"$dir/out") == False ]] || fail "readers --json without daemon: $(cat "$dir/out")"

"$daemon_bin" --config "$dir/config.json" --port 0 2>"$dir/daemon.log" &
daemon_pid=$!
for _ in $(seq 100); do [[ -S $dir/daemon.sock ]] && break; sleep 0.05; done
[[ -S $dir/daemon.sock ]] || fail "the daemon did not create its socket"
[[ $(stat -c %a "$dir/daemon.sock") == 600 ]] || fail "socket mode is not 0600"

# readers: the card, once the daemon has read it.
for _ in $(seq 100); do
    cb --json readers >"$dir/out"
    [[ $(json '[r["token"] is not None for r in j["readers"]].count(True)' <"$dir/out") == 1 ]] && break
    sleep 0.05
done
[[ $(json '[r["reader"] for r in j["readers"] if r["token"]][0]' <"$dir/out") == "$CARDBRIDGE_VCARD1_READER" ]] ||
    fail "readers: $(cat "$dir/out")"
cb readers | grep -q "测试进出口贸易有限公司" || fail "readers (text) does not show the enterprise"

# info: the enterprise, in text and JSON.
cb --json info >"$dir/out"
[[ $(json 'j["enterprise"]["uscc"]' <"$dir/out") == 91999999000000019D ]] || fail "info: $(cat "$dir/out")"
LANG=zh_CN.UTF-8 cb info | grep -q "91999999000000019D" || fail "info (zh) lacks the USCC"

# verify-pin from stdin: wrong, then right; the wrong one is exit status 6 with the tries left.
status=0; echo 13572468 | cb --json verify-pin >"$dir/out" || status=$?
[[ $status == 6 ]] || fail "a wrong PIN exited $status, not 6"
grep -q '"retriesLeft": *2' "$dir/out" || fail "wrong PIN output lacks retriesLeft 2: $(cat "$dir/out")"
echo 88888888 | cb verify-pin >/dev/null || fail "the right PIN was refused"

# login-test: a token for an allowed origin that verifies against the test CAs; not for others.
cb --json login-test --origin https://www.singlewindow.cn --ca "$ca" >"$dir/out" || fail "login-test: $(cat "$dir/out")"
[[ $(json 'j["algorithm"]' <"$dir/out") == SM2-SM3 ]] || fail "login-test: $(cat "$dir/out")"
status=0; cb login-test --origin https://evil.example.cn >/dev/null 2>&1 || status=$?
[[ $status == 4 ]] || fail "login-test for a foreign origin exited $status, not 4"

# origins add: written to the config and live at once (config.reload), then removed again.
cb origins add https://portal.example.cn --login >/dev/null
cb --json origins list | grep -q portal.example.cn || fail "origins list lacks the new origin"
cb --json login-test --origin https://portal.example.cn --ca "$ca" >/dev/null ||
    fail "the added origin cannot log in"
cb origins remove https://portal.example.cn >/dev/null
status=0; cb login-test --origin https://portal.example.cn >/dev/null 2>&1 || status=$?
[[ $status == 4 ]] || fail "the removed origin still logs in (exit $status)"

# doctor: pcscd and the daemon are fine (the port is not 61232 here, and no browser is set up).
status=0; cb --json doctor >"$dir/out" || status=$?
python3 - "$dir/out" <<'PY' || fail "doctor: $(cat "$dir/out")"
import json, sys
checks = {c["check"]: c for c in json.load(open(sys.argv[1]))["checks"]}
assert checks["pcscd"]["ok"] and checks["daemon"]["ok"] and checks["config"]["ok"], checks
# This daemon listens on a free port, not 61232, and no browser manifest is installed here.
assert not checks["websocket"]["ok"] and "fix" in checks["websocket"], checks
PY
[[ $status == 1 ]] || fail "doctor found problems but exited $status, not 1"

kill "$daemon_pid"; wait "$daemon_pid" || fail "the daemon did not exit cleanly on SIGTERM"
daemon_pid=
[[ ! -e $dir/daemon.sock ]] || fail "the socket outlived the daemon"
! grep -rq -e 88888888 -e 13572468 "$dir" --exclude=config.json || fail "a PIN was written to disk"
echo "cli_daemon: ok"
