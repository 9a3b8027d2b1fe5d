# shellcheck shell=bash
# The demo's own pcscd: its reader configs, the system's pcscd (only a hint), and pcscd itself
# in a mount namespace of its own with the loopback preload.

# Two virtual readers per reader-config entry, each card on a port of its own from vpcd_base on.
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
    # LD_PRELOAD splits at spaces, which the build folder may hold and the run folder does not.
    local shim=$run/lib/vpcd-loopback.so
    cp "$preload" "$shim"
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
