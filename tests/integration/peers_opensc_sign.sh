#!/usr/bin/env bash
# pkcs11-tool, through OpenSC's PKCS#11 module, signs with a virtual card's keys given the right
# PIN, and openssl verifies each signature with the certificate from the card's profile.
. "$(dirname "$0")/peers_lib.sh"

#   signs_and_verifies ID SLOT MECHANISM DIGEST
signs_and_verifies() {
    local id=$1 slot=$2 mechanism=$3 digest=$4 out format=()
    local data=$PEERS_WORK/data-$slot signature=$PEERS_WORK/signature-$slot
    local public_key=$PEERS_WORK/public-$slot.pem
    printf 'cardbridge peer check: %s signs with %s\n' "$CARD" "$mechanism" >"$data"
    [[ $mechanism != ECDSA-* ]] || format=(--signature-format openssl)
    run_tool out pkcs11-tool --module "$OPENSC_PKCS11" --sign --id "$id" --mechanism "$mechanism" \
        "${format[@]}" --pin "$(card_field "$CARD" pin)" --input-file "$data" --output-file "$signature"
    expect "pkcs11-tool --sign --id $id --mechanism $mechanism: exit status ($out)" "$status" 0
    openssl x509 -inform der -in "$(card_dir "$CARD")/$slot.crt.der" -noout -pubkey >"$public_key"
    run_tool out openssl dgst "-$digest" -verify "$public_key" -signature "$signature" "$data"
    expect "openssl verifies the $slot signature" "$out" "Verified OK"
    echo "tampered" >>"$data"
    run_tool out openssl dgst "-$digest" -verify "$public_key" -signature "$signature" "$data"
    expect_in "openssl refuses the $slot signature over other data" "$out" "Verification failure"
}

# Legacy E-Port cards sign SHA-1 PKCS#1 v1.5 (eport-legacy-protocol.md §7.1) with 9C.
rsa_card_signs() {
    signs_and_verifies 02 9c SHA1-RSA-PKCS sha1
    signs_and_verifies 01 9a SHA256-RSA-PKCS sha256
}

ecc_card_signs() {
    signs_and_verifies 02 9c ECDSA-SHA256 sha256
    signs_and_verifies 01 9a ECDSA-SHA256 sha256
}

checks() {
    on_cards rsa_card_signs trade-operator-rsa
    on_cards ecc_card_signs trade-legal-p256
}
run_checks
