# shellcheck shell=bash
# The parts as processes: started (spawn), waited for (until_true, supervise), stopped
# (stop_parts, sweep_leftovers). pid_of holds every part that runs, by name.

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
