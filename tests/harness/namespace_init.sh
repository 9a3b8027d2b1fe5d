#!/usr/bin/env bash
# PID 1 of one vcard-env run, inside its own network, mount and PID namespaces (see README.md).
#   namespace_init.sh RUN_DIR CARDBRIDGE_VCARD PCSC_WAIT TIMEOUT_MS [PROFILE PORT CONTROL_SOCKET READER]...
# Standard input is the lifeline: vcard-env holds its other end, so end of file means vcard-env
# is done or dead. Either that or the end of a card, or of a pcscd nobody asked to stop, ends the
# run: PID 1 exiting takes every process of the namespace with it.
# Meanwhile it serves pcscd-ctl's requests on RUN_DIR/pcscd-control, one at a time: a line
# "stop REPLY_FIFO" or "start REPLY_FIFO", answered with one line, "ok" or "error <why>", once
# pcscd has exited (stop) or every reader shows its card again (start).
set -uo pipefail
run=$1 vcard=$2 pcsc_wait=$3 timeout_ms=$4
shift 4

# The namespace's own loopback: vpcd listens on all interfaces, and here that is only this one.
ip link set lo up
# pcscd 1.9.9 puts its socket and PID file in /run/pcscd whatever PCSCLITE_CSOCK_NAME says, and
# claims every USB reader it has a driver for: give it a /run/pcscd of its own and no drivers.
mount -t tmpfs -o mode=0755 cardbridge-run /run
mkdir /run/pcscd
mount --bind "$run/pcscd" /run/pcscd
mount --bind "$run/drivers" /usr/lib/pcsc/drivers

# What each child is, by PID; the main loop below reacts to whichever ends first.
declare -A names
pcscd=
start_pcscd() {
    pcscd -f -c "$run/conf" >>"$run/pcscd.log" 2>&1 &
    pcscd=$!
    names[$pcscd]=pcscd
}
start_pcscd
controls=() readers=()
card=0
while (($# >= 4)); do
    card=$((card + 1))
    # The card would give up on vpcd after 10 s; in a run, a stopped pcscd may stay stopped as
    # long as the command wants, and a pcscd that never serves the card fails the run anyway.
    "$vcard" --profile "$1" --vpcd "127.0.0.1:$2" --control "$3" --wait-vpcd 3600 \
        >"$run/card$card.log" 2>&1 &
    names[$!]="card $card (cardbridge-vcard)"
    controls+=("$3") readers+=("$4")
    shift 4
done
# A background job's standard input would be /dev/null: hand the lifeline over by number.
exec {lifeline}<&0
read -r _ <&"$lifeline" &
names[$!]=lifeline

# Held open for reading and writing, the FIFO keeps what pcscd-ctl wrote until it is read, and
# opening it never blocks anyone.
exec {control}<>"$run/pcscd-control"
next_request() {
    # bash reads a pipe byte by byte: the job takes one line and leaves later requests queued.
    { read -r line <&"$control" && printf '%s\n' "$line" >"$run/pcscd-control.request"; } &
    names[$!]=request
}
# say TEXT: the answer to the request in hand, if any. Read-write, so that a pcscd-ctl that gave
# up cannot leave PID 1 blocked in open().
say() {
    [[ -p $reply ]] && printf '%s\n' "$1" 1<>"$reply"
    reply=
}
# answer TEXT: say it, then the next request may come.
answer() {
    say "$1"
    next_request
}
stopping=false grace=
handle() {
    case $verb in
        stop)
            [[ -n $pcscd ]] || { answer "error pcscd is not running"; return; }
            kill -TERM "$pcscd"
            stopping=true
            # pcscd takes up to ~1.2 s after SIGTERM; one that hangs gets SIGKILL.
            sleep 5 &
            grace=$!
            names[$grace]=grace
            ;;
        start)
            [[ -z $pcscd ]] || { answer "error pcscd is running"; return; }
            start_pcscd
            "$pcsc_wait" --timeout-ms "$timeout_ms" "${readers[@]}" &
            names[$!]=ready
            ;;
        *) answer "error unknown request '$verb' (stop, start)" ;;
    esac
}
reply=
next_request

while :; do
    wait -n -p ended
    status=$?
    what=${names[$ended]:-process $ended}
    unset "names[$ended]"
    case $what in
        request)
            read -r verb reply <"$run/pcscd-control.request"
            handle
            ;;
        pcscd)
            pcscd=
            $stopping || break
            stopping=false
            if [[ -n $grace ]]; then
                kill "$grace"
                wait "$grace"
                unset "names[$grace]"
                grace=
            fi
            # A pcscd ended by SIGKILL leaves them, and its successor would take them for a
            # running pcscd's should that PID be alive again.
            rm -f /run/pcscd/pcscd.comm /run/pcscd/pcscd.pid
            answer ok
            ;;
        grace)
            grace=
            kill -KILL "$pcscd"
            ;;
        ready)
            if ((status == 0)); then
                answer ok
            else
                answer "error the cards were not back within $((timeout_ms / 1000)) s"
            fi
            ;;
        *) break ;;
    esac
done
if [[ $what == lifeline ]]; then
    say "error the run ended"
else
    echo "$what exited early with status $status" >"$run/ended"
    say "error $what exited early with status $status"
fi
kill -KILL -1 2>/dev/null
wait
# Killed cards leave their control sockets behind; those outside the run folder are removed here.
for socket in "${controls[@]}"; do [[ -S $socket ]] && rm -f "$socket"; done
[[ $what == lifeline ]] && rm -rf "$run"
exit 0
