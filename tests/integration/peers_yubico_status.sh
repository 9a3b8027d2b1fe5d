#!/usr/bin/env bash
# yubico-piv-tool's status shows a virtual card's CHUID, its three certificates (the very ones in
# the card's profile) and its PIN retries.
. "$(dirname "$0")/peers_lib.sh"

# The lines of one "Slot 9x:" block of the status output, into $block.
slot_block() {
    local line inside=
    block=
    while IFS= read -r line; do
        if [[ $line == "Slot $1:"* ]]; then inside=1
        elif [[ $line != $'\t'* ]]; then inside=
        elif [[ -n $inside ]]; then block+=$line$'\n'; fi
    done <<<"$status_out"
}

status_shows_card() {
    local status_out block slot certificate fingerprint end guid algorithm=
    run_tool status_out yubico-piv-tool --reader "$READER" --action status
    expect "yubico-piv-tool --action status exit status ($status_out)" "$status" 0
    guid=$(sed -n 's/.*"chuid_guid": "\([0-9a-f]*\)".*/\1/p' "$(card_dir "$CARD")/card.json")
    # CHUID: the GUID is its tag 34, 16 bytes long.
    [[ $status_out == *$'CHUID:\t'*"3410$guid"* ]] || fail "CHUID does not carry the GUID $guid"
    expect_in "PIN retries" "$status_out" $'PIN tries left:\t3'
    case $(card_field "$CARD" algorithm) in rsa1024) algorithm=RSA1024 ;; p256) algorithm=ECCP256 ;; esac
    for slot in 9a 9c 9d; do
        certificate=$(card_dir "$CARD")/$slot.crt.der
        slot_block "$slot"
        [[ -n $block ]] || { fail "no slot $slot in:"$'\n'"$status_out"; continue; }
        fingerprint=$(openssl dgst -sha256 -r "$certificate")
        expect_in "slot $slot fingerprint" "$block" $'\tFingerprint:\t'"${fingerprint%% *}"
        end=$(openssl x509 -inform der -in "$certificate" -noout -enddate)
        expect_in "slot $slot end of validity" "$block" $'\tNot After:\t'"${end#notAfter=}"
        [[ -z $algorithm ]] || expect_in "slot $slot algorithm" "$block" $'\tAlgorithm:\t'"$algorithm"
        # Legacy RSA cards' BMPString names print as raw UTF-16: their fingerprint is the check.
        [[ $algorithm == RSA1024 ]] ||
            expect_in "slot $slot subject" "$block" $'\tSubject DN:\t'"$(printed_subject "$certificate")"
    done
}

checks() {
    on_cards status_shows_card trade-legal-rsa
    on_cards status_shows_card trade-legal-sm2
    on_cards status_shows_card trade-operator-p256
}
run_checks
