# shellcheck shell=bash
# The state folder (what outlives a run) and the run folder (what a run removes at its stop).
# scripts/demo-card sources this file too, for default_state: nothing here runs when sourced.

# The state folder without --state: demo.sh's and demo-card's default.
default_state() {
    local data=${XDG_DATA_HOME:-}
    [[ $data == /* ]] || data=$HOME/.local/share
    echo "$data/cardbridge/demo"
}

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
    # What demo-card reads while the demo runs; the stop removes it.
    {
        echo "PID=$$"
        echo "RUN=$run"
        echo "VCARD_CTL=$vcard_ctl"
        echo "CLI=$cli"
        echo "SOCKET=$CARDBRIDGE_SOCKET"
        echo "CARDS=${cards[*]}"
    } >"$state/demo.env"
}
