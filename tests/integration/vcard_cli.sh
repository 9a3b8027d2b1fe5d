#!/usr/bin/env bash
# What a user of cardbridge-vcard and vcard-env sees when something is wrong, and a clean stop.
#   vcard_cli.sh CARDBRIDGE_VCARD CARDBRIDGE_VCARD_CTL VCARD_ENV PROFILE_DIR
set -uo pipefail
vcard=$1 ctl=$2 vcard_env=$3 profile=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect WHAT STATUS NEEDLE COMMAND...: the command exits with STATUS and says NEEDLE.
expect() {
    local what=$1 want=$2 needle=$3 out status=0
    shift 3
    out=$("$@" 2>&1) || status=$?
    ((status == want)) || fail "$what: exit status $status, not $want: $out"
    [[ $out == *"$needle"* ]] || fail "$what: expected '$needle' in: $out"
}

expect "no arguments" 2 "--profile DIR is required" "$vcard"
expect "unknown option" 2 "unknown option '--bogus'" "$vcard" --bogus
expect "bad port" 2 "is not a TCP port" "$vcard" --profile "$profile" --vpcd 127.0.0.1:0
expect "both modes" 2 "exclude each other" "$vcard" --profile "$profile" --vpcd h:1 --listen 2
expect "missing profile" 2 "$work/none/card.json" "$vcard" --profile "$work/none"
# Nothing listens on port 1: vpcd is "not up", and the card gives up after the wait.
expect "vpcd never up" 1 "refused the connection for 300 ms" \
    "$vcard" --profile "$profile" --vpcd 127.0.0.1:1 --wait-vpcd 0.3
expect "harness without a card" 125 "no --card given" "$vcard_env" -- true
expect "harness with a bad profile" 125 "no card profile in '$work/none'" \
    "$vcard_env" --card "$work/none" -- true

# A card still waiting for vpcd takes commands, and stops cleanly on SIGTERM.
socket=$work/control.sock
"$vcard" --profile "$profile" --vpcd 127.0.0.1:1 --wait-vpcd 60 --control "$socket" 2>"$work/err" &
card=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.02; done
if [[ -S $socket ]]; then
    [[ $(stat -c %a "$socket") == 600 ]] || fail "control socket mode $(stat -c %a "$socket")"
    expect "ctl status" 0 "ok state=waiting" "$ctl" "$socket" status
    expect "ctl bad command" 1 "error unknown command 'x'" "$ctl" "$socket" x
    kill -TERM "$card"
    status=0
    wait "$card" || status=$?
    ((status == 0)) || fail "SIGTERM: exit status $status: $(cat "$work/err")"
    [[ ! -e $socket ]] || fail "the control socket is left after SIGTERM"
else
    fail "the card never opened its control socket: $(cat "$work/err")"
    kill "$card"
fi

((failures == 0)) || exit 1
echo "vcard_cli: every check passed"
