#!/usr/bin/env bash
# OpenSC refuses a wrong PIN, and its PKCS#11 token flags follow the card's retry counter down
# to "locked"; the right PIN, while retries are left, is accepted and restores the counter.
. "$(dirname "$0")/peers_lib.sh"

token_flags() {
    local out
    run_tool out pkcs11-tool --module "$OPENSC_PKCS11" --list-token-slots
    flags=$(grep 'token flags' <<<"$out") || flags="no token flags in: $out"
}

# login PIN: pkcs11-tool logs in and lists the objects; the result in $out and $status.
login() {
    run_tool out pkcs11-tool --module "$OPENSC_PKCS11" --login --pin "$1" --list-objects
}

wrong_pin_counts_down() {
    local right wrong out flags
    right=$(card_field "$CARD" pin)
    wrong=${right//?/1}
    login "$wrong"
    expect_in "first wrong PIN" "$out" "CKR_PIN_INCORRECT"
    token_flags
    expect_not_in "token flags, 2 retries left" "$flags" "final user PIN try"
    login "$wrong"
    expect_in "second wrong PIN" "$out" "CKR_PIN_INCORRECT"
    token_flags
    expect_in "token flags, 1 retry left" "$flags" "final user PIN try"
    login "$right"
    expect "right PIN, exit status ($out)" "$status" 0
    expect_in "right PIN shows the private keys" "$out" "Private Key Object"
    token_flags
    expect_not_in "token flags after the right PIN" "$flags" "final user PIN try"
    expect_not_in "token flags after the right PIN" "$flags" "locked"
}

third_wrong_pin_locks() {
    local right wrong out flags
    right=$(card_field "$CARD" pin)
    wrong=${right//?/2}
    login "$wrong"
    login "$wrong"
    login "$wrong"
    expect_in "third wrong PIN" "$out" "CKR_PIN_INCORRECT"
    token_flags
    expect_in "token flags, no retries left" "$flags" "user PIN locked"
    login "$right"
    expect_in "right PIN on a locked card" "$out" "CKR_PIN_LOCKED"
    expect_not_in "right PIN on a locked card" "$out" "Private Key Object"
}

checks() {
    on_cards wrong_pin_counts_down trade-operator-rsa
    on_cards wrong_pin_counts_down trade-operator-p256
    on_cards third_wrong_pin_locks trade-legal-rsa
}
run_checks
