# shellcheck shell=bash
# print_banner: what the user sees once everything is ready. Its line "cardbridge demo: ready
# in N s" is the one scripts wait for (docs/DEMO.md).

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

# The key under the cards: the same columns, but a reader name of its own length.
print_key() {
    local where=unplugged
    $key_plugged && where=plugged
    echo "  Virtual USB key (soft-skf, $key_card's signing key and certificate):"
    printf '    %-28s %-9s %-9s %-36s %s\n' key PIN state "reader (while plugged)" "role, enterprise (holder)"
    printf '    %-28s %-9s %-9s %-36s %s, %s (%s)\n' "$key_name" "${card_pin[$key_card]}" "$where" \
        "$key_reader" "$(role_text "$key_card")" "${card_enterprise[$key_card]}" "${card_holder[$key_card]}"
}

print_banner() {
    local seconds=$((($(now_us) - started_at) / 1000))
    local me=$source_dir/scripts/demo-card
    [[ $state == "$(default_state)" ]] || me="$me --state $state"
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
    print_key
    cat <<EOF
  Insert or remove a card, plug or unplug the key (from another terminal):
    $me NAME insert|remove|status
    e.g. $me $example
    $me $key_name plug|unplug|status
  With several cards or a card and the key in, the pages offer a choice of reader; the legacy
  page (/login-legacy.html) cannot name one and needs exactly one: take the other out.
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
