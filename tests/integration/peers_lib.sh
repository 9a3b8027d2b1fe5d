# shellcheck shell=bash
# Sourced by the peers_*.sh tests, which check the virtual cards with independent tools (OpenSC,
# yubico-piv-tool) through the real pcscd. Each check runs in a harness of its own with fresh
# copies of its cards from the test PKI, so no check sees another's PIN counters or caches.
#
# A test script defines `checks` and the functions it names, and ends with `run_checks`.
# `on_cards FUNCTION CARD…` runs FUNCTION inside a harness holding the cards (in that order),
# by running the script again in there. Inside, CARD is the first card's name in the test PKI,
# READER its reader's name (the harness names the readers), and card_dir NAME gives the
# directory a card's copy runs from.
# Environment (set by CMake): CARDBRIDGE_TEST_PKI_DIR, CARDBRIDGE_VCARD_ENV, OPENSC_PKCS11.
set -euo pipefail
: "${CARDBRIDGE_TEST_PKI_DIR:?}" "${CARDBRIDGE_VCARD_ENV:?}" "${OPENSC_PKCS11:?}"

failures=0
fail() { echo "FAIL${CARD:+ [$CARD]}: $*" >&2; failures=$((failures + 1)); }
expect() { [[ $2 == "$3" ]] || fail "$1: expected '$3', got '$2'"; }
# expect_in WHAT OUTPUT NEEDLE: the tool's output shows NEEDLE.
expect_in() {
    [[ $2 == *"$3"* ]] || fail "$1: expected to see '$3' in:"$'\n'"$2"
}
expect_not_in() {
    [[ $2 != *"$3"* ]] || fail "$1: expected not to see '$3' in:"$'\n'"$2"
}
# run_tool VARIABLE COMMAND…: the tool's stdout and stderr, and its exit status in $status.
run_tool() {
    local -n into=$1
    shift
    status=0
    into=$("$@" 2>&1) || status=$?
}

# A value from the manifest of the test PKI (tools/test-pki/README.md), with Debian's python3
# (python3 on PATH may be another interpreter).
card_field() {
    /usr/bin/python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["cards"][sys.argv[2]][sys.argv[3]])' \
        "$CARDBRIDGE_TEST_PKI_DIR/manifest.json" "$1" "$2"
}

card_dir() { echo "$PEERS_WORK/$1"; }

# A certificate's subject as OpenSSL-based tools print it (pkcs11-tool, yubico-piv-tool): bytes
# of UTF-8 names above 0x7F as \xHH. Legacy BMPString names print as raw UTF-16 instead.
printed_subject() {
    local LC_ALL=C subject byte i out=
    subject=$(openssl x509 -inform der -in "$1" -noout -subject -nameopt utf8,sep_comma_plus_space)
    subject=${subject#subject=}
    for ((i = 0; i < ${#subject}; i++)); do
        byte=${subject:i:1}
        if [[ $byte == [[:print:]] ]]; then out+=$byte; else printf -v byte '\\x%02X' "'$byte"; out+=$byte; fi
    done
    echo "$out"
}

on_cards() {
    local function=$1 work card status=0 harness_cards=()
    shift
    work=$(mktemp -d "$peers_root/run.XXXXXX")
    for card; do
        cp -r "$CARDBRIDGE_TEST_PKI_DIR/cards/$card" "$work/$card"
        harness_cards+=(--card "$work/$card")
    done
    mkdir "$work/home"
    # OpenSC caches card contents under $HOME: a home of its own keeps each run fresh.
    HOME=$work/home PEERS_FUNCTION=$function PEERS_CARDS="$*" PEERS_WORK=$work \
        "$CARDBRIDGE_VCARD_ENV" "${harness_cards[@]}" -- "$0" || status=$?
    # The mark proves the checks ran in there: a harness that ran nothing must not pass.
    [[ -f $work/checked ]] || { echo "FAIL [$*]: $function did not run to its end" >&2; status=1; }
    rm -rf "$work"
    ((status == 0)) || { echo "FAIL [$*]: $function (above)" >&2; failures=$((failures + 1)); }
}

run_checks() {
    if [[ -n ${PEERS_FUNCTION:-} ]]; then
        CARD=${PEERS_CARDS%% *}
        READER=${CARDBRIDGE_VCARD1_READER:?the harness names no reader}
        "$PEERS_FUNCTION"
        : >"$PEERS_WORK/checked"
    else
        peers_root=$(mktemp -d)
        trap 'rm -rf "$peers_root"' EXIT
        checks
    fi
    ((failures == 0)) || { echo "$failures check(s) failed" >&2; exit 1; }
    [[ -n ${PEERS_FUNCTION:-} ]] || echo "$(basename "$0"): all checks passed"
}
