#!/usr/bin/env bash
# vcard-env interrupted in the middle of its command (SIGINT, as Ctrl-C sends) ends the command,
# leaves no pcscd and no cardbridge-vcard of that run and no run folder, and says so with 130.
#   harness_cleanup.sh VCARD_ENV PROFILE_DIR
set -euo pipefail
vcard_env=$1 profile=$2
work=$(mktemp -d)
harness=
trap '[[ -n $harness ]] && kill -TERM "$harness" 2>/dev/null; wait; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkfifo "$work/started"
exec {started}<>"$work/started"
# Job control, so that the harness does not start with SIGINT ignored, as background jobs
# otherwise do.
set -m
"$vcard_env" --card "$profile" --card "$profile" -- \
    bash -c 'echo "$$ $CARDBRIDGE_VCARD_RUN_DIR" >"$0"; exec sleep 300' "$work/started" &
harness=$!
read -r -t 30 -u "$started" command run || fail "the harness never started its command"

pcscd=$(pgrep -f -- "pcscd -f -c $run/conf") || fail "no pcscd of the run found"
cards=$(pgrep -f -- "^[^ ]*/cardbridge-vcard --profile .* --control $run/card" | wc -l)
((cards == 2)) || fail "expected 2 cardbridge-vcard of the run, found $cards"

kill -INT "$harness"
status=0
wait "$harness" || status=$?
harness=
((status == 130)) || fail "the interrupted harness exited with $status, not 130"
left=$(pgrep -af -- "$run" || true)
[[ -z $left ]] || fail "processes of the run are left: $left"
! kill -0 "$pcscd" 2>/dev/null || fail "pcscd $pcscd is still running"
! kill -0 "$command" 2>/dev/null || fail "the command $command is still running"
[[ ! -e $run ]] || fail "the run folder $run is left"
echo "harness_cleanup: SIGINT ended pcscd, 2 cards and the command; nothing left"
