#!/usr/bin/env bash
# The test PKI the build generated (tools/test-pki/README.md) is what daemon, portal and demo
# engineers are promised: E-Port-shaped certificates with the documented values, chained to
# their CA, and a generator that leaves a finished PKI alone and never touches a foreign folder.
#   pki_generator.sh MAKE_TEST_PKI PKI_DIR
set -euo pipefail
generator=$1 pki=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() { [[ $2 == "$3" ]] || fail "$1: expected '$3', got '$2'"; }

# --- the generator -----------------------------------------------------------------------
before=$(cd "$pki" && find . -type f -exec sha256sum {} + | sort)
out=$("$generator" "$pki")
expect "second run on a finished PKI" "$out" "make-test-pki: $pki is up to date"
expect "files after the second run" "$(cd "$pki" && find . -type f -exec sha256sum {} + | sort)" "$before"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "someone's notes" >"$scratch/notes.txt"
if refusal=$("$generator" "$scratch" 2>&1); then fail "it wrote into a folder it did not make"; fi
[[ $refusal == *'holds no manifest.json; not touching it' ]] || fail "refusal says: $refusal"
expect "the foreign folder" "$(ls -A "$scratch")" notes.txt

# --- the manifest --------------------------------------------------------------------------
# Debian's python3 (python3 on PATH may be another one): its json module reads the manifest.
manifest() {
    /usr/bin/python3 -c 'import json, sys
cards = json.load(open(sys.argv[1]))["cards"]
for name, card in cards.items():
    print(name, *(card[k] if card[k] is not None else "-" for k in sys.argv[2:]), sep="\t")' \
        "$pki/manifest.json" "$@"
}
expect "cards in the manifest" "$(manifest | cut -f1 | sort | tr '\n' ' ')" \
    "logistics-legal-sm2 logistics-operator-sm2 plain-piv-p256 trade-legal-p256 trade-legal-rsa trade-legal-sm2 trade-operator-p256 trade-operator-rsa trade-operator-sm2 trade-operator-sm2-expired "
# Check characters computed independently of the generator (GB 32100, GB 11714, GB 11643).
expect "USCC of the trade enterprise" "$(manifest uscc | grep trade-legal-sm2 | cut -f2)" 91999999000000019D
expect "USCC of the logistics enterprise" "$(manifest uscc | grep logistics-legal | cut -f2)" 919999990000000278
expect "org code of the trade enterprise" "$(manifest org_code | grep trade-legal-rsa | cut -f2)" 000000019
expect "holder ID of 张测试" "$(manifest holder_id | grep trade-legal-sm2 | cut -f2)" 999999198001010011

# --- every card ----------------------------------------------------------------------------
# Helpers set variables rather than print, to keep forks (slow on a busy machine) down.
hex_of() { # STRING: the bytes, as stored, in lower-case hex → $hex
    local LC_ALL=C i byte
    hex=
    for ((i = 0; i < ${#1}; i++)); do printf -v byte '%02x' "'${1:i:1}"; hex+=$byte; done
}
der_string() { # TAG STRING: a short DER string → $der
    hex_of "$2"
    printf -v der '%s%02x%s' "$1" $((${#hex} / 2)) "$hex"
}
expect_extension() { # WHAT OID TAG VALUE
    der_string "$3" "$4"
    expect "$name: $1 ($2)" "${extension[$2]:-absent}" "$der"
}
test_arc=2.25.317757102804434216926042888597687519577

while IFS=$'\t' read -r name directory shape algorithm ca enterprise uscc customs org role holder \
    holder_id card_id cert_no pin expired; do
    card=$pki/$directory
    certificate=$card/9c.crt.der
    [[ -f $card/card.json ]] || { fail "$name: no card.json"; continue; }
    [[ $(<"$card/card.json") == *"\"pin\": \"$pin\""* ]] || fail "$name: card.json does not have PIN $pin"
    case $shape in eport) expect "$name: PIN" "$pin" 88888888 ;; piv) expect "$name: PIN" "$pin" 123456 ;; esac

    declare -A field=()
    usage=
    while IFS= read -r line; do
        case $line in
            subject=* | serial=* | notBefore=* | notAfter=*) field[${line%%=*}]=${line#*=} ;;
            *Digital* | *Authentication*) usage+="${line#"${line%%[! ]*}"}; " ;;
        esac
    done < <(openssl x509 -inform der -in "$certificate" -noout -subject -serial -dates \
        -ext keyUsage,extendedKeyUsage -nameopt utf8,sep_comma_plus_space)
    case $shape/$algorithm in
        eport/rsa1024) expect "$name: subject" "${field[subject]}" "C=CN, OU=$enterprise, CN=$holder, postOfficeBox=1" ;;
        eport/sm2) expect "$name: subject" "${field[subject]}" "C=CN, OU=$enterprise, CN=$holder" ;;
        piv/*) expect "$name: subject" "${field[subject]}" "C=CN, O=$enterprise, CN=$holder" ;;
    esac
    width=16
    [[ $algorithm != rsa1024 ]] || width=8
    printf -v serial "%0${width}x" "0x${field[serial]}"
    expect "$name: certNo" "$cert_no" "$serial"
    [[ ${#cert_no} == "$width" ]] || fail "$name: certNo $cert_no is not $width hex digits"
    [[ $algorithm != sm2 || $cert_no == 03000000000* ]] || fail "$name: SM2 certNo $cert_no"
    expect "$name: key usage" "$usage" \
        "Digital Signature, Non Repudiation; TLS Web Client Authentication, E-mail Protection, Microsoft Smartcard Login; "
    # "Nov 27 03:35:37 2026 GMT": ten years later is the same string with the year plus ten.
    read -ra start <<<"${field[notBefore]}"
    read -ra end <<<"${field[notAfter]}"
    expect "$name: validity" "${end[*]}" "${start[*]:0:3} $((start[3] + 10)) GMT"

    sm2=()
    [[ $algorithm != sm2 ]] || sm2=(-vfyopt distid:1234567812345678)
    verdict=$(openssl verify -CAfile "$pki/$ca/ca.crt.pem" "${sm2[@]}" "$certificate" 2>&1) || true
    if [[ $expired == True ]]; then
        [[ $verdict == *'certificate has expired'* ]] || fail "$name: not refused as expired: $verdict"
    else
        expect "$name: openssl verify" "$verdict" "$certificate: OK"
    fi
    expect "$name: 9C key matches its certificate" \
        "$(openssl pkey -in "$card/9c.key.pem" -pubout)" \
        "$(openssl x509 -inform der -in "$certificate" -noout -pubkey)"

    # Private extensions: asn1parse shows the OID, then the value's DER in a hex dump.
    declare -A extension=()
    oid=
    while IFS= read -r line; do
        case $line in
            *OBJECT*:1.3.6.1.4.1.5315.* | *OBJECT*:2.25.*) oid=${line##*:} ;;
            *'HEX DUMP]:'*) [[ -z $oid ]] || extension[$oid]=${line##*:}; oid= ;;
            *) oid= ;;
        esac
    done < <(openssl asn1parse -inform der -in "$certificate")
    for oid in "${!extension[@]}"; do extension[$oid]=${extension[$oid],,}; done
    if [[ $shape == eport ]]; then
        # Legacy RSA cards: IA5String, the enterprise name in GBK bytes; SM2 cards: UTF8String.
        tag=0c gbk_name=$enterprise
        [[ $algorithm != rsa1024 ]] || { tag=16 gbk_name=$(printf '%s' "$enterprise" | iconv -f UTF-8 -t GBK); }
        expect_extension enterprise 1.3.6.1.4.1.5315.100.5.1 $tag "$gbk_name"
        expect_extension "holder ID" 1.3.6.1.4.1.5315.100.5.8 $tag "$holder_id"
        expect_extension "card ID" 1.3.6.1.4.1.5315.100.5.9 $tag "$card_id"
        expect_extension "org code" 1.3.6.1.4.1.5315.100.5.11 $tag "$org"
        expect "$name: org code is USCC characters 9-17" "$org" "${uscc:8:9}"
        [[ $algorithm != sm2 || $card_id == 03-* ]] || fail "$name: SM2 card ID $card_id lacks 03-"
    else
        [[ " ${!extension[*]} " != *' 1.3.6.1.4.1.5315.'* ]] || fail "$name: E-Port extensions on a PIV card"
    fi
    if [[ $role != - ]]; then
        expect_extension role "$test_arc.1" 0c "$role"
        expect_extension USCC "$test_arc.2" 0c "$uscc"
        expect_extension "customs code" "$test_arc.3" 0c "$customs"
    else
        [[ " ${!extension[*]} " != *" $test_arc."* ]] || fail "$name: test-arc extensions on a plain PIV card"
    fi
    unset field extension
done < <(manifest directory shape algorithm ca enterprise uscc customs_code org_code role holder \
    holder_id card_id certNo pin expired)

expect "roles of the trade enterprise's cards" \
    "$(manifest role algorithm | grep '^trade' | grep -v expired | cut -f2,3 | sort | tr '\t\n' ': ')" \
    "legal-person:p256 legal-person:rsa1024 legal-person:sm2 operator:p256 operator:rsa1024 operator:sm2 "

((failures == 0)) || { echo "$failures check(s) failed" >&2; exit 1; }
echo "test PKI: all checks passed"
