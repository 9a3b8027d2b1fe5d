# shellcheck shell=bash
# One virtual card: keys and certificates for slots 9A, 9C and 9D, its card.json
# (tools/virtual-card/PROFILE.md) and its manifest entry. Sourced by make-test-pki, which sets
# the enterprise, holder and date tables read here. README.md explains every value.

readonly EPORT_ARC=1.3.6.1.4.1.5315.100.5
# cardbridge's own test arc: an X.667 UUID OID, so it collides with no one's.
readonly TEST_ARC=2.25.317757102804434216926042888597687519577

#   serial_of GENERATION INDEX SLOT VARIABLE
# E-Port's certNo is the serial in lower-case hex: 8 digits on RSA cards, 16 on SM2 cards
# (03000000000…); plain PIV cards get 16 as well.
serial_of() {
    local -n into=$4
    case $1 in
        rsa) printf -v into '01c0%02x%s' "$2" "$3" ;;
        sm2) printf -v into '03000000000%03x%s' "$2" "$3" ;;
        p256) printf -v into '7e570000000%03x%s' "$2" "$3" ;;
    esac
}

#   add_extension VARIABLE OID VALUE_HEX TAG   appends "OID = DER:…" to VARIABLE
add_extension() {
    local -n lines=$1
    local der
    der_string "$4" "$3" der
    lines+="$2 = DER:$der"$'\n'
}

# The private extensions, by shape. Legacy RSA cards hold E-Port values as IA5String (tag 16)
# and the enterprise name in GBK bytes, as the real ones do; all else is UTF8String (tag 0c).
#   private_extensions VARIABLE SHAPE GENERATION ENTERPRISE ROLE HOLDER CARD_ID
private_extensions() {
    local -n result=$1
    local shape=$2 generation=$3 enterprise=$4 role=$5 holder=$6 card_id=$7
    local tag=0c name=${ENTERPRISE_NAME_HEX[$enterprise]} hex
    result=
    if [[ $shape == eport ]]; then
        [[ $generation == rsa ]] && { tag=16 name=${ENTERPRISE_NAME_GBK_HEX[$enterprise]}; }
        add_extension result "$EPORT_ARC.1" "$name" "$tag"
        hex_of "${HOLDER_ID[$holder]}" hex && add_extension result "$EPORT_ARC.8" "$hex" "$tag"
        hex_of "$card_id" hex && add_extension result "$EPORT_ARC.9" "$hex" "$tag"
        hex_of "${ENTERPRISE_ORG_CODE[$enterprise]}" hex && add_extension result "$EPORT_ARC.11" "$hex" "$tag"
    fi
    if [[ $role != none ]]; then
        hex_of "$role" hex && add_extension result "$TEST_ARC.1" "$hex" 0c
        hex_of "${ENTERPRISE_USCC[$enterprise]}" hex && add_extension result "$TEST_ARC.2" "$hex" 0c
        hex_of "${ENTERPRISE_CUSTOMS_CODE[$enterprise]}" hex && add_extension result "$TEST_ARC.3" "$hex" 0c
    fi
    return 0
}

#   write_config FILE GENERATION PRIVATE_EXTENSION_LINES
write_config() {
    local usage=keyEncipherment,dataEncipherment
    [[ $2 != p256 ]] || usage=keyAgreement
    {
        req_config "$2"
        cat <<CNF
[sign]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = clientAuth,emailProtection,msSmartcardLogin
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
$3
[envelope]
basicConstraints = CA:FALSE
keyUsage = critical,$usage
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
$3
CNF
    } >"$1"
}

# "key": "value", or "key": null when the card does not carry the value.
json_member() {
    local -n into=$3
    [[ $2 != *[\"\\]* ]] || { echo "make-test-pki: value not safe for JSON: $2" >&2; return 1; }
    if [[ -n $2 ]]; then printf -v into '"%s": "%s"' "$1" "$2"; else printf -v into '"%s": null' "$1"; fi
}

#   build_card WORK INDEX NAME ENTERPRISE ROLE GENERATION HOLDER VALIDITY
# Writes WORK/cards/NAME/ and WORK/scratch/NAME/ (certificates to check, the manifest entry).
build_card() {
    local work=$1 index=$2 name=$3 enterprise=$4 role=$5 generation=$6 holder=$7 validity=$8
    local dir=$work/cards/$name scratch=$work/scratch/$name shape=eport card_id='' pin=88888888
    local organization=${ENTERPRISE_NAME[$enterprise]} holder_name=${HOLDER_NAME[$holder]}
    local algorithm=${generation/rsa/rsa1024} subject extensions slot section serial
    [[ $generation != p256 ]] || { shape=piv pin=123456; }
    if [[ $shape == eport ]]; then
        printf -v card_id '9999000000%03d' "$index"
        [[ $generation != sm2 ]] || card_id=03-$card_id
    fi
    case $shape/$generation in
        eport/rsa) subject="/C=CN/OU=$organization/CN=$holder_name/postOfficeBox=1" ;;
        eport/sm2) subject="/C=CN/OU=$organization/CN=$holder_name" ;;
        piv/*) subject="/C=CN/O=$organization/CN=$holder_name" ;;
    esac
    mkdir -p "$dir" "$scratch"
    private_extensions extensions "$shape" "$generation" "$enterprise" "$role" "$holder" "$card_id"
    write_config "$scratch/openssl.cnf" "$generation" "$extensions"

    for slot in 9a 9c 9d; do
        section=sign
        [[ $slot != 9d ]] || section=envelope
        serial_of "$generation" "$index" "$slot" serial
        if [[ $validity == expired ]]; then
            issue_dated "$generation" "$work/ca/$generation" "$dir/$slot.key.pem" "$subject" \
                "$serial" "$EXPIRED_START" "$EXPIRED_END" "$scratch/openssl.cnf" "$section" \
                "$scratch/$slot.crt.pem"
            openssl x509 -in "$scratch/$slot.crt.pem" -outform DER -out "$dir/$slot.crt.der"
        else
            issue "$generation" "$work/ca/$generation" "$dir/$slot.key.pem" "$subject" "$serial" \
                "$TEN_YEARS_DAYS" "$scratch/openssl.cnf" "$section" "$dir/$slot.crt.der"
        fi
    done

    local kind="E-Port $role card" note='' description guid
    [[ $shape != piv ]] || kind="Plain PIV card"
    [[ $validity != expired ]] || note=", expired certificates"
    description="$kind, ${algorithm^^}$note (test only)"
    printf -v guid 'cb7e5700000000000000000000000%03x' "$index"
    cat >"$dir/card.json" <<JSON
{
  "description": "$description",
  "chuid_guid": "$guid",
  "pin": "$pin", "pin_retries": 3,
  "puk": "12345678", "puk_retries": 3,
  "printed": {"name": "$holder_name", "organization": "$organization"},
  "slots": {
    "9a": {"key": "9a.key.pem", "certificate": "9a.crt.der"},
    "9c": {"key": "9c.key.pem", "certificate": "9c.crt.der"},
    "9d": {"key": "9d.key.pem", "certificate": "9d.crt.der"}
  }
}
JSON

    # What the card itself says; a plain PIV card with no role says no more than its subject.
    local codes=$role ids=$card_id expired=false member members=() i
    [[ $role != none ]] || codes=
    [[ $validity != expired ]] || expired=true
    serial_of "$generation" "$index" 9c serial
    local entry=(
        directory "cards/$name" description "$description" shape "$shape"
        algorithm "$algorithm" ca "ca/$generation" enterprise "$organization"
        uscc "${codes:+${ENTERPRISE_USCC[$enterprise]}}"
        customs_code "${codes:+${ENTERPRISE_CUSTOMS_CODE[$enterprise]}}"
        org_code "${ids:+${ENTERPRISE_ORG_CODE[$enterprise]}}" role "$codes"
        holder "$holder_name" holder_id "${ids:+${HOLDER_ID[$holder]}}" card_id "$card_id"
        certNo "$serial" not_after "${END_DATE[$validity]}" pin "$pin" puk 12345678
    )
    for ((i = 0; i < ${#entry[@]}; i += 2)); do
        json_member "${entry[i]}" "${entry[i + 1]}" member
        members+=("      $member,")
    done
    {
        printf '    "%s": {\n' "$name"
        printf '%s\n' "${members[@]}"
        printf '      "expired": %s\n    }' "$expired"
    } >"$scratch/manifest-entry.json"
}
