#!/usr/bin/env bash
# demo.smoke: scripts/demo.sh as a user runs it (docs/DEMO.md), then Ctrl-C.
#   tests/demo/smoke.sh --build DIR [--portal PROGRAM]
# Checks: a taken portal port is refused before anything starts; the ready line; the portal
# answers GET / and GET /api/session; the printed CLI command shows the virtual readers with the
# inserted card read and the others empty; the printed demo-card command takes a card out and
# puts another in, and the daemon sees both; the banner lists the virtual USB key unplugged, the
# printed command plugs it (the daemon reads its skf token) and unplugs it (its reader goes);
# nothing listens beyond loopback; SIGINT stops
# every process the demo started (by PID) and removes its run folder, within a deadline, and
# the portal's database stays.
# It runs in a network namespace of its own (unshare --net; --user --map-root-user too when not
# root): the ports 8080 and 61232 and the readers' ports are then its own, so it collides with
# no other test, no running demo and no real client control. The last line is "N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
demo=$here/../../scripts/demo.sh
PATH=$PATH:/usr/sbin:/sbin

if [[ ${1:-} != --inside ]]; then
    namespaces=(--net)
    ((EUID == 0)) || namespaces=(--user --map-root-user --net)
    exec unshare "${namespaces[@]}" -- "${BASH_SOURCE[0]}" --inside "$@"
fi
shift
ip link set lo up

build='' portal=()
while (($#)); do
    case $1 in
        --build) build=$2; shift 2 ;;
        --portal) portal=(--portal "$2"); shift 2 ;;
        *) echo "smoke.sh: unexpected '$1'" >&2; exit 2 ;;
    esac
done
[[ -d $build ]] || { echo "smoke.sh: --build DIR is required" >&2; exit 2; }

passed=0 failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "PASS $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
    fi
}

now_ms() {
    local t=${EPOCHREALTIME//[!0-9]/}
    echo $((t / 1000))
}

# until_ok MS COMMAND...: COMMAND every 50 ms until it succeeds (0) or MS pass (1).
until_ok() {
    local deadline=$(($(now_ms) + $1))
    shift
    until "$@"; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.05
    done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cardbridge-demo-smoke.XXXXXX")
state=$tmp/state
out=$tmp/demo.out
err=$tmp/demo.err
demo_pid='' listener='' run=''
# The run folder goes into $tmp, where this test can see that it is removed.
# A background job starts with SIGINT ignored, which a shell script cannot undo: env resets it
# (its options before the first assignment, or they are not options).
demo_env=(env --default-signal=INT -u XDG_RUNTIME_DIR "TMPDIR=$tmp")

report() {
    echo "---- demo stdout"
    cat "$out" 2>/dev/null || true
    echo "---- demo stderr"
    cat "$err" 2>/dev/null || true
    local log
    for log in "$state"/logs/*.log; do
        [[ -s $log ]] || continue
        echo "---- ${log#"$state"/}"
        tail -n 20 "$log"
    done
}
cleanup() {
    local status=$?
    set +e
    [[ -n $listener ]] && kill "$listener" 2>/dev/null
    if [[ -n $demo_pid ]] && kill -0 "$demo_pid" 2>/dev/null; then
        # The demo's parts die with it (parent-death signal); what they started is swept below.
        kill -KILL "$demo_pid"
        wait "$demo_pid"
    fi
    [[ -n $run ]] && grep -lsF -- "$run" /proc/[0-9]*/environ | sed 's|/proc/\([0-9]*\)/environ|\1|' |
        while read -r pid; do kill -KILL "$pid" 2>/dev/null; done
    ((failed == 0 && status == 0)) || report
    rm -rf "$tmp"
    echo "$passed passed, $failed failed"
    ((failed == 0)) && exit "$status"
    exit 1
}
trap cleanup EXIT

# ---- a taken port: refused at once, nothing started --------------------------------------------

/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 8080)); s.listen(); print("up", flush=True); time.sleep(120)' >"$tmp/listener.out" &
listener=$!
until_ok 5000 grep -q up "$tmp/listener.out" || { echo "the stand-in listener did not start"; exit 1; }
status=0
timeout 20 "${demo_env[@]}" "$demo" --build "$build" "${portal[@]}" --no-browser --state "$state" \
    --portal-port 8080 >"$out" 2>"$err" || status=$?
check "a taken portal port fails the demo (status 1, was $status)" test "$status" -eq 1
check "and says which port and what to do" grep -q 'port 8080 is taken.*--portal-port' "$err"
check "and started nothing (no run folder)" test -z "$(find "$tmp" -maxdepth 1 -name 'cardbridge-demo.*' -print -quit)"
kill "$listener"
wait "$listener" 2>/dev/null || true
listener=

# ---- the demo, up ---------------------------------------------------------------------------------

started=$(now_ms)
"${demo_env[@]}" "$demo" --build "$build" "${portal[@]}" --no-browser --virtual-only --state "$state" \
    --portal-port 8080 >"$out" 2>"$err" &
demo_pid=$!
ready() {
    grep -q '^cardbridge demo: ready' "$out" && grep -q '^Ctrl-C stops everything' "$out"
}
demo_running() {
    kill -0 "$demo_pid" 2>/dev/null
}
until_ok 60000 bash -c "grep -q '^Ctrl-C stops everything' '$out' || ! kill -0 $demo_pid 2>/dev/null" || true
if ! ready || ! demo_running; then
    check "the demo prints its ready line within 60 s and keeps running" false
    exit 1
fi
check "the demo is ready ($(($(now_ms) - started)) ms)" true

# What the demo printed: the portal URL, the CLI command, the demo-card command, the card table.
portal_url=$(sed -n 's/^  Portal  *\(http[^ ]*\)$/\1/p' "$out")
read -r -a readers_command <<<"$(sed -n 's/^  Readers and cards now:  *//p' "$out")"
read -r -a card_command <<<"$(sed -n 's/^    \(.*demo-card.*\) NAME insert|remove|status$/\1/p' "$out")"
read -r -a key_command <<<"$(sed -n 's/^    \(.*demo-card.*\) plug|unplug|status$/\1/p' "$out")"
run=$(sed -n 's/^RUN=//p' "$state/demo.env")
check "the portal URL is http://127.0.0.1:8080/ (was '$portal_url')" test "$portal_url" = http://127.0.0.1:8080/
check "a CLI command is printed" test "${#readers_command[@]}" -ge 4
check "a demo-card command is printed" test "${#card_command[@]}" -ge 1
check "a demo-card command for the key is printed (${key_command[*]: -1})" test "${key_command[*]: -1}" = eport-key
check "the run folder exists ($run)" test -d "$run"

# card NAME: "READER<TAB>PIN<TAB>STATE" from the printed table.
card() {
    sed -n "s/^    $1  *\([0-9][0-9]*\)  *\(inserted\|removed\)  *\(cardbridge demo [0-9] 00 0[01]\)  .*/\3\t\1\t\2/p" "$out"
}
IFS=$'\t' read -r legal_reader legal_pin legal_state <<<"$(card trade-legal-sm2)"
IFS=$'\t' read -r operator_reader _ operator_state <<<"$(card trade-operator-sm2)"
IFS=$'\t' read -r logistics_reader _ _ <<<"$(card logistics-legal-sm2)"
IFS=$'\t' read -r expired_reader _ _ <<<"$(card trade-operator-sm2-expired)"
pin=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cards"]["trade-legal-sm2"]["pin"])' \
    "$build/test-pki/manifest.json")
check "the table lists trade-legal-sm2 inserted, with the manifest's PIN $pin" \
    test "$legal_state:$legal_pin" = "inserted:$pin"
check "the table lists trade-operator-sm2 removed" test "$operator_state" = removed
check "the table lists logistics-legal-sm2 and trade-operator-sm2-expired" \
    test -n "$logistics_reader" -a -n "$expired_reader"
# The key's row: "READER<TAB>PIN<TAB>STATE".
IFS=$'\t' read -r key_reader key_pin key_state <<<"$(sed -n \
    's/^    eport-key  *\([0-9][0-9]*\)  *\(plugged\|unplugged\)  *\(libcardbridge-soft-skf\.so eport-key\)  .*/\3\t\1\t\2/p' "$out")"
check "the table lists the key eport-key unplugged in '$key_reader', with the PIN $pin" \
    test "$key_state:$key_pin:$key_reader" = "unplugged:$pin:libcardbridge-soft-skf.so eport-key"

# ---- the portal ------------------------------------------------------------------------------------

http_check() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
url, want = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(url, timeout=5) as answer:
    body = answer.read()
    if answer.status != 200:
        sys.exit(f"{url}: HTTP {answer.status}")
    if want == "json":
        session = json.loads(body)
        if not isinstance(session, dict) or "csrf" not in session or "user" not in session:
            sys.exit(f"{url}: not a session: {body[:200]!r}")
PY
}
check "GET / answers 200" http_check "${portal_url}" html
check "GET /api/session answers a session (csrf, user)" http_check "${portal_url}api/session" json

# ---- the daemon and the cards ------------------------------------------------------------------------

# reader_is READER STATE [HOLDER [TYPE]]: the daemon shows READER in STATE; a present card's
# token read (naming HOLDER, of TYPE). STATE "absent": the daemon shows no READER at all.
reader_is() {
    local json
    json=$("${readers_command[@]:0:${#readers_command[@]}-1}" --json readers 2>/dev/null) || return 1
    /usr/bin/python3 -c '
import json, sys
reader, state, holder, kind = sys.argv[2:]
for r in json.loads(sys.argv[1]).get("readers", []):
    if r.get("reader") == reader:
        token = r.get("token") or {}
        ok = r.get("state") == state and (state != "present" or (token.get("id") and holder in token.get("label", "")
                                                                 and kind in ("", token.get("type"))))
        sys.exit(0 if ok else 1)
sys.exit(0 if state == "absent" else 1)' "$json" "$1" "$2" "${3:-}" "${4:-}"
}
check "the daemon shows trade-legal-sm2 in '$legal_reader', read (张测试)" reader_is "$legal_reader" present 张测试
check "and '$operator_reader' empty" reader_is "$operator_reader" empty
check "and '$logistics_reader' empty" reader_is "$logistics_reader" empty
check "and '$expired_reader' empty" reader_is "$expired_reader" empty

t0=$(now_ms)
check "the printed command takes trade-legal-sm2 out" "${card_command[@]}" trade-legal-sm2 remove
check "the daemon sees it gone within 5 s" until_ok 5000 reader_is "$legal_reader" empty
echo "     (removal seen after $(($(now_ms) - t0)) ms)"
t0=$(now_ms)
check "the printed command puts trade-operator-sm2 in" "${card_command[@]}" trade-operator-sm2 insert
check "the daemon reads it within 5 s (李测试)" until_ok 5000 reader_is "$operator_reader" present 李测试
echo "     (insertion read after $(($(now_ms) - t0)) ms)"

# The virtual USB key: a reader only while plugged, with a token of type skf.
check "the daemon shows no reader for the unplugged key" reader_is "$key_reader" absent
t0=$(now_ms)
check "the printed command plugs eport-key in" "${key_command[@]}" plug
check "the daemon reads it within 5 s (skf, 王样例)" until_ok 5000 reader_is "$key_reader" present 王样例 skf
echo "     (plug read after $(($(now_ms) - t0)) ms)"
t0=$(now_ms)
check "the printed command unplugs it" "${key_command[@]}" unplug
check "its reader is gone within 5 s" until_ok 5000 reader_is "$key_reader" absent
echo "     (unplug seen after $(($(now_ms) - t0)) ms)"

# Every listening socket of this namespace is the demo's: all of them on loopback.
not_loopback=$(ss -Hltn | awk '{print $4}' | grep -Ev '^(127\.[0-9.]+|\[::1\]):[0-9]+$' || true)
check "nothing listens beyond loopback${not_loopback:+ (but: $not_loopback)}" test -z "$not_loopback"

# ---- Ctrl-C --------------------------------------------------------------------------------------------

# What the demo started: its descendants, and whatever names its run folder in its environment.
# Each as PID:start-time, so that a PID used again later is not taken for a survivor.
identity() {
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    read -r -a fields <<<"${stat##*) }"
    echo "$1:${fields[19]}"
}
declare -A children
collect() {
    local pid ppid stat changed=true
    children=([$demo_pid]=1)
    while $changed; do
        changed=false
        for stat in /proc/[0-9]*/stat; do
            pid=${stat#/proc/}
            pid=${pid%/stat}
            [[ -z ${children[$pid]:-} ]] || continue
            { read -r line <"$stat"; } 2>/dev/null || continue
            read -r _ ppid _ <<<"${line##*) }"
            [[ -n ${children[$ppid]:-} ]] || continue
            children[$pid]=1
            changed=true
        done
    done
    while read -r pid; do
        children[$pid]=1
    done < <(grep -lsF -- "$run" /proc/[0-9]*/environ | sed 's|/proc/\([0-9]*\)/environ|\1|')
    unset "children[$demo_pid]"
}
collect
started_processes=() programs=()
for pid in "${!children[@]}"; do
    id=$(identity "$pid") || continue
    started_processes+=("$id")
    programs+=("$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")")
done
count() {
    local n=0 p
    for p in "${programs[@]}"; do [[ $p == "$1" ]] && n=$((n + 1)); done
    echo "$n"
}
check "the demo runs pcscd" test "$(count pcscd)" -eq 1
check "the demo runs cardbridged" test "$(count cardbridged)" -eq 1
check "the demo runs cardbridge-portal" test "$(count cardbridge-portal)" -eq 1
check "the demo runs 4 cardbridge-vcard" test "$(count cardbridge-vcard)" -eq 4
echo "     (processes: ${programs[*]})"

t0=$(now_ms)
kill -INT "$demo_pid"
status=0
gone() {
    ! kill -0 "$demo_pid" 2>/dev/null
}
if until_ok 15000 gone; then
    wait "$demo_pid" || status=$?
    demo_pid=
    check "SIGINT ends the demo within 15 s ($(($(now_ms) - t0)) ms), status 130 (was $status)" test "$status" -eq 130
else
    check "SIGINT ends the demo within 15 s" false
fi
survivors=()
for id in "${started_processes[@]}"; do
    current=$(identity "${id%%:*}") || continue
    [[ $current == "$id" ]] && survivors+=("${id%%:*}")
done
check "every process it started is gone${survivors[*]:+ (left: ${survivors[*]})}" test "${#survivors[@]}" -eq 0
check "its run folder is removed" test ! -e "$run"
check "its demo.env is removed" test ! -e "$state/demo.env"
check "the portal's database stays" test -s "$state/portal.db"
check "it says how long the stop took" grep -q '^demo: stopped in [0-9]* ms' "$err"
grep '^demo: stopped in' "$err" | sed 's/^/     (/; s/$/)/'
((failed == 0))
