# shellcheck shell=bash
# The virtual cards: their data from the test PKI's manifest (read_cards), and their
# cardbridge-vcard processes (start_cards).

# The cards' data, from the test PKI's manifest: one tab-separated line per card.
declare -A card_dir card_enterprise card_role card_holder card_pin card_expired
cards=() inserted=()

read_cards() {
    IFS=, read -r -a cards <<<"$card_list"
    IFS=, read -r -a inserted <<<"$inserted_list"
    ((${#cards[@]} >= 1)) || die "--cards names no card"
    # pcsc-lite serves 16 readers at most; leave room for real ones.
    ((${#cards[@]} <= 8)) || die "at most 8 virtual cards, not ${#cards[@]}"
    local name dir enterprise role holder pin expired
    while IFS=$'\t' read -r name dir enterprise role holder pin expired; do
        card_dir[$name]=$pki/$dir card_enterprise[$name]=$enterprise card_role[$name]=$role
        card_holder[$name]=$holder card_pin[$name]=$pin card_expired[$name]=$expired
    done < <(/usr/bin/python3 - "$pki/manifest.json" <<'PY'
import json, sys
for name, card in json.load(open(sys.argv[1], encoding="utf-8"))["cards"].items():
    fields = [card.get(key) or "-" for key in ("directory", "enterprise", "role", "holder", "pin")]
    print("\t".join([name, *fields, "yes" if card.get("expired") else "no"]))
PY
)
    for name in "${cards[@]}" "${inserted[@]}"; do
        [[ -n ${card_dir[$name]:-} ]] || die "'$name' is not a card of the test PKI (see $pki/manifest.json)"
    done
    for name in "${inserted[@]}"; do
        [[ " ${cards[*]} " == *" $name "* ]] || die "--inserted names '$name', which --cards does not"
    done
}

is_inserted() {
    [[ " ${inserted[*]} " == *" $1 "* ]]
}
# Each card's vpcd port, reader name and control socket: write_reader_configs (pcscd.sh) decides
# them, because the reader configs fix which port is which reader.
declare -A card_port card_reader card_socket

start_cards() {
    local name
    for name in "${cards[@]}"; do
        # --wait-vpcd: the card keeps knocking while pcscd starts, and after a pcscd restart.
        spawn "card-$name" "$logs/card-$name.log" "$vcard" --profile "${card_dir[$name]}" \
            --vpcd "127.0.0.1:${card_port[$name]}" --control "${card_socket[$name]}" --wait-vpcd 3600
    done
    for name in "${cards[@]}"; do
        until_true "$timeout" "the control socket of $name" test -S "${card_socket[$name]}"
        # pcscd is not up yet, so a card taken out now was never seen in its reader.
        is_inserted "$name" || "$vcard_ctl" "${card_socket[$name]}" remove >/dev/null ||
            die "cannot take $name out of its reader"
    done
}
