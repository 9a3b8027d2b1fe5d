# shellcheck shell=bash
# Keys, certificates and their checks, with the openssl CLI. Sourced by make-test-pki.
# Starting a process costs ~50 ms on a small busy machine, so a certificate is one openssl run
# (three where it needs explicit dates) and helpers set variables rather than print.
#
# A "generation" names the key type and how its certificates are signed and encoded:
#   rsa   legacy E-Port: RSA-1024 cards (RSA-2048 CA), sha1WithRSAEncryption, names in BMPString
#   sm2   current E-Port: SM2, SM2-with-SM3 with the standard distinguishing ID
#   p256  plain PIV: ECDSA P-256 with SHA-256, names in UTF8String

readonly SM2_DISTID=distid:1234567812345678

#   key_options GENERATION card|ca ARRAY    the `openssl req -newkey` options
key_options() {
    local -n args=$3
    case $1/$2 in
        rsa/card) args=(-newkey rsa:1024) ;;
        rsa/ca) args=(-newkey rsa:2048) ;;
        sm2/*) args=(-newkey SM2) ;;
        p256/*) args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
        *) echo "make-test-pki: unknown generation $1" >&2; return 1 ;;
    esac
}

#   sign_options GENERATION req|ca ARRAY   digest, and for SM2 the distinguishing ID: SM2
# signatures only interoperate when both sides set it.
sign_options() {
    local -n args=$3
    local digest=sha256
    case $1 in rsa) digest=sha1 ;; sm2) digest=sm3 ;; esac
    if [[ $2 == req ]]; then args=("-$digest"); else args=(-md "$digest"); fi
    if [[ $1 == sm2 ]]; then
        args+=(-sigopt "$SM2_DISTID")
        [[ $2 == ca ]] && args+=(-vfyopt "$SM2_DISTID")
    fi
    return 0
}

# The openssl config [req] part: BMPString (ASN.1 mask 0x800) is how the legacy E-Port CA
# encodes names; everything else is UTF8String.
req_config() {
    local mask=utf8only
    [[ $1 == rsa ]] && mask=MASK:0x800
    printf '[req]\ndistinguished_name = unused\nstring_mask = %s\n[unused]\n' "$mask"
}

#   hex_of STRING VARIABLE   the bytes of STRING (as the locale stores them: UTF-8) in hex
hex_of() {
    local LC_ALL=C value=$1 byte i
    local -n into=$2
    into=
    for ((i = 0; i < ${#value}; i++)); do
        printf -v byte '%02x' "'${value:i:1}"
        into+=$byte
    done
}

#   der_string TAG HEX VARIABLE   a short DER string value: tag (hex), length, contents (hex)
der_string() {
    local length=$((${#2} / 2))
    local -n into=$3
    ((length < 256)) || { echo "make-test-pki: value too long for an extension: $2" >&2; return 1; }
    if ((length < 128)); then printf -v into '%s%02x%s' "$1" "$length" "$2"
    else printf -v into '%s81%02x%s' "$1" "$length" "$2"; fi
}

# A certificate valid from now for DAYS, issued by CA_DIR, with a new key; one openssl run.
#   issue GENERATION CA_DIR KEY_OUT "SUBJECT" SERIAL DAYS CONFIG SECTION DER_OUT
issue() {
    local generation=$1 ca=$2 key=$3 subject=$4 serial=$5 days=$6 config=$7 section=$8 out=$9
    local new sign log=${config%.cnf}-$serial.log
    key_options "$generation" card new
    sign_options "$generation" req sign
    openssl req -new -x509 -config "$config" -utf8 "${new[@]}" -noenc -keyout "$key" \
        -subj "$subject" -CA "$ca/ca.crt.pem" -CAkey "$ca/ca.key.pem" -set_serial "0x$serial" \
        -days "$days" -extensions "$section" "${sign[@]}" -outform DER -out "$out" 2>"$log" ||
        { cat "$log" >&2; return 1; }
}

# A certificate with explicit dates, through `openssl ca`: CAs (self-signed) and certificates
# that are already expired. CONFIG needs the [req] part and the SECTION; the ca part is added
# here, with a database of its own beside CONFIG so that issuing in parallel is safe.
#   issue_dated GENERATION CA_DIR|self KEY_OUT "SUBJECT" SERIAL START END CONFIG SECTION PEM_OUT
issue_dated() {
    local generation=$1 ca=$2 key=$3 subject=$4 serial=$5 start=$6 end=$7 config=$8
    local section=$9 out=${10} new sign issuer kind=card state=${config%.cnf}-$serial
    [[ $ca != self ]] || kind=ca
    key_options "$generation" "$kind" new
    sign_options "$generation" req sign
    : >"$state.index"
    echo "$serial" >"$state.serial"
    cat - "$config" >"$state.cnf" <<CNF
[ca]
default_ca = dated
[dated]
database = $state.index
serial = $state.serial
new_certs_dir = ${config%/*}
policy = keep_all
unique_subject = no
email_in_dn = no
[keep_all]
commonName = supplied
CNF
    openssl req -new -config "$state.cnf" -utf8 "${new[@]}" -noenc -keyout "$key" \
        -subj "$subject" "${sign[@]}" -out "$state.csr" 2>"$state.log" ||
        { cat "$state.log" >&2; return 1; }
    if [[ $ca == self ]]; then issuer=(-selfsign -keyfile "$key")
    else issuer=(-cert "$ca/ca.crt.pem" -keyfile "$ca/ca.key.pem"); fi
    sign_options "$generation" ca sign
    openssl ca -batch -notext -utf8 -preserveDN -config "$state.cnf" "${issuer[@]}" "${sign[@]}" \
        -startdate "$start" -enddate "$end" -extensions "$section" -in "$state.csr" -out "$out" \
        >>"$state.log" 2>&1 || { cat "$state.log" >&2; return 1; }
}

verify_options() {
    local -n args=$2
    args=()
    if [[ $1 == sm2 ]]; then args=(-vfyopt "$SM2_DISTID"); fi
}

# Fails loudly unless every certificate (PEM or DER) verifies against the CA, now or at the
# given time (epoch seconds).
verify_all() {
    local generation=$1 ca=$2 at=$3 options out
    shift 3
    verify_options "$generation" options
    [[ $at == now ]] || options+=(-attime "$at")
    out=$(openssl verify -CAfile "$ca/ca.crt.pem" "${options[@]}" "$@" 2>&1) ||
        { echo "make-test-pki: certificates do not verify against $ca:" >&2; echo "$out" >&2; return 1; }
}

# Fails loudly unless every certificate is refused today as expired. The caller has verified
# them at a time within their validity, so expiry is the only fault they can have.
verify_expired() {
    local generation=$1 ca=$2 options out line expired=0
    shift 2
    verify_options "$generation" options
    if ! out=$(openssl verify -CAfile "$ca/ca.crt.pem" "${options[@]}" "$@" 2>&1); then
        while IFS= read -r line; do
            [[ $line != *'certificate has expired' ]] || expired=$((expired + 1))
        done <<<"$out"
    fi
    if ((expired != $#)); then
        echo "make-test-pki: these should all be refused as expired: $*" >&2
        echo "$out" >&2
        return 1
    fi
}
