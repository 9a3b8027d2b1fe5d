# shellcheck shell=bash
# Check characters of the Chinese identity codes the test enterprises and holders carry, so that
# a daemon or portal that validates them sees well-formed values (the values are still fake).
# Each function writes its result into the variable named last (no subshell: forks are slow).

# GB 11714 organization code: 8 body characters (digits, capitals) → the 9-character code.
#   org_code BODY VARIABLE
org_code() {
    local body=$1 weights=(3 7 9 10 5 8 4 2) alphabet=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ
    local sum=0 i rest check
    local -n into=$2
    [[ $body =~ ^[0-9A-Z]{8}$ ]] || { echo "codes: org code body must be 8 of [0-9A-Z]: $body" >&2; return 1; }
    for i in {0..7}; do
        rest=${alphabet%%"${body:i:1}"*}
        sum=$((sum + ${#rest} * weights[i]))
    done
    check=$((11 - sum % 11))
    case $check in 10) check=X ;; 11) check=0 ;; esac
    into=$body$check
}

# GB 32100 unified social credit code: 17 characters → the 18-character code. Its alphabet
# leaves out I, O, S, V and Z, so a letter's value is its position in that alphabet.
#   uscc BODY VARIABLE
uscc() {
    local body=$1 alphabet=0123456789ABCDEFGHJKLMNPQRTUWXY
    local weights=(1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) sum=0 i rest
    local -n into=$2
    [[ $body =~ ^[0-9A-HJ-NPQRTUW-Y]{17}$ ]] || { echo "codes: USCC body must be 17 of the GB 32100 alphabet: $body" >&2; return 1; }
    for i in {0..16}; do
        rest=${alphabet%%"${body:i:1}"*}
        sum=$((sum + ${#rest} * weights[i]))
    done
    into=$body${alphabet:$(((31 - sum % 31) % 31)):1}
}

# GB 11643 citizen identity number: 17 digits → the 18-character number.
#   citizen_id BODY VARIABLE
citizen_id() {
    local body=$1 weights=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) checks=10X98765432 sum=0 i
    local -n into=$2
    [[ $body =~ ^[0-9]{17}$ ]] || { echo "codes: identity number body must be 17 digits: $body" >&2; return 1; }
    for i in {0..16}; do sum=$((sum + ${body:i:1} * weights[i])); done
    into=$body${checks:$((sum % 11)):1}
}
