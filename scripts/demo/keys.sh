# shellcheck shell=bash
# The virtual USB key: a soft-skf store (tools/soft-skf) in the run folder with one device that
# holds a test-PKI card's signing key and certificate (make_key). The daemon loads soft-skf's
# library (write_daemon_config) and finds the store through CARDBRIDGE_SOFT_SKF_STORE
# (start_daemon); scripts/demo-card plugs and unplugs it with soft-skf's CLI (key_env).

key_name=eport-key
key_serial=CBSKF-DEMO-01
key_label='E-Port USB key (TEST ONLY)'
# Another enterprise's 法人卡, whose card starts out of its reader: by default the key and the
# card with the same certificate are never in at the same time.
key_card=logistics-legal-sm2
key_store='' key_reader=''

# soft_skf COMMAND [ARG]...: soft-skf's CLI on the demo's store; its output goes to demo.log.
soft_skf() {
    "$skf_cli" --store "$key_store" "$@" >>"$logs/demo.log" 2>&1 ||
        die "cardbridge-soft-skf $1 $key_name failed (see $logs/demo.log)"
}

# In the run folder: the store holds the key's private key unencrypted (mode 0600, in a 0700
# folder), and its PIN counters go with the run, as the virtual cards' do.
make_key() {
    key_store=$run/soft-skf
    # What the daemon names the key's reader: "<library file name> <device name>" (docs/SKF.md).
    key_reader="${skf_library##*/} $key_name"
    local dir=${card_dir[$key_card]:-}
    [[ -f $dir/9c.key.pem && -f $dir/9c.crt.der ]] ||
        die "the test PKI has no signing key and certificate for $key_card (in '$dir'): build the target test_pki"
    # The manifest's PIN, so that the banner's PIN is the key's whatever soft-skf's default.
    soft_skf create "$key_name" --serial "$key_serial" --label "$key_label" --user-pin "${card_pin[$key_card]}"
    soft_skf import "$key_name" --container SIGN --sign-key "$dir/9c.key.pem" --sign-cert "$dir/9c.crt.der"
    # create makes a plugged key; the daemon has not started yet, so an unplugged one is never
    # seen coming and going.
    $key_plugged || soft_skf unplug "$key_name"
}

# key_env: the lines of demo.env that scripts/demo-card needs for the key.
key_env() {
    echo "KEYS=$key_name"
    echo "SKF_CLI=$skf_cli"
    echo "SKF_STORE=$key_store"
}
