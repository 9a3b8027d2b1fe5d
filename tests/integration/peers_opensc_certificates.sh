#!/usr/bin/env bash
# OpenSC (pkcs15-tool, and pkcs11-tool through its PKCS#11 module) shows a virtual card's three
# PIV certificates, and what it reads is byte for byte the certificate in the card's profile.
. "$(dirname "$0")/peers_lib.sh"

# OpenSC's IDs and labels for the PIV slots.
readonly slots=("01 9a Certificate for PIV Authentication"
    "02 9c Certificate for Digital Signature"
    "03 9d Certificate for Key Management")

certificates_are_the_cards() {
    local dump objects entry id slot label certificate serial read encoded
    run_tool dump pkcs15-tool --dump
    expect "pkcs15-tool --dump exit status" "$status" 0
    run_tool objects pkcs11-tool --module "$OPENSC_PKCS11" --list-objects
    expect "pkcs11-tool --list-objects exit status" "$status" 0
    for entry in "${slots[@]}"; do
        read -r id slot label <<<"$entry"
        certificate=$(card_dir "$CARD")/$slot.crt.der
        serial=$(openssl x509 -inform der -in "$certificate" -noout -serial)
        serial=${serial#serial=}
        expect_in "pkcs15-tool --dump" "$dump" "X.509 Certificate [$label]"
        printf -v encoded '02 %02X %s' $((${#serial} / 2)) "$serial"
        expect_in "pkcs15-tool --dump, slot $slot" "$dump" "Encoded serial : $encoded"

        run_tool read pkcs15-tool --read-certificate "$id" --output "$PEERS_WORK/read.pem"
        if openssl x509 -in "$PEERS_WORK/read.pem" -outform DER -out "$PEERS_WORK/read.der" 2>/dev/null &&
            cmp -s "$PEERS_WORK/read.der" "$certificate"; then :
        else fail "pkcs15-tool --read-certificate $id is not $slot.crt.der: $read"; fi

        expect_in "pkcs11-tool --list-objects" "$objects" "label:      $label"
        expect_in "pkcs11-tool --list-objects, slot $slot" "$objects" "serial:     $serial"
    done
    # The E-Port certNo is the signing certificate's serial (tools/test-pki/README.md).
    expect_in "pkcs11-tool --list-objects: the certNo" "$objects" \
        "serial:     $(card_field "$CARD" certNo | tr a-f A-F)"
    case $(card_field "$CARD" algorithm) in
        rsa1024) expect_in "pkcs11-tool --list-objects" "$objects" "Public Key Object; RSA 1024 bits" ;;
        p256)
            expect_in "pkcs11-tool --list-objects" "$objects" "Public Key Object; EC  EC_POINT 256 bits"
            expect_in "pkcs11-tool --list-objects" "$objects" \
                "subject:    DN: $(printed_subject "$(card_dir "$CARD")/9c.crt.der")"
            ;;
    esac
}

# OpenSC has no SM2: it lists no certificate objects for an SM2 card, yet a user still gets
# each certificate out of its PIV container (53 { 70 <certificate> 71 … }) as a data object.
sm2_certificates_read_as_data() {
    local entry oid slot container certificate
    for entry in "2.16.840.1.101.3.7.2.1.1 9a" "2.16.840.1.101.3.7.2.1.0 9c" "2.16.840.1.101.3.7.2.1.2 9d"; do
        read -r oid slot <<<"$entry"
        run_tool container pkcs15-tool --read-data-object "$oid" --output "$PEERS_WORK/$slot.container"
        expect "pkcs15-tool --read-data-object $oid exit status" "$status" 0
        container=$(od -An -v -tx1 "$PEERS_WORK/$slot.container" | tr -d ' \n')
        certificate=$(od -An -v -tx1 "$(card_dir "$CARD")/$slot.crt.der" | tr -d ' \n')
        [[ -n $certificate && $container == 53*70*"$certificate"71* ]] ||
            fail "the $slot container OpenSC read does not hold $slot.crt.der: $container"
    done
}

checks() {
    on_cards certificates_are_the_cards trade-legal-rsa
    on_cards certificates_are_the_cards trade-operator-p256
    on_cards sm2_certificates_read_as_data trade-legal-sm2
}
run_checks
