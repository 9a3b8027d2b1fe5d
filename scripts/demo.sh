#!/usr/bin/env bash
# The whole demo in one command (docs/DEMO.md): a private pcscd with virtual E-Port cards (and
# the USB readers it can reach), cardbridged, the reference portal, the browser integration and,
# where there is a display, Chromium with the extension in a profile of its own.
# A virtual USB key (soft-skf) too, unplugged unless --key-plugged.
# Ctrl-C, SIGTERM or any part ending on its own stops everything it started.
#   scripts/demo.sh [--build DIR] [--portal PROGRAM] [--state DIR] [--portal-port N]
#                   [--cards NAME,...] [--inserted NAME,...] [--key-plugged] [--virtual-only]
#                   [--no-browser] [--timeout SECONDS]
# shellcheck source-path=SCRIPTDIR/demo
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# pcscd lives in /usr/sbin, which a normal user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

# Each step lives in scripts/demo/, one job per file; this file is the order they run in.

note() {
    echo "demo: $*" >&2
}

die() {
    note "$*"
    exit 1
}

demo_dir=$source_dir/scripts/demo
source "$demo_dir/options.sh"    # the options: parse_options
source "$demo_dir/programs.sh"   # what the demo runs: find_programs
source "$demo_dir/state.sh"      # the state and run folders: lock_state, make_run_folder
source "$demo_dir/ports.sh"      # choose_ports
source "$demo_dir/processes.sh"  # spawn, until_true, stop_parts, sweep_leftovers, supervise
source "$demo_dir/cards.sh"      # read_cards, start_cards
source "$demo_dir/pcscd.sh"      # write_reader_configs, system_pcscd_hint, start_pcscd
source "$demo_dir/keys.sh"       # make_key, key_env
source "$demo_dir/daemon.sh"     # start_daemon
source "$demo_dir/portal.sh"     # start_portal
source "$demo_dir/browser.sh"    # install_browser_integration, start_browser
source "$demo_dir/banner.sh"     # print_banner

# ---- the stop: on Ctrl-C, SIGTERM, a failed start or a part that ended (supervise) ----------

started_at=
teardown() {
    local status=$?
    # A second Ctrl-C must not leave half the parts running: the stop is bounded anyway.
    trap '' INT TERM
    set +e
    if ((${#pid_of[@]})); then
        echo >&2
        note "stopping everything…"
        local t0
        t0=$(now_us)
        stop_parts
        sweep_leftovers
        note "stopped in $((($(now_us) - t0) / 1000)) ms"
    fi
    [[ -n $run ]] && rm -rf "$run"
    [[ -n $state && -n $run ]] && rm -f "$state/demo.env"
    exit "$status"
}

# ---- the start, in order: each step waits until its part is ready ------------------------------

main() {
    started_at=$(now_us)
    parse_options "$@"
    find_programs
    read_cards
    lock_state
    choose_ports
    trap teardown EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    make_run_folder
    # Only files, so first: a key that cannot be made fails the start before any part runs. And
    # before the daemon, so that an unplugged key is never seen coming and going.
    make_key
    key_env >>"$state/demo.env"
    mark "USB key made"
    system_pcscd_hint
    write_reader_configs
    start_cards
    mark "cards started"
    start_pcscd
    mark "pcscd ready, inserted cards seen"
    start_daemon
    mark "cardbridged ready, cards and key read"
    start_portal
    mark "portal ready"
    install_browser_integration
    start_browser
    mark "browser integration done"
    {
        echo "PORTAL_URL=$portal_url/"
        echo "WS_PORT=$ws_port"
        echo "LOGS=$logs"
    } >>"$state/demo.env"
    print_banner
    supervise
}

main "$@"
