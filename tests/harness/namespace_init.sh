#!/usr/bin/env bash
# PID 1 of one vcard-env run, inside its own network, mount and PID namespaces (see README.md).
#   namespace_init.sh RUN_DIR CARDBRIDGE_VCARD [PROFILE PORT CONTROL_SOCKET]...
# Standard input is the lifeline: vcard-env holds its other end, so end of file means vcard-env
# is done or dead. Either that or the end of pcscd or of a card ends the run: PID 1 exiting
# takes every process of the namespace with it.
set -uo pipefail
run=$1 vcard=$2
shift 2

# The namespace's own loopback: vpcd listens on all interfaces, and here that is only this one.
ip link set lo up
# pcscd 1.9.9 puts its socket and PID file in /run/pcscd whatever PCSCLITE_CSOCK_NAME says, and
# claims every USB reader it has a driver for: give it a /run/pcscd of its own and no drivers.
mount -t tmpfs -o mode=0755 cardbridge-run /run
mkdir /run/pcscd
mount --bind "$run/pcscd" /run/pcscd
mount --bind "$run/drivers" /usr/lib/pcsc/drivers

declare -A names
pcscd -f -c "$run/conf" >"$run/pcscd.log" 2>&1 &
names[$!]=pcscd
controls=()
card=0
while (($# >= 3)); do
    card=$((card + 1))
    "$vcard" --profile "$1" --vpcd "127.0.0.1:$2" --control "$3" >"$run/card$card.log" 2>&1 &
    names[$!]="card $card (cardbridge-vcard)"
    controls+=("$3")
    shift 3
done
# A background job's standard input would be /dev/null: hand the lifeline over by number.
exec {lifeline}<&0
read -r _ <&"$lifeline" &
names[$!]=lifeline

wait -n -p ended
status=$?
if [[ ${names[$ended]} != lifeline ]]; then
    echo "${names[$ended]} exited early with status $status" >"$run/ended"
fi
kill -KILL -1 2>/dev/null
wait
# Killed cards leave their control sockets behind; those outside the run folder are removed here.
for socket in "${controls[@]}"; do [[ -S $socket ]] && rm -f "$socket"; done
[[ ${names[$ended]} == lifeline ]] && rm -rf "$run"
exit 0
