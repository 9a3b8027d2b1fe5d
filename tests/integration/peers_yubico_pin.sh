#!/usr/bin/env bash
# yubico-piv-tool verifies a virtual card's PIN: the right one is accepted, a wrong one refused
# with the retries left, which status then shows; three wrong ones block it until the PUK the
# card ships with unblocks it.
. "$(dirname "$0")/peers_lib.sh"

piv() { run_tool out yubico-piv-tool --reader "$READER" "$@"; }

wrong_pin_counts_down() {
    local right wrong out
    right=$(card_field "$CARD" pin)
    wrong=${right//?/1}
    piv --action verify-pin --pin "$wrong"
    expect "wrong PIN" "$out" "Pin verification failed, 2 tries left before pin is blocked."
    piv --action status
    expect_in "status after a wrong PIN" "$out" $'PIN tries left:\t2'
    piv --action verify-pin --pin "$right"
    expect "right PIN" "$out" "Successfully verified PIN."
    expect "right PIN, exit status" "$status" 0
    piv --action status
    expect_in "status after the right PIN" "$out" $'PIN tries left:\t3'
}

puk_unblocks_pin() {
    local right wrong out
    right=$(card_field "$CARD" pin)
    wrong=${right//?/2}
    piv --action verify-pin --pin "$wrong"
    piv --action verify-pin --pin "$wrong"
    expect "second wrong PIN" "$out" "Pin verification failed, 1 tries left before pin is blocked."
    piv --action verify-pin --pin "$wrong"
    piv --action verify-pin --pin "$right"
    expect "right PIN on a blocked card" "$out" "Pin code blocked, use unblock-pin action to unblock."
    expect "right PIN on a blocked card, exit status" "$status" 1
    piv --action unblock-pin --pin "$(card_field "$CARD" puk)" --new-pin "$right"
    expect "unblock with the PUK" "$out" "Successfully unblocked the pin code."
    piv --action verify-pin --pin "$right"
    expect "right PIN after unblocking" "$out" "Successfully verified PIN."
}

checks() {
    on_cards wrong_pin_counts_down trade-operator-sm2
    on_cards wrong_pin_counts_down trade-legal-p256
    on_cards puk_unblocks_pin trade-operator-rsa
}
run_checks
