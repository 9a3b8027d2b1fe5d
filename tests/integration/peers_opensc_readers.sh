#!/usr/bin/env bash
# opensc-tool, through the real pcscd, lists the virtual readers with a card in each and takes
# each card for a PIV card: every card of the test PKI at once, so every profile it writes is one
# the virtual card accepts.
. "$(dirname "$0")/peers_lib.sh"

readers_hold_piv_cards() {
    local out line name number found n
    run_tool out opensc-tool --list-readers
    expect "opensc-tool --list-readers exit status" "$status" 0
    expect "cards in the harness" "$CARDBRIDGE_VCARD_COUNT" "$(wc -w <<<"$PEERS_CARDS")"
    for ((n = 1; n <= CARDBRIDGE_VCARD_COUNT; n++)); do
        name=CARDBRIDGE_VCARD${n}_READER
        name=${!name}
        # "0    Yes             <name>": number, card present, features, name.
        found=
        while read -r number line; do
            [[ $line == "Yes "*" $name" ]] && found=$number
        done <<<"$out"
        [[ -n $found ]] || { fail "opensc-tool does not list '$name' with a card:"$'\n'"$out"; continue; }
        run_tool line opensc-tool --reader "$found" --name
        expect "card name in '$name'" "$line" "Personal Identity Verification Card"
    done
}

checks() {
    # shellcheck disable=SC2046 # card names are single words
    on_cards readers_hold_piv_cards $(ls "$CARDBRIDGE_TEST_PKI_DIR/cards")
}
run_checks
