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
