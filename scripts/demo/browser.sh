# shellcheck shell=bash
# The browser: the extension and the native-messaging host in a profile of the demo's own
# (install_browser_integration), and Chromium where there is a display (start_browser).

profile='' extension='' chromium_command=()
install_browser_integration() {
    profile=$state/chromium
    extension=$run/extension/chromium
    mkdir -p "$profile"
    bash "$source_dir/extension/build.sh" "$run/extension" >>"$logs/demo.log" 2>&1 ||
        die "extension/build.sh failed (see $logs/demo.log)"
    # The host manifest goes into this profile only; the host finds our daemon through
    # CARDBRIDGE_SOCKET, which it inherits from Chromium, which inherits it from here.
    "$cli" install-browser-integration --profile "$profile" --host "$host" >>"$logs/demo.log" 2>&1 ||
        die "cardbridge install-browser-integration failed (see $logs/demo.log)"
    chromium_command=("$chromium" "--user-data-dir=$profile" "--load-extension=$extension"
        --no-first-run --no-default-browser-check)
    # Chromium refuses to run as root with its sandbox.
    ((EUID != 0)) || chromium_command+=(--no-sandbox)
    [[ -n ${DISPLAY:-} || -z ${WAYLAND_DISPLAY:-} ]] || chromium_command+=(--ozone-platform=wayland)
    chromium_command+=("$portal_url/")
}

browser_state=
start_browser() {
    if ! $browser; then
        browser_state="not opened (--no-browser)"
    elif [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
        browser_state="not opened (no DISPLAY or WAYLAND_DISPLAY)"
    elif [[ ! -x $chromium ]]; then
        browser_state="not opened ($chromium is missing: apt install chromium)"
    else
        spawn chromium "$logs/chromium.log" "${chromium_command[@]}"
        browser_state="Chromium (PID ${pid_of[chromium]}), profile $profile"
    fi
}
