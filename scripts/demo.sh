#!/usr/bin/env bash
# The whole demo in one command (docs/DEMO.md): a private pcscd with virtual E-Port cards (and
# the USB readers it can reach), cardbridged, the reference portal, the browser integration and,
# where there is a display, Chromium with the extension in a profile of its own.
# Ctrl-C, SIGTERM or any part ending on its own stops everything it started.
#   scripts/demo.sh [--build DIR] [--portal PROGRAM] [--state DIR] [--portal-port N]
#                   [--cards NAME,...] [--inserted NAME,...] [--virtual-only] [--no-browser]
#                   [--timeout SECONDS]
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# pcscd lives in /usr/sbin, which a normal user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

usage() {
    cat <<'USAGE'
usage: scripts/demo.sh [OPTIONS]
  --build DIR          the build tree with the programs and build/test-pki (default: build/)
  --portal PROGRAM     cardbridge-portal (default: DIR/examples/portal/cardbridge-portal)
  --state DIR          what outlives a run: the portal's database, the audit log, the
                       Chromium profile, the logs (default: ~/.local/share/cardbridge/demo)
  --portal-port N      the portal's port on 127.0.0.1 (default 8080)
  --cards LIST         the virtual cards, comma-separated test-PKI names (default:
                       trade-legal-sm2,trade-operator-sm2,logistics-legal-sm2,trade-operator-sm2-expired)
  --inserted LIST      which of them start inserted (default: trade-legal-sm2; "" for none)
  --virtual-only       only the virtual cards: the demo's pcscd leaves USB readers alone
  --no-browser         do not open Chromium
  --timeout SECONDS    how long each part may take to become ready (default 20)
USAGE
}

die() {
    echo "demo: $*" >&2
    exit 1
}

note() {
    echo "demo: $*" >&2
}

# ---- options -----------------------------------------------------------------------------------

build=$source_dir/build
portal=
state=
portal_port=8080
card_list=trade-legal-sm2,trade-operator-sm2,logistics-legal-sm2,trade-operator-sm2-expired
inserted_list=trade-legal-sm2
browser=true
usb=true
timeout=20

parse_options() {
    while (($#)); do
        case $1 in
            --build | --portal | --state | --portal-port | --cards | --inserted | --timeout)
                (($# >= 2)) || die "$1 needs a value (see --help)"
                case $1 in
                    --build) build=$2 ;;
                    --portal) portal=$2 ;;
                    --state) state=$2 ;;
                    --portal-port) portal_port=$2 ;;
                    --cards) card_list=$2 ;;
                    --inserted) inserted_list=$2 ;;
                    --timeout) timeout=$2 ;;
                esac
                shift 2
                ;;
            --no-browser) browser=false; shift ;;
            --virtual-only) usb=false; shift ;;
            -h | --help) usage; exit 0 ;;
            *) die "unexpected '$1' (see --help)" ;;
        esac
    done
    if ! [[ $portal_port =~ ^[1-9][0-9]{0,4}$ ]] || ((portal_port > 65535)); then
        die "--portal-port takes a TCP port (1-65535), not '$portal_port'"
    fi
    [[ $timeout =~ ^[1-9][0-9]{0,3}$ ]] || die "--timeout takes whole seconds, not '$timeout'"
    [[ -d $build ]] || die "no build tree at '$build' (scripts/run.sh builds one, or pass --build DIR)"
    build=$(realpath "$build")
    portal=${portal:-$build/examples/portal/cardbridge-portal}
    if [[ -z $state ]]; then
        local data=${XDG_DATA_HOME:-}
        [[ $data == /* ]] || data=$HOME/.local/share
        state=$data/cardbridge/demo
    fi
    # Private: the portal's accounts and the audit log live here.
    if [[ ! -d $state ]]; then
        mkdir -p "$(dirname "$state")"
        mkdir -m 0700 "$state"
    fi
    state=$(realpath "$state")
}

# ---- what the demo needs -----------------------------------------------------------------------

daemon='' cli='' host='' vcard='' vcard_ctl='' pcsc_wait='' pki='' pcscd_bin='' vpcd_driver='' chromium=''

find_programs() {
    daemon=$build/daemon/cardbridged
    cli=$build/tools/cli/cardbridge
    host=$build/native-host/cardbridge-host
    vcard=$build/tools/virtual-card/cardbridge-vcard
    vcard_ctl=$build/tools/virtual-card/cardbridge-vcard-ctl
    pcsc_wait=$build/tests/harness/pcsc-wait
    pki=$build/test-pki
    local program
    for program in "$daemon" "$cli" "$host" "$vcard" "$vcard_ctl" "$pcsc_wait"; do
        [[ -x $program ]] || die "no ${program##*/} at $program (scripts/run.sh builds it, or pass --build DIR)"
    done
    [[ -x $portal ]] || die "no cardbridge-portal at $portal (build the target cardbridge-portal, or pass --portal PROGRAM)"
    [[ -f $pki/manifest.json ]] || die "no test PKI at $pki (build the target test_pki)"
    pcscd_bin=$(command -v pcscd) || die "pcscd is missing (apt install pcscd)"
    vpcd_driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
    [[ -f $vpcd_driver ]] || die "no vpcd driver at $vpcd_driver (apt install vsmartcard-vpcd)"
    for program in unshare setsid setpriv flock ss cc sha256sum /usr/bin/python3; do
        command -v "$program" >/dev/null ||
            die "$program is missing (scripts/install-deps.sh installs util-linux, iproute2, gcc, python3)"
    done
    chromium=/usr/lib/chromium/chromium
}

# The cards' data, from the test PKI's manifest: one tab-separated line per card.
declare -A card_dir card_enterprise card_role card_holder card_pin card_expired
cards=() inserted=()

read_cards() {
    IFS=, read -r -a cards <<<"$card_list"
    IFS=, read -r -a inserted <<<"$inserted_list"
    ((${#cards[@]} >= 1)) || die "--cards names no card"
    # pcsc-lite serves 16 readers at most; leave room for real ones.
    ((${#cards[@]} <= 8)) || die "at most 8 virtual cards, not ${#cards[@]}"
    local name dir enterprise role holder pin expired
    while IFS=$'\t' read -r name dir enterprise role holder pin expired; do
        card_dir[$name]=$pki/$dir card_enterprise[$name]=$enterprise card_role[$name]=$role
        card_holder[$name]=$holder card_pin[$name]=$pin card_expired[$name]=$expired
    done < <(/usr/bin/python3 - "$pki/manifest.json" <<'PY'
import json, sys
for name, card in json.load(open(sys.argv[1], encoding="utf-8"))["cards"].items():
    fields = [card.get(key) or "-" for key in ("directory", "enterprise", "role", "holder", "pin")]
    print("\t".join([name, *fields, "yes" if card.get("expired") else "no"]))
PY
)
    for name in "${cards[@]}" "${inserted[@]}"; do
        [[ -n ${card_dir[$name]:-} ]] || die "'$name' is not a card of the test PKI (see $pki/manifest.json)"
    done
    for name in "${inserted[@]}"; do
        [[ " ${cards[*]} " == *" $name "* ]] || die "--inserted names '$name', which --cards does not"
    done
}

is_inserted() {
    [[ " ${inserted[*]} " == *" $1 "* ]]
}

# ---- ports -------------------------------------------------------------------------------------

declare -A listening
read_listening_ports() {
    listening=()
    local local_address _
    while read -r _ _ _ local_address _; do
        listening[${local_address##*:}]=1
    done < <(ss -Hltn)
}

port_free() {
    [[ -z ${listening[$1]:-} ]]
}

ws_port=61232 vpcd_base=
choose_ports() {
    read_listening_ports
    if ! port_free "$portal_port"; then
        local holder
        holder=$(ss -Hltnp "sport = :$portal_port" 2>/dev/null |
            sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (PID \2)/p' | head -n 1)
        die "port $portal_port is taken${holder:+ by $holder}: give the portal another one with --portal-port N"
    fi
    # 61232 is where pages look for the E-Port client control. Through the extension the pages
    # reach the daemon over its socket whatever the port, so a taken port is only a note.
    if ! port_free 61232; then
        ws_port=0
        note "port 61232 is taken (another client control or cardbridged?): the daemon takes a free"
        note "  port instead; the pages reach it through the extension all the same"
    fi
    # vpcd listens on two consecutive ports per reader-config entry (CHANNELID, CHANNELID + 1).
    local count=$((((${#cards[@]} + 1) / 2) * 2)) tries base i
    for ((tries = 0; tries < 100; tries++)); do
        base=$((20000 + SRANDOM % 9000))
        for ((i = 0; i < count; i++)); do port_free $((base + i)) || continue 2; done
        [[ $base -le $portal_port && $portal_port -lt $((base + count)) ]] && continue
        vpcd_base=$base
        return
    done
    die "found no $count free consecutive TCP ports for the virtual readers"
}

# ---- the run folder and the state --------------------------------------------------------------

run='' logs='' lock_fd=''
lock_state() {
    exec {lock_fd}>>"$state/demo.lock"
    if ! flock -n "$lock_fd"; then
        local pid
        pid=$(sed -n 's/^PID=//p' "$state/demo.env" 2>/dev/null || true)
        die "a demo already runs with the state $state${pid:+ (PID $pid)}: stop it first, or pass another --state DIR"
    fi
    # A demo killed with SIGKILL could not remove its run folder: this one does.
    local stale
    stale=$(sed -n 's/^RUN=//p' "$state/demo.env" 2>/dev/null || true)
    [[ $stale == */cardbridge-demo.* && -d $stale && -O $stale ]] && rm -rf "$stale"
    rm -f "$state/demo.env"
}

make_run_folder() {
    local parent=${XDG_RUNTIME_DIR:-}
    [[ $parent == /* && -d $parent && -w $parent ]] || parent=${TMPDIR:-/tmp}
    run=$(mktemp -d "$parent/cardbridge-demo.XXXXXX")
    mkdir -m 0700 "$run/pcscd" "$run/readers" "$run/lib" "$run/cards"
    logs=$state/logs
    mkdir -p "$logs"
    rm -f "$logs"/*.log
    # Every part inherits these; they also mark a process as the demo's for the last sweep.
    export PCSCLITE_CSOCK_NAME=$run/pcscd/pcscd.comm CARDBRIDGE_SOCKET=$run/daemon.sock
    {
        echo "PID=$$"
        echo "RUN=$run"
        echo "VCARD_CTL=$vcard_ctl"
        echo "CLI=$cli"
        echo "SOCKET=$CARDBRIDGE_SOCKET"
        echo "CARDS=${cards[*]}"
    } >"$state/demo.env"
}

# ---- the parts: started, watched, stopped ------------------------------------------------------

declare -A pid_of
# spawn NAME LOG PROGRAM [ARG]...: PROGRAM in a session (and process group) of its own, so that
# the terminal's Ctrl-C reaches only this script, which then stops every part; with a parent-death
# signal, so that even a demo.sh killed by SIGKILL leaves no part running. Its output goes to LOG.
spawn() {
    local name=$1 log=$2
    shift 2
    setsid setpriv --pdeathsig TERM -- "$@" </dev/null >>"$log" 2>&1 {lock_fd}>&- &
    pid_of[$name]=$!
}

# alive PID: whether PID runs (a zombie does not). `read`, not $(<…): under errexit a failed
# $(<file) ends the whole script.
alive() {
    local stat
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    [[ ${stat##*) } != Z* ]]
}

show_log() {
    local log=$logs/$1.log
    [[ -s $log ]] || return 0
    echo "--- the end of $log" >&2
    tail -n 15 "$log" >&2
}

# Fails the start when a part ended meanwhile (Chromium aside: closing it is the user's right).
check_parts() {
    local name
    for name in "${!pid_of[@]}"; do
        [[ $name == chromium ]] && continue
        alive "${pid_of[$name]}" && continue
        show_log "$name"
        die "$name ended while the demo was starting"
    done
}

now_us() {
    local t=${EPOCHREALTIME//[!0-9]/}
    echo "$t"
}

# mark WHAT: how long the start took so far, into demo.log (where the time goes on a slow machine).
mark() {
    echo "$((($(now_us) - started_at) / 1000)) ms: $1" >>"$logs/demo.log"
}

# until_true SECONDS WHAT COMMAND...: runs COMMAND every 50 ms until it succeeds; the start fails
# when a part ends meanwhile or SECONDS pass.
until_true() {
    local seconds=$1 what=$2
    shift 2
    local deadline=$(($(now_us) + seconds * 1000000))
    until "$@"; do
        check_parts
        (($(now_us) < deadline)) || die "$what: not within $seconds s (logs: $logs)"
        sleep 0.05
    done
}

# wait_gone SECONDS PID...: polls until none of the PIDs runs, or SECONDS pass (status 1).
# Polled, not waited for: bash reaps a finished child by itself, and `wait -n` then no longer
# knows it ("no such job") and cannot be trusted to return for it.
wait_gone() {
    local deadline=$(($(now_us) + $1 * 1000000)) pid
    shift
    while :; do
        for pid; do
            alive "$pid" && break
            shift
        done
        (($#)) || return 0
        (($(now_us) < deadline)) || return 1
        sleep 0.02
    done
}

stop_parts() {
    local name pids=()
    for name in "${!pid_of[@]}"; do
        # Negative: the whole process group, a browser's helpers included.
        kill -TERM -- "-${pid_of[$name]}" 2>/dev/null || true
        pids+=("${pid_of[$name]}")
    done
    # pcscd takes ~1.2 s after SIGTERM; anything still there after 5 s gets SIGKILL.
    if ! wait_gone 5 "${pids[@]}"; then
        for name in "${!pid_of[@]}"; do
            alive "${pid_of[$name]}" || continue
            note "$name did not stop within 5 s of SIGTERM: SIGKILL"
            kill -KILL -- "-${pid_of[$name]}" 2>/dev/null || true
        done
        wait_gone 2 "${pids[@]}" || note "some parts outlived SIGKILL: ${pids[*]}"
    fi
    pid_of=()
}

# What the parts started outside their process groups (the browser's native-messaging host), and
# a browser opened by hand with the printed command, hold the run folder in their environment:
# nothing else on the machine names it. SIGTERM first, so that a browser can close its profile.
sweep_leftovers() {
    [[ -n $run ]] || return 0
    local environ pid left=()
    # One grep over every process (not one per process: a browser has dozens).
    while read -r environ; do
        pid=${environ#/proc/}
        pid=${pid%/environ}
        [[ $pid == "$$" ]] && continue
        kill -TERM "$pid" 2>/dev/null && left+=("$pid")
    done < <(grep -lsF -- "$run" /proc/[0-9]*/environ)
    ((${#left[@]})) || return 0
    note "ended leftover processes ${left[*]}"
    wait_gone 3 "${left[@]}" && return 0
    for pid in "${left[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

started_at=
teardown() {
    local status=$?
    # A second Ctrl-C must not leave half the parts running: the stop is bounded anyway.
    trap '' INT TERM
    set +e
    if ((${#pid_of[@]})); then
        echo >&2
        note "stopping everything…"
        local t0
        t0=$(now_us)
        stop_parts
        sweep_leftovers
        note "stopped in $((($(now_us) - t0) / 1000)) ms"
    fi
    [[ -n $run ]] && rm -rf "$run"
    [[ -n $state && -n $run ]] && rm -f "$state/demo.env"
    exit "$status"
}

# ---- pcscd and the virtual cards ---------------------------------------------------------------

declare -A card_port card_reader card_socket
shim=
build_loopback_shim() {
    # Why a preload: scripts/demo/vpcd-loopback.c. Built once per version of its source and kept
    # in the state folder: a compile costs 0.1 s on an idle machine and seconds on a busy one.
    local source=$source_dir/scripts/demo/vpcd-loopback.c hash cached
    hash=$(sha256sum "$source" | cut -c1-16)
    cached=$state/lib/vpcd-loopback-$hash.so
    shim=$run/lib/vpcd-loopback.so
    if [[ ! -f $cached ]]; then
        mkdir -p "$state/lib"
        rm -f "$state"/lib/vpcd-loopback-*.so
        cc -shared -fPIC -O2 -o "$shim" "$source" -ldl || die "cannot build $source (apt install gcc)"
        cp "$shim" "$cached.new"
        mv "$cached.new" "$cached"
    fi
    # LD_PRELOAD splits at spaces, which the state folder may hold and the run folder does not.
    cp "$cached" "$shim"
}

write_reader_configs() {
    local i entry slot name
    for ((i = 0; i < ${#cards[@]}; i++)); do
        name=${cards[i]} entry=$((i / 2 + 1)) slot=$((i % 2))
        card_port[$name]=$((vpcd_base + i))
        card_reader[$name]="cardbridge demo $entry 00 0$slot"
        card_socket[$name]=$run/cards/$name.sock
        ((slot == 0)) || continue
        # One entry serves two readers; each entry loads its own copy of the driver, because
        # entries sharing one file share (and break) its state.
        cp "$vpcd_driver" "$run/lib/libifdvpcd-$entry.so"
        cat >"$run/readers/vpcd-$entry" <<CONF
FRIENDLYNAME "cardbridge demo $entry"
DEVICENAME   /dev/null:${card_port[$name]}
LIBPATH      $run/lib/libifdvpcd-$entry.so
CHANNELID    ${card_port[$name]}
CONF
    done
}

start_cards() {
    local name
    for name in "${cards[@]}"; do
        # --wait-vpcd: the card keeps knocking while pcscd starts, and after a pcscd restart.
        spawn "card-$name" "$logs/card-$name.log" "$vcard" --profile "${card_dir[$name]}" \
            --vpcd "127.0.0.1:${card_port[$name]}" --control "${card_socket[$name]}" --wait-vpcd 3600
    done
    for name in "${cards[@]}"; do
        until_true "$timeout" "the control socket of $name" test -S "${card_socket[$name]}"
        # pcscd is not up yet, so a card taken out now was never seen in its reader.
        is_inserted "$name" || "$vcard_ctl" "${card_socket[$name]}" remove >/dev/null ||
            die "cannot take $name out of its reader"
    done
}

# The script pcscd starts with, in a mount namespace of its own: pcscd 1.9.9 always serves
# /run/pcscd/pcscd.comm, so the run folder's pcscd/ is bound there, and only there. Bound rather
# than a tmpfs on /run, so that libudev still finds /run/udev and pcscd hears of USB readers
# plugged in. A normal user cannot create /run/pcscd: then a tmpfs on /run it is. With
# --virtual-only an empty folder hides the USB drivers (the vpcd copies live in the run folder).
# shellcheck disable=SC2016
pcscd_script='set -e
if ! [ -d /run/pcscd ]; then
    mount -t tmpfs -o mode=0755 cardbridge-demo /run
    mkdir /run/pcscd
fi
mount --bind "$1" /run/pcscd
[ -z "$5" ] || mount --bind "$5" /usr/lib/pcsc/drivers
exec env LD_PRELOAD="$3" "$4" -f -c "$2"'

start_pcscd() {
    local namespaces=(--mount --propagation private)
    if ((EUID == 0)); then
        mkdir -p /run/pcscd
    else
        namespaces=(--user --map-root-user "${namespaces[@]}")
    fi
    local no_drivers=
    if ! $usb; then
        no_drivers=$run/no-drivers
        mkdir "$no_drivers"
    fi
    spawn pcscd "$logs/pcscd.log" unshare "${namespaces[@]}" -- sh -c "$pcscd_script" pcscd \
        "$run/pcscd" "$run/readers" "$shim" "$pcscd_bin" "$no_drivers"
    until_true "$timeout" "pcscd's socket" test -S "$PCSCLITE_CSOCK_NAME"
    local readers=() name
    for name in "${inserted[@]}"; do readers+=("${card_reader[$name]}"); done
    ((${#readers[@]})) || return 0
    "$pcsc_wait" --timeout-ms $((timeout * 1000)) "${readers[@]}" >>"$logs/demo.log" 2>&1 || {
        check_parts
        die "the inserted cards did not show up in their readers within $timeout s (logs: $logs)"
    }
}

# The system's pcscd owns the USB readers it serves; the demo's own pcscd then cannot open them.
# Only a running one matters: a pcscd.socket waiting for its first client holds nothing, and the
# demo's pcscd takes the readers first.
system_pcscd_hint() {
    if ! $usb || [[ ! -S /run/pcscd/pcscd.comm ]]; then return 0; fi
    local pid
    # pcscd writes its PID with a NUL after it. /proc, not kill -0: a user may not signal root.
    pid=$(tr -dc '0-9' </run/pcscd/pcscd.pid 2>/dev/null || true)
    [[ -n $pid && -d /proc/$pid ]] || return 0
    note "the system's pcscd runs (PID $pid) and keeps the USB readers it serves: the demo sees"
    note "  only its virtual cards. For a real reader in the demo, stop it first:"
    note "  systemctl stop pcscd.socket pcscd.service (without systemd: kill $pid);"
    note "  afterwards: systemctl start pcscd.socket (without systemd: pcscd)."
}

# ---- the daemon ----------------------------------------------------------------------------------

write_daemon_config() {
    # The portal's origin first, with every right: its pages send the PIN they asked for. A list
    # here replaces the built-in rules, so the real portals' patterns are listed again.
    /usr/bin/python3 - "$run/config.json" "$ws_port" "$CARDBRIDGE_SOCKET" "$state/audit.log" \
        "http://127.0.0.1:$portal_port" <<'PY'
import json, sys
path, port, socket, audit, portal = sys.argv[1:]
every = {"login": True, "sign": True, "sendPin": True}
config = {"port": int(port), "socket": socket, "auditLog": audit, "origins": [
    {"pattern": portal, **every},
    {"pattern": "https://*.singlewindow.cn", **every},
    {"pattern": "https://*.chinaport.gov.cn", **every}]}
with open(path, "w", encoding="utf-8") as out:
    json.dump(config, out, indent=2)
PY
}

daemon_listening() {
    [[ -S $CARDBRIDGE_SOCKET ]] && grep -q ' listening on ' "$logs/cardbridged.log"
}

# Whether the daemon shows every virtual reader, each inserted card with its token read and
# each other reader empty: then the pages find exactly what the banner says.
daemon_sees_cards() {
    local json
    json=$("$cli" --json --socket "$CARDBRIDGE_SOCKET" readers 2>/dev/null) || return 1
    local expected=() name
    for name in "${cards[@]}"; do
        if is_inserted "$name"; then
            expected+=("${card_reader[$name]}=present")
        else
            expected+=("${card_reader[$name]}=empty")
        fi
    done
    /usr/bin/python3 -c '
import json, sys
readers = {r.get("reader"): r for r in json.loads(sys.argv[1]).get("readers", [])}
for want in sys.argv[2:]:
    reader, state = want.rsplit("=", 1)
    r = readers.get(reader)
    if not r or r.get("state") != state or (state == "present" and not r.get("token")):
        sys.exit(1)' "$json" "${expected[@]}"
}

start_daemon() {
    write_daemon_config
    spawn cardbridged "$logs/cardbridged.log" "$daemon" --config "$run/config.json"
    until_true "$timeout" "cardbridged's socket" daemon_listening
    ws_port=$(sed -n 's|.* listening on ws://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$logs/cardbridged.log" | head -n 1)
    until_true "$timeout" "cardbridged reading the cards" daemon_sees_cards
}

# ---- the portal ----------------------------------------------------------------------------------

portal_url=
# http_ok PORT PATH: whether GET PATH on 127.0.0.1:PORT answers 200. A subshell, because a
# failed /dev/tcp redirection of exec may end the shell that runs it.
http_ok() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
        read -r -t 2 _ status _ <&3 || exit 1
        [[ $status == 200 ]]
    ) 2>/dev/null
}

start_portal() {
    portal_url=http://127.0.0.1:$portal_port
    spawn portal "$logs/portal.log" "$portal" --listen "127.0.0.1:$portal_port" --origin "$portal_url" \
        --ca "$pki/ca/bundle.pem" --db "$state/portal.db"
    until_true "$timeout" "the portal's ready line" grep -q '^cardbridge-portal: serving ' "$logs/portal.log"
    http_ok "$portal_port" / || die "the portal does not answer GET $portal_url/ with 200 (log: $logs/portal.log)"
}

# ---- the browser ---------------------------------------------------------------------------------

profile='' extension='' chromium_command=()
install_browser_integration() {
    profile=$state/chromium
    extension=$run/extension/chromium
    mkdir -p "$profile"
    bash "$source_dir/extension/build.sh" "$run/extension" >>"$logs/demo.log" 2>&1 ||
        die "extension/build.sh failed (see $logs/demo.log)"
    # The host manifest goes into this profile only; the host finds our daemon through
    # CARDBRIDGE_SOCKET, which it inherits from Chromium, which inherits it from here.
    "$cli" install-browser-integration --profile "$profile" --host "$host" >>"$logs/demo.log" 2>&1 ||
        die "cardbridge install-browser-integration failed (see $logs/demo.log)"
    chromium_command=("$chromium" "--user-data-dir=$profile" "--load-extension=$extension"
        --no-first-run --no-default-browser-check)
    # Chromium refuses to run as root with its sandbox.
    ((EUID != 0)) || chromium_command+=(--no-sandbox)
    [[ -n ${DISPLAY:-} || -z ${WAYLAND_DISPLAY:-} ]] || chromium_command+=(--ozone-platform=wayland)
    chromium_command+=("$portal_url/")
}

browser_state=
start_browser() {
    if ! $browser; then
        browser_state="not opened (--no-browser)"
    elif [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
        browser_state="not opened (no DISPLAY or WAYLAND_DISPLAY)"
    elif [[ ! -x $chromium ]]; then
        browser_state="not opened ($chromium is missing: apt install chromium)"
    else
        spawn chromium "$logs/chromium.log" "${chromium_command[@]}"
        browser_state="Chromium (PID ${pid_of[chromium]}), profile $profile"
    fi
}

# ---- what the user sees --------------------------------------------------------------------------

role_text() {
    local text
    case ${card_role[$1]} in
        legal-person) text=法人卡 ;;
        operator) text=操作员卡 ;;
        *) text=${card_role[$1]} ;;
    esac
    [[ ${card_expired[$1]} == yes ]] && text="$text（证书已过期）"
    echo "$text"
}

print_banner() {
    local seconds=$((($(now_us) - started_at) / 1000))
    local me=$source_dir/scripts/demo-card
    local default_state=${XDG_DATA_HOME:-}
    [[ $default_state == /* ]] || default_state=$HOME/.local/share
    [[ $state == "$default_state/cardbridge/demo" ]] || me="$me --state $state"
    local name example="${cards[0]} remove"
    for name in "${cards[@]}"; do
        is_inserted "$name" || { example="$name insert"; break; }
    done
    cat <<EOF

cardbridge demo: ready in $((seconds / 1000)).$((seconds % 1000 / 100)) s

  Portal     $portal_url/
  Browser    $browser_state
  Daemon     ws://127.0.0.1:$ws_port and $CARDBRIDGE_SOCKET
             origins: $portal_url (login, sign, sendPin), https://*.singlewindow.cn, https://*.chinaport.gov.cn

  Virtual cards (test PKI, $pki):
EOF
    printf '    %-28s %-9s %-9s %-24s %s\n' card PIN state reader "role, enterprise (holder)"
    for name in "${cards[@]}"; do
        local where=removed
        is_inserted "$name" && where=inserted
        printf '    %-28s %-9s %-9s %-24s %s, %s (%s)\n' "$name" "${card_pin[$name]}" "$where" \
            "${card_reader[$name]}" "$(role_text "$name")" "${card_enterprise[$name]}" "${card_holder[$name]}"
    done
    cat <<EOF
  Insert or remove a card (from another terminal):
    $me NAME insert|remove|status
    e.g. $me $example
  With several cards inserted the pages offer a choice; the legacy page (/login-legacy.html)
  needs exactly one.
  Readers and cards now:  $cli --socket $CARDBRIDGE_SOCKET readers

  Logs       $logs/
  Kept       $state/portal.db, $state/audit.log, $state/chromium/
EOF
    if [[ $browser_state == not* ]]; then
        cat <<EOF
  Open the browser by hand (it is stopped with the demo):
    CARDBRIDGE_SOCKET=$CARDBRIDGE_SOCKET ${chromium_command[*]}
EOF
    fi
    echo
    echo "Ctrl-C stops everything."
}

# ---- the run -------------------------------------------------------------------------------------

# Waits until a part ends. Chromium closed by the user is not an error; any other part ending
# stops the demo, because the pages would fail in ways nobody could explain.
supervise() {
    local name status
    while ((${#pid_of[@]})); do
        # Returns when a part ends (or at once, should bash have reaped one already); which one
        # ended is told by /proc, not by wait.
        wait -n "${pid_of[@]}" 2>/dev/null || true
        for name in "${!pid_of[@]}"; do
            alive "${pid_of[$name]}" && continue
            wait "${pid_of[$name]}" 2>/dev/null && status=0 || status=$?
            unset "pid_of[$name]"
            if [[ $name == chromium ]]; then
                note "Chromium was closed; everything else keeps running (Ctrl-C stops it). To open it again:"
                note "  CARDBRIDGE_SOCKET=$CARDBRIDGE_SOCKET ${chromium_command[*]}"
                continue
            fi
            show_log "$name"
            die "$name ended on its own (status $status): stopping everything"
        done
    done
}

main() {
    started_at=$(now_us)
    parse_options "$@"
    find_programs
    read_cards
    lock_state
    choose_ports
    trap teardown EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    make_run_folder
    system_pcscd_hint
    build_loopback_shim
    mark "loopback shim built"
    write_reader_configs
    start_cards
    mark "cards started"
    start_pcscd
    mark "pcscd ready, inserted cards seen"
    start_daemon
    mark "cardbridged ready, cards read"
    start_portal
    mark "portal ready"
    install_browser_integration
    start_browser
    mark "browser integration done"
    {
        echo "PORTAL_URL=$portal_url/"
        echo "WS_PORT=$ws_port"
        echo "LOGS=$logs"
    } >>"$state/demo.env"
    print_banner
    supervise
}

main "$@"
