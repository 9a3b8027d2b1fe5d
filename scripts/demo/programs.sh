# shellcheck shell=bash
# find_programs: every program, file and tool the demo runs, found (or the start fails here,
# before anything runs, saying what to build or install).

daemon='' cli='' host='' vcard='' vcard_ctl='' pcsc_wait='' pki='' pcscd_bin='' vpcd_driver='' preload='' chromium=''
skf_library='' skf_cli=''

find_programs() {
    daemon=$build/daemon/cardbridged
    cli=$build/tools/cli/cardbridge
    host=$build/native-host/cardbridge-host
    vcard=$build/tools/virtual-card/cardbridge-vcard
    vcard_ctl=$build/tools/virtual-card/cardbridge-vcard-ctl
    pcsc_wait=$build/tests/harness/pcsc-wait
    pki=$build/test-pki
    local program
    for program in "$daemon" "$cli" "$host" "$vcard" "$vcard_ctl" "$pcsc_wait"; do
        [[ -x $program ]] || die "no ${program##*/} at $program (scripts/run.sh builds it, or pass --build DIR)"
    done
    [[ -x $portal ]] || die "no cardbridge-portal at $portal (build the target cardbridge-portal, or pass --portal PROGRAM)"
    [[ -f $pki/manifest.json ]] || die "no test PKI at $pki (build the target test_pki)"
    # Why a preload: tools/demo-preload/vpcd-loopback.c.
    preload=$build/tools/demo-preload/libcardbridge-vpcd-loopback.so
    [[ -f $preload ]] ||
        die "no vpcd loopback preload at $preload (build it: cmake --build $build --target cardbridge-vpcd-loopback)"
    # The virtual USB key (keys.sh): soft-skf's library, which the daemon loads, and its CLI.
    skf_library=$build/tools/soft-skf/libcardbridge-soft-skf.so
    [[ -f $skf_library ]] ||
        die "no soft-skf library at $skf_library (build it: cmake --build $build --target cardbridge_soft_skf)"
    skf_cli=$build/tools/soft-skf/cardbridge-soft-skf
    [[ -x $skf_cli ]] ||
        die "no cardbridge-soft-skf at $skf_cli (build it: cmake --build $build --target cardbridge-soft-skf)"
    pcscd_bin=$(command -v pcscd) || die "pcscd is missing (apt install pcscd)"
    vpcd_driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
    [[ -f $vpcd_driver ]] || die "no vpcd driver at $vpcd_driver (apt install vsmartcard-vpcd)"
    for program in unshare setsid setpriv flock ss /usr/bin/python3; do
        command -v "$program" >/dev/null ||
            die "$program is missing (scripts/install-deps.sh installs util-linux, iproute2, python3)"
    done
    chromium=/usr/lib/chromium/chromium
}
