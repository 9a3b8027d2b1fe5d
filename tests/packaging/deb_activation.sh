#!/usr/bin/env bash
# The installed units as a user's systemd runs them, with systemd-socket-activate standing in for
# it: their ListenStream= sockets and ExecStart=. Nothing runs until the first connection to
# 61232; then the installed cardbridged serves, and `cardbridge doctor` finds everything green.
# Run in a network namespace of its own (61232 is free there) next to vcard-env's pcscd.
#   deb_activation.sh DIR
set -euo pipefail
dir=$1
fail() { echo "FAIL: $*" >&2; [[ -f $dir/daemon.log ]] && { echo "--- daemon log" >&2; cat "$dir/daemon.log" >&2; }; exit 1; }
ip link set lo up
export HOME=$dir/home XDG_RUNTIME_DIR=$dir/run
unset XDG_CONFIG_HOME XDG_STATE_HOME
mkdir -p "$HOME"
install -d -m 0700 "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/cardbridge"

listen=()
while IFS='=' read -r key value; do
    [[ $key == ListenStream ]] && listen+=(-l "${value//%t/$XDG_RUNTIME_DIR}")
done </usr/lib/systemd/user/cardbridged.socket
((${#listen[@]} == 6)) || fail "cardbridged.socket has not the three ListenStream= lines: ${listen[*]}"
read -ra exec_start < <(sed -n 's/^ExecStart=//p' /usr/lib/systemd/user/cardbridged.service)
[[ ${exec_start[0]:-} == /usr/bin/cardbridged ]] || fail "ExecStart= is not /usr/bin/cardbridged: ${exec_start[*]}"

systemd-socket-activate "${listen[@]}" "${exec_start[@]}" 2>"$dir/daemon.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
socket=$XDG_RUNTIME_DIR/cardbridge/daemon.sock
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.05; done
[[ -S $socket ]] || fail "systemd-socket-activate made no $socket"
sleep 0.2
[[ $(cat /proc/$pid/comm) != cardbridged ]] || fail "cardbridged started before any connection"

exec 3<>/dev/tcp/127.0.0.1/61232 || fail "nothing accepts connections on 127.0.0.1:61232"
for _ in $(seq 100); do [[ $(cat /proc/$pid/comm) == cardbridged ]] && break; sleep 0.05; done
[[ $(cat /proc/$pid/comm) == cardbridged ]] || fail "the first connection to 61232 did not start cardbridged"
exec 3>&-

status=0
cardbridge --json doctor >"$dir/doctor.json" 2>&1 || status=$?
((status == 0)) || { cat "$dir/doctor.json" >&2; fail "cardbridge doctor exited $status"; }
python3 - "$dir/doctor.json" <<'PY' || fail "doctor is not green"
import json, sys
report = json.load(open(sys.argv[1]))
bad = [c for c in report["checks"] if not c["ok"]]
for c in bad: print("not ok:", json.dumps(c, ensure_ascii=False), file=sys.stderr)
sys.exit(1 if bad or len(report["checks"]) < 5 or not report["ok"] else 0)
PY
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
trap - EXIT
((status == 0)) || fail "cardbridged exited $status on SIGTERM"
echo "activated on the first connection; doctor ok: $(python3 -c 'import json,sys; print(", ".join(c["check"] for c in json.load(open(sys.argv[1]))["checks"]))' "$dir/doctor.json")"
