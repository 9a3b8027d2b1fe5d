# shellcheck shell=bash
# cardbridged: its config (the portal's origin with every right), its start, and the wait until
# it has read every virtual card.

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
