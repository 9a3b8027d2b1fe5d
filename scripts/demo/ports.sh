# shellcheck shell=bash
# choose_ports: the portal's port must be free; the daemon's 61232 should be; the virtual
# readers get a free block of their own.

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
