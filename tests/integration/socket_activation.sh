#!/usr/bin/env bash
# cardbridged started by socket activation, as the systemd user units start it, through
# systemd-socket-activate: nothing runs before the first connection; then the WebSocket and the
# local socket serve; the daemon tells systemd it is ready, and exits cleanly once idle, leaving
# systemd's socket file in place. A socket it must not serve is a clear error.
#   socket_activation.sh CARDBRIDGED CARDBRIDGE
set -euo pipefail
daemon_bin=$1 cli=$2
# A page's WebSocket that prints the daemon's first message (the hello).
ws_hello=$(dirname "${BASH_SOURCE[0]}")/../harness/ws-hello
dir=$(mktemp -d)
chmod 700 "$dir"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- daemon log" >&2; cat "$dir/daemon.log" >&2 || true; exit 1; }
# running PID: true while PID has not exited (a zombie counts as exited).
running() { [[ -e /proc/$1 && $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
listen=(-l "127.0.0.1:$port")
ipv6=false
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    listen+=(-l "[::1]:$port"); ipv6=true
fi

# Stands in for systemd's notification socket (Type=notify): records what the daemon says.
cat >"$dir/notify.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        log.write(s.recv(4096).decode() + "\n")
        log.flush()
PY
python3 "$dir/notify.py" "$dir/notify" "$dir/notify.log" &
pids+=($!)

cat >"$dir/config.json" <<CONF
{"socket": "$dir/daemon.sock", "auditLog": "$dir/audit.log", "limits": {"idleExitSeconds": 1},
 "usbKeys": {"p11KitRegistry": false}}
CONF
cb() { "$cli" --config "$dir/config.json" "$@"; }

systemd-socket-activate "${listen[@]}" -l "$dir/daemon.sock" -E NOTIFY_SOCKET="$dir/notify" \
    "$daemon_bin" --config "$dir/config.json" 2>"$dir/daemon.log" &
daemon_pid=$!
pids+=("$daemon_pid")
for _ in $(seq 100); do [[ -S $dir/daemon.sock && -e $dir/notify ]] && break; sleep 0.05; done
[[ -S $dir/daemon.sock ]] || fail "systemd-socket-activate made no socket"

# Nothing runs before the first connection.
sleep 0.3
[[ $(cat "/proc/$daemon_pid/comm") != cardbridged ]] || fail "cardbridged started before any connection"
! grep -q "listening on" "$dir/daemon.log" || fail "cardbridged started before any connection"

# The first WebSocket connection starts it and is served: the upgrade, then the E-Port hello.
"$ws_hello" 127.0.0.1 "$port" --hold >"$dir/ws.out" &
ws_pid=$!
pids+=("$ws_pid")
for _ in $(seq 200); do [[ -s $dir/ws.out ]] && break; sleep 0.05; done
grep -q . "$dir/ws.out" || fail "the first WebSocket connection was not served"
[[ $(cat "/proc/$daemon_pid/comm") == cardbridged ]] || fail "the connection did not start cardbridged"
grep -q "socket activation: serving the sockets systemd passed" "$dir/daemon.log" ||
    fail "the daemon does not say its sockets came from systemd"
grep -q "$dir/daemon.sock (from systemd)" "$dir/daemon.log" || fail "the local socket is not logged"
if $ipv6; then
    "$ws_hello" ::1 "$port" | grep -q . || fail "the WebSocket on [::1] was not served"
fi

# The local socket serves the CLI, and a connection held there keeps the daemon from exiting.
cb --json readers | python3 -c 'import json,sys; assert "readers" in json.load(sys.stdin)' ||
    fail "cardbridge readers over the inherited local socket"
"$cli" --config "$dir/config.json" watch >/dev/null 2>&1 &
watch_pid=$!
pids+=("$watch_pid")
kill "$ws_pid"
sleep 2
running "$daemon_pid" || fail "the daemon exited while cardbridge watch was connected"

# Once nothing is connected it exits by itself, cleanly, saying why; systemd's socket stays.
kill "$watch_pid"
for _ in $(seq 100); do running "$daemon_pid" || break; sleep 0.1; done
running "$daemon_pid" && fail "the daemon did not exit when idle"
status=0; wait "$daemon_pid" || status=$?
[[ $status == 0 ]] || fail "the idle daemon exited with status $status, not 0"
grep -q "no connection for 1 s (limits.idleExitSeconds): exiting" "$dir/daemon.log" ||
    fail "the daemon did not log why it exited"
[[ -S $dir/daemon.sock ]] || fail "the daemon removed systemd's socket file"
grep -qx "READY=1" "$dir/notify.log" || fail "no READY=1 for systemd: $(cat "$dir/notify.log")"
grep -qx "STOPPING=1" "$dir/notify.log" || fail "no STOPPING=1 for systemd: $(cat "$dir/notify.log")"

# A datagram socket is not one cardbridged serves: a clear error, exit status 1.
udp_port=$(free_port)
systemd-socket-activate --datagram -l "127.0.0.1:$udp_port" \
    "$daemon_bin" --config "$dir/config.json" 2>"$dir/daemon.log" &
bad_pid=$!
pids+=("$bad_pid")
sleep 0.3
python3 -c "import socket,sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.1', $udp_port))"
status=0; wait "$bad_pid" || status=$?
[[ $status == 1 ]] || fail "a datagram socket gave exit status $status, not 1"
grep -q "error: socket activation: fd 3 is a datagram socket" "$dir/daemon.log" ||
    fail "no clear error for a datagram socket"
echo "socket_activation: ok"
