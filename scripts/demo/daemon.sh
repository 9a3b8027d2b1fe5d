# shellcheck shell=bash
# cardbridged: its config (the portal's origin with every right, soft-skf's library), its start,
# and the wait until it has read every virtual card and the virtual USB key.

write_daemon_config() {
    # The portal's origin first, with every right: its pages send the PIN they asked for. A list
    # here replaces the built-in rules, so the real portals' patterns are listed again. The
    # p11-kit registry stays off, so that the tokens are exactly those the banner lists.
    /usr/bin/python3 - "$run/config.json" "$ws_port" "$CARDBRIDGE_SOCKET" "$state/audit.log" \
        "http://127.0.0.1:$portal_port" "$skf_library" <<'PY'
import json, sys
path, port, socket, audit, portal, skf = sys.argv[1:]
every = {"login": True, "sign": True, "sendPin": True}
config = {"port": int(port), "socket": socket, "auditLog": audit, "origins": [
    {"pattern": portal, **every},
    {"pattern": "https://*.singlewindow.cn", **every},
    {"pattern": "https://*.chinaport.gov.cn", **every}],
    "usbKeys": {"skf": [skf], "p11KitRegistry": False}}
with open(path, "w", encoding="utf-8") as out:
    json.dump(config, out, indent=2)
PY
}

daemon_listening() {
    [[ -S $CARDBRIDGE_SOCKET ]] && grep -q ' listening on ' "$logs/cardbridged.log"
}

# Whether the daemon shows every virtual reader, each inserted card with its token read and
# each other reader empty, and the key's reader with its token when it is plugged (none when it
# is not: it exists only while plugged): then the pages find exactly what the banner says.
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
    if $key_plugged; then
        expected+=("$key_reader=present")
    else
        expected+=("$key_reader=absent")
    fi
    /usr/bin/python3 -c '
import json, sys
readers = {r.get("reader"): r for r in json.loads(sys.argv[1]).get("readers", [])}
for want in sys.argv[2:]:
    reader, state = want.rsplit("=", 1)
    r = readers.get(reader)
    if state == "absent":
        if r:
            sys.exit(1)
    elif not r or r.get("state") != state or (state == "present" and not r.get("token")):
        sys.exit(1)' "$json" "${expected[@]}"
}

start_daemon() {
    write_daemon_config
    # soft-skf's library finds its devices through this variable; only the daemon needs it.
    spawn cardbridged "$logs/cardbridged.log" env "CARDBRIDGE_SOFT_SKF_STORE=$key_store" \
        "$daemon" --config "$run/config.json"
    until_true "$timeout" "cardbridged's socket" daemon_listening
    ws_port=$(sed -n 's|.* listening on ws://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$logs/cardbridged.log" | head -n 1)
    until_true "$timeout" "cardbridged reading the cards and the key" daemon_sees_cards
}
